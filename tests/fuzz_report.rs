//! Reports on arbitrary (and deliberately hostile) paths, messages and file
//! text: whatever a pull request puts in the catalog, each finding stays its
//! own line(s), no line reads as a CI command, and the machine formats keep
//! the exact text.

use std::collections::BTreeMap;

use crisis::diagnostic::{Diagnostic, Severity};
use crisis::lint::Report;
use crisis::report::{self, escape, Format};
use crisis::span::Span;
use proptest::prelude::*;

/// Text built from pieces CI runners and terminals react to, mixed with
/// arbitrary characters.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\n".to_owned()),
        Just("\r".to_owned()),
        Just("\r\n".to_owned()),
        Just("::error file=x,line=1::pwned".to_owned()),
        Just("::".to_owned()),
        Just("##[error]".to_owned()),
        Just("##".to_owned()),
        Just("[".to_owned()),
        Just("##vso[task.complete]".to_owned()),
        Just("\u{1b}[31m".to_owned()),
        Just("\u{1b}]8;;x\u{7}".to_owned()),
        Just("%0A".to_owned()),
        Just("%".to_owned()),
        Just(",:".to_owned()),
        Just(" ".to_owned()),
        Just("\t".to_owned()),
        Just("\u{85}\u{9b}\u{2028}\u{202e}".to_owned()),
        Just("é火🚒".to_owned()),
        any::<char>().prop_map(String::from),
        "[a-z/.]{1,8}",
    ];
    proptest::collection::vec(piece, 0..10).prop_map(|pieces| pieces.concat())
}

/// A finding: its path, its message, the file's text and where in it.
#[derive(Debug, Clone)]
struct Case {
    path: String,
    message: String,
    text: String,
    start: usize,
    end: usize,
}

fn case() -> impl Strategy<Value = Case> {
    (
        hostile_text(),
        hostile_text(),
        hostile_text(),
        any::<usize>(),
        any::<usize>(),
    )
        .prop_map(|(path, message, text, a, b)| {
            let boundaries: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            let (a, b) = (
                boundaries[a % boundaries.len()],
                boundaries[b % boundaries.len()],
            );
            Case {
                path,
                message,
                text,
                start: a.min(b),
                end: a.max(b),
            }
        })
}

/// The report of `cases` in `format`. Each case gets its own file, so two
/// cases with the same path share its first text.
fn render(cases: &[Case], format: Format) -> String {
    let mut sources = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for c in cases {
        let text: &String = sources.entry(c.path.clone()).or_insert(c.text.clone());
        let (start, end) = if text == &c.text {
            (c.start, c.end)
        } else {
            (0, 0)
        };
        let mut span = Span::at_offset(text, start);
        span.end = end;
        diagnostics.push(Diagnostic::new(
            "CP003",
            Severity::Error,
            c.path.clone(),
            span,
            c.message.clone(),
        ));
    }
    let report = Report {
        diagnostics,
        sources,
        files: cases.len(),
    };
    let mut out = Vec::new();
    report::write(format, &report, false, &mut out).unwrap();
    String::from_utf8(out).expect("reports are UTF-8")
}

/// No line of `output` may carry a command for a CI runner or a terminal.
/// `own_commands` is true for the GitHub format, whose lines are commands.
fn assert_inert(output: &str, own_commands: bool) -> Result<(), TestCaseError> {
    let body = output.strip_suffix('\n').unwrap_or(output);
    for line in body.split('\n') {
        prop_assert!(
            !line.chars().any(char::is_control),
            "control character in {line:?}"
        );
        prop_assert!(!line.contains("##["), "legacy command in {line:?}");
        prop_assert!(!line.contains("##vso["), "Azure command in {line:?}");
        if own_commands {
            // The properties end at the first `::` after the command name, so
            // a path can neither end them early nor add one.
            let properties = line
                .strip_prefix("::error ")
                .and_then(|rest| rest.split_once("::"))
                .map(|(properties, _)| properties);
            prop_assert!(
                properties.is_some_and(|p| p.starts_with("file=")
                    && p.ends_with(",title=CP003 unknown-key")
                    && p.matches(",line=").count() == 1),
                "not one of ours: {line:?}"
            );
        } else {
            prop_assert!(
                !line.trim_start().starts_with("::"),
                "workflow command in {line:?}"
            );
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn human_output_has_one_headline_per_finding(cases in proptest::collection::vec(case(), 1..4)) {
        let output = render(&cases, Format::Human);
        assert_inert(&output, false)?;
        let lines: Vec<&str> = output.split('\n').collect();
        // Each finding: its headline, then its line with a gutter, between
        // two gutter-only lines; then the count and the final newline.
        prop_assert_eq!(lines.len(), cases.len() * 4 + 2, "{}", output);
        let headlines = lines.iter().filter(|l| {
            cases.iter().any(|c| {
                l.starts_with(&escape::line_start(format!("{}:", escape::visible(&c.path))))
                    && l.contains(": error[CP003]: ")
            })
        });
        prop_assert_eq!(headlines.count(), cases.len(), "{}", output);
        for finding in lines[..cases.len() * 4].chunks(4) {
            let gutter = |l: &str| l.trim_start().starts_with('|')
                || l.trim_start().trim_start_matches(|c: char| c.is_ascii_digit()).starts_with(" |");
            prop_assert!(finding[1..].iter().all(|l| gutter(l)), "{}", output);
        }
    }

    #[test]
    fn github_output_is_one_command_per_finding(cases in proptest::collection::vec(case(), 1..4)) {
        let output = render(&cases, Format::Github);
        assert_inert(&output, true)?;
        prop_assert_eq!(output.split('\n').count(), cases.len() + 1);
    }

    #[test]
    fn sarif_output_is_json_that_keeps_the_exact_text(cases in proptest::collection::vec(case(), 1..4)) {
        let output = render(&cases, Format::Sarif);
        assert_inert(&output, false)?;
        let sarif: serde_json::Value = serde_json::from_str(&output).expect("valid JSON");
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        prop_assert_eq!(results.len(), cases.len());
        for (result, c) in results.iter().zip(&cases) {
            prop_assert_eq!(result["message"]["text"].as_str(), Some(c.message.as_str()));
            let location = &result["locations"][0]["physicalLocation"];
            let uri = location["artifactLocation"]["uri"].as_str().unwrap();
            prop_assert!(uri.bytes().all(|b| b.is_ascii_graphic()), "{}", uri);
            let relative = if c.path.starts_with('/') {
                uri.strip_prefix("file://").unwrap()
            } else {
                uri
            };
            let decoded = percent_encoding::percent_decode_str(relative).decode_utf8().unwrap();
            prop_assert_eq!(decoded, c.path.as_str());
            let region = &location["region"];
            let start = (region["startLine"].as_u64(), region["startColumn"].as_u64());
            let end = (region["endLine"].as_u64(), region["endColumn"].as_u64());
            prop_assert!(end >= start, "{}", region);
        }
    }

    #[test]
    fn json_output_keeps_the_exact_text(cases in proptest::collection::vec(case(), 1..4)) {
        let output = render(&cases, Format::Json);
        assert_inert(&output, false)?;
        let findings: Vec<serde_json::Value> = serde_json::from_str(&output).expect("valid JSON");
        prop_assert_eq!(findings.len(), cases.len());
        for (finding, c) in findings.iter().zip(&cases) {
            prop_assert_eq!(finding["path"].as_str(), Some(c.path.as_str()));
            prop_assert_eq!(finding["message"].as_str(), Some(c.message.as_str()));
        }
    }
}
