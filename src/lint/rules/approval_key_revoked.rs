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
    context.unproven_findings(
        &RULE,
        "signature",
        |problem| matches!(problem, SignatureProblem::Revoked { .. }),
        out,
    );
}
