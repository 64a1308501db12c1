//! When a message of an event falls due: the event's start plus the
//! message's `after`, with one rule for days.
//!
//! `after` is split into whole days (multiples of 24 h) and the rest. The
//! days move the calendar date and keep the wall-clock time in the
//! playbook's zone; the rest is added as elapsed time. So a follow-up at
//! `24h` after an event at 09:00 the day before the clocks change falls at
//! 09:00 the next day (23 or 25 hours later), which is what "the same time
//! tomorrow" means to the people reading it; `1h` is always 60 minutes, and
//! `25h` is 09:00 the next day plus an hour. Where the wall-clock time does
//! not exist that day (the clocks jump over it) it falls at the same time
//! in the offset before the jump, which is just after the jump (02:30 when
//! 02:00 jumps to 03:00 becomes 03:30); where it exists twice (the clocks
//! go back) it falls at the first.

use chrono::{DateTime, Days, LocalResult, TimeDelta, TimeZone};
use chrono_tz::Tz;

use crate::duration::Duration;

const DAY_SECONDS: i64 = 86_400;

/// The moment `after` past `started_at`, by the rule above. `None` only
/// past the ends of the calendar, which a checked event time never nears.
pub fn due_at(started_at: DateTime<Tz>, after: Duration) -> Option<DateTime<Tz>> {
    let seconds = after.seconds();
    if seconds < DAY_SECONDS {
        // Negative offsets (which lint refuses) and anything under a day
        // are elapsed time.
        return after.add_to(started_at);
    }
    let days = u64::try_from(seconds / DAY_SECONDS).ok()?;
    let rest = TimeDelta::try_seconds(seconds % DAY_SECONDS)?;
    let zone = started_at.timezone();
    let wall = started_at.naive_local().checked_add_days(Days::new(days))?;
    let same_time = match zone.from_local_datetime(&wall) {
        LocalResult::Single(at) => at,
        LocalResult::Ambiguous(first, _) => first,
        LocalResult::None => {
            // In a gap: read the wall time with the offset in force before
            // it, as the event's own offset is.
            let utc = wall.checked_sub_signed(TimeDelta::try_seconds(i64::from(
                chrono::Offset::fix(started_at.offset()).local_minus_utc(),
            ))?)?;
            zone.from_utc_datetime(&utc)
        }
    };
    same_time.checked_add_signed(rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::Los_Angeles;

    fn la(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Tz> {
        Los_Angeles
            .with_ymd_and_hms(y, mo, d, h, mi, 0)
            .earliest()
            .unwrap()
    }

    fn after(text: &str) -> Duration {
        Duration::parse(text).unwrap()
    }

    #[test]
    fn a_day_later_is_the_same_wall_clock_time_across_a_change() {
        // Clocks went forward on 2026-03-08 and back on 2026-11-01 in Los Angeles.
        let spring = due_at(la(2026, 3, 7, 9, 0), after("24h")).unwrap();
        assert_eq!(spring.to_rfc3339(), "2026-03-08T09:00:00-07:00");
        assert_eq!((spring - la(2026, 3, 7, 9, 0)).num_hours(), 23);
        let autumn = due_at(la(2026, 10, 31, 9, 0), after("24h")).unwrap();
        assert_eq!(autumn.to_rfc3339(), "2026-11-01T09:00:00-08:00");
        assert_eq!((autumn - la(2026, 10, 31, 9, 0)).num_hours(), 25);
        assert_eq!(
            due_at(la(2026, 3, 1, 9, 0), after("2w"))
                .unwrap()
                .to_rfc3339(),
            "2026-03-15T09:00:00-07:00"
        );
    }

    #[test]
    fn hours_are_elapsed_time_and_the_rest_of_a_day_is_added_after() {
        let start = la(2026, 3, 7, 23, 30);
        assert_eq!(
            due_at(start, after("1h")).unwrap().to_rfc3339(),
            "2026-03-08T00:30:00-08:00"
        );
        assert_eq!(
            due_at(la(2026, 3, 8, 1, 30), after("1h"))
                .unwrap()
                .to_rfc3339(),
            "2026-03-08T03:30:00-07:00"
        );
        assert_eq!(
            due_at(la(2026, 3, 7, 9, 0), after("25h"))
                .unwrap()
                .to_rfc3339(),
            "2026-03-08T10:00:00-07:00"
        );
        assert_eq!(due_at(start, Duration::ZERO), Some(start));
    }

    #[test]
    fn a_time_the_clocks_skip_or_repeat_falls_just_after_or_at_the_first() {
        assert_eq!(
            due_at(la(2026, 3, 7, 2, 30), after("24h"))
                .unwrap()
                .to_rfc3339(),
            "2026-03-08T03:30:00-07:00"
        );
        assert_eq!(
            due_at(la(2026, 10, 31, 1, 30), after("24h"))
                .unwrap()
                .to_rfc3339(),
            "2026-11-01T01:30:00-07:00"
        );
    }

    #[test]
    fn utc_days_are_24_hours() {
        let start = Tz::UTC.with_ymd_and_hms(2026, 3, 7, 9, 0, 0).unwrap();
        assert_eq!(
            due_at(start, after("24h")).unwrap(),
            start + TimeDelta::hours(24)
        );
    }
}
