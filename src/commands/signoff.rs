//! `crisis signoff EVENT MESSAGE --by "NAME, ROLE"`: confirm checklist items
//! of an item in the outbox (all of them, or `--item N` each). When every
//! item a person must confirm is confirmed, the item is ready: its
//! `message.json` says `"ready": true`.

use anyhow::{bail, Result};
use clap::Args;
use std::io::Write;
use std::path::Path;

use super::events::Where;
use super::Context;
use crate::ledger::names::{one_line, Name};
use crate::ledger::outbox;
use crate::ledger::store::Store;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct SignoffArgs {
    /// The event id.
    pub event: String,
    /// The message id.
    pub message: String,
    /// Who confirms, with their role: "Dana Reyes, Legal".
    #[arg(long, value_name = "NAME, ROLE")]
    pub by: String,
    /// A checklist item to confirm, by its number in checklist.md
    /// (repeatable; default: every item).
    #[arg(long = "item", value_name = "N")]
    pub items: Vec<u32>,
    #[command(flatten)]
    pub place: Where,
}

pub fn run(args: &SignoffArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let event = Name::new(&args.event, "event id").map_err(anyhow::Error::msg)?;
    let message = Name::new(&args.message, "message id").map_err(anyhow::Error::msg)?;
    let by = one_line(&args.by, "--by", "\"Dana Reyes, Legal\"").map_err(anyhow::Error::msg)?;
    if !by.contains(',') {
        bail!(
            "--by \"{by}\": give the name and the role, such as --by \"{by}, Communications lead\""
        );
    }
    let paths = args.place.paths(context, None, None)?;
    let mut store = Store::open(&paths.ledger)?;
    let items = (!args.items.is_empty()).then_some(args.items.as_slice());
    let (added, ready) =
        match store.confirm(event.as_str(), message.as_str(), items, &by, context.now)? {
            Ok(done) => done,
            Err(reason) => {
                return Err(crate::error::Refused(reason.to_string()).into());
            }
        };
    let (confirmed, count) = store.locked(|store| {
        let Some(row) = store.emission(event.as_str(), message.as_str())? else {
            bail!("{message} of {event} is not in the ledger");
        };
        let zone: chrono_tz::Tz = store
            .event(event.as_str())?
            .and_then(|e| e.timezone.parse().ok())
            .unwrap_or(chrono_tz::Tz::UTC);
        let confirmations = store.confirmations(event.as_str(), message.as_str())?;
        if let Some(path) = &row.path {
            let dir = Path::new(path);
            let mut posts = outbox::read(dir)?;
            for post in &mut posts {
                post.ready = row.ready_at.is_some();
                for check in &mut post.checklist {
                    if let Some(c) = confirmations.iter().find(|c| Some(c.item) == check.n) {
                        check.done = true;
                        check.by = Some(c.by.clone());
                        check.at = Some(c.at.with_timezone(&zone).to_rfc3339());
                    }
                }
            }
            let marks = posts.first().map(outbox::marks_of).unwrap_or_default();
            outbox::rewrite(dir, &posts, &marks)?;
        }
        Ok((confirmations.len(), row.items))
    })?;
    let wanted: Vec<u32> = match items {
        Some(items) => items.to_vec(),
        None => (1..=count).collect(),
    };
    let again: Vec<String> = wanted
        .iter()
        .filter(|n| !added.contains(n))
        .map(u32::to_string)
        .collect();
    writeln!(
        out,
        "{message} of {event}: {} item{} confirmed by {by}; {confirmed} of {count} confirmed",
        added.len(),
        if added.len() == 1 { "" } else { "s" }
    )?;
    if !again.is_empty() {
        writeln!(out, "already confirmed before: {}", again.join(", "))?;
    }
    if ready {
        writeln!(out, "ready to post: message.json says \"ready\": true")?;
    }
    Ok(Outcome::Success)
}
