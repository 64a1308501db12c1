use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// A template fails when it runs: lint renders every message in every
    /// language with the example values, with the optional fields left out,
    /// and in the worst case, and one of them failed.
    ///
    /// ## Why it matters
    /// A green lint promises the playbook renders in a crisis. Some errors
    /// appear only when a template runs: a date format chrono cannot write
    /// (`%Q`), a value of the wrong kind for a filter, a loop that runs out
    /// of fuel, a text that grows past any message's length.
    ///
    /// ## Example
    /// ```jinja
    /// {{ started_at | datetime("%Q") }}
    /// ```
    ///
    /// ## Fix
    /// Correct the template at the position shown; the message says which
    /// scenario failed, so the values that triggered it can be reproduced
    /// with `crisis render --set`.
    "CP210", "render-error", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut reported: Vec<usize> = Vec::new();
    for rendered in context.renders {
        let Err(problem) = &rendered.result else {
            continue;
        };
        // One finding per part: the first scenario that fails.
        if reported.contains(&rendered.part) {
            continue;
        }
        reported.push(rendered.part);
        let part = &context.parts()[rendered.part];
        let message = &context.loaded.playbook.messages[part.index];
        let mut problem = problem.clone();
        problem.message = format!(
            "message '{}' ({}) fails to render {}: {}",
            message.id, part.lang, rendered.label, problem.message
        );
        out.push(context.template_finding(&RULE, &problem));
    }
}
