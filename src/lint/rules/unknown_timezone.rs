use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::yaml::PathSeg;

declare_rule! {
    /// A `timezone` that is not an IANA zone name.
    ///
    /// ## Why it matters
    /// Event times typed by the person on duty, due times of follow-ups and
    /// the time-to-post clock are all read in this zone.
    ///
    /// ## Example
    /// ```yaml
    /// timezone: PST
    /// ```
    ///
    /// ## Fix
    /// `timezone: America/Los_Angeles`
    "CP106", "unknown-timezone", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    if let Err(message) = crate::event::zone(&loaded.playbook) {
        let path = [PathSeg::Key("timezone".into())];
        let span = loaded
            .tree
            .find(&path)
            .map_or_else(|| loaded.span(&path), |n| n.span);
        out.push(context.finding(&RULE, span, message));
    }
}
