//! Properties of the counting rules that must hold for any text, checked on
//! generated ones: arbitrary Unicode, control characters, lone combining
//! marks, emoji and ZWJ sequences, link-like runs, and arbitrary bytes read
//! the way a lossy decoder would. The conformance suites pin the platforms'
//! own vectors; these catch what no vector lists (a panic on a stray
//! combining mark, a part count that cannot hold its units).
//!
//! Case counts are kept small so the file runs in seconds in a debug build;
//! set `PROPTEST_CASES` to run more.

use std::sync::OnceLock;

use crisis::channel::graphemes::{self, grapheme_count, Rules, Unit};
use crisis::channel::sms::{self, SmsEncoding};
use crisis::channel::url::{self, UrlScope};
use crisis::channel::x::{self, XConfig};
use crisis::channel::Channels;
use proptest::prelude::*;

/// Pieces that exercise the corners of each rule: controls, combining marks
/// with nothing to combine with, joiners, emoji parts, characters X refuses,
/// link and mention parts, GSM-7 extension characters, and scripts whose
/// clusters span several characters.
const PIECES: &[&str] = &[
    "a",
    "Z",
    "7",
    " ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\0",
    "\u{7F}",
    "\u{85}",
    "\u{301}",
    "\u{20E3}",
    "\u{200D}",
    "\u{FE0F}",
    "\u{1F3FB}",
    "\u{1F1EE}",
    "\u{1F1F9}",
    "\u{E0067}",
    "\u{E007F}",
    "👨",
    "🏴",
    "😀",
    "©",
    "#",
    "1",
    "\u{FEFF}",
    "\u{FFFE}",
    "\u{FFFF}",
    "漢",
    "नमस्ते",
    "\u{0600}",
    "\u{1100}",
    "\u{1161}",
    "é",
    "e\u{301}",
    "ß",
    "’",
    "…",
    "{",
    "€",
    "^",
    "\\",
    "http://",
    "https://",
    "t.co/",
    ".",
    "com",
    "example",
    "gov",
    "/",
    "?",
    "=",
    "&",
    "(",
    ")",
    "@",
    "user",
    "@user@server.org",
    "xn--",
    "рф",
    "-",
    "_",
    ":",
    "8080",
    "\u{10FFFF}",
    "\u{E000}",
    "\u{2028}",
];

fn tricky_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|pieces| pieces.concat())
}

/// Long runs of host and path characters, with and without a scheme, the
/// shapes that once made link finding slow.
fn link_like_text() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(&["", "http://", "https://", "see "][..]);
    let body = prop::collection::vec(
        prop::sample::select(&['a', 'b', '.', '-', '_', '/', 'é', '例', '?', '=', '(', ')'][..]),
        0..3_000,
    );
    let tld = prop::sample::select(&["", ".com", ".gov", ".de", ".рф", ".co"][..]);
    (scheme, body, tld).prop_map(|(scheme, body, tld)| {
        let body: String = body.into_iter().collect();
        format!("{scheme}{body}{tld}")
    })
}

/// Grapheme clusters far longer than usual (a base with a pile of
/// combining marks, a long ZWJ chain of emoji with skin tones and tags)
/// between stretches of plain text.
fn long_cluster_text() -> impl Strategy<Value = String> {
    let mark = prop::sample::select(
        &[
            "\u{301}",
            "\u{302}",
            "\u{20E3}",
            "\u{1F3FB}",
            "\u{FE0F}",
            "\u{E0067}",
            "\u{200D}👩",
        ][..],
    );
    let cluster = (
        prop::sample::select(&["a", "e", "👨", "🏴", "1"][..]),
        prop::collection::vec(mark, 0..120),
    )
        .prop_map(|(base, marks)| format!("{base}{}", marks.concat()));
    prop::collection::vec(("[a-z ]{0,100}", cluster), 0..5).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(plain, cluster)| plain + &cluster)
            .collect()
    })
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        tricky_text(),
        link_like_text(),
        long_cluster_text()
    ]
}

/// Every character of the GSM 03.38 basic and extension tables.
fn gsm_alphabet() -> &'static [char] {
    static ALPHABET: OnceLock<Vec<char>> = OnceLock::new();
    ALPHABET.get_or_init(|| {
        (0..0x1_0000)
            .filter_map(char::from_u32)
            .filter(|&c| sms::is_gsm(c))
            .collect()
    })
}

fn gsm_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(gsm_alphabet()), 0..500)
        .prop_map(|chars| chars.into_iter().collect())
}

/// Everything a caller can ask of the counting code, on one text; returns
/// nothing because the point is that none of it panics.
fn measure_everything(text: &str) {
    let channels = Channels::builtin();
    for spec in channels.iter() {
        for max_segments in [None, Some(1), Some(3)] {
            let m = spec.measure(text, max_segments);
            if let Some(first) = &m.first_over {
                assert!(text.is_char_boundary(first.byte_offset), "{}", spec.name);
                assert_eq!(
                    text[first.byte_offset..].chars().next(),
                    Some(first.character)
                );
            }
        }
        let _ = spec.measure_subject(text);
    }
    for config in [XConfig::V2, XConfig::V3] {
        let _ = x::weighted_length_with(text, &config);
    }
    for max_parts in 0..4 {
        let _ = sms::first_over(text, max_parts);
    }
    let chars: Vec<char> = text.chars().collect();
    for scope in [UrlScope::WithBareDomains, UrlScope::SchemeOnly] {
        let links = url::find_urls(&chars, scope);
        // In order, not overlapping, not empty, inside the text.
        let mut after = 0;
        for link in &links {
            assert!(after <= link.start && link.start < link.end && link.end <= chars.len());
            after = link.end;
        }
    }
}

/// A text's SMS parts can hold its units, and it takes more than one part
/// only when one cannot hold them.
fn check_sms_parts(text: &str) -> Result<(), TestCaseError> {
    let sms = sms::segments(text);
    prop_assert!(sms.segments >= 1);
    prop_assert!(sms.encoding.capacity(sms.segments) >= sms.units);
    if sms.segments > 1 {
        prop_assert!(sms.units > sms.encoding.single_part());
    }
    match sms.encoding {
        SmsEncoding::Gsm7 => {
            let septets: usize = text
                .chars()
                .map(|c| usize::from(sms::septets(c).unwrap_or(0)))
                .sum();
            prop_assert_eq!(sms.units, septets);
            prop_assert!(sms.forcing_chars.is_empty());
            // A part closes only when the next character (at most two
            // septets) does not fit, so every closed part is nearly full.
            if sms.segments > 1 {
                let closed = (sms.segments - 1) as usize;
                prop_assert!(closed * (sms.encoding.per_part() - 1) < sms.units);
            }
        }
        SmsEncoding::Ucs2 => {
            prop_assert_eq!(sms.units, text.encode_utf16().count());
            prop_assert!(!sms.forcing_chars.is_empty());
            for (n, c) in sms.forcing_chars.iter().enumerate() {
                prop_assert!(!sms::is_gsm(*c) && text.contains(*c));
                prop_assert!(!sms.forcing_chars[..n].contains(c), "{c:?} listed twice");
            }
        }
    }
    // The part limit, `first_over` and `fits` agree.
    let spec = Channels::builtin().get("sms").cloned();
    for max in 1..=sms.segments + 1 {
        let over = sms::first_over(text, max);
        prop_assert_eq!(over.is_some(), sms.segments > max, "max {}", max);
        let fits = spec.as_ref().map(|s| s.measure(text, Some(max)).fits);
        prop_assert_eq!(fits, Some(sms.segments <= max));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn no_channel_panics_on_any_text(text in any_text()) {
        measure_everything(&text);
    }

    #[test]
    fn no_channel_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        measure_everything(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn sms_parts_hold_their_units(text in any_text()) {
        check_sms_parts(&text)?;
    }

    #[test]
    fn gsm_text_stays_gsm(text in gsm_text()) {
        let sms = sms::segments(&text);
        prop_assert_eq!(sms.encoding, SmsEncoding::Gsm7);
        prop_assert_eq!(sms.characters, sms.units);
        check_sms_parts(&text)?;
    }

    #[test]
    fn one_character_outside_gsm_forces_ucs2(
        text in gsm_text(),
        at in any::<prop::sample::Index>(),
        c in any::<char>().prop_filter("not GSM-7", |&c| !sms::is_gsm(c)),
    ) {
        let mut chars: Vec<char> = text.chars().collect();
        chars.insert(at.index(chars.len() + 1), c);
        let text: String = chars.into_iter().collect();
        let sms = sms::segments(&text);
        prop_assert_eq!(sms.encoding, SmsEncoding::Ucs2);
        prop_assert_eq!(sms.forcing_chars, vec![c]);
    }

    #[test]
    fn wea_counts_what_gsm7_sms_counts_and_refuses_the_rest(text in any_text()) {
        let wea = Channels::builtin().get("wea").cloned().expect("wea is built in");
        let m = wea.measure(&text, None);
        let sms = sms::segments(&text);
        prop_assert_eq!(m.invalid.clone(), sms.forcing_chars.clone());
        if sms.encoding == SmsEncoding::Gsm7 {
            // The same septets an SMS would carry, and nothing refused.
            prop_assert_eq!(m.length, sms.units);
            prop_assert_eq!(m.fits, m.length <= 360);
        } else {
            prop_assert!(!m.fits);
        }
        if m.length > 360 {
            let first = m.first_over.clone().expect("a text over the limit says where");
            let before: usize = text[..first.byte_offset]
                .chars()
                .map(|c| usize::from(sms::septets(c).unwrap_or(1)))
                .sum();
            prop_assert!(before <= 360);
            prop_assert!(before + usize::from(sms::septets(first.character).unwrap_or(1)) > 360);
        }
    }

    #[test]
    fn a_word_after_a_space_adds_its_letters_and_the_space_on_x(
        text in any_text(),
        word in "[a-zA-Z]{1,30}",
    ) {
        // Letters cannot form a link (a host needs a dot) and a space ends
        // any link before it, so the links of `text` stay as they were.
        let longer = format!("{text} {word}");
        for scope in [UrlScope::WithBareDomains, UrlScope::SchemeOnly] {
            let before: Vec<char> = text.chars().collect();
            let after: Vec<char> = longer.chars().collect();
            prop_assert_eq!(url::find_urls(&before, scope), url::find_urls(&after, scope));
        }
        for config in [XConfig::V2, XConfig::V3] {
            let base = x::weighted_length_with(&text, &config).weighted_length;
            let grown = x::weighted_length_with(&longer, &config).weighted_length;
            prop_assert_eq!(grown, base + word.len() + 1);
        }
    }

    #[test]
    fn x_counts_an_emoji_sequence_no_heavier_than_its_parts(text in any_text()) {
        let v3 = x::weighted_length_with(&text, &XConfig::V3);
        let v2 = x::weighted_length_with(&text, &XConfig::V2);
        prop_assert!(v3.weighted_length <= v2.weighted_length);
        // Past the limit exactly when over it, and only then.
        prop_assert_eq!(v3.first_over.is_some(), v3.weighted_length > 280);
        prop_assert_eq!(v3.valid, v3.weighted_length > 0 && v3.weighted_length <= 280
            && v3.invalid_chars.is_empty());
    }

    #[test]
    fn without_links_x_weighs_each_character_one_or_two(
        // A host needs a dot.
        text in any_text().prop_map(|t| t.replace('.', "")),
    ) {
        use unicode_normalization::UnicodeNormalization;
        let normalized = text.nfc().count();
        let weighted = x::weighted_length(&text).weighted_length;
        prop_assert!(weighted <= 2 * normalized, "{} > 2 × {}", weighted, normalized);
    }

    #[test]
    fn graphemes_never_outnumber_characters(text in any_text()) {
        let graphemes = grapheme_count(&text);
        let characters = text.chars().count();
        prop_assert!(graphemes <= characters);
        prop_assert!(graphemes > 0 || text.is_empty());
        let plain = Rules::default();
        prop_assert_eq!(graphemes::count(&text, Unit::Graphemes, plain, 0).length, graphemes);
        prop_assert_eq!(graphemes::count(&text, Unit::Characters, plain, 0).length, characters);
    }

    #[test]
    fn mastodon_counts_graphemes_when_there_is_no_link_or_mention(
        // A link needs `://`, a mention `@`.
        text in any_text().prop_map(|t| t.replace([':', '@'], " ")),
    ) {
        let channels = Channels::builtin();
        let mastodon = channels.get("mastodon").map(|m| m.measure(&text, None).length);
        prop_assert_eq!(mastodon, Some(grapheme_count(&text)));
    }

    #[test]
    fn a_link_counts_the_same_however_long(
        path in "[a-z0-9/]{0,300}",
        before in "[a-z ]{0,20}",
    ) {
        let text = format!("{before} https://example.org/{path}");
        let channels = Channels::builtin();
        let expected = before.chars().count() + 1 + 23;
        for name in ["x", "mastodon"] {
            let length = channels.get(name).map(|c| c.measure(&text, None).length);
            prop_assert_eq!(length, Some(expected), "{}", name);
        }
    }
}
