use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::template::BUILTIN_VARIABLES;

declare_rule! {
    /// A template uses a variable the playbook does not declare as a field.
    ///
    /// ## Why it matters
    /// Render refuses undefined variables rather than post "Call  now", so an
    /// undeclared name would stop the message in a crisis. Usually it is a
    /// typo (`{{ phon }}`) or a field removed from the playbook.
    ///
    /// ## Example
    /// ```jinja
    /// Call {{ phon }} now.
    /// ```
    ///
    /// ## Fix
    /// Declare the field under `fields:`, or correct the name. Built in:
    /// `started_at` and `lang`.
    "CP205", "undeclared-variable", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let fields = &context.loaded.playbook.fields;
    for (part, _, compiled) in context.compiled_parts() {
        for (name, (template, span)) in &compiled.variables {
            if fields.contains_key(name) || BUILTIN_VARIABLES.contains(&name.as_str()) {
                continue;
            }
            let declared = fields.keys().map(String::as_str).chain(BUILTIN_VARIABLES);
            let hint = crate::suggest::did_you_mean(name, declared)
                .map(|s| format!("did you mean '{s}'?"))
                .unwrap_or_else(|| "declare it under `fields:`".to_owned());
            let Some(source) = context.prepared.sources.get(template) else {
                continue;
            };
            let (rel, span) = crate::template::locate_span(source, *span);
            let problem = crate::template::Problem {
                rel,
                span,
                message: format!(
                    "template of message '{}' ({}) uses '{name}', which the playbook does not declare; {hint}",
                    context.loaded.playbook.messages[part.index].id,
                    part.lang
                ),
                syntax: false,
            };
            out.push(context.template_finding(&RULE, &problem));
        }
    }
}
