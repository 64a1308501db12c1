//! Reading a file the user names (a baseline, a rendering to export) as
//! lint and render read catalog files: only a regular file, checked before
//! opening (opening a named pipe would block) and again on what was
//! opened, and never more than a budget, however the file grows meanwhile.

use anyhow::{bail, Context, Result};
use std::io::Read;
use std::path::Path;

/// The bytes of `path`, at most `max`; `what` names the file in errors,
/// such as "the baseline".
pub fn read_file(path: &Path, max: u64, what: &str) -> Result<Vec<u8>> {
    let shown = path.display();
    let cannot = || format!("cannot read {what} {shown}");
    let check = |metadata: std::fs::Metadata| -> Result<()> {
        let kind = metadata.file_type();
        if !kind.is_file() {
            let is = if kind.is_dir() {
                "a folder"
            } else {
                "not a regular file"
            };
            bail!("{what} {shown} is {is}; give the path of a file");
        }
        if metadata.len() > max {
            bail!("{what} {shown} is larger than {}", size(max));
        }
        Ok(())
    };
    check(std::fs::metadata(path).with_context(cannot)?)?;
    let file = std::fs::File::open(path).with_context(cannot)?;
    check(file.metadata().with_context(cannot)?)?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .with_context(cannot)?;
    if bytes.len() as u64 > max {
        bail!("{what} {shown} is larger than {}", size(max));
    }
    Ok(bytes)
}

/// The text a command measures, from its `TEXT` argument (`-` for
/// standard input) or `--file`, at most `max` bytes of UTF-8; the one
/// trailing newline an editor or `echo` adds is not part of it.
pub fn text_argument(text: Option<&str>, file: Option<&Path>, max: u64) -> Result<String> {
    let (bytes, what) = match (text, file) {
        (Some("-"), None) => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .take(max + 1)
                .read_to_end(&mut bytes)
                .context("cannot read the text from standard input")?;
            if bytes.len() as u64 > max {
                bail!("standard input is larger than {}; give a shorter text", size(max));
            }
            (bytes, "standard input".to_owned())
        }
        (Some(text), None) => return Ok(text.to_owned()),
        (None, Some(path)) => (
            read_file(path, max, "the text")?,
            format!("the text {}", path.display()),
        ),
        (Some(_), Some(_)) => bail!("give the text either as an argument or with --file, not both"),
        (None, None) => bail!(
            "no text to measure: give it as an argument, with --file FILE, or `-` to read standard input"
        ),
    };
    let mut text = String::from_utf8(bytes).map_err(|err| {
        anyhow::anyhow!(
            "{what} is not UTF-8 text (byte {} is not valid UTF-8); save it as UTF-8 and try again",
            err.utf8_error().valid_up_to() + 1
        )
    })?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}

fn size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{} KiB", bytes / 1024)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_folders_and_files_over_budget() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let error = read_file(dir.path(), 10, "the file")
            .map(|_| ())
            .unwrap_err();
        assert!(error.to_string().contains("is a folder"), "{error}");
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'x'; 11]).expect("written");
        let error = read_file(&path, 10, "the file").map(|_| ()).unwrap_err();
        assert!(error.to_string().contains("larger than"), "{error}");
        assert_eq!(read_file(&path, 11, "the file").ok(), Some(vec![b'x'; 11]));
    }

    #[test]
    fn a_text_file_is_utf8_without_its_final_newline() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("menu.txt");
        std::fs::write(&path, b"hi\r\n").expect("written");
        assert_eq!(
            text_argument(None, Some(&path), 100).ok().as_deref(),
            Some("hi")
        );
        std::fs::write(&path, b"caf\xe9").expect("written");
        let error = text_argument(None, Some(&path), 100)
            .map(|_| ())
            .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("is not UTF-8 text (byte 4 is not"),
            "{error}"
        );
        assert_eq!(
            text_argument(Some("as typed\n"), None, 100).ok().as_deref(),
            Some("as typed\n")
        );
    }

    #[cfg(unix)]
    #[test]
    fn never_opens_a_named_pipe() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let error = read_file(&fifo, 10, "the file").map(|_| ()).unwrap_err();
            assert!(error.to_string().contains("not a regular file"), "{error}");
        }
    }
}
