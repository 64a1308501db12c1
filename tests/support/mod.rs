//! A small builder for test catalogs and a `crisis` command that sees none of
//! the developer's environment.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture folder under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures").join(rel)
}

/// `crisis` with a clean environment, run in `dir`.
pub fn crisis_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("crisis").expect("the crisis binary is built");
    cmd.current_dir(dir)
        .env_remove("CRISIS_CATALOG")
        .env_remove("CRISIS_EVENTS")
        .env_remove("CRISIS_LEDGER")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    cmd
}

/// A temporary folder of files, such as a catalog made for one test.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    /// A copy of a fixture folder (an overlay fixture laid over its base).
    pub fn from_fixture(rel: &str) -> Sandbox {
        let sandbox = Sandbox::new();
        materialize(rel, sandbox.path());
        sandbox
    }

    pub fn file(self, rel: &str, contents: &str) -> Sandbox {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("created folder");
        std::fs::write(path, contents).expect("written file");
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).expect("a readable file")
    }

    pub fn crisis(&self) -> Command {
        crisis_in(self.path())
    }
}

/// The catalog every lint fixture is a small change of.
pub const LINT_BASE: &str = "lint/ok";

/// Writes fixture `rel` into `to`. A lint rule's fixture
/// (`lint/<code>-<name>/`) is an overlay: the files that differ from
/// [`LINT_BASE`], and a `REMOVE` file listing base files it has not.
pub fn materialize(rel: &str, to: &Path) {
    let overlay = rel.starts_with("lint/") && rel != LINT_BASE;
    if overlay {
        copy_dir(&fixture(LINT_BASE), to);
    }
    copy_dir(&fixture(rel), to);
    let remove = to.join("REMOVE");
    if overlay && remove.is_file() {
        let listed = std::fs::read_to_string(&remove).expect("a REMOVE list");
        for line in listed.lines().filter(|l| !l.trim().is_empty()) {
            std::fs::remove_file(to.join(line.trim())).expect("a listed base file");
        }
        std::fs::remove_file(remove).expect("REMOVE itself");
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("a fixture folder") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("created folder");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copied file");
        }
    }
}

/// Standard output of a finished command as text.
pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The ids of the example catalog's playbooks, from `playbooks/`.
pub fn example_playbooks() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(repo().join("playbooks"))
        .expect("playbooks/")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".yaml"))
                .map(str::to_owned)
        })
        .collect();
    ids.sort();
    ids
}
