use crate::lint::rule::{declare_rule, Check};

declare_rule! {
    /// A value of the wrong type or form: a list where text is expected, a
    /// version that is not a whole number, a duration without a unit, an
    /// unknown field type.
    ///
    /// ## Example
    /// ```yaml
    /// target: 60        # a number, not a duration
    /// ```
    ///
    /// ## Fix
    /// Write the value in the form the message names: `target: 1h`.
    "CP005", "invalid-value", Error, Check::Load,
}
