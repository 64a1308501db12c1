use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use std::collections::BTreeSet;

declare_rule! {
    /// A declared field that no template uses.
    ///
    /// ## Why it matters
    /// The person on duty is asked for it and checks it under pressure, but
    /// it never appears in a message: wasted minutes, or a template that
    /// forgot it.
    ///
    /// ## Example
    /// `place: { type: text }` declared, and no template reads `{{ place }}`.
    ///
    /// ## Fix
    /// Use the field in the templates that need it, or remove it.
    "CP206", "unused-field", Warning, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    // A playbook whose templates did not all compile cannot say what is used.
    if context
        .parts()
        .iter()
        .any(|p| !matches!(p.compiled, Some(Ok(_))))
    {
        return;
    }
    let used: BTreeSet<&str> = context
        .compiled_parts()
        .flat_map(|(_, _, compiled)| compiled.variables.keys().map(String::as_str))
        .collect();
    for name in loaded.playbook.fields.keys() {
        if !used.contains(name.as_str()) {
            out.push(context.finding(
                &RULE,
                loaded.field_span(name, None),
                format!("field '{name}' is declared but no template uses it; use it or remove it"),
            ));
        }
    }
}
