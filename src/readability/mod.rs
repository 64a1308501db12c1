//! Readability figures of a text: the Flesch-Kincaid grade of an English
//! text and the Fernández-Huerta ease of a Spanish one, with the counts of
//! words, sentences and syllables they are made of.
//!
//! Messages for the public in a crisis should be easy to read, and "easy"
//! needs a number that a reviewer can check elsewhere. The figures follow
//! one reference, Python's textstat 0.7.13, on the path it takes for every
//! word when it has no pronunciation dictionary (syllables from Pyphen's
//! hyphenation patterns): the same words, the same sentences, the same
//! formulas, unrounded. English syllables come from the reference's own
//! dictionary, LibreOffice's `hyph_en_US.dic`, applied by Pyphen's rules;
//! Spanish ones from the TeX patterns (the `hypher` crate), which agreed
//! with the reference's Spanish dictionary on every word tried.
//! `docs/readability.md` states every rule, the sources and the measured
//! agreement, with worked examples.
//!
//! Pure functions of the text: nothing here reads files or prints.

mod band;
mod count;
mod dictionary;

pub use band::Band;

/// Readability of an English text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct English {
    /// Flesch-Kincaid grade level: 0.39 × words per sentence + 11.8 ×
    /// syllables per word − 15.59, unrounded; 0 for a text with no words.
    /// Roughly the US school grade that can read the text; below 0 for very
    /// short, plain sentences.
    pub grade: f64,
    /// Words: runs of characters between spaces once punctuation is
    /// removed (`1-800-555-0100` and `don't` are one word each).
    pub words: usize,
    /// Sentences: pieces ending in `.`, `!` or `?` with more than two
    /// words; at least 1 for any text that is not empty.
    pub sentences: usize,
    /// Syllables: in each word, its hyphenation points plus one.
    pub syllables: usize,
}

/// Readability of a Spanish text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spanish {
    /// Fernández-Huerta ease (lecturabilidad): 206.84 − 0.60 × syllables
    /// per 100 words − 1.02 × words per sentence, unrounded; 0 for a text
    /// with no words. Higher is easier; [`Spanish::band`] names the band.
    pub ease: f64,
    /// Words, counted as for English.
    pub words: usize,
    /// Sentences, counted as for English.
    pub sentences: usize,
    /// Syllables, from the Spanish hyphenation patterns.
    pub syllables: usize,
}

impl Spanish {
    /// The INFLESZ band the ease falls in, decided on the unrounded ease.
    /// A text with no words scores 0 and so is "very difficult": callers
    /// judging texts should skip empty ones.
    pub fn band(&self) -> Band {
        Band::of(self.ease)
    }
}

/// The readability of `text` read as English.
pub fn english(text: &str) -> English {
    let counts = Counts::of(text, count::Language::English);
    let grade = counts
        .per_word_and_sentence()
        .map_or(0.0, |(syllables, words)| {
            0.39 * words + 11.8 * syllables - 15.59
        });
    English {
        grade,
        words: counts.words,
        sentences: counts.sentences,
        syllables: counts.syllables,
    }
}

/// The readability of `text` read as Spanish.
pub fn spanish(text: &str) -> Spanish {
    let counts = Counts::of(text, count::Language::Spanish);
    // 60 × syllables per word is Fernández-Huerta's 0.60 × syllables per
    // 100 words, written as the reference computes it so the floating-point
    // result is the same to the last bit.
    let ease = counts
        .per_word_and_sentence()
        .map_or(0.0, |(syllables, words)| {
            206.84 - 60.0 * syllables - 1.02 * words
        });
    Spanish {
        ease,
        words: counts.words,
        sentences: counts.sentences,
        syllables: counts.syllables,
    }
}

/// The three counts both formulas are made of.
struct Counts {
    words: usize,
    sentences: usize,
    syllables: usize,
}

impl Counts {
    fn of(text: &str, language: count::Language) -> Counts {
        let stripped = count::strip_punctuation(text);
        Counts {
            words: count::words(&stripped).count(),
            sentences: count::sentences(text),
            syllables: count::syllables(&stripped.to_lowercase(), language),
        }
    }

    /// Syllables per word and words per sentence; none for a text with no
    /// words, which both formulas score 0, as the reference does.
    fn per_word_and_sentence(&self) -> Option<(f64, f64)> {
        if self.words == 0 || self.sentences == 0 {
            return None;
        }
        let words = self.words as f64;
        Some((self.syllables as f64 / words, words / self.sentences as f64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_grade_is_the_flesch_kincaid_formula_on_the_counts() {
        let figures = english("Boil the water for minutes before drinking.");
        assert_eq!(
            (figures.words, figures.sentences, figures.syllables),
            (7, 1, 11)
        );
        // textstat 0.7.13 on its Pyphen path prints 5.682857142857145: the
        // same double, not just a close one.
        assert_eq!(figures.grade, 5.682857142857145);
    }

    #[test]
    fn spanish_ease_is_fernandez_huerta_on_the_counts() {
        let figures = spanish("Hierva el agua durante un minuto antes de beberla.");
        assert_eq!(
            (figures.words, figures.sentences, figures.syllables),
            (9, 1, 17)
        );
        assert_eq!(figures.ease, 84.32666666666668);
        assert_eq!(figures.band(), Band::VeryEasy);
    }

    #[test]
    fn no_words_scores_zero_like_the_reference() {
        assert_eq!(
            english(""),
            English {
                grade: 0.0,
                words: 0,
                sentences: 0,
                syllables: 0
            }
        );
        let blank = spanish(" … — ");
        assert_eq!((blank.ease, blank.words, blank.sentences), (0.0, 0, 1));
    }

    #[test]
    fn syllables_count_after_lowercasing() {
        assert_eq!(
            english("EVACUATE NOW").syllables,
            english("evacuate now").syllables
        );
    }
}
