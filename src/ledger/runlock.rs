//! Which runs are alive: each run that emits holds an exclusive lock on a
//! file of its own for as long as it runs, and records its id in every
//! claim it makes. The operating system releases the lock when the process
//! ends, however it ends (`kill -9` included), so a later run can tell a
//! claim left by a dead run (take it over and finish it) from one a live
//! run is working on (leave it alone).
//!
//! A run's file is created under a temporary name, locked, and only then
//! given its final name, so a file with a final name is locked from the
//! moment anyone can see it. These files live in a folder beside the
//! ledger (`ledger.sqlite-runs/`); each run removes its own when it ends,
//! and removes those of dead runs it comes across.

use anyhow::{Context, Result};
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

const SUFFIX: &str = ".lock";

/// The lock of the running process.
pub struct RunLock {
    id: String,
    path: PathBuf,
    _file: File,
}

impl RunLock {
    /// Takes a new run lock in `dir`.
    pub fn acquire(dir: &Path) -> Result<RunLock> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
        let temp = tempfile::Builder::new()
            .prefix(".new-")
            .tempfile_in(dir)
            .with_context(|| format!("cannot write in {}", dir.display()))?;
        temp.as_file()
            .lock()
            .with_context(|| format!("cannot lock a file in {}", dir.display()))?;
        let id = format!(
            "{}-{}",
            std::process::id(),
            temp.path()
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .trim_start_matches(".new-")
        );
        let path = dir.join(format!("{id}{SUFFIX}"));
        let file = temp
            .persist_noclobber(&path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(RunLock {
            id,
            path,
            _file: file,
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        // Removed while still locked; the lock goes with the file handle.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether the run `id` (whose files are in `dir`) is still running. A run
/// found dead has its file removed.
pub fn is_alive(dir: &Path, id: &str) -> bool {
    let path = dir.join(format!("{id}{SUFFIX}"));
    let file = match File::open(&path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return false,
        // Unknown: assume alive rather than take a live run's work.
        Err(_) => return true,
    };
    match file.try_lock() {
        Ok(()) => {
            let _ = std::fs::remove_file(&path);
            false
        }
        Err(TryLockError::WouldBlock) => true,
        Err(TryLockError::Error(_)) => true,
    }
}

/// Removes the files of dead runs other than `mine`.
pub fn sweep(dir: &Path, mine: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(id) = name.to_str().and_then(|n| n.strip_suffix(SUFFIX)) else {
            continue;
        };
        if id != mine && !id.starts_with('.') {
            is_alive(dir, id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_is_alive_and_a_dropped_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let run = RunLock::acquire(dir.path()).unwrap();
        let id = run.id().to_owned();
        assert!(is_alive(dir.path(), &id));
        let other = RunLock::acquire(dir.path()).unwrap();
        assert_ne!(other.id(), id);
        drop(run);
        assert!(!is_alive(dir.path(), &id));
        assert!(is_alive(dir.path(), other.id()));
        assert!(!is_alive(dir.path(), "never-ran"));
    }

    #[test]
    fn an_unlocked_file_left_behind_is_dead_and_swept() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("1-gone.lock"), "").unwrap();
        let run = RunLock::acquire(dir.path()).unwrap();
        sweep(dir.path(), run.id());
        assert!(!dir.path().join("1-gone.lock").exists());
        assert!(is_alive(dir.path(), run.id()));
    }
}
