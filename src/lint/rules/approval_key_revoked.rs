use crate::approval::signature::sign_again;
use crate::approval::SignatureProblem;
use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// An approval was signed with a revoked key.
    ///
    /// The key is in the file `approvals.revoked_keys` names.
    ///
    /// ## Why it matters
    /// A key is revoked when it was lost or stolen: whoever holds it could
    /// have signed anything, on any date. Every record it signed counts for
    /// nothing, even if the allowed signers file still lists it.
    ///
    /// ## Example
    /// ```text
    /// # revoked_keys
    /// ssh-ed25519 AAAA... dana's stolen laptop
    /// ```
    ///
    /// ## Fix
    /// Have the signer approve again with their new key; remove the revoked
    /// key from the allowed signers file.
    "CP614", "approval-key-revoked", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    for (assessed, index, problem) in context.unproven() {
        let SignatureProblem::Revoked { .. } = problem else {
            continue;
        };
        let signer = assessed
            .signature
            .as_ref()
            .map_or("its approver", |s| s.signer.as_str());
        out.push(context.finding(
            &RULE,
            context.approval_key_span(index, "signature"),
            format!(
                "the {} approval: {}; {}",
                assessed.role,
                problem.describe(&assessed.role, Some(signer)),
                sign_again(&loaded.playbook.id, &assessed.role, signer)
            ),
        ));
    }
}
