use crate::approval::RoleState;
use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::yaml::PathSeg;

declare_rule! {
    /// An approval record for a role that `approvals_required` does not list.
    ///
    /// ## Why it matters
    /// It counts for nothing: either the role was dropped from
    /// `approvals_required` (and the record is clutter that misleads
    /// readers), or its name is misspelt and the role it was meant for still
    /// shows as missing. It is a warning because it cannot make unvetted
    /// words look approved.
    ///
    /// ## Example
    /// ```yaml
    /// approvals_required: [communications, legal]
    /// approvals:
    ///   - role: legl
    /// ```
    ///
    /// ## Fix
    /// Remove the record, or add the role to `approvals_required` (its
    /// approval must then match the content like any other).
    "CP605", "approval-unknown-role", Warning, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    let required: Vec<&str> = context
        .assessment
        .roles
        .iter()
        .map(|r| r.role.as_str())
        .collect();
    for assessed in &context.assessment.unrequired {
        // A stale or unreadable record is reported by its own rule; a
        // second record for a required role is unreadable.
        if !assessed.state.is_valid() && assessed.state != RoleState::Expired {
            continue;
        }
        let Some((index, record)) = &assessed.record else {
            continue;
        };
        let hint = if required.is_empty() {
            "this playbook requires no approvals (add `approvals_required`, or remove the record)"
                .to_owned()
        } else {
            match crate::suggest::did_you_mean(&record.role, required.iter().copied()) {
                Some(near) => format!("did you mean '{near}'?"),
                None => format!("required roles: {}", required.join(", ")),
            }
        };
        let span = loaded.span(&[
            PathSeg::Key("approvals".into()),
            PathSeg::Index(*index),
            PathSeg::Key("role".into()),
        ]);
        out.push(context.finding(
            &RULE,
            span,
            format!(
                "approval for '{}', which is not in approvals_required, counts for nothing; {hint}",
                record.role
            ),
        ));
    }
}
