//! X's weighted post length (twitter-text v3, and v2 for its older suite).
//!
//! The rule, from twitter-text's `parseTweet` and its configs: the text is
//! NFC-normalised first; every link (a bare domain with a known TLD too)
//! counts 23; with emoji parsing (v3) a whole emoji sequence counts 2;
//! otherwise a code point in U+0000–10FF, U+2000–200D, U+2010–201F or
//! U+2032–2037 counts 1 and any other counts 2. U+FFFE, U+FEFF and U+FFFF
//! make a post invalid, and so does an empty one. Emoji sequences are found
//! by Unicode's sequence rules, so emoji newer than twitter-text 3.1's own
//! list also count 2 (that library counts each of their parts).
//! Source: <https://developer.twitter.com/en/docs/counting-characters> and
//! the twitter-text conformance suite (`validate.yml`), which the tests run.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::emoji;
use super::url::{self, UrlScope};

/// The knobs of a twitter-text config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XConfig {
    /// The limit, in weighted characters.
    pub max_weighted_length: usize,
    /// What every link counts, whatever its length.
    pub url_length: usize,
    /// v3 counts an emoji sequence as one heavy character; v2 weighs each of
    /// its code points.
    pub emoji_parsing: bool,
}

impl XConfig {
    /// `config/v2.json`: 280, links 23, no emoji parsing.
    pub const V2: XConfig = XConfig {
        max_weighted_length: 280,
        url_length: 23,
        emoji_parsing: false,
    };
    /// `config/v3.json`, what X uses today: v2 plus emoji parsing.
    pub const V3: XConfig = XConfig {
        max_weighted_length: 280,
        url_length: 23,
        emoji_parsing: true,
    };
}

/// Weights are in hundredths, as in the config files, so a light character
/// is 100 and a heavy one 200.
const SCALE: usize = 100;
const HEAVY: usize = 200;
const LIGHT_RANGES: [(u32, u32); 4] = [
    (0x0, 0x10FF),
    (0x2000, 0x200D),
    (0x2010, 0x201F),
    (0x2032, 0x2037),
];

/// What twitter-text's `parseTweet` reports, plus where the text first goes
/// past the limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XLength {
    pub weighted_length: usize,
    /// Within the limit, not empty, and free of invalid characters.
    pub valid: bool,
    /// Per mille of the limit, rounded down.
    pub permillage: usize,
    /// UTF-16 index range of the text, both ends inclusive.
    pub display_range: (usize, usize),
    /// UTF-16 index range that fits (inclusive), as twitter-text computes it.
    pub valid_range: (usize, usize),
    /// The characters that make the post invalid, distinct, in order.
    pub invalid_chars: Vec<char>,
    /// Byte offset into the original text of the first character that does
    /// not fit.
    pub first_over: Option<usize>,
}

/// The weighted length under X's current rules (v3, 280).
pub fn weighted_length(text: &str) -> XLength {
    weighted_length_with(text, &XConfig::V3)
}

/// The weighted length under the given config.
pub fn weighted_length_with(text: &str, config: &XConfig) -> XLength {
    let normalized = Normalized::new(text);
    let chars = &normalized.chars;
    let urls = if config.url_length > 0 {
        url::find_urls(chars, UrlScope::WithBareDomains)
    } else {
        Vec::new()
    };
    let limit = config.max_weighted_length * SCALE;

    let mut total = 0usize;
    let mut valid = true;
    let mut valid_end_utf16 = 0usize;
    let mut utf16_pos = 0usize;
    let mut first_over = None;
    let mut urls = urls.into_iter().peekable();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        if urls.peek().is_some_and(|u| u.start == i) {
            let end = urls.next().map_or(i + 1, |u| u.end);
            total += config.url_length * SCALE;
            i = end;
        } else if let Some(n) = config
            .emoji_parsing
            .then(|| emoji::sequence_len(chars, i))
            .flatten()
        {
            total += HEAVY;
            i += n;
        } else {
            total += char_weight(chars[i]);
            i += 1;
        }
        utf16_pos += chars[start..i].iter().map(|c| c.len_utf16()).sum::<usize>();
        // twitter-text checks the last code unit of each token it consumed.
        if valid && is_invalid(chars[i - 1]) {
            valid = false;
        }
        if valid && total <= limit {
            valid_end_utf16 = utf16_pos - 1;
        }
        if first_over.is_none() && total > limit {
            first_over = Some(normalized.original_offset(start));
        }
    }

    let weighted_length = total / SCALE;
    let valid = valid && weighted_length > 0 && weighted_length <= config.max_weighted_length;
    // Same floating-point steps as the reference implementation, so the
    // rounding agrees with it.
    let permillage = if config.max_weighted_length == 0 {
        0
    } else {
        (weighted_length as f64 / config.max_weighted_length as f64 * 1000.0).floor() as usize
    };
    let text_utf16 = text.encode_utf16().count();
    let normalized_utf16: usize = chars.iter().map(|c| c.len_utf16()).sum();
    // twitter-text shifts the end by how much normalisation changed the length.
    let valid_end = (valid_end_utf16 + text_utf16).saturating_sub(normalized_utf16);
    let mut invalid_chars = Vec::new();
    for c in text.chars().filter(|&c| is_invalid(c)) {
        if !invalid_chars.contains(&c) {
            invalid_chars.push(c);
        }
    }
    XLength {
        weighted_length,
        valid,
        permillage,
        display_range: (0, text_utf16.saturating_sub(1)),
        valid_range: (0, valid_end),
        invalid_chars,
        first_over,
    }
}

/// Characters X refuses in a post.
pub fn is_invalid(c: char) -> bool {
    matches!(c, '\u{FFFE}' | '\u{FEFF}' | '\u{FFFF}')
}

/// 100 for a light character, 200 for a heavy one. A character outside the
/// BMP is heavy (twitter-text weighs its high surrogate).
fn char_weight(c: char) -> usize {
    let cp = c as u32;
    if LIGHT_RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&cp)) {
        SCALE
    } else {
        HEAVY
    }
}

/// The NFC form of a text, and for each of its chars the byte offset in the
/// original text it came from, so a position can be shown in what the
/// author wrote.
struct Normalized {
    chars: Vec<char>,
    origin: Vec<usize>,
}

impl Normalized {
    fn new(text: &str) -> Normalized {
        // Normalising cluster by cluster keeps the mapping exact; composition
        // never crosses a grapheme boundary in practice, and if it ever did
        // the whole-text form wins and positions fall back to approximate.
        let mut chars = Vec::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len());
        // Most texts are in NFC already: each cluster is then its own
        // normal form, and no normalising is needed.
        if unicode_normalization::is_nfc_quick(text.chars())
            == unicode_normalization::IsNormalized::Yes
        {
            for (offset, cluster) in text.grapheme_indices(true) {
                for c in cluster.chars() {
                    chars.push(c);
                    origin.push(offset);
                }
            }
            return Normalized { chars, origin };
        }
        for (offset, cluster) in text.grapheme_indices(true) {
            for c in cluster.nfc() {
                chars.push(c);
                origin.push(offset);
            }
        }
        let whole: Vec<char> = text.nfc().collect();
        if whole != chars {
            let offsets: Vec<usize> = text.char_indices().map(|(o, _)| o).collect();
            origin = (0..whole.len())
                .map(|i| offsets.get(i).or(offsets.last()).copied().unwrap_or(0))
                .collect();
            chars = whole;
        }
        Normalized { chars, origin }
    }

    fn original_offset(&self, index: usize) -> usize {
        self.origin.get(index).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_domain_counts_as_a_link() {
        assert_eq!(weighted_length("example.gov").weighted_length, 23);
        assert_eq!(weighted_length("Info: example.gov").weighted_length, 6 + 23);
    }

    #[test]
    fn weights_follow_the_ranges() {
        assert_eq!(weighted_length("é").weighted_length, 1);
        assert_eq!(weighted_length("–’").weighted_length, 2);
        assert_eq!(weighted_length("•…").weighted_length, 4);
        assert_eq!(weighted_length("漢").weighted_length, 2);
        assert_eq!(weighted_length("©").weighted_length, 1);
        assert_eq!(weighted_length("©\u{FE0F}").weighted_length, 2);
        assert_eq!(weighted_length("👨‍👩‍👧‍👦").weighted_length, 2);
        assert_eq!(weighted_length_with("👨‍👩‍👧‍👦", &XConfig::V2).weighted_length, 11);
    }

    #[test]
    fn empty_and_invalid_posts_are_not_valid() {
        let empty = weighted_length("");
        assert!(!empty.valid);
        assert_eq!(empty.weighted_length, 0);
        let bom = weighted_length("a\u{FEFF}b");
        assert!(!bom.valid);
        assert_eq!(bom.invalid_chars, vec!['\u{FEFF}']);
    }

    #[test]
    fn first_over_points_into_the_original_text() {
        let text = format!("{}é{}", "x".repeat(279), "y");
        let decomposed = text.replace('é', "e\u{301}");
        let result = weighted_length(&decomposed);
        assert_eq!(result.weighted_length, 281);
        // The 281st weighted character is "y", after the decomposed é.
        assert_eq!(result.first_over, Some(279 + "e\u{301}".len()));
        let fits = weighted_length(&"x".repeat(280));
        assert!(fits.valid);
        assert_eq!(fits.first_over, None);
    }
}
