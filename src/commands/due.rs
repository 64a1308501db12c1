//! `crisis due`: put every message whose time has come into the outbox,
//! exactly once. Built to run from cron every few minutes: the summary goes
//! to standard output, refusals and errors to standard error, and the exit
//! code is 1 when anything was refused or an event file was bad.

use anyhow::Result;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

use super::events::{Format, Where};
use super::Context;
use crate::clock::format_elapsed;
use crate::duration::Duration;
use crate::ledger::due::{Emitter, Summary};
use crate::ledger::names::visible;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct DueArgs {
    #[command(flatten)]
    pub place: Where,
    /// The outbox (default: outbox/ beside the events folder).
    #[arg(long, value_name = "DIR")]
    pub outbox: Option<PathBuf>,
    /// Skip (and report) messages later than this instead of emitting them,
    /// such as 12h after the machine was off for a day.
    #[arg(long, value_name = "DURATION", value_parser = Duration::parse)]
    pub max_late: Option<Duration>,
    /// How to print the summary.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn run(args: &DueArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let catalog = context.catalog()?;
    let paths = args
        .place
        .paths(context, Some(&catalog), args.outbox.as_deref())?;
    let mut emitter = Emitter::new(&catalog, &paths, context.now)?;
    emitter.run_due(args.max_late)?;
    let summary = &emitter.summary;
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, summary)?;
            writeln!(out)?;
        }
        Format::Text => write_text(summary, &paths, out)?,
    }
    report_problems(summary);
    Ok(Outcome::from_failed(summary.failed()))
}

/// The summary for people: one line per item, then the counts.
pub fn write_text(
    summary: &Summary,
    paths: &crate::ledger::Paths,
    out: &mut dyn Write,
) -> Result<()> {
    for e in &summary.emitted {
        let late = if e.late_seconds >= 60 {
            format!(", {} late", format_elapsed(e.late_seconds))
        } else {
            String::new()
        };
        let adopted = if e.adopted {
            " (finished for a run that stopped)"
        } else {
            ""
        };
        writeln!(
            out,
            "emitted {} {} ({}){late}{adopted} -> {}",
            e.event,
            e.message,
            e.langs.join(", "),
            paths.display(std::path::Path::new(&e.path))
        )?;
    }
    for s in &summary.skipped {
        writeln!(out, "skipped {} {}: {}", s.event, s.message, s.reason)?;
    }
    let late = summary
        .emitted
        .iter()
        .filter(|e| e.late_seconds >= 60)
        .count();
    let nothing = summary.emitted.is_empty()
        && summary.skipped.is_empty()
        && summary.refused.is_empty()
        && summary.errors.is_empty();
    if nothing {
        writeln!(out, "nothing due ({} events)", summary.events)?;
    } else {
        writeln!(
            out,
            "{} emitted ({late} late), {} skipped, {} refused, {} errors",
            summary.emitted.len(),
            summary.skipped.len(),
            summary.refused.len(),
            summary.errors.len()
        )?;
    }
    Ok(())
}

/// Refusals and errors on standard error, where cron mails them.
pub fn report_problems(summary: &Summary) {
    for r in &summary.refused {
        eprintln!("REFUSED {} {}: {}", r.event, r.message, visible(&r.reason));
    }
    for e in &summary.errors {
        match (&e.event, &e.message) {
            (Some(event), Some(message)) => {
                eprintln!("error: {event} {message}: {}", visible(&e.error))
            }
            _ => eprintln!("error: {}", visible(&e.error)),
        }
    }
}
