use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::template::Missing;

declare_rule! {
    /// A message has no inline text (or subject) for one of its languages.
    ///
    /// ## Why it matters
    /// A playbook that declares Spanish promises Spanish speakers the same
    /// help at the same time. A missing translation found in a crisis means
    /// translating under pressure, unreviewed.
    ///
    /// ## Example
    /// ```yaml
    /// languages: [en, es]
    /// messages:
    ///   - { id: announce-sms, channel: sms, text: { en: "..." } }
    /// ```
    ///
    /// ## Fix
    /// Add the missing language (`es: "..."`), or limit the message with
    /// `languages: [en]`.
    "CP202", "missing-language", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    for part in context.parts() {
        if matches!(part.source, Err(Missing::Language)) {
            let message = &loaded.playbook.messages[part.index];
            let key = part.key(message);
            out.push(context.finding(&RULE, loaded.message_span(part.index, key),
                format!(
                    "message '{}' has no {key} in '{}'; add `{}: ...` under `{key}`, or limit the message with `languages:`",
                    message.id, part.lang, part.lang
                ),
            ));
        }
    }
}
