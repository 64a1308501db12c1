//! Every lint rule, one file each. [`ALL`] is the one list, in code order:
//! lint runs it, `crisis rules` and SARIF describe it, `docs/rules.md` is
//! generated from it. build.rs writes it from the files of this folder, so
//! a new rule is a new file here, with nothing else to register.

use super::rule::Rule;

// One module per file of this folder, and `ALL`, written by build.rs.
include!(concat!(env!("OUT_DIR"), "/lint_rules.rs"));

pub fn by_code(code: &str) -> Option<&'static Rule> {
    ALL.iter().find(|rule| rule.code == code)
}
