//! The values lint renders every message with, found before the crisis.
//!
//! Lint renders every message three times per language: with each field's
//! example (or default), with every optional field left out (as render
//! does when the person on duty gives none), and with a worst case in
//! which every bounded text field is
//! filled to its `max_len` with the characters that cost most on the
//! message's channel: on X characters that weigh 2, on SMS a character
//! outside GSM-7 (one accented letter typed by the person on duty turns the
//! whole message into UCS-2, halving what fits), or, for a field that
//! promises `charset: gsm`, GSM extension characters that take two septets.

use chrono_tz::Tz;
use indexmap::IndexMap;

use crate::channel::{ChannelSpec, Counting, Measurement};
use crate::field::{Charset, Field, FieldType};
use crate::playbook::Playbook;

/// Each value as render would pass it to a template: normalised for its
/// type (a datetime example becomes RFC 3339, as the `datetime` filter
/// expects). A value that does not normalise is kept as written: another
/// rule reports it.
fn normalized(playbook: &Playbook, zone: Tz, mut scenario: Scenario) -> Scenario {
    for (name, value) in scenario.values.iter_mut() {
        if let (Some(text), Some(field)) = (value.as_ref(), playbook.fields.get(name)) {
            if let Ok(normal) = crate::event::normalize(name, field, text, zone, None) {
                *value = Some(normal);
            }
        }
    }
    scenario
}

/// How findings name the scenario of every field at its costliest.
pub const WORST_CASE: &str = "in the worst case";

/// How findings name the worst case with the optional fields left out.
pub const WORST_LEFT_OUT: &str = "in the worst case with the optional fields left out";

/// How findings name the scenario of the optional fields left out.
pub const OPTIONAL_LEFT_OUT: &str = "with the optional fields left out";

/// How findings name the scenario of the fields' examples and defaults.
pub const EXAMPLE_VALUES: &str = "with the example values";

/// The scenarios a message is rendered with, each with how findings name
/// it. A template that changes letter case is also tried with letters
/// that grow when they do (`ﬃ` becomes `FFI`).
pub fn all(
    playbook: &Playbook,
    spec: &ChannelSpec,
    zone: Tz,
    changes_case: bool,
) -> Vec<(&'static str, Scenario)> {
    let mut scenarios = vec![
        (
            EXAMPLE_VALUES,
            normalized(playbook, zone, typical(playbook)),
        ),
        (
            OPTIONAL_LEFT_OUT,
            normalized(playbook, zone, required_only(playbook)),
        ),
        (
            WORST_CASE,
            normalized(playbook, zone, worst(playbook, spec)),
        ),
        // A template may say more when an optional field is empty ("until
        // further notice"): the worst case of the others, with it left out.
        (
            WORST_LEFT_OUT,
            normalized(playbook, zone, left_out(playbook, worst(playbook, spec))),
        ),
    ];
    if changes_case {
        scenarios.push((
            "in the worst case for letter case",
            normalized(
                playbook,
                zone,
                filled(playbook, |f| match f.kind {
                    // A value promised in GSM-7 may hold 'à', whose capital
                    // is outside it.
                    FieldType::Text if f.charset == Some(Charset::Gsm) => CASE_LEAVES_GSM,
                    FieldType::Text => CASE_GROWS,
                    _ => 'a',
                }),
            ),
        ));
    }
    scenarios
}

/// A letter that becomes three when upper-cased or title-cased.
const CASE_GROWS: char = '\u{FB03}';

/// A letter of GSM-7 whose capital (`À`) is not.
const CASE_LEAVES_GSM: char = '\u{E0}';

/// Required fields at their example or default; optional ones as render
/// leaves them when not given: their default, or nothing.
pub fn required_only(playbook: &Playbook) -> Scenario {
    left_out(playbook, typical(playbook))
}

/// `scenario` with every optional field as render leaves it when not
/// given: its default, or nothing.
fn left_out(playbook: &Playbook, mut scenario: Scenario) -> Scenario {
    for (name, field) in &playbook.fields {
        if !field.required {
            let default = field.default.as_ref().map(|v| v.as_str().to_owned());
            scenario.values.insert(name.clone(), default);
            scenario.filled.retain(|(filled, _, _)| filled != name);
        }
    }
    scenario
}

/// The field values of one scenario, and which fields were filled to their
/// limit (to explain a worst case).
#[derive(Debug, Clone)]
pub struct Scenario {
    pub values: IndexMap<String, Option<String>>,
    /// Fields filled to `max_len`, with the character used.
    pub filled: Vec<(String, usize, char)>,
}

/// Each field's example, else its default; none when it has neither.
pub fn typical(playbook: &Playbook) -> Scenario {
    let values = playbook
        .fields
        .iter()
        .map(|(name, field)| {
            let value = field
                .example
                .as_ref()
                .or(field.default.as_ref())
                .map(|v| v.as_str().to_owned())
                .or_else(|| field.values.first().cloned());
            (name.clone(), value)
        })
        .collect();
    Scenario {
        values,
        filled: Vec::new(),
    }
}

/// The worst case for a channel: bounded fields at `max_len`, text in the
/// costliest characters, other fields at their longest known value.
pub fn worst(playbook: &Playbook, spec: &ChannelSpec) -> Scenario {
    filled(playbook, |field| costliest_char(spec, field))
}

/// Every bounded field at its `max_len`: text of the character `fill`
/// gives, and the longest valid link, email address or number; other
/// fields at their longest known value.
fn filled(playbook: &Playbook, fill: impl Fn(&Field) -> char) -> Scenario {
    let mut values = IndexMap::new();
    let mut filled = Vec::new();
    for (name, field) in &playbook.fields {
        let value = match (field.kind, field.max_len) {
            (FieldType::Text, Some(max_len)) => {
                let c = fill(field);
                filled.push((name.clone(), max_len, c));
                Some(std::iter::repeat_n(c, max_len).collect())
            }
            // Links and addresses in the costliest characters too: an
            // address may hold '~' (two septets) or, unless the field
            // promises GSM-7, a letter outside it.
            (FieldType::Url, Some(max_len)) if max_len > LINK.len() => {
                let c = fill(field);
                filled.push((name.clone(), max_len, c));
                let tail: String = std::iter::repeat_n(c, max_len - LINK.len()).collect();
                Some(format!("{LINK}{tail}"))
            }
            (FieldType::Email, Some(max_len)) if max_len > MAILBOX.len() => {
                let c = fill(field);
                filled.push((name.clone(), max_len, c));
                let head: String = std::iter::repeat_n(c, max_len - MAILBOX.len()).collect();
                Some(format!("{head}{MAILBOX}"))
            }
            // A phone number at its longest: digits (at most fifteen) and
            // then the separators people group them with.
            (FieldType::Phone, max_len) => {
                let len = max_len.unwrap_or(crate::field::MAX_PHONE_CHARS);
                filled.push((name.clone(), len, '9'));
                let value: String = std::iter::once('+')
                    .chain((1..len).map(|i| if i <= 15 { '9' } else { '-' }))
                    .collect();
                Some(value)
            }
            (FieldType::Number, Some(max_len)) => {
                filled.push((name.clone(), max_len, '9'));
                Some("9".repeat(max_len))
            }
            _ => longest_known(field),
        };
        values.insert(name.clone(), value);
    }
    Scenario { values, filled }
}

/// The start of the longest link and email address the worst case uses.
const LINK: &str = "https://example.org/";
const MAILBOX: &str = "@example.org";

fn longest_known(field: &Field) -> Option<String> {
    field
        .example
        .iter()
        .chain(field.default.iter())
        .map(|v| v.as_str().to_owned())
        .chain(field.values.iter().cloned())
        .max_by_key(|v| v.chars().count())
}

/// The character that makes a field cost most on a channel.
pub fn costliest_char(spec: &ChannelSpec, field: &Field) -> char {
    let gsm_only = field.charset == Some(Charset::Gsm);
    if matches!(field.kind, FieldType::Url | FieldType::Email) {
        // Every link counts the same on X and Mastodon; on GSM channels an
        // address may hold '~' (two septets) or, unless it promises GSM-7,
        // a letter outside it.
        return match spec.counting {
            Counting::Sms | Counting::Gsm7 if gsm_only => '~',
            Counting::Sms | Counting::Gsm7 => 'á',
            _ => 'a',
        };
    }
    match spec.counting {
        // CJK weighs 2 in twitter-text; so does '€', which a GSM promise
        // still lets through.
        Counting::XWeighted if !gsm_only => '中',
        Counting::XWeighted => '€',
        // 'á' is common in names and places and is not in GSM-7; '€' is in
        // the extension table and takes two septets.
        Counting::Sms | Counting::Gsm7 if gsm_only => '€',
        Counting::Sms | Counting::Gsm7 => 'á',
        _ => 'x',
    }
}

/// How a worst case came about, for the finding's message.
/// Only fields the template reads (`used`) are named.
pub fn explain(
    spec: &ChannelSpec,
    scenario: &Scenario,
    measurement: &Measurement,
    used: &std::collections::BTreeSet<String>,
) -> String {
    let filled: Vec<&(String, usize, char)> = scenario
        .filled
        .iter()
        .filter(|(name, _, _)| used.contains(name))
        .collect();
    if spec.counting == Counting::Sms {
        if let Some(sms) = &measurement.sms {
            if sms.encoding == "UCS-2" {
                let forcing = fields_filled_with(&filled, &sms.forcing_chars);
                let from_template: Vec<String> = sms
                    .forcing_chars
                    .iter()
                    .filter(|c| !filled.iter().any(|(_, _, f)| f == *c))
                    .map(|c| format!("'{c}'"))
                    .collect();
                return match (forcing.is_empty(), from_template.is_empty()) {
                    (_, false) => format!(
                        "UCS-2 forced by the template's {}",
                        from_template.join(", ")
                    ),
                    (false, true) => format!("UCS-2 forced if {}", might_hold_non_gsm(&forcing)),
                    (true, true) => "UCS-2".to_owned(),
                };
            }
        }
    }
    if spec.counting == Counting::Gsm7 {
        let forcing = fields_filled_with(&filled, &measurement.invalid);
        if !forcing.is_empty() {
            let them = if forcing.len() == 1 { "it" } else { "them" };
            return format!(
                "if {}; give {them} `charset: gsm`",
                might_hold_non_gsm(&forcing)
            );
        }
    }
    if filled.is_empty() {
        return String::new();
    }
    let fields: Vec<String> = filled
        .iter()
        .map(|(name, len, c)| format!("'{name}' at its max_len of {len} ('{c}' × {len})"))
        .collect();
    format!("with {}", fields.join(", "))
}

/// The quoted names of the filled fields whose filling character is one of
/// `chars`.
fn fields_filled_with(filled: &[&(String, usize, char)], chars: &[char]) -> Vec<String> {
    filled
        .iter()
        .filter(|(_, _, c)| chars.contains(c))
        .map(|(name, _, _)| format!("'{name}'"))
        .collect()
}

/// "'area' contains a character outside GSM-7, e.g. 'á'", for one field or
/// several.
fn might_hold_non_gsm(fields: &[String]) -> String {
    let verb = if fields.len() == 1 {
        "contains"
    } else {
        "contain"
    };
    format!(
        "{} {verb} a character outside GSM-7, e.g. 'á'",
        fields.join(" or ")
    )
}
