use crate::approval::signature::{list_or_nobody, sign_again};
use crate::approval::SignatureProblem;
use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// An approval is signed by a person who does not hold its role.
    ///
    /// `approvals.roles` in `crisis.yaml` does not list the record's
    /// `signer` for the record's role.
    ///
    /// ## Why it matters
    /// A valid signature proves who signed, not that they may approve. The
    /// legal approval is worth something because counsel gave it; the same
    /// words signed by a communications officer are not a legal review.
    ///
    /// ## Example
    /// ```yaml
    /// # crisis.yaml
    /// approvals:
    ///   roles: { legal: [dana@example.org] }
    /// # playbook
    ///   - role: legal
    ///     signer: sam@example.org
    /// ```
    ///
    /// ## Fix
    /// Have a person who holds the role approve with `crisis approve
    /// --key`, or, if the signer does hold it now, add them under
    /// `approvals.roles` (a reviewed change to `crisis.yaml`).
    "CP612", "approval-signer-role", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    for (assessed, index, problem) in context.unproven() {
        let SignatureProblem::NoRole { holders } = problem else {
            continue;
        };
        let signer = assessed
            .signature
            .as_ref()
            .map_or("its signer", |s| s.signer.as_str());
        out.push(context.finding(
            &RULE,
            context.approval_key_span(index, "signer"),
            format!(
                "the {} approval: {}; {}",
                assessed.role,
                problem.describe(&assessed.role, Some(signer)),
                if holders.is_empty() {
                    format!(
                        "nobody holds '{}' in crisis.yaml's approvals.roles: add the principals who may approve for it, then have one of them sign",
                        assessed.role
                    )
                } else {
                    sign_again(
                        &loaded.playbook.id,
                        &assessed.role,
                        &format!("a person who holds the role ({})", list_or_nobody(holders)),
                    )
                }
            ),
        ));
    }
}
