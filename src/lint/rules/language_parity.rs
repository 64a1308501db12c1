use std::collections::{BTreeMap, BTreeSet};

use crate::channel::url::{find_urls, UrlScope};
use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::template::Part;
use unicode_normalization::UnicodeNormalization;

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
    /// Phone numbers, links and email addresses in any scenario tried: a
    /// number given only in one language's branch is found too.
    contacts: [Found; 3],
    /// The texts whose contact details are in `contacts`.
    read: std::collections::HashSet<String>,
}

/// `text` with compatibility forms (fullwidth or mathematical digits,
/// '＠') read as what they look like: its NFKC form.
fn compatibility_folded(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{is_nfkc_quick, IsNormalized};
    if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfkc().collect())
    }
}

/// How one kind of contact detail is found in a text.
type Finder = fn(&str) -> Found;

/// The kinds of contact details compared, and how each is found.
const CONTACTS: [(&str, Finder); 3] = [
    ("phone numbers", phones),
    ("links", links),
    ("email addresses", emails),
];

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
    use crate::lint::worst_case::{EXAMPLE_VALUES, OPTIONAL_LEFT_OUT, WORST_CASE, WORST_LEFT_OUT};
    for rendered in context.renders {
        let label = rendered.label;
        if ![
            EXAMPLE_VALUES,
            OPTIONAL_LEFT_OUT,
            WORST_CASE,
            WORST_LEFT_OUT,
        ]
        .contains(&label)
        {
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
        // Scenarios often render the same words: each text is read once.
        if version.read.insert(text.clone()) {
            let plain = compatibility_folded(text);
            for ((_, of), found) in CONTACTS.iter().zip(version.contacts.iter_mut()) {
                found.extend(of(&plain));
            }
        }
        if label != EXAMPLE_VALUES {
            continue;
        }
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
            for (((what, _), mine), theirs) in
                CONTACTS.iter().zip(&other.contacts).zip(&first.contacts)
            {
                if mine.keys().ne(theirs.keys()) {
                    report(format!(
                        "{pair} give different {what} (only in {lang}: {}; only in {first_lang}: {}); use the same in every language",
                        only_in(mine, theirs),
                        only_in(theirs, mine)
                    ));
                }
            }
            let same_body = copies(other.body.as_deref(), first.body.as_deref());
            let same_subject = copies(other.subject.as_deref(), first.subject.as_deref());
            if same_body || same_subject {
                report(format!(
                    "{pair} have (nearly) the same {}: the {lang} version is not translated",
                    if same_body { "words" } else { "subject" }
                ));
            }
        }
    }
}

/// What a text gives by its identity (digits, a link or address in lower
/// case), with how it is written.
type Found = BTreeMap<String, String>;

/// Whether one text is a copy of the other, or nearly: the same words
/// (letter case, spacing, punctuation and invisible characters aside) for
/// at least four in five of the words of either. Names, numbers and links
/// the languages share are few beside the words of a real translation.
fn copies(a: Option<&str>, b: Option<&str>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return false;
    };
    let words = |text: &str| -> Vec<String> {
        compatibility_folded(text)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let in_other = |these: &[String], other: &[String]| {
        these.iter().filter(|w| other.contains(w)).count() * 5 >= these.len() * 4
    };
    a.len() >= 5 && b.len() >= 5 && in_other(&a, &b) && in_other(&b, &a)
}

/// What `items` give that `other` does not, as written.
fn only_in(items: &Found, other: &Found) -> String {
    let only: Vec<&str> = items
        .iter()
        .filter(|(key, _)| !other.contains_key(*key))
        .map(|(_, shown)| shown.as_str())
        .collect();
    if only.is_empty() {
        "none".to_owned()
    } else {
        only.join(", ")
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

/// Runs of at least seven digits (of any script) joined by single spaces,
/// dashes, dots, parentheses or a leading plus: phone numbers, known by
/// their digits (`1-800-555-0100` and `1 800 555 0100` are one number; one
/// written in other digits is another).
fn phones(text: &str) -> Found {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Found::new();
    let mut i = 0;
    while i < chars.len() {
        if !(chars[i].is_numeric() || matches!(chars[i], '+' | '(')) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while i < chars.len() {
            let c = chars[i];
            let next_digitish = chars
                .get(i + 1)
                .is_some_and(|n| n.is_numeric() || *n == '(');
            if c.is_numeric() {
                end = i + 1;
            } else if !(matches!(
                c,
                '-' | '.' | '(' | ')' | '+' | '\u{2010}'..='\u{2015}' | '\u{2212}'
            ) || (matches!(c, ' ' | '\u{A0}' | '\u{202F}') && next_digitish))
            {
                break;
            }
            i += 1;
        }
        let shown: String = chars[start..end].iter().collect();
        let digits: String = shown.chars().filter(|c| c.is_numeric()).collect();
        if digits.len() >= 7 && !is_numeric_date(&shown) {
            found.entry(digits).or_insert(shown);
        }
        i = i.max(start + 1);
    }
    found
}

/// Whether `text` is a date written in numbers (`17.01.2026`,
/// `01/17/2026`, `2026-01-17`), which languages write differently and
/// which is no phone number.
fn is_numeric_date(text: &str) -> bool {
    let groups: Vec<&str> = text.split(['.', '-', '/']).collect();
    let widths: Vec<usize> = groups.iter().map(|g| g.chars().count()).collect();
    let all_digits = groups
        .iter()
        .all(|g| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit()));
    let separators: Vec<char> = text.chars().filter(|c| !c.is_ascii_digit()).collect();
    let one_separator = separators.windows(2).all(|w| w[0] == w[1]);
    all_digits
        && one_separator
        && matches!(widths.as_slice(), [1 | 2, 1 | 2, 4] | [4, 1 | 2, 1 | 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_numbers_are_not_phone_numbers() {
        assert!(phones("el 17.01.2026 o el 2026-01-17").is_empty());
        assert!(phones("on 1/17/2026").is_empty());
        assert_eq!(phones("Call 555.123.4567 or 1-800-555-0100").len(), 2);
        assert_eq!(phones("17.01-2026").len(), 1);
    }

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
    fn look_alike_digits_and_dashes_still_make_a_number() {
        let plain: String =
            "o al 1\u{2011}800\u{2011}555\u{2011}0199, o \u{FF11}\u{FF18}\u{FF10}\u{FF10}5550100"
                .nfkc()
                .collect();
        assert_eq!(phones(&plain).len(), 2, "{plain}");
        assert_eq!(
            phones("\u{661}\u{668}\u{660}\u{660}\u{665}\u{665}\u{665}").len(),
            1
        );
    }

    #[test]
    fn near_copies_are_copies_and_translations_are_not() {
        let en = "Free 24/7 helpline for Springfield: call 1-800-555-0100 now.";
        assert!(copies(
            Some(en),
            Some("FREE 24/7 helpline for Springfield: call 1-800-555-0100 now. Gracias.")
        ));
        assert!(copies(
            Some(en),
            Some("Free 24/7\u{200B} helpline for  Springfield; call 1-800-555-0100 now!")
        ));
        assert!(!copies(
            Some(en),
            Some("Línea gratuita 24/7 para Springfield: llame al 1-800-555-0100 ahora.")
        ));
        assert!(!copies(Some("Call 911."), Some("Llame al 911.")));
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
