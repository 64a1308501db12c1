use crate::approval::signature::{list_or_nobody, sign_again};
use crate::approval::SignatureProblem;
use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// An approval record is not signed where the catalog requires signatures.
    ///
    /// The catalog's `crisis.yaml` says `approvals.signed: true` and the
    /// record has no signature, or (in any catalog) a `signer` without a
    /// `signature` or the reverse.
    ///
    /// ## Why it matters
    /// Without a signature, `by` is text anyone who can commit to the
    /// catalog could have typed. A catalog that requires signatures promises
    /// an auditor that every approval was given by a person who holds the
    /// role, with their own key; an unsigned record breaks that promise, so
    /// render refuses the playbook. A record with a `signer` but no
    /// `signature` (or the reverse) proves nothing either, in any catalog.
    ///
    /// ## Example
    /// ```yaml
    /// # crisis.yaml: approvals: { signed: true, signers: allowed_signers, ... }
    /// approvals:
    ///   - role: legal
    ///     by: Dana Reyes, Associate General Counsel
    ///     at: 2025-01-15
    ///     ...                  # no signer, no signature
    /// ```
    ///
    /// ## Fix
    /// Have a person that `approvals.roles` lists for the role sign it:
    /// `crisis approve PLAYBOOK --role legal --key ~/.ssh/id_ed25519` (or
    /// `--key agent`).
    "CP608", "approval-unsigned", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    let id = &loaded.playbook.id;
    for (assessed, index, problem) in context.unproven() {
        let message = match problem {
            SignatureProblem::Unsigned { holders } => format!(
                "the {} approval is not signed, and this catalog requires signed approvals (approvals.signed in crisis.yaml); {}",
                assessed.role,
                sign_again(id, &assessed.role, &format!("a person who holds the role ({})", list_or_nobody(holders)))
            ),
            SignatureProblem::Incomplete { missing } => format!(
                "the {} approval's signature is incomplete: it has no `{missing}`; {}",
                assessed.role,
                sign_again(id, &assessed.role, "its approver")
            ),
            _ => continue,
        };
        out.push(context.finding(&RULE, loaded.approval_span(index), message));
    }
}
