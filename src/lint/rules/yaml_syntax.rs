use crate::lint::rule::{declare_rule, Check};

declare_rule! {
    /// The file is not valid YAML (or has duplicate keys, several documents,
    /// or aliases that expand too far).
    ///
    /// ## Why it matters
    /// A syntax error found in a crisis costs minutes nobody has; found in a
    /// pull request it costs nothing.
    ///
    /// ## Example
    /// ```yaml
    /// title: Free helpline: call now   # ': ' inside a plain value
    /// ```
    ///
    /// ## Fix
    /// Quote values that contain `: ` or start with a special character:
    /// `title: "Free helpline: call now"`.
    "CP002", "yaml-syntax", Error, Check::Load,
}
