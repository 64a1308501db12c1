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

use chrono::{DateTime, NaiveTime, TimeDelta, Timelike, Utc};
use chrono_tz::Tz;

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
                        "{whole:?} is later than now ({} {}); if it was yesterday, write yesterday {}",
                        local_now.format("%H:%M"),
                        local_now.format("%Z"),
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
