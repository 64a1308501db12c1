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

    /// A copy of a fixture folder.
    pub fn from_fixture(rel: &str) -> Sandbox {
        let sandbox = Sandbox::new();
        copy_dir(&fixture(rel), sandbox.path());
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
