use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;

use crate::diagnostic::Diagnostic;
use crate::lint::elements::{self, ElementSet};
use crate::lint::rule::{declare_rule, Check};
use crate::lint::worst_case::{EXAMPLE_VALUES, OPTIONAL_LEFT_OUT, WORST_CASE, WORST_LEFT_OUT};
use crate::lint::PlaybookContext;
use crate::playbook::Requirement;
use crate::span::Span;
use crate::template::Part;
use crate::yaml::PathSeg;

declare_rule! {
    /// A message lacks an element its playbook `requires`: each set names
    /// what public-health guidance or the law says a message must contain,
    /// and each element is a field whose value the message must show, or a
    /// phrase per language it must say.
    ///
    /// Sets: `cerc-first-message` (CDC CERC: empathy, facts, unknowns,
    /// actions, updates, more_info), `hipaa-breach-individual` (45 CFR
    /// 164.404(c)(1): what_happened, breach_date, discovery_date,
    /// information_involved, steps_to_take, what_we_are_doing,
    /// toll_free_number, contact_address) and `california-breach` (Cal. Civ.
    /// Code 1798.82(d)(1), in order: title, what_happened, what_information,
    /// what_we_are_doing, what_you_can_do, more_information). Lint renders
    /// each message with the example values and with the optional fields
    /// left out, and looks for every element in the subject and the body.
    ///
    /// ## Why it matters
    /// A breach notice without its toll-free number is a notice the law
    /// does not count as given; a first message that never says what is
    /// not yet known invites rumour. Checked in calm times, the words
    /// approved are words that hold up.
    ///
    /// ## Example
    /// ```yaml
    /// requires:
    ///   - set: cerc-first-message
    ///     messages: [holding-web]
    ///     elements:
    ///       empathy: { en: "We know this is worrying" }
    ///       facts: { field: what_happened }
    ///       unknowns: { en: "We do not yet know" }
    ///       # actions, updates and more_info are missing
    /// ```
    ///
    /// ## Fix
    /// Declare every element of the set (`{ field: NAME }` or a phrase per
    /// language), and write each into the messages; make a field that
    /// carries an element required, so it is never left out.
    "CP702", "required-elements", Error, Check::Playbook(check),
}

/// A message's subject and body in one language, in one scenario (by its
/// place in [`SCENARIOS`]).
type Texts = BTreeMap<(usize, String, usize), (Vec<String>, Vec<String>)>;

/// The scenarios an element is looked for in, in the order findings name
/// them: the examples, and every field at its longest, with the optional
/// ones given and left out (a branch taken only when an optional field
/// without an example is given is tried too).
const SCENARIOS: [&str; 4] = [
    EXAMPLE_VALUES,
    OPTIONAL_LEFT_OUT,
    WORST_CASE,
    WORST_LEFT_OUT,
];

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let playbook = &context.loaded.playbook;
    if playbook.requires.is_empty() {
        return;
    }
    let mut texts: Texts = BTreeMap::new();
    for rendered in context.renders {
        let Some(scenario) = SCENARIOS.iter().position(|s| *s == rendered.label) else {
            continue;
        };
        let Ok(text) = &rendered.result else { continue };
        let part = &context.parts()[rendered.part];
        let entry = texts
            .entry((part.index, part.lang.clone(), scenario))
            .or_default();
        let slot = match part.part {
            Part::Subject => &mut entry.0,
            Part::Body => &mut entry.1,
        };
        slot.push(text.clone());
    }
    for (i, requirement) in playbook.requires.iter().enumerate() {
        let at = |keys: &[PathSeg]| {
            let mut path = vec![PathSeg::Key("requires".into()), PathSeg::Index(i)];
            path.extend_from_slice(keys);
            context.loaded.span(&path)
        };
        let mut report = |span: Span, text: String| out.push(context.finding(&RULE, span, text));
        let Some(set) = elements::set(&requirement.set) else {
            let names: Vec<&str> = elements::SETS.iter().map(|s| s.name).collect();
            report(
                at(&[PathSeg::Key("set".into())]),
                format!(
                    "there is no element set '{}'; the sets are {}",
                    requirement.set,
                    names.join(", ")
                ),
            );
            continue;
        };
        let declared = declarations(context, requirement, set, &at, &mut report);
        let indices: Vec<usize> = playbook
            .messages
            .iter()
            .enumerate()
            .filter(|(_, m)| {
                requirement.messages.is_empty() || requirement.messages.contains(&m.id)
            })
            .map(|(index, _)| index)
            .collect();
        let mut reported = BTreeSet::new();
        for ((index, lang, scenario), (subjects, bodies)) in &texts {
            let label = &SCENARIOS[*scenario];
            if !indices.contains(index) {
                continue;
            }
            let message = &playbook.messages[*index];
            // Every combination of enum values tried, each as a whole
            // message: the subject and body rendered with the same values.
            for k in 0..subjects.len().max(bodies.len()) {
                let subject = subjects.get(k).or(subjects.last());
                let body = bodies.get(k).or(bodies.last());
                let text = format!(
                    "{}\n{}",
                    subject.map(String::as_str).unwrap_or_default(),
                    body.map(String::as_str).unwrap_or_default()
                );
                let mut found: Vec<(usize, &str)> = Vec::new();
                for element in set.elements {
                    let Some(spec) = declared.get(element.name) else {
                        continue;
                    };
                    let position = match spec {
                        Carrier::Field(name) => {
                            let value = context
                                .renders
                                .iter()
                                .find(|r| {
                                    r.label == *label && context.parts()[r.part].index == *index
                                })
                                .and_then(|r| r.scenario.values.get(name).cloned().flatten())
                                .filter(|v| !v.trim().is_empty());
                            let is_date = playbook
                                .fields
                                .get(name)
                                .is_some_and(|f| f.kind == crate::field::FieldType::Datetime);
                            match value {
                                // A date is written in words, not as given:
                                // the message must read the field.
                                Some(_) if is_date => {
                                    uses(context, *index, lang, name).then_some(text.len())
                                }
                                Some(value) => find(&text, &value),
                                None => None,
                            }
                        }
                        Carrier::Phrase(phrases) => phrases.get(lang).and_then(|p| {
                            // Headings in order: where one starts a line, not
                            // where a sentence first mentions it.
                            if set.ordered {
                                find_heading(&text, p).or_else(|| find(&text, p))
                            } else {
                                find(&text, p)
                            }
                        }),
                    };
                    match position {
                        Some(position) => found.push((position, element.name)),
                        None if reported.insert((*index, lang.clone(), element.name)) => {
                            let how = match spec {
                                Carrier::Field(name) => format!("the value of '{name}'"),
                                Carrier::Phrase(phrases) => match phrases.get(lang) {
                                    Some(p) => format!("\"{p}\""),
                                    None => "a phrase".to_owned(),
                                },
                            };
                            let key = message.words_key();
                            report(
                                context.loaded.message_span(*index, key),
                                format!(
                                    "{} ({lang}) lacks '{}' ({}: {how}) {label}, which {} requires; write it into the message{}",
                                    message.id,
                                    element.name,
                                    element.what,
                                    set.name,
                                    if matches!(spec, Carrier::Field(_)) && *label == OPTIONAL_LEFT_OUT {
                                        ", or make the field required"
                                    } else {
                                        ""
                                    }
                                ),
                            );
                        }
                        None => {}
                    }
                }
                if set.ordered {
                    let order: Vec<&str> = found.iter().map(|(_, name)| *name).collect();
                    let mut sorted = found.clone();
                    sorted.sort();
                    let by_position: Vec<&str> = sorted.iter().map(|(_, name)| *name).collect();
                    if order != by_position && reported.insert((*index, lang.clone(), "(order)")) {
                        let key = message.words_key();
                        report(
                            context.loaded.message_span(*index, key),
                            format!(
                                "{} ({lang}) gives {} in the order {}; {} requires {}",
                                message.id,
                                set.name,
                                by_position.join(", "),
                                set.name,
                                order.join(", ")
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// Where an element is in the words.
enum Carrier {
    Field(String),
    Phrase(IndexMap<String, String>),
}

/// The elements a requirement declares, checked against its set and the
/// playbook; what cannot be used is reported and left out.
fn declarations(
    context: &PlaybookContext<'_>,
    requirement: &Requirement,
    set: &ElementSet,
    at: &dyn Fn(&[PathSeg]) -> Span,
    report: &mut dyn FnMut(Span, String),
) -> BTreeMap<&'static str, Carrier> {
    let playbook = &context.loaded.playbook;
    for id in &requirement.messages {
        if !playbook.messages.iter().any(|m| &m.id == id) {
            report(
                at(&[PathSeg::Key("messages".into())]),
                format!("`messages` names '{id}', which no message has as its id"),
            );
        }
    }
    for name in requirement.elements.keys() {
        if !set.elements.iter().any(|e| e.name == name) {
            let names: Vec<&str> = set.elements.iter().map(|e| e.name).collect();
            report(
                at(&[PathSeg::Key("elements".into()), PathSeg::Key(name.clone())]),
                format!(
                    "{} has no element '{name}'; its elements are {}",
                    set.name,
                    names.join(", ")
                ),
            );
        }
    }
    let langs: BTreeSet<&String> = playbook
        .messages
        .iter()
        .filter(|m| requirement.messages.is_empty() || requirement.messages.contains(&m.id))
        .flat_map(|m| m.languages(playbook))
        .collect();
    let mut declared = BTreeMap::new();
    for element in set.elements {
        let key = [
            PathSeg::Key("elements".into()),
            PathSeg::Key(element.name.into()),
        ];
        let Some(spec) = requirement.elements.get(element.name) else {
            report(
                at(&[PathSeg::Key("elements".into())]),
                format!(
                    "{} requires '{}' ({}); declare it: {{ field: NAME }} or a phrase per language",
                    set.name, element.name, element.what
                ),
            );
            continue;
        };
        if let Some(field) = spec.get("field") {
            if spec.len() > 1 {
                report(
                    at(&key),
                    format!("'{}' is either a field or phrases, not both", element.name),
                );
            } else if !playbook.fields.contains_key(field) {
                report(
                    at(&key),
                    format!(
                        "'{}' names the field '{field}', which the playbook does not declare",
                        element.name
                    ),
                );
            } else {
                declared.insert(element.name, Carrier::Field(field.clone()));
            }
            continue;
        }
        // A phrase needs words: "." would be found in any message.
        let missing: Vec<&str> = langs
            .iter()
            .filter(|l| {
                spec.get(l.as_str())
                    .is_none_or(|p| p.chars().filter(|c| c.is_alphanumeric()).count() < 2)
            })
            .map(|l| l.as_str())
            .collect();
        if !missing.is_empty() {
            report(
                at(&key),
                format!("'{}' has no phrase in {}", element.name, missing.join(", ")),
            );
        }
        declared.insert(element.name, Carrier::Phrase(spec.clone()));
    }
    declared
}

/// Whether message `index` in `lang` reads the field `name`.
fn uses(context: &PlaybookContext<'_>, index: usize, lang: &str, name: &str) -> bool {
    context.compiled_parts().any(|(part, _, compiled)| {
        part.index == index && part.lang == lang && compiled.variables.contains_key(name)
    })
}

/// The byte position of the first line of `text` that starts with
/// `heading`, ignoring letter case and leading spaces.
fn find_heading(text: &str, heading: &str) -> Option<usize> {
    let heading = heading.trim().to_lowercase();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().to_lowercase().starts_with(&heading) {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// The byte position of `needle` in `text`, ignoring letter case.
fn find(text: &str, needle: &str) -> Option<usize> {
    let needle = needle.trim().to_lowercase();
    text.to_lowercase().find(&needle)
}
