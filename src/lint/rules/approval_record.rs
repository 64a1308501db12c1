use crate::approval::assess;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// An approval record that cannot be checked.
    ///
    /// ## Why it matters
    /// A record with an unreadable date never expires, one whose digest is
    /// not a digest matches nothing, and with two records for one role it is
    /// unclear which holds. Each is a record nobody can rely on.
    ///
    /// ## Example
    /// ```yaml
    ///   - role: legal
    ///     at: last Tuesday
    /// ```
    ///
    /// ## Fix
    /// Remove the record and approve again with `crisis approve`, which
    /// writes records in the form lint checks.
    "CP606", "approval-record", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    let approvals = &loaded.playbook.approvals;
    for (index, record) in approvals.iter().enumerate() {
        let Some(problem) = assess::record_problem(record, index, approvals) else {
            continue;
        };
        let span = loaded.approval_span(index);
        out.push(loaded.diagnostic(
            RULE.code,
            Severity::Error,
            span,
            format!("the {} approval ({}): {problem}", record.role, record.by),
        ));
    }
}
