//! Lint renders every message part in every scenario once, here; the rules
//! that read the results (a template that fails to render, a message that
//! does not fit) never render again, and a part that fails to render is
//! never measured as fitting.

use chrono_tz::Tz;

use super::worst_case::{self, Scenario, WORST_CASE};
use crate::channel::Channels;
use crate::load::Loaded;
use crate::template::{self, Prepared, Problem};

/// One part (by its index in [`Prepared::parts`]) rendered in one scenario.
pub struct Rendered {
    pub part: usize,
    /// How findings name the scenario: "with the example values", ...
    pub label: &'static str,
    pub scenario: Scenario,
    pub result: Result<String, Problem>,
}

/// Renders every compiled part of a playbook whose channel is known, in
/// every scenario.
pub fn render_all(
    channels: &Channels,
    loaded: &Loaded,
    prepared: &Prepared,
    zone: Tz,
) -> Vec<Rendered> {
    let playbook = &loaded.playbook;
    // The event starts on a fixed date, never the day lint runs, so a
    // finding does not come and go with the calendar: the date with the
    // longest names (a Wednesday in September); the others are tried below.
    let dates = calendar(zone);
    let started_at = dates.get(8).cloned().unwrap_or_default();
    let mut out = Vec::new();
    // Scenarios depend on the channel only: made once per channel, not once
    // per message and language.
    let mut scenarios: std::collections::HashMap<(&str, bool), Vec<(&'static str, Scenario)>> =
        std::collections::HashMap::new();
    for (index, part) in prepared.parts.iter().enumerate() {
        let (Ok(source), Some(Ok(_))) = (&part.source, &part.compiled) else {
            continue;
        };
        let message = &playbook.messages[part.index];
        let Some(spec) = channels.get(&message.channel) else {
            continue;
        };
        // A template that reads an undeclared name cannot render; that is
        // undeclared-variable's finding, not a second one here.
        let (Some(Ok(compiled)), _) = (&part.compiled, ()) else {
            continue;
        };
        let undeclared = compiled.variables.keys().any(|name| {
            !playbook.fields.contains_key(name)
                && !template::BUILTIN_VARIABLES.contains(&name.as_str())
        });
        if undeclared {
            continue;
        }
        let these = scenarios
            .entry((message.channel.as_str(), compiled.changes_case))
            .or_insert_with(|| worst_case::all(playbook, spec, zone, compiled.changes_case));
        // A message that compares enum fields is tried with every
        // combination of their values, in every scenario.
        let combinations = enum_combinations(playbook, compiled);
        for (label, scenario) in these.iter() {
            for combination in &combinations {
                let mut scenario = scenario.clone();
                for (name, value) in combination {
                    scenario
                        .values
                        .insert((*name).to_owned(), Some((*value).to_owned()));
                }
                let context = template::context(&scenario.values, &started_at, &part.lang);
                let result = prepared.render(source, &context);
                out.push(Rendered {
                    part: index,
                    label,
                    scenario,
                    result,
                });
            }
        }
        // A template that writes dates says the names of days and months:
        // tried on dates in every month and on every day of the week, so
        // what lint finds does not depend on the day it runs, and a name
        // that is longer, or holds a letter a channel cannot send, is found.
        if compiled.datetime_inputs.is_empty() {
            continue;
        }
        let Some((_, worst)) = these.iter().find(|(label, _)| *label == WORST_CASE) else {
            continue;
        };
        let named = longest_names(zone, &part.lang);
        for date in dates.iter().chain(&named) {
            let mut scenario = worst.clone();
            for (name, field) in &playbook.fields {
                if field.kind == crate::field::FieldType::Datetime {
                    if let Some(value) = scenario.values.get_mut(name) {
                        *value = value.as_ref().map(|_| date.clone());
                    }
                }
            }
            let context = template::context(&scenario.values, date, &part.lang);
            let result = prepared.render(source, &context);
            out.push(Rendered {
                part: index,
                label: CALENDAR,
                scenario,
                result,
            });
        }
    }
    out
}

/// How findings name the worst case tried on dates through the year.
pub const CALENDAR: &str =
    "in the worst case, on dates in every month and every day of the week, at times around the clock and in the years whose dates are written longest";

/// The time of day of each of the twelve dates: midnight and noon, one
/// o'clock in the morning and the afternoon (Spanish says `a la 1`), whole
/// hours, and one- and two-digit hours on both clocks, with seconds of one
/// and two digits (a start time keeps its seconds). None falls between 2
/// and 3 in the morning, when clocks change.
const TIMES: [(u32, u32, u32); 12] = [
    (10, 30, 45),
    (22, 45, 0),
    (0, 0, 0),
    (12, 0, 59),
    (1, 30, 5),
    (13, 5, 30),
    (9, 0, 0),
    (21, 0, 15),
    (11, 59, 59),
    (23, 59, 1),
    (12, 30, 0),
    (0, 30, 45),
];

/// Twelve dates, one in each month, whose days of the week cover the
/// whole week (the longest names meet: a Wednesday in September, in
/// English and in Spanish), with two-digit days, each at one of [`TIMES`],
/// as RFC 3339 in `zone`; then the dates of [`far_dates`].
fn calendar(zone: Tz) -> Vec<String> {
    let mut dates = year_dates(zone);
    dates.extend(far_dates(zone));
    dates
}

/// Dates in other years that write longer than any in 2026: the first
/// and last days a date may have (`%s`, seconds since 1970, has 11
/// characters there and 10 now), and the date whose zone abbreviation
/// (`%Z`) is longest, such as `+0720` where the zone now says `+08`.
/// Zones are sampled on the 15th of every month of every year accepted,
/// once per zone.
fn far_dates(zone: Tz) -> Vec<String> {
    static FOUND: DateCache<Tz> = std::sync::OnceLock::new();
    cached(&FOUND, zone, || find_far_dates(zone))
}

fn find_far_dates(zone: Tz) -> Vec<String> {
    use chrono::{NaiveDate, TimeZone};
    let at = |year: i32, month: u32, day: u32| {
        let naive = NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(10, 30, 0)?;
        zone.from_local_datetime(&naive).earliest()
    };
    let (first, last) = (crate::event::EARLIEST_YEAR, crate::event::LATEST_YEAR);
    let mut dates: Vec<_> = [at(first, 1, 2), at(last, 12, 30)]
        .into_iter()
        .flatten()
        .collect();
    let now_length = at(2026, 1, 15).map_or(0, |d| d.format("%Z").to_string().chars().count());
    let longest = (first..=last)
        .flat_map(|year| (1..=12).filter_map(move |month| at(year, month, 15)))
        .map(|d| (d.format("%Z").to_string().chars().count(), d))
        .max_by_key(|(length, _)| *length);
    if let Some((_, date)) = longest.filter(|(length, _)| *length > now_length) {
        dates.push(date);
    }
    dates.iter().map(|d| d.to_rfc3339()).collect()
}

/// Dates found once per key and kept for the run: every playbook of a
/// catalog asks again with the same zone and language.
type DateCache<K> =
    std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<K, Vec<String>>>>;

fn cached<K: std::hash::Hash + Eq + Clone>(
    cache: &'static DateCache<K>,
    key: K,
    find: impl FnOnce() -> Vec<String>,
) -> Vec<String> {
    let map = cache.get_or_init(Default::default);
    if let Some(dates) = map.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return dates.clone();
    }
    let dates = find();
    map.lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, dates.clone());
    dates
}

/// Dates whose day and month names together are longest in `lang`: in
/// full (`%A %B`: "Donnerstag, September" in German) and abbreviated
/// (`%a %b`). The twelve dates pair each month with one day of the week,
/// which misses the longest pair in some languages.
fn longest_names(zone: Tz, lang: &str) -> Vec<String> {
    static FOUND: DateCache<(Tz, String)> = std::sync::OnceLock::new();
    cached(&FOUND, (zone, lang.to_owned()), || {
        find_longest_names(zone, lang)
    })
}

fn find_longest_names(zone: Tz, lang: &str) -> Vec<String> {
    use chrono::{Datelike, NaiveDate, TimeZone};
    let locale = crate::template::filters::locale_for(lang);
    let days: Vec<NaiveDate> = (1..=31)
        .filter_map(|day| NaiveDate::from_ymd_opt(2026, 1, day))
        .collect();
    let name = |date: &NaiveDate, format: &str| {
        date.format_localized(format, locale)
            .to_string()
            .chars()
            .count()
    };
    let mut out = Vec::new();
    for (day_format, month_format) in [("%A", "%B"), ("%a", "%b")] {
        let weekday = days[..7]
            .iter()
            .max_by_key(|d| name(d, day_format))
            .map(|d| d.weekday());
        let month = (1..=12u32)
            .filter_map(|m| NaiveDate::from_ymd_opt(2026, m, 1))
            .max_by_key(|d| name(d, month_format))
            .map(|d| d.month());
        let (Some(weekday), Some(month)) = (weekday, month) else {
            continue;
        };
        let date = (10..=16)
            .filter_map(|day| NaiveDate::from_ymd_opt(2026, month, day))
            .find(|d| d.weekday() == weekday)
            .and_then(|d| d.and_hms_opt(10, 30, 45))
            .and_then(|naive| zone.from_local_datetime(&naive).earliest());
        if let Some(date) = date {
            out.push(date.to_rfc3339());
        }
    }
    out
}

/// The twelve dates of 2026.
fn year_dates(zone: Tz) -> Vec<String> {
    use chrono::{Datelike, NaiveDate, TimeZone};
    (1..=12u32)
        .filter_map(|month| {
            // The weekday numbered `month % 7` from Monday, on or after the 10th.
            let wanted = month % 7;
            let day = (10..=16).find(|&day| {
                NaiveDate::from_ymd_opt(2026, month, day)
                    .is_some_and(|d| d.weekday().num_days_from_monday() == wanted)
            })?;
            let (hour, minute, second) = TIMES[month as usize - 1];
            let naive =
                NaiveDate::from_ymd_opt(2026, month, day)?.and_hms_opt(hour, minute, second)?;
            zone.from_local_datetime(&naive)
                .earliest()
                .map(|at| at.to_rfc3339())
        })
        .collect()
}

/// Enum fields lint tries every combination of at most, per message: far
/// more than a message's branches ever need.
pub const MAX_ENUM_COMBINATIONS: usize = 64;

/// Every combination of values of the enum fields a part compares; one
/// empty combination when it compares none (or they have too many
/// combinations to try, which CP209 reports).
fn enum_combinations<'a>(
    playbook: &'a crate::playbook::Playbook,
    compiled: &template::Compiled,
) -> Vec<Vec<(&'a str, &'a str)>> {
    let mut names: Vec<&str> = compiled
        .compared
        .iter()
        .filter_map(|(subject, _, _)| subject.as_deref())
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut combinations: Vec<Vec<(&str, &str)>> = vec![Vec::new()];
    for name in names {
        let Some((key, field)) = playbook.fields.get_key_value(name) else {
            continue;
        };
        if field.kind != crate::field::FieldType::Enum || field.values.is_empty() {
            continue;
        }
        if combinations.len() * field.values.len() > MAX_ENUM_COMBINATIONS {
            return vec![Vec::new()];
        }
        combinations = combinations
            .into_iter()
            .flat_map(|done| {
                field.values.iter().map(move |value| {
                    let mut next = done.clone();
                    next.push((key.as_str(), value.as_str()));
                    next
                })
            })
            .collect();
    }
    combinations
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_calendar_covers_every_month_weekday_and_time() {
        use chrono::{Datelike, Timelike};
        for zone in [
            "America/Los_Angeles",
            "Europe/Madrid",
            "Pacific/Chatham",
            "UTC",
        ] {
            let zone: Tz = zone.parse().expect("a zone");
            let dates: Vec<chrono::DateTime<Tz>> = year_dates(zone)
                .iter()
                .map(|d| {
                    chrono::DateTime::parse_from_rfc3339(d)
                        .expect("RFC 3339")
                        .with_timezone(&zone)
                })
                .collect();
            assert_eq!(dates.len(), 12, "{zone}");
            let months: std::collections::BTreeSet<u32> = dates.iter().map(|d| d.month()).collect();
            assert_eq!(months.len(), 12);
            let weekdays: std::collections::BTreeSet<u32> = dates
                .iter()
                .map(|d| d.weekday().num_days_from_monday())
                .collect();
            assert_eq!(weekdays.len(), 7);
            let times: Vec<(u32, u32, u32)> = dates
                .iter()
                .map(|d| (d.hour(), d.minute(), d.second()))
                .collect();
            assert_eq!(times, TIMES, "{zone}");
        }
    }

    #[test]
    fn far_dates_hold_the_ends_of_the_years_and_the_longest_abbreviation() {
        let singapore: Tz = "Asia/Singapore".parse().expect("a zone");
        let dates = far_dates(singapore);
        assert_eq!(dates.len(), 3, "{dates:?}");
        assert!(dates[0].starts_with("1900-01-02T10:30:00"), "{dates:?}");
        assert!(dates[1].starts_with("2999-12-30T10:30:00"), "{dates:?}");
        // Singapore wrote +0720 and +0730 before 1982, +08 since.
        let longest = chrono::DateTime::parse_from_rfc3339(&dates[2]).expect("RFC 3339");
        assert_eq!(
            longest
                .with_timezone(&singapore)
                .format("%Z")
                .to_string()
                .len(),
            5
        );
        // Nothing longer than today's abbreviation: only the two ends.
        assert_eq!(far_dates(Tz::UTC).len(), 2);
    }

    #[test]
    fn the_longest_day_and_month_names_meet_on_one_date() {
        let dates = longest_names(Tz::UTC, "de");
        let full = chrono::DateTime::parse_from_rfc3339(&dates[0]).expect("RFC 3339");
        let locale = crate::template::filters::locale_for("de");
        assert_eq!(
            full.format_localized("%A, %B", locale).to_string(),
            "Donnerstag, September"
        );
        assert_eq!(longest_names(Tz::UTC, "en").len(), 2);
    }
}
