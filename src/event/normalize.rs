//! One value checked against its field and normalised: what each field type
//! accepts and the form templates see it in (text trimmed, numbers in their
//! shortest form, phone numbers with their grouping kept, links and
//! addresses as written, enums spelt as the playbook spells them, dates as
//! RFC 3339 in the playbook's zone).
//!
//! Before any type looks at a value, `admit` bounds it: at most
//! [`MAX_VALUE_CHARS`] characters and none of the characters `control.rs`
//! refuses, so every parser below works on short, printable text. Every
//! value is one line, except in a text field declaring `multiline: true`,
//! whose line breaks are kept (CR LF and CR become LF).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::datetime::{format_datetime, parse_datetime};
use super::gsm::check_gsm;
use super::{closest, control};
use crate::field::{Charset, Field, FieldType, MAX_VALUE_CHARS};

/// The fewest digits in a phone number: short emergency numbers such as
/// 112 and 911 have three.
const MIN_PHONE_DIGITS: usize = 3;

/// The most digits in a phone number: E.164 caps international numbers at
/// fifteen.
const MAX_PHONE_DIGITS: usize = 15;

/// Checks one value of field `name` and returns it normalised; the error
/// says what is wrong with it and how to write it, starting with the
/// problem rather than the field name (callers put that first).
///
/// `now` is the clock a relative date (`02:40`, `20m ago`) is read
/// against: the command's clock for typed values, `None` for a playbook's
/// own defaults and examples (see [`parse_datetime`]).
pub fn normalize(
    name: &str,
    field: &Field,
    text: &str,
    zone: Tz,
    now: Option<DateTime<Utc>>,
) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("is empty; give a value".to_owned());
    }
    let multiline = field.kind == FieldType::Text && field.multiline;
    let text = admit(name, text, field.kind, multiline)?;
    let value = match field.kind {
        FieldType::Text => no_links(normalize_text(text, multiline))?,
        FieldType::Number => normalize_number(text)?,
        FieldType::Datetime => format_datetime(parse_datetime(text, zone, now)?),
        FieldType::Phone => normalize_phone(text)?,
        FieldType::Url => normalize_url(text)?,
        FieldType::Email => normalize_email(text)?,
        FieldType::Enum => normalize_enum(name, text, &field.values)?,
    };
    if let Some(max) = field
        .max_len
        .or((field.kind == FieldType::Phone).then_some(crate::field::MAX_PHONE_CHARS))
    {
        let count = value.chars().count();
        if count > max {
            return Err(format!(
                "is {count} characters; at most {max} allowed (shorten it)"
            ));
        }
    }
    if field.charset == Some(Charset::Gsm) {
        check_gsm(&value)?;
    }
    Ok(value)
}

/// The value trimmed, if it is short enough to check and carries no
/// refused character; every value passes here before its type's parser.
pub(super) fn admit<'t>(
    name: &str,
    text: &'t str,
    kind: FieldType,
    multiline: bool,
) -> Result<&'t str, String> {
    let trimmed = text.trim();
    let count = trimmed.chars().count();
    if count > MAX_VALUE_CHARS {
        return Err(format!(
            "is {count} characters; no field takes more than {MAX_VALUE_CHARS} (shorten it)"
        ));
    }
    control::check_value(name, trimmed, kind, multiline)?;
    Ok(trimmed)
}

/// A text field holds words. A link or a bare domain in it (`a.co`) would
/// count 23 on X however short it is, so the fit lint checked at the
/// field's `max_len` would not hold; links belong in url fields, which
/// every channel counts right.
///
/// The text is checked as written and in capitals and small letters, as
/// templates may show it: `ſ` (long s) becomes `S` in capitals, so
/// `a.ſt` becomes the link `A.ST`.
fn no_links(text: String) -> Result<String, String> {
    for form in [text.clone(), text.to_uppercase(), text.to_lowercase()] {
        let chars: Vec<char> = form.chars().collect();
        let found =
            crate::channel::url::find_urls(&chars, crate::channel::url::UrlScope::WithBareDomains);
        if let Some(range) = found.first() {
            let link: String = chars[range.clone()].iter().collect();
            let shown = if form == text {
                String::new()
            } else {
                " (when the message shows it in capitals or small letters)".to_owned()
            };
            return Err(format!(
                "contains the link {link:?}{shown}; a text field holds words, so give links in a field of type url (or write the name without its domain)"
            ));
        }
    }
    Ok(text)
}

fn normalize_text(text: &str, multiline: bool) -> String {
    if multiline {
        // Event files edited on Windows carry CR LF, and old Mac text CR
        // alone; the line break is meant either way.
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    }
}

fn normalize_number(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    let not_number =
        || format!("{trimmed:?} is not a number; write digits such as 80, 2.5, -3 or 1,200");
    // People paste from documents where the minus sign is typographic.
    let (negative, body) = match trimmed.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest),
        None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
    };
    if body.chars().any(char::is_whitespace) {
        return Err(format!(
            "{trimmed:?} has a space inside; write the number without spaces, such as 1200 or 1,200"
        ));
    }
    if body.contains(['e', 'E']) && body.chars().any(|c| c.is_ascii_digit()) {
        return Err(format!(
            "{trimmed:?} is written with an exponent; write the number in full, such as 1200"
        ));
    }
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(not_number());
    }
    let (int_part, frac_part) = match body.split_once('.') {
        Some((int_part, frac_part)) => (int_part, Some(frac_part)),
        None => (body, None),
    };
    let frac_part = frac_part.unwrap_or("");
    if frac_part.contains(['.', ',']) {
        return Err(not_number());
    }
    let int_digits = if int_part.contains(',') {
        grouped_digits(int_part).ok_or_else(|| {
            let groups: Vec<&str> = int_part.split(',').collect();
            match groups.as_slice() {
                [whole, decimals]
                    if !whole.is_empty() && decimals.len() != 3 && frac_part.is_empty() =>
                {
                    format!(
                    "{trimmed:?} uses a comma for decimals; write {}{whole}.{decimals} with a point",
                        if negative { "-" } else { "" }
                    )
                }
                _ => format!(
                    "{trimmed:?} is not a number; commas may only group thousands, as in 1,200"
                ),
            }
        })?
    } else {
        int_part.to_owned()
    };
    if int_digits.is_empty() && frac_part.is_empty() {
        return Err(not_number());
    }
    // In many of the languages crisis messages go out in, "1.200" means one
    // thousand two hundred; guessing wrong would misstate a count by 1000.
    if !int_part.contains(',')
        && !int_digits.starts_with('0')
        && (1..=3).contains(&int_digits.len())
        && frac_part.len() == 3
    {
        let sign = if negative { "-" } else { "" };
        let as_decimal = shortest(negative, &int_digits, frac_part);
        return Err(format!(
            "{trimmed:?} is ambiguous; write {sign}{int_digits}{frac_part} if the point separates thousands, or {as_decimal} if it is a decimal"
        ));
    }
    Ok(shortest(negative, &int_digits, frac_part))
}

/// Digits of `1,234,567`-style text, or `None` unless every group after the
/// first has exactly three digits.
fn grouped_digits(text: &str) -> Option<String> {
    let mut groups = text.split(',');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 {
        return None;
    }
    let mut digits = first.to_owned();
    for group in groups {
        if group.len() != 3 {
            return None;
        }
        digits.push_str(group);
    }
    Some(digits)
}

/// The shortest spelling of a decimal: no leading or trailing zeros, no
/// sign on zero.
fn shortest(negative: bool, int_digits: &str, frac_digits: &str) -> String {
    let int_digits = int_digits.trim_start_matches('0');
    let frac_digits = frac_digits.trim_end_matches('0');
    let is_zero = int_digits.is_empty() && frac_digits.is_empty();
    let mut out = String::new();
    if negative && !is_zero {
        out.push('-');
    }
    out.push_str(if int_digits.is_empty() {
        "0"
    } else {
        int_digits
    });
    if !frac_digits.is_empty() {
        out.push('.');
        out.push_str(frac_digits);
    }
    out
}

fn normalize_phone(text: &str) -> Result<String, String> {
    // Keep the author's grouping: numbers are read aloud and dialled by hand.
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let allowed = "use digits, spaces, hyphens, dots, parentheses and a leading +";
    let mut depth = 0usize;
    for (index, c) in collapsed.char_indices() {
        match c {
            '0'..='9' | ' ' | '-' | '.' => {}
            '+' if index == 0 => {}
            '+' => {
                return Err(format!(
                    "{collapsed:?} is not a phone number: '+' may only come first"
                ))
            }
            '(' if depth == 0 => depth += 1,
            ')' if depth == 1 => depth -= 1,
            '(' | ')' => {
                return Err(format!(
                    "{collapsed:?} is not a phone number: its parentheses do not pair up"
                ))
            }
            other => {
                return Err(format!(
                    "{collapsed:?} is not a phone number: '{other}' is not allowed; {allowed}"
                ))
            }
        }
    }
    if depth != 0 {
        return Err(format!(
            "{collapsed:?} is not a phone number: its parentheses do not pair up"
        ));
    }
    let digits = collapsed.chars().filter(char::is_ascii_digit).count();
    if digits < MIN_PHONE_DIGITS {
        return Err(format!(
            "{collapsed:?} is not a phone number: it has {digits} digit{}; even short numbers such as 112 have {MIN_PHONE_DIGITS}",
            if digits == 1 { "" } else { "s" }
        ));
    }
    if digits > MAX_PHONE_DIGITS {
        return Err(format!(
            "{collapsed:?} is not a phone number: it has {digits} digits and phone numbers have at most {MAX_PHONE_DIGITS}"
        ));
    }
    Ok(collapsed)
}

fn normalize_url(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    if trimmed.chars().any(char::is_whitespace) {
        return Err(format!(
            "{trimmed:?} contains a space, which a link cannot; remove it or write it as %20"
        ));
    }
    let rest = strip_prefix_ignore_case(trimmed, "https://")
        .or_else(|| strip_prefix_ignore_case(trimmed, "http://"));
    let Some(rest) = rest else {
        return Err(if trimmed.contains("://") {
            format!("{trimmed:?} is not a web link; only https:// and http:// links are allowed")
        } else {
            format!(
                "{trimmed:?} is not a web link; start it with https://, as in https://{trimmed}"
            )
        });
    };
    // Characters no link may hold unescaped (RFC 3986): they would let a
    // value close a quote or a tag in a page that shows it.
    if let Some(c) = trimmed
        .chars()
        .find(|c| matches!(c, '"' | '<' | '>' | '`' | '{' | '}' | '|' | '\\' | '^'))
    {
        return Err(format!(
            "{trimmed:?} contains '{c}', which a link cannot hold; remove it or write it percent-encoded"
        ));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // `https://user@host`: a link people read as one site and open as
    // another. A posted link names its site plainly.
    if authority.contains('@') {
        return Err(format!(
            "{trimmed:?} has a user name before '@'; a posted link names its site plainly, as in https://example.org/help"
        ));
    }
    // A host with letters outside ASCII can look like another site (a
    // Cyrillic 'е' in 'еxample.org'); a path with them is counted whole by
    // X and Mastodon, whose link counting stops at such letters, where an
    // ASCII link counts 23. Browsers copy both in ASCII.
    let host_text = authority.split(':').next().unwrap_or("");
    if let Some(c) = host_text.chars().find(|c| !c.is_ascii()) {
        return Err(format!(
            "{trimmed:?} has '{c}' in its site name: letters outside ASCII can make a look-alike site; give the site's xn-- form, as the browser's address bar copies it"
        ));
    }
    if let Some(c) = rest.chars().find(|c| !c.is_ascii()) {
        return Err(format!(
            "{trimmed:?} contains '{c}': write the link percent-encoded, as the browser's address bar copies it (a social network would count such a link at full length)"
        ));
    }
    let host_port = authority;
    let host = if host_port.starts_with('[') {
        // An IPv6 literal such as [::1]: the brackets are the whole check.
        match host_port.find(']') {
            Some(end) => host_port.get(..=end).unwrap_or(""),
            None => "",
        }
    } else {
        let (host, port) = match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        };
        if port.is_some_and(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
            return Err(format!(
                "{trimmed:?} is not a web link: the port after ':' must be a number"
            ));
        }
        host
    };
    let valid_host = host.eq_ignore_ascii_case("localhost")
        || (host.starts_with('[') && host.ends_with(']') && host.len() > 2)
        || (host.contains('.')
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
            }));
    if !valid_host {
        return Err(format!(
            "{trimmed:?} is not a web link: {host:?} is not a host name such as www.example.org"
        ));
    }
    Ok(trimmed.to_owned())
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        text.get(prefix.len()..)
    } else {
        None
    }
}

fn normalize_email(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    if trimmed.chars().any(char::is_whitespace) {
        return Err(format!(
            "{trimmed:?} contains a space, which an email address cannot"
        ));
    }
    if let Some(address) = strip_prefix_ignore_case(trimmed, "mailto:") {
        return Err(format!(
            "{trimmed:?} starts with mailto:; write the address alone, as in {address}"
        ));
    }
    let invalid =
        || format!("{trimmed:?} is not an email address; write one such as help@example.org");
    let mut parts = trimmed.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(invalid());
    };
    let domain_ok = domain.contains('.') && domain.split('.').all(|label| !label.is_empty());
    if local.is_empty() || !domain_ok {
        return Err(invalid());
    }
    Ok(trimmed.to_owned())
}

fn normalize_enum(name: &str, text: &str, values: &[String]) -> Result<String, String> {
    let trimmed = text.trim();
    if values.is_empty() {
        return Err(format!(
            "{trimmed:?} cannot be checked: the playbook lists no values for {name} (fix the playbook)"
        ));
    }
    if let Some(exact) = values.iter().find(|v| v.as_str() == trimmed) {
        return Ok(exact.clone());
    }
    let lower = trimmed.to_lowercase();
    if let Some(same) = values.iter().find(|v| v.to_lowercase() == lower) {
        return Ok(same.clone());
    }
    let choices = values.join(", ");
    Err(match closest(trimmed, values.iter().map(String::as_str)) {
        Some(close) => format!(
            "{trimmed:?} is not a valid {name}; did you mean '{close}'? (one of: {choices})"
        ),
        None => format!("{trimmed:?} is not a valid {name}; use one of: {choices}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::Los_Angeles;
    use serde_json::json;

    fn field(spec: serde_json::Value) -> Field {
        serde_json::from_value(spec).unwrap()
    }

    fn normalized(spec: serde_json::Value, text: &str) -> Result<String, String> {
        normalize("value", &field(spec), text, Tz::UTC, None)
    }

    #[test]
    fn text_that_becomes_a_link_in_capitals_is_refused() {
        let text = json!({ "type": "text", "max_len": 30 });
        let err = normalized(text.clone(), "a.\u{17F}t a.\u{17F}t").unwrap_err();
        assert!(err.contains("in capitals or small letters"), "{err}");
        assert!(normalized(text.clone(), "a.co")
            .unwrap_err()
            .contains("a.co"));
        assert!(normalized(text, "St. Mary's, Main St.").is_ok());
    }

    #[test]
    fn text_is_trimmed_counted_in_characters_and_free_of_control_characters() {
        let short = json!({ "type": "text", "max_len": 5 });
        assert_eq!(normalized(short.clone(), "  ÅÄÖåä \n").unwrap(), "ÅÄÖåä");
        assert_eq!(
            normalized(short, "ÅÄÖåäö").unwrap_err(),
            "is 6 characters; at most 5 allowed (shorten it)"
        );
        assert_eq!(
            normalized(json!({ "type": "text" }), "a\tb").unwrap_err(),
            "contains a tab (U+0009) at character 2; use spaces instead"
        );
        assert!(normalized(json!({ "type": "text" }), "bell\u{7}")
            .unwrap_err()
            .contains("U+0007"));
        assert_eq!(
            normalized(json!({ "type": "text" }), "   ").unwrap_err(),
            "is empty; give a value"
        );
    }

    #[test]
    fn text_is_one_line_unless_the_field_is_multiline() {
        assert_eq!(
            normalized(json!({ "type": "text" }), "line one\r\nline two").unwrap_err(),
            "contains a carriage return (U+000D) at character 9; 'value' takes a single line, so join the lines (a playbook can let a text field take several with `multiline: true`)"
        );
        let multiline = json!({ "type": "text", "multiline": true });
        assert_eq!(
            normalized(multiline.clone(), "\r\n line one\r\nline two\rthree\n").unwrap(),
            "line one\nline two\nthree"
        );
        assert_eq!(normalized(multiline.clone(), "a\tb").unwrap(), "a\tb");
        assert!(normalized(multiline, "a\u{1b}[1Ab").is_err());
    }

    #[test]
    fn every_field_type_refuses_control_characters() {
        for (kind, good) in [
            ("text", "Lacey"),
            ("number", "12"),
            ("datetime", "2017-12-18 07:33"),
            ("phone", "112"),
            ("url", "https://example.org/"),
            ("email", "help@example.org"),
            ("enum", "a"),
        ] {
            let spec = json!({ "type": kind, "values": ["a", "a\nb"], "multiline": true });
            let ok = normalize("value", &field(spec.clone()), good, Tz::UTC, None);
            assert!(ok.is_ok(), "{kind}: {ok:?}");
            for bad in [
                '\u{0}', '\u{1b}', '\u{7f}', '\u{85}', '\u{2028}', '\u{202e}', '\u{2066}',
            ] {
                // In the middle: whitespace at either end is trimmed, and
                // U+0085 is whitespace.
                let text = format!("{good}{bad}{good}");
                let at = good.chars().count() + 1;
                let err =
                    normalize("value", &field(spec.clone()), &text, Tz::UTC, None).unwrap_err();
                assert!(
                    err.contains(&format!("(U+{:04X}) at character {at}", u32::from(bad))),
                    "{kind} {bad:?}: {err}"
                );
            }
            if kind != "text" {
                let text = format!("{good}\n{good}");
                let err = normalize("value", &field(spec), &text, Tz::UTC, None).unwrap_err();
                assert!(err.contains("U+000A"), "{kind}: {err}");
                assert!(
                    err.contains("'value' takes a single line; write it on one line"),
                    "{kind}: {err}"
                );
            }
        }
    }

    #[test]
    fn values_up_to_the_longest_are_checked_and_longer_ones_refused() {
        let text = json!({ "type": "text" });
        let longest = "x".repeat(MAX_VALUE_CHARS);
        assert_eq!(normalized(text.clone(), &longest).unwrap(), longest);
        // Surrounding spaces are not part of the value.
        assert_eq!(
            normalized(text.clone(), &format!(" {longest} ")).unwrap(),
            longest
        );
        assert_eq!(
            normalized(text.clone(), &format!("{longest}é")).unwrap_err(),
            "is 10001 characters; no field takes more than 10000 (shorten it)"
        );
        let at_max_len = json!({ "type": "text", "max_len": MAX_VALUE_CHARS });
        assert_eq!(normalized(at_max_len, &longest).unwrap(), longest);
        for kind in ["number", "datetime", "phone", "url", "email", "enum"] {
            let spec = json!({ "type": kind, "values": ["a"] });
            let err = normalized(spec, &"9".repeat(MAX_VALUE_CHARS + 1)).unwrap_err();
            assert!(err.starts_with("is 10001 characters"), "{kind}: {err}");
        }
    }

    #[test]
    fn numbers_are_normalised_to_their_shortest_form() {
        let number = json!({ "type": "number" });
        for (given, expected) in [
            ("80", "80"),
            ("2.5", "2.5"),
            ("2.50", "2.5"),
            ("-3", "-3"),
            ("+7", "7"),
            ("007", "7"),
            ("1,200", "1200"),
            ("12,345,678.90", "12345678.9"),
            ("0.125", "0.125"),
            ("-0", "0"),
            ("-0.0", "0"),
            (".5", "0.5"),
            ("\u{2212}4", "-4"),
            (
                "12345678901234567890123456789",
                "12345678901234567890123456789",
            ),
        ] {
            assert_eq!(
                normalized(number.clone(), given).as_deref(),
                Ok(expected),
                "{given}"
            );
        }
    }

    #[test]
    fn numbers_that_could_be_misread_are_refused() {
        let number = json!({ "type": "number" });
        let err = |text| normalized(number.clone(), text).unwrap_err();
        assert_eq!(
            err("1.200"),
            "\"1.200\" is ambiguous; write 1200 if the point separates thousands, or 1.2 if it is a decimal"
        );
        assert_eq!(
            err("2,5"),
            "\"2,5\" uses a comma for decimals; write 2.5 with a point"
        );
        assert!(err("12,34").contains("comma for decimals"));
        assert!(err("1,2345").contains("write 1.2345 with a point"));
        assert!(err("12,34,567").contains("only group thousands"));
        assert!(err("1 200").contains("without spaces"));
        assert!(err("1e3").contains("exponent"));
        for bad in ["abc", "-", ".", "1.2.3", "٣", "12a", "1,200,5"] {
            assert!(normalized(number.clone(), bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones_keep_their_grouping() {
        let phone = json!({ "type": "phone" });
        assert_eq!(
            normalized(phone.clone(), " +1 (253)  798-4141 ").unwrap(),
            "+1 (253) 798-4141"
        );
        assert_eq!(normalized(phone.clone(), "112").unwrap(), "112");
        assert_eq!(normalized(phone.clone(), "911").unwrap(), "911");
        assert_eq!(
            normalized(phone.clone(), "020\u{a0}7946.0958").unwrap(),
            "020 7946.0958"
        );
        let err = |text| normalized(phone.clone(), text).unwrap_err();
        assert!(err("11").contains("has 2 digits"));
        assert!(err("1-800-FLOWERS").contains("'F' is not allowed"));
        assert!(err("1+800").contains("'+' may only come first"));
        assert!(err("(253 798").contains("parentheses"));
        assert!(err("253) 798").contains("parentheses"));
        assert!(err("1234567890123456").contains("at most 15"));
    }

    #[test]
    fn urls_that_hide_where_they_lead_are_refused() {
        let url = json!({ "type": "url" });
        for bad in [
            "https://example.org/?q={{x}}",
            "https://user@example.org:443/x#top",
            "https://x.org/\"><b>x</b>",
            "https://\u{0435}xample.org/",
            "https://example.org/`",
            "https://www.city.kobe.lg.jp/\u{907F}\u{96E3}\u{6240}",
            "https://\u{C4}\u{D6}\u{DC}.de/",
        ] {
            assert!(normalized(url.clone(), bad).is_err(), "{bad}");
        }
        let err = normalized(url.clone(), "https://\u{C4}\u{D6}\u{DC}.de/").unwrap_err();
        assert!(err.contains("xn-- form"), "{err}");
        let err = normalized(url.clone(), "https://example.org/caf\u{E9}").unwrap_err();
        assert!(err.contains("percent-encoded"), "{err}");
        assert!(normalized(url.clone(), "https://example.org/caf%C3%A9").is_ok());
    }

    #[test]
    fn urls_need_a_web_scheme_and_a_host() {
        let url = json!({ "type": "url" });
        for ok in [
            "https://www.piercecountywa.gov/alerts",
            "http://localhost:8080/status",
            "HTTPS://Example.ORG",
            "https://example.org:443/x#top",
            "https://[::1]/",
        ] {
            assert_eq!(
                normalized(url.clone(), &format!(" {ok} ")).as_deref(),
                Ok(ok),
                "{ok}"
            );
        }
        let err = |text| normalized(url.clone(), text).unwrap_err();
        assert_eq!(
            err("www.example.org"),
            "\"www.example.org\" is not a web link; start it with https://, as in https://www.example.org"
        );
        assert!(err("ftp://example.org").contains("only https:// and http://"));
        assert!(err("https://example.org/a b").contains("space"));
        assert!(err("https://intranet/").contains("not a host name"));
        assert!(err("https://").contains("not a host name"));
        assert!(err("https://example..org").contains("not a host name"));
        assert!(err("https://example.org:http").contains("port"));
        assert!(err("htt").contains("https://"));
    }

    #[test]
    fn emails_need_one_at_and_a_dotted_domain() {
        let email = json!({ "type": "email" });
        assert_eq!(
            normalized(email.clone(), " help@example.org ").unwrap(),
            "help@example.org"
        );
        let err = |text| normalized(email.clone(), text).unwrap_err();
        for bad in [
            "help",
            "@example.org",
            "help@example",
            "a@b@example.org",
            "help@.org",
            "help@example.",
        ] {
            assert!(err(bad).contains("is not an email address"), "{bad}");
        }
        assert!(err("help desk@example.org").contains("space"));
        assert!(err("mailto:help@example.org").contains("as in help@example.org"));
    }

    #[test]
    fn enums_match_exactly_or_ignoring_case() {
        let level = json!({ "type": "enum", "values": ["Low", "Moderate", "High"] });
        assert_eq!(
            normalize("level", &field(level.clone()), "High", Tz::UTC, None).unwrap(),
            "High"
        );
        assert_eq!(
            normalize("level", &field(level.clone()), " high ", Tz::UTC, None).unwrap(),
            "High"
        );
        assert_eq!(
            normalize("level", &field(level.clone()), "moderat", Tz::UTC, None).unwrap_err(),
            "\"moderat\" is not a valid level; did you mean 'Moderate'? (one of: Low, Moderate, High)"
        );
        assert_eq!(
            normalize("level", &field(level), "extreme", Tz::UTC, None).unwrap_err(),
            "\"extreme\" is not a valid level; use one of: Low, Moderate, High"
        );
        assert!(normalized(json!({ "type": "enum" }), "x")
            .unwrap_err()
            .contains("fix the playbook"));
    }

    #[test]
    fn max_len_and_charset_apply_after_normalising() {
        let spec = json!({ "type": "datetime", "max_len": 10 });
        assert!(normalized(spec, "2017-12-18 07:33")
            .unwrap_err()
            .contains("at most 10"));
    }

    #[test]
    fn odd_input_never_panics() {
        let kinds = [
            "text", "number", "datetime", "phone", "url", "email", "enum",
        ];
        let inputs = [
            "",
            " ",
            "\u{0}",
            "é",
            "🚆🚆🚆",
            "e\u{301}",
            "\u{202E}abc",
            "2017-02-30 10:00",
            "9999-99-99 99:99:99",
            "2017-12-18T07:33:00+99:99",
            "2017-12-18 07:33 ",
            "2017-12-18 07:",
            "2017-12-18 07:33:",
            "2017-12-18 07:33:00.",
            "2017-12-18 07:33+",
            "99999999999999999999-01-01 00:00",
            "2017-1é-18 07:33",
            "-",
            "+",
            ",",
            "1,",
            ",123",
            "https://é.é",
            "http://@",
            "http://[",
            "@",
            "@@",
            "((()))",
            "=",
        ];
        for kind in kinds {
            let spec =
                field(json!({ "type": kind, "values": ["a"], "max_len": 3, "charset": "gsm" }));
            for input in inputs {
                let _ = normalize("value", &spec, input, Los_Angeles, None);
                let _ = parse_datetime(input, Los_Angeles, None);
                let _ = crate::event::parse_set(input);
            }
        }
        let huge = "9".repeat(10_000);
        assert_eq!(
            normalized(json!({ "type": "number" }), &huge).unwrap(),
            huge
        );
        assert!(parse_datetime(&huge, Los_Angeles, None).is_err());
    }
}
