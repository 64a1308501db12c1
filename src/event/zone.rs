//! Time zones: the playbook's own (`timezone`, UTC when it names none), a
//! zone named after a time in a value, and the zone probably meant when a
//! name is misspelt or is an abbreviation such as PST.

use chrono_tz::{Tz, TZ_VARIANTS};

use super::closest;
use crate::playbook::Playbook;

/// The playbook's zone: its `timezone`, or UTC when it names none.
pub fn zone(playbook: &Playbook) -> Result<Tz, String> {
    match playbook.timezone.as_deref() {
        None => Ok(Tz::UTC),
        Some(name) => name.parse::<Tz>().map_err(|_| unknown_zone(name)),
    }
}

/// A zone named in a value: exact, or differing only in case, since the
/// value is converted to an offset and the spelling is not kept.
pub(super) fn lookup_zone(name: &str) -> Option<Tz> {
    if name.eq_ignore_ascii_case("z") {
        return Some(Tz::UTC);
    }
    name.parse::<Tz>().ok().or_else(|| {
        TZ_VARIANTS
            .iter()
            .copied()
            .find(|z| z.name().eq_ignore_ascii_case(name))
    })
}

/// Why a zone name is unknown, with the name probably meant.
pub(super) fn unknown_zone(name: &str) -> String {
    let wanted = name.trim().replace(' ', "_");
    if let Some(zone) = abbreviation_zone(&wanted) {
        return format!(
            "'{name}' is an abbreviation, not a zone name; use '{zone}' (it follows daylight saving time)"
        );
    }
    match suggest_zone(&wanted) {
        Some(zone) => format!("'{name}' is not a time zone; did you mean '{zone}'?"),
        None => format!(
            "'{name}' is not a time zone; use an IANA name such as America/Los_Angeles, Europe/Paris or UTC"
        ),
    }
}

/// Abbreviations people type that are not zone names themselves.
fn abbreviation_zone(abbreviation: &str) -> Option<&'static str> {
    let upper = abbreviation.to_ascii_uppercase();
    Some(match upper.as_str() {
        "PST" | "PDT" | "PT" => "America/Los_Angeles",
        "MDT" | "MT" => "America/Denver",
        "CST" | "CDT" | "CT" => "America/Chicago",
        "EDT" | "ET" => "America/New_York",
        "AKST" | "AKDT" => "America/Anchorage",
        "BST" => "Europe/London",
        "CEST" => "Europe/Berlin",
        "AEST" | "AEDT" => "Australia/Sydney",
        "JST" => "Asia/Tokyo",
        "NZST" | "NZDT" => "Pacific/Auckland",
        _ => return None,
    })
}

fn suggest_zone(wanted: &str) -> Option<&'static str> {
    let names = || TZ_VARIANTS.iter().map(|z| z.name());
    let city = |name: &'static str| name.rsplit('/').next().unwrap_or(name);
    let wanted_city = wanted.rsplit('/').next().unwrap_or(wanted);
    names()
        .find(|n| n.eq_ignore_ascii_case(wanted))
        .or_else(|| names().find(|n| city(n).eq_ignore_ascii_case(wanted_city)))
        .or_else(|| closest(wanted, names()))
        .or_else(|| {
            let cities: Vec<&str> = names().map(city).collect();
            let best = closest(wanted_city, cities.iter().copied())?;
            names().find(|n| city(n) == best)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn playbook(timezone: Option<&str>) -> Playbook {
        serde_json::from_value(json!({
            "id": "disaster-helpline",
            "title": "Helpline for a disaster",
            "version": 1,
            "owner": "Communications <comms@example.org>",
            "timezone": timezone,
            "messages": []
        }))
        .unwrap()
    }

    fn zone_of(name: &str) -> Result<Tz, String> {
        zone(&playbook(Some(name)))
    }

    #[test]
    fn an_unknown_playbook_zone_is_reported_with_a_suggestion() {
        assert_eq!(
            zone_of("America/Los_Angles").unwrap_err(),
            "'America/Los_Angles' is not a time zone; did you mean 'America/Los_Angeles'?"
        );
        assert!(zone_of("america/los_angeles")
            .unwrap_err()
            .contains("'America/Los_Angeles'"));
        assert!(zone_of("PST").unwrap_err().contains("abbreviation"));
        assert!(zone_of("Los Angeles")
            .unwrap_err()
            .contains("'America/Los_Angeles'"));
        assert!(zone_of("Mars/Olympus_Mons").unwrap_err().contains("IANA"));
        assert_eq!(zone(&playbook(None)).unwrap(), Tz::UTC);
        assert_eq!(
            zone_of("America/Los_Angeles").unwrap(),
            chrono_tz::America::Los_Angeles
        );
    }

    #[test]
    fn zones_in_values_match_ignoring_case() {
        assert_eq!(lookup_zone("europe/paris"), Some(chrono_tz::Europe::Paris));
        assert_eq!(lookup_zone("z"), Some(Tz::UTC));
        assert_eq!(lookup_zone("Europe/Pariss"), None);
    }

    #[test]
    fn a_long_name_gets_no_suggestion_and_no_long_search() {
        let long = "Paris_".repeat(1_000);
        assert!(unknown_zone(&long).ends_with("such as America/Los_Angeles, Europe/Paris or UTC"));
    }
}
