//! `crisis posted EVENT MESSAGE --lang L --by NAME`: record that one
//! language of an outbox item went out, which stops the clock for it.

use anyhow::Result;
use clap::Args;
use std::io::Write;

use super::events::Where;
use super::Context;
use crate::clock::format_elapsed;
use crate::ledger::names::{one_line, Name};
use crate::ledger::store::Store;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct PostedArgs {
    /// The event id.
    pub event: String,
    /// The message id.
    pub message: String,
    /// The language posted.
    #[arg(long, value_name = "LANG")]
    pub lang: String,
    /// Where it was posted.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Who posted it (a person, or the posting tool's name).
    #[arg(long, value_name = "NAME")]
    pub by: String,
    #[command(flatten)]
    pub place: Where,
}

pub fn run(args: &PostedArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let event = Name::new(&args.event, "event id").map_err(anyhow::Error::msg)?;
    let message = Name::new(&args.message, "message id").map_err(anyhow::Error::msg)?;
    let lang = Name::new(&args.lang, "language").map_err(anyhow::Error::msg)?;
    let by = one_line(&args.by, "--by", "\"Sam Lee\"").map_err(anyhow::Error::msg)?;
    let url = args
        .url
        .as_deref()
        .map(|u| one_line(u, "--url", "https://x.com/org/status/1"))
        .transpose()
        .map_err(anyhow::Error::msg)?;
    // Where the post is: a web link, never a script or a local file.
    if let Some(url) = &url {
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            anyhow::bail!("--url {url:?} is not a web link; give the post's address, such as https://x.com/org/status/1");
        }
    }
    let paths = args.place.paths(context, None, None)?;
    let mut store = Store::open(&paths.ledger)?;
    let ready = match store.posted(
        event.as_str(),
        message.as_str(),
        lang.as_str(),
        url.as_deref(),
        &by,
        context.now,
    )? {
        Ok(ready) => ready,
        Err(reason) => {
            return Err(crate::error::Refused(reason.to_string()).into());
        }
    };
    let row = store.event(event.as_str())?;
    let mut line = format!("recorded: {message} ({lang}) of {event} posted by {by}");
    if let Some(row) = row {
        let elapsed = (context.now - row.started_at).num_seconds();
        line.push_str(&format!(
            ", {} after the event started",
            format_elapsed(elapsed)
        ));
        if let Some(target) = row.target_seconds {
            let verdict = if elapsed <= target { "within" } else { "over" };
            line.push_str(&format!(
                " ({verdict} the target of {})",
                format_elapsed(target)
            ));
        }
    }
    writeln!(out, "{line}")?;
    if !ready {
        eprintln!(
            "warning: {message} of {event} was posted before every checklist item was confirmed; the ledger records it as posted unsigned (`crisis signoff` records confirmations)"
        );
    }
    Ok(Outcome::Success)
}
