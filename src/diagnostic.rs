//! Findings: what lint reports and what output formats print.
//!
//! A diagnostic is plain data. Rules return them; they never print.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use crate::span::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One finding at one place in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Diagnostic {
    /// The file as the user would open it (relative to the working directory
    /// when the catalog is below it).
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// Where the finding ends: the line and column just past its last
    /// character, as SARIF counts them. Equal to `line` and `column` for a
    /// point, and until [`Diagnostic::locate_end`] has seen the file's text.
    pub end_line: usize,
    pub end_column: usize,
    pub severity: Severity,
    /// The stable rule code, such as `CP101`.
    pub code: &'static str,
    pub message: String,
    /// The span's byte offsets in the file's text (`start..end`), from
    /// which the end is located.
    #[serde(skip)]
    #[schemars(skip)]
    pub bytes: Range<usize>,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        severity: Severity,
        path: impl Into<String>,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            path: path.into(),
            line: span.line,
            column: span.col,
            end_line: span.line,
            end_column: span.col,
            severity,
            code,
            message: message.into(),
            bytes: span.start..span.end,
        }
    }

    /// Works out `end_line` and `end_column` from the span and `text`, the
    /// file at `path`.
    pub fn locate_end(&mut self, text: &str) {
        if let Some(range) = self.span_in(text) {
            let end = Span::at_offset(text, range.end);
            self.end_line = end.line;
            self.end_column = end.col;
        }
    }

    /// The bytes of `text` (the file at `path`) the finding is about: its
    /// span, or an empty range at `line:column` when the span cannot be
    /// placed in `text`.
    pub fn byte_range(&self, text: &str) -> Range<usize> {
        self.span_in(text).unwrap_or_else(|| {
            let at = Span::at_line_col(text, self.line, self.column).start;
            at..at
        })
    }

    /// The span as a range of `text`, without trailing blanks and line
    /// breaks (a YAML value's span runs on to the next token).
    ///
    /// `None` when the span does not start at `line:column` of `text`: it
    /// was measured in some other text (a template inside the playbook, a
    /// position reported by another parser), so its end would be wrong.
    fn span_in(&self, text: &str) -> Option<Range<usize>> {
        let Range { start, end } = self.bytes;
        let at = Span::at_offset(text, start);
        if (at.line, at.col, at.start) != (self.line, self.column, start) {
            return None;
        }
        let content = text.get(start..end.max(start).min(text.len()))?;
        Some(start..start + content.trim_end().len())
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Locates the end of each finding whose file's text is in `sources`
/// (keyed by the diagnostics' `path`).
pub fn locate_ends(diagnostics: &mut [Diagnostic], sources: &BTreeMap<String, String>) {
    for d in diagnostics {
        if let Some(text) = sources.get(&d.path) {
            d.locate_end(text);
        }
    }
}

/// Sorts findings by file and position, so reports are stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.path, b.line, b.column, b.code, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spanning(text: &str, needle: &str) -> Diagnostic {
        let start = text.find(needle).unwrap();
        let mut span = Span::at_offset(text, start);
        span.end = start + needle.len();
        Diagnostic::new("CP003", Severity::Error, "p.yaml", span, "m")
    }

    #[test]
    fn the_end_is_just_past_the_last_character() {
        let text = "id: x\nkey: 火事 🚒\n";
        let mut d = spanning(text, "火事 🚒");
        d.locate_end(text);
        assert_eq!((d.line, d.column, d.end_line, d.end_column), (2, 6, 2, 10));
        assert_eq!(&text[d.byte_range(text)], "火事 🚒");
    }

    #[test]
    fn trailing_blanks_and_line_breaks_are_not_part_of_a_finding() {
        let text = "a:\n  b: 1\n\nc: 2\n";
        let mut d = spanning(text, "b: 1\n\n");
        d.locate_end(text);
        assert_eq!((d.end_line, d.end_column), (2, 7));
    }

    #[test]
    fn a_point_ends_where_it_starts() {
        let text = "id: x\n";
        let mut d = Diagnostic::new("CP004", Severity::Error, "p.yaml", Span::FILE, "m");
        assert_eq!((d.end_line, d.end_column), (1, 1));
        d.locate_end(text);
        assert_eq!((d.end_line, d.end_column), (1, 1));
        let mut d = spanning(text, "x");
        d.bytes.end = d.bytes.start;
        d.locate_end(text);
        assert_eq!((d.end_line, d.end_column), (1, 5));
    }

    #[test]
    fn a_span_from_other_text_stays_a_point_at_its_position() {
        let text = "text: |\n  Call {{ phone }.\n";
        let span = Span {
            line: 2,
            col: 17,
            start: 6,
            end: text.len(),
        };
        let mut d = Diagnostic::new("CP204", Severity::Error, "p.yaml", span, "m");
        d.locate_end(text);
        assert_eq!((d.end_line, d.end_column), (2, 17));
        let at = text.find('}').unwrap();
        assert_eq!(d.byte_range(text), at..at);
    }

    #[test]
    fn the_end_is_serialised() {
        let text = "chanel: sms\n";
        let mut d = spanning(text, "chanel");
        d.locate_end(text);
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["end_line"], 1);
        assert_eq!(json["end_column"], 7);
        assert!(json.get("bytes").is_none());
    }
}
