//! `crisis events`: every event, open and closed, with how far its schedule
//! has come. Also the options every event command shares: where the events
//! folder and the ledger are.

use anyhow::{bail, Result};
use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::Context;
use crate::catalog::Catalog;
use crate::ledger::store::{State, Store};
use crate::ledger::{due, Paths};
use crate::Outcome;

/// Where the events and the ledger are.
#[derive(Debug, Args)]
pub struct Where {
    /// The events folder, one file per event (default: events/ in the catalog).
    #[arg(long, env = "CRISIS_EVENTS", value_name = "DIR")]
    pub events: Option<PathBuf>,
    /// The SQLite ledger (default: ledger.sqlite in the events folder).
    #[arg(long, env = "CRISIS_LEDGER", value_name = "FILE")]
    pub ledger: Option<PathBuf>,
}

impl Where {
    /// The paths, the events folder defaulting to `events/` in `catalog`
    /// (found if not given).
    pub fn paths(
        &self,
        context: &Context,
        catalog: Option<&Catalog>,
        outbox: Option<&Path>,
    ) -> Result<Paths> {
        let cwd = std::env::current_dir()?;
        let events = match &self.events {
            Some(dir) => dir.clone(),
            None => {
                let found;
                let catalog = match catalog {
                    Some(catalog) => catalog,
                    None => {
                        found = context.catalog()?;
                        &found
                    }
                };
                match catalog.dir() {
                    Some(dir) => dir.join("events"),
                    None => bail!(
                        "the example catalog built into crisis has no folder for events; pass --events DIR (or set CRISIS_EVENTS), or run crisis from your catalog's folder"
                    ),
                }
            }
        };
        Ok(Paths::new(&events, self.ledger.as_deref(), outbox, &cwd))
    }
}

/// Text for people, or JSON for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    #[command(flatten)]
    pub place: Where,
    /// How to print the list.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// One event in the list.
#[derive(Debug, Serialize)]
struct Listed {
    event: String,
    playbook: String,
    started_at: String,
    closed_at: Option<String>,
    state: &'static str,
    emitted: usize,
    scheduled: usize,
    next_due_at: Option<String>,
    file: String,
}

pub fn run(args: &EventsArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let paths = args.place.paths(context, None, None)?;
    let (records, problems) = due::scan(&paths);
    let store = Store::open(&paths.ledger)?;
    let mut listed = Vec::new();
    let shown = |at: DateTime<Utc>, zone: chrono_tz::Tz| at.with_timezone(&zone).to_rfc3339();
    for record in &records {
        let row = store.event(record.id.as_str())?;
        let closed_at = row.as_ref().and_then(|r| r.closed_at);
        let emissions = store.emissions(record.id.as_str())?;
        let done = |m: &str| {
            emissions
                .iter()
                .any(|e| e.message == m && e.state != State::Claimed)
        };
        let emitted = emissions
            .iter()
            .filter(|e| e.state == State::Emitted)
            .count();
        let next = record
            .schedule
            .iter()
            .filter(|s| !done(s.message.as_str()))
            .map(|s| s.due_at)
            .min()
            .filter(|_| closed_at.is_none());
        listed.push(Listed {
            event: record.id.to_string(),
            playbook: record.playbook.clone(),
            started_at: shown(record.started_at, record.zone),
            closed_at: closed_at.map(|t| shown(t, record.zone)),
            state: if closed_at.is_some() {
                "closed"
            } else {
                "open"
            },
            emitted,
            scheduled: record.schedule.len() + usize::from(record.on_close.is_some()),
            next_due_at: next.map(|t| shown(t, record.zone)),
            file: record.display.clone(),
        });
    }
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &listed)?;
            writeln!(out)?;
        }
        Format::Text => {
            if listed.is_empty() {
                writeln!(out, "no events in {}", paths.display(&paths.events))?;
            }
            for l in &listed {
                let mut line = format!(
                    "{}  {}  started {}  {}  {} of {} emitted",
                    l.event, l.playbook, l.started_at, l.state, l.emitted, l.scheduled
                );
                if let Some(next) = &l.next_due_at {
                    line.push_str(&format!(", next due {next}"));
                }
                writeln!(out, "{line}")?;
            }
        }
    }
    for problem in &problems {
        eprintln!("error: {problem}");
    }
    Ok(Outcome::from_failed(!problems.is_empty()))
}
