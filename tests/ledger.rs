//! Events, the ledger and the outbox, through the real binary: a whole
//! event driven through its schedule with `--now`, exactly-once emission
//! when runs repeat, overlap or are killed, missed runs, bad event files,
//! and approvals changing during an event.

use crate::support::{stderr, stdout, Sandbox};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// The event starts the day before the clocks change in Los Angeles.
const START: &str = "2026-03-07T09:00:00-08:00";
const ID: &str = "helpline-20260307-1700";

/// `START` plus `hours` (and `minutes`), as RFC 3339 in UTC.
fn at(hours: i64, minutes: i64) -> String {
    let start = chrono::DateTime::parse_from_rfc3339(START).unwrap();
    (start + chrono::Duration::minutes(hours * 60 + minutes))
        .with_timezone(&chrono::Utc)
        .to_rfc3339()
}

/// A catalog of the events fixture; events, ledger and outbox inside it.
struct Duty {
    sandbox: Sandbox,
}

impl Duty {
    fn new() -> Duty {
        Duty::from("events")
    }

    fn from(fixture: &str) -> Duty {
        Duty {
            sandbox: Sandbox::from_fixture(fixture),
        }
    }

    fn path(&self) -> &Path {
        self.sandbox.path()
    }

    fn run(&self, args: &[&str], now: &str) -> Output {
        self.sandbox
            .crisis()
            .args(args)
            .args(["--now", now])
            .output()
            .expect("crisis ran")
    }

    /// Runs and expects exit 0.
    fn ok(&self, args: &[&str], now: &str) -> String {
        let output = self.run(args, now);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}\n{}\n{}",
            stdout(&output),
            stderr(&output)
        );
        stdout(&output)
    }

    fn open(&self, now: &str) -> String {
        self.ok(&["open", "helpline", "--set", "area=Springfield"], now)
            .trim()
            .to_owned()
    }

    fn due(&self, now: &str) -> Value {
        json(&self.ok(&["due", "--format", "json"], now))
    }

    fn timeline(&self, id: &str) -> Value {
        json(&self.ok(&["timeline", id, "--format", "json"], START))
    }

    fn outbox(&self) -> PathBuf {
        self.path().join("outbox")
    }

    /// The items visible in the outbox: `event/message` for every folder a
    /// reader would look at (names starting with `.` are staging).
    fn items(&self) -> BTreeSet<String> {
        let mut items = BTreeSet::new();
        let Ok(events) = std::fs::read_dir(self.outbox()) else {
            return items;
        };
        for event in events.flatten() {
            let event_name = event.file_name().to_string_lossy().into_owned();
            if event_name.starts_with('.') {
                continue;
            }
            for item in std::fs::read_dir(event.path()).unwrap().flatten() {
                let name = item.file_name().to_string_lossy().into_owned();
                if !name.starts_with('.') {
                    items.insert(format!("{event_name}/{name}"));
                }
            }
        }
        items
    }

    fn message_json(&self, item: &str) -> Value {
        json(&std::fs::read_to_string(self.outbox().join(item).join("message.json")).unwrap())
    }
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: not JSON:\n{text}"))
}

fn emitted(summary: &Value) -> Vec<String> {
    summary["emitted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}/{}",
                e["event"].as_str().unwrap(),
                e["message"].as_str().unwrap()
            )
        })
        .collect()
}

/// Every visible item is whole: each language's text, the checklist and a
/// message.json that parses and lists those languages.
fn assert_whole(duty: &Duty) {
    for item in duty.items() {
        let dir = duty.outbox().join(&item);
        let text = std::fs::read_to_string(dir.join("message.json"))
            .unwrap_or_else(|e| panic!("{item} has no message.json: {e}"));
        let posts: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{item}/message.json is half-written: {e}"));
        for post in posts.as_array().unwrap() {
            let lang = post["lang"].as_str().unwrap();
            let body = std::fs::read_to_string(dir.join(format!("{lang}.txt"))).unwrap();
            assert!(
                body.contains(post["text"].as_str().unwrap()),
                "{item} {lang}"
            );
        }
        assert!(std::fs::read_to_string(dir.join("checklist.md"))
            .unwrap()
            .contains("## Checked by crisis"));
    }
}

/// (event, message, lang) of every `emitted` step in the ledger, counted.
fn emitted_steps(duty: &Duty) -> BTreeMap<(String, String, String), usize> {
    let ledger = rusqlite::Connection::open(duty.path().join("events/ledger.sqlite")).unwrap();
    let mut stmt = ledger
        .prepare("SELECT event, message, lang, count(*) FROM steps WHERE step = 'emitted' GROUP BY event, message, lang")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                (
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ),
                r.get::<_, i64>(3)? as usize,
            ))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

fn steps(timeline: &Value) -> Vec<String> {
    timeline["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let mut line = s["step"].as_str().unwrap().to_owned();
            if let Some(m) = s["message"].as_str() {
                line.push_str(&format!(" {m}"));
            }
            if let Some(l) = s["lang"].as_str() {
                line.push_str(&format!(" {l}"));
            }
            line
        })
        .collect()
}

fn message<'a>(timeline: &'a Value, id: &str) -> &'a Value {
    timeline["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("no message {id} in {timeline}"))
}

#[test]
fn a_whole_event_runs_through_its_schedule() {
    let duty = Duty::new();
    let id = duty.open(START);
    assert_eq!(id, ID);
    let event_file = duty.sandbox.read(&format!("events/{ID}.yaml"));
    assert!(
        event_file.contains("started_at: \"2026-03-07T17:00:00Z\""),
        "{event_file}"
    );
    assert!(event_file.contains("digest: \"sha256:"), "{event_file}");
    assert!(duty.items().is_empty(), "open emits nothing");

    // +0: the announcement, in both languages.
    let summary = duty.due(START);
    assert_eq!(emitted(&summary), [format!("{ID}/announce-x")]);
    assert_eq!(
        summary["emitted"][0]["langs"],
        serde_json::json!(["en", "es"])
    );
    assert_eq!(summary["emitted"][0]["late_seconds"], 0);
    let item = format!("{ID}/announce-x");
    let names: BTreeSet<String> = std::fs::read_dir(duty.outbox().join(&item))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["checklist.md", "en.txt", "es.txt", "message.json"]
            .map(String::from)
            .into()
    );
    let posts = duty.message_json(&item);
    assert_eq!(posts.as_array().unwrap().len(), 2);
    let en = &posts[0];
    for key in [
        "id",
        "event",
        "channel",
        "lang",
        "text",
        "subject",
        "length",
        "limit",
        "due_at",
        "emitted_at",
        "late_seconds",
        "approved",
        "override",
        "ready",
        "checklist",
    ] {
        assert!(en.get(key).is_some(), "message.json lacks {key}: {en}");
    }
    assert_eq!(
        en["text"],
        "Free 24/7 helpline for Springfield: call 1-800-555-0100."
    );
    assert_eq!(en["due_at"], "2026-03-07T09:00:00-08:00");
    assert_eq!(en["ready"], false);
    assert_eq!(en["approved"], Value::Null);
    assert_eq!(posts[1]["lang"], "es");
    let timeline = duty.timeline(ID);
    assert_eq!(
        steps(&timeline),
        ["opened", "emitted announce-x en", "emitted announce-x es"]
    );
    assert_eq!(
        message(&timeline, "update-x")["due_at"],
        "2026-03-07T10:00:00-08:00"
    );
    assert_eq!(message(&timeline, "update-x")["emitted_at"], Value::Null);

    // The same moment again: nothing.
    assert!(emitted(&duty.due(START)).is_empty());
    assert!(emitted(&duty.due(&at(0, 30))).is_empty());

    // Sign-off makes it ready; posting stops its clock.
    let out = duty.ok(
        &[
            "signoff",
            ID,
            "announce-x",
            "--by",
            "Dana Reyes, Communications lead",
            "--item",
            "1",
        ],
        &at(0, 10),
    );
    assert!(out.contains("1 of 4 confirmed"), "{out}");
    assert_eq!(duty.message_json(&item)[0]["ready"], false);
    let out = duty.ok(
        &["signoff", ID, "announce-x", "--by", "Sam Lee, duty manager"],
        &at(0, 20),
    );
    assert!(out.contains("ready to post"), "{out}");
    let posts = duty.message_json(&item);
    assert_eq!(posts[1]["ready"], true);
    assert_eq!(
        posts[0]["checklist"][0]["by"],
        "Dana Reyes, Communications lead"
    );
    assert_eq!(posts[0]["checklist"][1]["by"], "Sam Lee, duty manager");
    assert!(duty
        .sandbox
        .read(&format!("outbox/{item}/checklist.md"))
        .contains("1. [x] **Communications lead**"));
    let out = duty.ok(
        &[
            "posted",
            ID,
            "announce-x",
            "--lang",
            "en",
            "--url",
            "https://x.com/org/status/1",
            "--by",
            "Sam Lee",
        ],
        &at(0, 25),
    );
    assert!(
        out.contains("25 min after the event started (within the target of 1 h)"),
        "{out}"
    );
    let again = duty.run(
        &[
            "posted",
            ID,
            "announce-x",
            "--lang",
            "en",
            "--by",
            "Sam Lee",
        ],
        &at(0, 26),
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already recorded as posted"));

    // +1 h: the update.
    let summary = duty.due(&at(1, 0));
    assert_eq!(emitted(&summary), [format!("{ID}/update-x")]);
    let timeline = duty.timeline(ID);
    let announce = message(&timeline, "announce-x");
    assert_eq!(announce["ready_at"], "2026-03-07T09:20:00-08:00");
    assert_eq!(announce["posted_at"], "2026-03-07T09:25:00-08:00");
    assert_eq!(announce["time_to_post_seconds"], 1500);

    // +24 h falls at 09:00 the next day, after the clocks went forward.
    assert!(emitted(&duty.due(&at(22, 59))).is_empty());
    let summary = duty.due(&at(23, 0));
    assert_eq!(emitted(&summary), [format!("{ID}/reminder-x")]);
    let reminder = duty.message_json(&format!("{ID}/reminder-x"));
    assert_eq!(reminder[0]["due_at"], "2026-03-08T09:00:00-07:00");
    assert_eq!(reminder[0]["late_seconds"], 0);

    // Close: the all-clear, once; then nothing more.
    let out = duty.ok(&["close", ID], &at(25, 0));
    assert!(
        out.contains("emitted helpline-20260307-1700 all-clear (en)"),
        "{out}"
    );
    let out = duty.ok(&["close", ID], &at(26, 0));
    assert!(out.contains("already closed"), "{out}");
    assert!(emitted(&duty.due(&at(48, 0))).is_empty());
    assert_eq!(
        duty.items(),
        ["all-clear", "announce-x", "reminder-x", "update-x"]
            .map(|m| format!("{ID}/{m}"))
            .into()
    );
    let timeline = duty.timeline(ID);
    assert_eq!(timeline["closed_at"], "2026-03-08T11:00:00-07:00");
    assert_eq!(timeline["started_at"], "2026-03-07T09:00:00-08:00");
    assert_eq!(
        steps(&timeline),
        [
            "opened",
            "emitted announce-x en",
            "emitted announce-x es",
            "signed_off announce-x",
            "signed_off announce-x",
            "posted announce-x en",
            "emitted update-x en",
            "emitted update-x es",
            "emitted reminder-x en",
            "closed",
            "emitted all-clear en",
        ]
    );
    for step in timeline["steps"].as_array().unwrap() {
        let keys: BTreeSet<&str> = step
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["at", "by", "lang", "late_seconds", "message", "step"].into()
        );
    }
    let text = duty.ok(&["timeline", ID], START);
    assert!(
        text.contains("2026-03-08 09:00 PDT  emitted    reminder-x (en)"),
        "{text}"
    );
    assert!(
        text.contains("announce-x: due 2026-03-07 09:00 PST"),
        "{text}"
    );
    assert!(
        text.contains("time to post 25 min, within the target of 1 h"),
        "{text}"
    );
    let markdown = duty.ok(&["timeline", ID, "--format", "markdown"], START);
    assert!(markdown.contains("| message | due | emitted | ready | posted | time to post |"));
    let events = duty.ok(&["events"], START);
    assert!(
        events.contains(&format!(
            "{ID}  helpline  started 2026-03-07T09:00:00-08:00  closed  4 of 4 emitted"
        )),
        "{events}"
    );
    assert_whole(&duty);
}

#[test]
fn missed_runs_emit_once_late_and_max_late_skips_and_reports() {
    let duty = Duty::new();
    duty.open(START);
    // The machine was off for 29 hours.
    let summary = json(&duty.ok(
        &["due", "--format", "json", "--max-late", "12h"],
        &at(29, 0),
    ));
    assert_eq!(emitted(&summary), [format!("{ID}/reminder-x")]);
    assert_eq!(summary["emitted"][0]["late_seconds"], 6 * 3600);
    let skipped: Vec<&str> = summary["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["message"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["announce-x", "update-x"]);
    assert!(summary["skipped"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("1 d 5 h late, past --max-late 12h"));
    assert_eq!(
        duty.message_json(&format!("{ID}/reminder-x"))[0]["late_seconds"],
        21600
    );
    // Skipped is final, and reported once.
    let summary = duty.due(&at(31, 0));
    assert!(emitted(&summary).is_empty() && summary["skipped"].as_array().unwrap().is_empty());
    let text = duty.ok(&["due", "--max-late", "1h"], &at(32, 0));
    assert_eq!(text, "nothing due (1 events)\n");
    let timeline = duty.timeline(ID);
    assert_eq!(
        steps(&timeline),
        [
            "opened",
            "skipped announce-x",
            "skipped update-x",
            "emitted reminder-x en"
        ]
    );
    assert_eq!(timeline["steps"][3]["late_seconds"], 21600);
}

/// A second event file, a copy of `ID`'s under `id`.
fn copy_event(duty: &Duty, id: &str) {
    let text = duty.sandbox.read(&format!("events/{ID}.yaml"));
    std::fs::write(
        duty.path().join(format!("events/{id}.yaml")),
        text.replace(&format!("id: \"{ID}\""), &format!("id: \"{id}\"")),
    )
    .unwrap();
}

#[test]
fn a_bad_event_file_is_reported_and_the_others_proceed() {
    let duty = Duty::new();
    duty.open(START);
    copy_event(&duty, "second");
    let good = duty.sandbox.read("events/second.yaml");
    std::fs::write(
        duty.path().join("events/broken.yaml"),
        good.replace("id: \"second\"", "id: \"broken\"").replace(
            "started_at: \"2026-03-07T17:00:00Z\"",
            "started_at: \"yesterday\"",
        ),
    )
    .unwrap();
    std::fs::write(duty.path().join("events/garbled.yaml"), "id: [unclosed\n").unwrap();
    let output = duty.run(&["due"], START);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("error: events/broken.yaml:8:13: 'yesterday' is not an RFC 3339 time"),
        "{err}"
    );
    assert!(err.contains("error: events/garbled.yaml:2:1: "), "{err}");
    assert!(stdout(&output).contains("2 emitted (0 late), 0 skipped, 0 refused, 2 errors"));
    assert_eq!(
        duty.items(),
        [format!("{ID}/announce-x"), "second/announce-x".to_owned()].into()
    );
    let json = json(&stdout(&duty.run(&["due", "--format", "json"], START)));
    assert_eq!(json["errors"][0]["file"], "events/broken.yaml");
    assert_eq!(json["errors"][0]["line"], 8);
}

/// `n` events of the fixture: one opened, the rest copies.
fn many_events(duty: &Duty, n: usize) -> Vec<String> {
    duty.open(START);
    let mut ids = vec![ID.to_owned()];
    for i in 1..n {
        let id = format!("event-{i:03}");
        copy_event(duty, &id);
        ids.push(id);
    }
    ids
}

fn spawn_due(duty: &Duty, now: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_crisis"))
        .current_dir(duty.path())
        .env_remove("CRISIS_CATALOG")
        .env_remove("CRISIS_EVENTS")
        .env_remove("CRISIS_LEDGER")
        .args(["due", "--format", "json", "--now", now])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("crisis started")
}

/// Every expected (event, message) is in the outbox once and the ledger
/// records each language's emission exactly once.
fn assert_exactly_once(duty: &Duty, ids: &[String], messages: &[(&str, &[&str])]) {
    assert_whole(duty);
    let expected: BTreeSet<String> = ids
        .iter()
        .flat_map(|id| messages.iter().map(move |(m, _)| format!("{id}/{m}")))
        .collect();
    assert_eq!(duty.items(), expected);
    let steps = emitted_steps(duty);
    let duplicated: Vec<_> = steps.iter().filter(|(_, n)| **n != 1).collect();
    assert!(
        duplicated.is_empty(),
        "emitted more than once: {duplicated:?}"
    );
    let expected_steps: BTreeSet<(String, String, String)> = ids
        .iter()
        .flat_map(|id| {
            messages.iter().flat_map(move |(m, langs)| {
                langs
                    .iter()
                    .map(move |l| (id.clone(), (*m).to_owned(), (*l).to_owned()))
            })
        })
        .collect();
    assert_eq!(
        steps.keys().cloned().collect::<BTreeSet<_>>(),
        expected_steps
    );
}

#[test]
fn overlapping_runs_emit_each_message_once() {
    const ANNOUNCE: (&str, &[&str]) = ("announce-x", &["en", "es"]);
    const UPDATE: (&str, &[&str]) = ("update-x", &["en", "es"]);
    const REMINDER: (&str, &[&str]) = ("reminder-x", &["en"]);
    let duty = Duty::new();
    let ids = many_events(&duty, 40);
    let mut expected = Vec::new();
    // Three rounds of eight runs started at once, as cron would if each
    // run outlasted the minute.
    for (now, message) in [
        (START.to_owned(), ANNOUNCE),
        (at(1, 0), UPDATE),
        (at(23, 0), REMINDER),
    ] {
        expected.push(message);
        let runs: Vec<Child> = (0..8).map(|_| spawn_due(&duty, &now)).collect();
        let mut reported = Vec::new();
        for run in runs {
            let output = run.wait_with_output().unwrap();
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
            reported.extend(emitted(&json(&stdout(&output))));
        }
        let unique: BTreeSet<&String> = reported.iter().collect();
        assert_eq!(unique.len(), reported.len(), "reported twice: {reported:?}");
        assert_eq!(reported.len(), ids.len(), "{reported:?}");
        assert_exactly_once(&duty, &ids, &expected);
    }
}

#[test]
fn a_run_killed_at_any_point_loses_and_duplicates_nothing() {
    let duty = Duty::new();
    // 150 events, each with three messages due in two languages or one:
    // 450 items, 750 posts.
    let ids = many_events(&duty, 150);
    let now = at(23, 0);
    let started = std::time::Instant::now();
    let mut kills = 0;
    // Kill runs at growing delays: at start-up, while claiming, while
    // writing items, while recording them. Each run continues what the
    // killed ones left.
    for delay_ms in [5u64, 15, 30, 50, 80, 120, 170, 230, 300, 400, 520, 650] {
        let mut run = spawn_due(&duty, &now);
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        if run.try_wait().unwrap().is_none() {
            run.kill().unwrap();
            kills += 1;
        }
        run.wait().unwrap();
        // Whatever the moment, no half-written item is visible.
        assert_whole(&duty);
    }
    let output = spawn_due(&duty, &now).wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(kills > 0, "every run ended before it could be killed");
    assert_exactly_once(
        &duty,
        &ids,
        &[
            ("announce-x", &["en", "es"]),
            ("update-x", &["en", "es"]),
            ("reminder-x", &["en"]),
        ],
    );
    // Nothing is left claimed or half-written beside the items.
    let ledger = rusqlite::Connection::open(duty.path().join("events/ledger.sqlite")).unwrap();
    let claimed: i64 = ledger
        .query_row(
            "SELECT count(*) FROM emissions WHERE state != 'emitted'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(claimed, 0);
    for id in &ids {
        for entry in std::fs::read_dir(duty.outbox().join(id)).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(!name.starts_with('.'), "staging left behind: {id}/{name}");
        }
    }
    assert!(
        emitted(&duty.due(&now)).is_empty(),
        "a run after everything was emitted emits nothing"
    );
    eprintln!("{kills} kills in {:?}", started.elapsed());
}

const NOW_APPROVED: &str = "2025-03-01T12:00:00Z";

/// The approval fixture with a follow-up two days after the start,
/// approved by both roles on 2025-01-15 until 2026-01-15.
fn approved_duty() -> Duty {
    let duty = Duty::from("approval");
    let playbook = duty.path().join("playbooks/helpline.yaml");
    let text = std::fs::read_to_string(&playbook).unwrap().replace(
        "signoff:",
        "  - id: follow-up-sms\n    channel: sms\n    after: 48h\n    max_segments: 2\n    text:\n      en: \"Still here for {{ area }}: {{ phone }}.\"\n      es: \"Seguimos aquí para {{ area }}: {{ phone }}.\"\nsignoff:",
    );
    std::fs::write(&playbook, text).unwrap();
    for (role, by) in [
        ("communications", "Sam Lee, Head of Communications"),
        ("legal", "Dana Reyes, Associate General Counsel"),
    ] {
        duty.ok(
            &[
                "approve",
                "helpline",
                "--role",
                role,
                "--by",
                by,
                "--on",
                "2025-01-15",
            ],
            NOW_APPROVED,
        );
    }
    duty
}

const LATE_START: &str = "2026-01-14T12:00:00Z";

#[test]
fn an_approval_that_lapses_during_an_event_does_not_stop_its_follow_ups() {
    let duty = approved_duty();
    let id = duty.open(LATE_START);
    duty.due(LATE_START);
    assert_eq!(
        duty.message_json(&format!("{id}/announce-x"))[0]["approved"],
        true
    );
    // Two days on, the approvals have expired; the words have not changed.
    let later = "2026-01-16T12:00:00Z";
    let lint = duty.run(&["lint"], later);
    assert_eq!(lint.status.code(), Some(1), "the approvals have lapsed");
    let summary = duty.due(later);
    assert_eq!(emitted(&summary), [format!("{id}/follow-up-sms")]);
    let posts = duty.message_json(&format!("{id}/follow-up-sms"));
    assert_eq!(posts[0]["approved"], true);
    let words = posts[0]["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["role"] == "Words")
        .unwrap();
    assert!(
        words["item"]
            .as_str()
            .unwrap()
            .contains("the approval lapsed since"),
        "{words}"
    );
    let text = duty.ok(&["timeline", &id], later);
    assert!(text.contains("the approval lapsed since"), "{text}");
}

#[test]
fn content_changed_during_an_event_is_refused_until_approved_again() {
    let duty = approved_duty();
    let id = duty.open(LATE_START);
    duty.due(LATE_START);
    let playbook = duty.path().join("playbooks/helpline.yaml");
    let text = std::fs::read_to_string(&playbook).unwrap();
    std::fs::write(
        &playbook,
        text.replace("Still here for", "We are still here for"),
    )
    .unwrap();
    let later = "2026-01-16T12:00:00Z";
    let output = duty.run(&["due"], later);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains(&format!(
            "REFUSED {id} follow-up-sms: the content of 'helpline' changed since event {id} opened"
        )),
        "{err}"
    );
    assert!(
        err.contains("Who must approve: communications, legal"),
        "{err}"
    );
    assert!(!duty.items().contains(&format!("{id}/follow-up-sms")));
    // Refused again on the next run, recorded once.
    assert_eq!(duty.run(&["due"], later).status.code(), Some(1));
    let timeline = duty.timeline(&id);
    assert_eq!(
        steps(&timeline)
            .iter()
            .filter(|s| s.starts_with("refused"))
            .count(),
        1
    );
    for (role, by) in [
        ("communications", "Sam Lee, Head of Communications"),
        ("legal", "Dana Reyes, Associate General Counsel"),
    ] {
        duty.ok(&["approve", "helpline", "--role", role, "--by", by], later);
    }
    let summary = duty.due(later);
    assert_eq!(emitted(&summary), [format!("{id}/follow-up-sms")]);
    let posts = duty.message_json(&format!("{id}/follow-up-sms"));
    assert_eq!(
        posts[0]["text"],
        "We are still here for Springfield: 1-800-555-0100."
    );
}

#[test]
fn an_unapproved_playbook_opens_only_with_an_override_that_every_output_carries() {
    let duty = Duty::from("approval");
    let refused = duty.run(
        &["open", "helpline", "--set", "area=Springfield"],
        NOW_APPROVED,
    );
    assert_eq!(refused.status.code(), Some(1));
    let err = stderr(&refused);
    assert!(err.contains("'helpline' is not approved for use"), "{err}");
    assert!(err.contains("--override \"REASON\" --by NAME"), "{err}");
    assert!(!duty.path().join("events").exists(), "nothing written");

    let id = duty.ok(
        &[
            "open",
            "helpline",
            "--set",
            "area=Springfield",
            "--override",
            "the helpline moved an hour ago",
            "--by",
            "Sam Lee",
        ],
        NOW_APPROVED,
    );
    let id = id.trim();
    let mark = "NOT PRE-APPROVED: released by Sam Lee because the helpline moved an hour ago";
    duty.due(NOW_APPROVED);
    let item = duty.outbox().join(id).join("announce-x");
    let en = std::fs::read_to_string(item.join("en.txt")).unwrap();
    assert!(en.starts_with(&format!("{mark}\n\n")), "{en}");
    assert!(std::fs::read_to_string(item.join("checklist.md"))
        .unwrap()
        .contains(mark));
    let posts = duty.message_json(&format!("{id}/announce-x"));
    assert_eq!(posts[0]["override"], mark);
    assert_eq!(posts[0]["approved"], false);
    assert!(duty.ok(&["timeline", id], NOW_APPROVED).starts_with(mark));
    let timeline = duty.timeline(id);
    assert_eq!(timeline["steps"][1]["step"], "override");
    assert_eq!(timeline["steps"][1]["by"], "Sam Lee");

    // An approved playbook needs no override.
    let duty = approved_duty();
    let output = duty.run(
        &[
            "open",
            "helpline",
            "--set",
            "area=Springfield",
            "--override",
            "x",
            "--by",
            "Sam",
        ],
        NOW_APPROVED,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("is approved; open it without --override"));
}

#[test]
fn open_checks_details_like_render_and_writes_nothing_when_they_are_wrong() {
    let duty = Duty::new();
    let output = duty.run(&["open", "helpline", "--set", "aera=Springfield"], START);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("cannot open 'helpline'"), "{err}");
    assert!(err.contains("did you mean 'area'?"), "{err}");
    assert!(!duty.path().join("events").exists());
    let json = json(&duty.ok(
        &[
            "open",
            "helpline",
            "--set",
            "area=Springfield",
            "--format",
            "json",
        ],
        START,
    ));
    assert_eq!(json["event"], ID);
    assert_eq!(json["path"], format!("events/{ID}.yaml"));
    // A second event of the same minute gets its own id.
    assert_eq!(duty.open(START), format!("{ID}-2"));
}

#[test]
fn schema_prints_the_playbook_schema_and_the_outbox_contract() {
    let duty = Duty::new();
    let playbook = json(&duty.ok(&["schema"], START));
    assert_eq!(playbook["title"], "crisis-playbook playbook");
    assert!(playbook["properties"]["on_close"].is_object());
    let outbox = json(&duty.ok(&["schema", "outbox"], START));
    assert_eq!(outbox["type"], "array");
    let post = &outbox["$defs"]["Post"]["properties"];
    for key in [
        "id",
        "event",
        "channel",
        "lang",
        "text",
        "subject",
        "length",
        "limit",
        "due_at",
        "emitted_at",
        "late_seconds",
        "approved",
        "override",
        "ready",
        "checklist",
    ] {
        assert!(
            post[key].is_object(),
            "{key} missing from the outbox schema"
        );
    }
}

#[test]
fn an_event_file_edited_after_open_is_refused_not_believed() {
    let duty = approved_duty();
    let id = duty.open(LATE_START);
    duty.due(LATE_START);
    let file = duty.path().join(format!("events/{id}.yaml"));
    let text = std::fs::read_to_string(&file).unwrap();
    let forged: String = text
        .lines()
        .map(|line| {
            if line.starts_with("digest:") {
                "digest: \"sha256:0000000000000000000000000000000000000000000000000000000000000000\"".to_owned()
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(forged, text);
    std::fs::write(&file, forged + "\n").unwrap();
    let later = "2026-01-16T12:00:00Z";
    let output = duty.run(&["due"], later);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(
        stderr(&output).contains("changed since the event was opened"),
        "{}",
        stderr(&output)
    );
    assert!(!duty.items().contains(&format!("{id}/follow-up-sms")));
}

#[test]
fn a_hand_written_event_file_is_believed_only_as_far_as_the_catalog_bears_it_out() {
    let duty = approved_duty();
    let id = duty.open(LATE_START);
    let text = std::fs::read_to_string(duty.path().join(format!("events/{id}.yaml"))).unwrap();
    std::fs::write(
        duty.path().join("events/forged.yaml"),
        text.replace(&format!("id: \"{id}\""), "id: \"forged\""),
    )
    .unwrap();
    // The words change after the approvals: the forged file's digest is no
    // longer the content, so it is not admitted.
    let playbook = duty.path().join("playbooks/helpline.yaml");
    let words = std::fs::read_to_string(&playbook).unwrap();
    std::fs::write(
        &playbook,
        words.replace("Still here for", "Unvetted words for"),
    )
    .unwrap();
    let output = duty.run(&["due"], LATE_START);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("the ledger has no record of this event"),
        "{}",
        stderr(&output)
    );
    assert!(!duty.items().iter().any(|i| i.starts_with("forged/")));
}

#[test]
fn an_event_of_a_cap_playbook_sends_its_alert_then_updates_then_cancels_it() {
    use crate::cap::{assert_valid_cap, xpath};
    let duty = Duty::new();
    let playbook = duty.sandbox.read("playbooks/helpline.yaml").replace(
        "on_close: all-clear\n",
        "on_close: all-clear\ncap:\n  sender: alerts@example.org\n  region: US\n  \
         event: { en: Free helpline, es: Línea gratuita }\n  category: [Health]\n  \
         urgency: Expected\n  severity: Minor\n  certainty: Observed\n  expires: 24h\n  \
         area: { field: area }\n  description: announce-x\n  updates: [update-x]\n",
    );
    let duty = Duty {
        sandbox: duty.sandbox.file("playbooks/helpline.yaml", &playbook),
    };
    let alert = |message: &str| {
        let path = duty.outbox().join(ID).join(message).join("alert.cap.xml");
        let xml = std::fs::read(&path).unwrap_or_else(|_| panic!("no {}", path.display()));
        let file = assert_valid_cap(&xml);
        let q = |path: &str| xpath(file.path(), &format!("string({path})"));
        (
            q("/cap:alert/cap:msgType"),
            q("/cap:alert/cap:identifier"),
            q("/cap:alert/cap:sent"),
            q("/cap:alert/cap:references"),
            q("/cap:alert/cap:info[1]/cap:description"),
            q("count(/cap:alert/cap:info)"),
        )
    };
    duty.open(START);
    duty.due(START);
    let first = alert("announce-x");
    assert_eq!(first.0, "Alert");
    assert_eq!(first.1, format!("{ID}.announce-x"));
    assert_eq!(first.2, "2026-03-07T09:00:00-08:00");
    assert_eq!(first.3, "");
    assert_eq!(
        first.4,
        "Free 24/7 helpline for Springfield: call 1-800-555-0100."
    );
    assert_eq!(first.5, "2");
    // Emitted ten minutes late: `sent` says when it went out.
    duty.due(&at(1, 10));
    let update = alert("update-x");
    assert_eq!(update.0, "Update");
    assert_eq!(update.2, "2026-03-07T10:10:00-08:00");
    assert_eq!(
        update.3,
        format!("alerts@example.org,{ID}.announce-x,2026-03-07T09:00:00-08:00")
    );
    assert!(
        update.4.starts_with("Update for Springfield"),
        "{}",
        update.4
    );
    // Items that are neither the description, an update nor the closing
    // message carry no alert.
    duty.due(&at(24, 0));
    assert!(!duty
        .outbox()
        .join(ID)
        .join("reminder-x/alert.cap.xml")
        .exists());
    duty.ok(&["close", ID], &at(25, 0));
    let cancel = alert("all-clear");
    assert_eq!(cancel.0, "Cancel");
    assert_eq!(
        cancel.3,
        format!(
            "alerts@example.org,{ID}.announce-x,2026-03-07T09:00:00-08:00 \
             alerts@example.org,{ID}.update-x,2026-03-07T10:10:00-08:00"
        )
    );
    assert_eq!(cancel.5, "1", "the all-clear is in English only");
}
