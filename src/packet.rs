//! Writing a rendered packet into `--out DIR` so that the folder always
//! holds exactly one whole packet.
//!
//! The person on duty copies from this folder, and posting tools read it:
//! an old Spanish message left beside a new English one, or a half-written
//! packet after a full disk, would be posted as if current. So the new
//! packet is written into a temporary folder beside `DIR`, then put in its
//! place by renames; the old packet is removed only once the new one is in
//! place. A folder is replaced only if it is empty or holds a packet
//! `crisis` wrote (it has a [`MARKER`] file): `--out` never deletes files
//! it did not create.
//!
//! Files are created with the process's umask, like any file a command
//! writes, so a team's shared folder stays readable by the team.

use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The file that marks a folder as a packet `crisis` wrote.
pub const MARKER: &str = ".crisis-packet";

/// What the marker says, exactly. `crisis export --out` writes the same, so
/// that folders written by either, and by earlier versions, stay
/// replaceable: never change it.
const MARKER_TEXT: &[u8] =
    b"This folder holds a packet written by `crisis render --out`; the next render replaces it whole.\n";

/// The marker's text: what it is, then the packet's file names, one a line.
fn marker(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut text = MARKER_TEXT.to_vec();
    for (name, _) in files {
        text.extend_from_slice(name.as_bytes());
        text.push(b'\n');
    }
    text
}

/// Whether a file name is one a packet holds: messages, the checklist,
/// the JSON and the review page.
fn is_packet_file(name: &str) -> bool {
    name.ends_with(".txt")
        || name.ends_with(".csv")
        || matches!(
            name,
            "checklist.md" | "render.json" | "review.html" | "alert.cap.xml"
        )
}

/// Writes `files` (name, contents) as the whole content of `dir`.
pub fn write(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    for (name, _) in files {
        check_name(name)?;
    }
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty() && *n != "." && *n != "..")
        .with_context(|| {
            format!(
                "--out {}: name a folder for the packet, such as --out packet",
                dir.display()
            )
        })?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    check_replaceable(dir)?;

    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(&parent)
        .with_context(|| format!("cannot write in {}", parent.display()))?;
    for (file, contents) in files {
        write_file(&staging.path().join(file), contents)?;
    }
    write_file(&staging.path().join(MARKER), &marker(files))?;
    follow_umask(staging.path());

    let staged = staging.keep();
    if dir.exists() {
        let old = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(&parent)
            .with_context(|| format!("cannot write in {}", parent.display()))?
            .keep();
        // The empty placeholder is replaced by the old packet.
        std::fs::remove_dir(&old).ok();
        std::fs::rename(dir, &old).with_context(|| {
            format!("cannot move the earlier packet in {} aside", dir.display())
        })?;
        if let Err(err) = std::fs::rename(&staged, dir) {
            // Put the earlier packet back: the folder holds the old whole
            // packet, never a mix.
            let _ = std::fs::rename(&old, dir);
            let _ = std::fs::remove_dir_all(&staged);
            return Err(err).with_context(|| format!("cannot write {}", dir.display()));
        }
        std::fs::remove_dir_all(&old).ok();
    } else if let Err(err) = std::fs::rename(&staged, dir) {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(err).with_context(|| format!("cannot write {}", dir.display()));
    }
    Ok(())
}

/// A file name in a packet: built from message ids and language codes,
/// which lint checks, and checked again here so that no name can leave
/// the folder.
fn check_name(name: &str) -> Result<()> {
    let plain = !name.is_empty()
        && name.len() <= 255
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !plain {
        bail!(
            "'{}' cannot be a file name in a packet; message ids and language codes must be plain names (run `crisis lint`)",
            name.escape_debug()
        );
    }
    Ok(())
}

/// Refuses a folder that holds files `crisis` did not write.
fn check_replaceable(dir: &Path) -> Result<()> {
    let meta = match std::fs::symlink_metadata(dir) {
        Ok(meta) => meta,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", dir.display())),
    };
    if !meta.is_dir() {
        bail!(
            "--out {} is not a folder; name a new folder for the packet",
            dir.display()
        );
    }
    let entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("cannot read {}", dir.display()))?;
    if entries.is_empty() {
        return Ok(());
    }
    // A marker file alone proves nothing (anyone can copy one): it lists
    // the files of the packet crisis wrote, and the folder must hold
    // exactly those, as plain files, and nothing else.
    let listed: Option<Vec<String>> = std::fs::read(dir.join(MARKER))
        .ok()
        .and_then(|m| m.strip_prefix(MARKER_TEXT).map(<[u8]>::to_vec))
        .and_then(|rest| String::from_utf8(rest).ok())
        .map(|rest| rest.lines().map(str::to_owned).collect());
    let mut present: Vec<String> = Vec::new();
    let mut only_files = true;
    for entry in &entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        only_files &= entry.file_type().is_ok_and(|t| t.is_file());
        if name != MARKER {
            present.push(name);
        }
    }
    present.sort();
    let exactly_the_packet = listed.is_some_and(|mut listed| {
        listed.sort();
        listed == present
            && present
                .iter()
                .all(|n| check_name(n).is_ok() && is_packet_file(n))
    });
    if !only_files || !exactly_the_packet {
        bail!(
            "--out {} already holds files crisis did not write; name a new or empty folder (a packet folder is replaced whole by the next render)",
            dir.display()
        );
    }
    Ok(())
}

fn write_file(path: &Path, contents: &[u8]) -> Result<()> {
    let mut file =
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Temporary folders are created private; the packet folder gets the mode
/// a folder made by `mkdir` would have.
#[cfg(unix)]
fn follow_umask(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let probe = path.join(".mode");
    if std::fs::create_dir(&probe).is_ok() {
        if let Ok(meta) = std::fs::metadata(&probe) {
            let _ = std::fs::set_permissions(
                path,
                std::fs::Permissions::from_mode(meta.permissions().mode()),
            );
        }
        let _ = std::fs::remove_dir(&probe);
    }
}

#[cfg(not(unix))]
fn follow_umask(_: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(names: &[&str]) -> Vec<(String, Vec<u8>)> {
        names
            .iter()
            .map(|n| ((*n).to_owned(), n.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn a_new_render_replaces_the_whole_packet() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("packet");
        write(&dir, &files(&["a.es.txt", "b.txt"])).unwrap();
        write(&dir, &files(&["a.en.txt"])).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [MARKER, "a.en.txt"]);
        // Nothing is left beside it.
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_committed_marker_does_not_make_a_folder_replaceable() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("catalog");
        std::fs::create_dir_all(dir.join("playbooks")).unwrap();
        std::fs::write(dir.join(MARKER), "").unwrap();
        assert!(write(&dir, &files(&["a.txt"])).is_err());
        std::fs::write(dir.join(MARKER), MARKER_TEXT).unwrap();
        assert!(write(&dir, &files(&["a.txt"])).is_err(), "a subfolder");
        // A copied marker with a file it does not list.
        let copied = root.path().join("copied");
        std::fs::create_dir_all(&copied).unwrap();
        std::fs::write(copied.join(MARKER), marker(&files(&["a.txt"]))).unwrap();
        std::fs::write(copied.join("a.txt"), "packet").unwrap();
        std::fs::write(copied.join("notes.en.txt"), "mine").unwrap();
        assert!(write(&copied, &files(&["a.txt"])).is_err());
        assert!(copied.join("notes.en.txt").exists());
        assert!(dir.join("playbooks").is_dir());
        let flat = root.path().join("flat");
        std::fs::create_dir_all(&flat).unwrap();
        std::fs::write(flat.join(MARKER), MARKER_TEXT).unwrap();
        std::fs::write(flat.join("notes.md"), "mine").unwrap();
        assert!(
            write(&flat, &files(&["a.txt"])).is_err(),
            "a file no packet has"
        );
    }

    #[test]
    fn refuses_a_folder_it_did_not_write_and_names_that_leave_it() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("mine.txt"), "keep").unwrap();
        assert!(write(root.path(), &files(&["a.txt"])).is_err());
        assert_eq!(
            std::fs::read_to_string(root.path().join("mine.txt")).unwrap(),
            "keep"
        );
        let dir = root.path().join("p");
        for bad in ["../x.txt", "a/b.txt", ".hidden", "a\nb", ""] {
            assert!(write(&dir, &files(&[bad])).is_err(), "{bad:?}");
        }
        assert!(!dir.exists());
    }
}
