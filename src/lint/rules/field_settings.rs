use crate::diagnostic::Diagnostic;
use crate::field::{FieldType, STARTED_AT};
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// A field whose settings contradict its type: an `enum` without
    /// `values`, `values` on another type, `max_len` on a datetime or enum
    /// field, `charset` on a field other than text, url or email,
    /// `multiline` on a field that is not text, an enum value that is
    /// empty or has spaces at its ends (typed values are trimmed, so it
    /// could never be chosen), or a field named like the built-in
    /// `started_at`.
    ///
    /// ## Why it matters
    /// Settings that do nothing give authors and reviewers a false sense of
    /// safety: a `max_len` on a URL field is never checked.
    ///
    /// ## Example
    /// ```yaml
    /// severity: { type: enum }
    /// ```
    ///
    /// ## Fix
    /// `severity: { type: enum, values: [minor, major, critical] }`
    "CP111", "field-settings", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    for (name, field) in &loaded.playbook.fields {
        let mut report = |key: Option<&str>, message: String| {
            out.push(context.finding(&RULE, loaded.field_span(name, key), message))
        };
        if name == STARTED_AT {
            report(None, format!("'{STARTED_AT}' is built in (a date and time in the playbook's zone); remove this field"));
        }
        let is_text = field.kind == FieldType::Text;
        if field.kind == FieldType::Enum && field.values.is_empty() {
            report(
                Some("type"),
                format!("enum field '{name}' has no `values`; list the allowed values"),
            );
        }
        // Typed values are trimmed, so a value with spaces at its ends (or
        // an empty one) could never be chosen, though lint would try it.
        if let Some(value) = field
            .values
            .iter()
            .find(|v| v.is_empty() || v.trim() != v.as_str())
        {
            report(
                Some("values"),
                format!("value {value:?} of '{name}' is empty or has spaces at its ends, so nobody can type it; remove the spaces"),
            );
        }
        if field.kind != FieldType::Enum && !field.values.is_empty() {
            report(
                Some("values"),
                format!(
                    "`values` only applies to enum fields, and '{name}' is {}",
                    field.kind.name()
                ),
            );
        }
        let bounded_kind = matches!(
            field.kind,
            FieldType::Text
                | FieldType::Url
                | FieldType::Email
                | FieldType::Number
                | FieldType::Phone
        );
        if !bounded_kind && field.max_len.is_some() {
            report(
                Some("max_len"),
                format!(
                    "`max_len` only applies to text, url, email, number and phone fields, and '{name}' is {}",
                    field.kind.name()
                ),
            );
        }
        let written = matches!(
            field.kind,
            FieldType::Text | FieldType::Url | FieldType::Email
        );
        if !written && field.charset.is_some() {
            report(
                Some("charset"),
                format!(
                    "`charset` only applies to text, url and email fields, and '{name}' is {}",
                    field.kind.name()
                ),
            );
        }
        if !is_text && field.multiline {
            report(
                Some("multiline"),
                format!(
                    "`multiline` only applies to text fields, and '{name}' is {}",
                    field.kind.name()
                ),
            );
        }
    }
}
