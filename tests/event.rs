//! Event details at the door: render refuses values that would forge lines
//! or hide characters, event files that are not plain files or are too
//! large, and lint refuses field and duration settings past their limits.

use crate::support::{stderr, stdout, Sandbox};

const NOW: &str = "2017-12-18T12:59:00-08:00";

fn render(sandbox: &Sandbox, args: &[&str]) -> std::process::Output {
    sandbox
        .crisis()
        .args(["render", "helpline", "--now", NOW])
        .args(args)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap()
}

/// The valid fixture with its playbook edited by `edit`.
fn helpline(edit: impl Fn(String) -> String) -> Sandbox {
    let sandbox = Sandbox::from_fixture("lint/ok");
    let playbook = edit(sandbox.read("playbooks/helpline.yaml"));
    sandbox.file("playbooks/helpline.yaml", &playbook)
}

#[test]
fn render_refuses_a_value_that_forges_a_checklist_line() {
    let sandbox = Sandbox::from_fixture("lint/ok");
    let output = render(&sandbox, &["--set", "area=Lacey\n- [x] Legal: approved"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    assert!(
        stderr(&output).contains(
            "  area: contains a line break (U+000A) at character 6; 'area' takes a single line"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn render_refuses_a_terminal_escape_from_an_event_file_at_its_line() {
    let sandbox = Sandbox::from_fixture("lint/ok").file("event.yaml", "area: \"Lacey\\e[2J\"\n");
    let output = render(&sandbox, &["--event", "event.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("area: contains an invisible control character (U+001B) at character 6"),
        "{err}"
    );
    assert!(
        !err.contains('\u{1b}'),
        "the escape reached the terminal: {err:?}"
    );
}

#[test]
fn a_multiline_field_renders_its_lines() {
    let sandbox = helpline(|p| {
        p.replace(
            "  phone:",
            "  notes: { type: text, multiline: true, required: false }\n  phone:",
        )
    });
    let output = render(
        &sandbox,
        &[
            "--set",
            "area=Lacey",
            "--set",
            "notes=one\r\ntwo",
            "--format",
            "json",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["event"]["notes"], "one\ntwo");
}

#[test]
fn render_reads_an_event_file_at_the_size_limit_and_refuses_one_past_it() {
    let limit = crisis::event::file::MAX_BYTES as usize;
    let file = |len: usize| format!("area: Lacey\n#{}\n", "x".repeat(len - 14));
    let sandbox = Sandbox::from_fixture("lint/ok")
        .file("at-limit.yaml", &file(limit))
        .file("past-limit.yaml", &file(limit + 1));
    assert_eq!(sandbox.read("at-limit.yaml").len(), limit);
    let output = render(&sandbox, &["--event", "at-limit.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = render(&sandbox, &["--event", "past-limit.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(
            "past-limit.yaml is larger than 262144 bytes; an event file holds a few short values"
        ),
        "{}",
        stderr(&output)
    );
}

#[cfg(unix)]
#[test]
fn render_refuses_an_event_file_that_is_a_named_pipe_without_waiting() {
    let sandbox = Sandbox::from_fixture("lint/ok");
    let made = std::process::Command::new("mkfifo")
        .arg(sandbox.path().join("event.yaml"))
        .status()
        .unwrap();
    assert!(made.success());
    let output = render(&sandbox, &["--event", "event.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("event.yaml is a named pipe, not a file"),
        "{}",
        stderr(&output)
    );
}

#[cfg(unix)]
#[test]
fn render_refuses_a_device_as_the_event_file() {
    let sandbox = Sandbox::from_fixture("lint/ok");
    let output = render(&sandbox, &["--event", "/dev/zero"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("/dev/zero is a device, not a file"),
        "{}",
        stderr(&output)
    );
}

fn lint(sandbox: &Sandbox) -> String {
    stdout(&sandbox.crisis().arg("lint").output().unwrap())
}

#[test]
fn lint_refuses_max_len_past_the_limit_or_zero() {
    // At the limit is tested in `field`: filling a field of 10,000
    // characters to check that messages fit takes lint seconds.
    let past_limit = helpline(|p| p.replace("max_len: 20", "max_len: 10001"));
    assert!(
        lint(&past_limit).contains(
            "error[CP005]: max_len is 10001; at most 10000 characters are allowed (lower it)"
        ),
        "{}",
        lint(&past_limit)
    );
    let zero = helpline(|p| p.replace("max_len: 20", "max_len: 0"));
    assert!(
        lint(&zero).contains("error[CP005]: max_len is 0, so no value could be given"),
        "{}",
        lint(&zero)
    );
}

#[test]
fn lint_accepts_durations_up_to_366_days_and_refuses_longer() {
    let at_limit = helpline(|p| p.replace("target: 1h", "target: 366d"));
    assert!(!lint(&at_limit).contains("CP005"), "{}", lint(&at_limit));
    let past_limit = helpline(|p| p.replace("target: 1h", "target: 366d1s"));
    assert!(
        lint(&past_limit).contains("error[CP005]: '366d1s' is longer than 8784h (366 days)"),
        "{}",
        lint(&past_limit)
    );
}

/// The checklist line that shows the start in words.
fn started_line(output: &std::process::Output) -> String {
    stdout(output)
        .lines()
        .find(|l| l.contains("started_at is right:"))
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn render_reads_a_bare_time_as_today_and_shows_it_in_words() {
    let sandbox = Sandbox::from_fixture("lint/ok");
    let output = render(
        &sandbox,
        &["--set", "area=Lacey", "--set", "started_at=02:40"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        started_line(&output),
        "- [ ] started_at is right: Mon 18 Dec 2017, 02:40 PST"
    );
    assert!(stdout(&output).contains("event started at 02:40 PST (2017-12-18)"));
}

#[test]
fn render_reads_yesterday_and_ago_against_the_clock() {
    let sandbox = Sandbox::from_fixture("lint/ok");
    let output = render(
        &sandbox,
        &["--set", "area=Lacey", "--set", "started_at=yesterday 23:10"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        started_line(&output),
        "- [ ] started_at is right: Sun 17 Dec 2017, 23:10 PST"
    );
    let output = render(
        &sandbox,
        &["--set", "area=Lacey", "--set", "started_at=1h30m ago"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(started_line(&output).ends_with("Mon 18 Dec 2017, 11:29 PST"));
}

#[test]
fn render_refuses_a_bare_time_later_than_now_and_suggests_yesterday() {
    let sandbox = Sandbox::from_fixture("lint/ok").file("event.yaml", "started_at: \"23:50\"\n");
    let output = render(&sandbox, &["--set", "area=Lacey", "--event", "event.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    let err = stderr(&output);
    assert!(
        err.contains("started_at: \"23:50\" is later than now (12:59 PST); write yesterday 23:50 if it was yesterday, or today 23:50 if it is still to come"),
        "{err}"
    );
}

#[test]
fn an_event_template_of_each_example_playbook_renders_as_it_is() {
    // The approvals of the built-in examples are valid at this time.
    const EXAMPLES_NOW: &str = "2026-12-01T12:59:00-08:00";
    let empty = Sandbox::new();
    for id in crate::support::example_playbooks() {
        let id = id.as_str();
        let template = empty
            .crisis()
            .args(["event-template", id])
            .output()
            .unwrap();
        assert_eq!(template.status.code(), Some(0), "{}", stderr(&template));
        let text = stdout(&template);
        assert!(text.starts_with("# Event details for "), "{text}");
        assert!(text.contains("\nstarted_at: now\n"), "{text}");
        let output = empty
            .crisis()
            .args(["render", id, "--event", "-", "--now", EXAMPLES_NOW])
            .write_stdin(template.stdout)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{id}: {}", stderr(&output));
        assert!(
            started_line(&output).ends_with("Tue 1 Dec 2026, 12:59 PST"),
            "{id}: {}",
            started_line(&output)
        );
    }
}

#[test]
fn an_event_template_fills_required_examples_and_comments_out_optional_fields() {
    let sandbox = helpline(|p| {
        p.replace(
            "  phone:",
            "  link: { type: url, required: false, example: \"https://example.org\", help: \"A page with updates\" }\n  phone:",
        )
    });
    let output = sandbox
        .crisis()
        .args(["event-template", "helpline"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("# text, required, max_len 20\n# example: Springfield\narea: Springfield\n"),
        "{text}"
    );
    assert!(
        text.contains("# A page with updates\n# url, optional\n# example: https://example.org\n# link: https://example.org\n"),
        "{text}"
    );
    assert!(text.contains("# phone: 1-800-555-0100\n"), "{text}");
}

#[test]
fn a_text_can_be_given_per_language_on_the_command_line_or_in_a_file() {
    let sandbox = Sandbox::from_fixture("approval")
        .file("event.yaml", "area: { en: Lakewood, es: Lakewood Sur }\n");
    let raw = |args: &[&str], lang: &str| {
        let output = sandbox
            .crisis()
            .args([
                "render",
                "helpline",
                "--draft",
                "--now",
                "2025-03-01T12:00:00Z",
            ])
            .args([
                "--message",
                "announce-sms",
                "--lang",
                lang,
                "--format",
                "json",
            ])
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        json["messages"][0]["text"].as_str().unwrap().to_owned()
    };
    let set = [
        "--set",
        "area=Springfield",
        "--set",
        "area.es=Springfield Sur",
    ];
    assert!(raw(&set, "en").contains("for Springfield:"));
    assert!(raw(&set, "es").contains("para Springfield Sur:"));
    // In a file, as a mapping; every language given is enough.
    let file = ["--event", "event.yaml"];
    assert!(raw(&file, "en").contains("for Lakewood:"));
    assert!(raw(&file, "es").contains("para Lakewood Sur:"));
    // A language the playbook does not have is refused.
    let output = sandbox
        .crisis()
        .args([
            "render",
            "helpline",
            "--draft",
            "--set",
            "area=X",
            "--set",
            "area.fr=Y",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("area.fr: the playbook has no language 'fr'"),
        "{}",
        stderr(&output)
    );
}
