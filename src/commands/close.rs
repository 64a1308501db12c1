//! `crisis close EVENT`: end an event. Nothing more is emitted for it, but
//! its closing message (`on_close` in the playbook), once.

use anyhow::{anyhow, Result};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

use super::events::Where;
use super::Context;
use crate::ledger::due::Emitter;
use crate::ledger::names::Name;
use crate::ledger::record;
use crate::ledger::store::Store;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct CloseArgs {
    /// The event id, as `crisis open` printed it.
    pub event: String,
    #[command(flatten)]
    pub place: Where,
    /// The outbox, for the closing message (default: outbox/ beside the events folder).
    #[arg(long, value_name = "DIR")]
    pub outbox: Option<PathBuf>,
}

pub fn run(args: &CloseArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let id = Name::new(&args.event, "event id").map_err(anyhow::Error::msg)?;
    let paths = args.place.paths(context, None, args.outbox.as_deref())?;
    let file = paths.event_file(&id);
    let event = record::read(&file, &paths.display(&file)).map_err(|p| anyhow!("{p}"))?;
    let mut store = Store::open(&paths.ledger)?;
    store.register(&[&event])?;
    let zone = event.zone;
    let closed_at = match store.close(id.as_str(), context.now)? {
        None => {
            writeln!(
                out,
                "closed {id} at {}",
                context.now.with_timezone(&zone).format("%Y-%m-%d %H:%M %Z")
            )?;
            context.now
        }
        Some(before) => {
            writeln!(
                out,
                "{id} was already closed at {}",
                before.with_timezone(&zone).format("%Y-%m-%d %H:%M %Z")
            )?;
            before
        }
    };
    drop(store);
    if event.on_close.is_none() {
        return Ok(Outcome::Success);
    }
    let catalog = context.catalog()?;
    let mut emitter = Emitter::new(&catalog, &paths, context.now)?;
    emitter.run_close(std::rc::Rc::new(event), closed_at)?;
    let summary = &emitter.summary;
    if !summary.emitted.is_empty() || !summary.refused.is_empty() || !summary.errors.is_empty() {
        super::due::write_text(summary, &paths, out)?;
    }
    super::due::report_problems(summary);
    Ok(Outcome::from_failed(summary.failed()))
}
