use std::collections::{BTreeMap, BTreeSet};

use crate::channel::url::{find_urls, UrlScope};
use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::template::Part;

declare_rule! {
    /// The languages of a message disagree: one uses a field another does
    /// not (a field named for a language, such as `event_es`, counts as
    /// that language's `event`), their phone numbers, links or email addresses differ once
    /// rendered with the example values, or one is an untranslated copy of
    /// another.
    ///
    /// ## Why it matters
    /// A Spanish speaker must get the same help as an English speaker: the
    /// same helpline, the same page, the same facts. A translation made
    /// before a number changed, or a Spanish message still in English,
    /// is found by the people who needed it, at the worst time.
    ///
    /// ## Example
    /// ```yaml
    /// text:
    ///   en: "Call {{ phone }} or visit https://example.org/help"
    ///   es: "Llame al 1-800-555-0199 o visite https://example.org/ayuda"
    /// ```
    ///
    /// ## Fix
    /// Use the same fields, numbers and links in every language
    /// (`Llame al {{ phone }} o visite https://example.org/help`), and
    /// translate every language's words.
    "CP703", "language-parity", Error, Check::Playbook(check),
}

/// What each language of a message says, rendered with the example values.
#[derive(Default)]
struct Version {
    fields: BTreeSet<String>,
    body: Option<String>,
    subject: Option<String>,
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let playbook = &context.loaded.playbook;
    let mut messages: BTreeMap<usize, BTreeMap<String, Version>> = BTreeMap::new();
    for (part, _, compiled) in context.compiled_parts() {
        let version = messages
            .entry(part.index)
            .or_default()
            .entry(part.lang.clone())
            .or_default();
        // A field named for this language (`event_es` in Spanish) is the
        // language's twin of the field without the suffix (`event`).
        let suffix = format!("_{}", part.lang);
        version.fields.extend(
            compiled
                .variables
                .keys()
                .filter(|name| name.as_str() != "lang")
                .map(|name| match name.strip_suffix(&suffix) {
                    Some(base) if playbook.fields.contains_key(base) => base.to_owned(),
                    _ => name.clone(),
                }),
        );
    }
    for rendered in context.renders {
        if rendered.label != crate::lint::worst_case::EXAMPLE_VALUES {
            continue;
        }
        let Ok(text) = &rendered.result else { continue };
        let part = &context.parts()[rendered.part];
        let Some(version) = messages
            .get_mut(&part.index)
            .and_then(|m| m.get_mut(&part.lang))
        else {
            continue;
        };
        let slot = match part.part {
            Part::Body => &mut version.body,
            Part::Subject => &mut version.subject,
        };
        slot.get_or_insert_with(|| text.clone());
    }
    for (index, versions) in &messages {
        if versions.len() < 2 {
            continue;
        }
        let message = &playbook.messages[*index];
        let key = message.words_key();
        let span = context.loaded.message_span(*index, key);
        let mut report = |text: String| out.push(context.finding(&RULE, span, text));
        let mut langs = versions.iter();
        let Some((first_lang, first)) = langs.next() else {
            continue;
        };
        for (lang, other) in langs {
            let pair = format!("message '{}': {lang} and {first_lang}", message.id);
            if other.fields != first.fields {
                report(format!(
                    "{pair} use different fields ({lang}: {}; {first_lang}: {}); every language must carry the same details",
                    fields_listed(&other.fields),
                    fields_listed(&first.fields)
                ));
            }
            if let (Some(a), Some(b)) = (&other.body, &first.body) {
                for (what, of) in [
                    ("phone numbers", phones as fn(&str) -> Found),
                    ("links", links),
                    ("email addresses", emails),
                ] {
                    let (mine, theirs) = (of(a), of(b));
                    if mine.keys().ne(theirs.keys()) {
                        report(format!(
                            "{pair} give different {what} ({lang}: {}; {first_lang}: {}); use the same in every language",
                            listed(&mine),
                            listed(&theirs)
                        ));
                    }
                }
            }
            let same_body = other.body.is_some() && other.body == first.body;
            let same_subject = other.subject.is_some() && other.subject == first.subject;
            if same_body || same_subject {
                report(format!(
                    "{pair} have the same {}: the {lang} version is not translated",
                    if same_body { "words" } else { "subject" }
                ));
            }
        }
    }
}

/// What a text gives by its identity (digits, a link or address in lower
/// case), with how it is written.
type Found = BTreeMap<String, String>;

fn listed(items: &Found) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.values().cloned().collect::<Vec<_>>().join(", ")
    }
}

fn fields_listed(items: &BTreeSet<String>) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

/// Links as X finds them (with or without a scheme); `example.org` and
/// `example.org/` are one link.
fn links(text: &str) -> Found {
    let chars: Vec<char> = text.chars().collect();
    find_urls(&chars, UrlScope::WithBareDomains)
        .into_iter()
        .map(|range| {
            let link: String = chars[range].iter().collect();
            (link.trim_end_matches('/').to_lowercase(), link)
        })
        .collect()
}

/// Words with one `@` and a dot in the domain after it.
fn emails(text: &str) -> Found {
    text.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | ',' | ';'))
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|word| {
            word.split_once('@').is_some_and(|(user, domain)| {
                !user.is_empty() && domain.contains('.') && !domain.contains('@')
            })
        })
        .map(|word| (word.to_lowercase(), word.to_owned()))
        .collect()
}

/// Runs of at least seven digits joined by single spaces, dashes, dots,
/// parentheses or a leading plus: phone numbers, known by their digits
/// (`1-800-555-0100` and `1 800 555 0100` are one number).
fn phones(text: &str) -> Found {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Found::new();
    let mut i = 0;
    while i < chars.len() {
        if !(chars[i].is_ascii_digit() || matches!(chars[i], '+' | '(')) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while i < chars.len() {
            let c = chars[i];
            let next_digitish = chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_digit() || *n == '(');
            if c.is_ascii_digit() {
                end = i + 1;
            } else if !(matches!(c, '-' | '.' | '(' | ')' | '+') || (c == ' ' && next_digitish)) {
                break;
            }
            i += 1;
        }
        let shown: String = chars[start..end].iter().collect();
        let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 7 {
            found.entry(digits).or_insert(shown);
        }
        i = i.max(start + 1);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_compared_by_their_digits() {
        let found = phones("Call 1-800-555-0100 or (253) 555-0142, 24/7, ZIP 98498.");
        assert_eq!(
            found.values().collect::<Vec<_>>(),
            ["1-800-555-0100", "(253) 555-0142"]
        );
        assert_eq!(
            phones("Llame al 1 800 555 0100.")
                .keys()
                .collect::<Vec<_>>(),
            ["18005550100"]
        );
        assert!(phones("Open 24/7 since 2026, room 12").is_empty());
    }

    #[test]
    fn links_and_emails_are_found_in_running_text() {
        assert_eq!(
            links("See https://example.org/help/ or example.gov.")
                .into_keys()
                .collect::<Vec<_>>(),
            ["example.gov", "https://example.org/help"]
        );
        assert_eq!(
            emails("Write to help@example.org, or (privacy@example.org).")
                .into_keys()
                .collect::<Vec<_>>(),
            ["help@example.org", "privacy@example.org"]
        );
    }
}
