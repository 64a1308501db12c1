use crate::approval::SignatureProblem;
use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// An approval's key is not one the allowed signers list for its signer.
    ///
    /// The allowed signers file `approvals.signers` names has no line with
    /// this key for the record's `signer` that allows the `crisis-approval`
    /// namespace.
    ///
    /// ## Why it matters
    /// Anyone can make a key and sign with it; a signature proves who
    /// approved only when the key is one the catalog trusts for that person.
    /// A key that was never listed, one listed for someone else, and one
    /// removed from the file when its owner rotated keys or left all count
    /// for nothing, and every record they signed must be signed again. A
    /// line whose `namespaces` option leaves out `crisis-approval` does not
    /// allow approvals either.
    ///
    /// ## Example
    /// ```text
    /// # allowed_signers: Dana's old key was replaced by a new one
    /// dana@example.org ssh-ed25519 AAAA...new
    /// ```
    /// and a record signed by `dana@example.org` with the old key.
    ///
    /// ## Fix
    /// Have the signer approve again with a listed key: `crisis approve
    /// PLAYBOOK --role ROLE --key ~/.ssh/id_ed25519`. If the key should
    /// count, add it to the allowed signers file (a reviewed change).
    "CP611", "approval-unknown-key", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    context.unproven_findings(
        &RULE,
        "signer",
        |problem| matches!(problem, SignatureProblem::UnknownKey { .. }),
        out,
    );
}
