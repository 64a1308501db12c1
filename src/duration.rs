//! Durations as people write them in playbooks: `90s`, `30m`, `1h`, `1h30m`,
//! `2d`, `1w`, and negative offsets such as `-1h` (which lint rejects for
//! follow-ups, but must be able to read to say so).

use schemars::JsonSchema;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A signed length of time, in whole seconds.
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

    pub fn from_seconds(seconds: i64) -> Duration {
        Duration { seconds }
    }

    pub fn seconds(self) -> i64 {
        self.seconds
    }

    pub fn to_chrono(self) -> chrono::Duration {
        chrono::Duration::seconds(self.seconds)
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
            let n: i64 = number.parse().map_err(|_| expected())?;
            seconds = n
                .checked_mul(unit)
                .and_then(|s| seconds.checked_add(s))
                .ok_or_else(expected)?;
            number.clear();
        }
        if !number.is_empty() {
            return Err(expected());
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
            "description": "A duration: a number and a unit (s, m, h, d, w), such as 30m, 1h or 1h30m.",
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
    fn displays_in_hours() {
        assert_eq!(Duration::from_seconds(5_400).to_string(), "1h30m");
        assert_eq!(Duration::from_seconds(86_400).to_string(), "24h");
        assert_eq!(Duration::from_seconds(90_000).to_string(), "25h");
        assert_eq!(Duration::from_seconds(-3_600).to_string(), "-1h");
    }
}
