use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::yaml::PathSeg;

declare_rule! {
    /// A role in `approvals_required` has not approved the playbook.
    ///
    /// ## Why it matters
    /// Pre-approval is the point of a playbook: legal, clinical and
    /// communications leads vet the words in calm times so that nobody waits
    /// for them in a crisis. Until every required role has approved, the
    /// words have not been vetted, and `crisis render` refuses them.
    ///
    /// ## Example
    /// ```yaml
    /// approvals_required: [communications, legal]
    /// approvals:
    ///   - role: communications
    ///     ...
    /// ```
    ///
    /// ## Fix
    /// Have the role read the playbook and its templates, then record it:
    /// `crisis approve PLAYBOOK --role legal --by "Name, Title"`.
    "CP601", "approval-missing", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    let playbook = &loaded.playbook;
    for (index, role) in playbook.approvals_required.iter().enumerate() {
        if playbook.approvals_required[..index].contains(role)
            || playbook.approvals.iter().any(|a| &a.role == role)
        {
            continue;
        }
        let span = loaded.span(&[
            PathSeg::Key("approvals_required".into()),
            PathSeg::Index(index),
        ]);
        out.push(loaded.diagnostic(
            RULE.code,
            Severity::Error,
            span,
            format!(
                "'{role}' has not approved this playbook; once they have read it, run `crisis approve {} --role {role} --by \"NAME, TITLE\"`",
                playbook.id
            ),
        ));
    }
}
