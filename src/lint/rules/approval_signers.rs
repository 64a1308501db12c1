use crate::approval::SignatureProblem;
use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// The allowed signers or revoked keys file cannot be used.
    ///
    /// A file `crisis.yaml` names (`approvals.signers`,
    /// `approvals.revoked_keys`) cannot be read, or a line in it cannot be
    /// used.
    ///
    /// ## Why it matters
    /// These files decide whose signatures count. A missing file means no
    /// signature can be checked, so every signed approval is unproven; a
    /// line that cannot be read is a key that silently does not count (or,
    /// in the revoked keys, a revocation that silently does not apply).
    /// Lint reports each line, and each record it leaves unchecked.
    ///
    /// ## Example
    /// ```text
    /// dana@example.org namespace="crisis-approval" ssh-ed25519 AAAA...
    /// ```
    /// (the option is `namespaces`).
    ///
    /// ## Fix
    /// Write each line as `ssh-keygen` reads it: `principals [options] key`,
    /// with options `namespaces="..."`, `valid-after="YYYYMMDD[HHMM[SS]]Z"`
    /// and `valid-before`; revoked keys as public keys, one a line.
    "CP615", "approval-signers", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    for (assessed, index, problem) in context.unproven() {
        let SignatureProblem::Unverifiable { .. } = problem else {
            continue;
        };
        out.push(context.finding(
            &RULE,
            context.approval_key_span(index, "signature"),
            format!(
                "the {} approval: {}; fix the file, then run `crisis lint` again",
                assessed.role,
                problem.describe(&assessed.role, None)
            ),
        ));
    }
}
