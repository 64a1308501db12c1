//! Approvals pinned to content: what a role approved is recorded as a digest
//! of the words that would be posted, so an edit after approval, or an
//! approval past its date, is visible to lint, render and status.
//!
//! [`digest`] defines the canonical content and its digest; [`period`] reads
//! and computes approval dates; [`assess`] decides, per required role,
//! whether the playbook may be used; [`edit`] writes a record into the
//! playbook file without touching anything else; [`history`] finds the
//! approved version in git for `crisis diff`.

pub mod assess;
pub mod digest;
pub mod edit;
pub mod history;
pub mod period;

pub use assess::{assess, Assessment, Change, ChangeKind, RoleState};

use crate::settings::Settings;
use crate::yaml::PathSeg;

/// What is wrong with the catalog's approval policy, each at its key.
pub fn policy_problems(settings: &Settings) -> Vec<(Vec<PathSeg>, String)> {
    let mut problems = Vec::new();
    let at = |key: &str| vec![PathSeg::Key("approvals".into()), PathSeg::Key(key.into())];
    if let Err(reason) = assess::max_validity(settings) {
        problems.push((
            at("max_validity"),
            format!("{reason}; write it like 12mo or 2y"),
        ));
    }
    for (index, role) in settings.approvals.required.iter().enumerate() {
        if role.trim().is_empty() || role.chars().any(char::is_control) {
            let mut path = at("required");
            path.push(PathSeg::Index(index));
            problems.push((
                path,
                "a role is a name such as legal or communications".to_owned(),
            ));
        }
    }
    problems
}
pub use digest::{compute, ContentDigest};

/// The mark every output of an unapproved playbook rendered with `--draft`
/// carries.
pub const DRAFT_MARK: &str = "DRAFT - NOT APPROVED";
