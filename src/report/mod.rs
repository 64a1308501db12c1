//! Lint reports: the same diagnostics for people (`human`), scripts
//! (`json`), GitHub Actions annotations (`github`) and code scanning
//! (`sarif`). Reports know nothing of YAML; they print what lint found.
//!
//! Paths and messages quote the catalog, which a hostile pull request
//! controls, and these reports are read by CI runners: every format escapes
//! what it prints ([`escape`] decides how).

pub mod escape;
mod github;
mod human;
mod sarif;

use clap::ValueEnum;
use std::io::{self, Write};

use crate::diagnostic::{self, Diagnostic};
use crate::lint::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path:line:col: error[CODE]: message` with the source line underneath.
    Human,
    /// An array of `{path, line, column, end_line, end_column, severity,
    /// code, message}`.
    Json,
    /// GitHub Actions workflow commands: annotations on the offending lines.
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
}

/// Writes `report` in `format`.
pub fn write(format: Format, report: &Report, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut diagnostics = report.diagnostics.clone();
    diagnostic::locate_ends(&mut diagnostics, &report.sources);
    match format {
        Format::Human => human::write(&diagnostics, report, color, out),
        Format::Json => json(&diagnostics, out),
        Format::Github => github::write(&diagnostics, out),
        Format::Sarif => sarif::write(&diagnostics, out),
    }
}

/// `path:line:col: severity[CODE]: message`, escaped, without colour: the
/// first line of a finding in the human report, for commands that mention
/// a finding in passing.
pub fn headline(d: &Diagnostic) -> String {
    human::headline(d, false)
}

fn json(diagnostics: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    let text = serde_json::to_string_pretty(diagnostics)?;
    writeln!(out, "{}", escape::json(&text))
}
