use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::yaml::PathSeg;

declare_rule! {
    /// A language code that is not a BCP 47 tag, a message in a language the
    /// playbook does not declare, or a playbook with no language or the
    /// same one twice.
    ///
    /// ## Why it matters
    /// `render --lang` and the checklist work from the playbook's
    /// `languages`; a message in an undeclared language would never be
    /// rendered or reviewed. Language codes also become file names in
    /// `render --out`, so only well-formed tags are accepted.
    ///
    /// ## Example
    /// ```yaml
    /// languages: [en, "es US"]
    /// ```
    ///
    /// ## Fix
    /// Add the language to the playbook's `languages`, or remove it from the
    /// message.
    "CP107", "unknown-language", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    let playbook = &loaded.playbook;
    let languages_path = [PathSeg::Key("languages".into())];
    if playbook.languages.is_empty() {
        out.push(context.finding(
            &RULE,
            loaded.span(&languages_path),
            "`languages` is empty; list at least one language code, such as [en]",
        ));
    }
    for (i, lang) in playbook.languages.iter().enumerate() {
        // Language codes become file names in `render --out` and `lang`
        // attributes: only well-formed BCP 47 tags (letters, digits, '-').
        if oxilangtag::LanguageTag::parse(lang.as_str()).is_err() {
            out.push(context.finding(
                &RULE,
                loaded.span(&[PathSeg::Key("languages".into()), PathSeg::Index(i)]),
                format!(
                    "'{}' is not a BCP 47 language tag; write it like en, es or es-US",
                    lang.escape_debug()
                ),
            ));
        }
        if playbook.languages[..i].contains(lang) {
            out.push(context.finding(
                &RULE,
                loaded.span(&[PathSeg::Key("languages".into()), PathSeg::Index(i)]),
                format!("language '{lang}' is listed twice"),
            ));
        }
    }
    for (i, message) in playbook.messages.iter().enumerate() {
        for (j, lang) in message.languages.iter().flatten().enumerate() {
            if !playbook.languages.contains(lang) {
                out.push(context.finding(&RULE, loaded.span(&[
                        PathSeg::Key("messages".into()),
                        PathSeg::Index(i),
                        PathSeg::Key("languages".into()),
                        PathSeg::Index(j),
                    ]),
                    format!(
                        "message '{}' is in '{lang}', which the playbook does not declare (languages: {}); add it to `languages` or remove it here",
                        message.id,
                        playbook.languages.join(", ")
                    ),
                ));
            }
        }
    }
}
