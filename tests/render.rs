//! `crisis render`: the job the tool exists for.

use crate::support::{crisis_in, fixture, repo, stderr, stdout, Sandbox};

const NOW: &str = "2026-12-01T12:59:00-08:00";

fn demo() -> assert_cmd::Command {
    let mut cmd = crisis_in(&repo());
    cmd.args([
        "render",
        "disaster-helpline",
        "--event",
        "examples/derailment.yaml",
        "--now",
        NOW,
    ]);
    cmd
}

#[test]
fn renders_the_demo_with_clock_messages_and_checklist() {
    let output = demo().output().unwrap();
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        text.contains("5 h 26 min elapsed, target 1 h: overdue"),
        "{text}"
    );
    assert!(text.contains("== announce-x [x, en]"), "{text}");
    assert!(text.contains("== announce-x [x, es]"), "{text}");
    assert!(text.contains("the train derailment near DuPont"));
    assert!(text.contains("- [ ] "), "checklist boxes");
    insta::assert_snapshot!("render-demo-text", without_fingerprints(&text));
}

/// `text` with each key fingerprint (`SHA256:` and its base64) replaced:
/// the example catalog is signed with keys made anew at every signing
/// (`scripts/sign-examples`), and the snapshot should not change with them.
fn without_fingerprints(text: &str) -> String {
    const MARK: &str = "SHA256:";
    let mut kept = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        kept.push_str(&rest[..at + MARK.len()]);
        kept.push_str("[fingerprint]");
        rest = &rest[at + MARK.len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/'))
            .unwrap_or(rest.len());
        rest = &rest[end..];
    }
    kept.push_str(rest);
    kept
}

#[test]
fn json_output_has_the_documented_shape() {
    let output = demo().args(["--format", "json"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for key in [
        "playbook",
        "version",
        "rendered_at",
        "started_at",
        "elapsed_seconds",
        "target_seconds",
        "event",
        "messages",
        "checklist",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert_eq!(json["playbook"], "disaster-helpline");
    assert_eq!(json["elapsed_seconds"], 5 * 3600 + 26 * 60);
    assert_eq!(json["target_seconds"], 3600);
    assert_eq!(json["started_at"], "2026-12-01T07:33:00-08:00");
    assert_eq!(json["event"]["area"], "Pierce County");
    let messages = json["messages"].as_array().unwrap();
    for m in messages {
        for key in [
            "id", "channel", "lang", "text", "length", "limit", "fits", "due_at",
        ] {
            assert!(m.get(key).is_some(), "message without {key}: {m}");
        }
    }
    let sms = messages
        .iter()
        .find(|m| m["channel"] == "sms")
        .expect("an SMS");
    assert!(
        sms["encoding"].is_string() && sms["segments"].is_u64(),
        "{sms}"
    );
    let follow_up = messages
        .iter()
        .find(|m| m["id"] == "follow-up-x")
        .expect("a follow-up");
    assert_eq!(follow_up["due_at"], "2026-12-02T07:33:00-08:00");
    // What crisis verified is done, by crisis; what people judge is open.
    let checklist = json["checklist"].as_array().unwrap();
    let approval = &checklist[0];
    assert!(approval["role"].as_str().unwrap().starts_with("Approved: "));
    assert_eq!(
        (&approval["done"], &approval["by"]),
        (&true.into(), &"crisis".into())
    );
    let human = checklist
        .iter()
        .find(|i| i["role"] == "Legal")
        .expect("the playbook's own items");
    assert_eq!(human["done"], false);
    assert!(human.get("by").is_none());
}

#[test]
fn markdown_output_is_a_review_packet() {
    let text = stdout(
        &demo()
            .args(["--format", "markdown", "--lang", "en"])
            .output()
            .unwrap(),
    );
    assert!(text.starts_with("# disaster-helpline: "), "{text}");
    assert!(text.contains("## Sign-off checklist"));
    assert!(!text.contains("(x, es)"), "--lang en renders English only");
}

#[test]
fn set_overrides_the_event_file_and_values_are_never_evaluated() {
    let output = demo()
        .args(["--format", "json", "--set", "area={{ 7 * 7 }} County"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["event"]["area"], "{{ 7 * 7 }} County");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("49 County"));
}

#[test]
fn missing_and_invalid_values_are_all_listed_and_nothing_is_written() {
    let out = tempfile::tempdir().unwrap();
    let output = crisis_in(&repo())
        .args([
            "render",
            "disaster-helpline",
            "--set",
            "started_at=18/12/2017",
            "--now",
            "2026-12-01T00:00:00Z",
            "--out",
        ])
        .arg(out.path().join("packet"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("started_at: \"18/12/2017\" is not a date and time"),
        "{err}"
    );
    assert!(err.contains("event: missing"), "{err}");
    assert!(err.contains("area: missing"), "{err}");
    assert!(!out.path().join("packet").exists(), "nothing written");
}

#[test]
fn out_writes_each_message_the_checklist_and_json() {
    let out = tempfile::tempdir().unwrap();
    demo().arg("--out").arg(out.path()).assert().success();
    let en = std::fs::read_to_string(out.path().join("announce-x.en.txt")).unwrap();
    assert!(en.contains("derailment near DuPont"));
    assert!(std::fs::read_to_string(out.path().join("checklist.md"))
        .unwrap()
        .contains("- [ ] "));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("render.json")).unwrap())
            .unwrap();
    assert_eq!(json["playbook"], "disaster-helpline");
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn render_refuses_a_playbook_with_lint_errors_even_as_a_draft() {
    let sandbox = Sandbox::from_fixture("lint/ok");
    let playbook = sandbox
        .read("playbooks/helpline.yaml")
        .replace("max_len: 20", "max_len: 400");
    let sandbox = sandbox.file("playbooks/helpline.yaml", &playbook);
    for draft in [false, true] {
        let mut command = sandbox.crisis();
        command.args([
            "render",
            "helpline",
            "--now",
            NOW,
            "--set",
            "area=Springfield",
        ]);
        if draft {
            command.arg("--draft");
        }
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(1));
        assert!(stdout(&output).is_empty(), "{}", stdout(&output));
        assert!(
            stderr(&output).contains("error[CP301]"),
            "{}",
            stderr(&output)
        );
        assert!(stderr(&output).contains("nothing was rendered"));
    }
}

#[test]
fn a_message_that_does_not_fit_is_shown_flagged_and_fails() {
    // A field without max_len is one lint can only check with its example
    // (a warning says so); a long value typed in the crisis is caught here.
    let long = "x".repeat(300);
    let sandbox = Sandbox::from_fixture("lint/ok");
    let playbook = sandbox
        .read("playbooks/helpline.yaml")
        .replace("max_len: 20, ", "");
    let sandbox = sandbox.file("playbooks/helpline.yaml", &playbook);
    let lint = sandbox.crisis().arg("lint").output().unwrap();
    assert!(
        stdout(&lint).contains("warning[CP112]: text field 'area' has no `max_len`"),
        "{}",
        stdout(&lint)
    );
    let output = sandbox
        .crisis()
        .args([
            "render",
            "helpline",
            "--now",
            NOW,
            "--set",
            &format!("area={long}"),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("DOES NOT FIT"));
    assert!(
        stderr(&output).contains("announce-x (en) does not fit x"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_unknown_playbook_suggests_the_closest_id() {
    crisis_in(&repo())
        .args(["render", "disaster-helpine"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "did you mean 'disaster-helpline'?",
        ));
}

#[test]
fn renders_by_path_and_reads_the_event_from_stdin() {
    let dir = fixture("lint/ok");
    let output = crisis_in(&dir)
        .args([
            "render",
            "playbooks/helpline.yaml",
            "--event",
            "-",
            "--now",
            NOW,
            "--format",
            "json",
        ])
        .write_stdin("{\"area\": \"Springfield\", \"started_at\": \"2026-12-01 07:33\"}")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["event"]["area"], "Springfield");
}

#[test]
fn a_bad_event_file_is_reported_at_its_line() {
    let sandbox = Sandbox::from_fixture("lint/ok")
        .file("event.yaml", "area: Springfield\nstarted_at: [2017]\n");
    sandbox
        .crisis()
        .args(["render", "helpline", "--event", "event.yaml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("event.yaml:2:13"));
}

#[test]
fn an_unknown_language_is_a_usage_error_naming_the_playbooks_languages() {
    demo()
        .args(["--lang", "fr"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "has no language 'fr'; it has: en, es",
        ));
}

#[test]
fn a_set_without_a_value_is_a_usage_error() {
    demo()
        .args(["--set", "area"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--set NAME=VALUE"));
}

#[test]
fn every_json_output_matches_its_published_schema() {
    let repo = crate::support::repo();
    let schema_of = |of: &str| -> serde_json::Value {
        let output = crate::support::crisis_in(&repo)
            .args(["schema", of])
            .output()
            .unwrap();
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let check = |of: &str, instance: &serde_json::Value| {
        let schema = schema_of(of);
        let validator = jsonschema::validator_for(&schema).expect("a valid schema");
        let errors: Vec<String> = validator
            .iter_errors(instance)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{of}: {errors:?}");
    };
    let render = crate::support::crisis_in(&repo)
        .args([
            "render",
            "disaster-helpline",
            "--event",
            "examples/derailment.yaml",
            "--now",
            NOW,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(render.status.success(), "{}", stderr(&render));
    check("render", &serde_json::from_slice(&render.stdout).unwrap());
    let lint = crate::support::crisis_in(&crate::support::fixture("lint/ok"))
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    check("lint", &serde_json::from_slice(&lint.stdout).unwrap());
    let broken = crate::support::Sandbox::from_fixture("lint/CP003-unknown-key");
    let lint = broken
        .crisis()
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let findings: serde_json::Value = serde_json::from_slice(&lint.stdout).unwrap();
    assert!(findings.as_array().is_some_and(|a| !a.is_empty()));
    check("lint", &findings);
    let fit = crate::support::crisis_in(&repo)
        .args([
            "fit",
            "--channel",
            "sms",
            "--format",
            "json",
            "Evacúe ahora",
        ])
        .output()
        .unwrap();
    check("fit", &serde_json::from_slice(&fit.stdout).unwrap());
    let list = crate::support::crisis_in(&repo)
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    check("list", &serde_json::from_slice(&list.stdout).unwrap());
    let status = crate::support::crisis_in(&repo)
        .args([
            "status",
            "--format",
            "json",
            "--now",
            "2026-12-01T00:00:00Z",
        ])
        .output()
        .unwrap();
    check("status", &serde_json::from_slice(&status.stdout).unwrap());
    for playbook in crate::support::example_playbooks() {
        let text =
            std::fs::read_to_string(repo.join(format!("playbooks/{playbook}.yaml"))).unwrap();
        let tree: serde_json::Value =
            serde_json::to_value(crisis::yaml::parse(&text).unwrap().to_json()).unwrap();
        check("playbook", &tree);
    }
}

#[test]
fn raw_prints_exactly_the_words_to_paste_and_nothing_else() {
    let sandbox = crate::support::Sandbox::from_fixture("approval");
    for role in ["communications", "legal"] {
        let approved = sandbox
            .crisis()
            .args([
                "approve",
                "helpline",
                "--role",
                role,
                "--by",
                "Dana Reyes, Counsel",
            ])
            .args(["--on", "2025-01-15", "--now", "2025-03-01T12:00:00Z"])
            .output()
            .unwrap();
        assert!(approved.status.success(), "{}", stderr(&approved));
    }
    let run = |args: &[&str]| {
        sandbox
            .crisis()
            .args(["render", "helpline", "--set", "area=Springfield"])
            .args(["--now", "2025-03-01T12:00:00Z"])
            .args(args)
            .output()
            .unwrap()
    };
    let json: serde_json::Value =
        serde_json::from_slice(&run(&["--format", "json"]).stdout).unwrap();
    let sms = json["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "announce-sms" && m["lang"] == "es")
        .unwrap();
    let raw = run(&["--message", "announce-sms", "--lang", "es", "--raw"]);
    assert!(raw.status.success(), "{}", stderr(&raw));
    assert_eq!(stdout(&raw), format!("{}\n", sms["text"].as_str().unwrap()));
    // Two languages: it says which to choose.
    let both = run(&["--message", "announce-sms", "--raw"]);
    assert_eq!(both.status.code(), Some(2));
    assert!(
        stderr(&both).contains("choose one with --lang"),
        "{}",
        stderr(&both)
    );
    // --raw with what it cannot honour is a usage error.
    let with_out = run(&[
        "--message",
        "announce-sms",
        "--lang",
        "es",
        "--raw",
        "--out",
        "p",
    ]);
    assert_eq!(with_out.status.code(), Some(2));
    // An example catalog, built in or copied, carries a mark --raw cannot print.
    let repo = crate::support::repo();
    let example = crate::support::crisis_in(&repo)
        .args([
            "render",
            "disaster-helpline",
            "--event",
            "examples/derailment.yaml",
            "--now",
            NOW,
        ])
        .args(["--message", "announce-sms", "--lang", "en", "--raw"])
        .output()
        .unwrap();
    assert_eq!(example.status.code(), Some(1));
    assert!(stdout(&example).is_empty());
    assert!(
        stderr(&example).contains("cannot carry the mark"),
        "{}",
        stderr(&example)
    );
}

#[test]
fn preview_shows_the_example_values_marked_for_approvers() {
    let sandbox = crate::support::Sandbox::from_fixture("approval");
    // Not approved yet: the preview is still shown, marked twice.
    let output = sandbox
        .crisis()
        .args(["preview", "helpline", "--now", NOW])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("*** PREVIEW"), "{text}");
    assert!(text.contains("DRAFT - NOT APPROVED"), "{text}");
    assert!(text.contains("Springfield"), "the example value: {text}");
}

#[test]
fn rendering_some_languages_needs_only_the_details_their_messages_use() {
    let repo = crate::support::repo();
    let run = |lang: &str| {
        crate::support::crisis_in(&repo)
            .args(["render", "disaster-helpline", "--set", "area=Pierce County"])
            .args(["--lang", lang, "--now", NOW, "--no-input"])
            .output()
            .unwrap()
    };
    // The Spanish messages do not read the English `event`.
    let spanish = run("es");
    assert!(spanish.status.success(), "{}", stderr(&spanish));
    let english = run("en");
    assert_eq!(english.status.code(), Some(2));
    assert!(
        stderr(&english).contains("event: missing"),
        "{}",
        stderr(&english)
    );
}

#[test]
fn the_closing_message_is_shown_as_waiting_for_the_close_not_due_at_once() {
    let sandbox = crate::support::Sandbox::from_fixture("events");
    let render = |format: &str| {
        let output = sandbox
            .crisis()
            .args(["render", "helpline", "--set", "area=Springfield"])
            .args(["--now", "2026-03-07T09:00:00-08:00", "--format", format])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        crate::support::stdout(&output)
    };
    let text = render("text");
    assert!(
        text.contains("== all-clear [x, en] due when the event is closed (crisis close) =="),
        "{text}"
    );
    assert!(text.contains("== announce-x [x, en] due 2026-03-07 09:00 PST (at once) =="));
    let json: serde_json::Value = serde_json::from_str(&render("json")).unwrap();
    let closing: Vec<&serde_json::Value> = json["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["on_close"] == true)
        .collect();
    assert_eq!(closing.len(), 1);
    assert_eq!(closing[0]["id"], "all-clear");
}

#[test]
fn every_example_playbook_renders_from_its_example_event_and_fits() {
    let repo = crate::support::repo();
    for id in crate::support::example_playbooks() {
        // The three first examples keep their older event file names.
        let event = match id.as_str() {
            "disaster-helpline" => "examples/derailment.yaml".to_owned(),
            "boil-water-notice" => "examples/boil-water.json".to_owned(),
            "complaint-reply" => "examples/complaint.yaml".to_owned(),
            other => format!("examples/{other}.yaml"),
        };
        assert!(
            repo.join(&event).is_file(),
            "{id} has no example event {event}"
        );
        let output = crate::support::crisis_in(&repo)
            .args([
                "render", &id, "--event", &event, "--now", NOW, "--format", "json",
            ])
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{id}: {}",
            crate::support::stderr(&output)
        );
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let messages = json["messages"].as_array().unwrap();
        assert!(!messages.is_empty(), "{id}");
        for m in messages {
            assert_eq!(m["fits"], true, "{id}: {m}");
        }
        let langs: std::collections::BTreeSet<&str> =
            messages.iter().filter_map(|m| m["lang"].as_str()).collect();
        assert_eq!(langs, ["en", "es"].into(), "{id} is in English and Spanish");
    }
}

#[test]
fn a_phone_number_longer_than_lint_measured_is_refused() {
    let sandbox = crate::support::Sandbox::from_fixture("events");
    let output = sandbox
        .crisis()
        .args([
            "render",
            "helpline",
            "--set",
            "area=Springfield",
            "--no-input",
        ])
        .args(["--set", "phone=+1 . 2 . 3 . 4 . 5 . 6 . 7"])
        .args(["--now", "2026-03-07T09:00:00-08:00"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = crate::support::stderr(&output);
    assert!(
        err.contains("phone: is 26 characters; at most 18 allowed"),
        "{err}"
    );
}

#[test]
fn at_time_gives_each_language_its_clock_and_spanish_its_article() {
    let playbook = "id: ended\ntitle: Ended\nversion: 1\nowner: Comms <comms@example.org>\n\
        languages: [en, es]\ntimezone: America/Los_Angeles\n\
        messages:\n  - id: web\n    channel: web\n    \
        text:\n      en: \"It ended {{ started_at | at_time }}.\"\n      \
        es: \"Terminó {{ started_at | at_time }} ({{ started_at | at_time('12h') }})\"\n\
        signoff:\n  - { role: Duty, confirm: Checked }\n";
    let sandbox = Sandbox::new().file("playbooks/ended.yaml", playbook);
    let lint = sandbox.crisis().arg("lint").output().unwrap();
    assert!(
        !stdout(&lint).contains("error["),
        "lint finds no error: {}",
        stdout(&lint)
    );
    for (local, en, es) in [
        (
            "2026-12-01 01:30",
            "It ended at 1:30 AM.",
            "Terminó a la 1:30 (a la 1:30 a. m.)",
        ),
        (
            "2026-12-01 13:05",
            "It ended at 1:05 PM.",
            "Terminó a las 13:05 (a la 1:05 p. m.)",
        ),
        (
            "2026-12-01 00:00",
            "It ended at 12:00 AM.",
            "Terminó a las 0:00 (a las 12:00 a. m.)",
        ),
        (
            "2026-12-01 21:45",
            "It ended at 9:45 PM.",
            "Terminó a las 21:45 (a las 9:45 p. m.)",
        ),
    ] {
        let output = sandbox
            .crisis()
            .args(["render", "ended", "--draft", "--format", "json"])
            .args(["--now", "2026-12-01T23:59:00-08:00"])
            .args(["--set", &format!("started_at={local}")])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let packet: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let text = |lang: &str| {
            packet["messages"]
                .as_array()
                .and_then(|m| m.iter().find(|m| m["lang"] == lang))
                .and_then(|m| m["text"].as_str())
                .map(str::to_owned)
        };
        assert!(
            text("en").is_some_and(|t| t.ends_with(en)),
            "{local}: {:?}",
            text("en")
        );
        assert!(
            text("es").is_some_and(|t| t.ends_with(es)),
            "{local}: {:?}",
            text("es")
        );
    }
}

#[test]
fn values_that_would_count_or_read_differently_once_shown_are_refused() {
    let playbook = "id: notice\ntitle: Notice\nversion: 1\nowner: Comms <comms@example.org>\n\
        languages: [ES]\ntimezone: UTC\nfields:\n  \
        area: { type: text, max_len: 30, example: Riverside }\n  \
        link: { type: url, max_len: 60, example: \"https://example.org/agua\" }\n\
        messages:\n  - id: web\n    channel: web\n    \
        text: { ES: \"{{ area }} {{ link }} {{ started_at | datetime('%A %-d de %B') }}\" }\n\
        signoff:\n  - { role: Duty, confirm: Checked }\n";
    let sandbox = Sandbox::new().file("playbooks/notice.yaml", playbook);
    let render = |sets: &[&str]| {
        let mut command = sandbox.crisis();
        command.args(["render", "notice", "--draft", "--format", "json"]);
        command.args(["--now", "2026-11-28T10:00:00Z"]);
        for set in sets {
            command.args(["--set", set]);
        }
        command.output().unwrap()
    };
    // A link with letters outside ASCII: a social network counts it whole.
    let output = render(&["area=Riverside", "link=https://example.org/caf\u{e9}"]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(
        stderr(&output).contains("percent-encoded"),
        "{}",
        stderr(&output)
    );
    // A text that becomes a link in capitals ('ſ' is 'S').
    let output = render(&["area=a.\u{17f}t", "link=https://example.org/agua"]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(
        stderr(&output).contains("in capitals or small letters"),
        "{}",
        stderr(&output)
    );
    // A language tag in capitals still gets its own day and month names.
    let output = render(&["area=Riverside", "link=https://example.org/caf%C3%A9"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("s\u{e1}bado 28 de noviembre"),
        "{}",
        stdout(&output)
    );
}
