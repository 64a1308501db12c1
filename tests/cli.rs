//! The command line itself: help, usage errors, schema, list and show.

use crate::support::{crisis_in, repo, stdout, Sandbox};

#[test]
fn usage_errors_exit_2() {
    crisis_in(&repo()).arg("frobnicate").assert().code(2);
    crisis_in(&repo()).args(["render"]).assert().code(2);
    crisis_in(&repo())
        .args(["render", "x", "--now", "yesterday"])
        .assert()
        .code(2);
}

#[test]
fn help_and_version_exit_0() {
    crisis_in(&repo()).arg("--help").assert().success();
    crisis_in(&repo()).arg("--version").assert().success();
}

#[test]
fn schema_describes_the_playbook_format() {
    let output = crisis_in(&repo()).arg("schema").output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let properties = schema["properties"].as_object().unwrap();
    for key in [
        "id",
        "title",
        "version",
        "owner",
        "languages",
        "target",
        "timezone",
        "fields",
        "messages",
        "signoff",
    ] {
        assert!(properties.contains_key(key), "schema lacks {key}");
    }
    assert_eq!(
        schema["additionalProperties"], false,
        "unknown keys are errors in editors too"
    );
}

#[test]
fn list_shows_each_playbook() {
    let text = stdout(&crisis_in(&repo()).arg("list").output().unwrap());
    assert!(text.contains("disaster-helpline"), "{text}");
    assert!(text.contains("complaint-reply"), "{text}");
}

#[test]
fn show_lists_fields_messages_and_signoff() {
    let text = stdout(
        &crisis_in(&repo())
            .args(["show", "disaster-helpline"])
            .output()
            .unwrap(),
    );
    assert!(text.contains("fields"), "{text}");
    assert!(text.contains("follow-up-x"), "{text}");
    assert!(text.contains("sign-off:"), "{text}");
}

#[test]
fn no_malformed_playbook_makes_it_panic() {
    // Every prefix of a real playbook, and some byte-level damage: lint must
    // answer with findings (exit 1) or none (exit 0), never a crash.
    let text =
        std::fs::read_to_string(repo().join("tests/fixtures/lint/ok/playbooks/helpline.yaml"))
            .unwrap();
    let sandbox = Sandbox::from_fixture("lint/ok");
    let cuts: Vec<usize> = (0..text.len())
        .step_by(7)
        .filter(|i| text.is_char_boundary(*i))
        .collect();
    for cut in cuts {
        let damaged = format!(
            "{}{}",
            &text[..cut],
            ["", "\t", ": [", "\"", "&a *a", "- -"][cut % 6]
        );
        std::fs::write(sandbox.path().join("playbooks/helpline.yaml"), &damaged).unwrap();
        let output = sandbox.crisis().arg("lint").output().unwrap();
        let code = output.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "exit {code:?} for:\n{damaged}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn the_channels_page_is_generated_from_the_registry() {
    let repo = crate::support::repo();
    let output = crate::support::crisis_in(&repo)
        .args(["channels", "--builtin", "--format", "markdown"])
        .output()
        .unwrap();
    let page = std::fs::read_to_string(repo.join("docs/channels.md")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        page,
        "docs/channels.md is out of date: run `cargo run -- channels --builtin --format markdown > docs/channels.md`"
    );
    assert!(page.contains("| sms | sms | 1 part"));
}

#[test]
fn init_makes_a_catalog_that_lints_clean_once_approved_and_new_adds_playbooks() {
    let sandbox = crate::support::Sandbox::new();
    let made = sandbox.crisis().args(["init", "catalog"]).output().unwrap();
    assert!(made.status.success(), "{}", crate::support::stderr(&made));
    let dir = sandbox.path().join("catalog");
    for file in [
        "crisis.yaml",
        "playbooks/holding-statement.yaml",
        "crisis-playbook.schema.json",
        ".gitattributes",
        ".github/workflows/crisis-lint.yml",
    ] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    // Nothing is overwritten.
    let again = sandbox.crisis().args(["init", "catalog"]).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    let created = crate::support::crisis_in(&dir)
        .args([
            "new",
            "water-outage",
            "--languages",
            "en,es",
            "--channels",
            "x,sms,email",
        ])
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        crate::support::stderr(&created)
    );
    // Before approval, only the policy's missing approvals are errors.
    let lint = crate::support::crisis_in(&dir)
        .arg("lint")
        .output()
        .unwrap();
    let report = stdout(&lint);
    let codes: std::collections::BTreeSet<&str> = report
        .lines()
        .filter_map(|l| l.split("error[").nth(1))
        .map(|rest| &rest[..5])
        .collect();
    assert_eq!(codes, ["CP601"].into(), "{report}");
    for playbook in ["holding-statement", "water-outage"] {
        for role in ["communications", "legal"] {
            let approved = crate::support::crisis_in(&dir)
                .args([
                    "approve",
                    playbook,
                    "--role",
                    role,
                    "--by",
                    "Dana Reyes, Counsel",
                ])
                .output()
                .unwrap();
            assert!(
                approved.status.success(),
                "{}",
                crate::support::stderr(&approved)
            );
        }
    }
    crate::support::crisis_in(&dir)
        .args(["lint", "--deny-warnings"])
        .assert()
        .success();
}

#[test]
fn on_a_terminal_render_asks_for_what_is_missing_and_checks_each_answer() {
    let sandbox = crate::support::Sandbox::from_fixture("lint/ok");
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("crisis"));
    command
        .current_dir(sandbox.path())
        .env_remove("CRISIS_CATALOG")
        .env("NO_COLOR", "1")
        .args(["render", "helpline", "--now", "2026-12-01T12:00:00Z"]);
    let mut session = rexpect::session::spawn_command(command, Some(20_000)).expect("a terminal");
    session.exp_string("area:").expect("asked for the area");
    // Too long for its max_len of 20: asked again, with the reason.
    session
        .send_line("a place name far too long for the field")
        .unwrap();
    session.exp_string("at most 20").expect("the reason");
    // Erase the rejected answer, then give a good one.
    session.send(&"\u{7f}".repeat(60)).unwrap();
    session.send_line("Springfield").unwrap();
    // Every answer is read back, exactly, before anything is rendered.
    session
        .exp_string("Render with area: \"Springfield\"?")
        .expect("the answers read back");
    session.send_line("y").unwrap();
    session
        .exp_string("Free 24/7 helpline for people affected in Springfield")
        .expect("the rendered packet");
    session.exp_eof().expect("the end");
}

#[test]
fn without_a_terminal_nothing_is_asked_and_every_missing_detail_is_listed() {
    let sandbox = crate::support::Sandbox::from_fixture("lint/ok");
    let output = sandbox
        .crisis()
        .args(["render", "helpline", "--now", "2026-12-01T12:00:00Z"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = crate::support::stderr(&output);
    assert!(err.contains("area: missing"), "{err}");
    assert!(stdout(&output).is_empty());
}

#[test]
fn new_and_init_refuse_what_would_leave_a_broken_catalog() {
    let sandbox = crate::support::Sandbox::new();
    let made = sandbox.crisis().args(["init", "catalog"]).output().unwrap();
    assert!(made.status.success());
    let dir = sandbox.path().join("catalog");
    for args in [
        &["new", "a--b"][..],
        &["new", "twice", "--languages", "en,en"],
        &["new", "twice", "--channels", "x,x"],
    ] {
        let output = crate::support::crisis_in(&dir).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
    assert!(!dir.join("playbooks/twice.yaml").exists());
    // A catalog inside a catalog would be linted as part of it.
    let nested = crate::support::crisis_in(&dir.join("playbooks"))
        .args(["init", "inner"])
        .output()
        .unwrap();
    assert_eq!(nested.status.code(), Some(2));
    assert!(!dir.join("playbooks/inner").exists());
}

#[test]
fn completions_load_in_bash_and_man_pages_render() {
    let binary = assert_cmd::cargo::cargo_bin("crisis");
    let loaded = std::process::Command::new("bash")
        .args([
            "-c",
            &format!(
                "source <('{}' completions bash) && complete -p crisis",
                binary.display()
            ),
        ])
        .output()
        .unwrap();
    assert!(
        loaded.status.success(),
        "{}",
        crate::support::stderr(&loaded)
    );
    assert!(stdout(&loaded).contains("_crisis crisis"));
    for page in [None, Some("render"), Some("lint")] {
        let mut command = crate::support::crisis_in(&crate::support::repo());
        command.arg("man");
        command.args(page);
        let roff = command.output().unwrap();
        assert!(roff.status.success());
        let text = String::from_utf8_lossy(&roff.stdout).into_owned();
        assert!(text.starts_with(".ie") || text.contains(".TH"), "{text}");
        // man (or groff, which man runs) renders it where installed.
        if std::process::Command::new("man")
            .arg("--version")
            .output()
            .is_ok()
        {
            let mut man = std::process::Command::new("man")
                .args(["-l", "-"])
                .env("MANPAGER", "cat")
                .env("PAGER", "cat")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            use std::io::Write as _;
            man.stdin.take().unwrap().write_all(&roff.stdout).unwrap();
            let shown = man.wait_with_output().unwrap();
            assert!(shown.status.success());
            assert!(String::from_utf8_lossy(&shown.stdout).contains("NAME"));
        }
    }
}

#[test]
fn colour_only_when_asked_or_forced_never_with_no_color() {
    let sandbox = crate::support::Sandbox::from_fixture("lint/CP205-undeclared-variable");
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = sandbox.crisis();
        command.env_remove("NO_COLOR").arg("lint").args(args);
        for (k, v) in env {
            command.env(k, v);
        }
        stdout(&command.output().unwrap())
    };
    let esc = '\u{1b}';
    // Not a terminal: no colour, unless forced.
    assert!(!run(&[], &[]).contains(esc));
    assert!(run(&[], &[("CLICOLOR_FORCE", "1")]).contains(esc));
    assert!(run(&["--color", "always"], &[]).contains(esc));
    assert!(!run(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]).contains(esc));
    assert!(!run(&[], &[("NO_COLOR", "1")]).contains(esc));
}
