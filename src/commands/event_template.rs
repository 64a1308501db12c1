//! `crisis event-template PLAYBOOK`: an event file to copy, fill in and
//! pass with `--event`, written from the playbook's fields.
//!
//! Every field comes with what the person on duty needs to fill it without
//! opening the playbook: its help, type, whether it is required, its
//! length limit, its allowed values and its example. Required fields are
//! filled in with their example, so the file renders as it is and each
//! value to replace stands on a line of its own; optional fields are
//! commented out, so nothing is posted that nobody chose to give.
//!
//! The file is read back by the same reader as any event file, so every
//! value is written as a YAML scalar that reads back as exactly its text,
//! and every comment stays a comment whatever the playbook's help says.

use anyhow::Result;
use clap::Args;
use std::io::Write;

use super::Context;
use crate::approval::edit::scalar;
use crate::field::{Charset, Field, FieldType, STARTED_AT};
use crate::playbook::Playbook;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct EventTemplateArgs {
    /// The playbook: its id, or the path of its file.
    pub playbook: String,
}

pub fn run(args: &EventTemplateArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let (_, loaded) = super::find_playbook(context, &args.playbook)?;
    out.write_all(template(&loaded.playbook).as_bytes())?;
    Ok(Outcome::Success)
}

/// The commented event file for `playbook`.
pub fn template(playbook: &Playbook) -> String {
    let mut out = String::new();
    comment(
        &mut out,
        &format!(
            "Event details for {} ({}), version {}.",
            playbook.id, playbook.title, playbook.version
        ),
    );
    comment(
        &mut out,
        &format!(
            "Fill in the values, save the file, then run: crisis render {} --event FILE",
            playbook.id
        ),
    );
    comment(
        &mut out,
        "Required values hold the playbook's example: replace each one with the real detail.",
    );
    comment(
        &mut out,
        "Optional values are commented out: remove the '# ' before one to give it.",
    );
    let zone = playbook.timezone.as_deref().unwrap_or("UTC");
    comment(&mut out, &format!("Times are read in {zone}."));

    out.push('\n');
    started_at(&mut out, playbook.fields.get(STARTED_AT));
    for (name, field) in &playbook.fields {
        if name == STARTED_AT {
            continue;
        }
        out.push('\n');
        entry(&mut out, name, field);
    }
    out
}

/// `started_at`, which every event has whether or not the playbook
/// declares it, with the forms a time may be written in.
fn started_at(out: &mut String, declared: Option<&Field>) {
    let help = declared
        .and_then(|f| f.help.as_deref())
        .unwrap_or("When the event started.");
    comment(out, help);
    comment(
        out,
        "Write it as: 02:40 (today), today 02:40, yesterday 23:10, 20m ago, 1h30m ago, now,",
    );
    comment(
        out,
        "  2017-12-18 07:33, 2017-12-18 07:33 Europe/Paris or 2017-12-18T07:33:00-08:00.",
    );
    let default = declared.and_then(|f| f.default.as_ref());
    match default {
        Some(default) => {
            comment(
                out,
                &format!("datetime, optional, default {}", default.as_str()),
            );
            comment(out, &format!("{STARTED_AT}: now"));
        }
        None => {
            comment(
                out,
                "datetime; now is the moment you render, as when it is left out",
            );
            out.push_str(&format!("{STARTED_AT}: now\n"));
        }
    }
}

/// One field: its help and facts as comments, then its line.
fn entry(out: &mut String, name: &str, field: &Field) {
    if let Some(help) = &field.help {
        comment(out, help);
    }
    comment(out, &facts(field));
    if !field.values.is_empty() {
        comment(out, &format!("one of: {}", field.values.join(", ")));
    }
    let example = field.example.as_ref().map(|e| e.as_str());
    let default = field.default.as_ref().map(|d| d.as_str());
    if let Some(example) = example {
        comment(out, &format!("example: {example}"));
    }
    let key = key(name);
    match (field.required, example, default) {
        // A default stands in for a value not given, so it is left to
        // stand unless someone chooses to replace it.
        (_, _, Some(default)) => comment(out, &format!("{key}: {}", scalar(default))),
        (true, Some(example), None) => out.push_str(&format!("{key}: {}\n", scalar(example))),
        // Empty reads as missing: render says so rather than posting a guess.
        (true, None, None) => out.push_str(&format!("{key}: \"\"\n")),
        (false, Some(example), None) => comment(out, &format!("{key}: {}", scalar(example))),
        (false, None, None) => comment(out, &format!("{key}: \"\"")),
    }
}

/// Type, whether required, and the limits, on one line:
/// `text, required, at most 40 characters`.
fn facts(field: &Field) -> String {
    let mut facts = vec![field.kind.name().to_owned()];
    facts.push(match (field.required, &field.default) {
        (_, Some(default)) => format!("optional, default {}", default.as_str()),
        (true, None) => "required".to_owned(),
        (false, None) => "optional".to_owned(),
    });
    if let Some(max) = field.max_len {
        facts.push(format!("max_len {max}"));
    }
    if field.charset == Some(Charset::Gsm) {
        facts.push("plain GSM-7 characters only".to_owned());
    }
    if field.kind == FieldType::Text && field.multiline {
        facts.push("may span lines (write \\n in the quotes)".to_owned());
    }
    facts.join(", ")
}

/// A field name as a mapping key: plain when it is a simple name.
fn key(name: &str) -> String {
    let simple = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if simple {
        name.to_owned()
    } else {
        scalar(name)
    }
}

/// `text` as comment lines. A line break in the playbook's text starts a
/// new comment line, and other control characters are shown escaped, so
/// no help text can end a comment and become a value.
fn comment(out: &mut String, text: &str) {
    for line in text.split(['\n', '\r']) {
        let line = line.trim_end();
        out.push('#');
        if !line.is_empty() {
            out.push(' ');
        }
        for c in line.chars() {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{feff}') {
                out.extend(c.escape_debug());
            } else {
                out.push(c);
            }
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::RawEvent;
    use serde_json::json;

    fn playbook(fields: serde_json::Value) -> Playbook {
        serde_json::from_value(json!({
            "id": "helpline",
            "title": "Helpline",
            "version": 2,
            "owner": "Comms <comms@example.org>",
            "timezone": "America/Los_Angeles",
            "fields": fields,
            "messages": []
        }))
        .unwrap()
    }

    fn read_back(text: &str) -> RawEvent {
        let mut raw = RawEvent::default();
        crate::event::file::parse("template", text.as_bytes(), &mut raw).unwrap();
        raw
    }

    #[test]
    fn fills_required_examples_and_comments_out_the_rest() {
        let text = template(&playbook(json!({
            "event": { "type": "text", "max_len": 40, "help": "What happened.", "example": "the flood: \"bad\"" },
            "level": { "type": "enum", "values": ["low", "high"], "example": "high" },
            "link": { "type": "url", "required": false, "example": "https://example.org" },
            "phone": { "type": "phone", "default": "1-800-555-0100" },
            "note": { "type": "text" }
        })));
        assert!(text.contains("# What happened.\n# text, required, max_len 40\n# example: the flood: \"bad\"\nevent: \"the flood: \\\"bad\\\"\"\n"), "{text}");
        assert!(
            text.contains("# one of: low, high\n# example: high\nlevel: high\n"),
            "{text}"
        );
        assert!(text.contains("# link: https://example.org\n"), "{text}");
        assert!(
            text.contains("# phone, optional, default 1-800-555-0100\n# phone: 1-800-555-0100\n"),
            "{text}"
        );
        assert!(text.contains("note: \"\"\n"), "{text}");
        assert!(text.contains("started_at: now\n"), "{text}");
        let raw = read_back(&text);
        let given: Vec<(&str, &str)> = raw
            .values
            .iter()
            .map(|(k, v)| (k.as_str(), v.text.as_str()))
            .collect();
        assert_eq!(
            given,
            [
                ("started_at", "now"),
                ("event", "the flood: \"bad\""),
                ("level", "high"),
                ("note", "")
            ]
        );
    }

    #[test]
    fn help_text_cannot_break_out_of_its_comment() {
        let text = template(&playbook(json!({
            "area": { "type": "text", "help": "one\ntwo\rarea: forged\u{85}x\u{1b}[2J", "example": "Lacey" }
        })));
        let raw = read_back(&text);
        assert_eq!(raw.values["area"].text, "Lacey");
        assert_eq!(raw.values.len(), 2, "{text}");
        assert!(!text.contains('\u{1b}'));
    }

    #[test]
    fn a_declared_started_at_is_written_once_with_its_help() {
        let text = template(&playbook(json!({
            "started_at": { "type": "datetime", "help": "When the water went bad." }
        })));
        assert_eq!(text.matches("started_at:").count(), 1, "{text}");
        assert!(text.contains("# When the water went bad.\n"), "{text}");
    }
}
