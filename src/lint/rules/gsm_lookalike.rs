use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::template::{Origin, Problem};

declare_rule! {
    /// A character in an SMS or WEA template that forces the whole message
    /// into UCS-2 (or cannot be sent by cell broadcast at all) although a
    /// GSM-7 equivalent exists: curly quotes, en and em
    /// dashes, the ellipsis, the non-breaking space.
    ///
    /// ## Why it matters
    /// One curly apostrophe pasted from a word processor halves what an SMS
    /// part holds (70 characters instead of 160), so a one-part alert
    /// becomes three parts, costs three times as much and may arrive out of
    /// order.
    ///
    /// ## Example
    /// ```jinja
    /// We’re here to help – call {{ phone }}…
    /// ```
    ///
    /// ## Fix
    /// `We're here to help - call {{ phone }}...`; `crisis lint --fix`
    /// makes these replacements in template files (inline `text:` in a
    /// playbook is left for you to edit).
    "CP302", "gsm-lookalike", Warning, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::BTreeSet::new();
    for part in context.parts() {
        let message = &context.loaded.playbook.messages[part.index];
        let gsm = context
            .channels
            .get(&message.channel)
            .filter(|spec| spec.counting.is_gsm());
        let Ok(source) = &part.source else { continue };
        let Some(spec) = gsm else { continue };
        if !seen.insert(source.name.clone()) {
            continue;
        }
        for (offset, c) in source.text.char_indices() {
            let Some(replacement) = crate::channel::sms::gsm_replacement(c) else {
                continue;
            };
            let (rel, span) = source.locate(offset);
            let fixable = matches!(source.origin, Origin::File { .. });
            let problem = Problem {
                rel,
                span,
                message: format!(
                    "'{c}' (U+{:04X}) {}; write {}{}",
                    c as u32,
                    match spec.counting {
                        crate::channel::Counting::Sms => "forces this SMS into UCS-2".to_owned(),
                        _ => format!("cannot be sent on {}", spec.name),
                    },
                    shown(replacement),
                    if fixable {
                        " (crisis lint --fix does this)"
                    } else {
                        ""
                    }
                ),
                syntax: false,
            };
            out.push(context.template_finding(&RULE, &problem));
        }
    }
}

/// A replacement as a sentence can show it: quoted, and said in words when
/// it is empty or a quote mark itself.
fn shown(replacement: &str) -> String {
    match replacement {
        "" => "nothing (delete it)".to_owned(),
        "\"" => "a straight double quote (\")".to_owned(),
        "'" => "a straight apostrophe (')".to_owned(),
        other => format!("\"{other}\""),
    }
}
