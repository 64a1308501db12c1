use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::template::Missing;

declare_rule! {
    /// A message's template file does not exist (for some language), or
    /// cannot be read.
    ///
    /// ## Why it matters
    /// `template: helpline/announce-x.{lang}.j2` needs one file per language;
    /// a missing Spanish file means no Spanish message when it is needed.
    ///
    /// ## Example
    /// `template: helpline/announce-x.{lang}.j2` with `languages: [en, es]`
    /// and no `templates/helpline/announce-x.es.j2`.
    ///
    /// ## Fix
    /// Create the file under `templates/`, or correct the path.
    "CP203", "missing-template", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    for part in context.parts() {
        let (rel, reason) = match &part.source {
            Err(Missing::File { rel }) => (rel, None),
            Err(Missing::Unreadable { rel, reason }) => (rel, Some(reason)),
            Err(Missing::BadPath { name, reason }) => (name, Some(reason)),
            _ => continue,
        };
        let message = &loaded.playbook.messages[part.index];
        let text = match reason {
            None => format!(
                "template {} of message '{}' ({}) does not exist; create it or correct `template:`",
                context.catalog.display_path(rel),
                message.id,
                part.lang
            ),
            Some(reason) => format!(
                "template of message '{}' ({}) cannot be read: {reason}",
                message.id, part.lang
            ),
        };
        out.push(context.finding(&RULE, loaded.message_span(part.index, "template"), text));
    }
}
