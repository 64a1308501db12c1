//! The content digest an approval is pinned to.
//!
//! It covers everything that decides the words posted and nothing else:
//! the playbook as data (not as text, so comments, indentation, quoting and
//! key order do not count) without its approval records, and the raw bytes
//! of every template file it uses, in every language, with every file those
//! include, import or extend. `docs/approvals.md` specifies the canonical
//! form so that another tool can recompute it.

use anyhow::Result;
use serde_json::Value;
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, BTreeSet};

use crate::yaml::Node;

/// The playbook key holding approval records, left out of the digest: an
/// approval must not change what it approves.
pub const APPROVALS_KEY: &str = "approvals";

/// Languages of a playbook that names none (as in the model).
const DEFAULT_LANGUAGE: &str = "en";

/// The digest of a playbook's content, overall and per file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentDigest {
    /// `sha256:` and 64 hex digits.
    pub digest: String,
    /// Per-file digests by path relative to the catalog root, sorted.
    pub files: BTreeMap<String, String>,
}

/// Reads a catalog file by its path relative to the root: `Ok(None)` when it
/// does not exist. Lint reads the working tree, `crisis diff` a git commit.
pub type ReadFile<'a> = dyn Fn(&str) -> Result<Option<String>> + 'a;

/// The digest of the playbook at `playbook_rel` whose parsed tree is `tree`,
/// reading templates with `read`. Template files that do not exist are left
/// out (lint reports them); files that exist but cannot be read are errors.
pub fn compute(playbook_rel: &str, tree: &Node, read: &ReadFile<'_>) -> Result<ContentDigest> {
    let data = content_data(tree);
    let mut files = BTreeMap::new();
    files.insert(
        playbook_rel.to_owned(),
        sha256(canonical_json(&data).as_bytes()),
    );
    let mut queue: Vec<String> = used_templates(&data);
    let mut seen = BTreeSet::new();
    while let Some(name) = queue.pop() {
        let rel = format!("templates/{name}");
        if !seen.insert(rel.clone()) {
            continue;
        }
        if let Some(text) = read(&rel)? {
            queue.extend(referenced_templates(&text));
            files.insert(rel, sha256(text.as_bytes()));
        }
    }
    Ok(ContentDigest {
        digest: overall(&files),
        files,
    })
}

/// The playbook as JSON without its approval records.
pub fn content_data(tree: &Node) -> Value {
    let mut data = tree.to_json();
    if let Value::Object(map) = &mut data {
        map.shift_remove(APPROVALS_KEY);
    }
    data
}

/// The overall digest of per-file digests: sha256 of `<path> <digest>\n`
/// lines sorted by path.
pub fn overall(files: &BTreeMap<String, String>) -> String {
    let listing: String = files
        .iter()
        .map(|(path, digest)| format!("{path} {digest}\n"))
        .collect();
    sha256(listing.as_bytes())
}

/// `sha256:` and the lower-case hex digest of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for byte in hash {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// Whether `text` has the form of a digest this module writes.
pub fn is_well_formed(text: &str) -> bool {
    text.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Canonical JSON: object keys sorted by code point, no whitespace, strings
/// and numbers as serde_json writes them.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            // Byte order of UTF-8 is code point order.
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, value)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(value, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// Template names (relative to `templates/`) the playbook data uses: each
/// message's `template` with `{lang}` replaced for each of its languages,
/// and whatever its inline `text` and `subject` templates include.
pub fn used_templates(data: &Value) -> Vec<String> {
    let default_languages =
        string_list(data.get("languages")).unwrap_or_else(|| vec![DEFAULT_LANGUAGE.to_owned()]);
    let mut names = Vec::new();
    let messages = data.get("messages").and_then(Value::as_array);
    for message in messages.into_iter().flatten() {
        let languages =
            string_list(message.get("languages")).unwrap_or_else(|| default_languages.clone());
        if let Some(template) = message.get("template").and_then(Value::as_str) {
            for lang in &languages {
                names.push(template.replace("{lang}", lang));
            }
        }
        for key in ["text", "subject"] {
            let inline = message.get(key).and_then(Value::as_object);
            for text in inline.into_iter().flat_map(|m| m.values()) {
                if let Some(text) = text.as_str() {
                    names.extend(referenced_templates(text));
                }
            }
        }
    }
    names
}

fn string_list(value: Option<&Value>) -> Option<Vec<String>> {
    value?
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// Template names a template pulls in by literal name: `{% include "x" %}`
/// (or a list of names), `{% import "x" as y %}`, `{% from "x" import y %}`
/// and `{% extends "x" %}`. A name computed at render time cannot be known
/// here; the docs say so.
pub fn referenced_templates(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{%") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("%}") else { break };
        let tag = after[..close]
            .trim_start_matches(['-', '+'])
            .trim_end_matches(['-', '+'])
            .trim();
        rest = &after[close + 2..];
        let (keyword, args) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
        match keyword {
            "include" | "extends" | "import" => names.extend(literal_names(args, usize::MAX)),
            "from" => names.extend(literal_names(args, 1)),
            _ => {}
        }
    }
    names
}

/// String literals at the start of `args` (a name, or a `[list]` of names),
/// at most `limit` of them, stopping at the first word that is not a literal.
fn literal_names(args: &str, limit: usize) -> Vec<String> {
    let mut names = Vec::new();
    let mut chars = args.chars().peekable();
    while names.len() < limit {
        match chars.peek() {
            Some(c) if c.is_whitespace() || matches!(c, '[' | ']' | ',') => {
                chars.next();
            }
            Some(&quote) if quote == '"' || quote == '\'' => {
                chars.next();
                let mut name = String::new();
                let mut closed = false;
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(escaped) = chars.next() {
                                name.push(escaped);
                            }
                        }
                        c if c == quote => {
                            closed = true;
                            break;
                        }
                        c => name.push(c),
                    }
                }
                if !closed {
                    break;
                }
                names.push(name);
            }
            _ => break,
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest_of(yaml: &str, files: &[(&str, &str)]) -> ContentDigest {
        let tree = crate::yaml::parse(yaml).expect("valid YAML");
        let files: BTreeMap<String, String> = files
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let read = |rel: &str| Ok(files.get(rel).cloned());
        compute("playbooks/p.yaml", &tree, &read).expect("a digest")
    }

    const PLAYBOOK: &str = "# comment\nid: p\nlanguages: [en, es]\nmessages:\n  - id: a\n    channel: x\n    template: p/a.{lang}.j2\n";

    #[test]
    fn formatting_comments_and_key_order_do_not_change_the_digest() {
        let files = [
            ("templates/p/a.en.j2", "Hi"),
            ("templates/p/a.es.j2", "Hola"),
        ];
        let reformatted = "languages:\n    - en\n    - \"es\"\nmessages:\n    - channel: x\n      template: 'p/a.{lang}.j2'\n      id: a   # the first\nid: p\napprovals: []\n";
        assert_eq!(digest_of(PLAYBOOK, &files), digest_of(reformatted, &files));
    }

    #[test]
    fn every_language_and_include_is_covered() {
        let files = [
            ("templates/p/a.en.j2", "Hi {% include \"p/footer.j2\" %}"),
            ("templates/p/a.es.j2", "Hola"),
            ("templates/p/footer.j2", "Bye"),
        ];
        let base = digest_of(PLAYBOOK, &files);
        assert_eq!(
            base.files.keys().collect::<Vec<_>>(),
            [
                "playbooks/p.yaml",
                "templates/p/a.en.j2",
                "templates/p/a.es.j2",
                "templates/p/footer.j2"
            ]
        );
        for changed in 0..files.len() {
            let mut edited = files;
            let text = format!("{}!", edited[changed].1);
            edited[changed].1 = &text;
            assert_ne!(digest_of(PLAYBOOK, &edited).digest, base.digest);
        }
    }

    #[test]
    fn canonical_json_sorts_keys_and_drops_whitespace() {
        let value = serde_json::json!({"b": [1, "é\n"], "a": {"d": null, "c": true}});
        assert_eq!(
            canonical_json(&value),
            r#"{"a":{"c":true,"d":null},"b":[1,"é\n"]}"#
        );
    }

    #[test]
    fn finds_literal_template_references() {
        let text = "{%- include ['a.j2', \"b.j2\"] ignore missing %}{% from 'm.j2' import x %}{% extends \"base.j2\" %}{% import 'n.j2' as n %}{% include name %}{% if x %}";
        assert_eq!(
            referenced_templates(text),
            ["a.j2", "b.j2", "m.j2", "base.j2", "n.j2"]
        );
    }

    #[test]
    fn the_overall_digest_is_of_sorted_lines() {
        let mut files = BTreeMap::new();
        files.insert("b".to_owned(), "sha256:2".to_owned());
        files.insert("a".to_owned(), "sha256:1".to_owned());
        assert_eq!(overall(&files), sha256(b"a sha256:1\nb sha256:2\n"));
        assert!(is_well_formed(&overall(&files)));
        assert!(!is_well_formed("sha256:XYZ"));
    }
}
