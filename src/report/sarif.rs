//! SARIF 2.1.0, the format GitHub code scanning uploads.
//!
//! Only the part of SARIF this report uses is modelled, as plain serde
//! structs: every rule with its descriptions (from its doc comment) and one
//! result per finding.

use serde::Serialize;
use std::io::{self, Write};

use crate::diagnostic::Severity;
use crate::lint::rules::ALL;
use crate::lint::Report;

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
struct Run {
    tool: Tool,
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
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let rules = ALL
        .iter()
        .map(|rule| RuleDescriptor {
            id: rule.code,
            name: rule.name,
            short_description: Text {
                text: rule.summary().to_owned(),
            },
            full_description: Text { text: rule.body() },
            help: Help {
                text: rule.body(),
                markdown: rule.body(),
            },
            default_configuration: Configuration {
                level: level(rule.severity),
            },
        })
        .collect();
    let results = report
        .diagnostics
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
                        uri: d.path.clone(),
                    },
                    region: Region {
                        start_line: d.line.max(1),
                        start_column: d.column.max(1),
                    },
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
                    rules,
                },
            },
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}
