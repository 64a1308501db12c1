use crate::diagnostic::Diagnostic;
use crate::field::FieldType;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// A text, link, email or number field without `max_len`, or another
    /// field with neither `example` nor `default`, so lint cannot check
    /// that messages using it fit with every value it accepts.
    ///
    /// ## Why it matters
    /// Fit is checked by rendering each message with realistic values. A
    /// field lint knows nothing about is a hole in that proof: the message
    /// may turn out too long only when the person on duty fills it in.
    ///
    /// ## Example
    /// ```yaml
    /// area: { type: text }
    /// ```
    ///
    /// ## Fix
    /// `area: { type: text, max_len: 30, example: "Pierce County" }`
    "CP112", "unverifiable-fit", Warning, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    for (name, field) in &loaded.playbook.fields {
        let bounded = field.max_len.is_some();
        let enumerated = field.kind == FieldType::Enum && !field.values.is_empty();
        // A text, a link, an address or a number can be as long as the
        // person on duty types it; only `max_len` lets lint check the
        // longest.
        let open_ended = matches!(
            field.kind,
            FieldType::Text | FieldType::Url | FieldType::Email | FieldType::Number
        );
        if open_ended && !bounded {
            out.push(context.finding(
                &RULE,
                loaded.field_span(name, None),
                format!(
                    "{} field '{name}' has no `max_len`, so lint cannot check that messages fit with a longer value than the example; add `max_len:`",
                    field.kind.name()
                ),
            ));
            continue;
        }
        if field.example.is_none() && field.default.is_none() && !bounded && !enumerated {
            out.push(context.finding(&RULE, loaded.field_span(name, None),
                format!(
                    "field '{name}' has neither example nor default, so lint cannot check that messages fit; add `example:`{}",
                    if field.kind == FieldType::Text { " or `max_len:`" } else { "" }
                ),
            ));
        }
    }
}
