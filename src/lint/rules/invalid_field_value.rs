use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use chrono_tz::Tz;

declare_rule! {
    /// A field's `example` or `default` that render would reject.
    ///
    /// ## Why it matters
    /// A default is what gets posted when the person on duty leaves the
    /// field alone: if it is not a valid phone number or link, render stops
    /// at the worst moment. An invalid example makes every fit check
    /// meaningless.
    ///
    /// ## Example
    /// ```yaml
    /// phone: { type: phone, default: "call us" }
    /// ```
    ///
    /// ## Fix
    /// `phone: { type: phone, default: "1-800-555-0100" }`
    "CP110", "invalid-field-value", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    let zone = context.zone.unwrap_or(Tz::UTC);
    for (name, field) in &loaded.playbook.fields {
        for (key, value) in [("default", &field.default), ("example", &field.example)] {
            let Some(value) = value else { continue };
            if let Err(problem) = crate::event::normalize(name, field, value.as_str(), zone, None) {
                let span = loaded.field_span(name, Some(key));
                out.push(context.finding(
                    &RULE,
                    span,
                    format!("{key} of field '{name}' would be rejected at render time: {problem}"),
                ));
            }
        }
    }
}
