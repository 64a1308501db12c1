//! The crisis clock: how long ago the event started, and whether the
//! playbook's time-to-post target is met, in the words shown to the person
//! on duty.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::duration::Duration;

/// A length of time as people read it on a crisis clock, to the minute:
/// `45 min`, `5 h 26 min`, `2 d 3 h` (days drop the minutes, which no
/// longer matter). Less than a minute is `0 min`. A negative length gets a
/// leading minus (`-10 min`); callers that mean "in the future" say so in
/// words instead of passing a negative.
pub fn format_elapsed(seconds: i64) -> String {
    let minutes_total = seconds.unsigned_abs() / 60;
    let days = minutes_total / 1_440;
    let hours = minutes_total % 1_440 / 60;
    let minutes = minutes_total % 60;
    let body = match (days, hours, minutes) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    };
    if seconds < 0 && minutes_total > 0 {
        format!("-{body}")
    } else {
        body
    }
}

/// The event's clock at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Clock {
    /// When the event started, in the playbook's zone.
    pub started_at: DateTime<Tz>,
    /// The moment the clock was read, in the same zone.
    pub now: DateTime<Tz>,
    /// Seconds from the start to now; negative when the start is ahead.
    pub elapsed_seconds: i64,
    /// The playbook's time-to-post target, in seconds after the start.
    pub target_seconds: Option<i64>,
}

impl Clock {
    /// Reads the clock at `now_utc`, shown in the zone of `started_at`.
    pub fn new(
        started_at: DateTime<Tz>,
        now_utc: DateTime<Utc>,
        target: Option<Duration>,
    ) -> Clock {
        let now = now_utc.with_timezone(&started_at.timezone());
        Clock {
            elapsed_seconds: (now_utc - started_at.to_utc()).num_seconds(),
            started_at,
            now,
            target_seconds: target.map(Duration::seconds),
        }
    }

    /// Whether the target has passed; `None` without a target. Reaching the
    /// target to the second is still on time.
    pub fn overdue(&self) -> Option<bool> {
        self.target_seconds
            .map(|target| self.elapsed_seconds > target)
    }

    /// One line for the top of rendered output, such as `event started at
    /// 07:33 PST (2017-12-18), now 12:59 PST, 5 h 26 min elapsed, target 1 h:
    /// overdue by 4 h 26 min`.
    pub fn summary(&self) -> String {
        let start = format!(
            "{} ({})",
            self.started_at.format("%H:%M %Z"),
            self.started_at.format("%Y-%m-%d")
        );
        // The date of now is only worth reading when it differs.
        let now = if self.now.date_naive() == self.started_at.date_naive() {
            format!("now {}", self.now.format("%H:%M %Z"))
        } else {
            format!(
                "now {} ({})",
                self.now.format("%H:%M %Z"),
                self.now.format("%Y-%m-%d")
            )
        };
        if self.elapsed_seconds < 0 {
            let ahead = format_elapsed(self.elapsed_seconds.saturating_neg());
            let mut line = format!("event starts at {start}, {now}: it is {ahead} in the future");
            if let Some(target) = self.target_seconds {
                line.push_str(&format!(
                    ", target {} after the start",
                    format_elapsed(target)
                ));
            }
            return line;
        }
        let mut line = format!(
            "event started at {start}, {now}, {} elapsed",
            format_elapsed(self.elapsed_seconds)
        );
        if let Some(target) = self.target_seconds {
            let left = target.saturating_sub(self.elapsed_seconds);
            let verdict = if left < 0 {
                format!("overdue by {}", format_elapsed(left.saturating_neg()))
            } else {
                format!("within target, {} left", format_elapsed(left))
            };
            line.push_str(&format!(", target {}: {verdict}", format_elapsed(target)));
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::America::Los_Angeles;

    fn derailment() -> DateTime<Tz> {
        Los_Angeles
            .with_ymd_and_hms(2017, 12, 18, 7, 33, 0)
            .single()
            .unwrap()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap()
    }

    #[test]
    fn formats_elapsed_time_to_the_minute() {
        assert_eq!(format_elapsed(0), "0 min");
        assert_eq!(format_elapsed(59), "0 min");
        assert_eq!(format_elapsed(45 * 60), "45 min");
        assert_eq!(format_elapsed(3_600), "1 h");
        assert_eq!(format_elapsed(5 * 3_600 + 26 * 60 + 30), "5 h 26 min");
        assert_eq!(format_elapsed(2 * 86_400 + 3 * 3_600 + 59 * 60), "2 d 3 h");
        assert_eq!(format_elapsed(86_400), "1 d");
        assert_eq!(format_elapsed(-600), "-10 min");
        assert_eq!(format_elapsed(-30), "0 min");
    }

    #[test]
    fn formats_extreme_lengths_without_overflow() {
        assert!(format_elapsed(i64::MIN).starts_with('-'));
        assert!(format_elapsed(i64::MAX).ends_with(" h"));
    }

    #[test]
    fn reads_the_clock_between_the_ends_of_rfc_3339_without_overflow() {
        // `--now` takes RFC 3339, whose years run from 0000 to 9999.
        let earliest = utc(0, 1, 1, 0, 0).with_timezone(&Los_Angeles);
        let latest = Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap();
        let clock = Clock::new(earliest, latest, Some(Duration::MAX));
        assert!(clock.elapsed_seconds > 0);
        assert_eq!(clock.overdue(), Some(true));
        assert!(clock.summary().contains("overdue by"));
        let clock = Clock::new(
            latest.with_timezone(&Los_Angeles),
            utc(0, 1, 1, 0, 0),
            Some(Duration::MAX),
        );
        assert!(clock.summary().contains("in the future"));
    }

    #[test]
    fn reports_an_overdue_first_post() {
        // 12:59 PST is 20:59 UTC.
        let clock = Clock::new(
            derailment(),
            utc(2017, 12, 18, 20, 59),
            Some(Duration::from_seconds(3_600)),
        );
        assert_eq!(clock.elapsed_seconds, 5 * 3_600 + 26 * 60);
        assert_eq!(clock.overdue(), Some(true));
        assert_eq!(
            clock.summary(),
            "event started at 07:33 PST (2017-12-18), now 12:59 PST, 5 h 26 min elapsed, target 1 h: overdue by 4 h 26 min"
        );
    }

    #[test]
    fn reports_time_left_within_target() {
        let clock = Clock::new(
            derailment(),
            utc(2017, 12, 18, 16, 8),
            Some(Duration::from_seconds(3_600)),
        );
        assert_eq!(clock.overdue(), Some(false));
        assert_eq!(
            clock.summary(),
            "event started at 07:33 PST (2017-12-18), now 08:08 PST, 35 min elapsed, target 1 h: within target, 25 min left"
        );
    }

    #[test]
    fn reaching_the_target_exactly_is_on_time() {
        let clock = Clock::new(
            derailment(),
            utc(2017, 12, 18, 16, 33),
            Some(Duration::from_seconds(3_600)),
        );
        assert_eq!(clock.overdue(), Some(false));
    }

    #[test]
    fn without_target_shows_elapsed_only_and_the_date_when_it_changed() {
        let clock = Clock::new(derailment(), utc(2017, 12, 19, 17, 0), None);
        assert_eq!(clock.overdue(), None);
        assert_eq!(
            clock.summary(),
            "event started at 07:33 PST (2017-12-18), now 09:00 PST (2017-12-19), 1 d 1 h elapsed"
        );
    }

    #[test]
    fn says_when_the_start_is_in_the_future() {
        let clock = Clock::new(
            derailment(),
            utc(2017, 12, 18, 15, 23),
            Some(Duration::from_seconds(1_800)),
        );
        assert_eq!(clock.elapsed_seconds, -600);
        assert_eq!(clock.overdue(), Some(false));
        assert_eq!(
            clock.summary(),
            "event starts at 07:33 PST (2017-12-18), now 07:23 PST: it is 10 min in the future, target 30 min after the start"
        );
    }

    #[test]
    fn shows_summer_time_abbreviation() {
        let start = Los_Angeles
            .with_ymd_and_hms(2018, 7, 4, 21, 0, 0)
            .single()
            .unwrap();
        let clock = Clock::new(start, utc(2018, 7, 5, 4, 30), None);
        assert_eq!(
            clock.summary(),
            "event started at 21:00 PDT (2018-07-04), now 21:30 PDT, 30 min elapsed"
        );
    }
}
