use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::yaml::PathSeg;

declare_rule! {
    /// A playbook with no sign-off checklist.
    ///
    /// ## Why it matters
    /// The checklist is what the communications, legal and clinical leads
    /// agreed must be confirmed before posting. A playbook without one is not
    /// pre-approved, however good its words.
    ///
    /// ## Example
    /// A playbook with `fields:` and `messages:` but no `signoff:`.
    ///
    /// ## Fix
    /// ```yaml
    /// signoff:
    ///   - { role: Communications lead, confirm: Event details verified with two independent sources }
    /// ```
    "CP104", "missing-signoff", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    if loaded.playbook.signoff.is_empty() {
        let path = [PathSeg::Key("signoff".into())];
        let what = if loaded.tree.get("signoff").is_some() {
            "the sign-off list is empty"
        } else {
            "no sign-off list"
        };
        out.push(context.finding(&RULE, loaded.span(&path),
            format!("{what}: a playbook without sign-off is not pre-approved; add `signoff:` with a role and what it confirms"),
        ));
    }
}
