use crate::approval::RoleState;
use crate::diagnostic::Diagnostic;
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
    /// `crisis approve PLAYBOOK --role legal --by "Name, Title"` (in a
    /// catalog that requires signed approvals, `--key ~/.ssh/id_ed25519`).
    "CP601", "approval-missing", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    let playbook = &loaded.playbook;
    for role in &context.assessment.roles {
        if role.state != RoleState::Missing {
            continue;
        }
        // Point at the role in the playbook's list, or at the top of the
        // file when the catalog's policy requires it.
        let span = match playbook
            .approvals_required
            .iter()
            .position(|r| r == &role.role)
        {
            Some(index) => loaded.span(&[
                PathSeg::Key("approvals_required".into()),
                PathSeg::Index(index),
            ]),
            None => loaded.span(&[PathSeg::Key("id".into())]),
        };
        let by_policy = if playbook.approvals_required.contains(&role.role) {
            ""
        } else {
            " (crisis.yaml requires it of every playbook)"
        };
        // In a catalog that requires signatures, approving means signing.
        let how = if context.settings.approvals.signed {
            "--key ~/.ssh/id_ed25519"
        } else {
            "--by \"NAME, TITLE\""
        };
        out.push(context.finding(
            &RULE,
            span,
            format!(
                "'{}' has not approved this playbook{by_policy}; once they have read it, run `crisis approve {} --role {} {how}`",
                role.role, playbook.id, role.role
            ),
        ));
    }
}
