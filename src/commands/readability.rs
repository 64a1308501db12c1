//! `crisis readability`: how easy a text is to read, for the people writing
//! messages: the Flesch-Kincaid grade of an English text, the
//! Fernández-Huerta ease and its INFLESZ band of a Spanish one, and the
//! words, sentences and syllables they come from (docs/readability.md).
//!
//! Text output is one figure a line; `--format json` prints one object
//! (`ReadabilityJson`). Scores are shown rounded to two decimals; bands are
//! decided on the unrounded score.
//!
//! Exit: 0 when the text was measured (a hard text is not a failure; lint
//! judges), 2 for usage errors (no text, unreadable or non-UTF-8 input).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::readability;
use crate::Outcome;

/// Arguments of `crisis readability`.
#[derive(clap::Args, Debug, Clone)]
pub struct ReadabilityArgs {
    /// The text to measure, or `-` to read standard input.
    #[arg(value_name = "TEXT", conflicts_with = "file")]
    pub text: Option<String>,
    /// Read the text from this file (UTF-8, at most 1 MiB).
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The text's language.
    #[arg(long, value_enum)]
    pub lang: ReadabilityLang,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReadabilityFormat::Text)]
    pub format: ReadabilityFormat,
}

/// The languages readability is measured in.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadabilityLang {
    /// English: Flesch-Kincaid grade.
    En,
    /// Spanish: Fernández-Huerta ease and its INFLESZ band.
    Es,
}

/// How `crisis readability` prints its figures.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadabilityFormat {
    /// One figure a line.
    Text,
    /// One JSON object.
    Json,
}

/// The readability of a text, as `crisis readability --format json`
/// prints it: `grade` for English, `ease` and `band` for Spanish.
#[derive(Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct ReadabilityJson {
    /// `en` or `es`.
    pub lang: String,
    /// English: Flesch-Kincaid grade level, rounded to two decimals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<f64>,
    /// Spanish: Fernández-Huerta ease, rounded to two decimals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ease: Option<f64>,
    /// Spanish: the INFLESZ band of the ease, such as "fairly easy".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band: Option<String>,
    /// Words, once punctuation is removed.
    pub words: usize,
    /// Sentences of more than two words; at least 1 unless the text is empty.
    pub sentences: usize,
    /// Syllables: hyphenation points plus one, in each word.
    pub syllables: usize,
}

/// The figures of one text, in its language.
enum Figures {
    English(readability::English),
    Spanish(readability::Spanish),
}

impl Figures {
    fn measure(text: &str, lang: ReadabilityLang) -> Figures {
        match lang {
            ReadabilityLang::En => Figures::English(readability::english(text)),
            ReadabilityLang::Es => Figures::Spanish(readability::spanish(text)),
        }
    }

    fn json(&self) -> ReadabilityJson {
        match self {
            Figures::English(en) => ReadabilityJson {
                lang: "en".to_owned(),
                grade: Some(two_decimals(en.grade)),
                ease: None,
                band: None,
                words: en.words,
                sentences: en.sentences,
                syllables: en.syllables,
            },
            Figures::Spanish(es) => ReadabilityJson {
                lang: "es".to_owned(),
                grade: None,
                ease: Some(two_decimals(es.ease)),
                band: Some(es.band().name().to_owned()),
                words: es.words,
                sentences: es.sentences,
                syllables: es.syllables,
            },
        }
    }
}

/// Runs `crisis readability`.
pub fn run(args: &ReadabilityArgs, out: &mut dyn Write) -> Result<Outcome> {
    let text = read_text(args)?;
    let figures = Figures::measure(&text, args.lang);
    match args.format {
        ReadabilityFormat::Text => write_text(out, &figures)?,
        ReadabilityFormat::Json => {
            let rendered = serde_json::to_string_pretty(&figures.json())?;
            writeln!(out, "{rendered}")?;
        }
    }
    Ok(Outcome::Success)
}

fn read_text(args: &ReadabilityArgs) -> Result<String> {
    crate::input::text_argument(
        args.text.as_deref(),
        args.file.as_deref(),
        crate::limits::MAX_TEXT_BYTES,
    )
}

fn write_text(out: &mut dyn Write, figures: &Figures) -> std::io::Result<()> {
    let (words, sentences, syllables) = match figures {
        Figures::English(en) => {
            let grade = two_decimals(en.grade);
            writeln!(out, "grade: {grade:.2} (Flesch-Kincaid grade level)")?;
            (en.words, en.sentences, en.syllables)
        }
        Figures::Spanish(es) => {
            let (ease, band) = (two_decimals(es.ease), es.band());
            let spanish = band.spanish_name();
            writeln!(
                out,
                "ease: {ease:.2} (Fernández-Huerta), {band} ({spanish})"
            )?;
            (es.words, es.sentences, es.syllables)
        }
    };
    writeln!(out, "words: {words}")?;
    writeln!(out, "sentences: {sentences}")?;
    writeln!(out, "syllables: {syllables}")
}

/// A score as it is shown: two decimals, and never "-0.00".
fn two_decimals(score: f64) -> f64 {
    let rounded = format!("{score:.2}").parse().unwrap_or(score);
    if rounded == 0.0 {
        0.0
    } else {
        rounded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str, lang: ReadabilityLang, format: ReadabilityFormat) -> ReadabilityArgs {
        ReadabilityArgs {
            text: Some(text.to_owned()),
            file: None,
            lang,
            format,
        }
    }

    fn run_to_string(args: &ReadabilityArgs) -> (Result<Outcome>, String) {
        let mut out = Vec::new();
        let outcome = run(args, &mut out);
        (outcome, String::from_utf8_lossy(&out).into_owned())
    }

    #[test]
    fn spanish_text_output_names_the_band_in_both_languages() {
        let (outcome, printed) = run_to_string(&args(
            "Hierva el agua durante un minuto antes de beberla.",
            ReadabilityLang::Es,
            ReadabilityFormat::Text,
        ));
        assert_eq!(outcome.ok(), Some(Outcome::Success));
        assert_eq!(
            printed,
            "ease: 84.33 (Fernández-Huerta), very easy (muy fácil)\nwords: 9\nsentences: 1\nsyllables: 17\n"
        );
    }

    #[test]
    fn english_json_has_grade_and_no_spanish_fields() {
        let (_, printed) = run_to_string(&args(
            "Boil the water for minutes before drinking.",
            ReadabilityLang::En,
            ReadabilityFormat::Json,
        ));
        let value: serde_json::Value = serde_json::from_str(&printed).unwrap_or_default();
        let keys: Vec<&str> = value
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(keys, ["lang", "grade", "words", "sentences", "syllables"]);
    }

    #[test]
    fn scores_show_two_decimals_and_no_negative_zero() {
        assert_eq!(two_decimals(2.4700000000000024), 2.47);
        assert_eq!(two_decimals(-0.001), 0.0);
        assert!(two_decimals(-0.001).is_sign_positive());
        assert_eq!(two_decimals(-3.456), -3.46);
    }
}
