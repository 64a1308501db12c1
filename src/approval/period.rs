//! Approval dates: reading `at` and `until` (an RFC 3339 date, or date and
//! time), reading `--expires` periods, and computing when an approval ends.
//!
//! A date without a time is a whole day in UTC: an approval `until:
//! 2026-01-15` holds through that day and ends when 2026-01-16 begins.

use chrono::{DateTime, Days, Months, NaiveDate, NaiveTime, Utc};

/// A date as written in an approval record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Date(NaiveDate),
    Instant(DateTime<Utc>),
}

/// How long an approval holds, as given to `--expires`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Days(u64),
    Months(u32),
}

impl When {
    /// Reads `2025-01-15` or an RFC 3339 date and time.
    pub fn parse(text: &str) -> Result<When, String> {
        let text = text.trim();
        if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Ok(When::Date(date));
        }
        DateTime::parse_from_rfc3339(text)
            .map(|t| When::Instant(t.with_timezone(&Utc)))
            .map_err(|_| {
                format!("'{text}' is not a date; write it like 2025-01-15 or 2025-01-15T09:30:00Z")
            })
    }

    /// The moment it begins (midnight UTC for a date).
    pub fn start(self) -> DateTime<Utc> {
        match self {
            When::Date(date) => date.and_time(NaiveTime::MIN).and_utc(),
            When::Instant(at) => at,
        }
    }

    /// The moment an approval valid until this ends: the end of the day for
    /// a date, the instant itself otherwise.
    pub fn end(self) -> DateTime<Utc> {
        match self {
            When::Date(date) => date
                .checked_add_days(Days::new(1))
                .unwrap_or(date)
                .and_time(NaiveTime::MIN)
                .and_utc(),
            When::Instant(at) => at,
        }
    }

    /// `period` later, with the same precision (calendar months clamp to the
    /// month's last day: 31 January plus one month is 28 or 29 February).
    pub fn plus(self, period: Period) -> Option<When> {
        match self {
            When::Date(date) => match period {
                Period::Days(n) => date.checked_add_days(Days::new(n)),
                Period::Months(n) => date.checked_add_months(Months::new(n)),
            }
            .map(When::Date),
            When::Instant(at) => match period {
                Period::Days(n) => at.checked_add_days(Days::new(n)),
                Period::Months(n) => at.checked_add_months(Months::new(n)),
            }
            .map(When::Instant),
        }
    }

    /// As written in a record: `2025-01-15` or `2025-01-15T09:30:00Z`.
    pub fn to_record(self) -> String {
        match self {
            When::Date(date) => date.format("%Y-%m-%d").to_string(),
            When::Instant(at) => at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        }
    }

    /// For people: the date, and the time when there is one.
    pub fn to_human(self) -> String {
        match self {
            When::Date(date) => date.format("%Y-%m-%d").to_string(),
            When::Instant(at) => at.format("%Y-%m-%d %H:%M UTC").to_string(),
        }
    }
}

impl Period {
    /// Reads `90d`, `6w`, `12mo` or `2y`.
    pub fn parse(text: &str) -> Result<Period, String> {
        let text = text.trim();
        let expected = || {
            format!(
                "'{text}' is not an approval period; write a number and d (days), w (weeks), mo (months) or y (years), such as 12mo"
            )
        };
        if text == "never" {
            return Err(
                "approvals must expire so that someone looks at the words again; give a period such as 12mo or 2y"
                    .to_owned(),
            );
        }
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .ok_or_else(expected)?;
        let (number, unit) = text.split_at(split);
        let n: u32 = number.parse().map_err(|_| expected())?;
        if n == 0 {
            return Err(format!(
                "'{text}' would expire at once; give a period such as 12mo"
            ));
        }
        match unit {
            "d" => Ok(Period::Days(u64::from(n))),
            "w" => Ok(Period::Days(u64::from(n) * 7)),
            "mo" => Ok(Period::Months(n)),
            "y" => n.checked_mul(12).map(Period::Months).ok_or_else(expected),
            "m" => Err(format!(
                "'{text}' is ambiguous; write {n}mo for months (approval periods have no minutes)"
            )),
            _ => Err(expected()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> When {
        When::parse(text).expect("a date")
    }

    #[test]
    fn periods_are_calendar_periods() {
        let start = date("2025-01-31");
        let plus = |p: &str| {
            start
                .plus(Period::parse(p).expect("a period"))
                .map(When::to_record)
        };
        assert_eq!(plus("1mo").as_deref(), Some("2025-02-28"));
        assert_eq!(plus("12mo").as_deref(), Some("2026-01-31"));
        assert_eq!(plus("1y").as_deref(), Some("2026-01-31"));
        assert_eq!(plus("2w").as_deref(), Some("2025-02-14"));
        assert_eq!(plus("30d").as_deref(), Some("2025-03-02"));
        for bad in ["never", "12m", "0d", "mo", "1.5y", "-1y", "3 months"] {
            assert!(Period::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn a_date_holds_through_its_day() {
        let until = date("2026-01-15");
        assert_eq!(until.end(), date("2026-01-16T00:00:00Z").start());
        let instant = date("2026-01-15T10:00:00+02:00");
        assert_eq!(instant.to_record(), "2026-01-15T08:00:00Z");
        assert_eq!(instant.end(), instant.start());
        assert!(When::parse("next year").is_err());
    }
}
