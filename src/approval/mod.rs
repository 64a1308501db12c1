//! Approvals pinned to content: what a role approved is recorded as a digest
//! of the words that would be posted, so an edit after approval, or an
//! approval past its date, is visible to lint, render and status.
//!
//! [`digest`] defines the canonical content and its digest; [`period`] reads
//! and computes approval dates; [`assess`] decides, per required role,
//! whether the playbook may be used; [`edit`] writes a record into the
//! playbook file without touching anything else; [`history`] finds the
//! approved version in git for `crisis diff`.
//!
//! Signed approvals prove who approved: [`signature`] defines the statement
//! a person signs and checks a record's OpenSSH signature; [`signers`] reads
//! the allowed signers and revoked keys files; [`trust`] loads them from
//! the catalog once per run; [`sign`] asks `ssh-keygen` for a signature.

pub mod assess;
pub mod digest;
pub mod edit;
pub mod history;
pub mod period;
pub mod sign;
pub mod signature;
pub mod signers;
pub mod trust;

pub use assess::{assess, Assessment, Change, ChangeKind, RoleState};
pub use signature::SignatureProblem;
pub use trust::Trust;

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
    problems.extend(signing_problems(settings));
    problems
}

/// What is wrong with the signing part of the policy: files that cannot be
/// catalog files, principals that are not principals, and signed approvals
/// nobody can give.
fn signing_problems(settings: &Settings) -> Vec<(Vec<PathSeg>, String)> {
    let policy = &settings.approvals;
    let mut problems = Vec::new();
    let at = |keys: &[PathSeg]| {
        let mut path = vec![PathSeg::Key("approvals".into())];
        path.extend_from_slice(keys);
        path
    };
    let key = |k: &str| PathSeg::Key(k.into());
    for (name, value) in [
        ("signers", &policy.signers),
        ("revoked_keys", &policy.revoked_keys),
    ] {
        if let Some(Err(problem)) = value.as_deref().map(crate::catalog::CatalogPath::trust) {
            problems.push((
                at(&[key(name)]),
                format!("{problem}; name a file inside the catalog, such as allowed_signers"),
            ));
        }
    }
    if policy.signed && policy.signers.is_none() {
        problems.push((
            at(&[key("signed")]),
            "signed approvals need an allowed signers file: add `signers: allowed_signers` (OpenSSH's allowed_signers format)".to_owned(),
        ));
    }
    if policy.signed && policy.roles.is_empty() {
        problems.push((
            at(&[key("signed")]),
            "signed approvals need `roles`: the principals who may approve for each role, such as `legal: [dana@example.org]`".to_owned(),
        ));
    }
    for (role, principals) in &policy.roles {
        for (index, principal) in principals.iter().enumerate() {
            let plain = !principal.is_empty()
                && principal.len() <= crate::limits::MAX_PRINCIPAL_BYTES
                && !principal.chars().any(|c| {
                    c.is_control() || c.is_whitespace() || matches!(c, ',' | '*' | '?' | '!')
                });
            if !plain {
                problems.push((
                    at(&[key("roles"), key(role), PathSeg::Index(index)]),
                    "a principal is one identity as allowed_signers names it, such as dana@example.org (no spaces, commas or wildcards)".to_owned(),
                ));
            }
        }
    }
    if policy.signed && !policy.roles.is_empty() {
        for (index, role) in policy.required.iter().enumerate() {
            if policy.roles.get(role).is_none_or(Vec::is_empty) {
                problems.push((
                    at(&[key("required"), PathSeg::Index(index)]),
                    format!(
                        "nobody may sign for '{role}': list its principals under approvals.roles"
                    ),
                ));
            }
        }
    }
    problems
}

pub use digest::{compute, ContentDigest};

/// The mark every output of an unapproved playbook rendered with `--draft`
/// carries.
pub const DRAFT_MARK: &str = "DRAFT - NOT APPROVED";
