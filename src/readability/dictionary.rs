//! English syllables as the reference finds them: LibreOffice's
//! `hyph_en_US.dic`, read and applied by the rules of Pyphen 0.18.1, which
//! textstat 0.7.13 uses when it has no pronunciation for a word.
//!
//! The dictionary is Liang's patterns from plain TeX with the TUGboat log of
//! hyphenation exceptions turned into more patterns (BSD-style licence:
//! unlimited copying with its notices, which `docs/readability.md` quotes).
//! build.rs puts the file into the build; it is parsed once, at first use.
//!
//! Pyphen's rules, each followed here:
//! - A line is a pattern unless it is empty or starts with `%`, `#` or one
//!   of the four `...HYPHENMIN` keywords.
//! - A pattern alternates optional digits and letters (`.a2ch4`): the
//!   letters are its key, each digit the value of the gap before the next
//!   letter (or after the last). A pattern whose values are all 0 is
//!   skipped; a later pattern with the same key replaces an earlier one.
//! - A word is lowercased and framed in dots. At every start, each slice up
//!   to the longest key's length that is a key lays its values over the gaps
//!   it covers, each gap keeping the highest value laid on it. Odd gaps are
//!   hyphenation points.
//! - Points closer than two characters to either end are dropped (Pyphen's
//!   defaults, which textstat keeps).

use std::collections::HashMap;
use std::sync::OnceLock;

/// The dictionary file, as build.rs checked it.
const DICTIONARY: &str = include_str!(concat!(env!("OUT_DIR"), "/hyph_en_US.dic"));

/// Lines Pyphen skips.
const IGNORED: [&str; 6] = [
    "%",
    "#",
    "LEFTHYPHENMIN",
    "RIGHTHYPHENMIN",
    "COMPOUNDLEFTHYPHENMIN",
    "COMPOUNDRIGHTHYPHENMIN",
];

/// Points closer than this to either end of a word are dropped.
const EDGE_MIN: usize = 2;

/// Parsed patterns: each key's values from its first non-zero gap, with that
/// gap's offset.
pub(super) struct Patterns {
    by_key: HashMap<String, (usize, Vec<u8>)>,
    /// The longest key, in characters.
    max_len: usize,
}

impl Patterns {
    /// Reads a dictionary's lines by Pyphen's rules. Pyphen skips a file's
    /// first line, which names its encoding; the copy build.rs embeds has
    /// no such line, so every line is read.
    pub(super) fn parse(text: &str) -> Patterns {
        let mut by_key = HashMap::new();
        for line in text.split('\n') {
            let line = line.trim();
            if line.is_empty() || IGNORED.iter().any(|p| line.starts_with(p)) {
                continue;
            }
            let mut key = String::new();
            let mut values = vec![0u8];
            for c in line.chars() {
                match c.to_digit(10) {
                    // Single digits, as the pattern syntax has them.
                    Some(d) => *values.last_mut().expect("never empty") = d as u8,
                    None => {
                        key.push(c);
                        values.push(0);
                    }
                }
            }
            let Some(start) = values.iter().position(|&v| v != 0) else {
                continue;
            };
            let end = values
                .iter()
                .rposition(|&v| v != 0)
                .map_or(start, |e| e + 1);
            by_key.insert(key, (start, values[start..end].to_vec()));
        }
        let max_len = by_key.keys().map(|k| k.chars().count()).max().unwrap_or(0);
        Patterns { by_key, max_len }
    }

    /// Hyphenation points of a lowercase `word`, as character offsets.
    pub(super) fn points(&self, word: &str) -> Vec<usize> {
        let framed: Vec<char> = std::iter::once('.')
            .chain(word.chars())
            .chain(std::iter::once('.'))
            .collect();
        let mut gaps = vec![0u8; framed.len() + 1];
        let mut slice = String::new();
        for i in 0..framed.len().saturating_sub(1) {
            slice.clear();
            let stop = (i + self.max_len).min(framed.len());
            for &c in &framed[i..stop] {
                slice.push(c);
                let Some((offset, values)) = self.by_key.get(&slice) else {
                    continue;
                };
                for (k, &value) in values.iter().enumerate() {
                    if let Some(gap) = gaps.get_mut(i + offset + k) {
                        *gap = (*gap).max(value);
                    }
                }
            }
        }
        let letters = framed.len() - 2;
        gaps.iter()
            .enumerate()
            .filter(|(_, &v)| v % 2 == 1)
            .filter_map(|(i, _)| i.checked_sub(1))
            .filter(|&point| point >= EDGE_MIN && point + EDGE_MIN <= letters)
            .collect()
    }
}

/// The English patterns, parsed at first use.
pub(super) fn english() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| Patterns::parse(DICTIONARY))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hyphenated(word: &str) -> String {
        let points = english().points(word);
        let mut out = String::new();
        for (i, c) in word.chars().enumerate() {
            if points.contains(&i) {
                out.push('-');
            }
            out.push(c);
        }
        out
    }

    #[test]
    fn the_dictionary_is_read() {
        let patterns = english();
        assert!(patterns.by_key.len() > 10_000, "{}", patterns.by_key.len());
        assert!(patterns.max_len >= 8);
    }

    #[test]
    fn words_hyphenate_as_pyphen_hyphenates_them() {
        // Pyphen 0.18.1's `inserted()` with its defaults, run on these words.
        for (word, expected) in [
            ("hyphenation", "hy-phen-ation"),
            ("emergency", "emer-gen-cy"),
            ("everyone", "ev-ery-one"),
            ("every", "ev-ery"),
            ("user", "us-er"),
            ("contaminated", "con-tam-i-nat-ed"),
            ("medicine", "medicine"),
            ("table", "ta-ble"),
            ("water", "wa-ter"),
        ] {
            assert_eq!(hyphenated(word), expected, "{word}");
        }
    }

    #[test]
    fn a_pattern_of_zeros_is_skipped_and_a_later_key_wins() {
        let patterns = Patterns::parse("LEFTHYPHENMIN 2\n% note\nab0c\n1ba\nb2c\nb3c\n");
        assert_eq!(patterns.by_key.len(), 2);
        assert_eq!(patterns.by_key.get("bc"), Some(&(1, vec![3])));
        assert_eq!(patterns.by_key.get("ba"), Some(&(0, vec![1])));
    }

    #[test]
    fn points_near_the_ends_are_dropped() {
        let patterns = Patterns::parse("a1b\n");
        assert_eq!(patterns.points("ab"), Vec::<usize>::new());
        assert_eq!(patterns.points("xxab"), Vec::<usize>::new());
        assert_eq!(patterns.points("xxabxx"), vec![3]);
        assert_eq!(patterns.points(""), Vec::<usize>::new());
    }
}
