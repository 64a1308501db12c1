//! Whether an event's messages may go out: the one decision `open` and
//! `due` both read.
//!
//! At open, the playbook must pass lint (approval findings aside) and be
//! approved, unless released with `--override`. Afterwards, each follow-up
//! is checked against the content the event was opened with: if the
//! playbook's content digest is still the one recorded at open, the words
//! are the ones the approvers signed (or the override released), and they
//! go out even if an approval has lapsed since (the ledger says so). If the
//! content changed, the new words go out only once every required role
//! has approved them; until then each run refuses the message, loudly,
//! naming who must approve.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::record::{Clearance, EventRecord};
use crate::approval::{Assessment, ContentDigest};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::load::Loaded;

/// A playbook checked once per run.
pub struct Checked {
    pub loaded: Loaded,
    /// Lint errors, approval findings aside: a playbook with any is not used.
    pub errors: Vec<Diagnostic>,
    /// File text by displayed path, for reporting `errors`.
    pub sources: BTreeMap<String, String>,
    /// The approval state now.
    pub assessment: Assessment,
    /// The content digest now.
    pub digest: Result<ContentDigest, String>,
}

/// Lints and assesses `loaded` as render does, and digests its content.
pub fn check(
    catalog: &Catalog,
    catalog_settings: &crate::lint::CatalogSettings,
    loaded: Loaded,
    now: DateTime<Utc>,
) -> Checked {
    let options = crate::lint::Options {
        now,
        expiring_within_days: 0,
    };
    let found = crate::lint::check_playbook(
        catalog,
        &catalog_settings.channels,
        &catalog_settings.settings,
        &catalog_settings.trust,
        &loaded,
        &options,
    );
    let mut errors: Vec<Diagnostic> = catalog_settings.diagnostics.clone();
    errors.extend(found.diagnostics);
    errors.retain(|d| d.is_error() && !d.code.starts_with("CP6"));
    let mut sources: BTreeMap<String, String> = found.sources.into_iter().collect();
    sources.insert(loaded.display.clone(), loaded.text.clone());
    let digest = crate::approval::assess::current_digest(catalog, &loaded);
    Checked {
        loaded,
        errors,
        sources,
        assessment: found.assessment,
        digest,
    }
}

impl Checked {
    /// How the content stands for a new event: `Ok` with its clearance, or
    /// why it may not be opened.
    pub fn clearance(&self, override_given: bool) -> Result<Clearance, Refusal> {
        let id = &self.loaded.playbook.id;
        if let Err(reason) = &self.digest {
            return Err(Refusal::plain(format!(
                "'{id}': {reason}; run `crisis lint`"
            )));
        }
        match (self.assessment.required(), self.assessment.approved(), override_given) {
            (false, _, false) => Ok(Clearance::NotRequired),
            (true, true, false) => Ok(Clearance::Approved),
            (true, false, true) => Ok(Clearance::Override),
            (false, _, true) => Err(Refusal::plain(format!(
                "'{id}' requires no approval, so there is nothing to override; open it without --override"
            ))),
            (true, true, true) => Err(Refusal::plain(format!(
                "'{id}' is approved; open it without --override, so its messages are not marked NOT PRE-APPROVED"
            ))),
            (true, false, false) => Err(self.unapproved(format!("'{id}' is not approved for use"))),
        }
    }

    /// A refusal naming every role whose approval is missing, stale or
    /// expired, and how to record one.
    fn unapproved(&self, lead: String) -> Refusal {
        let id = &self.loaded.playbook.id;
        let mut reason = lead;
        let mut roles = Vec::new();
        for role in self.assessment.blocking() {
            if let Some(problem) = role.problem() {
                reason.push_str(&format!("; {problem}"));
            }
            roles.push(role.role.clone());
        }
        reason.push_str(&format!(
            ". Who must approve: {}. `crisis approve {id} --role ROLE --by \"NAME, TITLE\"` records it",
            roles.join(", ")
        ));
        Refusal { reason, roles }
    }

    /// Whether a message of `event` may go out now, and how its words were
    /// cleared.
    pub fn verdict(&self, event: &EventRecord) -> Result<Go, Refusal> {
        let id = &self.loaded.playbook.id;
        if let Some(first) = self.errors.first() {
            return Err(Refusal::plain(format!(
                "'{id}' has lint errors now ({}:{}:{}: {}{}); fix them and run `crisis lint`",
                first.path,
                first.line,
                first.column,
                first.message,
                match self.errors.len() {
                    1 => String::new(),
                    n => format!(", and {} more", n - 1),
                }
            )));
        }
        let digest = match &self.digest {
            Ok(digest) => &digest.digest,
            Err(reason) => return Err(Refusal::plain(format!("'{id}': {reason}"))),
        };
        let approved_now = self.assessment.approved();
        if *digest == event.digest {
            let note = match event.clearance {
                Clearance::Override => event
                    .override_
                    .as_ref()
                    .map(|o| o.mark())
                    .unwrap_or_default(),
                Clearance::NotRequired => "no approval required".to_owned(),
                Clearance::Approved if approved_now => {
                    "approved: the content is what the approvers signed".to_owned()
                }
                Clearance::Approved => {
                    let lapsed: Vec<String> = self
                        .assessment
                        .blocking()
                        .filter_map(|r| r.problem())
                        .collect();
                    format!(
                        "approved when the event opened; the approval lapsed since ({}), and the content is still what was approved, so it went out",
                        lapsed.join("; ")
                    )
                }
            };
            return Ok(Go {
                approved: event.clearance.approved(),
                note,
            });
        }
        // The words changed since the event opened.
        if event.clearance == Clearance::NotRequired && !self.assessment.required() {
            return Ok(Go {
                approved: None,
                note: "the content changed since the event opened; no approval required".to_owned(),
            });
        }
        if approved_now && self.assessment.required() {
            return Ok(Go {
                approved: Some(true),
                note: "the content changed since the event opened and was approved again"
                    .to_owned(),
            });
        }
        let mut refusal = self.unapproved(format!(
            "the content of '{id}' changed since event {} opened, and the new content needs fresh approval",
            event.id
        ));
        if refusal.roles.is_empty() {
            // Every role is valid but the policy no longer requires any: the
            // event was opened under approval, so changed words still need it.
            refusal.reason.push_str(" (the playbook no longer requires any approval, but the event was opened under approval: restore approvals_required)");
        }
        Err(refusal)
    }
}

/// Words cleared to go out.
#[derive(Debug, Clone)]
pub struct Go {
    /// `approved` in outputs: `null` when no approval is required, false
    /// for an override.
    pub approved: Option<bool>,
    /// How the words were cleared, in a sentence, for the ledger.
    pub note: String,
}

/// Why not.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub reason: String,
    /// The roles that must approve, if that is what it takes.
    pub roles: Vec<String>,
}

impl Refusal {
    pub fn new(reason: String) -> Refusal {
        Refusal::plain(reason)
    }

    fn plain(reason: String) -> Refusal {
        Refusal {
            reason,
            roles: Vec::new(),
        }
    }
}
