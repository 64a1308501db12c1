//! Event details as the person on duty gives them (`--set NAME=VALUE` or an
//! event file), checked against the playbook's declared fields and
//! normalised into the values templates see.
//!
//! Every problem is collected and reported at once, in the words of the
//! person typing, because each round trip costs minutes during a crisis.
//! Values are data: they are trimmed and reformatted, never evaluated, so a
//! value such as `{{ 1 + 1 }}` reaches the messages exactly as typed.
//!
//! Values are also untrusted: they are pasted from chats and documents, and
//! end up in posts, in the sign-off checklist and on a terminal. So no value
//! may carry a control character, a bidirectional override or (unless its
//! field is `multiline`) a line break, and every step works within a budget
//! named where it lives: [`crate::field::MAX_VALUE_CHARS`] for a value,
//! [`file::MAX_BYTES`] for an event file, [`EARLIEST_YEAR`] to
//! [`LATEST_YEAR`] for dates, [`crate::duration::MAX_SECONDS`] for the
//! playbook's durations added to them.
//!
//! The files, in the order a value passes through them:
//! - `raw.rs`: values as typed, each with where it came from.
//! - `file.rs`: an event file read into raw values.
//! - `resolve.rs`: every declared field's value, or every problem.
//! - `normalize.rs`: one value checked and normalised for its field type.
//! - `control.rs`: the characters no value may carry.
//! - `gsm.rs`: what to write instead in a field that promises GSM-7.
//! - `datetime.rs`: dates and times as people type them.
//! - `relative.rs`: times said relative to now (`02:40`, `20m ago`).
//! - `zone.rs`: time zone names, and the one probably meant.

mod control;
mod datetime;
pub mod file;
mod gsm;
mod normalize;
mod raw;
mod relative;
mod resolve;
mod zone;

pub use datetime::{format_spoken, parse_datetime, EARLIEST_YEAR, LATEST_YEAR};
pub use normalize::normalize;
pub use raw::{parse_set, Origin, RawEvent, RawValue};
pub use relative::MAX_AGO_SECONDS;
pub use resolve::{resolve, Event, Problem};
pub use zone::zone;

/// Text longer than this (in bytes) is not compared with names to suggest
/// one: no field or zone name is nearly this long, so it is not a typo of
/// one, and comparing costs time in proportion to its length for every
/// candidate (some 600 zone names).
const MAX_SUGGEST_BYTES: usize = 100;

/// The candidate a typo most likely meant, ignoring case: people type
/// names the way they say them.
fn closest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    if wanted.len() > MAX_SUGGEST_BYTES {
        return None;
    }
    let candidates: Vec<&str> = candidates.collect();
    let lowered: Vec<String> = candidates.iter().map(|c| c.to_lowercase()).collect();
    let best =
        crate::suggest::did_you_mean(&wanted.to_lowercase(), lowered.iter().map(String::as_str))?;
    let index = lowered.iter().position(|l| l == best)?;
    candidates.get(index).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_names_ignoring_case() {
        let names = ["area", "event", "severity"];
        assert_eq!(closest("Aera", names.into_iter()), Some("area"));
        assert_eq!(closest("casualties", names.into_iter()), None);
    }

    #[test]
    fn suggests_for_text_up_to_the_limit_and_not_past_it() {
        let name = format!("{}b", "a".repeat(MAX_SUGGEST_BYTES));
        let at_limit = "a".repeat(MAX_SUGGEST_BYTES);
        assert_eq!(
            closest(&at_limit, [name.as_str()].into_iter()),
            Some(name.as_str())
        );
        let past_limit = format!("{at_limit}a");
        assert_eq!(closest(&past_limit, [name.as_str()].into_iter()), None);
    }
}
