//! `crisis diff PLAYBOOK`: what changed in the content since it was
//! approved, so approvers re-approve by reading a diff, not everything.

use anyhow::{bail, Result};
use clap::Args;
use std::collections::BTreeSet;
use std::io::Write;

use super::Context;
use crate::approval::assess::{self, describe_changes};
use crate::approval::history::{self, Repo};
use crate::Outcome;

/// Show what changed since the approved version, as a git diff of the
/// playbook and its templates. Needs the catalog to be in git: the approved
/// version is found by its content digest among the commits that touched
/// those files. Exit 0 when shown (or nothing changed); 2 when there is no
/// approval, no git history, or no commit with the approved content.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The playbook: its id, or the path of its file.
    pub playbook: String,
    /// Compare with this role's approval (needed when roles approved
    /// different versions).
    #[arg(long, value_name = "ROLE")]
    pub role: Option<String>,
}

pub fn run(args: &DiffArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let (catalog, loaded) = super::find_playbook(context, &args.playbook)?;
    let playbook = &loaded.playbook;
    let approvals = &playbook.approvals;
    let record = match &args.role {
        Some(role) => match approvals.iter().find(|a| &a.role == role) {
            Some(record) => record,
            None => {
                let roles: Vec<&str> = approvals.iter().map(|a| a.role.as_str()).collect();
                bail!(
                    "{} has no approval by '{role}' to compare with; approved roles: {}",
                    playbook.id,
                    if roles.is_empty() {
                        "none".to_owned()
                    } else {
                        roles.join(", ")
                    }
                );
            }
        },
        None => {
            let digests: BTreeSet<&str> = approvals.iter().map(|a| a.digest.as_str()).collect();
            match (approvals.first(), digests.len()) {
                (None, _) => bail!(
                    "{} has no approvals to compare with; its approvers must read the whole playbook and its templates, then run `crisis approve`",
                    playbook.id
                ),
                (Some(first), 1) => first,
                _ => {
                    let list: Vec<String> = approvals
                        .iter()
                        .map(|a| format!("{} ({})", a.role, assess::human_date(&a.at)))
                        .collect();
                    bail!(
                        "the roles approved different versions: {}; pass --role ROLE to choose one",
                        list.join(", ")
                    );
                }
            }
        }
    };
    let roles: Vec<&str> = approvals
        .iter()
        .filter(|a| a.digest == record.digest)
        .map(|a| a.role.as_str())
        .collect();
    let approved_by = format!(
        "the content {} approved ({}, {})",
        roles.join(" and "),
        record.by,
        assess::human_date(&record.at)
    );
    let current = assess::current_digest(&catalog, &loaded).map_err(anyhow::Error::msg)?;
    let Some(changes) = assess::changes(record, &current) else {
        writeln!(out, "nothing changed since {approved_by}")?;
        return Ok(Outcome::Success);
    };
    let Some(dir) = catalog.dir() else {
        bail!("the built-in example catalog has no history to compare with");
    };
    let repo = Repo::open(dir)?;
    let paths: Vec<String> = record
        .files
        .keys()
        .chain(current.files.keys())
        .map(|key| crate::approval::digest::file_of_key(key).to_owned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let Some(found) = repo.find(loaded.rel.as_str(), &paths, &record.digest)? else {
        bail!(
            "none of the last {} commits touching {} holds {approved_by}: it was probably approved before being committed. Changed since then: {}. Approvers must read the whole playbook and its templates before approving again",
            history::MAX_COMMITS,
            loaded.display,
            describe_changes(&changes)
        );
    };
    eprintln!(
        "Changes since {approved_by}, found in commit {}:\n  {}",
        found.summary,
        describe_changes(&changes)
    );
    let now = |path: &str| {
        crate::catalog::CatalogPath::new(path)
            .ok()
            .and_then(|p| catalog.read(&p).ok().flatten())
    };
    let diff = repo.diff(&found.commit, &paths, &now)?;
    if diff.trim().is_empty() {
        eprintln!("no difference in the files' text: the change is in how they are named or where they are");
    }
    out.write_all(diff.as_bytes())?;
    Ok(Outcome::Success)
}
