//! The report people read: each finding's headline, `path:line:col:
//! error[CODE]: message` (which people and tests grep for), the source lines
//! it is about with the whole span underlined, then a count.
//!
//! The excerpt is drawn by `annotate-snippets`, which measures wide
//! characters (CJK, emoji) and tabs as a terminal shows them; the headline is
//! written here because the crate puts the location on a line of its own.
//! Paths, messages and source text are made inert first ([`escape`]), so a
//! finding is exactly its own lines whatever the catalog contains.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::io::{self, Write};
use std::ops::Range;

use super::escape;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::Report;

pub fn write(
    diagnostics: &[Diagnostic],
    report: &Report,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    for d in diagnostics {
        writeln!(out, "{}", headline(d, color))?;
        if let Some(text) = report.sources.get(&d.path) {
            if let Some(excerpt) = excerpt(d, text, color) {
                writeln!(out, "{excerpt}")?;
            }
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

/// `path:line:col: error[CODE]: message`, with the path and message escaped.
pub fn headline(d: &Diagnostic, color: bool) -> String {
    let label = match d.severity {
        Severity::Error => paint(color, "1;31", &format!("error[{}]", d.code)),
        Severity::Warning => paint(color, "1;33", &format!("warning[{}]", d.code)),
    };
    escape::line_start(format!(
        "{}:{}:{}: {label}: {}",
        escape::visible(&d.path),
        d.line,
        d.column,
        escape::visible(&d.message)
    ))
}

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// The line of `text` the finding starts on, numbered, with its span
/// underlined; `None` when its line is not in `text`.
///
/// A span over several lines (a whole message or approval record) is
/// underlined to the end of its first line and labelled with the line it
/// ends on: drawing all of it would repeat most of the record under every
/// finding about it.
fn excerpt(d: &Diagnostic, text: &str, color: bool) -> Option<String> {
    let mut range = d.byte_range(text);
    let mut label = None;
    if let Some(first) = text.get(range.clone()).and_then(|t| t.find('\n')) {
        range.end = range.start + text[range.start..range.start + first].trim_end().len();
        label = Some(format!("continues to line {}", d.end_line));
    }
    let (line, line_start, number) = line_around(text, &range)?;
    // The excerpt is the escaped line; the underline follows the escapes.
    let (shown, map) = escape::visible_mapped(line);
    let at = |offset: usize| map[(offset - line_start).min(line.len())];
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let group = Group::with_level(level).element(
        Snippet::source(shown.as_str())
            .line_start(number)
            .annotation(
                AnnotationKind::Primary
                    .span(at(range.start)..at(range.end))
                    .label(label),
            ),
    );
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    Some(renderer.render(&[group]))
}

/// The line of `text` that holds `range` (which does not cross a line
/// break), without its line break (LF or CR LF); where it starts; and its
/// number.
fn line_around<'a>(text: &'a str, range: &Range<usize>) -> Option<(&'a str, usize, usize)> {
    if range.end > text.len() || !text.is_char_boundary(range.start) {
        return None;
    }
    let start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |i| range.end + i);
    let line = &text[start..end];
    let number = text[..start].matches('\n').count() + 1;
    Some((line.strip_suffix('\r').unwrap_or(line), start, number))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;
    use std::collections::BTreeMap;

    /// The human report of one finding on `text` at `path`, spanning
    /// `needle` (its first occurrence), or the whole file when `needle` is
    /// empty.
    fn report_on(path: &str, text: &str, needle: &str, message: &str) -> String {
        let start = text.find(needle).expect("needle in text");
        let mut span = Span::at_offset(text, start);
        span.end = start + needle.len();
        let d = Diagnostic::new("CP003", Severity::Error, path, span, message);
        render(
            vec![d],
            BTreeMap::from([(path.to_owned(), text.to_owned())]),
        )
    }

    fn render(diagnostics: Vec<Diagnostic>, sources: BTreeMap<String, String>) -> String {
        render_in_colour(diagnostics, sources, false)
    }

    fn render_in_colour(
        mut diagnostics: Vec<Diagnostic>,
        sources: BTreeMap<String, String>,
        color: bool,
    ) -> String {
        crate::diagnostic::locate_ends(&mut diagnostics, &sources);
        let report = Report {
            diagnostics: diagnostics.clone(),
            sources,
            files: 1,
        };
        let mut out = Vec::new();
        write(&diagnostics, &report, color, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Every line a CI runner could take for a command, or that a terminal
    /// would act on.
    fn assert_inert(output: &str) {
        for line in output.split('\n') {
            assert!(
                !line.trim_start().starts_with("::"),
                "forged command: {line:?}"
            );
            assert!(!line.contains("##["), "forged legacy command: {line:?}");
            assert!(!line.contains("##vso["), "forged Azure command: {line:?}");
            assert!(
                !line.chars().any(char::is_control),
                "control character: {line:?}"
            );
        }
    }

    #[test]
    fn the_whole_span_is_underlined() {
        let out = report_on(
            "p.yaml",
            "id: x\n    chanel: sms\n",
            "chanel",
            "unknown key",
        );
        assert_eq!(
            out,
            "p.yaml:2:5: error[CP003]: unknown key\n  |\n2 |     chanel: sms\n  |     ^^^^^^\n1 playbook linted: 1 error, 0 warnings\n"
        );
    }

    #[test]
    fn wide_characters_are_underlined_at_their_display_width() {
        let out = report_on("p.yaml", "title: 火事 🚒 alert\n", "火事 🚒", "m");
        // Each of the three wide characters takes two columns.
        assert!(
            out.contains("1 | title: 火事 🚒 alert\n  |        ^^^^^^^\n"),
            "{out}"
        );
    }

    #[test]
    fn tabs_are_expanded_and_the_underline_follows() {
        let out = report_on("p.yaml", "\tkey:\tvalue\n", "value", "m");
        assert!(
            out.contains("1 |     key:    value\n  |             ^^^^^\n"),
            "{out}"
        );
    }

    #[test]
    fn a_point_gets_one_caret() {
        let out = report_on("p.yaml", "id: x\n", "", "m");
        assert!(out.contains("1 | id: x\n  | ^\n"), "{out}");
    }

    #[test]
    fn a_span_over_several_lines_is_underlined_on_its_first() {
        let text = "approvals:\n  - role: legal\n    by: Dana\n";
        let out = report_on("p.yaml", text, "role: legal\n    by: Dana\n", "m");
        assert!(
            out.contains("2 |   - role: legal\n  |     ^^^^^^^^^^^ continues to line 3\n"),
            "{out}"
        );
    }

    #[test]
    fn crlf_files_show_no_carriage_returns() {
        let out = report_on("p.yaml", "id: x\r\nkey: v\r\n", "key", "m");
        assert!(out.contains("2 | key: v\n  | ^^^\n"), "{out}");
    }

    #[test]
    fn a_span_measured_in_other_text_is_shown_at_its_position() {
        // Inline templates carry the YAML scalar's byte range with the
        // template's own line and column.
        let text = "text: |\n  Call {{ phone }.\n";
        let span = Span {
            line: 2,
            col: 17,
            start: 6,
            end: text.len(),
        };
        let d = Diagnostic::new("CP204", Severity::Error, "p.yaml", span, "syntax");
        let out = render(vec![d], BTreeMap::from([("p.yaml".into(), text.into())]));
        assert!(
            out.starts_with("p.yaml:2:17: error[CP204]: syntax\n  |\n2 |   Call {{ phone }.\n  |                 ^\n"),
            "{out}"
        );
    }

    #[test]
    fn a_hostile_message_stays_on_its_line() {
        let out = report_on(
            "p.yaml",
            "id: x\n",
            "id",
            "x\n::error file=x::pwned\r::warning::y\u{1b}[2K\u{1b}]8;;x\u{7} ##[error]z %0A ##vso[task]",
        );
        assert_inert(&out);
        assert_eq!(
            out.lines().next().unwrap(),
            "p.yaml:1:1: error[CP003]: x\\n::error file=x::pwned\\r::warning::y\\u{1b}[2K\\u{1b}]8;;x\\u{7} ##\\u{5b}error]z %0A ##vso\\u{5b}task]"
        );
        assert_eq!(out.lines().count(), 5, "{out}");
    }

    #[test]
    fn a_hostile_path_stays_on_its_line() {
        let path = "::error file=x::pwned\n::warning::y\r\u{1b}[31m ##[group]é .yaml";
        let out = report_on(path, "id: x\n", "x", "m");
        assert_inert(&out);
        assert!(
            out.starts_with(
                "\\u{3a}:error file=x::pwned\\n::warning::y\\r\\u{1b}[31m ##\\u{5b}group]é .yaml:1:5: error[CP003]: m\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn hostile_source_text_is_shown_escaped_and_underlined_whole() {
        let text = "title: \"a\u{1b}[31mb\"\nx: ##[error]pwned\u{202e}\n";
        let out = report_on("p.yaml", text, "\"a\u{1b}[31mb\"", "m");
        assert_inert(&out);
        assert!(
            out.contains("1 | title: \"a\\u{1b}[31mb\"\n  |        ^^^^^^^^^^^^^^\n"),
            "{out}"
        );
        let out = report_on("p.yaml", text, "##[error]", "m");
        assert_inert(&out);
        assert!(
            out.contains("2 | x: ##\\u{5b}error]pwned\\u{202e}\n  |    ^^^^^^^^^^^^^^\n"),
            "{out}"
        );
    }

    #[test]
    fn the_headline_is_escaped_for_other_commands_too() {
        let d = Diagnostic::new("CP002", Severity::Error, "a\nb", Span::FILE, "c\u{1b}d");
        assert_eq!(
            crate::report::headline(&d),
            "a\\nb:1:1: error[CP002]: c\\u{1b}d"
        );
    }

    #[test]
    fn colour_changes_nothing_but_the_colour() {
        let text = "id: x\n  火事: \u{1b}[31m\n";
        let needle = "火事: \u{1b}[31m";
        let start = text.find(needle).unwrap();
        let mut span = Span::at_offset(text, start);
        span.end = start + needle.len();
        let d = Diagnostic::new("CP003", Severity::Warning, "p.yaml", span, "m\u{1b}");
        let sources = BTreeMap::from([("p.yaml".to_owned(), text.to_owned())]);
        let plain = render_in_colour(vec![d.clone()], sources.clone(), false);
        let coloured = render_in_colour(vec![d], sources, true);
        assert_ne!(plain, coloured);
        assert_eq!(without_colour(&coloured), plain);
    }

    /// `text` without SGR sequences (`ESC [ ... m`), the only escapes
    /// colour may add.
    fn without_colour(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find("\u{1b}[") {
            out.push_str(&rest[..at]);
            let end = rest[at..].find('m').expect("an SGR sequence ends in m");
            rest = &rest[at + end + 1..];
        }
        out.push_str(rest);
        out
    }
}
