//! `crisis export SOURCE --to TOOL --out DIR`: the social posts of a
//! rendering or an event as a scheduler's bulk-upload CSV files.
//!
//! Nothing is taken on trust from the source: a render.json only says which
//! playbook and which event details; the words are rendered again from the
//! catalog, with every check `crisis render` makes (lint errors and missing
//! approvals refuse it), and a render.json whose words differ from what the
//! approved playbook renders is refused, since it was edited after it was
//! written or the catalog changed since.

use anyhow::{bail, Result};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::events::Where;
use super::render::{produce, RenderArgs};
use super::Context;
use crate::error::Refused;
use crate::ledger::names::Name;
use crate::ledger::record;
use crate::output::export::{self, DateOrder, Tool};
use crate::output::Format;
use crate::Outcome;

/// The largest render.json export reads.
const MAX_RENDER_JSON_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A render.json (from `crisis render --out` or `--format json`), an
    /// event id, or an event file.
    pub source: String,
    /// The scheduler whose bulk-upload format to write.
    #[arg(long, value_enum)]
    pub to: Tool,
    /// The folder for the CSV files; replaced whole, as `render --out` does.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Languages to export, comma-separated (default: all).
    #[arg(long, value_delimiter = ',', value_name = "LANG")]
    pub lang: Vec<String>,
    /// How the scheduler is set to read dates (Hootsuite and Sprout let you
    /// choose): month first or day first.
    #[arg(long, value_enum, default_value = "mdy")]
    pub date_order: DateOrder,
    /// The time zone of the scheduler account, which reads every time in
    /// it (default: the playbook's).
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,
    #[command(flatten)]
    pub place: Where,
}

/// What the source says: the playbook, the event details, and for a
/// render.json the words it holds.
struct Source {
    playbook: String,
    values: Vec<(String, String)>,
    /// Id, language and text of every message a render.json holds.
    words: Vec<(String, String, String)>,
    from_rendering: bool,
}

pub fn run(args: &ExportArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let zone = match &args.timezone {
        Some(name) => Some(name.parse::<chrono_tz::Tz>().map_err(|_| {
            anyhow::anyhow!(
                "--timezone '{name}' is not an IANA zone name; write it like America/Los_Angeles"
            )
        })?),
        None => None,
    };
    // A render packet holds render.json and the messages to post by hand:
    // exporting into it would replace them.
    if args.out.join("render.json").exists() || args.out.join("message.json").exists() {
        anyhow::bail!(
            "--out {} holds a render packet or an outbox item, which export would replace; give another folder, such as --out schedule",
            args.out.display()
        );
    }
    let source = read_source(args, context)?;
    // The source names the playbook by id, looked up in this catalog: never
    // a path, which would let the file choose another catalog's words.
    if source.playbook.is_empty()
        || !source
            .playbook
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        anyhow::bail!(
            "{} names the playbook '{}', which is not a playbook id; export the render.json crisis wrote",
            args.source,
            source.playbook.escape_debug()
        );
    }
    // A render.json made for some languages is checked in those.
    let mut langs = args.lang.clone();
    if langs.is_empty() {
        for (_, lang, _) in &source.words {
            if !langs.contains(lang) {
                langs.push(lang.clone());
            }
        }
    }
    let render = RenderArgs {
        playbook: source.playbook.clone(),
        event: None,
        set: Vec::new(),
        lang: langs,
        format: Format::Json,
        out: None,
        draft: false,
        message: None,
        raw: false,
        subject: false,
        no_input: true,
        test: false,
        preview: false,
        values: source.values,
    };
    let produced = produce(&render, context)?;
    let mut rendering = produced.rendering;
    if source.from_rendering {
        // Every message the approved playbook renders from these details,
        // and only those, with the same words: a render.json with messages
        // left out could otherwise carry any event details.
        let fresh: Vec<(&str, &str, &str)> = rendering
            .messages
            .iter()
            .filter(|m| args.lang.is_empty() || args.lang.contains(&m.lang))
            .map(|m| (m.id.as_str(), m.lang.as_str(), m.text.as_str()))
            .collect();
        let given: Vec<(&str, &str, &str)> = source
            .words
            .iter()
            .filter(|(_, lang, _)| args.lang.is_empty() || args.lang.contains(lang))
            .map(|(id, lang, text)| (id.as_str(), lang.as_str(), text.as_str()))
            .collect();
        if let Some((id, lang, _)) = fresh
            .iter()
            .find(|f| !given.contains(f))
            .or_else(|| given.iter().find(|g| !fresh.contains(g)))
        {
            return Err(Refused(format!(
                "{} does not hold the words the approved playbook renders from its details for {id} ({lang}): it was edited or cut, or the catalog changed since; render the whole playbook again and export the new render.json",
                args.source
            ))
            .into());
        }
    }
    // The closing message has no time: `crisis close` sends it.
    if let Some(closing) = &produced.loaded.playbook.on_close {
        rendering.messages.retain(|m| &m.id != closing);
    }
    let zone = zone.unwrap_or(rendering.event.zone);
    let prefix = if produced.marks.example {
        "EXAMPLE-"
    } else {
        ""
    };
    let plan = export::plan(
        args.to,
        &rendering.messages,
        context.now.with_timezone(&zone),
        zone,
        args.date_order,
        prefix,
    )?;
    let files: Vec<(String, Vec<u8>)> = plan
        .files
        .iter()
        .map(|(name, bytes, _)| (name.clone(), bytes.clone()))
        .collect();
    if files.is_empty() {
        summary(args, &plan, zone, produced.marks.banner(), out)?;
        return Err(Refused(format!(
            "nothing to schedule in {}: no post is both on a network it posts to and due late enough; nothing was written",
            args.to.name()
        ))
        .into());
    }
    crate::packet::write(&args.out, &files)?;
    summary(args, &plan, zone, produced.marks.banner(), out)?;
    Ok(Outcome::Success)
}

fn read_source(args: &ExportArgs, context: &Context) -> Result<Source> {
    let path = Path::new(&args.source);
    if args.source.ends_with(".json") {
        return read_render_json(path);
    }
    let event = if path.is_file() {
        record::read(path, &args.source)
    } else {
        let id = Name::new(&args.source, "event id").map_err(|reason| {
            anyhow::anyhow!(
                "'{}' is neither a render.json, an event file, nor an event id: {reason}",
                args.source
            )
        })?;
        let paths = args.place.paths(context, None, None)?;
        let file = paths.event_file(&id);
        record::read(&file, &paths.display(&file))
    }
    .map_err(|problem| anyhow::anyhow!("{problem}"))?;
    let mut values: Vec<(String, String)> = event
        .details
        .iter()
        .map(|d| (d.name.clone(), d.value.clone()))
        .collect();
    values.push((
        crate::field::STARTED_AT.to_owned(),
        record::utc_text(event.started_at),
    ));
    Ok(Source {
        playbook: event.playbook.clone(),
        values,
        words: Vec::new(),
        from_rendering: false,
    })
}

fn read_render_json(path: &Path) -> Result<Source> {
    let bytes = crate::input::read_file(path, MAX_RENDER_JSON_BYTES, "the rendering")?;
    let shown = path.display();
    let json: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        anyhow::anyhow!(
            "{shown}:{}:{}: not JSON ({e}); give a render.json written by `crisis render`",
            e.line(),
            e.column()
        )
    })?;
    let not_render = || {
        anyhow::anyhow!(
            "{shown} is not a render.json: it lacks `playbook`, `event` or `messages` (write one with `crisis render --format json` or `--out`)"
        )
    };
    let playbook = json["playbook"].as_str().ok_or_else(not_render)?.to_owned();
    let event = json["event"].as_object().ok_or_else(not_render)?;
    let mut values = Vec::new();
    for (name, value) in event {
        match value {
            serde_json::Value::String(text) => values.push((name.clone(), text.clone())),
            serde_json::Value::Null => {}
            _ => bail!("{shown}: the event value '{name}' is not text"),
        }
    }
    let mut words = Vec::new();
    for message in json["messages"].as_array().ok_or_else(not_render)? {
        let text = |key: &str| message[key].as_str().map(str::to_owned);
        match (text("id"), text("lang"), text("text")) {
            (Some(id), Some(lang), Some(text)) => words.push((id, lang, text)),
            _ => bail!("{shown}: a message lacks its id, lang or text"),
        }
    }
    Ok(Source {
        playbook,
        values,
        words,
        from_rendering: true,
    })
}

fn summary(
    args: &ExportArgs,
    plan: &export::Plan,
    zone: chrono_tz::Tz,
    banner: Option<String>,
    out: &mut dyn Write,
) -> Result<()> {
    if let Some(banner) = banner {
        writeln!(out, "{banner}")?;
    }
    let posts: usize = plan.files.iter().map(|(_, _, n)| n).sum();
    if posts > 0 {
        writeln!(
            out,
            "{} post{} for {} in {}:",
            posts,
            if posts == 1 { "" } else { "s" },
            args.to.name(),
            args.out.display()
        )?;
        for (name, _, rows) in &plan.files {
            writeln!(
                out,
                "  {name}  {rows} row{}",
                if *rows == 1 { "" } else { "s" }
            )?;
        }
        writeln!(
            out,
            "Times are in {zone}: the {} account must be set to that time zone (or export with --timezone).",
            args.to.name()
        )?;
    }
    if !plan.by_hand.is_empty() {
        writeln!(
            out,
            "Post by hand now (crisis render ... --message ID --raw):"
        )?;
        for left in &plan.by_hand {
            writeln!(
                out,
                "  {} ({}) on {}: {}",
                left.id, left.lang, left.channel, left.reason
            )?;
        }
    }
    if !plan.moved.is_empty() {
        writeln!(out, "Scheduled later than due:")?;
        for m in &plan.moved {
            writeln!(
                out,
                "  {} ({}): {} instead of {}, as {}",
                m.id,
                m.lang,
                m.to.format("%Y-%m-%d %H:%M %Z"),
                m.from.format("%Y-%m-%d %H:%M:%S %Z"),
                m.reason
            )?;
        }
    }
    if !plan.not_exported.is_empty() {
        writeln!(
            out,
            "Not exported (post them from the packet or the outbox):"
        )?;
        for left in &plan.not_exported {
            writeln!(out, "  {} ({}): {}", left.id, left.lang, left.reason)?;
        }
    }
    for left in &plan.ambiguous {
        writeln!(out, "Warning: {} ({}) {}", left.id, left.lang, left.reason)?;
    }
    for left in &plan.formula_like {
        writeln!(out, "Note: {} ({}) {}", left.id, left.lang, left.reason)?;
    }
    Ok(())
}
