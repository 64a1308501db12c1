//! A lint baseline: the findings a team has accepted for now, so that a
//! catalog adopted with many old findings fails CI only on new ones.
//!
//! The baseline is the output of `crisis lint --format json`. A finding is
//! known when the baseline holds one with the same file, code and message;
//! lines and columns are ignored, so an edit above a known finding does not
//! bring it back. Each baseline entry hides at most one finding, so a
//! second copy of a known problem is new.
//!
//! A baseline only changes what lint reports. Render still refuses a
//! playbook with lint errors, hidden or not.

use anyhow::{Context as _, Result};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

use super::Report;
use crate::limits;

/// Accepted findings, counted by what identifies them.
#[derive(Debug, Default)]
pub struct Baseline {
    known: HashMap<Key, usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
struct Key {
    path: String,
    code: String,
    message: String,
}

/// What applying a baseline hid, and what it no longer needs.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied {
    pub hidden_errors: usize,
    pub hidden_warnings: usize,
    /// Baseline entries that matched no finding: fixed since, or written
    /// from another directory.
    pub stale: usize,
}

impl Baseline {
    /// Read a baseline written by `crisis lint --format json`.
    pub fn read(path: &Path) -> Result<Baseline> {
        let shown = shown(path);
        let bytes = crate::input::read_file(path, limits::MAX_BASELINE_BYTES, "the baseline")?;
        let text = String::from_utf8(bytes)
            .with_context(|| format!("the baseline {shown} is not UTF-8 text"))?;
        Baseline::parse(&text).with_context(|| {
            format!(
                "{shown} is not a lint baseline: a baseline is the output of `crisis lint --format json`"
            )
        })
    }

    /// Parse the JSON array of findings `crisis lint --format json` prints.
    pub fn parse(text: &str) -> Result<Baseline> {
        // PowerShell's `>` writes a byte order mark.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let entries: Vec<Key> = serde_json::from_str(text)?;
        let mut known = HashMap::new();
        for key in entries {
            *known.entry(normalise(key)).or_insert(0) += 1;
        }
        Ok(Baseline { known })
    }

    /// Remove known findings from `report`, keeping the rest in order.
    pub fn apply(mut self, report: &mut Report) -> Applied {
        let mut applied = Applied::default();
        report.diagnostics.retain(|d| {
            let key = normalise(Key {
                path: d.path.clone(),
                code: d.code.to_string(),
                message: d.message.clone(),
            });
            match self.known.get_mut(&key) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    if d.is_error() {
                        applied.hidden_errors += 1;
                    } else {
                        applied.hidden_warnings += 1;
                    }
                    false
                }
                _ => true,
            }
        });
        applied.stale = self.known.values().sum();
        applied
    }
}

/// A path as it may be printed: a file name with control characters must
/// not move the cursor or forge a line of output.
fn shown(path: &Path) -> String {
    path.display().to_string().escape_debug().to_string()
}

/// The same file written `./playbooks/a.yaml` or `playbooks\a.yaml` (a
/// baseline made on Windows) is one file.
fn normalise(mut key: Key) -> Key {
    key.path = key.path.replace('\\', "/");
    while let Some(rest) = key.path.strip_prefix("./") {
        key.path = rest.to_string();
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Severity};
    use crate::span::Span;

    fn report(findings: &[(&'static str, Severity, &str)]) -> Report {
        Report {
            diagnostics: findings
                .iter()
                .map(|(code, severity, message)| {
                    Diagnostic::new(code, *severity, "playbooks/a.yaml", Span::FILE, *message)
                })
                .collect(),
            sources: Default::default(),
            files: 1,
        }
    }

    #[test]
    fn each_entry_hides_one_finding_and_unmatched_entries_are_stale() {
        let baseline = Baseline::parse(
            r#"[
              {"path": "./playbooks/a.yaml", "line": 9, "column": 1, "code": "CP101", "message": "old"},
              {"path": "playbooks/a.yaml", "line": 3, "column": 1, "code": "CP202", "message": "fixed"}
            ]"#,
        )
        .unwrap();
        let mut report = report(&[
            ("CP101", Severity::Error, "old"),
            ("CP101", Severity::Error, "old"),
            ("CP301", Severity::Warning, "new"),
        ]);
        let applied = baseline.apply(&mut report);
        assert_eq!(
            applied,
            Applied {
                hidden_errors: 1,
                hidden_warnings: 0,
                stale: 1
            }
        );
        let left: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(left, ["CP101", "CP301"]);
    }

    #[test]
    fn a_file_that_is_not_lint_json_is_refused() {
        assert!(Baseline::parse("{}").is_err());
        assert!(Baseline::parse(r#"[{"path": "a"}]"#).is_err());
        assert!(Baseline::parse("[]").unwrap().known.is_empty());
    }
}
