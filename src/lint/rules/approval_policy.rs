use crate::lint::rule::{declare_rule, Check};

declare_rule! {
    /// The catalog's approval policy in `crisis.yaml` cannot be applied.
    ///
    /// ## Why it matters
    /// The policy is what makes "approved" mean the same across a catalog:
    /// every playbook needs the roles it lists, and no approval holds longer
    /// than `max_validity`. A policy that cannot be read protects nothing.
    ///
    /// ## Example
    /// ```yaml
    /// approvals: { required: [communications, legal], max_validity: forever }
    /// ```
    ///
    /// ## Fix
    /// `max_validity` is a period such as `12mo`, `90d` or `2y`; each role
    /// is a plain name.
    "CP607", "approval-policy", Error, Check::Load,
}
