use crate::approval::SignatureProblem;
use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// An approval's key was not valid on the approval's date.
    ///
    /// The allowed signers line gives the key a period (`valid-after`,
    /// `valid-before`) that does not include the record's `at`.
    ///
    /// ## Why it matters
    /// Teams give keys a period: a key that expired, or one not yet in
    /// force, is not the person's key at that date. Checking the key at the
    /// approval's `at` keeps old approvals valid after a key's period ends
    /// (they were signed while it held) and stops a record dated outside
    /// the period.
    ///
    /// ## Example
    /// ```text
    /// dana@example.org valid-before="20241231Z" ssh-ed25519 AAAA...
    /// ```
    /// and a record `at: 2025-01-15` signed with that key.
    ///
    /// ## Fix
    /// Have the signer approve again with a key valid now: `crisis approve
    /// PLAYBOOK --role ROLE --key ...`.
    "CP613", "approval-key-validity", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    context.unproven_findings(
        &RULE,
        "at",
        |problem| matches!(problem, SignatureProblem::KeyNotValid { .. }),
        out,
    );
}
