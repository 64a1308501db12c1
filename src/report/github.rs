//! GitHub Actions workflow commands, which GitHub shows as annotations on the
//! offending lines of a pull request.

use std::io::{self, Write};

use crate::diagnostic::Severity;
use crate::lint::Report;

/// Escapes a message: `%`, CR and LF must be percent-encoded, or the
/// command ends early or is misread.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value, which also may not contain `:` or `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for d in &report.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},title={}::{}",
            escape_property(&d.path),
            d.line,
            d.column,
            escape_property(&format!("{} {}", d.code, rule_name(d.code))),
            escape_data(&d.message)
        )?;
    }
    Ok(())
}

fn rule_name(code: &str) -> &'static str {
    crate::lint::rules::by_code(code).map_or("", |rule| rule.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_would_break_a_workflow_command() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
