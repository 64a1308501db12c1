//! `crisis render PLAYBOOK`: the job the tool exists for.

use anyhow::{bail, Result};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::Context;
use crate::catalog::Catalog;
use crate::load::{self, Loaded};
use crate::output::{self, Format};
use crate::Outcome;

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The playbook: its id, or the path of its file.
    pub playbook: String,
    /// Event details from a YAML or JSON file (`-` for standard input).
    #[arg(long, value_name = "FILE")]
    pub event: Option<PathBuf>,
    /// An event detail, overriding the event file (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Languages to render, comma-separated (default: all of the playbook's).
    #[arg(long, value_delimiter = ',', value_name = "LANG")]
    pub lang: Vec<String>,
    /// How to print the messages.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Also write one file per message, checklist.md and render.json here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Render a playbook whose approval is missing, stale or expired, for
    /// review: every message and the checklist are marked DRAFT - NOT
    /// APPROVED, and the JSON says "approved": false.
    #[arg(long)]
    pub draft: bool,
}

pub fn run(args: &RenderArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let (catalog, loaded) = find_playbook(context, &args.playbook)?;
    let assessment = crate::approval::assess(&catalog, &loaded, context.now, 0);
    if !assessment.approved() && !args.draft {
        eprintln!("{}", refusal(&loaded.playbook.id, &assessment));
        return Ok(Outcome::Findings);
    }
    // `None` when nothing is required, so JSON consumers can tell "not
    // approved" from "no approval process".
    let approved = assessment.required().then(|| assessment.approved());
    let banner = (approved == Some(false)).then_some(crate::approval::DRAFT_MARK);
    let channels = super::lint::channels(&catalog)?;
    let mut raw = crate::event::RawEvent::default();
    if let Some(path) = &args.event {
        crate::event_file::read(path, &mut raw)?;
    }
    for set in &args.set {
        let (name, value) = crate::event::parse_set(set).map_err(anyhow::Error::msg)?;
        raw.set(&name, value, crate::event::Origin::Set);
    }
    let event = match crate::event::resolve(&loaded.playbook, &raw, context.now) {
        Ok(event) => event,
        Err(problems) => {
            let list: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
            bail!(
                "cannot render '{}': {} problem{} with the event details; nothing was written\n{}",
                loaded.playbook.id,
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                list.join("\n")
            );
        }
    };
    let rendering =
        crate::render::render(&catalog, &channels, &loaded, event, &args.lang, context.now)?;
    let mut checklist = crate::checklist::approval_items(&assessment);
    checklist.extend(crate::checklist::build(&loaded.playbook, &rendering));
    let json = output::json::value(&rendering, &checklist, approved);
    if let Some(dir) = &args.out {
        write_out(dir, &rendering, &checklist, &json, banner)?;
    }
    match args.format {
        Format::Text => output::text::write(&rendering, &checklist, banner, out)?,
        Format::Markdown => output::markdown::write(&rendering, &checklist, banner, out)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
    }
    for m in rendering.messages.iter().filter(|m| !m.fits()) {
        eprintln!(
            "error: {} ({}) does not fit {}: {}",
            m.id,
            m.lang,
            m.channel,
            output::length_line(&m.measurement)
        );
    }
    Ok(Outcome::from_failed(!rendering.all_fit()))
}

/// Why an unapproved playbook is not rendered, who must re-approve, and how
/// to render it anyway for review.
fn refusal(id: &str, assessment: &crate::approval::Assessment) -> String {
    let mut text = format!("error: '{id}' is not approved for use; nothing was rendered");
    let mut roles = Vec::new();
    for role in assessment.blocking() {
        if let Some(problem) = role.problem() {
            text.push_str(&format!("\n  {problem}"));
        }
        roles.push(role.role.as_str());
    }
    let stale = assessment
        .blocking()
        .any(|r| matches!(r.state, crate::approval::RoleState::Stale { .. }));
    let diff_hint = if stale {
        format!("`crisis diff {id}` shows them what changed; then ")
    } else {
        String::new()
    };
    text.push_str(&format!(
        "\nWho must approve: {}. {diff_hint}`crisis approve {id} --role ROLE --by \"NAME, TITLE\"` records it.\nTo render it for review anyway, add --draft: every message is then marked {}.",
        roles.join(", "),
        crate::approval::DRAFT_MARK
    ));
    text
}

/// The playbook named by id or path, and the catalog it belongs to.
pub fn find_playbook(context: &Context, wanted: &str) -> Result<(Catalog, Loaded)> {
    let as_path = Path::new(wanted);
    let looks_like_path =
        wanted.ends_with(".yaml") || wanted.ends_with(".yml") || wanted.contains('/');
    if looks_like_path && as_path.is_file() {
        let cwd = std::env::current_dir()?;
        let parent = as_path
            .parent()
            .map(|p| cwd.join(p))
            .unwrap_or_else(|| cwd.clone());
        let catalog = match &context.global.catalog {
            Some(_) => context.catalog()?,
            None => match crate::catalog::find_root(&parent) {
                Some(root) => Catalog::at(&root, &cwd),
                None => bail!("{wanted} is not in a catalog (no playbooks/ folder above it); pass --catalog DIR"),
            },
        };
        let Some(rel) = catalog.relative(as_path) else {
            bail!(
                "{wanted} is not inside the catalog at {}",
                catalog.display_path("")
            );
        };
        let loaded = load::load_playbook(&catalog, &rel).map_err(unloadable)?;
        return Ok((catalog, loaded));
    }
    let catalog = context.catalog()?;
    // By convention the file is named after the id; fall back to a scan.
    let direct = format!("playbooks/{wanted}.yaml");
    if let Ok(loaded) = load::load_playbook(&catalog, &direct) {
        if loaded.playbook.id == wanted {
            return Ok((catalog, loaded));
        }
    }
    let mut ids = Vec::new();
    for rel in catalog.playbook_files()? {
        match load::load_playbook(&catalog, &rel) {
            Ok(loaded) if loaded.playbook.id == wanted => return Ok((catalog, loaded)),
            Ok(loaded) => ids.push(loaded.playbook.id),
            Err(diagnostic) if rel == direct => return Err(unloadable(diagnostic)),
            Err(_) => {}
        }
    }
    let hint = crate::suggest::did_you_mean(wanted, ids.iter().map(String::as_str))
        .map(|s| format!("did you mean '{s}'?"))
        .unwrap_or_else(|| format!("playbooks: {}", ids.join(", ")));
    bail!(
        "no playbook '{wanted}' in the catalog at {}; {hint}",
        catalog.display_path("")
    )
}

fn unloadable(d: crate::diagnostic::Diagnostic) -> anyhow::Error {
    anyhow::anyhow!(
        "{}:{}:{}: {}[{}]: {}\nrun `crisis lint` for every finding",
        d.path,
        d.line,
        d.column,
        d.severity,
        d.code,
        d.message
    )
}

/// Writes each message, the checklist and the JSON, each atomically.
fn write_out(
    dir: &Path,
    rendering: &crate::render::Rendering,
    checklist: &[crate::checklist::Item],
    json: &serde_json::Value,
    banner: Option<&str>,
) -> Result<()> {
    // The mark is the first line of every file, so a copied file carries it.
    let mark = banner.map(|b| format!("{b}\n\n")).unwrap_or_default();
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    for m in &rendering.messages {
        let mut text = mark.clone();
        if let Some(subject) = &m.subject {
            text.push_str(&format!("Subject: {subject}\n\n"));
        }
        text.push_str(&m.text);
        text.push('\n');
        crate::atomic::write(
            &dir.join(format!("{}.{}.txt", m.id, m.lang)),
            text.as_bytes(),
        )?;
    }
    let mut list = format!(
        "{mark}# {} (version {})\n\n{}\n\n",
        rendering.playbook,
        rendering.version,
        rendering.clock.summary()
    )
    .into_bytes();
    output::markdown::write_checklist(checklist, "##", banner, &mut list)?;
    crate::atomic::write(&dir.join("checklist.md"), &list)?;
    let mut json_text = serde_json::to_vec_pretty(json)?;
    json_text.push(b'\n');
    crate::atomic::write(&dir.join("render.json"), &json_text)?;
    Ok(())
}
