use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use std::collections::BTreeMap;

declare_rule! {
    /// Two messages of one playbook share an `id`.
    ///
    /// ## Why it matters
    /// `render --out` writes `<id>.<lang>.txt`: the second message would
    /// overwrite the first, and the wrong words could be posted.
    ///
    /// ## Example
    /// ```yaml
    /// messages:
    ///   - { id: announce, channel: x, template: helpline/announce-x.{lang}.j2 }
    ///   - { id: announce, channel: sms, text: { en: "..." } }
    /// ```
    ///
    /// ## Fix
    /// Give each message its own id, such as `announce-x` and `follow-up-x`.
    "CP105", "duplicate-message-id", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, message) in loaded.playbook.messages.iter().enumerate() {
        if let Some(first) = seen.insert(&message.id, i) {
            seen.insert(&message.id, first);
            out.push(context.finding(&RULE, loaded.message_span(i, "id"),
                format!(
                    "message id '{}' is already used by message {} (line {}); give each message its own id",
                    message.id,
                    first + 1,
                    loaded.message_span(first, "id").line
                ),
            ));
        }
    }
}
