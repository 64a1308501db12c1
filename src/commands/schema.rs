//! `crisis schema`: the JSON Schema of the playbook format, generated from
//! the model so that editors validate and complete playbooks; `crisis
//! schema outbox`: that of the outbox's `message.json`, for posting tools.

use anyhow::Result;
use clap::{Args, ValueEnum};
use std::io::Write;

use crate::playbook::Playbook;
use crate::Outcome;

/// The schema as JSON.
pub fn schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(Playbook).to_value();
    if let Some(object) = schema.as_object_mut() {
        object.insert("title".into(), "crisis-playbook playbook".into());
    }
    schema
}

/// Which schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// The playbook format (the default).
    Playbook,
    /// The outbox's message.json, the contract for posting tools.
    Outbox,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which schema to print (default: playbook).
    #[arg(value_enum)]
    pub kind: Option<SchemaKind>,
}

pub fn run(args: &SchemaArgs, out: &mut dyn Write) -> Result<Outcome> {
    let schema = match args.kind.unwrap_or(SchemaKind::Playbook) {
        SchemaKind::Playbook => schema(),
        SchemaKind::Outbox => crate::ledger::outbox::schema(),
    };
    serde_json::to_writer_pretty(&mut *out, &schema)?;
    writeln!(out)?;
    Ok(Outcome::Success)
}
