//! `crisis lint`: every rule fires at the right place, in every format.

use crate::support::{crisis_in, fixture, repo, stdout, Sandbox};
use std::path::PathBuf;

/// The fixtures, one per rule, named `<code>-<rule name>`: each an overlay
/// of the files that differ from the valid catalog `lint/ok` (see
/// `support::materialize`), so adding a rule adds one or two small files.
/// Lints a catalog holding only `playbooks/<id>.yaml` with `yaml`: the
/// exit code and the report.
fn lint_only(id: &str, yaml: &str) -> (Option<i32>, String) {
    let sandbox = Sandbox::new().file(&format!("playbooks/{id}.yaml"), yaml);
    let output = sandbox.crisis().arg("lint").output().unwrap();
    (output.status.code(), stdout(&output))
}

fn rule_fixtures() -> Vec<(String, PathBuf)> {
    let mut dirs: Vec<(String, PathBuf)> = std::fs::read_dir(fixture("lint"))
        .expect("tests/fixtures/lint")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.is_dir())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .filter(|(name, _)| name != "ok")
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_rule_fires_on_its_fixture_at_the_expected_place() {
    // Each fixture is checked on its own: one rule's failure is reported
    // with every other one's, never hiding them.
    let mut failures = Vec::new();
    for (name, _) in rule_fixtures() {
        let checked = std::panic::catch_unwind(|| check_fixture(&name));
        if let Err(panic) = checked {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            failures.push(format!("{name}: {why}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn check_fixture(name: &str) {
    let code = name.split('-').next().unwrap().to_owned();
    let sandbox = Sandbox::from_fixture(&format!("lint/{name}"));
    let output = sandbox.crisis().arg("lint").output().unwrap();
    let report = stdout(&output);
    assert!(
        report.contains(&format!("[{code}]")),
        "fixture {name} did not trigger {code}:\n{report}"
    );
    let exit = output.status.code();
    let is_error = report.contains(&format!("error[{code}]"));
    assert_eq!(
        exit,
        Some(if is_error { 1 } else { 0 }),
        "exit code of {name}:\n{report}"
    );
    insta::assert_snapshot!(format!("lint-{name}"), report);
}

#[test]
fn every_rule_has_a_fixture() {
    let listing = stdout(&crisis_in(&repo()).arg("rules").output().unwrap());
    let fixtures: Vec<String> = rule_fixtures().into_iter().map(|(n, _)| n).collect();
    for line in listing.lines() {
        let mut words = line.split_whitespace();
        let (code, name) = (words.next().unwrap(), words.next().unwrap());
        // Approval rules are exercised by tests/approval.rs on catalogs
        // approved by the real `crisis approve`.
        if code.starts_with("CP6") {
            continue;
        }
        let wanted = format!("{code}-{name}");
        assert!(
            fixtures.contains(&wanted),
            "no fixture tests/fixtures/lint/{wanted}"
        );
    }
}

#[test]
fn the_valid_fixture_lints_clean() {
    crisis_in(&fixture("lint/ok"))
        .args(["lint", "--deny-warnings"])
        .assert()
        .success()
        .stdout("1 playbook linted: no findings\n");
}

#[test]
fn the_repository_catalog_lints_clean() {
    // A fixed clock: the example approvals are dated; CI's own lint of the
    // catalog uses the real one, so expiring approvals fail there.
    crisis_in(&repo())
        .args(["lint", "--deny-warnings", "--now", "2026-12-01T00:00:00Z"])
        .assert()
        .success();
}

#[test]
fn the_spanish_sms_is_checked_honestly_in_the_worst_case() {
    let sandbox = Sandbox::new();
    for dir in ["playbooks", "templates"] {
        std::fs::create_dir_all(sandbox.path().join(dir)).unwrap();
        crate::support::copy_dir(&repo().join(dir), &sandbox.path().join(dir));
    }
    let playbook = sandbox
        .read("playbooks/disaster-helpline.yaml")
        .replace("    max_segments: 3\n", "    max_segments: 2\n");
    let sandbox = sandbox.file("playbooks/disaster-helpline.yaml", &playbook);
    let report = stdout(
        &sandbox
            .crisis()
            .args(["lint", "playbooks/disaster-helpline.yaml"])
            .output()
            .unwrap(),
    );
    // Correct Spanish needs 'í', which is not in GSM-7: the whole message is
    // UCS-2 whatever is typed, and takes three parts even with the examples.
    assert!(
        report.contains("announce-sms (es): 3 parts with the example values (UCS-2 forced by the template's 'í'"),
        "{report}"
    );
    // English stays in GSM-7 unless someone types an accented letter.
    assert!(
        report.contains("announce-sms (en): 3 parts in the worst case (UCS-2 forced if 'event' contains a character outside GSM-7, e.g. 'á')"),
        "{report}"
    );
}

#[test]
fn one_broken_playbook_does_not_hide_the_findings_of_others() {
    let sandbox = Sandbox::from_fixture("lint/CP205-undeclared-variable")
        .file("playbooks/broken.yaml", "id: broken\ntitle: [unclosed\n");
    let report = stdout(&sandbox.crisis().arg("lint").output().unwrap());
    assert!(
        report.contains("playbooks/broken.yaml:3:1: error[CP002]"),
        "{report}"
    );
    assert!(report.contains("error[CP002]"), "{report}");
    assert!(report.contains("error[CP205]"), "{report}");
}

#[test]
fn json_format_lists_each_finding_with_its_position() {
    let output = Sandbox::from_fixture("lint/CP003-unknown-key")
        .crisis()
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        findings,
        serde_json::json!([{
            "path": "playbooks/helpline.yaml",
            "line": 16,
            "column": 5,
            "end_line": 16,
            "end_column": 11,
            "severity": "error",
            "code": "CP003",
            "message": "unknown key 'chanel'; did you mean 'channel'? (in messages[1] 'announce-sms')"
        }])
    );
}

#[test]
fn github_format_writes_escaped_workflow_commands() {
    let output = Sandbox::from_fixture("lint/CP003-unknown-key")
        .crisis()
        .args(["lint", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&output),
        "::error file=playbooks/helpline.yaml,line=16,endLine=16,col=5,endColumn=10,title=CP003 unknown-key::unknown key 'chanel'; did you mean 'channel'? (in messages[1] 'announce-sms')\n"
    );
}

#[test]
fn sarif_format_describes_rules_and_results() {
    let output = Sandbox::from_fixture("lint/CP206-unused-field")
        .crisis()
        .args(["lint", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "a warning alone does not fail"
    );
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().all(|r| r["shortDescription"]["text"]
        .as_str()
        .is_some_and(|t| !t.is_empty())));
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "CP206");
    assert_eq!(result["level"], "warning");
    assert_eq!(
        rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "CP206"
    );
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        region,
        &serde_json::json!({"startLine": 11, "startColumn": 3, "endLine": 11, "endColumn": 7})
    );
    // The rule's whole documentation travels with the result.
    let help = rules[result["ruleIndex"].as_u64().unwrap() as usize]["help"]["markdown"]
        .as_str()
        .unwrap();
    assert!(help.contains("field"), "{help}");
}

#[test]
fn a_hostile_file_name_forges_no_ci_command_in_any_format() {
    let name = "x\n::error file=a::pwned\r \u{1b}[31m##[error]é.yaml";
    let sandbox = Sandbox::from_fixture("lint/CP003-unknown-key");
    std::fs::rename(
        sandbox.path().join("playbooks/helpline.yaml"),
        sandbox.path().join("playbooks").join(name),
    )
    .unwrap();
    for format in ["human", "github", "json", "sarif"] {
        let output = sandbox
            .crisis()
            .args(["lint", "--format", format])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{format}");
        let report = stdout(&output);
        for line in report.lines() {
            let forged = line.trim_start().starts_with("::") && format != "github";
            assert!(
                !forged && !line.contains("##[") && !line.chars().any(char::is_control),
                "{format} printed {line:?}"
            );
        }
        if format == "human" {
            assert!(
                report.starts_with(
                    "playbooks/x\\n::error file=a::pwned\\r \\u{1b}[31m##\\u{5b}error]é.yaml:1:1: error[CP001]: the file name cannot be used: "
                ),
                "{report}"
            );
        }
        if format == "github" {
            assert_eq!(report.lines().count(), 1, "{report}");
        }
    }
}

#[test]
fn deny_warnings_fails_on_warnings() {
    let sandbox = Sandbox::from_fixture("lint/CP206-unused-field");
    sandbox.crisis().arg("lint").assert().code(0);
    sandbox
        .crisis()
        .args(["lint", "--deny-warnings"])
        .assert()
        .code(1);
}

#[test]
fn a_path_limits_the_report_to_that_playbook() {
    let sandbox = Sandbox::from_fixture("lint/ok").file("playbooks/other.yaml", "id: other\n");
    sandbox
        .crisis()
        .args(["lint", "playbooks/helpline.yaml"])
        .assert()
        .success();
    sandbox
        .crisis()
        .args(["lint", "playbooks/other.yaml"])
        .assert()
        .code(1);
}

#[test]
fn a_missing_path_is_a_usage_error() {
    crisis_in(&fixture("lint/ok"))
        .args(["lint", "playbooks/nope.yaml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("does not exist"));
}

#[test]
fn fix_replaces_gsm_lookalikes_in_sms_templates_only() {
    let sandbox = Sandbox::from_fixture("lint/ok")
        .file(
            "templates/helpline/sms.en.j2",
            "We’re here – call {{ phone }} for {{ area }}…\n",
        )
        .file(
            "templates/helpline/announce-x.en.j2",
            "We’re here – call {{ phone }} for {{ area }}.\n",
        );
    let playbook = sandbox.read("playbooks/helpline.yaml").replace(
        "    text: { en: \"Free 24/7 helpline for {{ area }}: call {{ phone }}.\" }",
        "    template: helpline/sms.{lang}.j2",
    );
    let sandbox = sandbox.file("playbooks/helpline.yaml", &playbook);
    let before = stdout(&sandbox.crisis().arg("lint").output().unwrap());
    assert!(before.contains("warning[CP302]"), "{before}");
    sandbox.crisis().args(["lint", "--fix"]).assert().success();
    assert_eq!(
        sandbox.read("templates/helpline/sms.en.j2"),
        "We're here - call {{ phone }} for {{ area }}...\n"
    );
    // X counts curly quotes and dashes as one character: not an SMS, not touched.
    assert_eq!(
        sandbox.read("templates/helpline/announce-x.en.j2"),
        "We’re here – call {{ phone }} for {{ area }}.\n"
    );
    assert_eq!(sandbox.read("playbooks/helpline.yaml"), playbook);
}

#[test]
fn rules_page_is_generated_from_the_rules() {
    let page = stdout(
        &crisis_in(&repo())
            .args(["rules", "--markdown"])
            .output()
            .unwrap(),
    );
    let kept = std::fs::read_to_string(repo().join("docs/rules.md")).expect("docs/rules.md");
    assert_eq!(
        page, kept,
        "docs/rules.md is out of date: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}

#[test]
fn every_rule_documents_why_an_example_and_the_fix() {
    let rules = stdout(
        &crisis_in(&repo())
            .args(["rules", "--markdown"])
            .output()
            .unwrap(),
    );
    for section in rules.split("\n## CP").skip(1) {
        let code = &section[..3];
        for heading in ["## Why it matters", "## Example", "## Fix"] {
            assert!(
                section.contains(heading),
                "CP{code} has no '{heading}' section"
            );
        }
    }
}

#[test]
fn a_baseline_hides_known_findings_and_only_new_ones_fail() {
    let sandbox = Sandbox::from_fixture("lint/ok");
    let path = sandbox.path().join("playbooks/helpline.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let broken = text.replacen("text:", "textx:", 1);
    assert_ne!(broken, text);
    std::fs::write(&path, &broken).unwrap();

    let json = sandbox
        .crisis()
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(json.status.code(), Some(1));
    std::fs::write(sandbox.path().join("baseline.json"), &json.stdout).unwrap();

    // The known error is hidden, and stderr says so.
    let known = sandbox
        .crisis()
        .args(["lint", "--baseline", "baseline.json"])
        .output()
        .unwrap();
    assert_eq!(known.status.code(), Some(0), "{}", stdout(&known));
    let note = String::from_utf8_lossy(&known.stderr);
    assert!(note.contains("hid 1 known error"), "{note}");

    // Lines added above it do not bring it back; a new finding fails.
    std::fs::write(&path, format!("# moved down\n\n{broken}")).unwrap();
    let moved = sandbox
        .crisis()
        .args(["lint", "--baseline", "baseline.json"])
        .output()
        .unwrap();
    assert_eq!(moved.status.code(), Some(0), "{}", stdout(&moved));
    std::fs::write(&path, broken.replacen("textx:", "texty:", 1)).unwrap();
    let new = sandbox
        .crisis()
        .args(["lint", "--baseline", "baseline.json"])
        .output()
        .unwrap();
    assert_eq!(new.status.code(), Some(1));
    assert!(stdout(&new).contains("'texty'"), "{}", stdout(&new));
    let note = String::from_utf8_lossy(&new.stderr);
    assert!(note.contains("1 entry matched no finding"), "{note}");

    // Render is not fooled by the baseline.
    std::fs::write(&path, &broken).unwrap();
    let render = sandbox
        .crisis()
        .args([
            "render",
            "helpline",
            "--set",
            "area=North",
            "--set",
            "phone=0800 123",
        ])
        .output()
        .unwrap();
    assert_ne!(render.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&render.stderr).contains("CP003"));
}

#[test]
fn a_missing_or_foreign_baseline_is_a_usage_error() {
    let sandbox = Sandbox::from_fixture("lint/ok").file("baseline.json", "{\"a\": 1}");
    for file in ["baseline.json", "missing.json"] {
        let output = sandbox
            .crisis()
            .args(["lint", "--baseline", file])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let message = String::from_utf8_lossy(&output.stderr);
        assert!(message.contains(file), "{message}");
    }
}

/// The SARIF 2.1.0 JSON Schema, as shipped in the `serde-sarif` package
/// (a dev-dependency for this file alone), found through cargo's metadata.
fn sarif_schema() -> serde_json::Value {
    let rustc = std::process::Command::new("rustc")
        .arg("-vV")
        .output()
        .unwrap();
    let rustc = String::from_utf8_lossy(&rustc.stdout).into_owned();
    let host = rustc
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("rustc -vV names the host");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline"])
        .args(["--filter-platform", host])
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_text(&output));
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let manifest = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "serde-sarif")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("serde-sarif is a dev-dependency")
        .to_string();
    let path = PathBuf::from(manifest).with_file_name("src/schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        schema["title"],
        "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    );
    schema
}

fn stderr_text(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn sarif_output_is_valid_against_the_sarif_2_1_0_schema() {
    // The published schema's pattern for `language` has a stray `]` that
    // a strict regex check refuses; crisis never writes that property, so
    // the pattern is replaced with what it means.
    let broken = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    let text = sarif_schema().to_string();
    assert!(text.contains(broken));
    let schema: serde_json::Value =
        serde_json::from_str(&text.replace(broken, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#)).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("a valid schema");
    let hostile = "x\n::error file=a::pwned\r \u{1b}[31mé.yaml";
    let renamed = Sandbox::from_fixture("lint/CP003-unknown-key");
    std::fs::rename(
        renamed.path().join("playbooks/helpline.yaml"),
        renamed.path().join("playbooks").join(hostile),
    )
    .unwrap();
    let sandboxes = [
        Sandbox::from_fixture("lint/ok"),
        Sandbox::from_fixture("lint/CP206-unused-field"),
        Sandbox::from_fixture("lint/CP002-yaml-syntax"),
        renamed,
    ];
    for sandbox in &sandboxes {
        let output = sandbox
            .crisis()
            .args(["lint", "--format", "sarif"])
            .output()
            .unwrap();
        let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn a_baseline_names_no_stale_entries_for_playbooks_not_linted_and_escapes_its_path() {
    let sandbox = Sandbox::from_fixture("lint/ok");
    let path = sandbox.path().join("playbooks/helpline.yaml");
    let broken = std::fs::read_to_string(&path)
        .unwrap()
        .replacen("text:", "textx:", 1);
    std::fs::write(&path, &broken).unwrap();
    std::fs::write(
        sandbox.path().join("playbooks/other.yaml"),
        broken.replacen("id: helpline", "id: other", 1),
    )
    .unwrap();
    let json = sandbox
        .crisis()
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    // A byte order mark, as PowerShell writes, is accepted.
    let mut bom = "\u{feff}".as_bytes().to_vec();
    bom.extend_from_slice(&json.stdout);
    std::fs::write(sandbox.path().join("baseline.json"), bom).unwrap();

    let partial = sandbox
        .crisis()
        .args([
            "lint",
            "playbooks/helpline.yaml",
            "--baseline",
            "baseline.json",
        ])
        .output()
        .unwrap();
    assert_eq!(partial.status.code(), Some(0), "{}", stdout(&partial));
    let note = String::from_utf8_lossy(&partial.stderr);
    assert!(note.contains("hid 1 known error"), "{note}");
    assert!(!note.contains("matched no finding"), "{note}");

    let hostile = "x\u{1b}[31m\nerror: forged";
    std::fs::write(sandbox.path().join(hostile), "{").unwrap();
    let output = sandbox
        .crisis()
        .args(["lint", "--baseline", hostile])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(!message.contains('\u{1b}'), "{message}");
    assert!(!message.contains("\nerror: forged"), "{message}");
    assert!(message.contains(r"x\u{1b}[31m\nerror: forged"), "{message}");
}

#[test]
fn a_wea_message_must_keep_to_gsm7_whatever_is_typed() {
    let playbook = |charset: &str, text: &str| {
        format!(
            "id: helpline\ntitle: Free helpline\nversion: 1\nowner: Comms <comms@example.org>\n\
             languages: [en]\ntarget: 1h\ntimezone: America/Los_Angeles\nfields:\n  \
             area: {{ type: text, max_len: 20, example: \"Springfield\"{charset} }}\n\
             messages:\n  - id: alert-wea\n    channel: wea-90\n    text: {{ en: \"{text}\" }}\n\
             signoff:\n  - {{ role: Communications lead, confirm: Facts verified }}\n"
        )
    };
    let lint = |yaml: String| {
        let sandbox = Sandbox::new().file("playbooks/helpline.yaml", &yaml);
        let output = sandbox
            .crisis()
            .args(["lint", "--format", "github"])
            .output()
            .unwrap();
        (output.status.code(), stdout(&output))
    };
    // A field that may hold any letter could make the alert unsendable.
    let (code, report) = lint(playbook("", "Free helpline for {{ area }}: call 211."));
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains("alert-wea (en) cannot be sent on wea-90 in the worst case (if 'area' contains a character outside GSM-7"),
        "{report}"
    );
    // Promising GSM-7 for the field makes it fit: 'area' at 20 '€' is 40 septets.
    let (code, report) = lint(playbook(
        ", charset: gsm",
        "Free helpline for {{ area }}: call 211.",
    ));
    assert_eq!(code, Some(0), "{report}");
    // But a letter outside GSM-7 in the approved words is refused outright.
    let (code, report) = lint(playbook(
        ", charset: gsm",
        "Línea gratuita para {{ area }}: 211.",
    ));
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains("contains 'í' (U+00ED), outside the GSM-7 alphabet that wea-90 is sent in"),
        "{report}"
    );
}

#[test]
fn a_catalog_elsewhere_is_shown_by_its_absolute_path_with_one_slash() {
    let sandbox = Sandbox::from_fixture("lint/CP205-undeclared-variable");
    let elsewhere = Sandbox::new();
    let catalog = sandbox.path().canonicalize().unwrap();
    let output = elsewhere
        .crisis()
        .arg("lint")
        .arg("--catalog")
        .arg(&catalog)
        .output()
        .unwrap();
    let report = stdout(&output);
    let expected = format!(
        "{}/templates/helpline/announce-x.en.j2:2:9:",
        catalog.display()
    );
    assert!(report.starts_with(&expected), "{report}");
    assert!(!report.starts_with("//"), "{report}");
}

#[test]
fn a_private_field_may_go_only_to_channels_said_to_be_private() {
    let playbook = Sandbox::from_fixture("lint/CP704-private-field")
        .read("playbooks/helpline.yaml")
        .replace("channel: facebook", "channel: pager");
    let lint = |config: &str| {
        let sandbox = Sandbox::from_fixture("lint/CP704-private-field")
            .file("playbooks/helpline.yaml", &playbook)
            .file("crisis.yaml", config);
        let output = sandbox.crisis().arg("lint").output().unwrap();
        (output.status.code(), stdout(&output))
    };
    // A catalog's own channel is public unless it says otherwise.
    let (code, report) = lint("channels:\n  pager: { counting: characters, limit: 200 }\n");
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains("goes to pager, which is public"),
        "{report}"
    );
    let (code, report) =
        lint("channels:\n  pager: { counting: characters, limit: 200, public: false }\n");
    assert_eq!(code, Some(0), "{report}");
}

#[test]
fn dates_are_tried_in_every_month_and_day_so_lint_does_not_depend_on_today() {
    let playbook = "id: alert\ntitle: Alert\nversion: 1\nowner: Comms <comms@example.org>\n\
        languages: [es]\ntimezone: UTC\nfields:\n  \
        area: { type: text, max_len: 20, charset: gsm, example: Riverside }\n\
        messages:\n  - id: head\n    channel: wea-90\n    \
        text: { es: \"Alerta en {{ area }}: {{ started_at | datetime('%A %B') }}\" }\n\
        signoff:\n  - { role: Duty, confirm: Checked }\n";
    let sandbox = Sandbox::new().file("playbooks/alert.yaml", playbook);
    // A Wednesday and a Saturday ('sábado' is not GSM-7): the same finding.
    let reports: Vec<String> = ["2026-11-25T10:00:00Z", "2026-11-21T10:00:00Z"]
        .iter()
        .map(|now| {
            let output = sandbox
                .crisis()
                .args(["lint", "--now", now])
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(1));
            stdout(&output)
        })
        .collect();
    assert_eq!(reports[0], reports[1]);
    assert!(
        reports[0].contains("head (es) contains 'á' (U+00E1) on some dates: a name of a day or month in 'es' is outside the GSM-7 alphabet"),
        "{}",
        reports[0]
    );
}

#[test]
fn dates_in_years_whose_zone_wrote_a_longer_offset_are_tried() {
    // Singapore has written +08 since 1982 and +0720 or +0730 before; a
    // date in 1941 is a valid value, so lint must find the longer text.
    let playbook = |filler: usize| {
        format!(
            "id: alert\ntitle: Alert\nversion: 1\nowner: Comms <comms@example.org>\n\
             languages: [en]\ntimezone: Asia/Singapore\nfields:\n  \
             t: {{ type: datetime, example: \"2026-01-16 09:00\" }}\n\
             messages:\n  - id: head\n    channel: wea-90\n    \
             text: {{ en: '{} {{{{ t | datetime(\"%-d %b %H:%M %Z\") }}}}' }}\n\
             signoff:\n  - {{ role: Duty, confirm: Checked }}\n",
            "X".repeat(filler)
        )
    };
    let lint = |yaml: String| lint_only("alert", &yaml);
    // 72 + 1 + "15 Jan 10:30 +08" is 89 septets in 2026, 91 with +0720.
    let (code, report) = lint(playbook(72));
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("91/90 septets"), "{report}");
    assert!(report.contains("written longest"), "{report}");
    let (code, report) = lint(playbook(70));
    assert_eq!(code, Some(0), "{report}");
}

#[test]
fn upper_case_of_a_gsm_field_is_tried_with_letters_whose_capitals_leave_gsm() {
    // 'à' is GSM-7 and a field promising GSM-7 accepts it; 'À' is not.
    let playbook = "id: alert\ntitle: Alert\nversion: 1\nowner: Comms <comms@example.org>\n\
        languages: [en]\nfields:\n  \
        area: { type: text, max_len: 5, charset: gsm, example: Hill }\n\
        messages:\n  - id: m\n    channel: sms\n    \
        text: { en: 'Water is off in {{ area|upper }}. Boil water for one minute before you drink it. Call 911 now.' }\n\
        signoff:\n  - { role: Duty, confirm: Checked }\n";
    let sandbox = Sandbox::new().file("playbooks/alert.yaml", playbook);
    let output = sandbox.crisis().arg("lint").output().unwrap();
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert!(
        report.contains("in the worst case for letter case"),
        "{report}"
    );
    let render = sandbox
        .crisis()
        .args(["render", "alert", "--draft", "--set", "area=\u{e0}\u{e0}"])
        .output()
        .unwrap();
    assert_eq!(render.status.code(), Some(1), "{}", stdout(&render));
}

#[test]
fn an_enum_value_nobody_can_type_is_an_error() {
    let playbook = "id: alert\ntitle: Alert\nversion: 1\nowner: Comms <comms@example.org>\n\
        languages: [en]\nfields:\n  \
        level: { type: enum, values: [low, \" high\"], example: low }\n\
        messages:\n  - id: m\n    channel: sms\n    text: { en: 'Level {{ level }}.' }\n\
        signoff:\n  - { role: Duty, confirm: Checked }\n";
    let (code, report) = lint_only("alert", playbook);
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains(
            "error[CP111]: value \" high\" of 'level' is empty or has spaces at its ends"
        ),
        "{report}"
    );
}

#[test]
fn at_time_is_refused_by_lint_in_a_language_it_does_not_know() {
    let playbook = |lang: &str, text: &str| {
        format!(
            "id: alert\ntitle: Alert\nversion: 1\nowner: Comms <comms@example.org>\n\
             languages: [{lang}]\ntimezone: UTC\n\
             messages:\n  - id: head\n    channel: wea-90\n    text: {{ {lang}: \"{text}\" }}\n\
             signoff:\n  - {{ role: Duty, confirm: Checked }}\n"
        )
    };
    let lint = |yaml: String| lint_only("alert", &yaml);
    let (code, report) = lint(playbook("fr", "Fin {{ started_at | at_time }}"));
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains("at_time knows English and Spanish, not 'fr'"),
        "{report}"
    );
    // The same template in a language it knows passes.
    let (code, report) = lint(playbook("es", "Fin {{ started_at | at_time('12h') }}"));
    assert_eq!(code, Some(0), "{report}");
}

#[test]
fn links_and_phone_numbers_in_a_wea_message_are_checked_at_their_longest() {
    let playbook = |link: &str, text: &str| {
        format!(
            "id: alert\ntitle: Alert\nversion: 1\nowner: Comms <comms@example.org>\n\
             languages: [en]\ntimezone: UTC\nfields:\n  \
             link: {{ type: url, max_len: 30, example: \"https://a.org/x\"{link} }}\n  \
             phone: {{ type: phone, default: \"911\" }}\n\
             messages:\n  - id: head\n    channel: wea-90\n    text: {{ en: \"{text}\" }}\n\
             signoff:\n  - {{ role: Duty, confirm: Checked }}\n"
        )
    };
    let lint = |yaml: String| lint_only("alert", &yaml);
    let xs = "X".repeat(59);
    // A link may hold letters outside GSM-7 unless the field promises it.
    let (code, report) = lint(playbook("", &format!("{xs} {{{{ link }}}}")));
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains("if 'link' contains a character outside GSM-7"),
        "{report}"
    );
    // Promised, it is counted at 30 characters of '~', two septets each.
    let (code, report) = lint(playbook(", charset: gsm", &format!("{xs} {{{{ link }}}}")));
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("'link' at its max_len of 30"), "{report}");
    // A phone number is counted at the 18 characters render accepts.
    let seventy = "X".repeat(72);
    let (code, report) = lint(playbook("", &format!("{seventy} {{{{ phone }}}}")));
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("'phone' at its max_len of 18"), "{report}");
}

#[test]
fn a_clock_outside_the_years_crisis_works_in_is_a_usage_error() {
    crisis_in(&repo())
        .args(["lint", "--now", "9999-12-30T06:10:00Z"])
        .assert()
        .code(2);
}

#[test]
fn the_california_headings_must_come_in_the_statutes_order() {
    let body = |middle: &str| {
        format!(
            "id: breach\ntitle: Breach\nversion: 1\nowner: Comms <comms@example.org>\n\
             languages: [en]\ntimezone: UTC\nfields:\n  link: {{ type: url, example: \"https://example.org/n\" }}\n\
             messages:\n  - id: notice\n    channel: email\n    subject: {{ en: \"Notice of Data Breach\" }}\n    \
             text: {{ en: \"{middle} For More Information: {{{{ link }}}}\" }}\n\
             requires:\n  - set: california-breach\n    elements:\n      \
             title: {{ en: \"Notice of Data Breach\" }}\n      what_happened: {{ en: \"What Happened\" }}\n      \
             what_information: {{ en: \"What Information Was Involved\" }}\n      \
             what_we_are_doing: {{ en: \"What We Are Doing\" }}\n      what_you_can_do: {{ en: \"What You Can Do\" }}\n      \
             more_information: {{ en: \"For More Information\" }}\n\
             signoff:\n  - {{ role: Legal, confirm: Checked }}\n"
        )
    };
    let lint = |yaml: String| lint_only("breach", &yaml);
    let in_order = "What Happened: a lost laptop. What Information Was Involved: names. \
                    What We Are Doing: we called the police. What You Can Do: watch your mail.";
    let (code, report) = lint(body(in_order));
    assert_eq!(code, Some(0), "{report}");
    let swapped = "What Happened: a lost laptop. What We Are Doing: we called the police. \
                   What Information Was Involved: names. What You Can Do: watch your mail.";
    let (code, report) = lint(body(swapped));
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("gives california-breach in the order title, what_happened, what_we_are_doing, what_information"), "{report}");
}

/// Lints a one-playbook catalog: its exit code and report.
fn lint_one(playbook: &str, config: Option<&str>) -> (Option<i32>, String) {
    let mut sandbox = Sandbox::new().file("playbooks/p.yaml", playbook);
    if let Some(config) = config {
        sandbox = sandbox.file("crisis.yaml", config);
    }
    let output = sandbox.crisis().arg("lint").output().unwrap();
    (output.status.code(), stdout(&output))
}

/// A playbook `p` with `fields`, `messages` and more (YAML, indented).
fn playbook_with(languages: &str, fields: &str, messages: &str, more: &str) -> String {
    format!(
        "id: p\ntitle: P\nversion: 1\nowner: Comms <comms@example.org>\nlanguages: [{languages}]\n\
         timezone: UTC\nfields:\n{fields}messages:\n{messages}{more}\
         signoff:\n  - {{ role: Duty, confirm: Checked }}\n"
    )
}

#[test]
fn content_checks_hold_against_the_ways_round_them_found_by_testing() {
    let name = "  name: { type: text, max_len: 20, example: Sam, private: true }\n";
    // A private field in a message on a private channel that the public
    // CAP alert carries.
    let cap = "cap:\n  sender: a@example.org\n  event: { en: Notice }\n  category: [Health]\n  \
               urgency: Expected\n  severity: Minor\n  certainty: Observed\n  expires: 24h\n  \
               area: { desc: Springfield }\n  description: e\n";
    let (code, report) = lint_one(
        &playbook_with(
            "en",
            name,
            "  - { id: e, channel: email, subject: { en: Notice }, text: { en: \"Hi {{ name }}, boil your water.\" } }\n",
            cap,
        ),
        None,
    );
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains("goes to the CAP alert, which is public"),
        "{report}"
    );
    // A built-in public channel cannot be declared private.
    let (code, report) = lint_one(
        &playbook_with(
            "en",
            name,
            "  - { id: x, channel: x, text: { en: \"Hi {{ name }}.\" } }\n",
            "",
        ),
        Some("channels:\n  x: { public: false }\n"),
    );
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains("error[CP006]") && report.contains("`x` is public"),
        "{report}"
    );
    // A language's twin of a private field is private too.
    let (code, report) = lint_one(
        &playbook_with(
            "en, es",
            &format!("{name}  name_es: {{ type: text, max_len: 20, example: Samuel }}\n"),
            "  - { id: x, channel: x, text: { en: \"Thanks for telling us.\", es: \"Hola {{ name_es }}, gracias por decirnos.\" } }\n",
            "",
        ),
        None,
    );
    assert!(report.contains("'name_es' is private"), "{report}");
    assert_eq!(code, Some(1));
    // A required number typed into the words is not the field that carries it.
    let (code, report) = lint_one(
        &playbook_with(
            "en",
            "  phone: { type: phone, default: \"1-800-555-0100\" }\n",
            "  - { id: w, channel: web, text: { en: \"We are sorry. Call 1-800-555-0100.\" } }\n  \
             - { id: s, channel: sms, text: { en: \"Call {{ phone }}.\" } }\n",
            "requires:\n  - set: cerc-first-message\n    messages: [w]\n    elements:\n      \
             empathy: { en: \"We are sorry\" }\n      facts: { en: \"We are\" }\n      \
             unknowns: { en: \"We are\" }\n      actions: { en: \"Call\" }\n      \
             updates: { en: \"We are\" }\n      more_info: { field: phone }\n",
        ),
        None,
    );
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("lacks 'more_info'"), "{report}");
    // Language tags are case-insensitive: EN is English and is scored.
    let hard = "Individuals experiencing psychological distress subsequent to the derailment are encouraged to utilize the complimentary helpline.";
    let (code, report) = lint_one(
        &playbook_with(
            "EN",
            "",
            &format!("  - {{ id: w, channel: press, text: {{ EN: \"{hard}\" }} }}\n"),
            "",
        ),
        None,
    );
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("error[CP701]"), "{report}");
    // Hard words shown only when an optional field is empty are scored.
    let (code, report) = lint_one(
        &playbook_with(
            "en",
            "  link: { type: url, required: false, max_len: 40, example: \"https://example.org/a\" }\n",
            &format!("  - {{ id: w, channel: press, text: {{ en: \"{{% if link %}}See {{{{ link }}}} for help and news about the event.{{% else %}}{hard}{{% endif %}}\" }} }}\n"),
            "",
        ),
        None,
    );
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains("with the optional fields left out"),
        "{report}"
    );
    // A second number in Spanish only, in a branch and with look-alike dashes.
    let (code, report) = lint_one(
        &playbook_with(
            "en, es",
            "  phone: { type: phone, default: \"1-800-555-0100\" }\n  kind: { type: enum, values: [a, b], example: a }\n",
            "  - id: x\n    channel: x\n    text:\n      en: \"Call {{ phone }} for help.\"\n      \
             es: \"Llame al {{ phone }}{% if kind == 'b' %} o al 1\u{2011}800\u{2011}555\u{2011}0199{% endif %} para ayuda.\"\n",
            "",
        ),
        None,
    );
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains("different phone numbers (only in es: 1"),
        "{report}"
    );
    // A copy with a word added and the case changed is still a copy.
    let (code, report) = lint_one(
        &playbook_with(
            "en, es",
            "",
            "  - id: w\n    channel: web\n    text:\n      en: \"Boil tap water for one minute before you drink it.\"\n      \
             es: \"BOIL TAP WATER FOR ONE MINUTE BEFORE YOU DRINK IT. Gracias.\"\n",
            "",
        ),
        None,
    );
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("(nearly) the same words"), "{report}");
}

#[test]
fn a_required_phrase_must_be_in_every_enum_branch() {
    let (code, report) = lint_one(
        &playbook_with(
            "en",
            "  kind: { type: enum, values: [fire, flood], example: fire }\n",
            "  - id: w\n    channel: web\n    text: { en: \"{% if kind == 'fire' %}We are sorry. {% endif %}Stay away from the area.\" }\n",
            "requires:\n  - set: cerc-first-message\n    elements:\n      \
             empathy: { en: \"We are sorry\" }\n      facts: { en: \"Stay away\" }\n      \
             unknowns: { en: \"Stay away\" }\n      actions: { en: \"Stay away\" }\n      \
             updates: { en: \"Stay away\" }\n      more_info: { en: \"Stay away\" }\n",
        ),
        None,
    );
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("lacks 'empathy'"), "{report}");
}

#[test]
fn words_may_not_depend_on_how_long_a_value_is() {
    let (code, report) = lint_one(
        &playbook_with(
            "en",
            "  event: { type: text, max_len: 40, example: \"the fire\" }\n",
            "  - id: w\n    channel: web\n    text: { en: \"{% for c in event %}{% if loop.index == 30 %}Call 1-800-555-0199.{% endif %}{% endfor %}Stay safe after {{ event }}.\" }\n",
            "",
        ),
        None,
    );
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains("error[CP209]: this comparison looks at 'loop'"),
        "{report}"
    );
}

#[test]
fn a_replacement_may_not_break_lines_and_wea_look_alikes_are_named() {
    let (code, report) = lint_one(
        &playbook_with(
            "en",
            "  note: { type: text, max_len: 20, example: \"a b\" }\n",
            "  - id: w\n    channel: web\n    text: { en: \"Note {{ note | replace(' ', '\\n') }} here.\" }\n",
            "",
        ),
        None,
    );
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains("error[CP209]") && report.contains("`replace`"),
        "{report}"
    );
    let (code, report) = lint_one(
        &playbook_with(
            "en",
            "",
            "  - id: a\n    channel: wea-90\n    text: { en: \"Boil water \u{2013} we\u{2019}re testing.\" }\n",
            "",
        ),
        None,
    );
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains("cannot be sent on wea-90; write"),
        "{report}"
    );
}

#[test]
fn a_date_written_in_numbers_is_not_a_phone_number_for_parity() {
    let playbook = "id: alert\ntitle: Alert\nversion: 1\nowner: Comms <comms@example.org>\n\
        languages: [en, es]\ntimezone: UTC\nfields:\n  \
        t: { type: datetime, example: \"2026-01-17 10:00\" }\n\
        messages:\n  - id: web\n    channel: web\n    text:\n      \
        en: \"Open again on {{ t | datetime('%B %-d, %Y') }}.\"\n      \
        es: \"Abrimos de nuevo el {{ t | datetime('%d.%m.%Y') }}.\"\n\
        signoff:\n  - { role: Duty, confirm: Checked }\n";
    let (code, report) = lint_only("alert", playbook);
    assert_eq!(code, Some(0), "{report}");
    assert!(!report.contains("CP703"), "{report}");
}
