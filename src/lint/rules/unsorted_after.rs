use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// Messages not listed in the order they fall due.
    ///
    /// ## Why it matters
    /// Reviewers read a playbook top to bottom as the timeline of the
    /// response; a 1 h follow-up listed after a 24 h one hides a gap or a
    /// mistake in the schedule.
    ///
    /// ## Example
    /// ```yaml
    /// - { id: reminder, after: 24h, ... }
    /// - { id: update, after: 1h, ... }
    /// ```
    ///
    /// ## Fix
    /// Move the message up, so `after` offsets only grow down the file.
    "CP402", "unsorted-after", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    let messages = &loaded.playbook.messages;
    for (i, pair) in messages.windows(2).enumerate() {
        let (previous, message) = (&pair[0], &pair[1]);
        if message.after() < previous.after() {
            out.push(context.finding(&RULE, loaded.message_span(i + 1, if message.after.is_some() { "after" } else { "id" }),
                format!(
                    "message '{}' (due at {}) is listed after '{}' (due at {}); list messages in the order they fall due",
                    message.id,
                    message.after(),
                    previous.id,
                    previous.after()
                ),
            ));
        }
    }
}
