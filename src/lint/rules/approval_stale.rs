use crate::approval::assess::{self, describe_changes};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::yaml::PathSeg;

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
    let playbook = &loaded.playbook;
    let checked: Vec<(usize, &crate::playbook::Approval)> = playbook
        .approvals
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            playbook.approvals_required.contains(&a.role)
                && assess::record_problem(a, *i, &playbook.approvals).is_none()
        })
        .collect();
    if checked.is_empty() {
        return;
    }
    let content = match assess::current_digest(context.catalog, loaded) {
        Ok(content) => content,
        Err(reason) => {
            out.push(loaded.diagnostic(
                RULE.code,
                Severity::Error,
                loaded.span(&[PathSeg::Key("approvals".into())]),
                format!("{reason}; the approvals cannot be checked"),
            ));
            return;
        }
    };
    for (index, record) in checked {
        let Some(changes) = assess::changes(record, &content) else {
            continue;
        };
        let span = loaded.approval_span(index);
        out.push(loaded.diagnostic(
            RULE.code,
            Severity::Error,
            span,
            format!(
                "the {} approval ({}, {}) is stale: {} since; show them `crisis diff {} --role {}`, then approve again",
                record.role,
                record.by,
                assess::human_date(&record.at),
                describe_changes(&changes),
                playbook.id,
                record.role
            ),
        ));
    }
}
