//! Property tests of the event parsers: whatever the person on duty types,
//! pastes or saves as an event file, checking it never panics, a value
//! never carries a control character or (outside multiline text) a line
//! break into the messages, and an event file's errors always name it.
//!
//! Case counts are kept small so the suite runs in seconds in a debug
//! build; the generators aim at the shapes the parsers branch on (dates,
//! numbers, YAML tokens) rather than only at random text.

use chrono_tz::Tz;
use crisis::event::{self, RawEvent};
use crisis::field::{Field, FieldType};
use proptest::prelude::*;
use serde_json::json;

/// The characters no value may carry, written out here rather than taken
/// from the code under test.
fn is_refused(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1F}'
            | '\u{7F}'..='\u{9F}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
    )
}

const ZONES: [Tz; 6] = [
    Tz::UTC,
    chrono_tz::America::Los_Angeles,
    chrono_tz::Pacific::Apia,
    chrono_tz::Asia::Kathmandu,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Pacific::Chatham,
];

fn zone() -> impl Strategy<Value = Tz> {
    prop::sample::select(ZONES.to_vec())
}

fn kind() -> impl Strategy<Value = FieldType> {
    prop::sample::select(FieldType::ALL.to_vec())
}

/// A field of any type, with the settings that change how values are read.
fn field() -> impl Strategy<Value = Field> {
    (
        kind(),
        prop::option::of(1usize..=crisis::field::MAX_VALUE_CHARS),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(kind, max_len, gsm, multiline)| {
            let mut spec = json!({
                "type": kind.name(),
                "values": ["low", "High", "a\u{1}b"],
                "multiline": multiline,
            });
            if let Some(max_len) = max_len {
                spec["max_len"] = json!(max_len);
            }
            if gsm {
                spec["charset"] = json!("gsm");
            }
            serde_json::from_value(spec).expect("a valid field")
        })
}

/// Text shaped like what each field type expects, with room to go wrong.
fn value_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,40}",
        "[-+\u{2212}]?[0-9,.eE ]{0,30}",
        "[0-9]{1,5}-[0-9]{1,2}-[0-9]{1,2}[ Tt][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\\.[0-9]{0,11})?)? ?(Z|[+-][0-9]{1,2}:?[0-9]{0,2})?( [A-Za-z/_.]{0,24})?",
        "[+(]?[0-9 ().\\-]{0,25}",
        "(https?|ftp|HTTP)(://)?[a-z.@:\\[\\]0-9/?#%]{0,30}",
        "[a-z.@ ]{0,20}",
        relative_text(),
    ]
}

/// Text shaped like the times people say: `02:40`, `yesterday 23:10`,
/// `1h30m ago`, `now`, with room to go wrong.
fn relative_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "((today|Yesterday|TODAY) )?[0-9]{0,3}:?[0-9]{0,3}(:[0-9]{0,3})?( ?[aApP]\\.?[mM]\\.?)?",
        "[0-9]{0,25}[dhm]?( ?[0-9]{0,6}(m|min|h|s|x)?)? ?(ago|AGO)?",
        "(now|Now|NOW|today|yesterday|ago)",
    ]
}

/// The clock `--now` can set: any RFC 3339 time, years 0000 to 9999.
fn clock() -> impl Strategy<Value = chrono::DateTime<chrono::Utc>> {
    let earliest = -62_167_219_200i64; // 0000-01-01T00:00:00Z
    let latest = 253_402_300_799i64; // 9999-12-31T23:59:59Z
    prop_oneof![
        earliest..=latest,
        // Near today, where the relative forms are mostly used.
        1_500_000_000i64..1_900_000_000,
        Just(earliest),
        Just(latest),
    ]
    .prop_map(|seconds| chrono::DateTime::from_timestamp(seconds, 0).expect("in range"))
}

/// One character a value may not carry.
fn refused_char() -> impl Strategy<Value = char> {
    prop_oneof![
        0u32..0x20,
        0x7Fu32..0xA0,
        Just(0x2028u32),
        Just(0x2029u32),
        0x202Au32..=0x202E,
        0x2066u32..=0x2069,
    ]
    .prop_map(|code| char::from_u32(code).expect("a character"))
}

/// A character refused even in multiline text: not LF, CR or tab.
fn refused_in_multiline() -> impl Strategy<Value = char> {
    refused_char().prop_filter("line breaks and tabs are allowed", |c| {
        !matches!(c, '\n' | '\r' | '\t')
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn normalize_never_panics(
        field in field(),
        text in value_text(),
        zone in zone(),
        now in prop::option::of(clock()),
    ) {
        let _ = event::normalize("value", &field, &text, zone, now);
    }

    #[test]
    fn parse_datetime_never_panics(
        text in value_text(),
        zone in zone(),
        now in prop::option::of(clock()),
    ) {
        let _ = event::parse_datetime(&text, zone, now);
    }

    #[test]
    fn relative_times_are_never_after_now_unless_said_today(
        text in relative_text(),
        zone in zone(),
        now in clock(),
    ) {
        if let Ok(at) = event::parse_datetime(&text, zone, Some(now)) {
            let said_today = text.to_ascii_lowercase().starts_with("today");
            prop_assert!(said_today || at <= now, "{:?} at {} is {}", text, now, at);
            let year = chrono::Datelike::year(&at);
            prop_assert!((event::EARLIEST_YEAR..=event::LATEST_YEAR).contains(&year));
        }
    }

    #[test]
    fn parse_set_never_panics_and_keeps_the_value_whole(arg in any::<String>()) {
        if let Ok((name, value)) = event::parse_set(&arg) {
            let (before, after) = arg.split_once('=').expect("an equals sign");
            prop_assert_eq!(name.as_str(), before.trim());
            prop_assert_eq!(value.as_str(), after);
            prop_assert!(!name.chars().any(is_refused), "{:?}", name);
        }
    }

    #[test]
    fn normalized_values_carry_no_control_characters(
        field in field(),
        text in value_text(),
        zone in zone(),
    ) {
        if let Ok(value) = event::normalize("value", &field, &text, zone, None) {
            let multiline = field.kind == FieldType::Text && field.multiline;
            for c in value.chars() {
                let allowed = multiline && matches!(c, '\n' | '\t');
                prop_assert!(!is_refused(c) || allowed, "{:?} in {:?}", c, value);
            }
        }
    }

    #[test]
    fn a_single_line_field_refuses_line_breaks_and_controls_inside_a_value(
        field in field(),
        prefix in "[a-z]{1,4}",
        bad in refused_char(),
        suffix in "\\PC{0,8}[a-z]",
        zone in zone(),
    ) {
        prop_assume!(!(field.kind == FieldType::Text && field.multiline));
        let text = format!("{prefix}{bad}{suffix}");
        let err = event::normalize("value", &field, &text, zone, None).unwrap_err();
        let expected = format!("(U+{:04X}) at character {}", u32::from(bad), prefix.len() + 1);
        prop_assert!(err.contains(&expected), "{:?}: {}", text, err);
    }

    #[test]
    fn a_multiline_field_refuses_controls_other_than_line_breaks_and_tabs(
        prefix in "[a-z]{1,4}[\n\r\t ]{0,3}[a-z]",
        bad in refused_in_multiline(),
        suffix in "[a-z]{1,4}",
    ) {
        let field: Field =
            serde_json::from_value(json!({ "type": "text", "multiline": true })).unwrap();
        let text = format!("{prefix}{bad}{suffix}");
        let err = event::normalize("value", &field, &text, Tz::UTC, None).unwrap_err();
        let expected = format!("(U+{:04X})", u32::from(bad));
        prop_assert!(err.contains(&expected), "{:?}: {}", text, err);
    }

    #[test]
    fn multiline_text_keeps_only_line_feeds(text in "[a-z \t\r\n]{0,40}") {
        let field: Field =
            serde_json::from_value(json!({ "type": "text", "multiline": true })).unwrap();
        if let Ok(value) = event::normalize("value", &field, &text, Tz::UTC, None) {
            prop_assert!(!value.contains('\r'), "{:?}", value);
            let letters = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            prop_assert_eq!(letters(&value), letters(&text));
        }
    }
}

/// YAML-ish text: the tokens the event file reader and the YAML parser
/// branch on, in any order.
fn yamlish() -> impl Strategy<Value = String> {
    let tokens = prop::sample::select(vec![
        "area",
        "started_at",
        ":",
        ": ",
        " ",
        "\n",
        "  ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a ",
        "*a",
        "!!str ",
        "!!map ",
        "\"",
        "'",
        "\\e",
        "\\n",
        "|",
        ">-",
        "#",
        "~",
        "?",
        "\t",
        "é",
        "\u{202E}",
        "---\n",
        "...\n",
        "%YAML 1.2\n",
        "2017-12-18 07:33",
        "0x1F",
        "\u{FEFF}",
    ]);
    prop::collection::vec(tokens, 0..40).prop_map(|tokens| tokens.concat())
}

fn parse_file(bytes: &[u8]) -> Result<RawEvent, String> {
    let mut raw = RawEvent::default();
    event::file::parse("event.yaml", bytes, &mut raw)
        .map(|()| raw)
        .map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_event_file_reader_never_panics_on_bytes(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        if let Err(err) = parse_file(&bytes) {
            prop_assert!(err.contains("event.yaml"), "{}", err);
        }
    }

    #[test]
    fn the_event_file_reader_never_panics_on_yaml_shapes(text in yamlish()) {
        match parse_file(text.as_bytes()) {
            Err(err) => prop_assert!(err.contains("event.yaml"), "{}", err),
            Ok(raw) => {
                for (name, value) in &raw.values {
                    prop_assert!(!name.chars().any(is_refused), "{:?}", name);
                    let place = value.origin.describe(name);
                    prop_assert!(place.starts_with("event.yaml:"), "{}", place);
                }
            }
        }
    }
}
