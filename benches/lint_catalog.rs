//! How long lint takes on a large catalog: 1,000 copies of the example
//! disaster-helpline playbook (with all its templates, in two languages),
//! linted in-process the way `crisis lint` does. Prints figures; asserts
//! nothing (speed goals live here, not in timed tests).
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
        let text = source.replace("id: disaster-helpline", &format!("id: helpline-{i}"));
        std::fs::write(
            dir.path().join(format!("playbooks/helpline-{i}.yaml")),
            text,
        )
        .expect("a playbook");
    }
    copy(&repo.join("templates"), &dir.path().join("templates"));

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
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "lint of {size} playbooks on {cores} cores: median {:.0} ms, min {:.0} ms, max {:.0} ms ({:.2} ms per playbook)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        ms(times[times.len() / 2]) / size as f64
    );
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
