use crate::lint::rule::{declare_rule, Check};

declare_rule! {
    /// A catalog file cannot be read: missing, not UTF-8, or too large.
    ///
    /// ## Why it matters
    /// A playbook nobody can open is a playbook that is not there when the
    /// phones start ringing.
    ///
    /// ## Example
    /// A playbook saved as Latin-1 (`é` as the byte 0xE9), or a template
    /// that is a symlink to a file outside the catalog.
    ///
    /// ## Fix
    /// Save the file as UTF-8 text; keep playbooks and templates under 1 MiB.
    "CP001", "unreadable-file", Error, Check::Load,
}
