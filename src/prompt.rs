//! Asking the person on duty for the details a playbook needs, on a
//! terminal: each missing required detail in turn, with its help text and
//! example, checked as it is typed (a bad value is asked again with the
//! reason), the way render will check it. Never without a terminal: cron,
//! CI and pipes get every missing detail listed at once, as before.
//!
//! The terminal work is inquire's, a well-kept prompt crate; this module
//! only decides what to ask and how to check the answer.

use chrono::{DateTime, Utc};
use std::io::IsTerminal;

use crate::event::{Origin, RawEvent};
use crate::field::Field;
use crate::playbook::Playbook;

/// Whether prompting is possible: standard input and standard error are
/// terminals (prompts are written to standard error, so standard output
/// stays the packet).
pub fn can_ask() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// The required details with no value given and no default, in the
/// playbook's order.
pub fn missing<'a>(playbook: &'a Playbook, raw: &RawEvent) -> Vec<(&'a str, &'a Field)> {
    playbook
        .fields
        .iter()
        .filter(|(name, field)| {
            let given = raw
                .values
                .get(name.as_str())
                .is_some_and(|v| !v.text.trim().is_empty());
            field.required && field.default.is_none() && !given
        })
        .map(|(name, field)| (name.as_str(), field))
        .collect()
}

/// Asks for each missing detail and records the answers in `raw`. An
/// interrupted prompt (Ctrl-C, Esc) stops with an error: nothing is
/// rendered from a half-answered event.
pub fn ask(playbook: &Playbook, raw: &mut RawEvent, now: DateTime<Utc>) -> anyhow::Result<()> {
    let zone = crate::event::zone(playbook).unwrap_or(chrono_tz::Tz::UTC);
    // Times typed relative to now ("20m ago") are read against the same
    // clock as render.
    let mut answers: Vec<(&str, String)> = Vec::new();
    for (name, field) in missing(playbook, raw) {
        let label = format!("{name}:");
        // An enum is chosen from its values, never typed.
        if field.kind == crate::field::FieldType::Enum && !field.values.is_empty() {
            let mut select = inquire::Select::new(&label, field.values.clone());
            if let Some(help) = field.help.as_deref() {
                select = select.with_help_message(help);
            }
            let answer = select.prompt().map_err(|err| {
                anyhow::anyhow!("{name} was not given ({err}); nothing was rendered")
            })?;
            answers.push((name, answer.clone()));
            raw.set(name, answer, Origin::Set);
            continue;
        }
        let mut prompt = inquire::Text::new(&label);
        let help = match (field.help.as_deref(), field.example.as_ref()) {
            (Some(help), Some(example)) => format!("{help} (e.g. {})", example.as_str()),
            (Some(help), None) => help.to_owned(),
            (None, Some(example)) => format!("e.g. {}", example.as_str()),
            (None, None) => String::new(),
        };
        if !help.is_empty() {
            prompt = prompt.with_help_message(&help);
        }
        let field = field.clone();
        let checked_name = name.to_owned();
        prompt = prompt.with_validator(move |text: &str| {
            Ok(
                match crate::event::normalize(&checked_name, &field, text, zone, Some(now)) {
                    Ok(_) => inquire::validator::Validation::Valid,
                    Err(reason) => inquire::validator::Validation::Invalid(reason.into()),
                },
            )
        });
        let answer = prompt
            .prompt()
            .map_err(|err| anyhow::anyhow!("{name} was not given ({err}); nothing was rendered"))?;
        answers.push((name, answer.clone()));
        raw.set(name, answer, Origin::Set);
    }
    // A corrected answer can keep part of the rejected one: the person
    // reads back every answer, exactly, before anything is rendered.
    if !answers.is_empty() {
        let listed: Vec<String> = answers
            .iter()
            .map(|(name, value)| format!("{name}: {value:?}"))
            .collect();
        let right = inquire::Confirm::new(&format!("Render with {}?", listed.join(", ")))
            .with_default(false)
            .prompt()
            .map_err(|err| anyhow::anyhow!("not confirmed ({err}); nothing was rendered"))?;
        if !right {
            anyhow::bail!("not confirmed; nothing was rendered (run it again)");
        }
    }
    Ok(())
}
