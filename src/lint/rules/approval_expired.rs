use crate::approval::assess;
use crate::approval::RoleState;
use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// An approval is past its `until` date.
    ///
    /// ## Why it matters
    /// Facts, phone numbers, laws and people change. An approval that lapsed
    /// a year ago says nothing about whether the words are still right, so
    /// each approval carries an end date and must be renewed.
    ///
    /// ## Example
    /// ```yaml
    ///   - role: legal
    ///     until: 2024-01-15
    /// ```
    /// checked on 2025-03-01 (the clock is `--now`, default: now).
    ///
    /// ## Fix
    /// Have the role read the playbook again and run `crisis approve` (the
    /// new record replaces the old one).
    "CP603", "approval-expired", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    for assessed in &context.assessment.roles {
        let (RoleState::Expired, Some((index, record))) = (&assessed.state, &assessed.record)
        else {
            continue;
        };
        out.push(context.finding(&RULE, loaded.approval_span(*index),
            format!(
                "the {} approval ({}) expired: it was valid until {}; have them review the playbook and run `crisis approve {} --role {}`",
                record.role,
                record.by,
                assess::human_date(record.until.as_deref().unwrap_or_default()),
                loaded.playbook.id,
                record.role
            ),
        ));
    }
}
