use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// A template does something message templates may not do, or pulls in
    /// a template that is missing, outside `templates/`, or itself.
    ///
    /// ## Why it matters
    /// A message template is approved words with blanks. Names computed at
    /// render time could load words no approval covers; assignments,
    /// macros, calls and `*` can make a template run away with memory; an
    /// unknown filter or a missing include fails only when the message is
    /// rendered, in the crisis. Words that show only for some values must
    /// show in what lint tries: so a condition may test a field itself,
    /// compare an enum field or `lang`, or use `loop.first`/`loop.last`,
    /// never a worked-out value (`{% if area|length > 7 %}`,
    /// `area[3:] or "..."`, `loop.index0`); arithmetic on a
    /// value is refused (`area|length - 9` is "-8" for a short value);
    /// date formats are literal; and a
    /// loop variable never takes the name of a field, `lang` or
    /// `started_at`, which an included template would read as the real
    /// one. Every template a message includes or extends is checked like
    /// the message's own.
    ///
    /// ## Example
    /// ```jinja
    /// {% include "footer." ~ lang ~ ".j2" %}
    /// {% set greeting = "Hello" %}
    /// {% if area | length - 7 %}Go to the hospital instead.{% endif %}
    /// ```
    ///
    /// ## Fix
    /// Name included templates literally (`{% include "footer.en.j2" %}`),
    /// use fields and `{% if %}` instead of assignments, and keep to the
    /// filters `crisis rules CP209` lists in its message.
    "CP209", "template-not-allowed", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let fields = &context.loaded.playbook.fields;
    let mut reported = Vec::new();
    for part in context.parts() {
        match &part.compiled {
            Some(Err(problems)) => {
                for problem in problems.iter().filter(|p| !p.syntax) {
                    out.push(context.template_finding(&RULE, problem));
                }
            }
            Some(Ok(compiled)) => {
                let mut compared_enums: Vec<&str> = compiled
                    .compared
                    .iter()
                    .filter_map(|(s, _, _)| s.as_deref())
                    .filter(|n| {
                        fields
                            .get(*n)
                            .is_some_and(|f| f.kind == crate::field::FieldType::Enum)
                    })
                    .collect();
                compared_enums.sort_unstable();
                compared_enums.dedup();
                let combinations = compared_enums
                    .iter()
                    .map(|n| fields[*n].values.len().max(1))
                    .fold(1usize, |a, b| a.saturating_mul(b));
                if combinations > crate::lint::renders::MAX_ENUM_COMBINATIONS {
                    let message = &context.loaded.playbook.messages[part.index];
                    out.push(context.finding(
                        &RULE,
                        context.loaded.message_span(part.index, part.key(message)),
                        format!(
                            "message '{}' compares enum fields with {combinations} combinations of values ({}); lint tries at most {}: split the message",
                            message.id,
                            compared_enums.join(", "),
                            crate::lint::renders::MAX_ENUM_COMBINATIONS
                        ),
                    ));
                }
                // A comparison makes the words depend on the value: only
                // values lint tries in full may be compared.
                for (subject, template, span) in &compiled.compared {
                    // Not `loop`: a loop over a value's letters runs as
                    // often as the value is long, so `loop.index == 30`
                    // would show words only long values bring out.
                    let tried = subject.as_deref().is_some_and(|name| {
                        name == "lang"
                            || fields
                                .get(name)
                                .is_some_and(|f| f.kind == crate::field::FieldType::Enum)
                    });
                    if tried {
                        continue;
                    }
                    let what = subject.as_deref().map_or("an expression".to_owned(), |n| {
                        format!("'{n}', which is not an enum field")
                    });
                    refuse(context, &mut reported, out, template, *span, format!(
                        "this comparison looks at {what}: the words would depend on a value lint cannot try in full; compare only enum fields (lint tries each value) or lang, test whether a field is given with {{% if field %}}, or use loop.first and loop.last"
                    ));
                }
                // A loop variable named like a field: an included template
                // would read it as the field.
                for (name, template, span) in &compiled.loop_targets {
                    if fields.contains_key(name) {
                        refuse(context, &mut reported, out, template, *span, format!(
                            "a loop variable may not be named like the field '{name}': an included template would read it as the field; choose another name"
                        ));
                    }
                }
                // `datetime` and `at_time` only on a date and time: on any other value they
                // fails when that value is given, in the crisis.
                for (input, template, span) in &compiled.datetime_inputs {
                    let is_datetime = input.as_deref().is_some_and(|name| {
                        name == crate::field::STARTED_AT
                            || fields
                                .get(name)
                                .is_some_and(|f| f.kind == crate::field::FieldType::Datetime)
                    });
                    if is_datetime {
                        continue;
                    }
                    let what = input.as_deref().map_or("an expression".to_owned(), |n| {
                        format!("'{n}', which is not a datetime field")
                    });
                    refuse(context, &mut reported, out, template, *span, format!(
                        "a time filter (`datetime`, `at_time`) is applied to {what}; apply it to started_at or a field of type datetime"
                    ));
                }
            }
            None => {}
        }
    }
}

/// A finding at a position in one of the message's templates, once per
/// place however many parts share the template.
fn refuse<'a>(
    context: &PlaybookContext<'_>,
    reported: &mut Vec<(&'a String, usize)>,
    out: &mut Vec<Diagnostic>,
    template: &'a String,
    span: crate::span::Span,
    message: String,
) {
    if reported.contains(&(template, span.start)) {
        return;
    }
    reported.push((template, span.start));
    let Some(source) = context.prepared.sources.get(template) else {
        return;
    };
    let (rel, span) = crate::template::locate_span(source, span);
    out.push(context.template_finding(
        &RULE,
        &crate::template::Problem {
            rel,
            span,
            message,
            syntax: false,
        },
    ));
}
