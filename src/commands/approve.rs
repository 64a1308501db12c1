//! `crisis approve PLAYBOOK --role ROLE --by NAME`: records that a role
//! approved the playbook's content as it is now.

use anyhow::{anyhow, bail, Result};
use clap::Args;
use indexmap::IndexMap;
use std::io::Write;

use super::Context;
use crate::approval::{self, edit, period::Period, period::When};
use crate::lint::{self, Options};
use crate::playbook::Approval;
use crate::report;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// The playbook: its id, or the path of its file.
    pub playbook: String,
    /// The role approving: one of the playbook's `approvals_required`.
    #[arg(long, value_name = "ROLE")]
    pub role: String,
    /// Who approves, with their title, such as "Dana Reyes, Associate General Counsel".
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// How long the approval holds: days (90d), weeks (6w), calendar months
    /// (12mo) or years (2y). Approvals always expire.
    #[arg(long, value_name = "PERIOD", default_value = "12mo")]
    pub expires: String,
    /// When the approval was given: a date (2025-01-15) or an RFC 3339 date
    /// and time. Default: now (`--now`).
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
}

/// Lint codes of the approval rules, which say the playbook is not approved
/// yet: that is what approving fixes, so they do not block it.
const APPROVAL_CODES: [&str; 6] = ["CP601", "CP602", "CP603", "CP604", "CP605", "CP606"];

pub fn run(args: &ApproveArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let (catalog, _) = super::find_playbook(context, &args.playbook)?;
    let Some(dir) = catalog.dir() else {
        bail!("the built-in example catalog cannot be approved; copy it into a folder of your own, or pass --catalog DIR");
    };
    // Two approvals of one playbook at once must both land: each takes the
    // catalog's lock, then reads the playbook afresh and writes it back
    // before letting go.
    let _lock = lock(dir)?;
    let (catalog, loaded) = super::find_playbook(context, &args.playbook)?;
    let settings = crate::load::load_settings(&catalog).settings;
    let playbook = &loaded.playbook;
    let required = &approval::assess::required_roles(&loaded, &settings);
    if required.is_empty() {
        bail!(
            "{} requires no approvals; list the roles that must approve it first, such as `approvals_required: [communications, legal]`",
            loaded.display
        );
    }
    if !required.contains(&args.role) {
        let hint = crate::suggest::did_you_mean(&args.role, required.iter().map(String::as_str))
            .map(|near| format!("did you mean '{near}'? "))
            .unwrap_or_default();
        bail!(
            "'{}' is not a role {} requires; {hint}roles: {}",
            args.role,
            playbook.id,
            required.join(", ")
        );
    }
    let by = args.by.trim();
    if by.is_empty() {
        bail!("--by is empty; give the approver's name and title, such as \"Dana Reyes, Associate General Counsel\"");
    }
    if by.chars().any(char::is_control) {
        bail!(
            "--by contains a line break or control character; give the name and title on one line"
        );
    }
    let period = Period::parse(&args.expires).map_err(|e| anyhow!("--expires: {e}"))?;
    let at = match &args.on {
        Some(on) => When::parse(on).map_err(|e| anyhow!("--on: {e}"))?,
        None => When::Instant(context.now),
    };
    let until = at
        .plus(period)
        .ok_or_else(|| anyhow!("--expires {} is too far in the future", args.expires))?;
    let tolerance = chrono::Duration::minutes(approval::assess::FUTURE_TOLERANCE_MINUTES);
    if at.start() > context.now + tolerance {
        bail!(
            "--on {} is in the future; an approval records a review that has happened (leave --on out to use today)",
            at.to_human()
        );
    }
    let longest = approval::assess::max_validity(&settings).map_err(anyhow::Error::msg)?;
    if at.plus(longest).is_none_or(|l| until.end() > l.end()) {
        bail!(
            "--expires {} is longer than this catalog allows ({} from approvals.max_validity in crisis.yaml, default {}); give a shorter --expires",
            args.expires,
            settings
                .approvals
                .max_validity
                .as_deref()
                .unwrap_or(approval::assess::DEFAULT_MAX_VALIDITY),
            approval::assess::DEFAULT_MAX_VALIDITY
        );
    }
    if until.end() <= context.now {
        bail!(
            "an approval on {} for {} would already have expired (valid until {}); give a later --on or a longer --expires",
            at.to_human(),
            args.expires,
            until.to_human()
        );
    }

    // A broken playbook must not be approved: the words approved would not
    // be the words render produces.
    let options = Options {
        now: context.now,
        expiring_within_days: 0,
    };
    let mut report = lint::lint(
        &catalog,
        &options,
        std::slice::from_ref(&loaded.rel.as_str().to_owned()),
    )?;
    report
        .diagnostics
        .retain(|d| d.is_error() && !APPROVAL_CODES.contains(&d.code));
    if !report.diagnostics.is_empty() {
        report::write(
            report::Format::Human,
            &report,
            false,
            &mut std::io::stderr().lock(),
        )?;
        return Err(crate::error::Refused(format!(
            "{} has lint errors; fix them before it is approved (nothing was written)",
            loaded.display
        ))
        .into());
    }

    let content =
        approval::assess::current_digest(&catalog, &loaded).map_err(anyhow::Error::msg)?;
    let record = Approval {
        role: args.role.clone(),
        by: by.to_owned(),
        at: at.to_record(),
        until: Some(until.to_record()),
        digest: content.digest.clone(),
        files: content
            .files
            .clone()
            .into_iter()
            .collect::<IndexMap<_, _>>(),
    };
    let edited = edit::upsert(&loaded.text, &loaded.tree, &record).map_err(|why| {
        anyhow!(
            "cannot add the approval to {} without changing anything else: {why}; nothing was written",
            loaded.display
        )
    })?;
    catalog.write(&loaded.rel, edited.as_bytes())?;

    let replaced = playbook.approvals.iter().any(|a| a.role == args.role);
    writeln!(
        out,
        "{} {}: {} approved by {by} on {}, valid until {}",
        if replaced { "re-approved" } else { "approved" },
        loaded.display,
        args.role,
        at.to_human(),
        until.to_human()
    )?;
    writeln!(
        out,
        "content {} ({} file{})",
        content.digest,
        content.files.len(),
        if content.files.len() == 1 { "" } else { "s" }
    )?;
    let assessment = match crate::load::load_playbook(&catalog, &loaded.rel) {
        Ok(now_loaded) => approval::assess(&catalog, &now_loaded, &settings, context.now, 0),
        Err(_) => approval::assess(&catalog, &loaded, &settings, context.now, 0),
    };
    let still: Vec<String> = assessment
        .blocking()
        .filter(|r| r.role != args.role)
        .map(|r| format!("{} ({})", r.role, r.state.name()))
        .collect();
    if !still.is_empty() {
        writeln!(out, "still needed before use: {}", still.join(", "))?;
    }
    Ok(Outcome::Success)
}

/// Holds the catalog's approval lock until dropped: an exclusive lock on the
/// `playbooks/` folder itself, so no lock file is left in the catalog.
fn lock(dir: &std::path::Path) -> Result<Option<std::fs::File>> {
    #[cfg(unix)]
    {
        let folder = std::fs::File::open(dir.join("playbooks"))
            .map_err(|e| anyhow!("cannot open {}/playbooks: {e}", dir.display()))?;
        folder
            .lock()
            .map_err(|e| anyhow!("cannot lock {}/playbooks: {e}", dir.display()))?;
        Ok(Some(folder))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(None)
    }
}
