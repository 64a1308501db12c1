//! SARIF 2.1.0, the format GitHub code scanning uploads.
//!
//! Only the part of SARIF this report uses is modelled, as plain serde
//! structs: every rule with its descriptions (from its doc comment) and a
//! link to its section of the rules page, and one result per finding with
//! its whole region.
//!
//! The links to the rules page and the README are relative references, so
//! the report names no host.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use std::io::{self, Write};

use super::escape;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::rule::Rule;
use crate::lint::rules::ALL;

/// The generated rules page; each rule is a section of it.
const RULES_PAGE: &str = "docs/rules.md";

/// Where the project's files are published: the `repository` key of
/// Cargo.toml. SARIF requires `helpUri` and `informationUri` to be
/// absolute, so without it they are left out (each rule's whole text is
/// in `help` anyway).
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    /// Columns count characters, as in every other report, not the UTF-16
    /// units some viewers assume.
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<String>,
    rules: Vec<RuleDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    /// Just past the last character, so a point has `end == start`.
    end_line: usize,
    end_column: usize,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// What RFC 3986 lets stand unencoded in a path: unreserved characters and
/// the `/` between segments. Everything else is encoded: spaces, `%`, `#`,
/// `?`, `:` (which in a first segment would read as a scheme) and every
/// non-ASCII byte.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A finding's path as a URI reference: a relative path stays relative (to
/// the working directory, in CI the checkout's root, where code scanning
/// looks for it); an absolute path, which only a catalog outside the working
/// directory yields, becomes a `file:` URI.
fn artifact_uri(path: &str) -> String {
    let encoded = utf8_percent_encode(path, PATH_SEGMENT).to_string();
    if path.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

/// The published file at `path` of this version, when the repository is
/// known.
fn published(repository: &str, path: &str) -> Option<String> {
    let base = repository.trim_end_matches('/');
    base.starts_with("https://")
        .then(|| format!("{base}/blob/v{}/{path}", env!("CARGO_PKG_VERSION")))
}

/// The rule's section of the rules page, by the anchor the page's own index
/// links to.
fn help_uri(repository: &str, rule: &Rule) -> Option<String> {
    published(repository, &format!("{RULES_PAGE}#{}", anchor(rule)))
}

fn anchor(rule: &Rule) -> String {
    format!("{}-{}", rule.code.to_ascii_lowercase(), rule.name)
}

pub fn write(diagnostics: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    let rules = ALL
        .iter()
        .map(|rule| RuleDescriptor {
            id: rule.code,
            name: rule.name,
            short_description: Text {
                text: rule.summary(),
            },
            full_description: Text { text: rule.body() },
            help: Help {
                text: rule.body(),
                markdown: rule.body(),
            },
            help_uri: help_uri(REPOSITORY, rule),
            default_configuration: Configuration {
                level: level(rule.severity),
            },
        })
        .collect();
    let results = diagnostics
        .iter()
        .map(|d| SarifResult {
            rule_id: d.code,
            rule_index: ALL.iter().position(|r| r.code == d.code).unwrap_or(0),
            level: level(d.severity),
            message: Text {
                text: d.message.clone(),
            },
            locations: vec![Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: artifact_uri(&d.path),
                    },
                    region: region(d),
                },
            }],
        })
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "crisis",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: published(REPOSITORY, "README.md"),
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let text = serde_json::to_string_pretty(&log)?;
    writeln!(out, "{}", escape::json(&text))
}

/// SARIF positions start at 1, and an end may not come before its start.
fn region(d: &Diagnostic) -> Region {
    let start = (d.line.max(1), d.column.max(1));
    let end = (d.end_line, d.end_column).max(start);
    Region {
        start_line: start.0,
        start_column: start.1,
        end_line: end.0,
        end_column: end.1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    fn sarif(diagnostics: &[Diagnostic]) -> (String, serde_json::Value) {
        let mut out = Vec::new();
        write(diagnostics, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let value = serde_json::from_str(&text).expect("SARIF is JSON");
        (text, value)
    }

    fn finding(path: &str, message: &str) -> Diagnostic {
        Diagnostic::new("CP003", Severity::Error, path, Span::FILE, message)
    }

    #[test]
    fn artifact_uris_are_encoded_relative_references() {
        assert_eq!(artifact_uri("playbooks/a.yaml"), "playbooks/a.yaml");
        assert_eq!(
            artifact_uri("playbooks/my file #2?.yaml"),
            "playbooks/my%20file%20%232%3F.yaml"
        );
        assert_eq!(artifact_uri("playbooks/100%.yaml"), "playbooks/100%25.yaml");
        assert_eq!(
            artifact_uri("playbooks/火事.yaml"),
            "playbooks/%E7%81%AB%E4%BA%8B.yaml"
        );
        assert_eq!(artifact_uri("c:/x.yaml"), "c%3A/x.yaml");
        assert_eq!(
            artifact_uri("/srv/catalog/a b.yaml"),
            "file:///srv/catalog/a%20b.yaml"
        );
    }

    #[test]
    fn every_rule_links_to_its_section_of_the_rules_page() {
        let page = include_str!("../../docs/rules.md");
        for rule in ALL {
            let anchor = anchor(rule);
            assert!(
                page.contains(&format!("](#{anchor})")),
                "docs/rules.md has no link to #{anchor}"
            );
            assert!(page.contains(&format!("\n## {} {}\n", rule.code, rule.name)));
        }
        let version = env!("CARGO_PKG_VERSION");
        assert_eq!(
            help_uri(
                "https://example.org/crisis/",
                &crate::lint::rules::duplicate_id::RULE
            ),
            Some(format!(
                "https://example.org/crisis/blob/v{version}/docs/rules.md#cp101-duplicate-id"
            ))
        );
        // SARIF requires absolute links: none rather than a relative one.
        assert_eq!(help_uri("", &crate::lint::rules::duplicate_id::RULE), None);
    }

    #[test]
    fn a_region_has_an_end() {
        let text = "id: x\nchanel: 1\n";
        let mut d = Diagnostic::new(
            "CP003",
            Severity::Error,
            "p.yaml",
            Span {
                line: 2,
                col: 1,
                start: 6,
                end: 12,
            },
            "m",
        );
        d.locate_end(text);
        let (_, value) = sarif(&[d]);
        let result = &value["runs"][0]["results"][0];
        assert_eq!(
            result["locations"][0]["physicalLocation"]["region"],
            serde_json::json!({"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 7})
        );
        assert_eq!(value["runs"][0]["columnKind"], "unicodeCodePoints");
    }

    #[test]
    fn hostile_text_round_trips_and_forges_no_line() {
        let path = "playbooks/x\n::error file=x::pwned\r##[error]y\u{1b}[31m %0A é.yaml";
        let message = "m\n::error file=x::pwned\r\n##[warning]z\u{1b}]8;;\u{7}\u{9b}\u{2028}";
        let (text, value) = sarif(&[finding(path, message)]);
        let result = &value["runs"][0]["results"][0];
        assert_eq!(result["message"]["text"], message);
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(uri.bytes().all(|b| b.is_ascii_graphic()), "{uri}");
        assert_eq!(
            percent_encoding::percent_decode_str(uri)
                .decode_utf8()
                .unwrap(),
            path
        );
        for line in text.lines() {
            let line = line.trim_start();
            assert!(!line.starts_with("::") && !line.contains("##["), "{line}");
            assert!(!line.chars().any(char::is_control), "{line:?}");
        }
    }
}
