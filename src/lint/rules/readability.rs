use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::worst_case::{EXAMPLE_VALUES, OPTIONAL_LEFT_OUT};
use crate::lint::PlaybookContext;
use crate::readability::{self, Band};
use crate::template::Part;
use crate::yaml::PathSeg;

/// Texts shorter than this many words are not scored: a grade or an ease
/// on a few words (a name and a phone number) says nothing about how easy
/// they are to read, only how long the words happen to be.
pub const MIN_WORDS: usize = 10;

/// The grade an English message may read at unless the playbook says
/// `max_grade`: the top of the 6-to-8 range public-health guidance asks
/// for.
pub const DEFAULT_MAX_GRADE: f64 = 8.0;

declare_rule! {
    /// A message harder to read than its playbook allows: an English one
    /// above `max_grade` on the Flesch-Kincaid scale (default 8), a Spanish
    /// one below `min_ease_es` on the Fernández-Huerta scale (default 65,
    /// where the INFLESZ band "fairly easy" begins), rendered with the
    /// example values. Texts of fewer than 10 words are not scored: on a
    /// few words the formulas measure only how long the words are.
    ///
    /// ## Why it matters
    /// In a crisis people read in a hurry, frightened, often in their
    /// second language, on a phone. Guidance for public health messages
    /// (CDC, Plain Language) asks for a grade of 6 to 8: long sentences and
    /// long words lose exactly the readers who most need the message.
    ///
    /// ## Example
    /// ```text
    /// Individuals experiencing psychological distress subsequent to the
    /// derailment are encouraged to utilize the complimentary helpline.
    /// ```
    /// reads at grade 21.
    ///
    /// ## Fix
    /// Short sentences, everyday words: "If the derailment has upset you,
    /// call our free helpline." `crisis readability TEXT --lang en` prints
    /// the figures for any draft; `docs/readability.md` explains them.
    "CP701", "readability", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let playbook = &context.loaded.playbook;
    let max_grade = playbook.max_grade.unwrap_or(DEFAULT_MAX_GRADE);
    let min_ease = playbook
        .min_ease_es
        .unwrap_or(Band::FairlyEasy.lower_bound());
    for (key, value, most) in [
        ("max_grade", playbook.max_grade, 20.0),
        ("min_ease_es", playbook.min_ease_es, 100.0),
    ] {
        if value.is_some_and(|v| !(0.0..=most).contains(&v)) {
            out.push(context.finding(
                &RULE,
                context.loaded.span(&[PathSeg::Key(key.into())]),
                format!("`{key}` must be a number from 0 to {most}"),
            ));
        }
    }
    let mut reported = std::collections::BTreeSet::new();
    let mut scored = std::collections::HashSet::new();
    for rendered in context.renders {
        // With the examples, and with the optional fields left out: a
        // message may say more when a field is empty.
        if rendered.label != EXAMPLE_VALUES && rendered.label != OPTIONAL_LEFT_OUT {
            continue;
        }
        let Ok(text) = &rendered.result else { continue };
        let part = &context.parts()[rendered.part];
        // A text met again (most scenarios render the same words) scores
        // the same: it was reported, or passed, the first time.
        if part.part != Part::Body || !scored.insert((rendered.part, text.as_str())) {
            continue;
        }
        let message = &playbook.messages[part.index];
        let label = rendered.label;
        // Language tags are case-insensitive; ISO 639-2 codes name the
        // same languages.
        let primary = part
            .lang
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let finding = match primary.as_str() {
            "en" | "eng" => {
                let figures = readability::english(text);
                (figures.words >= MIN_WORDS && figures.grade > max_grade).then(|| {
                    format!(
                        "{} ({}) reads at grade {:.2} {label}, above the playbook's max_grade of {max_grade}: {} words in {} sentence(s), {:.2} syllables a word; use shorter sentences and everyday words",
                        message.id,
                        part.lang,
                        figures.grade,
                        figures.words,
                        figures.sentences,
                        figures.syllables as f64 / figures.words as f64
                    )
                })
            }
            "es" | "spa" => {
                let figures = readability::spanish(text);
                (figures.words >= MIN_WORDS && figures.ease < min_ease).then(|| {
                    format!(
                        "{} ({}) has an ease of {:.2} ({}) {label}, below the playbook's min_ease_es of {min_ease}: {} words in {} sentence(s); use shorter sentences and everyday words",
                        message.id,
                        part.lang,
                        figures.ease,
                        figures.band().spanish_name(),
                        figures.words,
                        figures.sentences
                    )
                })
            }
            _ => None,
        };
        if let Some(text) = finding.filter(|_| reported.insert((part.index, part.lang.clone()))) {
            let key = part.key(message);
            out.push(context.finding(&RULE, context.loaded.message_span(part.index, key), text));
        }
    }
}
