use crate::approval::SignatureProblem;
use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// An approval was signed in another namespace than `crisis-approval`.
    ///
    /// ## Why it matters
    /// An OpenSSH signature names what it is for (`git` for commits, `file`
    /// for files). People sign many things with the same key; a signature
    /// made for something else, over the same bytes, is not a decision to
    /// approve a playbook, and `ssh-keygen -Y verify -n crisis-approval`
    /// refuses it too.
    ///
    /// ## Example
    /// A signature made with `ssh-keygen -Y sign -n git` pasted into the
    /// record.
    ///
    /// ## Fix
    /// Sign with `crisis approve --key`, or with `ssh-keygen -Y sign -n
    /// crisis-approval` over the statement `crisis verify PLAYBOOK
    /// --statement ROLE` prints.
    "CP610", "approval-namespace", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    context.unproven_findings(
        &RULE,
        "signature",
        |problem| matches!(problem, SignatureProblem::Namespace { .. }),
        out,
    );
}
