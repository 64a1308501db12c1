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
pub use digest::{compute, ContentDigest};

/// The mark every output of an unapproved playbook rendered with `--draft`
/// carries.
pub const DRAFT_MARK: &str = "DRAFT - NOT APPROVED";
