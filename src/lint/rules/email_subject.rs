use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// An email message without a `subject`, or a `subject` on a channel
    /// that has none.
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
}
