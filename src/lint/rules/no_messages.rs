use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::yaml::PathSeg;

declare_rule! {
    /// A playbook with no messages.
    ///
    /// ## Why it matters
    /// A playbook exists to post something. One with `messages: []` lints
    /// clean on everything else and renders an empty packet in a crisis.
    ///
    /// ## Example
    /// ```yaml
    /// messages: []
    /// ```
    ///
    /// ## Fix
    /// Add at least one message, or remove the playbook.
    "CP108", "no-messages", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    if loaded.playbook.messages.is_empty() {
        out.push(context.finding(
            &RULE,
            loaded.span(&[PathSeg::Key("messages".into())]),
            "the playbook has no messages; add at least one",
        ));
    }
}
