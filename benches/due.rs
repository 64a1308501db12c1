//! How long `crisis due` takes, run as cron runs it (the binary, a process
//! per run) on the example disaster-helpline playbook (seven messages, two
//! languages, approved):
//!
//! - over 1,000 open events with nothing due (every message due so far
//!   already in the outbox): goal under 100 ms;
//! - emitting 1,000 messages (200 events, five messages each due at once,
//!   1,800 language versions): goal under 2 s.
//!
//! Prints figures; asserts nothing (speed goals live here, not in timed
//! tests). Run with `cargo bench --bench due`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Inside the example catalog's approval period.
const START: &str = "2026-12-01T07:33:00-08:00";
/// An hour later: the follow-ups at 24 h are not due.
const LATER: &str = "2026-12-01T08:33:00-08:00";

fn main() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    let idle = catalog(1_000);
    let first = due(idle.path(), START);
    println!(
        "setup: first run over 1,000 events emitted 5,000 messages in {:.0} ms",
        ms(first)
    );
    let mut times: Vec<Duration> = (0..9).map(|_| due(idle.path(), LATER)).collect();
    times.sort();
    println!(
        "due over 1,000 open events, nothing due, on {cores} cores: median {:.0} ms, min {:.0} ms, max {:.0} ms (goal < 100 ms)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );

    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let busy = catalog(200);
            due(busy.path(), START)
        })
        .collect();
    times.sort();
    println!(
        "due emitting 1,000 messages (200 events x 5): median {:.0} ms, min {:.0} ms, max {:.0} ms (goal < 2,000 ms)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
    let floor = file_floor(1_000);
    println!(
        "for comparison, the file system alone: 1,000 folders of 4 files (same sizes), each renamed into place, with plain std calls: {:.0} ms",
        ms(floor)
    );
}

/// What creating the outbox's files costs on this machine without crisis:
/// a folder, the files of one item (two texts, checklist, message.json),
/// and a rename, `items` times.
fn file_floor(items: usize) -> Duration {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let start = Instant::now();
    for i in 0..items {
        let temp = dir.path().join(format!(".item-{i}.new"));
        std::fs::create_dir(&temp).expect("a folder");
        for (name, size) in [
            ("en.txt", 300),
            ("es.txt", 300),
            ("checklist.md", 2_500),
            ("message.json", 9_000),
        ] {
            std::fs::write(temp.join(name), vec![b'x'; size]).expect("a file");
        }
        std::fs::rename(&temp, dir.path().join(format!("item-{i}"))).expect("a rename");
    }
    start.elapsed()
}

/// A catalog holding the example playbook and its templates, with `events`
/// open events of it starting at [`START`].
fn catalog(events: usize) -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir_all(dir.path().join("playbooks")).expect("playbooks/");
    std::fs::copy(
        repo.join("playbooks/disaster-helpline.yaml"),
        dir.path().join("playbooks/disaster-helpline.yaml"),
    )
    .expect("the example playbook");
    copy(&repo.join("templates"), &dir.path().join("templates"));
    let output = crisis(dir.path())
        .args([
            "open",
            "disaster-helpline",
            "--set",
            "event=the flood",
            "--set",
            "area=Springfield",
        ])
        .args(["--now", START])
        .output()
        .expect("crisis open ran");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let id = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let text = std::fs::read_to_string(dir.path().join(format!("events/{id}.yaml")))
        .expect("the event file");
    for i in 1..events {
        let copy = format!("event-{i:04}");
        std::fs::write(
            dir.path().join(format!("events/{copy}.yaml")),
            text.replace(&format!("id: \"{id}\""), &format!("id: \"{copy}\"")),
        )
        .expect("an event file");
    }
    dir
}

fn crisis(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_crisis"));
    cmd.current_dir(dir)
        .env_remove("CRISIS_CATALOG")
        .env_remove("CRISIS_EVENTS")
        .env_remove("CRISIS_LEDGER");
    cmd
}

/// One `crisis due` run, timed.
fn due(dir: &Path, now: &str) -> Duration {
    let start = Instant::now();
    let output = crisis(dir)
        .args(["due", "--format", "json", "--now", now])
        .output()
        .expect("crisis due ran");
    let elapsed = start.elapsed();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("a folder") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a copied file");
        }
    }
}
