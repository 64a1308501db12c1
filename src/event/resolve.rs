//! Resolving an event: every value the person on duty gave, checked against
//! the playbook's declared fields, with defaults filled in and `started_at`
//! read, into the [`Event`] templates are rendered with, or every
//! [`Problem`] at once.

use std::fmt;

use chrono::{DateTime, Timelike, Utc};
use chrono_tz::Tz;
use indexmap::IndexMap;
use serde::Serialize;

use super::datetime::{format_datetime, parse_datetime};
use super::normalize::{admit, normalize};
use super::raw::{Origin, RawEvent, RawValue};
use super::{closest, zone::zone};
use crate::field::{Field, FieldType, STARTED_AT};
use crate::playbook::Playbook;

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
    /// Text values given for one language (`--set event.es=...`), by
    /// language then field: they replace the field's value in that
    /// language's messages.
    pub per_lang: IndexMap<String, IndexMap<String, String>>,
}

impl Event {
    /// The values a message in `lang` sees.
    pub fn values_for(&self, lang: &str) -> IndexMap<String, Option<String>> {
        let mut values = self.values.clone();
        if let Some(given) = self.per_lang.get(lang) {
            for (name, value) in given {
                values.insert(name.clone(), Some(value.clone()));
            }
        }
        values
    }
}

/// One thing wrong with the event details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The field the problem is about (or `timezone` for the playbook's zone).
    pub field: String,
    /// What is wrong and what to do; it starts with the problem, since
    /// `Display` puts the field name first.
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

/// Checks every value against the playbook and returns the event, or every
/// problem found. `now` is the default for `started_at`, and the clock
/// relative times the person on duty typed (`02:40`, `20m ago`) are read
/// against.
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

    // `field.lang`: a text value for one of the playbook's languages.
    let mut per_lang: IndexMap<String, IndexMap<String, String>> = IndexMap::new();
    let mut base = raw.clone();
    for (key, value) in &raw.values {
        let Some((name, lang)) = key.split_once('.') else {
            continue;
        };
        base.values.shift_remove(key);
        let field = playbook.fields.get(name);
        let problem = match field {
            None => Some(unknown_field(name, playbook)),
            Some(f) if f.kind != FieldType::Text => Some(format!(
                "only text fields can be given per language, and '{name}' is {}",
                f.kind.name()
            )),
            Some(_) if !playbook.languages.iter().any(|l| l == lang) => Some(format!(
                "the playbook has no language '{lang}'; it has: {}",
                playbook.languages.join(", ")
            )),
            Some(_) => None,
        };
        if let Some(message) = problem {
            problems.push(Problem::new(key, message, Some(value.origin.clone())));
            continue;
        }
        let field = field.expect("checked above");
        match normalize(name, field, &value.text, zone, Some(now)) {
            Ok(text) => {
                per_lang
                    .entry(lang.to_owned())
                    .or_default()
                    .insert(name.to_owned(), text);
            }
            Err(message) => problems.push(Problem::new(key, message, Some(value.origin.clone()))),
        }
    }
    // A text given in every language needs no value of its own.
    for (name, _) in playbook
        .fields
        .iter()
        .filter(|(_, f)| f.kind == FieldType::Text)
    {
        let everywhere = !playbook.languages.is_empty()
            && playbook
                .languages
                .iter()
                .all(|l| per_lang.get(l).is_some_and(|v| v.contains_key(name)));
        let given = base
            .values
            .get(name)
            .is_some_and(|v| !v.text.trim().is_empty());
        if everywhere && !given {
            let first = &per_lang[&playbook.languages[0]][name];
            base.set(name, first.clone(), Origin::Set);
        }
    }
    let raw = &base;
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
        match resolve_field(name, field, raw.values.get(name), zone, now) {
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
            per_lang,
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
            return read_started_at(&given.text, zone, Some(now))
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
        return read_started_at(default.as_str(), zone, None)
            .map_err(|message| problems.push(bad_default(STARTED_AT, default.as_str(), message)))
            .ok();
    }
    // Timestamps in messages are read to the minute or second, never finer.
    let now = now.with_nanosecond(0).unwrap_or(now);
    Some(now.with_timezone(&zone))
}

/// `started_at` is kept as a time, not as text, so it skips `normalize`
/// but passes the same door: bounded, one line, no control characters.
/// `now` is `None` for the playbook's default, which must name its date.
fn read_started_at(
    text: &str,
    zone: Tz,
    now: Option<DateTime<Utc>>,
) -> Result<DateTime<Tz>, String> {
    let text = admit(STARTED_AT, text, FieldType::Datetime, false)?;
    parse_datetime(text, zone, now)
}

fn resolve_field(
    name: &str,
    field: &Field,
    given: Option<&RawValue>,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<Option<String>, Problem> {
    if let Some(value) = given.filter(|v| !v.text.trim().is_empty()) {
        return normalize(name, field, &value.text, zone, Some(now))
            .map(Some)
            .map_err(|message| Problem::new(name, message, Some(value.origin.clone())));
    }
    let default = field
        .default
        .as_ref()
        .filter(|d| !d.as_str().trim().is_empty());
    match default {
        Some(default) => normalize(name, field, default.as_str(), zone, None)
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};
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
                "started_at: \"18/12/2017\" is not a date and time; use 2017-12-18 07:33, 07:33 (today), yesterday 23:10, 20m ago, now or RFC 3339",
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
    fn an_unknown_playbook_zone_is_blamed_on_the_playbook() {
        let mut book = playbook();
        book.timezone = Some("America/Los_Angles".to_owned());
        assert_eq!(
            zone(&book).unwrap_err(),
            "'America/Los_Angles' is not a time zone; did you mean 'America/Los_Angeles'?"
        );
        let found = resolve(&book, &raw(&[("event", "e"), ("area", "a")]), now()).unwrap_err();
        assert_eq!(found[0].field, "timezone");
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
    fn hostile_values_are_refused_where_they_were_typed() {
        let mut event = raw(&[("area", "Lacey")]);
        event.set(
            "event",
            "flood\n- [x] Legal: approved".to_owned(),
            Origin::File {
                path: "examples/x.yaml".to_owned(),
                line: 2,
                column: 8,
            },
        );
        let found = resolve(&playbook(), &event, now()).unwrap_err();
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].to_string(),
            "event: contains a line break (U+000A) at character 6; 'event' takes a single line, so join the lines (a playbook can let a text field take several with `multiline: true`)"
        );
        assert_eq!(found[0].location().as_deref(), Some("examples/x.yaml:2:8"));
    }

    #[test]
    fn started_at_passes_the_same_checks_as_every_value() {
        let found = problems(&[
            ("event", "e"),
            ("area", "a"),
            ("started_at", "2017-12-18\n07:33"),
        ]);
        assert_eq!(
            found,
            ["started_at: contains a line break (U+000A) at character 11; 'started_at' takes a single line; write it on one line"]
        );
        let long = format!("2017-12-18 07:33 {}", "x".repeat(10_000));
        let found = problems(&[("event", "e"), ("area", "a"), ("started_at", &long)]);
        assert_eq!(
            found,
            ["started_at: is 10017 characters; no field takes more than 10000 (shorten it)"]
        );
    }

    #[test]
    fn a_multiline_field_keeps_its_lines() {
        let mut book = playbook();
        book.fields.insert(
            "notes".to_owned(),
            field(json!({ "type": "text", "multiline": true, "required": false })),
        );
        let event = resolve(
            &book,
            &raw(&[
                ("event", "e"),
                ("area", "a"),
                ("notes", " one\r\ntwo\rthree\n"),
            ]),
            now(),
        )
        .unwrap();
        assert_eq!(event.values["notes"].as_deref(), Some("one\ntwo\nthree"));
    }
}
