use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// An email message without a `subject`, a `subject` on a channel
    /// that has none, or a subject that spans lines.
    ///
    /// ## Why it matters
    /// An email without a subject is filtered or ignored; a subject on an SMS
    /// is never sent, so its approved words would silently disappear.
    ///
    /// ## Example
    /// ```yaml
    /// - id: notice-email
    ///   channel: email
    ///   template: notice/email.{lang}.j2
    /// ```
    ///
    /// ## Fix
    /// Give email messages `subject: { en: "..." }`; remove `subject` from
    /// other channels.
    "CP208", "email-subject", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    for (i, message) in loaded.playbook.messages.iter().enumerate() {
        let has_subject = context
            .channels
            .get(&message.channel)
            .map(|spec| spec.subject_limit.is_some());
        match (has_subject, &message.subject) {
            (Some(true), None) => out.push(context.finding(
                &RULE,
                loaded.message_span(i, "channel"),
                format!(
                        "email message '{}' has no subject; add `subject: {{ {}: \"...\" }}`",
                        message.id,
                        loaded
                            .playbook
                            .languages
                            .first()
                            .map_or("en", String::as_str)
                    ),
            )),
            (Some(false), Some(_)) => out.push(context.finding(
                &RULE,
                loaded.message_span(i, "subject"),
                format!(
                    "message '{}' is for {}, which has no subject; remove `subject`",
                    message.id, message.channel
                ),
            )),
            _ => {}
        }
    }
    // A subject is one header line: a line break in it would end the header
    // and start another (an email header injection).
    let mut reported = Vec::new();
    for rendered in context.renders {
        let part = &context.parts()[rendered.part];
        let Ok(text) = &rendered.result else { continue };
        if part.part != crate::template::Part::Subject
            || !text.contains(['\n', '\r'])
            || reported.contains(&rendered.part)
        {
            continue;
        }
        reported.push(rendered.part);
        let message = &loaded.playbook.messages[part.index];
        out.push(context.finding(
            &RULE,
            loaded.message_span(part.index, "subject"),
            format!(
                "the subject of '{}' ({}) spans lines {}; a subject is one line",
                message.id, part.lang, rendered.label
            ),
        ));
    }
}
