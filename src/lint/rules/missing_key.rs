use crate::lint::rule::{declare_rule, Check};

declare_rule! {
    /// A required key is missing (`id`, `title`, `version`, `owner`,
    /// `messages`; `channel` and `id` of a message; `type` of a field; ...).
    ///
    /// ## Why it matters
    /// Render cannot guess what a playbook leaves out.
    ///
    /// ## Example
    /// ```yaml
    /// messages:
    ///   - id: announce-x
    ///     template: helpline/announce-x.{lang}.j2
    /// ```
    /// (no `channel`).
    ///
    /// ## Fix
    /// Add the key; `crisis schema` lists every key and whether it is required.
    "CP004", "missing-key", Error, Check::Load,
}
