//! Properties of the readability figures that must hold for any text,
//! checked on generated ones: arbitrary Unicode, control characters, lone
//! combining marks, right-to-left text, emoji, contraction apostrophes,
//! runs of sentence ends, and a megabyte of text in the shapes that could
//! make counting slow. The documented examples pin the figures themselves
//! (tests/readability.rs); these catch what no example lists.
//!
//! Case counts are kept small so the file runs in seconds in a debug build;
//! set `PROPTEST_CASES` to run more.

use crisis::readability::{self, Band};
use proptest::prelude::*;

/// Pieces that exercise each counting rule: sentence ends, the apostrophe
/// of a contraction and the ones that are dropped, characters Python and
/// Rust class differently, spaces only Python splits on, and scripts with
/// marks, joiners and right-to-left order.
const PIECES: &[&str] = &[
    "a",
    "Z",
    "water",
    "Evacúe",
    "cigüeña",
    "7",
    "_",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\u{A0}",
    "\u{3000}",
    "\u{1C}",
    "\u{1F}",
    "\0",
    "\u{7F}",
    ".",
    "!",
    "?",
    "...",
    "?!",
    "¿",
    "¡",
    "…",
    "'",
    "'t",
    "'s",
    "'ve",
    "'re",
    "'ll",
    "’",
    "-",
    "—",
    "/",
    "@",
    "https://",
    "\u{301}",
    "\u{200D}",
    "\u{202E}",
    "\u{FEFF}",
    "Ⓐ",
    "Ⅻ",
    "²",
    "İ",
    "Σ",
    "ß",
    "ﬁ",
    "😀",
    "👨\u{200D}👩\u{200D}👧",
    "مرحبا",
    "שלום",
    "नमस्ते",
    "漢字",
    "\u{10FFFF}",
];

fn tricky_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|pieces| pieces.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), tricky_text(), "[a-zA-Z'.!? -]{0,200}"]
}

/// The counts both languages share, and the checks every text must pass.
fn check(text: &str) {
    let en = readability::english(text);
    let es = readability::spanish(text);
    // Words and sentences do not depend on the language.
    assert_eq!((en.words, en.sentences), (es.words, es.sentences));
    assert_eq!(en.sentences == 0, text.is_empty());
    if en.words > 0 {
        assert!(en.sentences >= 1);
        assert!(en.syllables >= en.words && es.syllables >= es.words);
        assert!(en.grade.is_finite() && es.ease.is_finite());
    } else {
        assert_eq!((en.syllables, es.syllables), (0, 0));
        assert_eq!((en.grade, es.ease), (0.0, 0.0));
    }
    let _ = es.band();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_is_measured_without_panicking_and_counts_agree(text in any_text()) {
        check(&text);
    }

    /// A space between two texts only adds up their words and syllables:
    /// nothing in one text changes how the other is counted.
    #[test]
    fn words_and_syllables_add_up_across_a_space(a in any_text(), b in any_text()) {
        let joined = readability::english(&format!("{a} {b}"));
        let (first, second) = (readability::english(&a), readability::english(&b));
        prop_assert_eq!(joined.words, first.words + second.words);
        prop_assert_eq!(joined.syllables, first.syllables + second.syllables);
        let joined = readability::spanish(&format!("{a} {b}"));
        let (first, second) = (readability::spanish(&a), readability::spanish(&b));
        prop_assert_eq!(joined.syllables, first.syllables + second.syllables);
    }

    #[test]
    fn an_easier_score_never_falls_in_a_harder_band(x in -500.0f64..500.0, y in -500.0f64..500.0) {
        let (low, high) = if x <= y { (x, y) } else { (y, x) };
        prop_assert!(Band::of(low) <= Band::of(high));
    }
}

/// A megabyte in the shapes that would expose quadratic counting: one
/// word, one unending sentence, sentence ends only, apostrophes only, and
/// a million one-letter pieces. No timing is asserted; each finishing (in
/// well under a second in a release build) is the test.
#[test]
fn a_megabyte_of_text_is_measured_in_one_pass() {
    const MIB: usize = 1024 * 1024;
    let texts = [
        "a".repeat(MIB),
        "water ".repeat(MIB / 6),
        ".".repeat(MIB),
        "'".repeat(MIB),
        "a.".repeat(MIB / 2),
        "Evacúe ahora. ".repeat(MIB / 15),
        "\u{301}".repeat(MIB / 2),
    ];
    for text in &texts {
        check(text);
    }
    assert_eq!(readability::english(&texts[0]).words, 1);
    assert_eq!(readability::english(&texts[1]).words, MIB / 6);
    assert_eq!(readability::english(&texts[2]).sentences, 1);
}
