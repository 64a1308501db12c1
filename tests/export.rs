//! `crisis export`: scheduler CSV files, read back with a CSV parser and
//! checked against each tool's documented columns and rules.

use crate::support::{stdout, Sandbox};
use chrono::{NaiveDateTime, Timelike};

const START: &str = "2026-12-01T09:00:00-08:00";

/// A catalog with one playbook of `messages` (id, channel, after, text),
/// in English, requiring no approval.
fn catalog(messages: &[(&str, &str, &str, &str)]) -> Sandbox {
    let mut yaml = String::from(
        "id: updates\ntitle: Updates\nversion: 1\nowner: Comms <comms@example.org>\n\
         languages: [en]\ntimezone: America/Los_Angeles\n\
         fields:\n  area: { type: text, max_len: 20, example: Springfield }\nmessages:\n",
    );
    for (id, channel, after, text) in messages {
        yaml.push_str(&format!(
            "  - {{ id: {id}, channel: {channel}, after: {after}, text: {{ en: \"{text}\" }} }}\n"
        ));
    }
    yaml.push_str("signoff:\n  - { role: Communications lead, confirm: Facts verified }\n");
    Sandbox::new().file("playbooks/updates.yaml", &yaml)
}

/// Renders the playbook into `packet/` at the event's start.
fn render(sandbox: &Sandbox) {
    render_with(sandbox, &[]);
}

fn render_with(sandbox: &Sandbox, extra: &[&str]) {
    let output = sandbox
        .crisis()
        .args(["render", "updates", "--set", "area=Springfield"])
        .args(extra)
        .args([
            "--set",
            &format!("started_at={START}"),
            "--now",
            START,
            "--out",
            "packet",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

fn export(sandbox: &Sandbox, args: &[&str]) -> std::process::Output {
    sandbox
        .crisis()
        .args([
            "export",
            "packet/render.json",
            "--out",
            "csv",
            "--now",
            START,
        ])
        .args(args)
        .output()
        .unwrap()
}

/// Every record of a CSV file, as the tool's parser would read it.
fn records(sandbox: &Sandbox, name: &str) -> Vec<Vec<String>> {
    let bytes = std::fs::read(sandbox.path().join("csv").join(name))
        .unwrap_or_else(|_| panic!("no csv/{name}"));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    reader
        .records()
        .map(|r| r.expect("a CSV record").iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn hootsuite_gets_headerless_rows_on_five_minute_steps() {
    let sandbox = catalog(&[
        ("now-x", "x", "0m", "At once for {{ area }}."),
        (
            "later-x",
            "x",
            "1h",
            "An hour on for {{ area }}, with \\\"quotes\\\", commas.",
        ),
        ("later-web", "web", "1h", "Banner for {{ area }}."),
        ("odd-x", "x", "2h3m", "Two hours three for {{ area }}."),
    ]);
    render(&sandbox);
    let output = export(&sandbox, &["--to", "hootsuite"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let summary = stdout(&output);
    let rows = records(&sandbox, "hootsuite-x-en.csv");
    // No header: three columns, date-time, text, link.
    assert_eq!(rows.len(), 2, "{rows:?}");
    for row in &rows {
        assert_eq!(row.len(), 3);
        let at = NaiveDateTime::parse_from_str(&row[0], "%m/%d/%Y %H:%M")
            .unwrap_or_else(|_| panic!("'{}' is not MM/DD/YYYY HH:MM", row[0]));
        assert_eq!(at.minute() % 5, 0);
        assert_eq!(row[2], "");
    }
    assert_eq!(rows[0][0], "12/01/2026 10:00");
    assert_eq!(
        rows[0][1],
        "An hour on for Springfield, with \"quotes\", commas."
    );
    // 11:03 is not on Hootsuite's step: moved to 11:05, and said so.
    assert_eq!(rows[1][0], "12/01/2026 11:05");
    assert!(
        summary.contains("odd-x (en): 2026-12-01 11:05 PST instead of 2026-12-01 11:03:00 PST"),
        "{summary}"
    );
    // Due now: too soon for any scheduler, so the person on duty posts it.
    assert!(
        summary.contains("now-x (en) on x: due 2026-12-01 09:00 PST"),
        "{summary}"
    );
    assert!(
        summary.contains("later-web (en): hootsuite does not bulk-post to web"),
        "{summary}"
    );
    // Day first when the account reads dates that way.
    let output = export(&sandbox, &["--to", "hootsuite", "--date-order", "dmy"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        records(&sandbox, "hootsuite-x-en.csv")[1][0],
        "01/12/2026 11:05"
    );
}

#[test]
fn sprout_gets_its_header_and_ten_minutes_between_posts() {
    let sandbox = catalog(&[
        ("a-x", "x", "1h", "First for {{ area }}."),
        ("b-x", "x", "1h5m", "Second for {{ area }}."),
        ("c-x", "x", "1h12m", "Third for {{ area }}."),
    ]);
    render(&sandbox);
    let output = export(&sandbox, &["--to", "sprout"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let rows = records(&sandbox, "sprout-x-en.csv");
    assert_eq!(rows[0], ["date", "time_24hr", "message_text"]);
    let times: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    // 10:05 moves to 10:10, which pushes 10:12 to 10:20.
    assert_eq!(times, ["10:00", "10:10", "10:20"]);
    assert!(rows[1..].iter().all(|r| r[0] == "12/01/2026"));
}

#[test]
fn buffer_gets_its_columns_and_files_of_at_most_a_hundred_posts() {
    let messages: Vec<(String, String)> = (1..=101)
        .map(|n| (format!("post-{n}"), format!("{n}h")))
        .collect();
    let list: Vec<(&str, &str, &str, &str)> = messages
        .iter()
        .map(|(id, after)| {
            (
                id.as_str(),
                "mastodon",
                after.as_str(),
                "Update for {{ area }}.",
            )
        })
        .collect();
    let sandbox = catalog(&list);
    render(&sandbox);
    let output = export(&sandbox, &["--to", "buffer"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let first = records(&sandbox, "buffer-mastodon-en-part1.csv");
    let second = records(&sandbox, "buffer-mastodon-en-part2.csv");
    assert_eq!(first[0], ["Text", "Image URL", "Tags", "Posting Time"]);
    assert_eq!((first.len() - 1, second.len() - 1), (100, 1));
    assert_eq!(
        first[1],
        ["Update for Springfield.", "", "", "2026-12-01 10:00"]
    );
    assert_eq!(second[1][3], "2026-12-05 14:00");
}

#[test]
fn a_render_json_edited_after_rendering_is_refused() {
    let sandbox = catalog(&[("a-x", "x", "1h", "Call us about {{ area }}.")]);
    render(&sandbox);
    let path = sandbox.path().join("packet/render.json");
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("Call us about Springfield.", "Send money to Springfield.");
    std::fs::write(&path, edited).unwrap();
    let output = export(&sandbox, &["--to", "buffer"]);
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains(
            "does not hold the words the approved playbook renders from its details for a-x (en)"
        ),
        "{err}"
    );
    assert!(!sandbox.path().join("csv").exists());
}

#[test]
fn an_unapproved_playbook_is_not_exported() {
    let sandbox = catalog(&[("a-x", "x", "1h", "Call us about {{ area }}.")]);
    let path = sandbox.path().join("playbooks/updates.yaml");
    let yaml = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{yaml}approvals_required: [legal]\n")).unwrap();
    render_with(&sandbox, &["--draft"]);
    let output = export(&sandbox, &["--to", "hootsuite"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not approved"));
    assert!(!sandbox.path().join("csv").exists());
}

#[test]
fn an_event_is_exported_by_its_id() {
    let sandbox = catalog(&[("a-x", "x", "1h", "Call us about {{ area }}.")]);
    let id = stdout(
        &sandbox
            .crisis()
            .args([
                "open",
                "updates",
                "--set",
                "area=Springfield",
                "--now",
                START,
            ])
            .output()
            .unwrap(),
    )
    .trim()
    .to_owned();
    let output = sandbox
        .crisis()
        .args([
            "export",
            &id,
            "--to",
            "hootsuite",
            "--out",
            "csv",
            "--now",
            START,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let rows = records(&sandbox, "hootsuite-x-en.csv");
    assert_eq!(
        rows[0][..2],
        ["12/01/2026 10:00", "Call us about Springfield."]
    );
}

#[test]
fn a_render_json_cut_down_to_carry_other_details_is_refused() {
    let sandbox = catalog(&[
        ("a-x", "x", "1h", "Call us about {{ area }}."),
        ("b-web", "web", "1h", "Help for {{ area }}."),
    ]);
    render(&sandbox);
    let path = sandbox.path().join("packet/render.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    json["messages"] = serde_json::json!([]);
    json["event"]["area"] = "the FAKE emergency".into();
    std::fs::write(&path, json.to_string()).unwrap();
    let output = export(&sandbox, &["--to", "buffer"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("does not hold the words the approved playbook renders"),
        "{err}"
    );
    assert!(!sandbox.path().join("csv").exists());
}

#[test]
fn export_never_replaces_a_render_packet() {
    let sandbox = catalog(&[("a-x", "x", "1h", "Call us about {{ area }}.")]);
    render(&sandbox);
    let output = sandbox
        .crisis()
        .args([
            "export",
            "packet/render.json",
            "--to",
            "buffer",
            "--out",
            "packet",
        ])
        .args(["--now", START])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(sandbox.path().join("packet/render.json").is_file());
}

#[test]
fn a_post_in_the_hour_that_happens_twice_is_flagged() {
    // 2026-11-01 01:00-02:00 happens twice in Los Angeles.
    let sandbox = catalog(&[("a-x", "x", "1h", "Call us about {{ area }}.")]);
    let output = sandbox
        .crisis()
        .args(["render", "updates", "--set", "area=Springfield"])
        .args(["--set", "started_at=2026-11-01T00:20:00-07:00"])
        .args(["--now", "2026-11-01T00:00:00-07:00", "--out", "packet"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let output = sandbox
        .crisis()
        .args([
            "export",
            "packet/render.json",
            "--to",
            "sprout",
            "--out",
            "csv",
        ])
        .args(["--now", "2026-11-01T00:00:00-07:00"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let summary = stdout(&output);
    assert!(
        summary.contains("a time that happens twice in America/Los_Angeles"),
        "{summary}"
    );
}

#[test]
fn a_source_that_is_not_a_rendering_is_a_usage_error_naming_where() {
    let sandbox = catalog(&[("a-x", "x", "1h", "Call us about {{ area }}.")])
        .file(
            "broken.json",
            "{\"playbook\": \"updates\",\n  \"event\": [}\n",
        )
        .file("other.json", "{\"hello\": 1}\n");
    let run = |source: &str| {
        let output = sandbox
            .crisis()
            .args([
                "export", source, "--to", "buffer", "--out", "csv", "--now", START,
            ])
            .output()
            .unwrap();
        (output.status.code(), crate::support::stderr(&output))
    };
    let (code, err) = run("broken.json");
    assert_eq!(code, Some(2));
    assert!(err.contains("broken.json:2:"), "{err}");
    let (code, err) = run("other.json");
    assert_eq!(code, Some(2));
    assert!(err.contains("is not a render.json"), "{err}");
    // A rendering names its playbook by id; a path would pick the catalog.
    let path = sandbox.path().join("packet/render.json");
    render(&sandbox);
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "\"playbook\": \"updates\"",
        "\"playbook\": \"/elsewhere/playbooks/updates.yaml\"",
    );
    std::fs::write(sandbox.path().join("path.json"), text).unwrap();
    let (code, err) = run("path.json");
    assert_eq!(code, Some(2));
    assert!(err.contains("which is not a playbook id"), "{err}");
    let (code, err) = run("missing.json");
    assert_eq!(code, Some(2));
    assert!(
        err.contains("cannot read the rendering missing.json"),
        "{err}"
    );
    let (code, err) = run("no such event");
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot be an event id"), "{err}");
    assert!(!sandbox.path().join("csv").exists());
}
