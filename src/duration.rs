//! Durations as people write them in playbooks: `90s`, `30m`, `1h`, `1h30m`,
//! `2d`, `1w`, and negative offsets such as `-1h` (which lint rejects for
//! follow-ups, but must be able to read to say so).
//!
//! A duration is at most [`MAX_SECONDS`] either way. Every playbook time is
//! counted from an event's start, which is itself a checked date, so adding
//! any duration to it stays far inside the calendar and can never overflow.

use chrono::{DateTime, TimeDelta, TimeZone};
use schemars::JsonSchema;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The longest duration, either way: 366 days (a leap year). A follow-up
/// or a time-to-post target further out than a year from the event is a
/// typo (`100d` for `10d`), not a plan.
pub const MAX_SECONDS: i64 = 366 * 86_400;

/// A signed length of time, in whole seconds, never longer than
/// [`MAX_SECONDS`] either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Duration {
    seconds: i64,
}

const UNITS: [(char, i64); 5] = [
    ('w', 604_800),
    ('d', 86_400),
    ('h', 3_600),
    ('m', 60),
    ('s', 1),
];

impl Duration {
    pub const ZERO: Duration = Duration { seconds: 0 };

    /// The longest duration there is: [`MAX_SECONDS`].
    pub const MAX: Duration = Duration {
        seconds: MAX_SECONDS,
    };

    /// A duration of `seconds`, clamped to [`MAX_SECONDS`] either way so
    /// that every `Duration` can be added to any event time.
    pub fn from_seconds(seconds: i64) -> Duration {
        Duration {
            seconds: seconds.clamp(-MAX_SECONDS, MAX_SECONDS),
        }
    }

    pub fn seconds(self) -> i64 {
        self.seconds
    }

    pub fn to_chrono(self) -> chrono::Duration {
        // Cannot fail: chrono holds ±292 million years and a Duration at
        // most a year; the fallback only keeps this free of panics.
        TimeDelta::try_seconds(self.seconds).unwrap_or(TimeDelta::MAX)
    }

    /// The moment this long after `at` (before it when negative), or `None`
    /// past the ends of the calendar, which a checked event time never
    /// comes near.
    pub fn add_to<Z: TimeZone>(self, at: DateTime<Z>) -> Option<DateTime<Z>> {
        at.checked_add_signed(TimeDelta::try_seconds(self.seconds)?)
    }

    /// Parses `1h30m`-style text; the error says what form is expected.
    pub fn parse(text: &str) -> Result<Duration, String> {
        let expected = || {
            format!(
                "'{text}' is not a duration; write a number and a unit (s, m, h, d, w), such as 30m, 1h or 1h30m"
            )
        };
        let trimmed = text.trim();
        let (sign, body) = match trimmed.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, trimmed),
        };
        if body == "0" {
            return Ok(Duration::ZERO);
        }
        if body.is_empty() {
            return Err(expected());
        }
        let mut seconds: i64 = 0;
        let mut number = String::new();
        // Units from largest to smallest, each once: `1h1h` or `30m1h` is a
        // typo, not a duration.
        let mut last_unit = i64::MAX;
        for c in body.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let unit = UNITS
                .iter()
                .find(|(u, _)| *u == c)
                .map(|(_, s)| *s)
                .ok_or_else(expected)?;
            if unit >= last_unit {
                return Err(format!(
                    "'{text}' repeats a unit or lists a smaller one first; write each unit once, largest first, such as 1h30m"
                ));
            }
            last_unit = unit;
            if number.is_empty() {
                return Err(expected());
            }
            // Only digits are here, so a failed parse is a number too large
            // for i64: saturating keeps it "too long" rather than invalid.
            let n: i64 = number.parse().unwrap_or(i64::MAX);
            seconds = seconds.saturating_add(n.saturating_mul(unit));
            number.clear();
        }
        if !number.is_empty() {
            return Err(expected());
        }
        if seconds > MAX_SECONDS {
            return Err(format!(
                "'{text}' is longer than {} ({} days); times in a playbook are counted from the start of the event and reach at most a year",
                Duration::MAX,
                MAX_SECONDS / 86_400
            ));
        }
        Ok(Duration {
            seconds: sign * seconds,
        })
    }
}

impl fmt::Display for Duration {
    /// A form that parses back to the same value: `1h30m`, `24h`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seconds == 0 {
            return f.write_str("0");
        }
        if self.seconds < 0 {
            f.write_str("-")?;
        }
        let mut rest = self.seconds.unsigned_abs();
        // Crisis clocks are read in hours: a follow-up is due "+24h", not
        // "+1d", so days and weeks are written as hours.
        for (unit, size) in [('h', 3_600), ('m', 60), ('s', 1)] {
            if rest >= size {
                write!(f, "{}{}", rest / size, unit)?;
                rest %= size;
            }
        }
        Ok(())
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Duration;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration such as 30m, 1h or 24h")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Duration, E> {
                Duration::parse(v).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Duration, E> {
                if v == 0 {
                    Ok(Duration::ZERO)
                } else {
                    Err(E::custom(format!(
                        "'{v}' has no unit; write {v}m or {v}h (units: s, m, h, d, w)"
                    )))
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Duration, E> {
                self.visit_u64(v.unsigned_abs())
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

impl JsonSchema for Duration {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^-?([0-9]+[smhdw])+$|^0$",
            "description": format!(
                "A duration: a number and a unit (s, m, h, d, w), such as 30m, 1h or 1h30m; at most {} days.",
                MAX_SECONDS / 86_400
            ),
            "examples": ["1h", "24h", "1h30m"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_compound_and_negative_durations() {
        assert_eq!(Duration::parse("1h30m").unwrap().seconds(), 5_400);
        assert_eq!(Duration::parse("-1h").unwrap().seconds(), -3_600);
        assert_eq!(Duration::parse("2d").unwrap().seconds(), 172_800);
        assert_eq!(Duration::parse("0").unwrap(), Duration::ZERO);
    }

    #[test]
    fn rejects_durations_without_units() {
        assert!(Duration::parse("90").unwrap_err().contains("s, m, h, d, w"));
        assert!(Duration::parse("1x").is_err());
        assert!(Duration::parse("").is_err());
        assert!(Duration::parse("h").is_err());
    }

    #[test]
    fn accepts_durations_up_to_a_leap_year_either_way() {
        assert_eq!(Duration::parse("366d").unwrap(), Duration::MAX);
        assert_eq!(Duration::parse("8784h").unwrap().seconds(), MAX_SECONDS);
        assert_eq!(Duration::parse("-366d").unwrap().seconds(), -MAX_SECONDS);
        assert_eq!(Duration::parse("365d23h59m60s").unwrap(), Duration::MAX);
    }

    #[test]
    fn each_unit_once_largest_first() {
        for text in ["1h1h", "30m1h", "1d2w"] {
            assert!(
                Duration::parse(text)
                    .unwrap_err()
                    .contains("each unit once"),
                "{text}"
            );
        }
        assert_eq!(Duration::parse("1w2d3h4m5s").unwrap().seconds(), 788_645);
    }

    #[test]
    fn refuses_durations_past_a_leap_year() {
        for text in ["366d1s", "367d", "-366d1s", "53w", "8785h"] {
            let err = Duration::parse(text).unwrap_err();
            assert_eq!(
                err,
                format!("'{text}' is longer than 8784h (366 days); times in a playbook are counted from the start of the event and reach at most a year")
            );
        }
    }

    #[test]
    fn huge_numbers_are_too_long_not_a_panic() {
        for text in [
            "99999999999999999999999999h",
            "9223372036854775807s",
            "9223372036854775807w9223372036854775807d",
            "-9223372036854775808s",
        ] {
            assert!(
                Duration::parse(text)
                    .unwrap_err()
                    .contains("is longer than"),
                "{text}"
            );
        }
    }

    #[test]
    fn from_seconds_clamps_so_adding_never_overflows() {
        assert_eq!(Duration::from_seconds(i64::MAX), Duration::MAX);
        assert_eq!(Duration::from_seconds(i64::MIN).seconds(), -MAX_SECONDS);
        assert_eq!(Duration::from_seconds(MAX_SECONDS), Duration::MAX);
        assert_eq!(
            Duration::from_seconds(MAX_SECONDS + 1).seconds(),
            MAX_SECONDS
        );
        let latest = chrono::DateTime::<chrono::Utc>::MAX_UTC;
        assert_eq!(Duration::MAX.add_to(latest), None);
        assert_eq!(Duration::ZERO.add_to(latest), Some(latest));
        let start = chrono::Utc
            .with_ymd_and_hms(2999, 12, 31, 23, 59, 59)
            .unwrap();
        assert_eq!(
            Duration::MAX.add_to(start),
            Some(
                chrono::Utc
                    .with_ymd_and_hms(3001, 1, 1, 23, 59, 59)
                    .unwrap()
            )
        );
        assert_eq!(Duration::MAX.to_chrono(), TimeDelta::seconds(MAX_SECONDS));
    }

    #[test]
    fn displays_in_hours() {
        assert_eq!(Duration::from_seconds(5_400).to_string(), "1h30m");
        assert_eq!(Duration::from_seconds(86_400).to_string(), "24h");
        assert_eq!(Duration::from_seconds(90_000).to_string(), "25h");
        assert_eq!(Duration::from_seconds(-3_600).to_string(), "-1h");
    }
}
