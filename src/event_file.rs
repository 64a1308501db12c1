//! Event files: `--event FILE` (YAML or JSON; `-` for standard input), a
//! mapping of field names to values, read with positions so a bad value is
//! reported at its line.

use anyhow::{anyhow, bail, Context, Result};
use std::io::Read;
use std::path::Path;

use crate::event::{Origin, RawEvent};
use crate::yaml::{self, Value};

/// Largest event file read: an event is a handful of short values.
const MAX_BYTES: u64 = 256 * 1024;

/// Reads an event file into `raw`, in file order.
pub fn read(path: &Path, raw: &mut RawEvent) -> Result<()> {
    let (display, text) = if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .take(MAX_BYTES + 1)
            .read_to_string(&mut text)
            .context("cannot read the event from standard input (it must be UTF-8 text)")?;
        ("<stdin>".to_owned(), text)
    } else {
        let display = path.display().to_string();
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read the event file {display}"))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| anyhow!("{display} is not UTF-8 text; save it as UTF-8"))?;
        (display, text)
    };
    if text.len() as u64 > MAX_BYTES {
        bail!("{display} is larger than {MAX_BYTES} bytes; an event file holds a few short values");
    }
    let tree = yaml::parse(&text)
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
        let name = key.as_str().unwrap_or_default();
        if value.is_null() {
            continue;
        }
        let Value::Scalar(scalar) = &value.value else {
            bail!(
                "{display}:{}:{}: the value of '{name}' must be a single value, not a list or mapping",
                value.span.line,
                value.span.col
            );
        };
        raw.set(
            name,
            scalar.text.clone(),
            Origin::File {
                path: display.clone(),
                line: value.span.line,
                column: value.span.col,
            },
        );
    }
    Ok(())
}
