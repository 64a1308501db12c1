use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::template::{Missing, Part};

declare_rule! {
    /// A message with both `template` and `text`, or with neither.
    ///
    /// ## Why it matters
    /// With both, nobody can tell which words were approved; with neither,
    /// there is nothing to post.
    ///
    /// ## Example
    /// ```yaml
    /// - id: announce-sms
    ///   channel: sms
    /// ```
    ///
    /// ## Fix
    /// Keep exactly one: `template: helpline/announce-x.{lang}.j2`, or
    /// `text: { en: "..." }`.
    "CP207", "message-source", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    let mut reported = std::collections::BTreeSet::new();
    for part in context.parts() {
        if part.part == Part::Body
            && matches!(part.source, Err(Missing::NoSource))
            && reported.insert(part.index)
        {
            let message = &loaded.playbook.messages[part.index];
            let both = message.template.is_some() && message.text.is_some();
            out.push(context.finding(&RULE, loaded.message_span(part.index, if both { "text" } else { "id" }),
                if both {
                    format!("message '{}' has both `template` and `text`; keep one", message.id)
                } else {
                    format!("message '{}' has no words: add `template:` (a file under templates/) or `text:` (per language)", message.id)
                },
            ));
        }
    }
}
