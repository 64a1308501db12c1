use crate::lint::rule::{declare_rule, Check};

declare_rule! {
    /// A key the playbook format does not know, usually a typo.
    ///
    /// ## Why it matters
    /// A misspelt key is silently ignored by tools that do not check, so
    /// `max_segmnets: 2` would leave an SMS unchecked.
    ///
    /// ## Example
    /// ```yaml
    /// messages:
    ///   - id: announce-x
    ///     chanel: x
    /// ```
    ///
    /// ## Fix
    /// Use the suggested spelling (`channel`), or see `crisis schema`.
    "CP003", "unknown-key", Error, Check::Load,
}
