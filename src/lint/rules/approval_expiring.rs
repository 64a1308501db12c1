use crate::approval::assess;
use crate::approval::RoleState;
use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// An approval ends soon (within 30 days, or `--expiring-within DAYS`).
    ///
    /// ## Why it matters
    /// When an approval lapses, `crisis render` refuses the playbook. A
    /// crisis does not wait for the approver to come back from leave, so
    /// renewal has to happen before the date, not after.
    ///
    /// ## Example
    /// ```yaml
    ///   - role: legal
    ///     until: 2025-03-15
    /// ```
    /// checked on 2025-03-01: it ends in 14 days.
    ///
    /// ## Fix
    /// Ask the role to review the playbook now and run `crisis approve`
    /// again; the new record replaces the old one.
    "CP604", "approval-expiring", Warning, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    for assessed in &context.assessment.roles {
        let (RoleState::Expiring { days }, Some((index, record))) =
            (&assessed.state, &assessed.record)
        else {
            continue;
        };
        let when = match days {
            0 => "within a day".to_owned(),
            1 => "in 1 day".to_owned(),
            n => format!("in {n} days"),
        };
        out.push(context.finding(&RULE, loaded.approval_span(*index),
            format!(
                "the {} approval ({}) expires {when} (valid until {}); ask them to review and run `crisis approve {} --role {}` before then",
                record.role,
                record.by,
                assess::human_date(record.until.as_deref().unwrap_or_default()),
                loaded.playbook.id,
                record.role
            ),
        ));
    }
}
