//! What counts as a word, a sentence and a syllable, by the reference's
//! rules (textstat 0.7.13). Each rule is odd in places ("1-800-555-0100"
//! is one word, "Stay indoors." is no sentence); they are kept as they are
//! because agreeing with a figure people can reproduce matters more here
//! than a better definition.
//!
//! Character classes follow Python's, which the reference's regular
//! expressions use: a word character is a letter, a number or `_`, never a
//! combining mark; a space is Unicode White_Space plus the four information
//! separators U+001C to U+001F.

use unicode_normalization::char::is_combining_mark;

use super::dictionary;

/// Hyphenation points closer than this (in characters) to either end of a
/// word are ignored, as Pyphen's defaults ignore them. The patterns' own
/// files ask for 2 and 3 in English; the reference uses 2 and 2 for both
/// languages.
const EDGE_MIN: usize = 2;

/// Whose hyphenation patterns give a text's syllables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Language {
    /// LibreOffice's `hyph_en_US.dic`, the reference's own (see
    /// [`dictionary`]).
    English,
    /// The TeX (hyph-utf8) Spanish patterns of the `hypher` crate, which
    /// agree with the reference's Spanish dictionary on every word measured.
    Spanish,
}

/// Whether `c` is a word character, as Python's Unicode `\w` sees it.
fn is_word_char(c: char) -> bool {
    c == '_' || (c.is_alphanumeric() && !is_combining_mark(c) && !is_enclosed_letter(c))
}

/// Circled and parenthesised Latin letters are alphabetic to Rust (through
/// Other_Alphabetic) but symbols to Python.
fn is_enclosed_letter(c: char) -> bool {
    matches!(
        c,
        '\u{24B6}'..='\u{24E9}'
            | '\u{1F130}'..='\u{1F149}'
            | '\u{1F150}'..='\u{1F169}'
            | '\u{1F170}'..='\u{1F189}'
    )
}

/// Whether `c` separates words, as Python's `str.split()` sees it.
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1C}'..='\u{1F}').contains(&c)
}

fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?')
}

/// The text without punctuation: every character that is not a word
/// character, a space or the apostrophe of an English contraction is
/// dropped, not replaced by a space, so "24/7" becomes the one word "247"
/// and "help@example.org" the one word "helpexampleorg".
pub(super) fn strip_punctuation(text: &str) -> String {
    text.char_indices()
        .filter(|&(at, c)| match c {
            '\'' => opens_contraction_ending(&text[at + 1..]),
            _ => is_word_char(c) || is_space(c),
        })
        .map(|(_, c)| c)
        .collect()
}

/// An ASCII apostrophe is kept when a lowercase contraction ending follows
/// it (don't, it's, we'd, I've, we'll, they're); any other is dropped, so
/// "o'clock" is "oclock". The typographic ’ is always dropped.
fn opens_contraction_ending(after: &str) -> bool {
    after.starts_with(['t', 's', 'd'])
        || ["ve", "ll", "re"]
            .iter()
            .any(|ending| after.starts_with(ending))
}

/// The words of a text from [`strip_punctuation`].
pub(super) fn words(stripped: &str) -> impl Iterator<Item = &str> {
    stripped.split(is_space).filter(|word| !word.is_empty())
}

fn word_count(text: &str) -> usize {
    words(&strip_punctuation(text)).count()
}

/// Sentences: the text is cut into pieces, each from a word character to
/// the end of the run of `.`, `!` and `?` that follows it (or to the end of
/// the text); a piece of two words or fewer ("Stay indoors.", "Dr.") is not
/// counted. An empty text has none; any other at least one.
pub(super) fn sentences(text: &str) -> usize {
    if text.is_empty() {
        return 0;
    }
    pieces(text)
        .filter(|piece| word_count(piece) > 2)
        .count()
        .max(1)
}

/// The pieces [`sentences`] weighs. Each starts at the first word character
/// after the previous piece, so text before it with no word character (a
/// list marker, a stray "...") belongs to no piece.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find(is_word_char)?;
        let piece = &rest[start..];
        let body = piece.find(ends_sentence).unwrap_or(piece.len());
        let end = piece[body..]
            .find(|c| !ends_sentence(c))
            .map_or(piece.len(), |stop| body + stop);
        rest = &piece[end..];
        Some(&piece[..end])
    })
}

/// Syllables of a lowercased text from [`strip_punctuation`]: in each word,
/// the hyphenation points the patterns find plus one.
pub(super) fn syllables(stripped_lowercase: &str, language: Language) -> usize {
    words(stripped_lowercase)
        .map(|word| word_syllables(word, language))
        .sum()
}

/// Words remembered per thread: a catalog says the same words again and
/// again (every message of every playbook), and hyphenating is the costly
/// part of a readability figure. Bounded, so a huge text cannot grow it.
const CACHED_WORDS: usize = 20_000;

thread_local! {
    static SYLLABLES: std::cell::RefCell<std::collections::HashMap<(String, Language), usize>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

fn word_syllables(word: &str, language: Language) -> usize {
    let known = SYLLABLES.with(|cache| cache.borrow().get(&(word.to_owned(), language)).copied());
    if let Some(count) = known {
        return count;
    }
    let count = match language {
        Language::English => dictionary::english().points(word).len() + 1,
        Language::Spanish => {
            hypher::hyphenate_bounded(word, hypher::Lang::Spanish, EDGE_MIN, EDGE_MIN).len()
        }
    };
    SYLLABLES.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() < CACHED_WORDS {
            cache.insert((word.to_owned(), language), count);
        }
    });
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_of(text: &str) -> Vec<String> {
        words(&strip_punctuation(text)).map(str::to_owned).collect()
    }

    #[test]
    fn punctuation_is_dropped_not_replaced_by_a_space() {
        assert_eq!(
            words_of("Call 1-800-555-0100, 24/7: help@example.org!"),
            ["Call", "18005550100", "247", "helpexampleorg"]
        );
        assert_eq!(
            words_of("well-being — and more…"),
            ["wellbeing", "and", "more"]
        );
    }

    #[test]
    fn contraction_apostrophes_stay_and_others_go() {
        assert_eq!(
            words_of("don't it's we'd I've we'll they're"),
            ["don't", "it's", "we'd", "I've", "we'll", "they're"]
        );
        assert_eq!(
            words_of("o'clock 'quoted' DON'T don’t"),
            ["oclock", "quoted", "DONT", "dont"]
        );
    }

    #[test]
    fn python_word_characters_and_spaces() {
        assert!(is_word_char('_') && is_word_char('ñ') && is_word_char('٣') && is_word_char('Ⅻ'));
        assert!(!is_word_char('\u{301}') && !is_word_char('Ⓐ') && !is_word_char('😀'));
        assert_eq!(words_of("a\u{1F}b\u{A0}c\u{3000}d"), ["a", "b", "c", "d"]);
        // A decomposed accent is a mark, dropped like punctuation.
        assert_eq!(words_of("cafe\u{301}"), ["cafe"]);
    }

    #[test]
    fn pieces_run_to_the_end_of_their_terminators() {
        let cut: Vec<&str> = pieces("... Boil water!!! Wait? ok").collect();
        assert_eq!(cut, ["Boil water!!!", "Wait?", "ok"]);
        let cut: Vec<&str> = pieces("It is 3.5 km.").collect();
        assert_eq!(cut, ["It is 3.", "5 km."]);
    }

    #[test]
    fn short_pieces_are_not_sentences_but_a_text_has_one() {
        assert_eq!(sentences(""), 0);
        assert_eq!(sentences("   "), 1);
        assert_eq!(sentences("Stay indoors."), 1);
        assert_eq!(sentences("Stay indoors. Close every window. Wait."), 1);
        assert_eq!(
            sentences("Stay indoors now. Close every window. Wait for news."),
            3
        );
    }

    #[test]
    fn syllables_are_hyphenation_points_plus_one() {
        assert_eq!(syllables("water", Language::English), 2);
        assert_eq!(syllables("evacuación", Language::Spanish), 3);
        // No break leaves fewer than two characters at either end.
        assert_eq!(syllables("area", Language::English), 1);
        assert_eq!(syllables("agua", Language::Spanish), 1);
    }
}
