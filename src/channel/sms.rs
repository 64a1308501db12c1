//! SMS encoding and parts: GSM 03.38 when every character is in it, else
//! UCS-2 for the whole message.
//!
//! GSM-7 holds 160 septets in one part and 153 per part once split (the
//! concatenation header takes 6 octets of the 140); an extension character
//! (`^ { } \ [ ~ ] | €` and form feed) takes two septets, ESC plus its code.
//! UCS-2 holds 70 UTF-16 units in one part and 67 per part. A part never
//! splits an escape pair, a surrogate pair or a grapheme cluster, so a
//! character that would straddle the boundary moves whole to the next part:
//! 152 × `x` + `{` + 152 × `x` is three parts, not two. (A cluster longer
//! than a whole part is the exception: it is cut between its characters.)
//! An empty message is one part. Sources: 3GPP TS 23.038 (alphabet),
//! TS 23.040 (concatenation), and Twilio's segment calculator, whose test
//! table the tests run.

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

/// How a message is encoded on the air.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SmsEncoding {
    #[serde(rename = "GSM-7")]
    Gsm7,
    #[serde(rename = "UCS-2")]
    Ucs2,
}

impl SmsEncoding {
    pub fn as_str(self) -> &'static str {
        match self {
            SmsEncoding::Gsm7 => "GSM-7",
            SmsEncoding::Ucs2 => "UCS-2",
        }
    }

    /// The unit lengths are counted in.
    pub fn unit(self) -> &'static str {
        match self {
            SmsEncoding::Gsm7 => "septets",
            SmsEncoding::Ucs2 => "UTF-16 units",
        }
    }

    /// Units in a message sent as one part.
    pub fn single_part(self) -> usize {
        match self {
            SmsEncoding::Gsm7 => 160,
            SmsEncoding::Ucs2 => 70,
        }
    }

    /// Units in each part of a split message.
    pub fn per_part(self) -> usize {
        match self {
            SmsEncoding::Gsm7 => 153,
            SmsEncoding::Ucs2 => 67,
        }
    }

    /// Units that `parts` parts hold: 160/70 for one, n × 153 / n × 67 for more.
    pub fn capacity(self, parts: u32) -> usize {
        match parts {
            0 => 0,
            1 => self.single_part(),
            n => n as usize * self.per_part(),
        }
    }

    fn bits_per_unit(self) -> usize {
        match self {
            SmsEncoding::Gsm7 => 7,
            SmsEncoding::Ucs2 => 16,
        }
    }
}

impl fmt::Display for SmsEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// So callers can compare with the names shown to users ("GSM-7", "UCS-2").
impl PartialEq<&str> for SmsEncoding {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// An SMS as the network will carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SmsMeasurement {
    pub encoding: SmsEncoding,
    pub segments: u32,
    /// Septets (GSM-7) or UTF-16 units (UCS-2).
    pub units: usize,
    /// What a phone shows as the character count: septets for GSM-7,
    /// grapheme clusters for UCS-2 (as Twilio reports it).
    pub characters: usize,
    /// The characters outside GSM 03.38 that forced UCS-2, distinct, in
    /// order of first appearance.
    pub forcing_chars: Vec<char>,
}

impl SmsMeasurement {
    /// Payload size in bits.
    pub fn message_bits(&self) -> usize {
        self.units * self.encoding.bits_per_unit()
    }

    /// Size on the air in bits, with the 48-bit concatenation header of
    /// each part when there is more than one.
    pub fn total_bits(&self) -> usize {
        let headers = if self.segments > 1 {
            48 * self.segments as usize
        } else {
            0
        };
        self.message_bits() + headers
    }
}

/// Encoding, parts and the characters that forced UCS-2.
pub fn segments(text: &str) -> SmsMeasurement {
    let layout = Layout::new(text);
    SmsMeasurement {
        encoding: layout.encoding,
        segments: layout.parts(),
        units: layout.units(),
        characters: layout.characters,
        forcing_chars: non_gsm_chars(text),
    }
}

/// The text cut into the parts the network carries, in order, so a reader
/// can see where a phone may show a break. One part when it fits in one.
pub fn split(text: &str) -> Vec<&str> {
    let layout = Layout::new(text);
    if layout.units() <= layout.encoding.single_part() {
        return vec![text];
    }
    let per_part = layout.encoding.per_part();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut used = 0;
    for piece in &layout.pieces {
        if used + piece.units > per_part {
            parts.push(&text[start..piece.offset]);
            start = piece.offset;
            used = 0;
        }
        used += piece.units;
    }
    parts.push(&text[start..]);
    parts
}

/// Byte offset of the first character that lands past `max_parts` parts.
pub fn first_over(text: &str, max_parts: u32) -> Option<usize> {
    let layout = Layout::new(text);
    let encoding = layout.encoding;
    if layout.units() <= encoding.single_part() || max_parts == 0 {
        return match max_parts {
            0 => layout.pieces.first().map(|p| p.offset),
            _ => None,
        };
    }
    if max_parts == 1 {
        let mut used = 0;
        return layout.pieces.iter().find_map(|piece| {
            used += piece.units;
            (used > encoding.single_part()).then_some(piece.offset)
        });
    }
    let mut part = 1;
    let mut used = 0;
    for piece in &layout.pieces {
        if used + piece.units > encoding.per_part() {
            part += 1;
            used = 0;
        }
        used += piece.units;
        if part > max_parts {
            return Some(piece.offset);
        }
    }
    None
}

/// Septets `c` takes in GSM 03.38: 1 in the basic table, 2 in the
/// extension table, `None` if it is not in the alphabet.
pub fn septets(c: char) -> Option<u8> {
    if GSM_BASIC.contains(c) {
        Some(1)
    } else if GSM_EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// Whether `c` can be sent in GSM-7.
pub fn is_gsm(c: char) -> bool {
    septets(c).is_some()
}

/// The characters of `text` outside GSM 03.38, distinct, in order of first
/// appearance.
pub fn non_gsm_chars(text: &str) -> Vec<char> {
    // A text in another script can hold thousands of distinct characters;
    // searching the list for each would cost their number at every one.
    let mut seen = HashSet::new();
    text.chars()
        .filter(|&c| !is_gsm(c) && seen.insert(c))
        .collect()
}

/// A GSM-7 stand-in for a character that would force UCS-2, when the
/// message still reads as written with it: curly quotes, primes, dashes,
/// the bullet, the ellipsis, special spaces, and invisible characters
/// (dropped). `None` for GSM-7 characters and for those whose stand-in
/// would change the words; see [`gsm_transliteration`] for those.
///
/// This is what lint's look-alike warning suggests and `--fix` writes into
/// approved templates, so it never respells a word: "Línea" stays as the
/// approver read it rather than becoming "Linea".
pub fn gsm_replacement(c: char) -> Option<&'static str> {
    stand_in(c)
        .filter(|&(_, effect)| effect == Effect::LooksTheSame)
        .map(|(text, _)| text)
}

/// The GSM-7 text a reader would accept in place of a character that would
/// force UCS-2: every [`gsm_replacement`], plus Latin letters written
/// without the accent GSM-7 lacks (`á` as `a`, `ł` as `l`, `œ` as `oe`) and
/// the joiners dropped. For text that must be plain GSM-7 and may be
/// respelt to get there, such as an event value typed under pressure.
pub fn gsm_transliteration(c: char) -> Option<&'static str> {
    stand_in(c).map(|(text, _)| text)
}

/// Whether a stand-in leaves the message as the reader would see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    LooksTheSame,
    /// The spelling changes (a letter loses its accent), or how the
    /// neighbours are drawn does (a joiner inside an emoji sequence or
    /// between Arabic or Indic letters).
    ChangesTheText,
}

/// The one table of GSM-7 stand-ins, which both views above read.
///
/// It merges two tables that had grown apart, one of typography for SMS
/// templates and one of letters for event values. Wherever both had an
/// entry they agreed, so the merge only adds. Choices worth knowing: `ç`
/// becomes `c` rather than GSM-7's capital `Ç`, since a capital inside a
/// word reads as a typo; a bullet becomes `-`, the list marker people type
/// on a phone; primes become the straight quotes used for feet and inches;
/// the accented letters GSM-7 has (`é`, `ñ`, `ü`, `à` …) are not listed.
fn stand_in(c: char) -> Option<(&'static str, Effect)> {
    use Effect::{ChangesTheText, LooksTheSame};
    Some(match c {
        // Single quotes (low and reversed too), the prime, the backtick and
        // the acute accent typed as an apostrophe.
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => {
            ("'", LooksTheSame)
        }
        // Double quotes, the double prime and guillemets.
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '«' | '»' => {
            ("\"", LooksTheSame)
        }
        // Hyphens, figure dash, en and em dashes, horizontal bar, minus,
        // bullet.
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{2022}' => ("-", LooksTheSame),
        '\u{2026}' => ("...", LooksTheSame),
        '×' => ("x", LooksTheSame),
        // No-break, typographic (en quad to hair), narrow no-break, medium
        // mathematical and ideographic spaces.
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            (" ", LooksTheSame)
        }
        // Soft hyphen, zero-width space, word joiner, byte order mark.
        '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' => ("", LooksTheSame),
        // Zero-width non-joiner and joiner.
        '\u{200C}' | '\u{200D}' => ("", ChangesTheText),
        'á' | 'â' | 'ã' | 'ā' | 'ă' | 'ą' => ("a", ChangesTheText),
        'Á' | 'À' | 'Â' | 'Ã' | 'Ā' | 'Ă' | 'Ą' => ("A", ChangesTheText),
        'ç' | 'ć' | 'č' => ("c", ChangesTheText),
        'Ć' | 'Č' => ("C", ChangesTheText),
        'ď' | 'đ' => ("d", ChangesTheText),
        'Ď' | 'Đ' => ("D", ChangesTheText),
        'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => ("e", ChangesTheText),
        'È' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => ("E", ChangesTheText),
        'ğ' => ("g", ChangesTheText),
        'Ğ' => ("G", ChangesTheText),
        'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => ("i", ChangesTheText),
        'Í' | 'Ì' | 'Î' | 'Ï' | 'Ī' | 'İ' => ("I", ChangesTheText),
        'ł' => ("l", ChangesTheText),
        'Ł' => ("L", ChangesTheText),
        'ń' | 'ň' => ("n", ChangesTheText),
        'Ń' | 'Ň' => ("N", ChangesTheText),
        'ó' | 'ô' | 'õ' | 'ō' | 'ő' => ("o", ChangesTheText),
        'Ó' | 'Ò' | 'Ô' | 'Õ' | 'Ō' | 'Ő' => ("O", ChangesTheText),
        'ř' => ("r", ChangesTheText),
        'Ř' => ("R", ChangesTheText),
        'ś' | 'š' | 'ş' | 'ș' => ("s", ChangesTheText),
        'Ś' | 'Š' | 'Ş' | 'Ș' => ("S", ChangesTheText),
        'ť' | 'ţ' | 'ț' => ("t", ChangesTheText),
        'Ť' | 'Ţ' | 'Ț' => ("T", ChangesTheText),
        'ú' | 'û' | 'ū' | 'ů' | 'ű' | 'ų' => ("u", ChangesTheText),
        'Ú' | 'Ù' | 'Û' | 'Ū' | 'Ů' | 'Ű' => ("U", ChangesTheText),
        'ý' | 'ÿ' => ("y", ChangesTheText),
        'Ý' | 'Ÿ' => ("Y", ChangesTheText),
        'ź' | 'ż' | 'ž' => ("z", ChangesTheText),
        'Ź' | 'Ż' | 'Ž' => ("Z", ChangesTheText),
        'œ' => ("oe", ChangesTheText),
        'Œ' => ("OE", ChangesTheText),
        _ => return None,
    })
}

/// The basic table (one septet each), as Twilio and the `gsm0338` codec map
/// it: position 0x09 is the capital `Ç`.
const GSM_BASIC: &str = concat!(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ",
    " !\"#¤%&'()*+,-./0123456789:;<=>?",
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§",
    "¿abcdefghijklmnopqrstuvwxyzäöñüà",
);

/// The extension table (ESC + code, two septets each).
const GSM_EXTENSION: &str = "\u{0C}^{}\\[~]|€";

/// The message cut into the pieces a part boundary may not split.
struct Layout {
    encoding: SmsEncoding,
    pieces: Vec<Piece>,
    /// What a phone shows as the character count (see `SmsMeasurement`).
    characters: usize,
}

struct Piece {
    offset: usize,
    units: usize,
}

impl Layout {
    fn new(text: &str) -> Layout {
        let gsm = text.chars().all(is_gsm);
        if gsm {
            let pieces: Vec<Piece> = text
                .char_indices()
                .map(|(offset, c)| Piece {
                    offset,
                    units: usize::from(septets(c).unwrap_or(1)),
                })
                .collect();
            let characters = pieces.iter().map(|p| p.units).sum();
            return Layout {
                encoding: SmsEncoding::Gsm7,
                pieces,
                characters,
            };
        }
        let mut pieces = Vec::new();
        let mut characters = 0;
        for (offset, cluster) in text.grapheme_indices(true) {
            let units = cluster.encode_utf16().count();
            if cluster == "\r\n" {
                // Twilio's splitter keeps CR and LF apart.
                characters += 2;
                pieces.push(Piece { offset, units: 1 });
                pieces.push(Piece {
                    offset: offset + 1,
                    units: 1,
                });
            } else if units > SmsEncoding::Ucs2.per_part() {
                // A cluster longer than a part (a letter under a pile of
                // combining marks, a long ZWJ chain) cannot move whole to
                // the next part, so it is cut between characters; a
                // surrogate pair still stays together.
                characters += 1;
                pieces.extend(cluster.char_indices().map(|(at, c)| Piece {
                    offset: offset + at,
                    units: c.len_utf16(),
                }));
            } else {
                characters += 1;
                pieces.push(Piece { offset, units });
            }
        }
        Layout {
            encoding: SmsEncoding::Ucs2,
            pieces,
            characters,
        }
    }

    fn units(&self) -> usize {
        self.pieces.iter().map(|p| p.units).sum()
    }

    fn parts(&self) -> u32 {
        if self.units() <= self.encoding.single_part() {
            return 1;
        }
        let per_part = self.encoding.per_part();
        let mut parts = 1;
        let mut used = 0;
        for piece in &self.pieces {
            if used + piece.units > per_part {
                parts += 1;
                used = 0;
            }
            used += piece.units;
        }
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_cuts_where_the_parts_are_counted() {
        assert_eq!(split("short"), ["short"]);
        let gsm = format!("{}{{{}", "x".repeat(152), "y".repeat(152));
        let parts = split(&gsm);
        assert_eq!(parts.len() as u32, segments(&gsm).segments);
        assert_eq!(parts[0], "x".repeat(152), "the escape pair moves whole");
        assert_eq!(parts.concat(), gsm);
        let ucs = "ó".repeat(70) + "ó";
        let parts = split(&ucs);
        assert_eq!(parts.len() as u32, segments(&ucs).segments);
        assert_eq!(parts[0].chars().count(), 67);
        assert_eq!(parts.concat(), ucs);
    }

    #[test]
    fn an_escape_pair_never_straddles_parts() {
        let text = format!("{}{{{}", "x".repeat(152), "x".repeat(152));
        let sms = segments(&text);
        assert_eq!(sms.encoding, SmsEncoding::Gsm7);
        assert_eq!(sms.units, 306);
        assert_eq!(sms.segments, 3);
    }

    #[test]
    fn an_empty_message_is_one_part() {
        let sms = segments("");
        assert_eq!(sms.segments, 1);
        assert_eq!(sms.encoding, SmsEncoding::Gsm7);
        assert_eq!(sms.units, 0);
    }

    #[test]
    fn a_surrogate_pair_never_straddles_parts() {
        let text = format!("{}😀{}", "x".repeat(66), "x".repeat(66));
        let sms = segments(&text);
        assert_eq!(sms.encoding, SmsEncoding::Ucs2);
        assert_eq!(sms.units, 134);
        assert_eq!(sms.segments, 3);
        assert_eq!(sms.forcing_chars, vec!['😀']);
    }

    #[test]
    fn a_curly_apostrophe_forces_ucs2_and_is_reported() {
        let straight = segments("Don't go out");
        assert_eq!(straight.encoding, SmsEncoding::Gsm7);
        let curly = segments("Don’t go out, don’t");
        assert_eq!(curly.encoding, SmsEncoding::Ucs2);
        assert_eq!(curly.forcing_chars, vec!['’']);
        assert!(curly.encoding == "UCS-2");
        assert_eq!(curly.encoding.to_string(), "UCS-2");
        assert_eq!(gsm_replacement('’'), Some("'"));
    }

    #[test]
    fn stand_ins_are_gsm_and_only_for_characters_that_are_not() {
        let mut entries = 0;
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let Some(full) = gsm_transliteration(c) else {
                assert_eq!(gsm_replacement(c), None, "{c:?}");
                continue;
            };
            entries += 1;
            assert!(!is_gsm(c), "{c:?} is GSM-7 and needs no stand-in");
            assert!(full.chars().all(is_gsm), "{c:?} -> {full:?}");
            // A look-alike is the same stand-in in both views.
            if let Some(same) = gsm_replacement(c) {
                assert_eq!(same, full, "{c:?}");
            }
        }
        assert!(entries > 100, "only {entries} entries");
        assert_eq!(gsm_transliteration('é'), None);
        assert_eq!(gsm_transliteration('漢'), None);
    }

    #[test]
    fn one_table_holds_the_typography_and_the_letters() {
        // From the table SMS templates used: typography, which keeps the
        // words as written.
        for (c, want) in [
            ('’', "'"),
            ('\u{201B}', "'"),
            ('\u{201F}', "\""),
            ('\u{2015}', "-"),
            ('—', "-"),
            ('…', "..."),
            ('\u{A0}', " "),
            ('\u{2007}', " "),
        ] {
            assert_eq!(gsm_replacement(c), Some(want), "{c:?}");
            assert_eq!(gsm_transliteration(c), Some(want), "{c:?}");
        }
        // From the table event values used: more typography and invisible
        // characters, which keep the words too.
        for (c, want) in [
            ('«', "\""),
            ('′', "'"),
            ('•', "-"),
            ('×', "x"),
            ('\u{3000}', " "),
            ('\u{200B}', ""),
            ('\u{AD}', ""),
        ] {
            assert_eq!(gsm_replacement(c), Some(want), "{c:?}");
            assert_eq!(gsm_transliteration(c), Some(want), "{c:?}");
        }
        // ... and letters and joiners, which change the text, so only where
        // respelling is accepted.
        for (c, want) in [
            ('í', "i"),
            ('ç', "c"),
            ('Ł', "L"),
            ('œ', "oe"),
            ('\u{200D}', ""),
        ] {
            assert_eq!(gsm_replacement(c), None, "{c:?}");
            assert_eq!(gsm_transliteration(c), Some(want), "{c:?}");
        }
    }

    #[test]
    fn a_cluster_longer_than_a_part_is_cut_between_characters() {
        // "e" under 100 acute accents is one cluster of 101 UTF-16 units,
        // more than the 67 a part holds.
        let cluster = format!("e{}", "\u{301}".repeat(100));
        let text = format!("{}{cluster}", "x".repeat(10));
        let sms = segments(&text);
        assert_eq!(sms.encoding, SmsEncoding::Ucs2);
        assert_eq!(sms.units, 111);
        assert_eq!(sms.segments, 2);
        assert_eq!(sms.characters, 11);
        assert_eq!(first_over(&text, 1), Some(10 + 1 + 2 * 59));
    }

    #[test]
    fn tables_have_the_gsm_sizes() {
        assert_eq!(GSM_BASIC.chars().count(), 127);
        assert_eq!(GSM_EXTENSION.chars().count(), 10);
        assert_eq!(septets('€'), Some(2));
        assert_eq!(septets('é'), Some(1));
        assert_eq!(septets('á'), None);
        assert_eq!(septets('ç'), None);
    }

    #[test]
    fn first_over_finds_the_character_in_the_extra_part() {
        let text = "x".repeat(161);
        assert_eq!(first_over(&text, 1), Some(160));
        assert_eq!(first_over(&text, 2), None);
        let two_parts = "x".repeat(307);
        assert_eq!(segments(&two_parts).segments, 3);
        assert_eq!(first_over(&two_parts, 2), Some(306));
        assert_eq!(first_over(&"x".repeat(160), 1), None);
    }
}
