use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::template::{locate_span, Problem};
use crate::yaml::PathSeg;

declare_rule! {
    /// A field marked `private: true` (a patient's name, a condition, an
    /// account number) used by a message on a public channel, or by the CAP
    /// alert.
    ///
    /// ## Why it matters
    /// A reply on X or a post on Facebook is read by everyone, and stays.
    /// Health details about one person in public break their privacy and
    /// the law (HIPAA in the United States), and cannot be taken back. The
    /// template that would do it is refused in calm times, not noticed
    /// after the post.
    ///
    /// ## Example
    /// ```yaml
    /// fields:
    ///   patient_name: { type: text, max_len: 40, private: true }
    /// messages:
    ///   - id: reply-x
    ///     channel: x
    ///     text: { en: "Hi {{ patient_name }}, please DM us." }
    /// ```
    ///
    /// ## Fix
    /// Leave the private field out of public messages (`Hi, please send us
    /// a direct message`), and use it only in messages to that person (SMS,
    /// email). SMS and email are private channels; `crisis channels` shows
    /// which are public, and a catalog's own channels say so with `public:`.
    "CP704", "private-field", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let playbook = &context.loaded.playbook;
    // A language's twin of a private field (`name_es` of `name`) is
    // private too.
    let is_private = |name: &str| {
        playbook.fields.get(name).is_some_and(|f| f.private)
            || playbook.languages.iter().any(|lang| {
                name.strip_suffix(&format!("_{lang}"))
                    .and_then(|base| playbook.fields.get(base))
                    .is_some_and(|f| f.private)
            })
    };
    // Messages whose words the CAP alert carries are public whatever their
    // own channel: an alert goes to everyone.
    let in_alert: Vec<&str> = playbook
        .cap
        .iter()
        .flat_map(|cap| {
            [
                Some(&cap.description),
                cap.headline.as_ref(),
                cap.instruction.as_ref(),
            ]
            .into_iter()
            .flatten()
            .map(String::as_str)
        })
        .collect();
    for (part, _, compiled) in context.compiled_parts() {
        let message = &playbook.messages[part.index];
        let Some(spec) = context.channels.get(&message.channel) else {
            continue;
        };
        let carried = in_alert.contains(&message.id.as_str());
        if !spec.public && !carried {
            continue;
        }
        let place = if carried && !spec.public {
            "the CAP alert, which is public".to_owned()
        } else {
            format!("{}, which is public", spec.name)
        };
        for (name, (template, span)) in &compiled.variables {
            if !is_private(name) {
                continue;
            }
            let Some(source) = context.prepared.sources.get(template) else {
                continue;
            };
            let (rel, span) = locate_span(source, *span);
            let problem = Problem {
                rel,
                span,
                message: format!(
                    "'{name}' is private, and message '{}' ({}) goes to {place}; leave it out of this message",
                    message.id, part.lang
                ),
                syntax: false,
            };
            out.push(context.template_finding(&RULE, &problem));
        }
    }
    let Some(cap) = &playbook.cap else { return };
    for (keys, name) in [
        (&["area", "field"][..], cap.area.field.as_ref()),
        (&["web"][..], cap.web.as_ref()),
        (&["contact"][..], cap.contact.as_ref()),
    ] {
        let Some(name) = name.filter(|n| is_private(n)) else {
            continue;
        };
        let mut path = vec![PathSeg::Key("cap".into())];
        path.extend(keys.iter().map(|k| PathSeg::Key((*k).into())));
        out.push(context.finding(
            &RULE,
            context.loaded.span(&path),
            format!("'{name}' is private, and a CAP alert is public; name another field"),
        ));
    }
}
