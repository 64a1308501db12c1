use crate::approval::assess::{self, describe_changes};
use crate::approval::RoleState;
use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// The content changed since a role approved it.
    ///
    /// ## Why it matters
    /// An approval is pinned to a digest of the content: the playbook's data
    /// and every template it uses, in every language. An edit after approval,
    /// even of one word of one translation, means the words about to be
    /// posted are not the ones that were vetted.
    ///
    /// ## Example
    /// `templates/helpline/announce-x.es.j2` was edited after legal approved
    /// the playbook. Reformatting the YAML or editing its comments does not
    /// count: the digest is of the data, not the text.
    ///
    /// ## Fix
    /// Show the approver what changed (`crisis diff PLAYBOOK --role legal`),
    /// then record their new approval with `crisis approve`.
    "CP602", "approval-stale", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    for assessed in context.assessment.records() {
        let (RoleState::Stale { changes }, Some((index, record))) =
            (&assessed.state, &assessed.record)
        else {
            continue;
        };
        out.push(context.finding(&RULE, loaded.approval_span(*index),
            format!(
                "the {} approval ({}, {}) is stale: {} since; show them `crisis diff {} --role {}`, then approve again",
                record.role,
                record.by,
                assess::human_date(&record.at),
                describe_changes(changes),
                loaded.playbook.id,
                record.role
            ),
        ));
    }
}
