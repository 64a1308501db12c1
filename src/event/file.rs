//! Event files: `--event FILE` (YAML or JSON; `-` for standard input), a
//! mapping of field names to values, read with positions so a bad value is
//! reported at its line.
//!
//! An event file is a handful of short values, so it is read within
//! [`MAX_BYTES`]: the size is checked before reading and the read stops one
//! byte past the limit, so a huge file, or a device that never ends such as
//! `/dev/zero`, never fills memory. Only regular files are opened (and
//! standard input for `-`): opening a named pipe waits for a writer, which
//! would hang render with nobody the wiser.

use anyhow::{anyhow, bail, Context, Result};
use saphyr_parser::{Event as YamlEvent, Parser};
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

use super::control;
use super::raw::{Origin, RawEvent};
use crate::yaml::{self, Value};

/// Largest event file read, in bytes: an event is a handful of short
/// values, and even every field at its longest fits many times over.
pub const MAX_BYTES: u64 = 256 * 1024;

/// Reads an event file into `raw`, in file order.
pub fn read(path: &Path, raw: &mut RawEvent) -> Result<()> {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .context("cannot read the event from standard input")?;
        return parse("<stdin>", &bytes, raw);
    }
    let display = path.display().to_string();
    let cannot = || format!("cannot read the event file {display}");
    // Looked at before opening, because opening a named pipe blocks.
    let metadata = std::fs::metadata(path).with_context(cannot)?;
    check_kind(&display, &metadata)?;
    let file = File::open(path).with_context(cannot)?;
    // And again on what was opened, in case the path changed meanwhile.
    let metadata = file.metadata().with_context(cannot)?;
    check_kind(&display, &metadata)?;
    if metadata.len() > MAX_BYTES {
        bail!(too_large(&display));
    }
    let mut bytes = Vec::new();
    // The size can grow after the check; the read stops regardless.
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(cannot)?;
    parse(&display, &bytes, raw)
}

/// Reads the bytes of an event file named `display` into `raw`, in file
/// order. Every error names the file, and the line and column when it is
/// about a place in it.
pub fn parse(display: &str, bytes: &[u8], raw: &mut RawEvent) -> Result<()> {
    if bytes.len() as u64 > MAX_BYTES {
        bail!(too_large(display));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        anyhow!(
            "{display} is not UTF-8 text (byte {} is not); save it as UTF-8",
            e.valid_up_to() + 1
        )
    })?;
    refuse_aliases(display, text)?;
    let tree = yaml::parse(text)
        .map_err(|e| anyhow!("{display}:{}:{}: {}", e.span.line, e.span.col, e.message))?;
    let entries = match &tree.value {
        Value::Map(entries) => entries,
        _ if tree.is_null() => return Ok(()),
        _ => bail!(
            "{display}:{}:{}: an event file is a mapping of field names to values, such as `area: Pierce County`",
            tree.span.line,
            tree.span.col
        ),
    };
    for (key, value) in entries {
        let Some(name) = key.as_str() else {
            bail!(
                "{display}:{}:{}: a field name must be plain text, such as `area`",
                key.span.line,
                key.span.col
            );
        };
        if let Err(problem) = control::check_name(name) {
            bail!("{display}:{}:{}: {problem}", key.span.line, key.span.col);
        }
        if value.is_null() {
            continue;
        }
        // A text given per language: `event: { en: "...", es: "..." }`.
        if let Value::Map(entries) = &value.value {
            for (lang, node) in entries {
                let (Some(lang), Value::Scalar(text)) = (lang.as_str(), &node.value) else {
                    bail!(
                        "{display}:{}:{}: a value given per language maps language codes to single values, such as `{name}: {{ en: ..., es: ... }}`",
                        node.span.line,
                        node.span.col
                    );
                };
                if let Err(problem) = control::check_name(lang) {
                    bail!("{display}:{}:{}: {problem}", node.span.line, node.span.col);
                }
                raw.set(
                    &format!("{name}.{lang}"),
                    text.text.clone(),
                    Origin::File {
                        path: display.to_owned(),
                        line: node.span.line,
                        column: node.span.col,
                    },
                );
            }
            continue;
        }
        let Value::Scalar(scalar) = &value.value else {
            bail!(
                "{display}:{}:{}: the value of '{name}' must be a single value, or one per language, not a list",
                value.span.line,
                value.span.col
            );
        };
        raw.set(
            name,
            scalar.text.clone(),
            Origin::File {
                path: display.to_owned(),
                line: value.span.line,
                column: value.span.col,
            },
        );
    }
    Ok(())
}

fn too_large(display: &str) -> String {
    format!("{display} is larger than {MAX_BYTES} bytes; an event file holds a few short values")
}

/// Refuses anything but a regular file, naming what it is.
fn check_kind(display: &str, metadata: &Metadata) -> Result<()> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return Ok(());
    }
    let what = if kind.is_dir() {
        "a folder"
    } else {
        special_kind(&kind)
    };
    bail!(
        "{display} is {what}, not a file; give the path of a YAML or JSON file, or - to read the event from standard input"
    )
}

#[cfg(unix)]
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "not a regular file"
}

/// Refuses YAML aliases (`*name`) before the tree is built. The tree copies
/// an anchored value for every alias of it, so a file within
/// [`MAX_BYTES`] of aliases to one long value would expand to gigabytes; an
/// event file is a few values typed once and never needs them.
fn refuse_aliases(display: &str, text: &str) -> Result<()> {
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        match next {
            Ok((YamlEvent::Alias(_), span)) => bail!(
                "{display}:{}:{}: an event file cannot use aliases (*name); write the value out",
                span.start.line().max(1),
                span.start.col() + 1
            ),
            Ok((YamlEvent::StreamEnd, _)) => break,
            Ok(_) => {}
            // Syntax errors are reported by the parse that follows, with
            // the same words it uses for playbooks.
            Err(_) => break,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<RawEvent> {
        let mut raw = RawEvent::default();
        parse("event.yaml", text.as_bytes(), &mut raw)?;
        Ok(raw)
    }

    fn error(text: &str) -> String {
        parsed(text).unwrap_err().to_string()
    }

    #[test]
    fn reads_values_in_file_order_with_their_place() {
        let raw = parsed("area: Pierce County\nlink: ~\nphone: 112\n").unwrap();
        let names: Vec<&String> = raw.values.keys().collect();
        assert_eq!(names, ["area", "phone"]);
        assert_eq!(raw.values["phone"].text, "112");
        assert_eq!(
            raw.values["area"].origin,
            Origin::File {
                path: "event.yaml".to_owned(),
                line: 1,
                column: 7
            }
        );
        assert!(parsed("").unwrap().values.is_empty());
        assert!(parsed("{\"area\": \"Lacey\"}")
            .unwrap()
            .values
            .contains_key("area"));
    }

    #[test]
    fn explains_what_an_event_file_holds() {
        assert_eq!(
            error("- area"),
            "event.yaml:1:1: an event file is a mapping of field names to values, such as `area: Pierce County`"
        );
        assert_eq!(
            error("area: [a, b]"),
            "event.yaml:1:7: the value of 'area' must be a single value, or one per language, not a list"
        );
        assert_eq!(
            error("? [a]\n: b\n"),
            "event.yaml:1:3: a field name must be plain text, such as `area`"
        );
        assert!(error("area: 'open").starts_with("event.yaml:"));
    }

    #[test]
    fn refuses_control_characters_in_names_and_keeps_them_in_values() {
        assert_eq!(
            error("\"ar\\eea\": x\n"),
            "event.yaml:1:1: the field name contains an invisible control character (U+001B) at character 3; type the name as the playbook declares it"
        );
        // A value is checked against its field, which names it in the problem.
        let raw = parsed("area: \"a\\nb\"\n").unwrap();
        assert_eq!(raw.values["area"].text, "a\nb");
    }

    #[test]
    fn reads_files_up_to_the_limit_and_refuses_larger_ones() {
        let value = |len: usize| format!("area: {}\n", "x".repeat(len - "area: \n".len()));
        let at_limit = value(MAX_BYTES as usize);
        assert_eq!(at_limit.len() as u64, MAX_BYTES);
        assert!(parsed(&at_limit).is_ok());
        let past_limit = value(MAX_BYTES as usize + 1);
        assert_eq!(
            parsed(&past_limit).unwrap_err().to_string(),
            "event.yaml is larger than 262144 bytes; an event file holds a few short values"
        );
    }

    #[test]
    fn refuses_text_that_is_not_utf8() {
        let mut raw = RawEvent::default();
        let err = parse("event.yaml", b"area: \xff\n", &mut raw).unwrap_err();
        assert_eq!(
            err.to_string(),
            "event.yaml is not UTF-8 text (byte 7 is not); save it as UTF-8"
        );
    }

    #[test]
    fn refuses_aliases_that_could_multiply_a_value() {
        let bomb = format!(
            "a: &x {}\n{}",
            "y".repeat(1_000),
            (0..100).map(|i| format!("k{i}: *x\n")).collect::<String>()
        );
        assert_eq!(
            error(&bomb),
            "event.yaml:2:5: an event file cannot use aliases (*name); write the value out"
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let deep = format!("area: {}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(error(&deep).starts_with("event.yaml:1:"));
    }

    #[test]
    fn reads_a_regular_file_and_refuses_anything_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("event.yaml");
        std::fs::write(&path, "area: Lacey\n").unwrap();
        let mut raw = RawEvent::default();
        read(&path, &mut raw).unwrap();
        assert_eq!(raw.values["area"].text, "Lacey");

        let err = read(dir.path(), &mut raw).unwrap_err().to_string();
        assert!(err.ends_with("is a folder, not a file; give the path of a YAML or JSON file, or - to read the event from standard input"), "{err}");
        let missing = dir.path().join("missing.yaml");
        let err = read(&missing, &mut raw).unwrap_err().to_string();
        assert!(err.starts_with("cannot read the event file"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_devices_without_reading_them() {
        let mut raw = RawEvent::default();
        let err = read(Path::new("/dev/zero"), &mut raw).unwrap_err();
        assert_eq!(
            err.to_string(),
            "/dev/zero is a device, not a file; give the path of a YAML or JSON file, or - to read the event from standard input"
        );
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_named_pipe_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("event.yaml");
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
        let mut raw = RawEvent::default();
        let err = read(&path, &mut raw).unwrap_err().to_string();
        assert!(err.ends_with("is a named pipe, not a file; give the path of a YAML or JSON file, or - to read the event from standard input"), "{err}");
    }

    #[test]
    fn refuses_a_large_file_before_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.yaml");
        let file = File::create(&path).unwrap();
        // Sparse: large on paper, nothing written.
        file.set_len(4 * 1024 * 1024 * 1024).unwrap();
        let mut raw = RawEvent::default();
        let err = read(&path, &mut raw).unwrap_err().to_string();
        assert!(
            err.ends_with("is larger than 262144 bytes; an event file holds a few short values"),
            "{err}"
        );
    }
}
