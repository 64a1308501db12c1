//! The platforms' own conformance data, run against our counting rules.
//!
//! The data lives beside the checkout in `../shared/conformance/` (CI has
//! it); it is read at run time and never copied into the project. A missing
//! folder fails the tests and says where it looked.

use std::path::PathBuf;

use crisis::channel::graphemes::grapheme_count;
use crisis::channel::sms::{self, SmsEncoding};
use crisis::channel::x::{self, XConfig};
use crisis::channel::Channels;
use serde_json::Value;

fn conformance_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance")
}

fn load(relative: &str) -> Value {
    let path = conformance_dir().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| {
        panic!(
            "conformance data not found at {} ({err}); it is expected beside the checkout in ../shared/conformance/",
            path.display()
        )
    });
    serde_json::from_str(&text)
        .unwrap_or_else(|err| panic!("{} is not valid JSON: {err}", path.display()))
}

fn number(value: &Value, key: &str) -> usize {
    value[key]
        .as_u64()
        .unwrap_or_else(|| panic!("field {key} missing in {value}")) as usize
}

#[test]
fn twitter_text_weighted_length_suite() {
    let data = load("twitter-text/weighted_length_vectors.json");
    let suites = data["suites"]
        .as_object()
        .unwrap_or_else(|| panic!("no suites in weighted_length_vectors.json"));
    let mut run = 0;
    let mut failures = Vec::new();
    for (suite, body) in suites {
        let label = body["config"].as_str().unwrap_or_default();
        let config = if label.contains("v2") {
            XConfig::V2
        } else if label.contains("v3") || label.contains("default") {
            XConfig::V3
        } else {
            panic!("suite {suite} names an unknown config: {label}");
        };
        for case in body["cases"].as_array().into_iter().flatten() {
            run += 1;
            let text = case["text"].as_str().unwrap_or_default();
            let expected = &case["expected"];
            let got = x::weighted_length_with(text, &config);
            let wanted = (
                number(expected, "weightedLength"),
                expected["valid"].as_bool().unwrap_or(false),
                number(expected, "permillage"),
                (
                    number(expected, "displayRangeStart"),
                    number(expected, "displayRangeEnd"),
                ),
                (
                    number(expected, "validRangeStart"),
                    number(expected, "validRangeEnd"),
                ),
            );
            let actual = (
                got.weighted_length,
                got.valid,
                got.permillage,
                got.display_range,
                got.valid_range,
            );
            if actual != wanted {
                failures.push(format!(
                    "{suite}: {}: got {actual:?}, want {wanted:?}",
                    case["description"]
                ));
            }
        }
    }
    assert_eq!(run, 44, "the suite should have 44 weighted-length cases");
    assert!(
        failures.is_empty(),
        "{} of {run} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn twilio_segment_table() {
    let data = load("sms/vectors_twilio_repo_testdata.json");
    let cases = data["cases"].as_array().cloned().unwrap_or_default();
    assert_eq!(cases.len(), 10, "the Twilio table should have 10 cases");
    for case in &cases {
        let body = case["body"].as_str().unwrap_or_default();
        let got = sms::segments(body);
        let name = case["testDescription"].as_str().unwrap_or_default();
        assert_eq!(
            got.encoding.as_str(),
            case["encoding"].as_str().unwrap_or_default(),
            "{name}"
        );
        assert_eq!(got.segments as usize, number(case, "segments"), "{name}");
        assert_eq!(got.message_bits(), number(case, "messageSize"), "{name}");
        assert_eq!(got.total_bits(), number(case, "totalSize"), "{name}");
        assert_eq!(got.characters, number(case, "characters"), "{name}");
    }
}

#[test]
fn twilio_special_cases() {
    let data = load("sms/vectors_twilio_repo_testdata.json");
    let cases = data["special_cases"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(cases.len(), 6, "the Twilio special cases should be 6");
    for case in &cases {
        let body = case["body"].as_str().unwrap_or_default();
        let got = sms::segments(body);
        assert_eq!(got.encoding, SmsEncoding::Ucs2, "{body:?}");
        assert_eq!(got.units, number(case, "utf16_units"), "{body:?}");
        assert_eq!(got.segments as usize, number(case, "segments"), "{body:?}");
    }
}

#[test]
fn twilio_escape_character_cases() {
    // The data states these in prose: each extension character + 158 digits
    // is one part (160 septets); + 159 digits is two parts.
    let data = load("sms/vectors_twilio_repo_testdata.json");
    let described = data["escape_char_cases"].as_str().unwrap_or_default();
    let list = described
        .split(':')
        .next()
        .and_then(|head| head.strip_prefix("for each of "))
        .unwrap_or_else(|| panic!("escape_char_cases has an unexpected form: {described}"));
    let escapes: Vec<char> = list
        .split_whitespace()
        .filter_map(|s| s.chars().next())
        .collect();
    assert_eq!(escapes.len(), 9, "{described}");
    for c in escapes {
        let one = sms::segments(&format!("{c}{}", "1".repeat(158)));
        assert_eq!(
            (one.encoding, one.segments, one.message_bits()),
            (SmsEncoding::Gsm7, 1, 1120),
            "{c}"
        );
        let two = sms::segments(&format!("{c}{}", "1".repeat(159)));
        assert_eq!(
            (two.segments, two.message_bits(), two.total_bits()),
            (2, 1127, 1223),
            "{c}"
        );
    }
}

#[test]
fn gsm_character_map() {
    let data = load("sms/gsm0338_twilio_map.json");
    let entries = data.as_array().cloned().unwrap_or_default();
    assert_eq!(entries.len(), 137);
    for entry in &entries {
        let cp = entry["cp"].as_str().unwrap_or_default();
        let c = u32::from_str_radix(cp.trim_start_matches("U+"), 16)
            .ok()
            .and_then(char::from_u32)
            .unwrap_or_else(|| panic!("bad code point {cp}"));
        let want = number(entry, "septets") as u8;
        assert_eq!(sms::septets(c), Some(want), "{cp}");
    }
    // Nothing outside the map is GSM (checked across the BMP).
    let in_map = (0u32..0x10000)
        .filter_map(char::from_u32)
        .filter(|&c| sms::is_gsm(c))
        .count();
    assert_eq!(in_map, 137);
}

#[test]
fn bluesky_and_mastodon_grapheme_vectors() {
    // Checks the folder is there, so the vectors below stay tied to the rules
    // they were copied from.
    let rules = conformance_dir().join("bluesky-mastodon/RULES.md");
    let text = std::fs::read_to_string(&rules)
        .unwrap_or_else(|err| panic!("conformance rules not found at {} ({err})", rules.display()));
    for (vector, graphemes, bytes) in [
        ("a~öñ©⽘☎𓋓😀👨‍👩‍👧‍👧", 10, None),
        ("नमस्ते", 3, None),
        ("Hello!", 6, Some(6)),
        ("👨‍👩‍👧‍👧", 1, Some(25)),
        ("👨‍👩‍👧‍👧🔥 good!✅", 9, Some(38)),
    ] {
        assert!(text.contains(vector), "RULES.md no longer lists {vector}");
        assert_eq!(grapheme_count(vector), graphemes, "{vector}");
        if let Some(bytes) = bytes {
            assert_eq!(vector.len(), bytes, "{vector}");
        }
    }
    let channels = Channels::builtin();
    let bluesky = channels
        .get("bluesky")
        .unwrap_or_else(|| panic!("no bluesky channel"));
    assert!(bluesky.measure(&"नमस्ते".repeat(100), None).fits);
    assert!(!bluesky.measure(&"नमस्ते".repeat(101), None).fits);
}

#[test]
fn mastodon_links_count_23_but_bare_domains_do_not() {
    let channels = Channels::builtin();
    let mastodon = channels
        .get("mastodon")
        .unwrap_or_else(|| panic!("no mastodon channel"));
    let text = "Shelters: https://www.example.gov/emergency/shelters-open-tonight";
    assert_eq!(mastodon.measure(text, None).length, "Shelters: ".len() + 23);
    assert_eq!(mastodon.measure("Shelters: example.gov", None).length, 21);
    let x = channels.get("x").unwrap_or_else(|| panic!("no x channel"));
    assert_eq!(x.measure("example.gov", None).length, 23);
}

#[test]
fn mixed_scripts_emoji_links_and_gsm_extensions() {
    let channels = Channels::builtin();
    let text = "⚠️ Évacuation: 避難 → https://example.gov/evac {zone 3} 👨‍👩‍👧";
    let x = channels.get("x").map(|c| c.measure(text, None));
    // ⚠️ 2, "Évacuation: " 12, 避難 4, " " 1, → 2, " " 1, link 23,
    // " {zone 3} " 10, family 2.
    assert_eq!(
        x.map(|m| m.length),
        Some(2 + 1 + 12 + 4 + 1 + 2 + 1 + 23 + 10 + 2)
    );
    let sms = sms::segments(text);
    assert_eq!(sms.encoding, SmsEncoding::Ucs2);
    assert_eq!(sms.forcing_chars.first(), Some(&'⚠'));
    let gsm = sms::segments("Zone {3} [north] ~ 5€");
    assert_eq!((gsm.encoding, gsm.units), (SmsEncoding::Gsm7, 21 + 6));
}
