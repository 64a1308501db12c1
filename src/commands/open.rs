//! `crisis open PLAYBOOK`: start an event. The details are checked exactly
//! as render checks them, the playbook must pass lint and be approved (or
//! be released with `--override "REASON" --by NAME`), and the event file is
//! written with its schedule. Nothing is written when anything is wrong.

use anyhow::{bail, Result};
use chrono::Utc;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

use super::events::{Format, Where};
use super::Context;
use crate::ledger::names::{one_line, Name};
use crate::ledger::record::{
    self, Clearance, Detail, EventRecord, Override, RoleAtOpen, Scheduled,
};
use crate::ledger::{gate, schedule, store::Store};
use crate::Outcome;

/// Events of one playbook starting in the same minute get `-2`, `-3`, ...
/// up to this many.
const MAX_SAME_MINUTE: usize = 100;

#[derive(Debug, Args)]
pub struct OpenArgs {
    /// The playbook: its id, or the path of its file.
    pub playbook: String,
    /// Event details from a YAML or JSON file (`-` for standard input).
    #[arg(long, value_name = "FILE")]
    pub event: Option<PathBuf>,
    /// An event detail, overriding the event file (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    #[command(flatten)]
    pub place: Where,
    /// How to print the event id.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Release a playbook that is not approved, in a true emergency: every
    /// output of the event then says NOT PRE-APPROVED, who released it and why.
    #[arg(long = "override", value_name = "REASON", requires = "by")]
    pub override_reason: Option<String>,
    /// Who releases it with --override.
    #[arg(long, value_name = "NAME", requires = "override_reason")]
    pub by: Option<String>,
}

pub fn run(args: &OpenArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let override_ = match (&args.override_reason, &args.by) {
        (Some(reason), Some(by)) => Some(Override {
            by: one_line(by, "--by", "\"Sam Lee, duty manager\"").map_err(anyhow::Error::msg)?,
            reason: one_line(
                reason,
                "--override",
                "\"the helpline number changed an hour ago\"",
            )
            .map_err(anyhow::Error::msg)?,
        }),
        _ => None,
    };
    let (catalog, loaded) = super::find_playbook(context, &args.playbook)?;
    let paths = args.place.paths(context, Some(&catalog), None)?;
    let catalog_settings = crate::lint::settings(&catalog);
    let checked = gate::check(&catalog, &catalog_settings, loaded, context.now);
    let id = checked.loaded.playbook.id.clone();
    if !checked.errors.is_empty() {
        let report = crate::lint::Report {
            files: 1,
            sources: checked
                .sources
                .clone()
                .into_iter()
                .chain(catalog_settings.sources.clone())
                .collect(),
            diagnostics: checked.errors.clone(),
        };
        crate::report::write(
            crate::report::Format::Human,
            &report,
            false,
            &mut std::io::stderr().lock(),
        )?;
        return Err(crate::error::Refused(format!(
            "'{id}' has lint errors, so it would not render as approved; no event was opened (fix them, then run `crisis lint`)"
        ))
        .into());
    }
    let clearance = match checked.clearance(override_.is_some()) {
        Ok(clearance) => clearance,
        Err(refusal) if refusal.roles.is_empty() => bail!("{}", refusal.reason),
        Err(refusal) => {
            return Err(crate::error::Refused(format!(
                "{}; no event was opened.\nIn a true emergency, release it unapproved with `crisis open {id} ... --override \"REASON\" --by NAME`: every output of the event then says NOT PRE-APPROVED, who released it and why.",
                refusal.reason
            ))
            .into());
        }
    };
    let playbook = &checked.loaded.playbook;
    let mut raw = crate::event::RawEvent::default();
    if let Some(path) = &args.event {
        crate::event::file::read(path, &mut raw)?;
    }
    for set in &args.set {
        let (name, value) = crate::event::parse_set(set).map_err(anyhow::Error::msg)?;
        raw.set(&name, value, crate::event::Origin::Set);
    }
    let event = match crate::event::resolve(playbook, &raw, context.now) {
        Ok(event) => event,
        Err(problems) => {
            let list: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
            bail!(
                "cannot open '{id}': {} problem{} with the event details; nothing was written\n{}",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                list.join("\n")
            );
        }
    };
    // An event keeps its details in its file and ledger; values given per
    // language are not kept there yet, so they are refused, never dropped.
    if !event.per_lang.is_empty() {
        bail!(
            "cannot open '{id}': values given per language (NAME.LANG) are not kept by events yet; nothing was written (give one value, or declare a field per language such as event_es)"
        );
    }
    if let Some(closing) = &playbook.on_close {
        if !playbook.messages.iter().any(|m| &m.id == closing) {
            bail!(
                "{}: on_close names '{closing}', which is not a message of '{id}'; name one of its messages",
                checked.loaded.display
            );
        }
    }
    let langs = |m: &crate::playbook::Message| -> Result<Vec<Name>> {
        m.languages(playbook)
            .iter()
            .map(|l| Name::new(l, "language").map_err(anyhow::Error::msg))
            .collect()
    };
    let mut scheduled = Vec::new();
    let mut on_close = None;
    for m in &playbook.messages {
        let message = Name::new(&m.id, "message id").map_err(anyhow::Error::msg)?;
        if playbook.on_close.as_ref() == Some(&m.id) {
            on_close = Some((message, langs(m)?));
            continue;
        }
        let Some(due_at) = schedule::due_at(event.started_at, m.after()) else {
            bail!(
                "message '{}' would fall due past the end of the calendar; shorten `after`",
                m.id
            );
        };
        scheduled.push(Scheduled {
            message,
            after: m.after(),
            due_at: due_at.with_timezone(&Utc),
            langs: langs(m)?,
        });
    }
    let digest = match &checked.digest {
        Ok(digest) => digest.digest.clone(),
        Err(reason) => bail!("'{id}': {reason}"),
    };
    let approvals = checked
        .assessment
        .roles
        .iter()
        .filter(|r| r.state.is_valid())
        .filter_map(|r| {
            r.record.as_ref().map(|(_, a)| RoleAtOpen {
                role: a.role.clone(),
                by: a.by.clone(),
                until: a.until.clone(),
            })
        })
        .collect();
    let details = event
        .values
        .iter()
        .filter(|(name, _)| name.as_str() != crate::field::STARTED_AT)
        .filter_map(|(name, value)| {
            value.as_ref().map(|value| Detail {
                name: name.clone(),
                value: value.clone(),
                span: crate::span::Span::FILE,
            })
        })
        .collect();
    let base = format!(
        "{id}-{}",
        event.started_at.with_timezone(&Utc).format("%Y%m%d-%H%M")
    );
    std::fs::create_dir_all(&paths.events)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", paths.display(&paths.events)))?;
    let mut record = EventRecord {
        id: Name::new(&base, "event id").map_err(anyhow::Error::msg)?,
        playbook: id.clone(),
        playbook_file: checked.loaded.rel.as_str().to_owned(),
        version: playbook.version,
        zone: event.zone,
        started_at: event.started_at.with_timezone(&Utc),
        opened_at: context.now,
        digest,
        target: playbook.target,
        clearance,
        approvals,
        override_,
        examples: catalog.is_embedded(),
        details,
        schedule: scheduled,
        on_close,
        display: String::new(),
    };
    let mut created = false;
    for n in 1..=MAX_SAME_MINUTE {
        let name = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        record.id = Name::new(&name, "event id").map_err(anyhow::Error::msg)?;
        let path = paths.event_file(&record.id);
        record.display = paths.display(&path);
        if record::create(&path, &record.to_yaml())? {
            created = true;
            break;
        }
    }
    if !created {
        bail!(
            "{MAX_SAME_MINUTE} events of '{id}' already start at that minute in {}; close some, or give a different started_at",
            paths.display(&paths.events)
        );
    }
    // Read back, so the ledger records exactly what the file says.
    let written = record::read(&paths.event_file(&record.id), &record.display)
        .map_err(|p| anyhow::anyhow!("{p}"))?;
    Store::open(&paths.ledger)?.register(&[&written])?;
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(
                &mut *out,
                &serde_json::json!({ "event": written.id.as_str(), "path": written.display }),
            )?;
            writeln!(out)?;
        }
        Format::Text => writeln!(out, "{}", written.id)?,
    }
    if let Some(o) = &written.override_ {
        eprintln!("{}", o.mark());
    }
    if written.examples {
        eprintln!("{}", crate::output::EXAMPLE_MARK);
    }
    let started = event.started_at.format("%Y-%m-%d %H:%M %Z");
    let due_now = written
        .schedule
        .iter()
        .filter(|s| s.due_at <= context.now)
        .count();
    eprintln!(
        "opened {} ({id}, started {started}): {} message{} scheduled, {due_now} due now; `crisis due` puts them in the outbox",
        written.id,
        written.schedule.len(),
        if written.schedule.len() == 1 { "" } else { "s" },
    );
    if clearance == Clearance::Override {
        eprintln!(
            "the override is recorded in the ledger, and every output of this event carries it"
        );
    }
    Ok(Outcome::Success)
}
