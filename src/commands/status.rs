//! `crisis status`: every playbook with its approval state, for people in a
//! terminal and, as JSON, for the monthly mail to playbook owners.

use anyhow::Result;
use clap::{Args, ValueEnum};
use std::io::Write;

use super::Context;
use crate::approval::assess::{self, RoleApproval, RoleState};
use crate::approval::{Assessment, Trust};
use crate::load;
use crate::Outcome;

/// List every playbook with its approval state: approved, stale (and which
/// file changed), expired, expiring in N days, missing roles, or no
/// approvals required. It reports and always exits 0 (2 if the catalog
/// cannot be read); `crisis lint` is the check that fails.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// How to print the states.
    #[arg(long, value_enum, default_value = "text")]
    pub format: StatusFormat,
    /// Report approvals ending within this many days as expiring.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub expiring_within: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    /// A readable list, one block per playbook.
    Text,
    /// One object per playbook, for scripts and mail merges.
    Json,
}

/// One playbook's line in the status.
struct Entry {
    path: String,
    id: Option<String>,
    title: Option<String>,
    owner: Option<String>,
    state: &'static str,
    /// Why the file could not be read, when it could not.
    unreadable: Option<String>,
    assessment: Option<Assessment>,
}

impl Entry {
    fn needs_action(&self) -> bool {
        !matches!(self.state, "approved" | "not-required")
    }
}

/// The playbook's state: its worst role state, or `not-required`.
fn overall(assessment: &Assessment) -> &'static str {
    const WORST_FIRST: [&str; 8] = [
        "invalid",
        "unverified",
        "unsigned",
        "missing",
        "stale",
        "expired",
        "expiring",
        "approved",
    ];
    if !assessment.required() {
        return "not-required";
    }
    // Every record counts, required or not, as render decides.
    WORST_FIRST
        .into_iter()
        .find(|state| {
            assessment
                .roles
                .iter()
                .chain(assessment.blocking())
                .any(|r| r.state.name() == *state)
        })
        .unwrap_or("approved")
}

pub fn run(args: &StatusArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let catalog = context.catalog()?;
    let mut entries = Vec::new();
    let catalog_settings = crate::lint::settings(&catalog);
    let settings = catalog_settings.settings.clone();
    let trust = Trust::load(&catalog, &settings);
    let options = crate::lint::Options {
        now: context.now,
        expiring_within_days: args.expiring_within,
    };
    for rel in catalog.playbook_files()?.files {
        match load::load_playbook(&catalog, &rel) {
            Ok(loaded) => {
                // The same checks render runs: a playbook render would refuse
                // for its lint errors is not "approved" here either.
                let found = crate::lint::check_playbook(
                    &catalog,
                    &catalog_settings.channels,
                    &settings,
                    &catalog_settings.trust,
                    &loaded,
                    &options,
                );
                let errors = catalog_settings
                    .diagnostics
                    .iter()
                    .chain(&found.diagnostics)
                    .filter(|d| d.is_error() && !d.code.starts_with("CP6"))
                    .count();
                let assessment = found.assessment;
                let (state, unreadable) = if errors > 0 {
                    (
                        "lint-errors",
                        Some(format!(
                            "{errors} lint error{}: render refuses it (run `crisis lint`)",
                            if errors == 1 { "" } else { "s" }
                        )),
                    )
                } else {
                    (overall(&assessment), None)
                };
                entries.push(Entry {
                    path: loaded.display.clone(),
                    id: Some(loaded.playbook.id.clone()),
                    title: Some(loaded.playbook.title.clone()),
                    owner: Some(loaded.playbook.owner.clone()),
                    state,
                    unreadable,
                    assessment: Some(assessment),
                });
            }
            Err(unloaded) => entries.push(Entry {
                path: catalog.display_path(rel.as_str()),
                id: None,
                title: None,
                owner: None,
                state: "unreadable",
                unreadable: Some(match unloaded.errors.first() {
                    Some(e) => format!("line {}: {} (run `crisis lint`)", e.span.line, e.message),
                    None => "cannot be read (run `crisis lint`)".to_owned(),
                }),
                assessment: None,
            }),
        }
    }
    match args.format {
        StatusFormat::Text => write_text(&entries, context, &trust, out)?,
        StatusFormat::Json => {
            let value = StatusJson {
                checked_at: context
                    .now
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                expiring_within_days: args.expiring_within,
                playbooks: entries.iter().map(|e| entry_json(e, context)).collect(),
            };
            serde_json::to_writer_pretty(&mut *out, &value)?;
            writeln!(out)?;
        }
    }
    Ok(Outcome::Success)
}

fn write_text(
    entries: &[Entry],
    context: &Context,
    trust: &Trust,
    out: &mut dyn Write,
) -> Result<()> {
    for entry in entries {
        let name = entry.id.as_deref().unwrap_or(&entry.path);
        let headline = match entry.state {
            "not-required" => "no approvals required".to_owned(),
            "approved" => "approved".to_owned(),
            "unreadable" => "UNREADABLE".to_owned(),
            state => format!("{} - needs action", state.to_uppercase()),
        };
        writeln!(out, "{name}: {headline}")?;
        writeln!(out, "  file: {}", entry.path)?;
        if let Some(owner) = &entry.owner {
            writeln!(out, "  owner: {owner}")?;
        }
        if let Some(reason) = &entry.unreadable {
            writeln!(out, "  {reason}")?;
        }
        let Some(assessment) = &entry.assessment else {
            writeln!(out)?;
            continue;
        };
        let width = assessment
            .roles
            .iter()
            .map(|r| r.role.chars().count())
            .max()
            .unwrap_or(0);
        for role in &assessment.roles {
            writeln!(
                out,
                "  {:<width$}  {:<8}  {}",
                role.role,
                role.state.name(),
                role_detail(role, context, trust)
            )?;
        }
        for extra in &assessment.unrequired {
            writeln!(
                out,
                "  (a record for '{}', which is not required, counts for nothing)",
                extra.role
            )?;
        }
        writeln!(out)?;
    }
    let count = |state: &str| entries.iter().filter(|e| e.state == state).count();
    let needing = entries.iter().filter(|e| e.needs_action()).count();
    writeln!(
        out,
        "{} playbook{}: {} approved, {} need{} action, {} require{} no approvals",
        entries.len(),
        if entries.len() == 1 { "" } else { "s" },
        count("approved"),
        needing,
        if needing == 1 { "s" } else { "" },
        count("not-required"),
        if count("not-required") == 1 { "s" } else { "" },
    )?;
    Ok(())
}

/// What a person needs to know about one role, in a line; for a signed
/// record (or in a catalog that checks signatures), whether its signature
/// proves it.
fn role_detail(role: &RoleApproval, context: &Context, trust: &Trust) -> String {
    let detail = state_detail(role, context);
    let shown = role.signature.is_some() || (trust.configured() && role.record.is_some());
    if !shown || role.state == RoleState::Missing {
        return detail;
    }
    match &role.signature {
        // The verdict names the signer and key where they matter.
        Some(_) if matches!(role.state, RoleState::Unverified { .. }) => {
            format!("{detail}; {}", role.signature_verdict())
        }
        Some(signed) => format!(
            "{detail}; {}: {}",
            assess::describe_signed(signed),
            role.signature_verdict()
        ),
        None => format!("{detail}; {}", role.signature_verdict()),
    }
}

fn state_detail(role: &RoleApproval, context: &Context) -> String {
    let record = role.describe_approval().unwrap_or_default();
    let left = role.ends.map(|end| assess::days_left(end, context.now));
    match &role.state {
        RoleState::Missing => "no approval yet".to_owned(),
        RoleState::Approved => match left {
            Some(days) => format!("{record} ({days} days left)"),
            None => record,
        },
        RoleState::Expiring { days } => format!("{record} - EXPIRES IN {days} DAYS"),
        RoleState::Expired => format!("{record} - EXPIRED"),
        RoleState::Stale { changes } => format!(
            "{} since the approval by {record}",
            assess::describe_changes(changes)
        ),
        RoleState::Unverified { .. } => record,
        RoleState::Invalid { reason } => reason.clone(),
    }
}

/// `crisis status --format json`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct StatusJson {
    /// The clock the approvals were checked against (RFC 3339, UTC).
    pub checked_at: String,
    pub expiring_within_days: i64,
    pub playbooks: Vec<PlaybookStatusJson>,
}

/// One playbook's approval state.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct PlaybookStatusJson {
    pub id: Option<String>,
    pub title: Option<String>,
    pub path: String,
    pub owner: Option<String>,
    /// The worst state: invalid, missing, stale, expired, expiring,
    /// approved, not-required, lint-errors (render refuses it) or
    /// unreadable.
    pub state: String,
    pub needs_action: bool,
    /// Why the file cannot be read, when it cannot.
    pub problem: Option<String>,
    pub roles: Vec<RoleStatusJson>,
    /// Roles with records that no rule requires.
    pub unrequired_roles: Vec<String>,
}

/// One required role's approval.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RoleStatusJson {
    pub role: String,
    pub state: String,
    pub by: Option<String>,
    pub at: Option<String>,
    pub until: Option<String>,
    pub days_left: Option<i64>,
    /// The files that changed since the approval, when it is stale.
    pub changed: Option<Vec<ChangeJson>>,
    pub problem: Option<String>,
    pub signature: Option<SignatureJson>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ChangeJson {
    pub path: String,
    /// changed, added or removed.
    pub change: String,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct SignatureJson {
    pub signer: String,
    pub algorithm: Option<String>,
    pub fingerprint: Option<String>,
    pub verified: bool,
    pub checked: bool,
}

fn entry_json(entry: &Entry, context: &Context) -> PlaybookStatusJson {
    let roles = entry
        .assessment
        .iter()
        .flat_map(|a| &a.roles)
        .map(|role| {
            let record = role.record.as_ref().map(|(_, r)| r);
            let changed = match &role.state {
                RoleState::Stale { changes } => Some(
                    changes
                        .iter()
                        .map(|c| ChangeJson {
                            path: c.path.clone(),
                            change: serde_json::to_value(c.kind)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_owned))
                                .unwrap_or_default(),
                        })
                        .collect(),
                ),
                _ => None,
            };
            RoleStatusJson {
                role: role.role.clone(),
                state: role.state.name().to_owned(),
                by: record.map(|r| r.by.clone()),
                at: record.map(|r| r.at.clone()),
                until: record.and_then(|r| r.until.clone()),
                days_left: role.ends.map(|end| assess::days_left(end, context.now)),
                changed,
                problem: role.problem(),
                signature: role.signature.as_ref().map(|signed| SignatureJson {
                    signer: signed.signer.clone(),
                    algorithm: signed.key.as_ref().map(|k| k.algorithm.clone()),
                    fingerprint: signed.key.as_ref().map(|k| k.fingerprint.clone()),
                    verified: signed.checked && !matches!(role.state, RoleState::Unverified { .. }),
                    checked: signed.checked,
                }),
            }
        })
        .collect();
    PlaybookStatusJson {
        id: entry.id.clone(),
        title: entry.title.clone(),
        path: entry.path.clone(),
        owner: entry.owner.clone(),
        state: entry.state.to_owned(),
        needs_action: entry.needs_action(),
        problem: entry.unreadable.clone(),
        roles,
        unrequired_roles: entry
            .assessment
            .iter()
            .flat_map(|a| &a.unrequired)
            .map(|r| r.role.clone())
            .collect(),
    }
}
