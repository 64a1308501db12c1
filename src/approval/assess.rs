//! Whether a playbook may be used: for each required role, is there an
//! approval, does it match the content as it is now, and is it in date.
//!
//! The assessment is made once per playbook, here; lint rules, status,
//! render and approve read it and never decide again, so they can never
//! disagree about what "approved" means. Every record is assessed, required
//! or not: a record whose content changed is stale whatever
//! `approvals_required` says, so removing a role from the list and editing
//! the words cannot slip past. A record's signature is part of the same
//! decision: in a catalog that requires signed approvals, a record that is
//! not signed by a person holding its role is not an approval.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::digest::{self, ContentDigest};
use super::period::{Period, When};
use super::signature::{self, SignatureProblem, Signed};
use super::trust::Trust;
use crate::catalog::Catalog;
use crate::load::Loaded;
use crate::playbook::Approval;
use crate::settings::Settings;

/// How long an approval may hold when the catalog sets no `max_validity`.
pub const DEFAULT_MAX_VALIDITY: &str = "2y";

/// How far ahead of the clock an approval's date may be: clocks of the
/// approver's machine and CI's differ by minutes, not days.
pub const FUTURE_TOLERANCE_MINUTES: i64 = 60;

/// How one file differs from what was approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// Its content changed.
    Changed,
    /// The playbook uses it now but did not when approved.
    Added,
    /// It was approved but the playbook no longer uses it (or it is gone).
    Removed,
}

/// A file that differs from the approved content.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub path: String,
    pub kind: ChangeKind,
}

impl Change {
    /// `templates/a.es.j2 changed`, for a sentence.
    pub fn describe(&self) -> String {
        let what = match self.kind {
            ChangeKind::Changed => "changed",
            ChangeKind::Added => "is new",
            ChangeKind::Removed => "is no longer used",
        };
        format!("{} {what}", self.path)
    }
}

/// The files that differ, in a sentence; says so when the record lists no
/// per-file digests to compare with.
pub fn describe_changes(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "the content changed (the record has no per-file digests that tell which file; `crisis diff` shows it)".to_owned();
    }
    changes
        .iter()
        .map(Change::describe)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The state of one approval record (or of a required role without one),
/// ordered from best to worst: where a record is both stale and expired it
/// is stale, the one thing to fix first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RoleState {
    /// Valid: matches the content and is in date.
    Approved,
    /// Valid, but ends within the warning window.
    Expiring { days: i64 },
    /// Past its `until`.
    Expired,
    /// The content is no longer what was approved.
    Stale { changes: Vec<Change> },
    /// The signature does not prove who approved: missing where required,
    /// or not by a key the catalog trusts for a person holding the role.
    Unverified { problem: SignatureProblem },
    /// The record cannot be checked (bad date, bad digest, ...).
    Invalid { reason: String },
    /// No record for the role.
    Missing,
}

impl RoleState {
    /// Whether the role's approval allows using the playbook.
    pub fn is_valid(&self) -> bool {
        matches!(self, RoleState::Approved | RoleState::Expiring { .. })
    }

    /// A stable name for JSON: approved, expiring, expired, stale,
    /// unsigned, unverified, invalid, missing.
    pub fn name(&self) -> &'static str {
        match self {
            RoleState::Approved => "approved",
            RoleState::Expiring { .. } => "expiring",
            RoleState::Expired => "expired",
            RoleState::Stale { .. } => "stale",
            RoleState::Unverified { problem } if problem.is_unsigned() => "unsigned",
            RoleState::Unverified { .. } => "unverified",
            RoleState::Invalid { .. } => "invalid",
            RoleState::Missing => "missing",
        }
    }
}

/// One required role and its approval.
#[derive(Debug, Clone)]
pub struct RoleApproval {
    pub role: String,
    /// The record (the first one for the role) and its index in `approvals`.
    pub record: Option<(usize, Approval)>,
    pub state: RoleState,
    /// When the approval ends, if its `until` could be read.
    pub ends: Option<DateTime<Utc>>,
    /// The record's signature, when it carries one.
    pub signature: Option<Signed>,
}

impl RoleApproval {
    /// `Dana Reyes, Counsel on 2025-01-15, valid until 2026-01-15`, and
    /// for a signed record `, signed by dana@example.org (ssh-ed25519 key
    /// SHA256:...)`.
    pub fn describe_record(&self) -> Option<String> {
        let mut text = self.describe_approval()?;
        if let Some(signed) = &self.signature {
            text.push_str(&format!(", {}", describe_signed(signed)));
        }
        Some(text)
    }

    /// `Dana Reyes, Counsel on 2025-01-15, valid until 2026-01-15`.
    pub fn describe_approval(&self) -> Option<String> {
        let (_, record) = self.record.as_ref()?;
        let mut text = format!("{} on {}", record.by, human_date(&record.at));
        match &record.until {
            Some(until) => text.push_str(&format!(", valid until {}", human_date(until))),
            None => text.push_str(", no expiry date"),
        }
        Some(text)
    }

    /// The signature's state in a few words: `verified`, `NOT VERIFIED:
    /// why`, `not checked` (the catalog names no signers) or `unsigned`.
    pub fn signature_verdict(&self) -> String {
        match (&self.state, &self.signature) {
            (RoleState::Unverified { problem }, signed) => format!(
                "NOT VERIFIED: {}",
                problem.describe(&self.role, signed.as_ref().map(|s| s.signer.as_str()))
            ),
            (_, Some(signed)) if signed.checked => "verified".to_owned(),
            (_, Some(_)) => "not checked (crisis.yaml names no approvals.signers)".to_owned(),
            (_, None) => "unsigned".to_owned(),
        }
    }

    /// Why the role's approval does not allow use, in a sentence; `None`
    /// when it does.
    pub fn problem(&self) -> Option<String> {
        let (by, on) = self
            .record
            .as_ref()
            .map(|(_, r)| (r.by.clone(), human_date(&r.at)))
            .unwrap_or_default();
        match &self.state {
            RoleState::Approved | RoleState::Expiring { .. } => None,
            RoleState::Missing => Some(format!("{}: not approved", self.role)),
            RoleState::Expired => Some(format!(
                "{}: the approval by {by} on {on} expired{}",
                self.role,
                self.record
                    .as_ref()
                    .and_then(|(_, r)| r.until.as_deref())
                    .map(|u| format!(" (valid until {})", human_date(u)))
                    .unwrap_or_default()
            )),
            RoleState::Stale { changes } => Some(format!(
                "{}: the content changed since {by} approved it on {on}: {}",
                self.role,
                describe_changes(changes)
            )),
            RoleState::Unverified { problem } => Some(format!(
                "{}: the approval by {by} on {on} is not proven: {}",
                self.role,
                problem.describe(
                    &self.role,
                    self.signature.as_ref().map(|s| s.signer.as_str())
                )
            )),
            RoleState::Invalid { reason } => Some(format!("{}: {reason}", self.role)),
        }
    }
}

/// `signed by dana@example.org with ssh-ed25519 key SHA256:...`.
pub fn describe_signed(signed: &Signed) -> String {
    // A signature that could not be checked (no signers file, as in the
    // built-in examples) says so, so nobody reads it as proof.
    let unchecked = if signed.checked {
        ""
    } else {
        " (signature not checked)"
    };
    match &signed.key {
        Some(key) => format!("signed by {} with {key}{unchecked}", signed.signer),
        None => format!("signed by {}{unchecked}", signed.signer),
    }
}

/// The approval state of a whole playbook.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// One entry per required role (the playbook's `approvals_required`,
    /// then the catalog policy's), in that order.
    pub roles: Vec<RoleApproval>,
    /// Records for roles that are not required, each assessed all the same.
    pub unrequired: Vec<RoleApproval>,
}

impl Assessment {
    /// Whether the playbook is under approval at all: it requires roles,
    /// or carries records.
    pub fn required(&self) -> bool {
        !self.roles.is_empty() || !self.unrequired.is_empty()
    }

    /// Whether the playbook may be used: every required role has a valid
    /// approval, and no record is stale or unreadable.
    pub fn approved(&self) -> bool {
        self.blocking().next().is_none()
    }

    /// What stops the playbook from being used: required roles without a
    /// valid approval, and records for other roles that are stale or
    /// cannot be checked.
    pub fn blocking(&self) -> impl Iterator<Item = &RoleApproval> {
        self.roles
            .iter()
            .filter(|r| !r.state.is_valid())
            .chain(self.unrequired.iter().filter(|r| {
                matches!(
                    r.state,
                    RoleState::Stale { .. }
                        | RoleState::Unverified { .. }
                        | RoleState::Invalid { .. }
                )
            }))
    }

    /// Every assessed record, required or not, with its state.
    pub fn records(&self) -> impl Iterator<Item = &RoleApproval> {
        self.roles
            .iter()
            .chain(&self.unrequired)
            .filter(|r| r.record.is_some())
    }
}

/// The roles a playbook must be approved by: its own, then those the
/// catalog requires of every playbook.
pub fn required_roles(loaded: &Loaded, settings: &Settings) -> Vec<String> {
    let mut roles: Vec<String> = Vec::new();
    for role in loaded
        .playbook
        .approvals_required
        .iter()
        .chain(&settings.approvals.required)
    {
        if !roles.contains(role) {
            roles.push(role.clone());
        }
    }
    roles
}

/// The longest an approval may hold under the catalog's policy.
pub fn max_validity(settings: &Settings) -> Result<Period, String> {
    let text = settings
        .approvals
        .max_validity
        .as_deref()
        .unwrap_or(DEFAULT_MAX_VALIDITY);
    Period::parse(text).map_err(|e| format!("approvals.max_validity: {e}"))
}

/// Assesses `loaded`'s approvals against its content now, the catalog's
/// policy, whose signatures count in it (`trust`) and the clock.
pub fn assess(
    catalog: &Catalog,
    loaded: &Loaded,
    settings: &Settings,
    trust: &Trust,
    now: DateTime<Utc>,
    expiring_within_days: i64,
) -> Assessment {
    let playbook = &loaded.playbook;
    let required = required_roles(loaded, settings);
    // The digest is computed only when there is a record to compare it with.
    let content = if playbook.approvals.is_empty() {
        Err(String::new())
    } else {
        current_digest(catalog, loaded)
    };
    let limits = Limits {
        now,
        expiring_within_days,
        max_validity: max_validity(settings).ok(),
    };
    let assessed = |index: usize, record: &Approval| {
        let signed = When::parse(&record.at)
            .ok()
            .map(|at| signature::check(&playbook.id, record, at.start(), trust));
        let (signature, problem) = signed.unwrap_or_default();
        let (state, ends) = role_state(
            record,
            index,
            &playbook.approvals,
            &content,
            problem,
            &limits,
        );
        RoleApproval {
            role: record.role.clone(),
            record: Some((index, record.clone())),
            state,
            ends,
            signature,
        }
    };
    let mut roles = Vec::new();
    for role in &required {
        let found = playbook
            .approvals
            .iter()
            .enumerate()
            .find(|(_, a)| &a.role == role);
        roles.push(match found {
            Some((index, record)) => assessed(index, record),
            None => RoleApproval {
                role: role.clone(),
                record: None,
                state: RoleState::Missing,
                ends: None,
                signature: None,
            },
        });
    }
    let unrequired = playbook
        .approvals
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            // A second record for a required role is assessed here, so its
            // problem is reported too.
            !required.contains(&a.role)
                || playbook.approvals.iter().position(|b| b.role == a.role) != Some(*i)
        })
        .map(|(i, a)| assessed(i, a))
        .collect();
    Assessment { roles, unrequired }
}

/// The digest of the playbook's content as it is now.
pub fn current_digest(catalog: &Catalog, loaded: &Loaded) -> Result<ContentDigest, String> {
    digest::compute(loaded.rel.as_str(), &loaded.tree, &|path| {
        catalog.read(path).map_err(anyhow::Error::from)
    })
    .map_err(|err| format!("cannot compute the content digest: {err:#}"))
}

/// What a record's dates are checked against.
struct Limits {
    now: DateTime<Utc>,
    expiring_within_days: i64,
    max_validity: Option<Period>,
}

fn role_state(
    record: &Approval,
    index: usize,
    all: &[Approval],
    content: &Result<ContentDigest, String>,
    signature: Option<SignatureProblem>,
    limits: &Limits,
) -> (RoleState, Option<DateTime<Utc>>) {
    if let Some(reason) = record_problem(record, index, all) {
        return (RoleState::Invalid { reason }, None);
    }
    // Who approved comes before what they approved: an edited date, digest
    // or name shows as a signature that does not match the record.
    if let Some(problem) = signature {
        return (
            RoleState::Unverified { problem },
            ends(record).ok().flatten(),
        );
    }
    if let Some(reason) = date_problem(record, limits.now, limits.max_validity) {
        return (RoleState::Invalid { reason }, None);
    }
    let ends = match ends(record) {
        Ok(ends) => ends,
        Err(reason) => return (RoleState::Invalid { reason }, None),
    };
    let content = match content {
        Ok(content) => content,
        Err(reason) => {
            return (
                RoleState::Invalid {
                    reason: reason.clone(),
                },
                ends,
            )
        }
    };
    if let Some(changes) = changes(record, content) {
        return (RoleState::Stale { changes }, ends);
    }
    let state = match ends {
        Some(end) if end <= limits.now => RoleState::Expired,
        Some(end) => match days_left(end, limits.now) {
            days if days <= limits.expiring_within_days => RoleState::Expiring { days },
            _ => RoleState::Approved,
        },
        None => RoleState::Approved,
    };
    (state, ends)
}

/// What is wrong with a record's dates against the clock and the policy:
/// an approval dated in the future (beyond a small clock difference), one
/// without an end, or one that holds longer than the catalog allows.
pub fn date_problem(
    record: &Approval,
    now: DateTime<Utc>,
    max_validity: Option<Period>,
) -> Option<String> {
    let at = When::parse(&record.at).ok()?;
    if at.start() > now + chrono::Duration::minutes(FUTURE_TOLERANCE_MINUTES) {
        return Some(format!(
            "it is dated {}, in the future; an approval records a review that has happened: approve again with `crisis approve`",
            at.to_human()
        ));
    }
    let Some(until) = record.until.as_deref() else {
        return Some(
            "it has no `until`: approvals must end; approve again with `crisis approve`".to_owned(),
        );
    };
    let until = When::parse(until).ok()?;
    if let Some(longest) = max_validity.and_then(|p| at.plus(p)) {
        if until.end() > longest.end() {
            return Some(format!(
                "it holds until {}, longer than the catalog allows (approvals.max_validity, default {DEFAULT_MAX_VALIDITY}); approve again with a shorter --expires",
                until.to_human()
            ));
        }
    }
    None
}

/// Whole days from `now` to `end`, rounded down (0 on the last day).
pub fn days_left(end: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (end - now).num_days()
}

/// When the approval ends; `None` when the record has no `until`.
pub fn ends(record: &Approval) -> Result<Option<DateTime<Utc>>, String> {
    record
        .until
        .as_deref()
        .map(|until| {
            When::parse(until)
                .map(When::end)
                .map_err(|e| format!("cannot read `until`: {e}"))
        })
        .transpose()
}

/// What makes a record impossible to check, if anything: an unreadable
/// date, `until` not after `at`, a digest of the wrong form, a signer that
/// is not a principal, or a second record for a role (a role has one
/// record; re-approval replaces it).
pub fn record_problem(record: &Approval, index: usize, all: &[Approval]) -> Option<String> {
    // A record is shown in checklists and status: a line break or control
    // character in it could forge a line such as `- [x] Approved: ...`.
    for (key, value) in [
        ("role", record.role.as_str()),
        ("by", record.by.as_str()),
        ("at", record.at.as_str()),
        ("until", record.until.as_deref().unwrap_or_default()),
    ] {
        if value.chars().any(crate::text::is_unsafe) {
            return Some(format!(
                "`{key}` contains a line break or control character; remove the record and approve again with `crisis approve`"
            ));
        }
    }
    if let Some(first) = all.iter().position(|a| a.role == record.role) {
        if first < index {
            return Some(format!(
                "a second approval record for '{}' (the first is record {} of `approvals`); remove one and approve again",
                record.role,
                first + 1
            ));
        }
    }
    if let Some(problem) = signature::signer_problem(record) {
        return Some(format!("{problem}; sign again with `crisis approve --key`"));
    }
    if !digest::is_well_formed(&record.digest) {
        return Some(format!(
            "the digest '{}' is not `sha256:` and 64 hex digits; approve again with `crisis approve`",
            record.digest
        ));
    }
    for (path, file_digest) in &record.files {
        if !digest::is_well_formed(file_digest) {
            return Some(format!(
                "the digest of {path} is not `sha256:` and 64 hex digits; approve again with `crisis approve`"
            ));
        }
    }
    let listed: std::collections::BTreeMap<String, String> = record
        .files
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !listed.is_empty() && digest::overall(&listed) != record.digest {
        return Some(
            "the digest does not match the record's per-file digests (was the record edited by hand?); approve again with `crisis approve`"
                .to_owned(),
        );
    }
    let at = match When::parse(&record.at) {
        Ok(at) => at,
        Err(e) => return Some(format!("cannot read `at`: {e}")),
    };
    if let Some(until) = &record.until {
        match When::parse(until) {
            Ok(until) if until.end() <= at.start() => {
                return Some(format!(
                    "`until` ({}) is not after `at` ({})",
                    until.to_human(),
                    at.to_human()
                ))
            }
            Ok(_) => {}
            Err(e) => return Some(format!("cannot read `until`: {e}")),
        }
    }
    None
}

/// How the content differs from what `record` approved; `None` when it is
/// the same. An empty list means the overall digest differs but the
/// record's per-file digests cannot say where.
pub fn changes(record: &Approval, content: &ContentDigest) -> Option<Vec<Change>> {
    if record.digest == content.digest {
        return None;
    }
    let mut changes = Vec::new();
    for (path, now) in &content.files {
        match record.files.get(path) {
            Some(then) if then == now => {}
            Some(_) => changes.push(Change {
                path: path.clone(),
                kind: ChangeKind::Changed,
            }),
            None if !record.files.is_empty() => changes.push(Change {
                path: path.clone(),
                kind: ChangeKind::Added,
            }),
            None => {}
        }
    }
    for path in record.files.keys() {
        if !content.files.contains_key(path) {
            changes.push(Change {
                path: path.clone(),
                kind: ChangeKind::Removed,
            });
        }
    }
    Some(changes)
}

/// A record's date for people, or the text as written when unreadable.
pub fn human_date(text: &str) -> String {
    When::parse(text).map_or_else(|_| text.to_owned(), When::to_human)
}
