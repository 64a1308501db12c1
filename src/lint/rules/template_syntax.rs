use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// A template that does not parse, reported at the template's own line
    /// (also when it is a template another one includes or extends).
    ///
    /// ## Why it matters
    /// A template that fails to compile produces no message at all.
    ///
    /// ## Example
    /// ```jinja
    /// Call {{ phone } now.
    /// ```
    ///
    /// ## Fix
    /// Close the expression: `Call {{ phone }} now.`
    "CP204", "template-syntax", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    for part in context.parts() {
        if let Some(Err(problems)) = &part.compiled {
            for problem in problems.iter().filter(|p| p.syntax) {
                out.push(context.template_finding(&RULE, problem));
            }
        }
    }
}
