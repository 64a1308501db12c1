//! Lint reports: the same diagnostics for people (`human`), scripts
//! (`json`), GitHub Actions annotations (`github`) and code scanning
//! (`sarif`). Reports know nothing of YAML; they print what lint found.

mod github;
mod human;
mod sarif;

use clap::ValueEnum;
use std::io::{self, Write};

use crate::lint::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path:line:col: error[CODE]: message` with the source line underneath.
    Human,
    /// An array of `{path, line, column, severity, code, message}`.
    Json,
    /// GitHub Actions workflow commands: annotations on the offending lines.
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
}

/// Writes `report` in `format`.
pub fn write(format: Format, report: &Report, color: bool, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::write(report, color, out),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &report.diagnostics)?;
            writeln!(out)
        }
        Format::Github => github::write(report, out),
        Format::Sarif => sarif::write(report, out),
    }
}
