//! Writing an approval record into a playbook file in place.
//!
//! Authors' comments, key order and formatting are part of the file people
//! review, so the file is never re-serialised: the record is spliced into
//! the text at positions taken from the parsed tree, in a fixed block style
//! anyone could also write by hand. The result is parsed again and compared
//! with the original before it is returned, so a layout this module does not
//! understand becomes a refusal, never a damaged playbook.

use serde_json::Value as Json;

use super::digest::{canonical_json, content_data, APPROVALS_KEY};
use crate::playbook::Approval;
use crate::yaml::{self, Node, Resolved, Scalar, ScalarStyle, Value};

/// The text of `text` (whose parsed tree is `tree`) with `record` added to
/// `approvals`, replacing the record for the same role if there is one.
/// The error says why the file could not be edited safely.
pub fn upsert(text: &str, tree: &Node, record: &Approval) -> Result<String, String> {
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let Value::Map(entries) = &tree.value else {
        return Err("the file is not a mapping of keys".to_owned());
    };
    if text
        .get(tree.span.start..)
        .is_some_and(|t| t.starts_with('{'))
    {
        return Err(
            "the playbook is written as one {flow mapping}; write it as `key: value` lines"
                .to_owned(),
        );
    }
    let lines = record_lines(record);
    let existing = entries
        .iter()
        .find(|(key, _)| key.as_str() == Some(APPROVALS_KEY));
    let edited = match existing {
        None => append_key(text, tree, entries, &lines, nl)?,
        Some((_, value)) if matches!(&value.value, Value::Seq(items) if !items.is_empty()) => {
            let Value::Seq(items) = &value.value else {
                return Err("`approvals` is not a list".to_owned());
            };
            if text
                .get(value.span.start..)
                .is_some_and(|t| t.starts_with('['))
            {
                return Err("`approvals` is written as a [flow list]; write it as a block list of `- role: ...` records".to_owned());
            }
            upsert_item(text, items, record, &lines, nl)?
        }
        Some((key, value)) => fill_empty(text, key, value, &lines, nl)?,
    };
    verify(tree, &edited, record)?;
    Ok(edited)
}

/// The record as lines without indentation, in the fixed order and style
/// `crisis approve` always writes.
pub fn record_lines(record: &Approval) -> Vec<String> {
    let mut lines = vec![
        format!("role: {}", scalar(&record.role)),
        format!("by: {}", scalar(&record.by)),
        format!("at: {}", scalar(&record.at)),
    ];
    if let Some(until) = &record.until {
        lines.push(format!("until: {}", scalar(until)));
    }
    lines.push(format!("digest: {}", scalar(&record.digest)));
    if record.files.is_empty() {
        lines.push("files: {}".to_owned());
    } else {
        lines.push("files:".to_owned());
        for (path, digest) in &record.files {
            lines.push(format!("  {}: {}", scalar(path), scalar(digest)));
        }
    }
    if let Some(signer) = &record.signer {
        lines.push(format!("signer: {}", scalar(signer)));
    }
    if let Some(signature) = &record.signature {
        // A literal block, line for line as ssh-keygen wrote it, so it can
        // be copied out of the file as it is. The armour is base64 and
        // dashes: no line of it needs escaping.
        lines.push("signature: |".to_owned());
        for line in signature.lines() {
            lines.push(format!("  {line}"));
        }
    }
    lines
}

/// A YAML scalar for `text`: plain when that reads back as the same text,
/// else double-quoted with escapes.
pub fn scalar(text: &str) -> String {
    let plain_chars = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " ._/:+-@".contains(c));
    let plain = plain_chars
        && text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && !text.ends_with([' ', ':'])
        && !text.contains(": ")
        && Scalar {
            text: text.to_owned(),
            style: ScalarStyle::Plain,
        }
        .resolve()
            == Resolved::Str(text);
    if plain {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The record as a list item whose dash starts at `dash_prefix` (such as
/// `"  - "`), every line ended by `nl`.
fn item_text(dash_prefix: &str, lines: &[String], nl: &str) -> String {
    let indent = " ".repeat(dash_prefix.chars().count());
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        out.push_str(if i == 0 { dash_prefix } else { &indent });
        out.push_str(line);
        out.push_str(nl);
    }
    out
}

/// The text of the line holding `pos`, up to `pos`.
fn line_prefix(text: &str, pos: usize) -> &str {
    let before = text.get(..pos).unwrap_or("");
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    &before[start..]
}

/// No `approvals` key yet: append one at the end of the file, at the
/// indentation of the other top-level keys.
fn append_key(
    text: &str,
    tree: &Node,
    entries: &[(Node, Node)],
    lines: &[String],
    nl: &str,
) -> Result<String, String> {
    let indent = entries
        .first()
        .map_or("", |(key, _)| line_prefix(text, key.span.start));
    if !indent.chars().all(|c| c == ' ') {
        return Err("the top-level keys are not at the start of their lines".to_owned());
    }
    let after = text.get(tree.span.end..).unwrap_or("");
    let trailing_content = after
        .lines()
        .skip(1)
        .chain(after.lines().take(1))
        .any(|line| {
            let line = line.trim();
            !line.is_empty() && !line.starts_with('#')
        });
    if trailing_content {
        return Err("the file has text after its last key (such as `...`); remove it".to_owned());
    }
    let mut out = text.to_owned();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(nl);
    }
    out.push_str(indent);
    out.push_str(APPROVALS_KEY);
    out.push(':');
    out.push_str(nl);
    out.push_str(&item_text(&format!("{indent}  - "), lines, nl));
    Ok(out)
}

/// `approvals:` with no records (empty, `~`, `null` or `[]`): put the
/// record under it, keeping a comment on the key's line.
fn fill_empty(
    text: &str,
    key: &Node,
    value: &Node,
    lines: &[String],
    nl: &str,
) -> Result<String, String> {
    let empty = value.is_null() || matches!(&value.value, Value::Seq(items) if items.is_empty());
    let refuse = || {
        "`approvals` is neither a list of records nor empty; fix it or remove it, then approve again".to_owned()
    };
    if !empty {
        return Err(refuse());
    }
    let indent = line_prefix(text, key.span.start);
    if !indent.chars().all(|c| c == ' ') {
        return Err(refuse());
    }
    let after_key = text.get(key.span.end..).unwrap_or("");
    let colon = key.span.end + (after_key.len() - after_key.trim_start_matches(' ').len());
    if text.get(colon..colon + 1) != Some(":") {
        return Err(refuse());
    }
    let eol = text[colon..].find('\n').map_or(text.len(), |i| colon + i);
    let rest = text[colon + 1..eol].trim_end_matches('\r');
    let (value_text, comment) = match rest.find('#') {
        Some(hash) if hash == 0 || rest[..hash].ends_with([' ', '\t']) => {
            (&rest[..hash], Some(&rest[hash..]))
        }
        _ => (rest, None),
    };
    if !matches!(
        value_text.trim(),
        "" | "~" | "null" | "Null" | "NULL" | "[]"
    ) {
        return Err(refuse());
    }
    let mut out = text[..=colon].to_owned();
    if let Some(comment) = comment {
        out.push(' ');
        out.push_str(comment.trim_end());
    }
    out.push_str(nl);
    out.push_str(&item_text(&format!("{indent}  - "), lines, nl));
    if let Some(tail) = text.get(eol + 1..) {
        out.push_str(tail);
    }
    Ok(out)
}

/// Replaces the record for the same role, or appends after the last one.
fn upsert_item(
    text: &str,
    items: &[Node],
    record: &Approval,
    lines: &[String],
    nl: &str,
) -> Result<String, String> {
    let same_role: Vec<&Node> = items
        .iter()
        .filter(|item| item.get("role").and_then(Node::as_str) == Some(record.role.as_str()))
        .collect();
    let layout_error = || {
        "the approval records are laid out in a way crisis cannot extend safely; write each as `- role: ...` lines".to_owned()
    };
    match same_role.as_slice() {
        [] => {
            let last = items.last().ok_or_else(layout_error)?;
            let prefix = line_prefix(text, last.span.start);
            if prefix.matches('-').count() != 1 || !prefix.chars().all(|c| c == ' ' || c == '-') {
                return Err(layout_error());
            }
            let end = content_end(text, last);
            let insert_at = text[end..].find('\n').map(|i| end + i + 1);
            let mut out = String::with_capacity(text.len() + 400);
            match insert_at {
                Some(at) => {
                    out.push_str(&text[..at]);
                    out.push_str(&item_text(prefix, lines, nl));
                    out.push_str(&text[at..]);
                }
                None => {
                    out.push_str(text);
                    out.push_str(nl);
                    out.push_str(&item_text(prefix, lines, nl));
                }
            }
            Ok(out)
        }
        [item] => {
            let prefix = line_prefix(text, item.span.start);
            if !prefix.chars().all(|c| c == ' ' || c == '-') {
                return Err(layout_error());
            }
            let indent = " ".repeat(prefix.chars().count());
            let replacement = lines.join(&format!("{nl}{indent}"));
            let mut out = String::with_capacity(text.len() + 400);
            out.push_str(&text[..item.span.start]);
            out.push_str(&replacement);
            out.push_str(&text[content_end(text, item)..]);
            Ok(out)
        }
        _ => Err(format!(
            "`approvals` has more than one record for '{}'; remove all but one, then approve again",
            record.role
        )),
    }
}

/// Where `node`'s text ends, without the line breaks and blank lines a
/// block scalar at its end (a signature) takes in: the end of its last
/// character, as for any other value.
fn content_end(text: &str, node: &Node) -> usize {
    let start = node.span.start.min(text.len());
    let end = node.span.end.clamp(start, text.len());
    start + text[start..end].trim_end().len()
}

/// Checks that `edited` holds the same content as `before`, the same other
/// approval records, and exactly `record` for its role.
fn verify(before: &Node, edited: &str, record: &Approval) -> Result<(), String> {
    let failed = |why: &str| format!("the edited file would not be right ({why})");
    let after = yaml::parse(edited).map_err(|e| failed(&e.message))?;
    if canonical_json(&content_data(before)) != canonical_json(&content_data(&after)) {
        return Err(failed("its content would change"));
    }
    let others = |tree: &Node| -> Vec<Json> {
        match tree.get(APPROVALS_KEY).map(Node::to_json) {
            Some(Json::Array(items)) => items
                .into_iter()
                .filter(|i| i.get("role").and_then(Json::as_str) != Some(record.role.as_str()))
                .collect(),
            _ => Vec::new(),
        }
    };
    if others(before) != others(&after) {
        return Err(failed("other approval records would change"));
    }
    let written: Vec<Approval> = match after.get(APPROVALS_KEY) {
        Some(node) => yaml::from_node(node).map_err(|e| failed(&e.message))?,
        None => Vec::new(),
    };
    let mine: Vec<&Approval> = written.iter().filter(|a| a.role == record.role).collect();
    if mine.as_slice() != [record] {
        return Err(failed("the record would not read back as written"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use indexmap::IndexMap;

    fn record(role: &str, by: &str) -> Approval {
        let mut files = IndexMap::new();
        files.insert(
            "playbooks/p.yaml".to_owned(),
            format!("sha256:{}", "a".repeat(64)),
        );
        Approval {
            role: role.to_owned(),
            by: by.to_owned(),
            at: "2025-01-15T10:00:00Z".to_owned(),
            until: Some("2026-01-15T10:00:00Z".to_owned()),
            digest: format!("sha256:{}", "b".repeat(64)),
            files,
            signer: None,
            signature: None,
        }
    }

    fn upserted(text: &str, record: &Approval) -> Result<String, String> {
        let tree = yaml::parse(text).expect("valid YAML");
        upsert(text, &tree, record)
    }

    #[test]
    fn appends_a_block_when_there_is_none() {
        let text = "# top\nid: p   # the id\nroles: [legal]";
        let out = upserted(text, &record("legal", "Dana Reyes, Counsel")).expect("edited");
        let expected = format!(
            "# top\nid: p   # the id\nroles: [legal]\napprovals:\n  - role: legal\n    by: \"Dana Reyes, Counsel\"\n    at: 2025-01-15T10:00:00Z\n    until: 2026-01-15T10:00:00Z\n    digest: sha256:{}\n    files:\n      playbooks/p.yaml: sha256:{}\n",
            "b".repeat(64),
            "a".repeat(64)
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn replaces_the_same_role_and_appends_another() {
        let text = "id: p\napprovals:   # kept\n# between\n- role: legal\n  by: Old Name\n  at: 2020-01-01\n  digest: sha256:x\n  files: {}  # old\nafter: 1\n";
        let out = upserted(text, &record("legal", "New Name")).expect("edited");
        assert!(out
            .starts_with("id: p\napprovals:   # kept\n# between\n- role: legal\n  by: New Name\n"));
        assert!(out.ends_with("  # old\nafter: 1\n"));
        assert!(!out.contains("Old Name"));
        let out = upserted(&out, &record("clinical", "Sam Lee")).expect("edited");
        assert!(out.contains("  # old\n- role: clinical\n  by: Sam Lee\n"));
        assert!(out.contains("New Name"));
    }

    #[test]
    fn fills_an_empty_key_and_keeps_crlf() {
        let text = "id: p\r\napprovals: [] # none yet\r\nz: 1\r\n";
        let out = upserted(text, &record("legal", "Dana")).expect("edited");
        assert!(out.starts_with("id: p\r\napprovals: # none yet\r\n  - role: legal\r\n"));
        assert!(out.ends_with("\r\nz: 1\r\n"));
        assert!(!out.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn writes_a_signature_as_a_literal_block_in_either_line_ending() {
        let mut signed = record("legal", "Dana");
        signed.signer = Some("dana@example.org".to_owned());
        signed.signature = Some(
            "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH+/=\n-----END SSH SIGNATURE-----\n".to_owned(),
        );
        let out = upserted("id: p\n", &signed).expect("edited");
        assert!(out.ends_with("    signer: dana@example.org\n    signature: |\n      -----BEGIN SSH SIGNATURE-----\n      U1NIU0lH+/=\n      -----END SSH SIGNATURE-----\n"), "{out}");
        let out = upserted("id: p\r\napprovals: []\r\n", &signed).expect("edited");
        assert!(
            out.ends_with("      -----END SSH SIGNATURE-----\r\n"),
            "{out}"
        );
    }

    #[test]
    fn a_signed_record_is_replaced_and_followed_in_place() {
        let mut signed = record("legal", "Dana");
        signed.signer = Some("dana@example.org".to_owned());
        signed.signature =
            Some("-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n".to_owned());
        let text = "id: p\napprovals:\n";
        let once = upserted(text, &signed).expect("edited");
        let twice = upserted(&once, &record("clinical", "Sam")).expect("edited");
        assert!(
            twice.contains("-----END SSH SIGNATURE-----\n  - role: clinical\n"),
            "{twice}"
        );
        let with_tail = format!("{twice}\n# the end\n");
        let mut again = signed.clone();
        again.at = "2025-02-01".to_owned();
        let replaced = upserted(&with_tail, &again).expect("edited");
        assert_eq!(
            replaced,
            with_tail.replacen("at: 2025-01-15T10:00:00Z", "at: 2025-02-01", 1)
        );
        let mut first = signed.clone();
        first.at = "2025-03-01".to_owned();
        let replaced = upserted(&twice, &first).expect("edited");
        assert!(replaced.contains("at: 2025-03-01\n"), "{replaced}");
        assert!(
            replaced.contains("-----END SSH SIGNATURE-----\n  - role: clinical\n"),
            "{replaced}"
        );
    }

    #[test]
    fn refuses_layouts_it_cannot_extend() {
        assert!(upserted("{id: p}", &record("legal", "D")).is_err());
        assert!(upserted("id: p\napprovals: [{role: x}]\n", &record("legal", "D")).is_err());
        assert!(upserted("id: p\napprovals: 3\n", &record("legal", "D")).is_err());
    }

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(scalar("legal"), "legal");
        assert_eq!(scalar("2025-01-15"), "2025-01-15");
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("2025"), "\"2025\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("Zoë \"Z\" #1\\\n"), "\"Zoë \\\"Z\\\" #1\\\\\\n\"");
    }
}
