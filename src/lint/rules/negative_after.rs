use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// A message due before the event started (`after` below zero).
    ///
    /// ## Why it matters
    /// Follow-ups are counted from `started_at`; nothing can be posted before
    /// the event, so a negative offset is a typo that would make the message
    /// due at once, out of order.
    ///
    /// ## Example
    /// ```yaml
    /// after: -24h
    /// ```
    ///
    /// ## Fix
    /// `after: 24h`
    "CP401", "negative-after", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    for (i, message) in loaded.playbook.messages.iter().enumerate() {
        if message.after().seconds() < 0 {
            out.push(context.finding(&RULE, loaded.message_span(i, "after"),
                format!(
                    "message '{}' is due {} before the event started; offsets count from started_at, so write a positive duration",
                    message.id,
                    crate::duration::Duration::from_seconds(-message.after().seconds())
                ),
            ));
        }
    }
}
