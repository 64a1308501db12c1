//! Filters of our own: `datetime`, and bounded versions of the built-in
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
    let tag = lang.replace('-', "_");
    if let Ok(locale) = Locale::try_from(tag.as_str()) {
        return locale;
    }
    let language = tag.split('_').next().unwrap_or_default();
    let usual = match language {
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
    let text = value.as_str().ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            "datetime expects a date and time such as started_at",
        )
    })?;
    let at = chrono::DateTime::parse_from_rfc3339(text).map_err(|_| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("datetime expects an RFC 3339 date and time, not '{text}'"),
        )
    })?;
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
        at.with_timezone(&zone)
            .format_localized_with_items(items.iter(), locale)
    )
    .map_err(|_| invalid())?;
    Ok(out)
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
