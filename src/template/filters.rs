//! Filters of our own: `datetime`, `at_time`, and bounded versions of the built-in
//! filters that can make a text much longer than their input.
//!
//! minijinja bounds how many instructions a template runs (fuel), not how
//! large one value grows in one step: `replace` of every letter with a long
//! text, or `join` of a long value with itself, multiplies a value's length.
//! The versions here refuse a result longer than any message can be.

use chrono::format::StrftimeItems;
use chrono::Locale;
use chrono_tz::Tz;
use minijinja::{Environment, Error, ErrorKind, State, Value};
use std::fmt::Write as _;

use crate::limits;

/// Adds the filters to `env`, replacing the built-in `replace` and `join`.
pub fn add(env: &mut Environment<'static>, zone: Tz) {
    env.add_filter(
        "datetime",
        move |state: &State, value: Value, format: Option<String>| {
            let lang = state.lookup("lang");
            let locale = locale_for(lang.as_ref().and_then(Value::as_str).unwrap_or("en"));
            format_datetime(&value, format.as_deref(), zone, locale)
        },
    );
    env.add_filter(
        "at_time",
        move |state: &State, value: Value, clock: Option<String>| {
            let lang = state.lookup("lang");
            let lang = lang.as_ref().and_then(Value::as_str).unwrap_or("en");
            at_time(&value, clock.as_deref(), zone, lang)
        },
    );
    // The template policy refuses `replace` (it can make a value a link);
    // the built-in stays replaced by a bounded one all the same, so no
    // path to it can grow a text without limit.
    env.add_filter("replace", replace);
    env.add_filter("join", join);
}

fn too_long(filter: &str) -> Error {
    Error::new(
        ErrorKind::InvalidOperation,
        format!(
            "{filter} would make a text longer than {} bytes; no message is that long",
            limits::MAX_RENDERED_BYTES
        ),
    )
}

/// The locale whose month and weekday names a message in `lang` uses:
/// the tag itself where the locale data has it (`es-MX`), else the
/// language's usual one (`es` is `es_US`, for the U.S. health systems the
/// examples serve; `en` is `en_US`), else POSIX, which is English.
pub fn locale_for(lang: &str) -> Locale {
    // Language tags are case-insensitive (`ES-us` is `es-US`); the locale
    // data names them as `es_US`.
    let mut subtags = lang.split(['-', '_']);
    let language = subtags.next().unwrap_or_default().to_ascii_lowercase();
    if let Some(region) = subtags.next() {
        let tag = format!("{language}_{}", region.to_ascii_uppercase());
        if let Ok(locale) = Locale::try_from(tag.as_str()) {
            return locale;
        }
    }
    let usual = match language.as_str() {
        "en" => "en_US",
        "es" => "es_US",
        "fr" => "fr_FR",
        "de" => "de_DE",
        "pt" => "pt_BR",
        "zh" => "zh_CN",
        other => other,
    };
    Locale::try_from(usual).unwrap_or(Locale::POSIX)
}

/// `{{ started_at | datetime("%A %-d %B, %H:%M") }}`: formats an RFC 3339
/// value in the event's zone, with month and weekday names in the
/// message's language ("lunes 18 de diciembre" in Spanish). An invalid
/// format is an error, never a panic: chrono's formatter reports what it
/// cannot format through `fmt::Error`, which `to_string()` would turn into
/// a panic.
pub fn format_datetime(
    value: &Value,
    format: Option<&str>,
    zone: Tz,
    locale: Locale,
) -> Result<String, Error> {
    let at = in_zone("datetime", value, zone)?;
    let format = format.unwrap_or("%Y-%m-%d %H:%M %Z");
    let invalid = || {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("'{format}' is not a valid date format; use strftime codes such as %H:%M"),
        )
    };
    let items = StrftimeItems::new_with_locale(format, locale)
        .parse()
        .map_err(|_| invalid())?;
    let mut out = String::new();
    write!(
        out,
        "{}",
        at.format_localized_with_items(items.iter(), locale)
    )
    .map_err(|_| invalid())?;
    Ok(out)
}

/// The RFC 3339 text `value` as a time in `zone`; `filter` names the
/// filter in the error.
fn in_zone(filter: &str, value: &Value, zone: Tz) -> Result<chrono::DateTime<Tz>, Error> {
    let text = value.as_str().ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("{filter} expects a date and time such as started_at"),
        )
    })?;
    let at = chrono::DateTime::parse_from_rfc3339(text).map_err(|_| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("{filter} expects an RFC 3339 date and time, not '{text}'"),
        )
    })?;
    Ok(at.with_timezone(&zone))
}

/// `{{ ended_at | at_time }}`: the time of day in the event's zone with the
/// word for "at", as the message's language says it, so a template never
/// gets the grammar wrong for some hours. Each language writes its usual
/// clock: English the 12-hour one (`at 1:30 PM`), Spanish the 24-hour one,
/// with `la` for one o'clock and `las` for every other hour (`a la 1:30`,
/// `a las 13:30`). `at_time("12h")` or `at_time("24h")` chooses the clock:
/// `at 13:30`; `a la 1:30 p. m.`, `a las 10:05 a. m.` (the abbreviations
/// the Real Academia Española recommends; they end with a period, which
/// also ends a sentence). Other languages are refused, so lint finds a
/// template that would need them.
pub fn at_time(value: &Value, clock: Option<&str>, zone: Tz, lang: &str) -> Result<String, Error> {
    use chrono::Timelike;
    let at = in_zone("at_time", value, zone)?;
    let language = lang.split(['-', '_']).next().unwrap_or_default();
    let language = language.to_ascii_lowercase();
    let full_day = match clock {
        None => language == "es",
        Some("12h") => false,
        Some("24h") => true,
        Some(other) => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("at_time takes \"12h\" or \"24h\", not '{other}'"),
            ))
        }
    };
    let (is_pm, hour12) = at.hour12();
    let hour = if full_day { at.hour() } else { hour12 };
    let minute = at.minute();
    match (language.as_str(), full_day) {
        ("en", false) => Ok(format!(
            "at {hour}:{minute:02} {}",
            if is_pm { "PM" } else { "AM" }
        )),
        ("en", true) => Ok(format!("at {hour:02}:{minute:02}")),
        ("es", _) => {
            let article = if hour == 1 { "la" } else { "las" };
            let mut out = format!("a {article} {hour}:{minute:02}");
            if !full_day {
                out.push_str(if is_pm { " p. m." } else { " a. m." });
            }
            Ok(out)
        }
        _ => Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("at_time knows English and Spanish, not '{lang}'; write the time with datetime, such as datetime(\"%H:%M\")"),
        )),
    }
}

/// `replace(from, to)`, refusing a result longer than any message.
fn replace(value: String, from: String, to: String) -> Result<String, Error> {
    // An empty `from` matches between every character.
    let matches = if from.is_empty() {
        value.chars().count() + 1
    } else {
        value.matches(from.as_str()).count()
    };
    let grows = matches.saturating_mul(to.len());
    if value.len().saturating_add(grows) > limits::MAX_RENDERED_BYTES {
        return Err(too_long("replace"));
    }
    Ok(value.replace(from.as_str(), &to))
}

/// `join(separator)` of a list or of a text's characters, refusing a
/// result longer than any message.
fn join(value: Value, separator: Option<String>) -> Result<String, Error> {
    let separator = separator.unwrap_or_default();
    let mut out = String::new();
    let mut push = |i: usize, item: &str| {
        if i > 0 {
            out.push_str(&separator);
        }
        out.push_str(item);
        if out.len() > limits::MAX_RENDERED_BYTES {
            Err(too_long("join"))
        } else {
            Ok(())
        }
    };
    if let Some(text) = value.as_str() {
        let mut buf = [0u8; 4];
        for (i, c) in text.chars().enumerate() {
            push(i, c.encode_utf8(&mut buf))?;
        }
    } else {
        for (i, item) in value.try_iter()?.enumerate() {
            push(i, &item.to_string())?;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_formats_in_the_zone_and_never_panics() {
        let at = Value::from("2017-12-18T15:33:00Z");
        let zone: Tz = "America/Los_Angeles".parse().unwrap();
        assert_eq!(
            format_datetime(&at, Some("%H:%M %Z"), zone, Locale::POSIX).unwrap(),
            "07:33 PST"
        );
        for format in ["%Q", "%", "%E", "%.3%", "%:::z%", "%#z", "%-", "%j%U%+%c%:"] {
            // Either a text or an error; never a panic.
            let _ = format_datetime(&at, Some(format), zone, Locale::es_ES);
        }
        assert!(format_datetime(&at, Some("%Q"), zone, Locale::POSIX).is_err());
        assert!(format_datetime(&Value::from("yesterday"), None, zone, Locale::POSIX).is_err());
        assert_eq!(
            format_datetime(&at, Some("%A %-d de %B"), zone, locale_for("es")).unwrap(),
            "lunes 18 de diciembre"
        );
        assert_eq!(
            format_datetime(&at, Some("%A, %B %-d"), zone, locale_for("en")).unwrap(),
            "Monday, December 18"
        );
        assert_eq!(locale_for("xx-YY"), Locale::POSIX);
        // Tags in any case name the same locale.
        for tag in ["es", "ES", "Es", "es-US", "ES-us", "es_US"] {
            assert_eq!(locale_for(tag), Locale::es_US, "{tag}");
        }
        assert_eq!(locale_for("es-mx"), Locale::es_MX);
        assert_eq!(locale_for("EN"), Locale::en_US);
    }

    #[test]
    fn at_time_says_at_with_the_right_article_for_every_hour() {
        let zone: Tz = "America/Los_Angeles".parse().unwrap();
        // Local times in Los Angeles (UTC-8 in December).
        let cases = [
            (
                "2017-12-18T09:30:00Z",
                "at 1:30 AM",
                "a la 1:30 a. m.",
                "a la 1:30",
            ),
            (
                "2017-12-18T21:05:00Z",
                "at 1:05 PM",
                "a la 1:05 p. m.",
                "a las 13:05",
            ),
            (
                "2017-12-18T08:00:00Z",
                "at 12:00 AM",
                "a las 12:00 a. m.",
                "a las 0:00",
            ),
            (
                "2017-12-18T20:00:00Z",
                "at 12:00 PM",
                "a las 12:00 p. m.",
                "a las 12:00",
            ),
            (
                "2017-12-19T07:59:00Z",
                "at 11:59 PM",
                "a las 11:59 p. m.",
                "a las 23:59",
            ),
            (
                "2017-12-18T18:00:00Z",
                "at 10:00 AM",
                "a las 10:00 a. m.",
                "a las 10:00",
            ),
        ];
        for (utc, en, es, es_24) in cases {
            let at = Value::from(utc);
            assert_eq!(at_time(&at, None, zone, "en").unwrap(), en, "{utc}");
            assert_eq!(at_time(&at, Some("12h"), zone, "en-US").unwrap(), en);
            assert_eq!(at_time(&at, Some("12h"), zone, "es").unwrap(), es, "{utc}");
            assert_eq!(at_time(&at, Some("24h"), zone, "es-MX").unwrap(), es_24);
            assert_eq!(at_time(&at, None, zone, "ES").unwrap(), es_24);
        }
        let at = Value::from("2017-12-18T21:05:00Z");
        assert_eq!(at_time(&at, Some("24h"), zone, "en").unwrap(), "at 13:05");
        assert!(at_time(&at, None, zone, "fr").is_err());
        assert!(at_time(&at, Some("25h"), zone, "en").is_err());
        assert!(at_time(&Value::from("noon"), None, zone, "en").is_err());
        assert!(at_time(&Value::from(7), None, zone, "en").is_err());
    }

    #[test]
    fn replace_and_join_refuse_to_grow_past_the_cap() {
        let long = "a".repeat(1000);
        assert!(replace(long.clone(), "a".into(), "b".repeat(1000)).is_err());
        assert!(replace(long.clone(), String::new(), "b".repeat(300)).is_err());
        assert_eq!(
            replace("a-b".into(), "-".into(), " ".into()).unwrap(),
            "a b"
        );
        // At the cap exactly, allowed; one byte past, refused.
        let at_cap = "a".repeat(limits::MAX_RENDERED_BYTES);
        assert!(replace(at_cap.clone(), "b".into(), "cc".into()).is_ok());
        assert!(replace(at_cap, "a".into(), "aa".into()).is_err());
        assert!(join(Value::from(long.clone()), Some(long)).is_err());
        assert_eq!(
            join(Value::from(vec!["a", "b"]), Some(", ".into())).unwrap(),
            "a, b"
        );
    }
}
