use crate::approval::RoleState;
use crate::diagnostic::Diagnostic;
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
    for assessed in context.assessment.records() {
        let (RoleState::Invalid { reason }, Some((index, record))) =
            (&assessed.state, &assessed.record)
        else {
            continue;
        };
        out.push(context.finding(
            &RULE,
            loaded.approval_span(*index),
            format!("the {} approval ({}): {reason}", record.role, record.by),
        ));
    }
}
