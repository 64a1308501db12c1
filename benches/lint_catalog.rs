//! How long lint takes on a large catalog: 1,000 copies of the example
//! disaster-helpline playbook, each with its own 12 templates (13 files a
//! playbook), linted in-process the way `crisis lint` does, next to the time
//! it takes merely to read every file. Prints figures and the ratio; asserts
//! nothing (speed goals live here, not in timed tests). Peak memory of the
//! real binary: `scripts/lint-figures`.
//!
//! Run with `cargo bench --bench lint_catalog` (optionally followed by
//! `-- N` for another catalog size).

use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let size: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("a temporary folder");
    let source = std::fs::read_to_string(repo.join("playbooks/disaster-helpline.yaml"))
        .expect("the example playbook");
    std::fs::create_dir_all(dir.path().join("playbooks")).expect("playbooks/");
    for i in 0..size {
        let text = source
            .replace("id: disaster-helpline", &format!("id: helpline-{i}"))
            .replace(
                "template: disaster-helpline/",
                &format!("template: helpline-{i}/"),
            );
        std::fs::write(
            dir.path().join(format!("playbooks/helpline-{i}.yaml")),
            text,
        )
        .expect("a playbook");
        copy(
            &repo.join("templates/disaster-helpline"),
            &dir.path().join(format!("templates/helpline-{i}")),
        );
    }

    let catalog = crisis::catalog::Catalog::at(dir.path(), dir.path());
    let options = crisis::lint::Options {
        now: chrono::Utc::now(),
        expiring_within_days: 30,
    };
    let mut times: Vec<Duration> = (0..7)
        .map(|_| {
            let start = Instant::now();
            let report = crisis::lint::lint(&catalog, &options, &[]).expect("lint runs");
            assert_eq!(report.files, size);
            start.elapsed()
        })
        .collect();
    times.sort();
    let mut reads: Vec<Duration> = (0..7)
        .map(|_| {
            let start = Instant::now();
            let bytes = read_all(dir.path());
            assert!(bytes > 0);
            start.elapsed()
        })
        .collect();
    reads.sort();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (lint, read) = (times[times.len() / 2], reads[reads.len() / 2]);
    println!(
        "lint of {size} playbooks ({} files) on {cores} cores: median {:.0} ms, min {:.0} ms, max {:.0} ms ({:.2} ms per playbook)",
        size * 13,
        ms(lint),
        ms(times[0]),
        ms(times[times.len() - 1]),
        ms(lint) / size as f64
    );
    println!(
        "reading every file once: median {:.0} ms; lint takes {:.2} times as long",
        ms(read),
        lint.as_secs_f64() / read.as_secs_f64()
    );
}

/// Reads every file below `dir`, on one thread, as the baseline.
fn read_all(dir: &Path) -> usize {
    let mut bytes = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("a folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                bytes += std::fs::read_to_string(&path).expect("a file").len();
            }
        }
    }
    bytes
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
            std::fs::copy(entry.path(), target).expect("a copy");
        }
    }
}
