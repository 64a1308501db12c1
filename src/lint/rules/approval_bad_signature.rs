use crate::approval::signature::sign_again;
use crate::approval::SignatureProblem;
use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// An approval's signature is unreadable or not of the record as it stands.
    ///
    /// ## Why it matters
    /// The signature covers the record's role, signer, `by`, `at`, `until`
    /// and content digest (the statement in `docs/approvals.md`). If it no
    /// longer verifies, the record was changed after it was signed (a later
    /// date, another name, the digest of other words), or the signature was
    /// copied from another approval. Either way the record does not say
    /// what its signer approved.
    ///
    /// ## Example
    /// ```yaml
    ///   - role: legal
    ///     at: 2025-06-15        # signed as 2025-01-15
    ///     signer: dana@example.org
    ///     signature: |
    ///       -----BEGIN SSH SIGNATURE-----
    ///       ...
    /// ```
    ///
    /// ## Fix
    /// Restore the record as it was signed, or have the signer approve
    /// again with `crisis approve --key`, which writes a new signature.
    /// `crisis verify PLAYBOOK --statement ROLE` prints the bytes the
    /// signature should be of.
    "CP609", "approval-bad-signature", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    for (assessed, index, problem) in context.unproven() {
        let what = match problem {
            SignatureProblem::Unreadable { .. } | SignatureProblem::Mismatch => {
                problem.describe(&assessed.role, None)
            }
            _ => continue,
        };
        let signer = assessed
            .signature
            .as_ref()
            .map_or("its approver", |s| s.signer.as_str());
        out.push(context.finding(
            &RULE,
            context.approval_key_span(index, "signature"),
            format!(
                "the {} approval: {what}; {}",
                assessed.role,
                sign_again(&loaded.playbook.id, &assessed.role, signer)
            ),
        ));
    }
}
