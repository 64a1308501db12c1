use crate::lint::rule::{declare_rule, Check};

declare_rule! {
    /// A value of the wrong type or form: a list where text is expected, a
    /// version that is not a whole number, a duration without a unit, an
    /// unknown field type, a number past its limit.
    ///
    /// ## Why it matters
    /// A value render cannot read stops the playbook when it is needed; one
    /// read as something else (60 seconds for "an hour") posts the wrong
    /// schedule.
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
