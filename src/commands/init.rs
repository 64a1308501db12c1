//! `crisis init [DIR]`: a catalog a team can adopt in one command: the
//! approval policy in `crisis.yaml`, a first playbook with its template,
//! the JSON Schema editors validate playbooks with, a `.gitattributes` that
//! keeps line endings stable, and a CI workflow that lints every pull
//! request. Nothing that exists is overwritten.

use anyhow::{bail, Context as _, Result};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Outcome;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to make the catalog in (default: the working directory).
    pub dir: Option<PathBuf>,
}

const PLAYBOOK: &str = include_str!("init/holding-statement.yaml");
const TEMPLATE: &str = include_str!("init/templates/holding-x.en.j2");
const SETTINGS: &str = include_str!("init/crisis.yaml");
const GITATTRIBUTES: &str = include_str!("init/gitattributes");
const WORKFLOW: &str = include_str!("init/workflow.yml");

/// The schema file editors read, named in each playbook's first line.
const SCHEMA_FILE: &str = "crisis-playbook.schema.json";

pub fn run(args: &InitArgs, out: &mut dyn Write) -> Result<Outcome> {
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    // A catalog inside another one would be linted as part of it.
    let absolute = std::env::current_dir()?.join(&dir);
    if let Some(outer) = absolute
        .ancestors()
        .skip(1)
        .find(|a| a.join("playbooks").is_dir())
    {
        bail!(
            "{} is inside the catalog at {}; make a new catalog in a folder of its own (nothing was written)",
            dir.display(),
            outer.display()
        );
    }
    if dir.join("playbooks").exists() || dir.join(crate::catalog::CONFIG_FILE).exists() {
        bail!(
            "{} already holds a catalog (playbooks/ or crisis.yaml); nothing was written",
            dir.display()
        );
    }
    let schema = serde_json::to_string_pretty(&super::schema::schema(super::schema::Of::Playbook))?;
    let playbook = format!("# yaml-language-server: $schema=../{SCHEMA_FILE}\n{PLAYBOOK}");
    let files: [(&str, &str); 6] = [
        (crate::catalog::CONFIG_FILE, SETTINGS),
        ("playbooks/holding-statement.yaml", &playbook),
        ("templates/holding-statement/holding-x.en.j2", TEMPLATE),
        (SCHEMA_FILE, &schema),
        (".gitattributes", GITATTRIBUTES),
        (".github/workflows/crisis-lint.yml", WORKFLOW),
    ];
    for (rel, _) in &files {
        if dir.join(rel).exists() {
            bail!("{} exists; nothing was written", dir.join(rel).display());
        }
    }
    for (rel, text) in &files {
        create(&dir.join(rel), text)?;
    }
    writeln!(out, "A new catalog in {}:", dir.display())?;
    for (rel, _) in &files {
        writeln!(out, "  {rel}")?;
    }
    writeln!(
        out,
        "Next: edit the holding statement with your communications and legal leads, run `crisis lint`, then record each approval with `crisis approve holding-statement --role communications --by \"NAME, TITLE\"` (and legal). Add playbooks with `crisis new ID`."
    )?;
    Ok(Outcome::Success)
}

/// Writes a new file, never over an existing one.
fn create(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}
