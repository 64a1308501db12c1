//! Dates and times as people type them under pressure: `2017-12-18 07:33`,
//! RFC 3339, an offset (`07:33 -08:00`) or a zone name after the time
//! (`07:33 America/Los_Angeles`), read in the playbook's zone otherwise.
//! Values typed during an event may also be relative to the clock (`02:40`,
//! `yesterday 23:10`, `20m ago`, `now`; see `relative.rs`); a playbook's own
//! defaults and examples are read without a clock and must give the date.
//!
//! Years run from [`EARLIEST_YEAR`] to [`LATEST_YEAR`]: anything else is a
//! typo (0217 for 2017), and the bound keeps every event time far from the
//! ends of the calendar, so adding a playbook duration to it cannot overflow.

use chrono::{
    DateTime, Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    SecondsFormat, TimeDelta, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;

use super::relative::{self, Instant};
use super::zone::{lookup_zone, unknown_zone};

/// The earliest year a date may be in.
pub const EARLIEST_YEAR: i32 = 1900;

/// The latest year a date may be in.
pub const LATEST_YEAR: i32 = 2999;

/// RFC 3339 with seconds and the zone's offset, as values are stored.
pub(super) fn format_datetime(at: DateTime<Tz>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// A date and time as people read it on a checklist, where a wrong day
/// must stand out: `Mon 18 Dec 2017, 07:33 PST`.
pub fn format_spoken(at: DateTime<Tz>) -> String {
    at.format("%a %-d %b %Y, %H:%M %Z").to_string()
}

/// The forms a playbook's own date may take.
const DATETIME_FORMS: &str = "use 2017-12-18 07:33 or RFC 3339";

/// The forms a value typed during an event may take.
const TYPED_FORMS: &str =
    "use 2017-12-18 07:33, 07:33 (today), yesterday 23:10, 20m ago, now or RFC 3339";

/// Reads a date and time as people type it under pressure, in `zone`
/// unless the text names its own offset or zone. Times that do not exist or
/// happen twice around clock changes are refused with the ways to say which
/// one is meant, since a guess would move the event by an hour.
///
/// `now` is the clock relative times are read against: the moment of the
/// command for values the person on duty gives, `None` for a playbook's own
/// defaults and examples, which are written in calm times for any day and
/// so must name their date.
pub fn parse_datetime(
    text: &str,
    zone: Tz,
    now: Option<DateTime<Utc>>,
) -> Result<DateTime<Tz>, String> {
    let trimmed = text.trim();
    let forms = if now.is_some() {
        TYPED_FORMS
    } else {
        DATETIME_FORMS
    };
    if trimmed.is_empty() {
        return Err(format!("is empty; {forms}"));
    }
    if let Some(relative) = relative::recognise(trimmed) {
        let relative = relative?;
        let Some(now) = now else {
            return Err(format!(
                "{trimmed:?} is relative to now, which a playbook's default or example cannot be; write the full date, as in 2017-12-18 07:33"
            ));
        };
        let at = match relative.at(now, zone, trimmed)? {
            Instant::Exact(at) => at,
            Instant::Local(naive) => in_zone(&naive, zone, trimmed)?,
        };
        check_year(at.year(), trimmed)?;
        return Ok(at);
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
    let local = parse_local(&local_text, trimmed, forms)?;

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
            _ => Err(format!("{trimmed:?} is out of range; {forms}")),
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
fn parse_local(text: &str, whole: &str, forms: &str) -> Result<Local, String> {
    let not_datetime = || format!("{whole:?} is not a date and time; {forms}");
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
    if (EARLIEST_YEAR..=LATEST_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(format!(
            "{whole:?} is in the year {year}; check the date (years {EARLIEST_YEAR} to {LATEST_YEAR} are accepted)"
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

    fn la(text: &str) -> Result<String, String> {
        parse_datetime(text, Los_Angeles, None).map(format_datetime)
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
            parse_datetime("2017-12-18 07:33", Tz::UTC, None).map(format_datetime),
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
        assert!(la("07:33").unwrap_err().contains("is relative to now"));
        assert!(la("07:33 UTC").unwrap_err().contains("has no date"));
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
        assert!(parse_datetime("2018-03-11 02:30 America/Los_Angeles", Tz::UTC, None).is_err());
        assert!(parse_datetime("2018-03-11 02:30", Tz::UTC, None).is_ok());
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
    fn dates_near_the_ends_of_the_tz_database_resolve() {
        // Samoa skipped 2011-12-30 entirely when it moved across the date line.
        let apia: Tz = "Pacific/Apia".parse().unwrap();
        let err = parse_datetime("2011-12-30 12:00", apia, None).unwrap_err();
        assert!(err.contains("does not exist in Pacific/Apia"), "{err}");
        assert!(parse_datetime("2999-12-31 23:59", apia, None).is_ok());
        assert!(parse_datetime("1900-01-01 00:00", Los_Angeles, None).is_ok());
    }

    #[test]
    fn years_are_accepted_up_to_the_limits_and_refused_past_them() {
        assert_eq!(
            parse_datetime("1900-01-01 00:00", Tz::UTC, None).map(format_datetime),
            Ok("1900-01-01T00:00:00+00:00".to_owned())
        );
        assert_eq!(
            parse_datetime("2999-12-31T23:59:59Z", Tz::UTC, None).map(format_datetime),
            Ok("2999-12-31T23:59:59+00:00".to_owned())
        );
        for (text, year) in [
            ("1899-12-31 23:59", 1899),
            ("3000-01-01 00:00", 3000),
            ("1899-12-31T23:59:59Z", 1899),
            ("3000-01-01T00:00:00+00:00", 3000),
            ("9999-12-31T23:59:59Z", 9999),
            ("0000-01-01 00:00", 0),
        ] {
            assert_eq!(
                la(text).unwrap_err(),
                format!("{text:?} is in the year {year}; check the date (years 1900 to 2999 are accepted)")
            );
        }
    }

    #[test]
    fn the_latest_time_plus_the_longest_duration_stays_in_the_calendar() {
        use crate::duration::Duration;
        for text in ["2999-12-31T23:59:59-23:59", "1900-01-01T00:00:00+23:59"] {
            let at = parse_datetime(text, Los_Angeles, None).unwrap();
            assert!(Duration::MAX.add_to(at).is_some(), "{text}");
            let back = Duration::from_seconds(-crate::duration::MAX_SECONDS);
            assert!(back.add_to(at).is_some(), "{text}");
        }
    }

    #[test]
    fn long_and_odd_text_is_refused_without_panicking() {
        let long_zone = format!("2017-12-18 07:33 {}", "Z".repeat(5_000));
        assert!(la(&long_zone).unwrap_err().contains("unknown zone"));
        for text in [
            "2017-12-18 07:33 +99:99",
            "2017-12-18T07:33:00+23:60",
            "9999-12-31 23:59:59.999999999",
            "2017-12-18 07:33:00.1234567890",
            "2017-12-18 07:33:60",
            "+2017-12-18 07:33",
            "2017-12-18 07:33 Europe/",
            "2017-12-18 07:33 /",
        ] {
            assert!(la(text).is_err(), "{text}");
        }
    }
}
