use crate::approval::assess;
use crate::diagnostic::{Diagnostic, Severity};
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
    let playbook = &loaded.playbook;
    for (index, record) in playbook.approvals.iter().enumerate() {
        if !playbook.approvals_required.contains(&record.role)
            || assess::record_problem(record, index, &playbook.approvals).is_some()
        {
            continue;
        }
        let Ok(Some(end)) = assess::ends(record) else {
            continue;
        };
        if end > context.options.now {
            continue;
        }
        let span = loaded.approval_span(index);
        out.push(loaded.diagnostic(
            RULE.code,
            Severity::Error,
            span,
            format!(
                "the {} approval ({}) expired: it was valid until {}; have them review the playbook and run `crisis approve {} --role {}`",
                record.role,
                record.by,
                assess::human_date(record.until.as_deref().unwrap_or_default()),
                playbook.id,
                record.role
            ),
        ));
    }
}
