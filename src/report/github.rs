//! GitHub Actions workflow commands, which GitHub shows as annotations on the
//! offending lines of a pull request.
//!
//! One line per finding. The runner's own escaping covers what would end the
//! command early or be misread (`%`, CR and LF; in properties also `:` and
//! `,`); anything else a log viewer or terminal would act on is shown as an
//! escape, as in every other format.

use std::io::{self, Write};

use super::escape;
use crate::diagnostic::{Diagnostic, Severity};

/// Escapes a message: `%`, CR and LF must be percent-encoded, or the
/// command ends early or is misread.
fn escape_data(text: &str) -> String {
    percent_escape(text, &['%', '\r', '\n'])
}

/// Escapes a property value, which also may not contain `:` or `,`.
fn escape_property(text: &str) -> String {
    percent_escape(text, &['%', '\r', '\n', ':', ','])
}

/// Percent-encodes `special` characters; the text between them is made
/// [`escape::visible`].
fn percent_escape(text: &str, special: &[char]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(special) {
        out.push_str(&escape::visible(&rest[..at]));
        let c = rest[at..].chars().next().unwrap_or_default();
        out.push_str(&format!("%{:02X}", u32::from(c)));
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(&escape::visible(rest));
    out
}

pub fn write(diagnostics: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // GitHub takes a column range on one line only, and counts its end
        // as the last column annotated, where `end_column` is just past it.
        let end_column = if d.end_line == d.line {
            format!(
                ",endColumn={}",
                d.end_column.saturating_sub(1).max(d.column)
            )
        } else {
            String::new()
        };
        writeln!(
            out,
            "::{command} file={},line={},endLine={},col={}{end_column},title={}::{}",
            escape_property(&d.path),
            d.line,
            d.end_line,
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
    use crate::span::Span;

    fn finding(path: &str, message: &str) -> Diagnostic {
        Diagnostic::new("CP003", Severity::Error, path, Span::FILE, message)
    }

    fn report(diagnostics: &[Diagnostic]) -> String {
        let mut out = Vec::new();
        write(diagnostics, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_what_would_break_a_workflow_command() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn other_control_characters_are_shown_not_sent() {
        assert_eq!(
            escape_data("red \u{1b}[31m\tbell\u{7}\u{9b}"),
            "red \\u{1b}[31m\\tbell\\u{7}\\u{9b}"
        );
        assert_eq!(escape_property("a\u{1b}:b"), "a\\u{1b}%3Ab");
    }

    #[test]
    fn a_hostile_message_stays_inside_its_own_command() {
        let text = report(&[finding(
            "playbooks/x.yaml",
            "bad\n::error file=x::pwned\r::warning::again %0A ##[error]old",
        )]);
        assert_eq!(
            text,
            "::error file=playbooks/x.yaml,line=1,endLine=1,col=1,endColumn=1,title=CP003 unknown-key::\
             bad%0A::error file=x::pwned%0D::warning::again %250A ##\\u{5b}error]old\n"
        );
    }

    #[test]
    fn a_hostile_path_cannot_add_properties_or_lines() {
        let text = report(&[finding(
            "playbooks/a,line=9::\n::error file=x::pwned\u{1b}[2J.yaml",
            "m",
        )]);
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(
            text.starts_with(
                "::error file=playbooks/a%2Cline=9%3A%3A%0A%3A%3Aerror file=x%3A%3Apwned\\u{1b}[2J.yaml,line=1,"
            ),
            "{text}"
        );
    }

    #[test]
    fn non_ascii_and_spaces_pass_through() {
        let text = report(&[finding(
            "playbooks/crème brûlée 火事.yaml",
            "héllo wörld 🚒",
        )]);
        assert!(
            text.contains("file=playbooks/crème brûlée 火事.yaml,"),
            "{text}"
        );
        assert!(text.ends_with("::héllo wörld 🚒\n"), "{text}");
    }
}
