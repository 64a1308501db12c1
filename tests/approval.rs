//! Approvals pinned to content: `crisis approve`, the approval lint rules,
//! render's refusal and `--draft`, `crisis status` and `crisis diff`, run as
//! the real binary on temporary copies of `tests/fixtures/approval`.

#[allow(dead_code)]
#[path = "support/mod.rs"]
mod support;

use std::process::{Command, Output};
use support::{stderr, stdout, Sandbox};

/// The clock of every command, so expiry is reproducible.
const NOW: &str = "2025-03-01T12:00:00Z";
const PLAYBOOK: &str = "playbooks/helpline.yaml";
const DRAFT: &str = "DRAFT - NOT APPROVED";
/// Every file the fixture playbook's words come from.
const TEMPLATES: [&str; 3] = [
    "templates/helpline/announce-x.en.j2",
    "templates/helpline/announce-x.es.j2",
    // Included by the English template.
    "templates/helpline/signature.j2",
];

fn approve(sandbox: &Sandbox, role: &str, by: &str, on: &str) -> Output {
    sandbox
        .crisis()
        .args([
            "approve", "helpline", "--role", role, "--by", by, "--on", on,
        ])
        .args(["--now", NOW])
        .output()
        .expect("crisis ran")
}

/// The fixture, approved by both required roles on 2025-01-15.
fn approved() -> Sandbox {
    let sandbox = Sandbox::from_fixture("approval");
    for (role, by) in [
        ("communications", "Sam Lee, Head of Communications"),
        ("legal", "Dana Reyes, Associate General Counsel"),
    ] {
        let output = approve(&sandbox, role, by, "2025-01-15");
        assert!(output.status.success(), "{}", stderr(&output));
    }
    sandbox
}

fn run(sandbox: &Sandbox, args: &[&str]) -> Output {
    sandbox
        .crisis()
        .args(args)
        .args(["--now", NOW])
        .output()
        .expect("crisis ran")
}

fn edit(sandbox: &Sandbox, rel: &str, change: impl Fn(&str) -> String) {
    let text = sandbox.read(rel);
    let changed = change(&text);
    assert_ne!(changed, text, "the edit of {rel} changed nothing");
    std::fs::write(sandbox.path().join(rel), changed).expect("written");
}

/// The text without the `approvals:` block (its line and the indented or
/// list lines under it); an empty `approvals: []` line goes too.
fn without_approvals(text: &str) -> String {
    let mut out = String::new();
    let mut in_block = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with("approvals:") {
            in_block = true;
            continue;
        }
        if in_block && (line.starts_with(' ') || line.starts_with('-')) {
            continue;
        }
        in_block = false;
        out.push_str(line);
    }
    out
}

#[test]
fn approve_then_lint_is_clean() {
    let sandbox = Sandbox::from_fixture("approval");
    let before = run(&sandbox, &["lint"]);
    assert_eq!(before.status.code(), Some(1));
    assert!(stdout(&before).contains("error[CP601]: 'communications' has not approved"));

    let output = approve(
        &sandbox,
        "legal",
        "Dana Reyes, Associate General Counsel",
        "2025-01-15",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output).lines().next(),
        Some("approved playbooks/helpline.yaml: legal approved by Dana Reyes, Associate General Counsel on 2025-01-15, valid until 2026-01-15")
    );
    assert!(stdout(&output).contains("still needed before use: communications (missing)"));

    let sandbox = approved();
    let lint = run(&sandbox, &["lint", "--deny-warnings"]);
    assert_eq!(stdout(&lint), "1 playbook linted: no findings\n");
    assert!(lint.status.success());
}

#[test]
fn the_file_after_approve_differs_only_in_the_approval_records() {
    let original = Sandbox::from_fixture("approval").read(PLAYBOOK);
    let sandbox = approved();
    let after = sandbox.read(PLAYBOOK);
    assert_ne!(after, original);
    assert_eq!(without_approvals(&after), original);
    insta::assert_snapshot!(
        "approval-records",
        after
            .split_once("approvals:")
            .map(|(_, block)| block)
            .unwrap_or("")
    );

    // An existing (empty) block in the middle of the file is filled in place.
    let middle = original.replace(
        "signoff:",
        "approvals: []  # written by crisis approve\nsignoff:",
    );
    let middle = middle
        .replace("approvals_required: [communications, legal]\n", "")
        .replace(
            "id: helpline\n",
            "id: helpline\napprovals_required: [communications, legal]\n",
        );
    let sandbox = Sandbox::from_fixture("approval").file(PLAYBOOK, &middle);
    approve(&sandbox, "legal", "Dana Reyes", "2025-01-15");
    approve(&sandbox, "communications", "Sam Lee", "2025-01-15");
    let after = sandbox.read(PLAYBOOK);
    assert!(after.contains("approvals: # written by crisis approve\n  - role: legal\n"));
    assert_eq!(without_approvals(&after), without_approvals(&middle));
    assert!(run(&sandbox, &["lint"]).status.success());
}

#[test]
fn re_approving_replaces_the_record_for_that_role() {
    let sandbox = approved();
    let first = sandbox.read(PLAYBOOK);
    let output = approve(&sandbox, "legal", "Alex Kim, General Counsel", "2025-02-01");
    assert!(stdout(&output).starts_with("re-approved playbooks/helpline.yaml: legal"));
    let after = sandbox.read(PLAYBOOK);
    assert_eq!(after.matches("role: legal").count(), 1);
    assert!(after.contains(
        "by: \"Alex Kim, General Counsel\"\n    at: 2025-02-01\n    until: 2026-02-01\n"
    ));
    assert!(!after.contains("Dana Reyes"));
    // The other record is untouched, byte for byte.
    let communications = |text: &str| {
        let start = text.find("  - role: communications").expect("a record");
        let end = text[start + 1..]
            .find("  - role:")
            .map_or(text.len(), |e| start + 1 + e);
        text[start..end].to_owned()
    };
    assert_eq!(communications(&after), communications(&first));
    assert_eq!(without_approvals(&after), without_approvals(&first));
    assert!(run(&sandbox, &["lint"]).status.success());
}

#[test]
fn touching_any_template_in_any_language_makes_lint_fail_and_names_the_file() {
    for rel in TEMPLATES {
        let sandbox = approved();
        edit(&sandbox, rel, |text| {
            text.replacen("24/7", "24/7!", 1)
                .replacen("Crisis", "Crises", 1)
        });
        let output = run(&sandbox, &["lint"]);
        let report = stdout(&output);
        assert_eq!(output.status.code(), Some(1), "{rel}:\n{report}");
        assert_eq!(report.matches("error[CP602]").count(), 2, "{report}");
        assert!(report.contains(&format!("{rel} changed since")), "{report}");
        for other in TEMPLATES.iter().filter(|t| **t != rel) {
            assert!(!report.contains(other), "{other} did not change:\n{report}");
        }
    }
    // The playbook's own data counts too, such as inline text.
    let sandbox = approved();
    edit(&sandbox, PLAYBOOK, |text| {
        text.replacen("call {{ phone }}.", "call {{ phone }}!", 1)
    });
    let report = stdout(&run(&sandbox, &["lint"]));
    assert!(
        report.contains("playbooks/helpline.yaml changed since"),
        "{report}"
    );
    insta::assert_snapshot!("lint-stale", report);
}

#[test]
fn changing_a_used_channel_in_crisis_yaml_makes_the_approval_stale() {
    // Raising a limit (or saying who can read a channel) changes what may
    // go out there, so the people who approved must see it again.
    let sandbox = approved().file("crisis.yaml", "channels:\n  x: { limit: 25000 }\n");
    let output = run(&sandbox, &["lint"]);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert_eq!(report.matches("error[CP602]").count(), 2, "{report}");
    assert!(
        report.contains("crisis.yaml#channels.x is new since"),
        "{report}"
    );
    let render = run(&sandbox, &["render", "helpline", EVENT[0], EVENT[1]]);
    assert_eq!(render.status.code(), Some(1), "{}", stderr(&render));

    // A channel the playbook does not post to changes nothing for it.
    let sandbox = approved().file(
        "crisis.yaml",
        "channels:\n  pager: { counting: characters, limit: 200, public: false }\n",
    );
    let lint = run(&sandbox, &["lint", "--deny-warnings"]);
    assert!(lint.status.success(), "{}", stdout(&lint));
}

#[test]
fn reformatting_the_yaml_or_editing_comments_keeps_the_approval() {
    let sandbox = approved();
    let approved_text = sandbox.read(PLAYBOOK);
    let records = approved_text
        .split_once("\napprovals:")
        .map(|(_, block)| block)
        .expect("an approvals block");
    // Same data: other indentation, key order, quoting and flow style, and
    // different comments.
    let reformatted = format!(
        r#"# Reformatted by hand; the words are the same.
approvals_required:
    - communications
    - "legal"
id: "helpline"
version: 1
title: 'Free helpline after a local emergency'
owner: "Communications <comms@example.org>"
languages:
    - en
    - es
timezone: America/Los_Angeles
target: 1h
fields:
    phone:
        default: "1-800-555-0100"
        type: phone
    area: {{example: Springfield, type: text, max_len: 20}}
messages:
    -   channel: x   # the template holds the words
        id: announce-x
        template: "helpline/announce-x.{{lang}}.j2"
    -   id: announce-sms
        max_segments: 2
        channel: sms
        text: {{en: "Free 24/7 helpline for {{{{ area }}}}: call {{{{ phone }}}}.", es: "Línea gratuita 24/7 para {{{{ area }}}}: llame al {{{{ phone }}}}."}}
signoff:
    -   role: Communications lead
        confirm: "Facts verified with two sources"
approvals:{records}"#
    );
    let sandbox = sandbox.file(PLAYBOOK, &reformatted);
    let output = run(&sandbox, &["lint", "--deny-warnings"]);
    assert!(output.status.success(), "{}", stdout(&output));

    // ...while changing one value is a change.
    edit(&sandbox, PLAYBOOK, |text| {
        text.replacen("max_segments: 2", "max_segments: 3", 1)
    });
    assert_eq!(run(&sandbox, &["lint"]).status.code(), Some(1));
}

#[test]
fn expiry_is_reported_against_now() {
    let sandbox = Sandbox::from_fixture("approval");
    for role in ["communications", "legal"] {
        let output = sandbox
            .crisis()
            .args(["approve", "helpline", "--role", role, "--by", "Sam Lee"])
            .args([
                "--on",
                "2024-01-10",
                "--expires",
                "12mo",
                "--now",
                "2024-06-01T00:00:00Z",
            ])
            .output()
            .expect("crisis ran");
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let lint_at = |now: &str, extra: &[&str]| {
        let output = sandbox
            .crisis()
            .args(["lint", "--now", now])
            .args(extra)
            .output()
            .expect("crisis ran");
        (output.status.code(), stdout(&output))
    };
    let (code, report) = lint_at("2024-06-01T00:00:00Z", &[]);
    assert_eq!(
        (code, report.as_str()),
        (Some(0), "1 playbook linted: no findings\n")
    );

    let (code, report) = lint_at("2024-12-20T00:00:00Z", &[]);
    assert_eq!(code, Some(0), "{report}");
    assert!(report.contains("warning[CP604]: the legal approval (Sam Lee) expires in 22 days (valid until 2025-01-10)"), "{report}");
    let (_, report) = lint_at("2024-12-20T00:00:00Z", &["--expiring-within", "7"]);
    assert!(!report.contains("CP604"), "{report}");

    // A date is valid through its day.
    let (code, report) = lint_at("2025-01-10T23:00:00Z", &[]);
    assert_eq!(code, Some(0), "{report}");
    assert!(report.contains("expires within a day"), "{report}");

    let (code, report) = lint_at("2025-01-11T00:00:00Z", &[]);
    assert_eq!(code, Some(1), "{report}");
    assert_eq!(report.matches("error[CP603]").count(), 2, "{report}");
    assert!(
        report.contains(
            "the communications approval (Sam Lee) expired: it was valid until 2025-01-10"
        ),
        "{report}"
    );
}

#[test]
fn approve_refuses_unknown_roles_and_broken_playbooks() {
    let sandbox = Sandbox::from_fixture("approval");
    let original = sandbox.read(PLAYBOOK);
    let output = approve(&sandbox, "legl", "Dana Reyes", "2025-01-15");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("'legl' is not a role helpline requires; did you mean 'legal'?"),
        "{}",
        stderr(&output)
    );

    let output = sandbox
        .crisis()
        .args([
            "approve",
            "helpline",
            "--role",
            "legal",
            "--by",
            "D",
            "--expires",
            "never",
        ])
        .output()
        .expect("crisis ran");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("approvals must expire"));

    edit(&sandbox, TEMPLATES[1], |text| {
        text.replace("{{ phone }}", "{{ phone ")
    });
    let output = approve(&sandbox, "legal", "Dana Reyes", "2025-01-15");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("error[CP204]"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("has lint errors; fix them before it is approved"));
    assert_eq!(sandbox.read(PLAYBOOK), original);
}

const EVENT: [&str; 2] = ["--set", "area=Springfield"];

#[test]
fn render_refuses_missing_and_stale_approvals() {
    let sandbox = Sandbox::from_fixture("approval");
    let output = run(&sandbox, &["render", "helpline", EVENT[0], EVENT[1]]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    let message = stderr(&output);
    assert!(
        message.contains("'helpline' is not approved for use; nothing was rendered"),
        "{message}"
    );
    assert!(
        message.contains("  communications: not approved\n  legal: not approved\n"),
        "{message}"
    );
    assert!(
        message.contains("Who must approve: communications, legal."),
        "{message}"
    );
    assert!(message.contains("--draft"), "{message}");

    let sandbox = approved();
    edit(&sandbox, TEMPLATES[1], |text| {
        text.replace("Apoyo", "Ayuda")
    });
    let output = run(&sandbox, &["render", "helpline", EVENT[0], EVENT[1]]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!("render-refused-stale", stderr(&output));
}

#[test]
fn render_draft_marks_every_output() {
    let sandbox = Sandbox::from_fixture("approval");
    let draft = |format: &str| {
        let output = run(
            &sandbox,
            &[
                "render", "helpline", EVENT[0], EVENT[1], "--draft", "--format", format,
            ],
        );
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let text = draft("text");
    let blocks = text
        .lines()
        .filter(|l| l.starts_with("== announce"))
        .count();
    assert_eq!(blocks, 4);
    assert_eq!(
        text.lines().filter(|l| *l == format!("   {DRAFT}")).count(),
        blocks
    );
    assert!(text.starts_with(&format!("*** {DRAFT} ***\n")));
    assert!(text.contains(&format!("== Sign-off checklist ({DRAFT}) ==")));
    assert!(text.contains(&format!("{DRAFT} confirms:\n")));
    assert!(text.contains("- [ ] legal: not approved\n"));

    let markdown = draft("markdown");
    assert_eq!(
        markdown.matches(&format!("\n**{DRAFT}**\n")).count(),
        blocks + 1
    );
    assert!(markdown.contains(&format!("> **{DRAFT}**")));

    let json: serde_json::Value = serde_json::from_str(&draft("json")).expect("JSON");
    assert_eq!(json["approved"], false);
    assert_eq!(json["checklist"][0]["role"], DRAFT);

    let out = sandbox.path().join("out");
    let output = run(
        &sandbox,
        &[
            "render", "helpline", EVENT[0], EVENT[1], "--draft", "--out", "out",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let mut files = 0;
    for entry in std::fs::read_dir(&out).expect("the out folder") {
        let path = entry.expect("an entry").path();
        if path.ends_with(crisis::packet::MARKER) {
            continue;
        }
        let written = std::fs::read_to_string(&path).expect("a file");
        if path.extension().is_some_and(|e| e == "json") {
            assert!(written.contains("\"approved\": false"));
        } else if path.extension().is_some_and(|e| e == "html") {
            // A page starts with its doctype; the mark is drawn across it.
            assert!(written.contains(&format!(">{DRAFT}</p>")), "{written}");
            assert!(written.contains(">DRAFT</span></div>"), "{written}");
        } else {
            assert_eq!(written.lines().next(), Some(DRAFT), "{}", path.display());
            files += 1;
        }
    }
    assert_eq!(files, blocks + 1);
}

#[test]
fn an_approved_playbook_renders_with_its_approvals_in_the_checklist() {
    let sandbox = approved();
    let output = run(&sandbox, &["render", "helpline", EVENT[0], EVENT[1]]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(!text.contains(DRAFT));
    assert!(text.contains("- [x] Approved: legal: approved by Dana Reyes, Associate General Counsel on 2025-01-15, valid until 2026-01-15\n"), "{text}");
    assert!(text.contains(
        "- [x] Approved: communications: approved by Sam Lee, Head of Communications on 2025-01-15"
    ));

    let output = run(
        &sandbox,
        &["render", "helpline", EVENT[0], EVENT[1], "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(json["approved"], true);

    // A playbook that requires no approvals renders as before: no key.
    let sandbox = Sandbox::from_fixture("approval");
    edit(&sandbox, PLAYBOOK, |t| {
        t.replace("approvals_required: [communications, legal]\n", "")
    });
    let output = run(
        &sandbox,
        &["render", "helpline", EVENT[0], EVENT[1], "--format", "json"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert!(json.get("approved").is_none());
    assert!(run(&sandbox, &["lint", "--deny-warnings"]).status.success());
}

#[test]
fn status_lists_each_playbook_with_its_state() {
    let sandbox = approved();
    let output = run(&sandbox, &["status"]);
    assert!(output.status.success());
    insta::assert_snapshot!("status-approved", stdout(&output));

    edit(&sandbox, TEMPLATES[2], |t| format!("{t}."));
    let output = run(&sandbox, &["status", "--format", "json"]);
    assert!(output.status.success(), "status reports, it does not judge");
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(json["checked_at"], "2025-03-01T12:00:00Z");
    let playbook = &json["playbooks"][0];
    assert_eq!(playbook["id"], "helpline");
    assert_eq!(playbook["path"], PLAYBOOK);
    assert_eq!(playbook["state"], "stale");
    assert_eq!(playbook["needs_action"], true);
    let legal = &playbook["roles"][1];
    assert_eq!(legal["role"], "legal");
    assert_eq!(legal["state"], "stale");
    assert_eq!(legal["until"], "2026-01-15");
    assert_eq!(legal["days_left"], 320);
    assert_eq!(
        legal["changed"],
        serde_json::json!([{"path": TEMPLATES[2], "change": "changed"}])
    );
}

fn git(dir: &std::path::Path, args: &[&str]) {
    let output = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
}

#[test]
fn diff_shows_what_changed_since_the_approved_version() {
    let sandbox = Sandbox::from_fixture("approval");
    let output = run(&sandbox, &["diff", "helpline"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("has no approvals to compare with"));

    let dir = sandbox.path();
    git(dir, &["init", "-q"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "First version"]);
    for role in ["communications", "legal"] {
        approve(&sandbox, role, "Dana Reyes", "2025-01-15");
    }
    git(dir, &["commit", "-q", "-am", "Approve"]);
    let output = run(&sandbox, &["diff", "helpline"]);
    assert_eq!(stdout(&output), "nothing changed since the content communications and legal approved (Dana Reyes, 2025-01-15)\n");

    edit(&sandbox, TEMPLATES[1], |t| {
        t.replace("Apoyo gratuito", "Ayuda gratuita")
    });
    git(dir, &["commit", "-q", "-am", "Better Spanish"]);
    let output = run(&sandbox, &["diff", "helpline"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let diff = stdout(&output);
    assert!(
        diff.contains("--- a/templates/helpline/announce-x.es.j2"),
        "{diff}"
    );
    assert!(diff.contains("\n-Apoyo gratuito y confidencial"), "{diff}");
    assert!(diff.contains("\n+Ayuda gratuita y confidencial"), "{diff}");
    assert!(!diff.contains("announce-x.en.j2"), "{diff}");
    assert!(stderr(&output).contains("templates/helpline/announce-x.es.j2 changed"));
    assert!(
        stderr(&output).contains("Approve"),
        "the commit found: {}",
        stderr(&output)
    );
}

#[test]
fn diff_shows_a_changed_channel_in_crisis_yaml() {
    let sandbox =
        Sandbox::from_fixture("approval").file("crisis.yaml", "channels:\n  x: { limit: 300 }\n");
    let dir = sandbox.path();
    git(dir, &["init", "-q"]);
    for role in ["communications", "legal"] {
        approve(&sandbox, role, "Dana Reyes", "2025-01-15");
    }
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "Approve"]);
    let lint = run(&sandbox, &["lint", "--deny-warnings"]);
    assert!(lint.status.success(), "{}", stdout(&lint));
    assert!(sandbox
        .read(PLAYBOOK)
        .contains("\"crisis.yaml#channels.x\": sha256:"));
    edit(&sandbox, "crisis.yaml", |t| t.replace("300", "25000"));
    let output = run(&sandbox, &["diff", "helpline"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let diff = stdout(&output);
    assert!(diff.contains("--- a/crisis.yaml"), "{diff}");
    assert!(diff.contains("\n+  x: { limit: 25000 }"), "{diff}");
    assert!(
        stderr(&output).contains("crisis.yaml#channels.x changed"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn diff_shows_the_words_whatever_a_committed_gitattributes_says() {
    let sandbox = Sandbox::from_fixture("approval");
    let dir = sandbox.path();
    git(dir, &["init", "-q"]);
    for role in ["communications", "legal"] {
        approve(&sandbox, role, "Dana Reyes", "2025-01-15");
    }
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "Approve"]);
    std::fs::write(
        dir.join(".gitattributes"),
        "* working-tree-encoding=UTF-16LE\n*.j2 -diff\n",
    )
    .unwrap();
    git(dir, &["add", ".gitattributes"]);
    git(dir, &["commit", "-q", "-m", "Tidy"]);
    edit(&sandbox, TEMPLATES[1], |t| {
        t.replace("Apoyo gratuito", "Ayuda barata")
    });
    let output = run(&sandbox, &["diff", "helpline"]);
    let diff = stdout(&output);
    assert!(diff.contains("\n-Apoyo gratuito y confidencial"), "{diff}");
    assert!(diff.contains("\n+Ayuda barata y confidencial"), "{diff}");
}

#[test]
fn diff_says_so_when_there_is_no_history() {
    let sandbox = approved();
    edit(&sandbox, TEMPLATES[0], |t| t.replace("Free", "Free,"));
    let output = run(&sandbox, &["diff", "helpline"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is not in a git repository"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_record_for_a_role_that_is_not_required_is_a_warning() {
    let sandbox = approved();
    edit(&sandbox, PLAYBOOK, |text| {
        text.replacen("  - role: legal\n", "  - role: marketing\n", 1)
    });
    let report = stdout(&run(&sandbox, &["lint"]));
    assert!(report.contains("warning[CP605]"), "{report}");
    // The required role it replaced is now missing.
    assert!(report.contains("error[CP601]"), "{report}");
}

#[test]
fn a_record_that_cannot_be_checked_is_an_error() {
    let sandbox = approved();
    edit(&sandbox, PLAYBOOK, |text| {
        let start = text.find("    digest: sha256:").expect("a digest");
        let end = start + text[start..].find('\n').expect("end of line");
        format!(
            "{}    digest: sha256:not-hex{}",
            &text[..start],
            &text[end..]
        )
    });
    let output = run(&sandbox, &["lint"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("error[CP606]"),
        "{}",
        stdout(&output)
    );
}

/// A hostile pull request changes approved words and adds the resulting
/// findings to the lint baseline: lint goes green, but nothing renders.
#[test]
fn a_baseline_cannot_launder_changed_approved_words() {
    let sandbox = approved();
    edit(&sandbox, TEMPLATES[1], |text| {
        text.replace("Apoyo", "Ayuda")
    });
    let findings = run(&sandbox, &["lint", "--format", "json"]);
    assert_eq!(findings.status.code(), Some(1), "{}", stdout(&findings));
    std::fs::write(sandbox.path().join("baseline.json"), &findings.stdout).unwrap();
    let lint = run(&sandbox, &["lint", "--baseline", "baseline.json"]);
    assert_eq!(lint.status.code(), Some(0), "{}", stdout(&lint));
    assert!(stderr(&lint).contains("known error"), "{}", stderr(&lint));

    let output = run(&sandbox, &["render", "helpline", EVENT[0], EVENT[1]]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert!(
        stderr(&output).contains("is not approved for use; nothing was rendered"),
        "{}",
        stderr(&output)
    );
}
