//! `crisis schema [playbook|settings|render|lint|fit|list|status|outbox]`:
//! JSON Schemas generated from the
//! types themselves, so the published contract and the output cannot
//! drift: the playbook format for editors, and each JSON output for the
//! tools that read it.

use anyhow::Result;
use clap::{Args, ValueEnum};
use std::io::Write;

use crate::Outcome;

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which schema.
    #[arg(value_enum, default_value = "playbook")]
    pub of: Of,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Of {
    /// A playbook file.
    Playbook,
    /// `crisis.yaml`, the catalog's settings.
    Settings,
    /// `crisis render --format json` (and render.json in `--out`).
    Render,
    /// `crisis lint --format json`.
    Lint,
    /// `crisis fit --format json` (one object per channel).
    Fit,
    /// `crisis list --format json`.
    List,
    /// `crisis status --format json`.
    Status,
    /// `crisis readability --format json`.
    Readability,
    /// The outbox's `message.json`, the contract for posting tools.
    Outbox,
}

/// The schema as JSON.
pub fn schema(of: Of) -> serde_json::Value {
    let (mut schema, title) = match of {
        Of::Outbox => return crate::ledger::outbox::schema(),
        Of::Playbook => (
            schemars::schema_for!(crate::playbook::Playbook),
            "crisis-playbook playbook",
        ),
        Of::Settings => (
            schemars::schema_for!(crate::settings::Settings),
            "crisis-playbook crisis.yaml",
        ),
        Of::Render => (
            schemars::schema_for!(crate::output::json::RenderJson),
            "crisis render --format json",
        ),
        Of::Lint => (
            schemars::schema_for!(Vec<crate::diagnostic::Diagnostic>),
            "crisis lint --format json",
        ),
        Of::Fit => (
            schemars::schema_for!(super::fit::FitJson),
            "crisis fit --format json",
        ),
        Of::Status => (
            schemars::schema_for!(super::status::StatusJson),
            "crisis status --format json",
        ),
        Of::Readability => (
            schemars::schema_for!(super::readability::ReadabilityJson),
            "crisis readability --format json",
        ),
        Of::List => (
            schemars::schema_for!(Vec<super::list::ListJson>),
            "crisis list --format json",
        ),
    };
    if let Some(object) = schema.as_object_mut() {
        object.insert("title".into(), title.into());
    }
    schema.to_value()
}

pub fn run(args: &SchemaArgs, out: &mut dyn Write) -> Result<Outcome> {
    serde_json::to_writer_pretty(&mut *out, &schema(args.of))?;
    writeln!(out)?;
    Ok(Outcome::Success)
}
