//! The report people read: each finding with its source line and a caret
//! under the column, then a count.

use std::io::{self, Write};

use crate::diagnostic::Severity;
use crate::lint::Report;
use crate::span::line_text;

pub fn write(report: &Report, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    };
    for d in &report.diagnostics {
        let label = match d.severity {
            Severity::Error => paint("1;31", &format!("error[{}]", d.code)),
            Severity::Warning => paint("1;33", &format!("warning[{}]", d.code)),
        };
        writeln!(
            out,
            "{}:{}:{}: {label}: {}",
            d.path, d.line, d.column, d.message
        )?;
        let source = report
            .sources
            .get(&d.path)
            .and_then(|text| line_text(text, d.line));
        if let Some(line) = source {
            let gutter = d.line.to_string();
            let pad = " ".repeat(gutter.len());
            // Tabs are shown as one space so the caret lines up.
            let shown: String = line
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            writeln!(out, "{pad} |")?;
            writeln!(out, "{gutter} | {}", shown.trim_end())?;
            writeln!(
                out,
                "{pad} | {}{}",
                " ".repeat(d.column.saturating_sub(1)),
                paint("1;36", "^")
            )?;
        }
    }
    let (errors, warnings) = (report.errors(), report.warnings());
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if errors + warnings == 0 {
        writeln!(
            out,
            "{} linted: no findings",
            plural(report.files, "playbook")
        )
    } else {
        writeln!(
            out,
            "{} linted: {}, {}",
            plural(report.files, "playbook"),
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}
