//! `crisis list`: the catalog at a glance.

use anyhow::Result;
use clap::Args;
use std::io::Write;

use super::Context;
use crate::load;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct ListArgs {
    /// How to print the list.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ListFormat,
    /// The same as --format json (kept for scripts written before it).
    #[arg(long, hide = true)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

pub fn run(args: &ListArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let catalog = context.catalog()?;
    let mut rows = Vec::new();
    let mut broken = 0;
    for rel in catalog.playbook_files()?.files {
        match load::load_playbook(&catalog, &rel) {
            Ok(loaded) => rows.push(loaded.playbook),
            Err(unloaded) => {
                broken += 1;
                if let Some(e) = unloaded.errors.first() {
                    eprintln!("warning: skipped {e} (run `crisis lint`)");
                }
            }
        }
    }
    if args.json || args.format == ListFormat::Json {
        let list: Vec<ListJson> = rows
            .iter()
            .map(|p| ListJson {
                id: p.id.clone(),
                title: p.title.clone(),
                version: p.version,
                languages: p.languages.clone(),
                channels: channels(p).into_iter().map(str::to_owned).collect(),
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &list)?;
        writeln!(out)?;
    } else {
        let width = rows.iter().map(|p| p.id.len()).max().unwrap_or(2).max(2);
        writeln!(
            out,
            "{:<width$}  {:>7}  {:<9}  {:<40}  title",
            "id", "version", "languages", "channels"
        )?;
        for p in &rows {
            writeln!(
                out,
                "{:<width$}  {:>7}  {:<9}  {:<40}  {}",
                p.id,
                p.version,
                p.languages.join(","),
                channels(p).join(","),
                p.title
            )?;
        }
    }
    Ok(Outcome::from_failed(broken > 0))
}

/// The distinct channels of a playbook, in message order.
fn channels(p: &crate::playbook::Playbook) -> Vec<&str> {
    let mut seen = Vec::new();
    for m in &p.messages {
        if !seen.contains(&m.channel.as_str()) {
            seen.push(m.channel.as_str());
        }
    }
    seen
}

/// One playbook as `crisis list --format json` prints it.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ListJson {
    pub id: String,
    pub title: String,
    pub version: u32,
    pub languages: Vec<String>,
    /// Every channel its messages use, once each.
    pub channels: Vec<String>,
}
