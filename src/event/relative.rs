//! Times said the way the person on duty says them, relative to the clock:
//! `now`, `20m ago`, `1h30m ago`, `02:40` (today), `today 02:40` and
//! `yesterday 23:10`, with today and yesterday read in the playbook's zone.
//!
//! A bare time later than now is refused rather than read as yesterday's:
//! at 02:00 someone typing `23:50` may mean last night or may have mistyped
//! `02:50`, and a start moved by a day puts every scheduled message a day
//! off. Saying `yesterday 23:50` costs ten keystrokes and removes the doubt.
//! An explicit `today` is taken at its word, even when it is ahead.
//!
//! `ago` reaches back at most [`MAX_AGO_SECONDS`]: further back, a number
//! is more likely a slip of the finger than a memory, and a full date says
//! it better.

use chrono::{DateTime, Datelike, NaiveTime, TimeDelta, Timelike, Utc};
use chrono_tz::Tz;

use super::datetime::{EARLIEST_YEAR, LATEST_YEAR};

/// The furthest back `ago` reaches: seven days.
pub const MAX_AGO_SECONDS: i64 = 7 * 86_400;

/// A time said relative to now, before the clock is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Relative {
    /// `now`.
    Now,
    /// `20m ago`: this many seconds before now.
    Ago(i64),
    /// `02:40`: today, and not later than now.
    Bare(NaiveTime),
    /// `today 02:40`.
    Today(NaiveTime),
    /// `yesterday 23:10`.
    Yesterday(NaiveTime),
}

/// Recognises a relative time: `None` when `text` is not one (so it is read
/// as a full date), or why it is not a valid one.
pub(super) fn recognise(text: &str) -> Option<Result<Relative, String>> {
    let lowered = text.to_ascii_lowercase();
    let words: Vec<&str> = lowered.split_whitespace().collect();
    match words.as_slice() {
        ["now"] => Some(Ok(Relative::Now)),
        [.., "ago"] => Some(ago(&words[..words.len() - 1], text)),
        ["today", rest @ ..] => Some(day_time(rest, text, "today").map(Relative::Today)),
        ["yesterday", rest @ ..] => {
            Some(day_time(rest, text, "yesterday").map(Relative::Yesterday))
        }
        [time] if looks_like_time(time) => Some(clock_time(time, text).map(Relative::Bare)),
        [time, meridiem] if looks_like_time(time) && is_meridiem(meridiem) => {
            Some(Err(twelve_hour(time, meridiem, text)))
        }
        _ => None,
    }
}

impl Relative {
    /// The instant this names, read at `now` in `zone`. Seconds are kept,
    /// finer parts dropped, as for the default `started_at`.
    pub(super) fn at(self, now: DateTime<Utc>, zone: Tz, whole: &str) -> Result<Instant, String> {
        // Reading a clock near the ends of chrono's calendar in a zone can
        // leave it; no clock outside the accepted years names a valid time.
        if !(EARLIEST_YEAR - 1..=LATEST_YEAR + 1).contains(&now.year()) {
            return Err(format!(
                "{whole:?} is relative to now, and the clock reads the year {}; write the full date, as in 2017-12-18 07:33",
                now.year()
            ));
        }
        let now = now.with_nanosecond(0).unwrap_or(now);
        let local_now = now.with_timezone(&zone);
        let today = local_now.date_naive();
        match self {
            Relative::Now => Ok(Instant::Exact(local_now)),
            Relative::Ago(seconds) => {
                let back = TimeDelta::try_seconds(seconds).ok_or_else(|| too_long_ago(whole))?;
                now.checked_sub_signed(back)
                    .map(|at| Instant::Exact(at.with_timezone(&zone)))
                    .ok_or_else(|| too_long_ago(whole))
            }
            Relative::Today(time) => Ok(Instant::Local(today.and_time(time))),
            Relative::Yesterday(time) => today
                .pred_opt()
                .map(|day| Instant::Local(day.and_time(time)))
                .ok_or_else(|| format!("{whole:?} is before the start of the calendar")),
            Relative::Bare(time) => {
                let naive = today.and_time(time);
                if naive > local_now.naive_local() {
                    return Err(format!(
                        "{whole:?} is later than now ({} {}); write yesterday {} if it was yesterday, or today {} if it is still to come",
                        local_now.format("%H:%M"),
                        local_now.format("%Z"),
                        hh_mm(time),
                        hh_mm(time)
                    ));
                }
                Ok(Instant::Local(naive))
            }
        }
    }
}

/// What a relative time names: an instant already, or a wall-clock time
/// still to be placed in the zone (where the clock may skip or repeat it).
pub(super) enum Instant {
    Exact(DateTime<Tz>),
    Local(chrono::NaiveDateTime),
}

fn hh_mm(time: NaiveTime) -> String {
    if time.second() == 0 {
        time.format("%H:%M").to_string()
    } else {
        time.format("%H:%M:%S").to_string()
    }
}

fn too_long_ago(whole: &str) -> String {
    format!(
        "{whole:?} is more than {} days ago; write the date and time, as in 2017-12-18 07:33",
        MAX_AGO_SECONDS / 86_400
    )
}

/// `20m`, `2h`, `1h30m`, `1d`, with or without spaces between the parts.
fn ago(parts: &[&str], whole: &str) -> Result<Relative, String> {
    let spec = parts.concat();
    let bad = || format!("{whole:?} is not a time ago; write it as 20m ago, 2h ago or 1h30m ago");
    if spec.is_empty() {
        return Err(bad());
    }
    let mut total: i64 = 0;
    let mut rest = spec.as_str();
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad());
        }
        let (number, after) = rest.split_at(digits);
        let unit_len = after.bytes().take_while(u8::is_ascii_alphabetic).count();
        let (unit, after) = after.split_at(unit_len);
        let seconds_per = match unit {
            "d" => 86_400,
            "h" => 3_600,
            "m" | "min" => 60,
            _ => return Err(bad()),
        };
        // A number too long to hold is certainly too long ago.
        let number: i64 = number.parse().map_err(|_| too_long_ago(whole))?;
        total = number
            .checked_mul(seconds_per)
            .and_then(|s| total.checked_add(s))
            .filter(|s| *s <= MAX_AGO_SECONDS)
            .ok_or_else(|| too_long_ago(whole))?;
        rest = after;
    }
    Ok(Relative::Ago(total))
}

fn day_time(rest: &[&str], whole: &str, day: &str) -> Result<NaiveTime, String> {
    match rest {
        [time] => clock_time(time, whole),
        [time, meridiem] if is_meridiem(meridiem) => Err(twelve_hour(time, meridiem, whole)),
        _ => Err(format!(
            "{whole:?} is not a time {day}; write it as {day} 02:40 (24-hour clock)"
        )),
    }
}

fn looks_like_time(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit())
        && word.contains(':')
        && word.bytes().all(|b| b.is_ascii_digit() || b == b':')
}

fn is_meridiem(word: &str) -> bool {
    matches!(word.replace('.', "").as_str(), "am" | "pm")
}

/// `HH:MM` or `HH:MM:SS`, 24-hour.
fn clock_time(word: &str, whole: &str) -> Result<NaiveTime, String> {
    let numbers: Vec<&str> = word.split(':').collect();
    let shape_ok = matches!(numbers.len(), 2 | 3)
        && (1..=2).contains(&numbers[0].len())
        && numbers[1..].iter().all(|n| n.len() == 2)
        && numbers
            .iter()
            .all(|n| n.bytes().all(|b| b.is_ascii_digit()));
    if !shape_ok {
        return Err(format!(
            "{whole:?} is not a time of day; write it as 02:40 (24-hour clock)"
        ));
    }
    let parsed: Vec<u32> = numbers.iter().filter_map(|n| n.parse().ok()).collect();
    let (hour, minute, second) = match parsed.as_slice() {
        [h, m] => (*h, *m, 0),
        [h, m, s] => (*h, *m, *s),
        _ => return Err(format!("{whole:?} is not a time of day")),
    };
    if hour > 23 {
        return Err(format!(
            "{whole:?} is not a time of day; hours run from 00 to 23 (midnight is 00:00)"
        ));
    }
    NaiveTime::from_hms_opt(hour, minute, second).ok_or_else(|| {
        format!("{whole:?} is not a time of day; minutes and seconds run from 00 to 59")
    })
}

fn twelve_hour(time: &str, meridiem: &str, whole: &str) -> String {
    let pm = meridiem.starts_with('p');
    let Ok(parsed) = clock_time(time, whole) else {
        return format!("{whole:?} uses AM/PM; write the 24-hour time, as in 14:40");
    };
    let hour = match (pm, parsed.hour()) {
        (_, h) if !(1..=12).contains(&h) => {
            return format!("{whole:?} mixes a 24-hour time with AM/PM; write 14:40");
        }
        (false, 12) => 0,
        (false, h) => h,
        (true, 12) => 12,
        (true, h) => h + 12,
    };
    let start = whole.to_ascii_lowercase();
    let day = ["today ", "yesterday "]
        .into_iter()
        .find(|d| start.starts_with(d))
        .unwrap_or("");
    format!(
        "{whole:?} uses AM/PM; write the 24-hour time, as in {day}{hour:02}:{:02}",
        parsed.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::super::datetime::{format_datetime, parse_datetime};
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::America::Los_Angeles;

    /// `text` read at the Los Angeles wall-clock time `now` (RFC 3339).
    fn at(now: &str, text: &str) -> Result<String, String> {
        let now = DateTime::parse_from_rfc3339(now).unwrap().to_utc();
        parse_datetime(text, Los_Angeles, Some(now)).map(format_datetime)
    }

    const TWO_AM: &str = "2017-12-18T02:00:00-08:00";

    #[test]
    fn each_form_is_read_against_the_clock_in_the_playbook_zone() {
        for (text, expected) in [
            ("now", "2017-12-18T02:00:00-08:00"),
            ("NOW", "2017-12-18T02:00:00-08:00"),
            ("0m ago", "2017-12-18T02:00:00-08:00"),
            ("20m ago", "2017-12-18T01:40:00-08:00"),
            ("20 min ago", "2017-12-18T01:40:00-08:00"),
            ("2h ago", "2017-12-18T00:00:00-08:00"),
            ("1h30m ago", "2017-12-18T00:30:00-08:00"),
            ("1h 30m ago", "2017-12-18T00:30:00-08:00"),
            ("1d ago", "2017-12-17T02:00:00-08:00"),
            ("01:59", "2017-12-18T01:59:00-08:00"),
            ("1:59", "2017-12-18T01:59:00-08:00"),
            ("02:00", "2017-12-18T02:00:00-08:00"),
            ("00:00", "2017-12-18T00:00:00-08:00"),
            ("01:15:30", "2017-12-18T01:15:30-08:00"),
            ("today 01:15", "2017-12-18T01:15:00-08:00"),
            // An explicit "today" is taken at its word, even ahead of now.
            ("today 02:40", "2017-12-18T02:40:00-08:00"),
            ("yesterday 23:10", "2017-12-17T23:10:00-08:00"),
            ("Yesterday  02:40", "2017-12-17T02:40:00-08:00"),
        ] {
            assert_eq!(at(TWO_AM, text), Ok(expected.to_owned()), "{text}");
        }
        // The full forms still work with a clock.
        assert_eq!(
            at(TWO_AM, "2017-12-18 07:33"),
            Ok("2017-12-18T07:33:00-08:00".to_owned())
        );
    }

    #[test]
    fn now_drops_fractions_of_a_second() {
        let now =
            Utc.with_ymd_and_hms(2017, 12, 18, 10, 0, 7).unwrap() + TimeDelta::milliseconds(250);
        let read = parse_datetime("now", Los_Angeles, Some(now)).unwrap();
        assert_eq!(format_datetime(read), "2017-12-18T02:00:07-08:00");
        assert_eq!(read.nanosecond(), 0);
    }

    #[test]
    fn a_bare_time_later_than_now_asks_for_yesterday() {
        assert_eq!(
            at(TWO_AM, "23:50").unwrap_err(),
            "\"23:50\" is later than now (02:00 PST); write yesterday 23:50 if it was yesterday, or today 23:50 if it is still to come"
        );
        assert!(at(TWO_AM, "02:01")
            .unwrap_err()
            .contains("write yesterday 02:01 if it was yesterday"));
        assert!(at(TWO_AM, "02:00:01")
            .unwrap_err()
            .contains("write yesterday 02:00:01 if it was yesterday"));
        assert_eq!(
            at(TWO_AM, "yesterday 23:50"),
            Ok("2017-12-17T23:50:00-08:00".to_owned())
        );
    }

    #[test]
    fn at_midnight_today_has_only_just_begun() {
        let midnight = "2017-12-18T00:00:00-08:00";
        assert_eq!(
            at(midnight, "00:00"),
            Ok("2017-12-18T00:00:00-08:00".to_owned())
        );
        assert!(at(midnight, "23:59")
            .unwrap_err()
            .contains("yesterday 23:59"));
        assert_eq!(
            at(midnight, "yesterday 23:59"),
            Ok("2017-12-17T23:59:00-08:00".to_owned())
        );
        assert_eq!(
            at(midnight, "5m ago"),
            Ok("2017-12-17T23:55:00-08:00".to_owned())
        );
        // One minute before midnight, yesterday is still the 17th's eve.
        assert_eq!(
            at("2017-12-17T23:59:00-08:00", "yesterday 00:00"),
            Ok("2017-12-16T00:00:00-08:00".to_owned())
        );
        // "Today" is the playbook's today, not UTC's (already the 18th here).
        assert_eq!(
            at("2017-12-17T20:00:00-08:00", "19:00"),
            Ok("2017-12-17T19:00:00-08:00".to_owned())
        );
    }

    #[test]
    fn on_the_spring_change_a_skipped_time_is_refused_and_ago_counts_real_time() {
        // 2018-03-11: clocks in Los Angeles went from 02:00 PST to 03:00 PDT.
        let morning = "2018-03-11T05:00:00-07:00";
        let err = at(morning, "02:30").unwrap_err();
        assert!(
            err.starts_with("\"02:30\" does not exist in America/Los_Angeles"),
            "{err}"
        );
        assert!(at(morning, "today 02:30").is_err());
        assert_eq!(
            at(morning, "01:59"),
            Ok("2018-03-11T01:59:00-08:00".to_owned())
        );
        assert_eq!(
            at(morning, "03:00"),
            Ok("2018-03-11T03:00:00-07:00".to_owned())
        );
        assert_eq!(
            at(morning, "3h ago"),
            Ok("2018-03-11T01:00:00-08:00".to_owned())
        );
        assert!(at("2018-03-12T09:00:00-07:00", "yesterday 02:30").is_err());
    }

    #[test]
    fn on_the_autumn_change_a_repeated_time_asks_which() {
        // 2018-11-04: clocks in Los Angeles went from 02:00 PDT to 01:00 PST.
        let err = at("2018-11-04T05:00:00-08:00", "01:30").unwrap_err();
        assert!(err.contains("happens twice"), "{err}");
        assert!(
            err.contains("2018-11-04T01:30:00-07:00 (the first)"),
            "{err}"
        );
        assert!(at("2018-11-05T09:00:00-08:00", "yesterday 01:30").is_err());
        // Ago is elapsed time: 30 minutes before the second 01:10 is the
        // first 01:40.
        assert_eq!(
            at("2018-11-04T01:10:00-08:00", "30m ago"),
            Ok("2018-11-04T01:40:00-07:00".to_owned())
        );
    }

    #[test]
    fn ago_reaches_back_a_week_and_no_further() {
        assert_eq!(
            at(TWO_AM, "7d ago"),
            Ok("2017-12-11T02:00:00-08:00".to_owned())
        );
        assert_eq!(
            at(TWO_AM, "168h ago"),
            Ok("2017-12-11T02:00:00-08:00".to_owned())
        );
        assert_eq!(
            at(TWO_AM, "99999h ago").unwrap_err(),
            "\"99999h ago\" is more than 7 days ago; write the date and time, as in 2017-12-18 07:33"
        );
        for text in [
            "7d1m ago",
            "10081m ago",
            "99999999999999999999999999m ago",
            "9223372036854775807d ago",
        ] {
            assert!(
                at(TWO_AM, text)
                    .unwrap_err()
                    .contains("more than 7 days ago"),
                "{text}"
            );
        }
    }

    #[test]
    fn garbage_is_refused_with_the_form_to_write() {
        for (text, says) in [
            ("ago", "write it as 20m ago"),
            ("h ago", "write it as 20m ago"),
            ("20 ago", "write it as 20m ago"),
            ("20x ago", "write it as 20m ago"),
            ("20m20 ago", "write it as 20m ago"),
            ("-20m ago", "write it as 20m ago"),
            ("today", "write it as today 02:40"),
            ("yesterday at 23:10", "write it as yesterday 02:40"),
            ("today 02:40 UTC", "write it as today 02:40"),
            ("today 2", "not a time of day"),
            ("yesterday 2:4", "not a time of day"),
            ("02:40:", "not a time of day"),
            ("123:40", "not a time of day"),
            ("24:00", "hours run from 00 to 23"),
            ("01:60", "minutes and seconds run from 00 to 59"),
            ("2:40 pm", "as in 14:40"),
            ("12:15 a.m.", "as in 00:15"),
            ("yesterday 11:30 PM", "as in yesterday 23:30"),
            ("13:00 pm", "mixes a 24-hour time"),
            ("tomorrow 02:40", "has no date"),
            ("todays 02:40", "has no date"),
            (
                "18/12/2017",
                "use 2017-12-18 07:33, 07:33 (today), yesterday 23:10",
            ),
            ("02:40 Mars/Olympus", "has no date"),
        ] {
            let err = at(TWO_AM, text).unwrap_err();
            assert!(err.contains(says), "{text}: {err}");
        }
    }

    #[test]
    fn without_a_clock_relative_times_are_refused() {
        for text in ["now", "02:40", "today 02:40", "yesterday 23:10", "20m ago"] {
            let err = parse_datetime(text, Los_Angeles, None).unwrap_err();
            assert!(err.contains("is relative to now"), "{text}: {err}");
        }
    }

    #[test]
    fn relative_times_keep_the_year_limits() {
        let early = Utc.with_ymd_and_hms(1900, 1, 1, 0, 10, 0).unwrap();
        let err = parse_datetime("20m ago", Tz::UTC, Some(early)).unwrap_err();
        assert!(err.contains("year 1899"), "{err}");
        assert!(parse_datetime("yesterday 10:00", Tz::UTC, Some(early)).is_err());
        assert!(parse_datetime("5m ago", Tz::UTC, Some(early)).is_ok());
        let late = Utc.with_ymd_and_hms(3000, 1, 1, 0, 0, 0).unwrap();
        assert!(parse_datetime("now", Tz::UTC, Some(late))
            .unwrap_err()
            .contains("year 3000"));
        // The ends of --now's RFC 3339 years, and of chrono's calendar.
        let ends = [
            Utc.with_ymd_and_hms(0, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap(),
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
        ];
        for now in ends {
            for text in ["now", "7d ago", "00:00", "yesterday 00:00", "today 23:59"] {
                assert!(parse_datetime(text, Los_Angeles, Some(now)).is_err());
            }
        }
    }
}
