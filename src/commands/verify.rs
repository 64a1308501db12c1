//! `crisis verify PLAYBOOK`: whether each approval's signature proves who
//! approved; with `--statement ROLE` or `--signature ROLE`, the exact bytes
//! an auditor needs to check one with `ssh-keygen -Y verify` alone.

use anyhow::{bail, Result};
use clap::Args;
use std::io::Write;

use super::Context;
use crate::approval::{self, signature, RoleState, Trust};
use crate::playbook::Approval;
use crate::Outcome;

/// Check a playbook's approval signatures (exit 1 if one does not prove
/// its approval), or print a record's signed statement or signature.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The playbook: its id, or the path of its file.
    pub playbook: String,
    /// Print the exact bytes the ROLE's signature is of (the statement),
    /// for `ssh-keygen -Y verify ... < statement`.
    #[arg(long, value_name = "ROLE", conflicts_with = "signature")]
    pub statement: Option<String>,
    /// Print the ROLE's armoured signature, for `ssh-keygen -Y verify -s`.
    #[arg(long, value_name = "ROLE")]
    pub signature: Option<String>,
}

pub fn run(args: &VerifyArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let (catalog, loaded) = super::find_playbook(context, &args.playbook)?;
    let playbook = &loaded.playbook;
    if let Some(role) = &args.statement {
        let record = signed_record(&playbook.approvals, role, &playbook.id)?;
        let statement = signature::statement(&playbook.id, record).map_err(anyhow::Error::msg)?;
        out.write_all(statement.as_bytes())?;
        return Ok(Outcome::Success);
    }
    if let Some(role) = &args.signature {
        let record = signed_record(&playbook.approvals, role, &playbook.id)?;
        let armour = record.signature.as_deref().unwrap_or_default();
        out.write_all(armour.as_bytes())?;
        return Ok(Outcome::Success);
    }
    let settings = crate::load::load_settings(&catalog).settings;
    let trust = Trust::load(&catalog, &settings);
    let assessment = approval::assess(&catalog, &loaded, &settings, &trust, context.now, 0);
    let mut unproven = false;
    let mut records = 0;
    for role in assessment.records() {
        records += 1;
        unproven |= matches!(role.state, RoleState::Unverified { .. });
        let signed = role
            .signature
            .as_ref()
            .map(|s| format!(" ({})", crate::approval::assess::describe_signed(s)))
            .unwrap_or_default();
        writeln!(out, "{}: {}{signed}", role.role, role.signature_verdict())?;
    }
    if records == 0 {
        writeln!(out, "{} has no approval records", loaded.display)?;
    }
    Ok(Outcome::from_failed(unproven))
}

/// The record for `role`, which must be signed.
fn signed_record<'a>(records: &'a [Approval], role: &str, id: &str) -> Result<&'a Approval> {
    let Some(record) = records.iter().find(|r| r.role == role) else {
        let roles: Vec<&str> = records.iter().map(|r| r.role.as_str()).collect();
        bail!(
            "{id} has no approval by '{role}'; approved roles: {}",
            if roles.is_empty() {
                "none".to_owned()
            } else {
                roles.join(", ")
            }
        );
    };
    if record.signer.is_none() || record.signature.is_none() {
        bail!("the {role} approval of {id} is not signed: it has no statement or signature to check; sign it with `crisis approve {id} --role {role} --key ...`");
    }
    Ok(record)
}
