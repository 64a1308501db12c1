//! `crisis schema`: the JSON Schema of the playbook format, generated from
//! the model so that editors validate and complete playbooks.

use anyhow::Result;
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

pub fn run(out: &mut dyn Write) -> Result<Outcome> {
    serde_json::to_writer_pretty(&mut *out, &schema())?;
    writeln!(out)?;
    Ok(Outcome::Success)
}
