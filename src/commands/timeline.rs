//! `crisis timeline EVENT`: every step of an event with its time, and each
//! message's time to post against the target. `--format json` is the
//! export for audits.

use anyhow::Result;
use clap::{Args, ValueEnum};
use std::io::Write;

use super::events::Where;
use super::Context;
use crate::ledger::names::Name;
use crate::ledger::record;
use crate::ledger::store::Store;
use crate::ledger::timeline::Timeline;
use crate::Outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineFormat {
    /// One line per step, for the terminal.
    Text,
    /// The export for audits and scripts.
    Json,
    /// Tables to paste into a report.
    Markdown,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// The event id.
    pub event: String,
    /// How to print it.
    #[arg(long, value_enum, default_value = "text")]
    pub format: TimelineFormat,
    #[command(flatten)]
    pub place: Where,
}

pub fn run(args: &TimelineArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let id = Name::new(&args.event, "event id").map_err(anyhow::Error::msg)?;
    let paths = args.place.paths(context, None, None)?;
    let store = Store::open(&paths.ledger)?;
    let file = paths.event_file(&id);
    // The event file adds the messages not due yet; the ledger alone is
    // enough for the rest.
    let event = record::read(&file, &paths.display(&file)).ok();
    let timeline = Timeline::read(&store, id.as_str(), event.as_ref())?;
    match args.format {
        TimelineFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &timeline.to_json())?;
            writeln!(out)?;
        }
        TimelineFormat::Text => timeline.write_text(out)?,
        TimelineFormat::Markdown => timeline.write_markdown(out)?,
    }
    Ok(Outcome::Success)
}
