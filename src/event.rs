//! Event details as the person on duty gives them (`--set NAME=VALUE` or an
//! event file), checked against the playbook's declared fields and
//! normalised into the values templates see.
//!
//! Every problem is collected and reported at once, in the words of the
//! person typing, because each round trip costs minutes during a crisis.
//! Values are data: they are trimmed and reformatted, never evaluated, so a
//! value such as `{{ 1 + 1 }}` reaches the messages exactly as typed.

use std::fmt;

use chrono::{
    DateTime, Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    SecondsFormat, TimeDelta, TimeZone, Timelike, Utc,
};
use chrono_tz::{Tz, TZ_VARIANTS};
use indexmap::IndexMap;
use serde::Serialize;

use crate::field::{Charset, Field, FieldType, STARTED_AT};
use crate::playbook::Playbook;

/// Event values as typed, in the order given; a later value for the same
/// name replaces the earlier one (keeping its place).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawEvent {
    pub values: IndexMap<String, RawValue>,
}

/// One value as typed, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawValue {
    pub text: String,
    pub origin: Origin,
}

/// Where a value came from, so a problem can point back at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Origin {
    /// A `--set NAME=VALUE` argument.
    Set,
    /// An event file; line and column are 1-based, column in characters.
    File {
        path: String,
        line: usize,
        column: usize,
    },
}

impl Origin {
    /// Where the value of `name` came from, as the person on duty would look
    /// for it: `--set started_at=...` or `examples/derailment.yaml:3:13`.
    pub fn describe(&self, name: &str) -> String {
        match self {
            Origin::Set => format!("--set {name}=..."),
            Origin::File { path, line, column } => format!("{path}:{line}:{column}"),
        }
    }
}

impl RawEvent {
    /// Records a value; setting a name again replaces its value.
    pub fn set(&mut self, name: &str, text: String, origin: Origin) {
        self.values
            .insert(name.to_owned(), RawValue { text, origin });
    }
}

/// Splits a `--set` argument into name and value at the first `=`, so the
/// value itself may contain `=` (links often do).
pub fn parse_set(arg: &str) -> Result<(String, String), String> {
    let Some((name, value)) = arg.split_once('=') else {
        return Err(format!(
            "{arg:?} has no '='; use --set NAME=VALUE, such as --set area=\"Pierce County\""
        ));
    };
    let name = name.trim();
    if name.is_empty() {
        return Err(format!(
            "{arg:?} has no field name before '='; use --set NAME=VALUE"
        ));
    }
    Ok((name.to_owned(), value.to_owned()))
}

/// The event, checked and normalised: what templates are rendered with.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Every declared field in declaration order, as normalised text; `None`
    /// when optional and not given. `started_at` is here only if the
    /// playbook declares it (as RFC 3339 text); it is always in `started_at`.
    pub values: IndexMap<String, Option<String>>,
    /// When the event started, in the playbook's zone.
    pub started_at: DateTime<Tz>,
    /// The playbook's zone (UTC when it declares none).
    pub zone: Tz,
}

/// One thing wrong with the event details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The field the problem is about (or `timezone` for the playbook's zone).
    pub field: String,
    /// What is wrong and what to do, without the field name.
    pub message: String,
    /// Where the offending value came from; `None` for values not typed (a
    /// missing value, a playbook default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

impl Problem {
    fn new(field: &str, message: String, origin: Option<Origin>) -> Problem {
        Problem {
            field: field.to_owned(),
            message,
            origin,
        }
    }

    /// Where to look for the value at fault, if it was typed.
    pub fn location(&self) -> Option<String> {
        self.origin.as_ref().map(|o| o.describe(&self.field))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// The playbook's zone: its `timezone`, or UTC when it names none.
pub fn zone(playbook: &Playbook) -> Result<Tz, String> {
    match playbook.timezone.as_deref() {
        None => Ok(Tz::UTC),
        Some(name) => name.parse::<Tz>().map_err(|_| unknown_zone(name)),
    }
}

/// Checks every value against the playbook and returns the event, or every
/// problem found. `now` is the default for `started_at`.
pub fn resolve(
    playbook: &Playbook,
    raw: &RawEvent,
    now: DateTime<Utc>,
) -> Result<Event, Vec<Problem>> {
    let mut problems = Vec::new();
    let zone = zone(playbook).unwrap_or_else(|message| {
        problems.push(Problem::new(
            "timezone",
            format!("{message} (fix the playbook)"),
            None,
        ));
        Tz::UTC
    });

    for (name, value) in &raw.values {
        if name != STARTED_AT && !playbook.fields.contains_key(name) {
            problems.push(Problem::new(
                name,
                unknown_field(name, playbook),
                Some(value.origin.clone()),
            ));
        }
    }

    let started_at = resolve_started_at(playbook, raw, now, zone, &mut problems);
    let started_text = started_at.map(format_datetime);

    let mut values = IndexMap::new();
    for (name, field) in &playbook.fields {
        if name == STARTED_AT {
            values.insert(name.clone(), started_text.clone());
            continue;
        }
        match resolve_field(name, field, raw.values.get(name), zone) {
            Ok(value) => {
                values.insert(name.clone(), value);
            }
            Err(problem) => problems.push(problem),
        }
    }

    match started_at {
        Some(started_at) if problems.is_empty() => Ok(Event {
            values,
            started_at,
            zone,
        }),
        _ => Err(problems),
    }
}

fn resolve_started_at(
    playbook: &Playbook,
    raw: &RawEvent,
    now: DateTime<Utc>,
    zone: Tz,
    problems: &mut Vec<Problem>,
) -> Option<DateTime<Tz>> {
    if let Some(given) = raw.values.get(STARTED_AT) {
        if !given.text.trim().is_empty() {
            return parse_datetime(&given.text, zone)
                .map_err(|message| {
                    problems.push(Problem::new(
                        STARTED_AT,
                        message,
                        Some(given.origin.clone()),
                    ))
                })
                .ok();
        }
    }
    let declared_default = playbook
        .fields
        .get(STARTED_AT)
        .and_then(|f| f.default.as_ref())
        .filter(|d| !d.as_str().trim().is_empty());
    if let Some(default) = declared_default {
        return parse_datetime(default.as_str(), zone)
            .map_err(|message| problems.push(bad_default(STARTED_AT, default.as_str(), message)))
            .ok();
    }
    // Timestamps in messages are read to the minute or second, never finer.
    let now = now.with_nanosecond(0).unwrap_or(now);
    Some(now.with_timezone(&zone))
}

fn resolve_field(
    name: &str,
    field: &Field,
    given: Option<&RawValue>,
    zone: Tz,
) -> Result<Option<String>, Problem> {
    if let Some(value) = given.filter(|v| !v.text.trim().is_empty()) {
        return normalize(name, field, &value.text, zone)
            .map(Some)
            .map_err(|message| Problem::new(name, message, Some(value.origin.clone())));
    }
    let default = field
        .default
        .as_ref()
        .filter(|d| !d.as_str().trim().is_empty());
    match default {
        Some(default) => normalize(name, field, default.as_str(), zone)
            .map(Some)
            .map_err(|message| bad_default(name, default.as_str(), message)),
        None if field.required => Err(Problem::new(name, missing(name, field), None)),
        None => Ok(None),
    }
}

fn bad_default(name: &str, default: &str, message: String) -> Problem {
    Problem::new(
        name,
        format!(
            "the playbook's default {default:?} is not valid: {message}; fix the playbook or set it with --set {name}=VALUE"
        ),
        None,
    )
}

fn missing(name: &str, field: &Field) -> String {
    let help = field
        .help
        .as_deref()
        .map(|h| h.trim().trim_end_matches('.'))
        .filter(|h| !h.is_empty());
    let example = field
        .example
        .as_ref()
        .map(|e| e.as_str().trim())
        .filter(|e| !e.is_empty());
    let hint = match (help, example) {
        (Some(help), Some(example)) => format!("; {help}, e.g. {example}."),
        (Some(help), None) => format!("; {help}."),
        (None, Some(example)) => format!("; e.g. {example}."),
        (None, None) => ".".to_owned(),
    };
    format!("missing{hint} Set it with --set {name}=VALUE")
}

fn unknown_field(name: &str, playbook: &Playbook) -> String {
    let declared = playbook.fields.keys().map(String::as_str);
    let candidates = declared.clone().chain(std::iter::once(STARTED_AT));
    if let Some(close) = closest(name, candidates) {
        return format!("unknown field '{name}'; did you mean '{close}'?");
    }
    let names: Vec<&str> = declared.filter(|n| *n != STARTED_AT).collect();
    if names.is_empty() {
        format!("unknown field '{name}'; this playbook has no fields besides started_at")
    } else {
        format!(
            "unknown field '{name}'; this playbook's fields are: {} (and started_at)",
            names.join(", ")
        )
    }
}

/// The candidate a typo most likely meant, ignoring case: people type
/// names the way they say them.
fn closest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let candidates: Vec<&str> = candidates.collect();
    let lowered: Vec<String> = candidates.iter().map(|c| c.to_lowercase()).collect();
    let best =
        crate::suggest::did_you_mean(&wanted.to_lowercase(), lowered.iter().map(String::as_str))?;
    let index = lowered.iter().position(|l| l == best)?;
    candidates.get(index).copied()
}

/// Checks one value of a field and returns it normalised; the error says
/// what is wrong with it and how to write it, without the field name.
pub fn normalize(name: &str, field: &Field, text: &str, zone: Tz) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("is empty; give a value".to_owned());
    }
    let value = match field.kind {
        FieldType::Text => normalize_text(text)?,
        FieldType::Number => normalize_number(text)?,
        FieldType::Datetime => format_datetime(parse_datetime(text, zone)?),
        FieldType::Phone => normalize_phone(text)?,
        FieldType::Url => normalize_url(text)?,
        FieldType::Email => normalize_email(text)?,
        FieldType::Enum => normalize_enum(name, text, &field.values)?,
    };
    if let Some(max) = field.max_len {
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

fn normalize_text(text: &str) -> Result<String, String> {
    // Event files edited on Windows carry CR LF; the line break is meant.
    let unified = text.replace("\r\n", "\n");
    let trimmed = unified.trim();
    let control = trimmed
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() && *c != '\n');
    match control {
        Some((index, '\t')) => Err(format!(
            "contains a tab at character {}; use spaces instead",
            index + 1
        )),
        Some((index, c)) => Err(format!(
            "contains an invisible control character (U+{:04X}) at character {}; retype the text without it",
            u32::from(c),
            index + 1
        )),
        None => Ok(trimmed.to_owned()),
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
    if digits < 3 {
        return Err(format!(
            "{collapsed:?} is not a phone number: it has {digits} digit{}; even short numbers such as 112 have 3",
            if digits == 1 { "" } else { "s" }
        ));
    }
    // E.164 caps international numbers at 15 digits.
    if digits > 15 {
        return Err(format!(
            "{collapsed:?} is not a phone number: it has {digits} digits and phone numbers have at most 15"
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
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
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

fn check_gsm(value: &str) -> Result<(), String> {
    let mut found: Vec<char> = Vec::new();
    for c in crate::channel::sms::non_gsm_chars(value) {
        if !found.contains(&c) {
            found.push(c);
        }
    }
    if found.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = found.iter().map(|c| describe_char(*c)).collect();
    let replacements: Vec<(char, &str)> = found
        .iter()
        .filter_map(|c| plain_replacement(*c).map(|r| (*c, r)))
        .collect();
    let advice = match replacements.as_slice() {
        [] if found.len() == 1 => "reword without it".to_owned(),
        [] => "reword without them".to_owned(),
        [(_, only)] if found.len() == 1 => format!("write {}", describe_replacement(only)),
        many => {
            let parts: Vec<String> = many
                .iter()
                .map(|(c, r)| format!("{} for {}", describe_replacement(r), describe_char(*c)))
                .collect();
            format!("write {}", parts.join(", "))
        }
    };
    Err(format!(
        "contains {}, which SMS cannot send in GSM-7; this field promises plain GSM ({advice})",
        join_and(&shown)
    ))
}

/// A character as it can be recognised in a message: quoted when visible,
/// by code point when it is a space or invisible.
fn describe_char(c: char) -> String {
    let invisible = c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}');
    if c.is_whitespace() {
        format!("a special space (U+{:04X})", u32::from(c))
    } else if invisible {
        format!("an invisible character (U+{:04X})", u32::from(c))
    } else {
        format!("'{c}'")
    }
}

fn describe_replacement(replacement: &str) -> String {
    match replacement {
        "" => "nothing".to_owned(),
        " " => "a plain space".to_owned(),
        other => format!("'{other}'"),
    }
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The GSM-7 text a reader would accept in place of a character, when
/// there is an obvious one.
fn plain_replacement(c: char) -> Option<&'static str> {
    Some(match c {
        'á' | 'â' | 'ã' | 'ā' | 'ă' | 'ą' => "a",
        'Á' | 'À' | 'Â' | 'Ã' | 'Ā' | 'Ă' | 'Ą' => "A",
        'ç' | 'ć' | 'č' => "c",
        'Ć' | 'Č' => "C",
        'ď' | 'đ' => "d",
        'Ď' | 'Đ' => "D",
        'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'È' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => "E",
        'ğ' => "g",
        'Ğ' => "G",
        'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'Í' | 'Ì' | 'Î' | 'Ï' | 'Ī' | 'İ' => "I",
        'ł' => "l",
        'Ł' => "L",
        'ń' | 'ň' => "n",
        'Ń' | 'Ň' => "N",
        'ó' | 'ô' | 'õ' | 'ō' | 'ő' => "o",
        'Ó' | 'Ò' | 'Ô' | 'Õ' | 'Ō' | 'Ő' => "O",
        'ř' => "r",
        'Ř' => "R",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'Ś' | 'Š' | 'Ş' | 'Ș' => "S",
        'ť' | 'ţ' | 'ț' => "t",
        'Ť' | 'Ţ' | 'Ț' => "T",
        'ú' | 'û' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'Ú' | 'Ù' | 'Û' | 'Ū' | 'Ů' | 'Ű' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'œ' => "oe",
        'Œ' => "OE",
        '‘' | '’' | '‚' | '′' | '`' | '´' => "'",
        '“' | '”' | '„' | '″' | '«' | '»' => "\"",
        '‐' | '‑' | '‒' | '–' | '—' | '−' | '•' => "-",
        '…' => "...",
        '×' => "x",
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => " ",
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => "",
        _ => return None,
    })
}

/// RFC 3339 with seconds and the zone's offset, as values are stored.
fn format_datetime(at: DateTime<Tz>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, false)
}

const DATETIME_FORMS: &str = "use 2017-12-18 07:33 or RFC 3339";

/// Reads a date and time as people type it under pressure, in `zone`
/// unless the text names its own offset or zone. Times that do not exist or
/// happen twice around clock changes are refused with the ways to say which
/// one is meant, since a guess would move the event by an hour.
pub fn parse_datetime(text: &str, zone: Tz) -> Result<DateTime<Tz>, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(format!("is empty; {DATETIME_FORMS}"));
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(trimmed) {
        check_year(at.year(), trimmed)?;
        let at = at.with_nanosecond(0).unwrap_or(at);
        return Ok(at.with_timezone(&zone));
    }
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    let (local_words, zone_word) = match words.split_last() {
        Some((last, rest))
            if !rest.is_empty() && last.starts_with(|c: char| c.is_ascii_alphabetic()) =>
        {
            (rest, Some(*last))
        }
        _ => (words.as_slice(), None),
    };
    let local_text = local_words.join(" ");
    let local = parse_local(&local_text, trimmed)?;

    if let Some(word) = zone_word {
        let meridiem = word.to_ascii_lowercase().replace('.', "");
        if meridiem == "am" || meridiem == "pm" {
            return Err(twelve_hour(trimmed, &local, meridiem == "pm"));
        }
    }
    check_year(local.naive.year(), trimmed)?;
    match (local.offset, zone_word) {
        (Some(_), Some(word)) => Err(format!(
            "{trimmed:?} gives both an offset and the zone {word}; give one of them"
        )),
        (Some(offset), None) => match offset.from_local_datetime(&local.naive) {
            LocalResult::Single(at) => Ok(at.with_timezone(&zone)),
            _ => Err(format!("{trimmed:?} is out of range; {DATETIME_FORMS}")),
        },
        (None, Some(word)) => {
            let named = lookup_zone(word).ok_or_else(|| {
                let hint = unknown_zone(word);
                format!("{trimmed:?} ends in an unknown zone: {hint}")
            })?;
            in_zone(&local.naive, named, trimmed).map(|at| at.with_timezone(&zone))
        }
        (None, None) => in_zone(&local.naive, zone, trimmed),
    }
}

/// The naive date and time of a value, with its offset if it wrote one.
struct Local {
    naive: NaiveDateTime,
    offset: Option<FixedOffset>,
}

/// Reads `YYYY-MM-DD[ T]HH:MM[:SS[.fff]][Z|±HH:MM]`, saying precisely which
/// part is wrong when the shape is right but a number is not.
fn parse_local(text: &str, whole: &str) -> Result<Local, String> {
    let not_datetime = || format!("{whole:?} is not a date and time; {DATETIME_FORMS}");
    let mut cursor = Cursor::new(text);
    let Some(year) = cursor.number(4, 4) else {
        if text.contains(':') && !text.contains(['-', '/', '.']) {
            return Err(format!(
                "{whole:?} has no date; write the date too, as in 2017-12-18 07:33"
            ));
        }
        return Err(not_datetime());
    };
    let (Some(month), Some(day)) = (
        cursor.eat(b'-').then(|| cursor.number(1, 2)).flatten(),
        cursor.eat(b'-').then(|| cursor.number(1, 2)).flatten(),
    ) else {
        return Err(not_datetime());
    };
    let date = real_date(year, month, day, whole)?;
    if cursor.done() {
        return Err(format!(
            "{whole:?} has no time; add one, as in {} 07:33",
            date.format("%Y-%m-%d")
        ));
    }
    if cursor.eat_any(b" Tt").is_none() {
        return Err(not_datetime());
    }
    let Some(hour) = cursor.number(1, 2) else {
        return Err(not_datetime());
    };
    let Some(minute) = cursor.eat(b':').then(|| cursor.number(2, 2)).flatten() else {
        return Err(not_datetime());
    };
    let mut second = 0;
    if cursor.eat(b':') {
        second = cursor.number(2, 2).ok_or_else(not_datetime)?;
        if cursor.eat(b'.') && cursor.number(1, 9).is_none() {
            return Err(not_datetime());
        }
    }
    // "07:33 -08:00" is how offsets are often pasted from other tools.
    cursor.eat(b' ');
    let offset = if cursor.eat_any(b"Zz").is_some() {
        Some(Utc.fix())
    } else if let Some(sign) = cursor.eat_any(b"+-") {
        let hours = cursor.number(2, 2).ok_or_else(not_datetime)?;
        cursor.eat(b':');
        let minutes = cursor.number(2, 2).unwrap_or(0);
        let seconds = i32::try_from(hours * 3600 + minutes * 60).map_err(|_| not_datetime())?;
        let signed = if sign == b'-' { -seconds } else { seconds };
        Some(FixedOffset::east_opt(signed).ok_or_else(|| {
            format!("{whole:?} has an offset beyond 24 hours; write one such as -08:00")
        })?)
    } else {
        None
    };
    if !cursor.done() {
        return Err(not_datetime());
    }
    if hour > 23 {
        return Err(format!(
            "{whole:?} is not a time of day; hours run from 00 to 23 (midnight is 00:00 of the next day)"
        ));
    }
    if minute > 59 || second > 59 {
        return Err(format!(
            "{whole:?} is not a time of day; minutes and seconds run from 00 to 59"
        ));
    }
    let time = NaiveTime::from_hms_opt(hour, minute, second).ok_or_else(not_datetime)?;
    Ok(Local {
        naive: date.and_time(time),
        offset,
    })
}

fn real_date(year: u32, month: u32, day: u32, whole: &str) -> Result<NaiveDate, String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let year = i32::try_from(year).map_err(|_| format!("{whole:?} has an impossible year"))?;
    if !(1..=12).contains(&month) {
        return Err(format!(
            "{whole:?} has no month {month}; write the date as year-month-day, months 01 to 12"
        ));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        let days = (28..=31)
            .rev()
            .find(|d| NaiveDate::from_ymd_opt(year, month, *d).is_some())
            .unwrap_or(28);
        let name = usize::try_from(month - 1)
            .ok()
            .and_then(|i| MONTHS.get(i))
            .copied()
            .unwrap_or("that month");
        format!("{whole:?} is not a real date: {name} {year} has {days} days")
    })
}

/// Rejects years no crisis happens in; they are typos (0217 for 2017).
fn check_year(year: i32, whole: &str) -> Result<(), String> {
    if (1900..=2999).contains(&year) {
        Ok(())
    } else {
        Err(format!(
            "{whole:?} is in the year {year}; check the date (years 1900 to 2999 are accepted)"
        ))
    }
}

fn twelve_hour(whole: &str, local: &Local, pm: bool) -> String {
    let hour = local.naive.hour();
    if !(1..=12).contains(&hour) || local.offset.is_some() {
        return format!("{whole:?} mixes a 24-hour time with AM/PM; write 2017-12-18 19:33");
    }
    let hour = match (pm, hour) {
        (false, 12) => 0,
        (false, h) => h,
        (true, 12) => 12,
        (true, h) => h + 12,
    };
    format!(
        "{whole:?} uses AM/PM; write the 24-hour time, as in {} {hour:02}:{:02}",
        local.naive.format("%Y-%m-%d"),
        local.naive.minute()
    )
}

/// The instant a wall-clock time names in `zone`, refusing times the clock
/// skipped or showed twice.
fn in_zone(naive: &NaiveDateTime, zone: Tz, whole: &str) -> Result<DateTime<Tz>, String> {
    let written = naive.format("%Y-%m-%dT%H:%M:%S");
    match zone.from_local_datetime(naive) {
        LocalResult::Single(at) => Ok(at),
        LocalResult::Ambiguous(first, second) => Err(format!(
            "{whole:?} happens twice in {} (the clocks went back from {} to {}); write the one you mean: {written}{} (the first) or {written}{} (the second)",
            zone.name(),
            first.offset().fix(),
            second.offset().fix(),
            first.offset().fix(),
            second.offset().fix(),
        )),
        LocalResult::None => {
            let before = offset_near(zone, naive, -2);
            let after = offset_near(zone, naive, 2);
            let readings: Vec<String> = [before, after]
                .into_iter()
                .flatten()
                .filter_map(|offset| {
                    let at = offset.from_local_datetime(naive).single()?;
                    let local = at.with_timezone(&zone).format("%H:%M");
                    Some(format!("{written}{offset} (which is {local} there)"))
                })
                .collect();
            let change = match (before, after) {
                (Some(b), Some(a)) if b != a => format!(" (the clocks went forward from {b} to {a})"),
                _ => String::new(),
            };
            let choices = if readings.len() == 2 {
                format!("; write it with the offset you mean: {}", readings.join(" or "))
            } else {
                "; write it with an explicit offset, as in 2017-12-18T07:33:00-08:00".to_owned()
            };
            Err(format!(
                "{whole:?} does not exist in {}{change}{choices}",
                zone.name()
            ))
        }
    }
}

/// The zone's offset a few days before (negative) or after a local time,
/// which for a skipped time are the offsets either side of the change.
fn offset_near(zone: Tz, naive: &NaiveDateTime, days: i64) -> Option<FixedOffset> {
    let moment = naive.checked_add_signed(TimeDelta::try_days(days)?)?;
    Some(zone.offset_from_utc_datetime(&moment).fix())
}

/// A zone named in a value: exact, or differing only in case, since the
/// value is converted to an offset and the spelling is not kept.
fn lookup_zone(name: &str) -> Option<Tz> {
    if name.eq_ignore_ascii_case("z") {
        return Some(Tz::UTC);
    }
    name.parse::<Tz>().ok().or_else(|| {
        TZ_VARIANTS
            .iter()
            .copied()
            .find(|z| z.name().eq_ignore_ascii_case(name))
    })
}

/// Why a zone name is unknown, with the name probably meant.
fn unknown_zone(name: &str) -> String {
    let wanted = name.trim().replace(' ', "_");
    if let Some(zone) = abbreviation_zone(&wanted) {
        return format!(
            "'{name}' is an abbreviation, not a zone name; use '{zone}' (it follows daylight saving time)"
        );
    }
    match suggest_zone(&wanted) {
        Some(zone) => format!("'{name}' is not a time zone; did you mean '{zone}'?"),
        None => format!(
            "'{name}' is not a time zone; use an IANA name such as America/Los_Angeles, Europe/Paris or UTC"
        ),
    }
}

/// Abbreviations people type that are not zone names themselves.
fn abbreviation_zone(abbreviation: &str) -> Option<&'static str> {
    let upper = abbreviation.to_ascii_uppercase();
    Some(match upper.as_str() {
        "PST" | "PDT" | "PT" => "America/Los_Angeles",
        "MDT" | "MT" => "America/Denver",
        "CST" | "CDT" | "CT" => "America/Chicago",
        "EDT" | "ET" => "America/New_York",
        "AKST" | "AKDT" => "America/Anchorage",
        "BST" => "Europe/London",
        "CEST" => "Europe/Berlin",
        "AEST" | "AEDT" => "Australia/Sydney",
        "JST" => "Asia/Tokyo",
        "NZST" | "NZDT" => "Pacific/Auckland",
        _ => return None,
    })
}

fn suggest_zone(wanted: &str) -> Option<&'static str> {
    let names = || TZ_VARIANTS.iter().map(|z| z.name());
    let city = |name: &'static str| name.rsplit('/').next().unwrap_or(name);
    let wanted_city = wanted.rsplit('/').next().unwrap_or(wanted);
    names()
        .find(|n| n.eq_ignore_ascii_case(wanted))
        .or_else(|| names().find(|n| city(n).eq_ignore_ascii_case(wanted_city)))
        .or_else(|| closest(wanted, names()))
        .or_else(|| {
            let cities: Vec<&str> = names().map(city).collect();
            let best = closest(wanted_city, cities.iter().copied())?;
            names().find(|n| city(n) == best)
        })
}

/// A byte cursor over ASCII date text; non-ASCII text simply fails to match.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Cursor<'a> {
        Cursor {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn done(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.eat_any(&[byte]).is_some()
    }

    fn eat_any(&mut self, set: &[u8]) -> Option<u8> {
        let byte = *self.bytes.get(self.pos)?;
        if set.contains(&byte) {
            self.pos += 1;
            Some(byte)
        } else {
            None
        }
    }

    /// Between `min` and `max` digits, read greedily.
    fn number(&mut self, min: usize, max: usize) -> Option<u32> {
        let start = self.pos;
        let mut value: u32 = 0;
        while self.pos - start < max {
            match self.bytes.get(self.pos) {
                Some(byte) if byte.is_ascii_digit() => {
                    value = value.checked_mul(10)?.checked_add(u32::from(byte - b'0'))?;
                    self.pos += 1;
                }
                _ => break,
            }
        }
        if self.pos - start < min {
            self.pos = start;
            return None;
        }
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::Los_Angeles;
    use serde_json::json;

    fn field(spec: serde_json::Value) -> Field {
        serde_json::from_value(spec).unwrap()
    }

    fn playbook() -> Playbook {
        serde_json::from_value(json!({
            "id": "disaster-helpline",
            "title": "Helpline for a disaster",
            "version": 1,
            "owner": "Communications <comms@example.org>",
            "timezone": "America/Los_Angeles",
            "fields": {
                "event": { "type": "text", "max_len": 60, "help": "What happened, as the public would say it.", "example": "the train derailment near DuPont" },
                "area": { "type": "text", "charset": "gsm" },
                "phone": { "type": "phone", "default": "1-800-555-0199" },
                "link": { "type": "url", "required": false },
                "severity": { "type": "enum", "values": ["low", "high"], "default": "high" }
            },
            "messages": []
        }))
        .unwrap()
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2017, 12, 18, 16, 0, 0)
            .single()
            .unwrap()
    }

    fn raw(pairs: &[(&str, &str)]) -> RawEvent {
        let mut raw = RawEvent::default();
        for (name, text) in pairs {
            raw.set(name, (*text).to_owned(), Origin::Set);
        }
        raw
    }

    fn problems(pairs: &[(&str, &str)]) -> Vec<String> {
        resolve(&playbook(), &raw(pairs), now())
            .unwrap_err()
            .iter()
            .map(Problem::to_string)
            .collect()
    }

    fn la(text: &str) -> Result<String, String> {
        parse_datetime(text, Los_Angeles).map(format_datetime)
    }

    fn normalized(spec: serde_json::Value, text: &str) -> Result<String, String> {
        normalize("value", &field(spec), text, Tz::UTC)
    }

    #[test]
    fn parse_set_splits_at_the_first_equals_sign() {
        assert_eq!(
            parse_set("link=https://example.org/?a=b").unwrap(),
            ("link".to_owned(), "https://example.org/?a=b".to_owned())
        );
        assert_eq!(
            parse_set("area=").unwrap(),
            ("area".to_owned(), String::new())
        );
        assert!(parse_set("area")
            .unwrap_err()
            .contains("use --set NAME=VALUE"));
        assert!(parse_set("=Pierce")
            .unwrap_err()
            .contains("use --set NAME=VALUE"));
        assert!(parse_set(" =x").is_err());
    }

    #[test]
    fn later_sets_override_earlier_ones_in_place() {
        let mut event = RawEvent::default();
        event.set("area", "Thurston".to_owned(), Origin::Set);
        event.set("event", "derailment".to_owned(), Origin::Set);
        let file = Origin::File {
            path: "examples/derailment.yaml".to_owned(),
            line: 3,
            column: 7,
        };
        event.set("area", "Pierce County".to_owned(), file.clone());
        let names: Vec<&String> = event.values.keys().collect();
        assert_eq!(names, ["area", "event"]);
        assert_eq!(event.values["area"].text, "Pierce County");
        assert_eq!(event.values["area"].origin, file);
        assert_eq!(file.describe("area"), "examples/derailment.yaml:3:7");
        assert_eq!(Origin::Set.describe("area"), "--set area=...");
    }

    #[test]
    fn resolves_a_complete_event_in_declaration_order() {
        let event = resolve(
            &playbook(),
            &raw(&[
                ("area", "  Pierce County "),
                ("started_at", "2017-12-18 07:33 America/Los_Angeles"),
                ("event", "the train derailment near DuPont"),
                ("severity", "HIGH"),
            ]),
            now(),
        )
        .unwrap();
        let names: Vec<&String> = event.values.keys().collect();
        assert_eq!(names, ["event", "area", "phone", "link", "severity"]);
        assert_eq!(event.values["area"].as_deref(), Some("Pierce County"));
        assert_eq!(event.values["phone"].as_deref(), Some("1-800-555-0199"));
        assert_eq!(event.values["link"], None);
        assert_eq!(event.values["severity"].as_deref(), Some("high"));
        assert_eq!(event.zone, Los_Angeles);
        assert_eq!(
            format_datetime(event.started_at),
            "2017-12-18T07:33:00-08:00"
        );
    }

    #[test]
    fn started_at_defaults_to_now_in_the_playbook_zone() {
        let event = resolve(
            &playbook(),
            &raw(&[("event", "flood"), ("area", "Lacey"), ("started_at", " ")]),
            now() + TimeDelta::milliseconds(250),
        )
        .unwrap();
        assert_eq!(
            format_datetime(event.started_at),
            "2017-12-18T08:00:00-08:00"
        );
        assert_eq!(event.started_at.nanosecond(), 0);
    }

    #[test]
    fn a_declared_started_at_keeps_its_place_and_default() {
        let mut book = playbook();
        book.fields.shift_insert(
            0,
            STARTED_AT.to_owned(),
            field(json!({ "type": "datetime", "default": "2017-12-18 07:33" })),
        );
        let event = resolve(&book, &raw(&[("event", "e"), ("area", "a")]), now()).unwrap();
        assert_eq!(
            event.values.get_index(0).map(|(k, _)| k.as_str()),
            Some(STARTED_AT)
        );
        assert_eq!(
            event.values[STARTED_AT].as_deref(),
            Some("2017-12-18T07:33:00-08:00")
        );
        assert_eq!(
            format_datetime(event.started_at),
            "2017-12-18T07:33:00-08:00"
        );
    }

    #[test]
    fn reports_every_problem_at_once() {
        let found = problems(&[
            ("aera", "Pierce County"),
            ("started_at", "18/12/2017"),
            ("event", "x".repeat(61).as_str()),
            ("severity", "hgih"),
        ]);
        assert_eq!(
            found,
            [
                "aera: unknown field 'aera'; did you mean 'area'?",
                "started_at: \"18/12/2017\" is not a date and time; use 2017-12-18 07:33 or RFC 3339",
                "event: is 61 characters; at most 60 allowed (shorten it)",
                "area: missing. Set it with --set area=VALUE",
                "severity: \"hgih\" is not a valid severity; did you mean 'high'? (one of: low, high)",
            ]
        );
    }

    #[test]
    fn problems_point_at_where_the_value_came_from() {
        let mut event = raw(&[("area", "Lacey")]);
        event.set(
            "event",
            "bad\u{7}".to_owned(),
            Origin::File {
                path: "examples/x.yaml".to_owned(),
                line: 3,
                column: 13,
            },
        );
        let found = resolve(&playbook(), &event, now()).unwrap_err();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].location().as_deref(), Some("examples/x.yaml:3:13"));
    }

    #[test]
    fn unknown_fields_without_a_close_match_list_the_fields() {
        let found = problems(&[("event", "flood"), ("area", "Lacey"), ("casualties", "3")]);
        assert_eq!(
            found,
            ["casualties: unknown field 'casualties'; this playbook's fields are: event, area, phone, link, severity (and started_at)"]
        );
    }

    #[test]
    fn missing_fields_show_help_and_example_and_empty_counts_as_missing() {
        let found = problems(&[("event", ""), ("area", "Lacey")]);
        assert_eq!(
            found,
            ["event: missing; What happened, as the public would say it, e.g. the train derailment near DuPont. Set it with --set event=VALUE"]
        );
    }

    #[test]
    fn empty_optional_values_are_none_and_empty_values_take_the_default() {
        let event = resolve(
            &playbook(),
            &raw(&[
                ("event", "flood"),
                ("area", "Lacey"),
                ("link", ""),
                ("phone", ""),
            ]),
            now(),
        )
        .unwrap();
        assert_eq!(event.values["link"], None);
        assert_eq!(event.values["phone"].as_deref(), Some("1-800-555-0199"));
    }

    #[test]
    fn invalid_defaults_are_blamed_on_the_playbook() {
        let mut book = playbook();
        book.fields["severity"].default = Some(crate::field::ScalarText("medium".to_owned()));
        let found = resolve(&book, &raw(&[("event", "e"), ("area", "a")]), now()).unwrap_err();
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .message
            .starts_with("the playbook's default \"medium\" is not valid"));
        assert!(found[0].message.contains("fix the playbook"));
        assert_eq!(found[0].origin, None);
    }

    #[test]
    fn an_unknown_playbook_zone_is_reported_with_a_suggestion() {
        let mut book = playbook();
        book.timezone = Some("America/Los_Angles".to_owned());
        assert_eq!(
            zone(&book).unwrap_err(),
            "'America/Los_Angles' is not a time zone; did you mean 'America/Los_Angeles'?"
        );
        let found = resolve(&book, &raw(&[("event", "e"), ("area", "a")]), now()).unwrap_err();
        assert_eq!(found[0].field, "timezone");
        book.timezone = Some("america/los_angeles".to_owned());
        assert!(zone(&book).unwrap_err().contains("'America/Los_Angeles'"));
        book.timezone = Some("PST".to_owned());
        assert!(zone(&book).unwrap_err().contains("abbreviation"));
        book.timezone = Some("Los Angeles".to_owned());
        assert!(zone(&book).unwrap_err().contains("'America/Los_Angeles'"));
        book.timezone = Some("Mars/Olympus_Mons".to_owned());
        assert!(zone(&book).unwrap_err().contains("IANA"));
        book.timezone = None;
        assert_eq!(zone(&book).unwrap(), Tz::UTC);
    }

    #[test]
    fn template_syntax_in_values_stays_verbatim() {
        let event = resolve(
            &playbook(),
            &raw(&[("event", "{{ 1 + 1 }}"), ("area", "{% if x %}y{% endif %}")]),
            now(),
        )
        .unwrap();
        assert_eq!(event.values["event"].as_deref(), Some("{{ 1 + 1 }}"));
        assert_eq!(
            event.values["area"].as_deref(),
            Some("{% if x %}y{% endif %}")
        );
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
            normalized(json!({ "type": "text" }), "line one\r\nline two").unwrap(),
            "line one\nline two"
        );
        assert_eq!(
            normalized(json!({ "type": "text" }), "a\tb").unwrap_err(),
            "contains a tab at character 2; use spaces instead"
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
    fn gsm_fields_reject_characters_sms_cannot_send_cheaply() {
        let gsm = json!({ "type": "text", "charset": "gsm" });
        assert_eq!(normalized(gsm.clone(), "Öresund Ñandú €5 [x]").unwrap_err(),
            "contains 'ú', which SMS cannot send in GSM-7; this field promises plain GSM (write 'u')");
        assert_eq!(
            normalized(gsm.clone(), "Ciudad de Méjico, Bogotá").unwrap_err(),
            "contains 'á', which SMS cannot send in GSM-7; this field promises plain GSM (write 'a')"
        );
        assert_eq!(
            normalized(gsm.clone(), "Łódź “north” 🚆").unwrap_err(),
            "contains 'Ł', 'ó', 'ź', '“', '”' and '🚆', which SMS cannot send in GSM-7; this field promises plain GSM (write 'L' for 'Ł', 'o' for 'ó', 'z' for 'ź', '\"' for '“', '\"' for '”')"
        );
        assert_eq!(
            normalized(gsm.clone(), "Pierce\u{a0}County").unwrap_err(),
            "contains a special space (U+00A0), which SMS cannot send in GSM-7; this field promises plain GSM (write a plain space)"
        );
        assert!(normalized(gsm.clone(), "🚆")
            .unwrap_err()
            .ends_with("(reword without it)"));
        assert_eq!(
            normalized(gsm, "Pierce County, £5 é").unwrap(),
            "Pierce County, £5 é"
        );
        assert_eq!(
            normalized(json!({ "type": "text" }), "Bogotá 🚆").unwrap(),
            "Bogotá 🚆"
        );
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
    fn datetimes_accept_the_documented_forms() {
        let expected = Ok("2017-12-18T07:33:00-08:00".to_owned());
        for text in [
            "2017-12-18 07:33",
            "2017-12-18 07:33:00",
            "2017-12-18T07:33",
            "2017-12-18t07:33:00.250",
            "2017-12-18T07:33:00-08:00",
            "2017-12-18T15:33:00Z",
            "2017-12-18T15:33:00.999Z",
            "2017-12-18 7:33",
            "2017-12-18T07:33-08:00",
            "2017-12-18 07:33 -0800",
            "2017-12-18 07:33 America/Los_Angeles",
            "2017-12-18 07:33 america/los_angeles",
            "2017-12-18 15:33 UTC",
            "2017-12-18  16:33   Europe/Paris ",
        ] {
            assert_eq!(la(text), expected, "{text}");
        }
        assert_eq!(
            parse_datetime("2017-12-18 07:33", Tz::UTC).map(format_datetime),
            Ok("2017-12-18T07:33:00+00:00".to_owned())
        );
    }

    #[test]
    fn datetimes_explain_what_is_wrong() {
        assert_eq!(
            la("18/12/2017").unwrap_err(),
            "\"18/12/2017\" is not a date and time; use 2017-12-18 07:33 or RFC 3339"
        );
        assert_eq!(
            la("2017-02-30 10:00").unwrap_err(),
            "\"2017-02-30 10:00\" is not a real date: February 2017 has 28 days"
        );
        assert!(la("2016-02-29 10:00").is_ok());
        assert!(la("2017-13-01 10:00").unwrap_err().contains("no month 13"));
        assert!(la("2017-12-18 24:00")
            .unwrap_err()
            .contains("hours run from 00 to 23"));
        assert!(la("2017-12-18 07:60")
            .unwrap_err()
            .contains("minutes and seconds"));
        assert_eq!(
            la("2017-12-18").unwrap_err(),
            "\"2017-12-18\" has no time; add one, as in 2017-12-18 07:33"
        );
        assert!(la("07:33").unwrap_err().contains("has no date"));
        assert_eq!(
            la("2017-12-18 07:33 PM").unwrap_err(),
            "\"2017-12-18 07:33 PM\" uses AM/PM; write the 24-hour time, as in 2017-12-18 19:33"
        );
        assert!(la("2017-12-18 12:15 am")
            .unwrap_err()
            .ends_with("2017-12-18 00:15"));
        assert!(la("2017-12-18 07:33 PST")
            .unwrap_err()
            .contains("America/Los_Angeles"));
        assert!(la("2017-12-18 07:33 Mars/Olympus")
            .unwrap_err()
            .contains("unknown zone"));
        assert!(la("2017-12-18T07:33-08:00 UTC")
            .unwrap_err()
            .contains("give one of them"));
        assert!(la("0217-12-18 07:33").unwrap_err().contains("year 217"));
        assert!(la("2017-12-18T07:33:00+25:00").is_err());
    }

    #[test]
    fn a_skipped_spring_time_names_both_possible_offsets() {
        assert_eq!(
            la("2018-03-11 02:30").unwrap_err(),
            "\"2018-03-11 02:30\" does not exist in America/Los_Angeles (the clocks went forward from -08:00 to -07:00); write it with the offset you mean: 2018-03-11T02:30:00-08:00 (which is 03:30 there) or 2018-03-11T02:30:00-07:00 (which is 01:30 there)"
        );
        assert_eq!(
            la("2018-03-11T02:30:00-08:00"),
            Ok("2018-03-11T03:30:00-07:00".to_owned())
        );
        assert!(parse_datetime("2018-03-11 02:30 America/Los_Angeles", Tz::UTC).is_err());
        assert!(parse_datetime("2018-03-11 02:30", Tz::UTC).is_ok());
    }

    #[test]
    fn an_ambiguous_autumn_time_names_both_offsets() {
        assert_eq!(
            la("2018-11-04 01:30").unwrap_err(),
            "\"2018-11-04 01:30\" happens twice in America/Los_Angeles (the clocks went back from -07:00 to -08:00); write the one you mean: 2018-11-04T01:30:00-07:00 (the first) or 2018-11-04T01:30:00-08:00 (the second)"
        );
        assert_eq!(
            la("2018-11-04T01:30:00-07:00"),
            Ok("2018-11-04T01:30:00-07:00".to_owned())
        );
        assert_eq!(
            la("2018-11-04T01:30:00-08:00"),
            Ok("2018-11-04T01:30:00-08:00".to_owned())
        );
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
    fn urls_need_a_web_scheme_and_a_host() {
        let url = json!({ "type": "url" });
        for ok in [
            "https://www.piercecountywa.gov/alerts",
            "http://localhost:8080/status",
            "HTTPS://Example.ORG",
            "https://example.org/?q={{x}}",
            "https://user@example.org:443/x#top",
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
            normalize("level", &field(level.clone()), "High", Tz::UTC).unwrap(),
            "High"
        );
        assert_eq!(
            normalize("level", &field(level.clone()), " high ", Tz::UTC).unwrap(),
            "High"
        );
        assert_eq!(
            normalize("level", &field(level.clone()), "moderat", Tz::UTC).unwrap_err(),
            "\"moderat\" is not a valid level; did you mean 'Moderate'? (one of: Low, Moderate, High)"
        );
        assert_eq!(
            normalize("level", &field(level), "extreme", Tz::UTC).unwrap_err(),
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
                let _ = normalize("value", &spec, input, Los_Angeles);
                let _ = parse_datetime(input, Los_Angeles);
                let _ = parse_set(input);
            }
        }
        let huge = "9".repeat(10_000);
        assert_eq!(
            normalized(json!({ "type": "number" }), &huge).unwrap(),
            huge
        );
        assert!(la(&huge).is_err());
    }

    #[test]
    fn dates_near_the_ends_of_the_tz_database_resolve() {
        // Samoa skipped 2011-12-30 entirely when it moved across the date line.
        let apia: Tz = "Pacific/Apia".parse().unwrap();
        let err = parse_datetime("2011-12-30 12:00", apia).unwrap_err();
        assert!(err.contains("does not exist in Pacific/Apia"), "{err}");
        assert!(parse_datetime("2999-12-31 23:59", apia).is_ok());
        assert!(parse_datetime("1900-01-01 00:00", Los_Angeles).is_ok());
    }
}
