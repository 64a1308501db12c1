use crate::lint::rule::{declare_rule, Check};

declare_rule! {
    /// The catalog's `crisis.yaml` defines a channel that cannot be used, such
    /// as a new channel without `counting` or `limit`.
    ///
    /// ## Why it matters
    /// Channel limits decide whether a message is ready to post; a broken
    /// override would make every check on that channel meaningless.
    ///
    /// ## Example
    /// ```yaml
    /// channels:
    ///   pager: { limit: 240 }        # a new channel needs `counting`
    /// ```
    ///
    /// ## Fix
    /// `pager: { counting: characters, limit: 240 }`
    "CP006", "channel-config", Error, Check::Load,
}
