use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// A message for a channel neither built in nor defined in the catalog's
    /// `crisis.yaml`.
    ///
    /// ## Why it matters
    /// The channel decides how a message is counted and what limit it must
    /// fit; an unknown channel cannot be checked.
    ///
    /// ## Example
    /// ```yaml
    /// channel: twitter
    /// ```
    ///
    /// ## Fix
    /// Use a known channel (`x`), or define it under `channels:` in
    /// `crisis.yaml` with its counting rule and limit.
    "CP201", "unknown-channel", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    for (i, message) in loaded.playbook.messages.iter().enumerate() {
        if context.channels.get(&message.channel).is_none() {
            let names: Vec<&str> = context.channels.names().collect();
            let hint = crate::suggest::did_you_mean(&message.channel, names.iter().copied())
                .map(|s| format!("did you mean '{s}'?"))
                .unwrap_or_else(|| format!("known channels: {}", names.join(", ")));
            let node = loaded.tree.find(&[
                crate::yaml::PathSeg::Key("messages".into()),
                crate::yaml::PathSeg::Index(i),
                crate::yaml::PathSeg::Key("channel".into()),
            ]);
            let span = node.map_or_else(|| loaded.message_span(i, "channel"), |n| n.span);
            out.push(context.finding(
                &RULE,
                span,
                format!(
                    "unknown channel '{}' in message '{}'; {hint}",
                    message.channel, message.id
                ),
            ));
        }
    }
}
