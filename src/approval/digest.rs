//! The content digest an approval is pinned to.
//!
//! It covers exactly what decides the words posted: the playbook as its
//! source text says it (every scalar as written, so `0112` and `0x70`,
//! which YAML reads as the same number, digest differently; comments,
//! indentation, quoting of text and key order do not count) without its
//! approval records, and every template any message can load: its own
//! template in every language and every file those include or extend,
//! found by the template engine's own parse (`crate::template::policy`),
//! not by searching the text. Templates are digested with line endings
//! normalised and a leading byte order mark dropped, so a Windows checkout
//! digests the same. The `crisis.yaml` entry of every channel a message
//! posts to is covered too: whether a channel is public and what it holds
//! decide what may go out there, so a change to it needs a new approval.
//! `docs/approvals.md` specifies the canonical form (version
//! [`FORM_VERSION`]) so that another tool can recompute it.

use anyhow::Result;
use serde_json::Value;
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, BTreeSet};

use crate::catalog::CatalogPath;
use crate::template;
use crate::yaml::{Node, Resolved, Value as YamlValue};

/// The version of the canonical form. It is the first line of what the
/// overall digest hashes, so records made under an earlier form are stale.
pub const FORM_VERSION: u32 = 2;

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
pub type ReadFile<'a> = dyn Fn(&CatalogPath) -> Result<Option<String>> + 'a;

/// The digest of the playbook at `playbook_rel` whose parsed tree is `tree`,
/// reading templates with `read`. Template files that do not exist are left
/// out (lint reports them, and a file added later changes the digest);
/// files that exist but cannot be read are errors.
pub fn compute(playbook_rel: &str, tree: &Node, read: &ReadFile<'_>) -> Result<ContentDigest> {
    let data = content_data(tree);
    let mut files = BTreeMap::new();
    files.insert(
        playbook_rel.to_owned(),
        sha256(canonical_json(&data).as_bytes()),
    );
    let mut queue: Vec<String> = Vec::new();
    for (name, inline) in used_templates(tree) {
        if inline {
            queue.extend(referenced_templates(&name));
        } else {
            queue.push(name);
        }
    }
    let mut seen = BTreeSet::new();
    let channels = used_channels(tree);
    if !channels.is_empty() {
        insert_channel_entries(&channels, read, &mut files)?;
    }
    while let Some(name) = queue.pop() {
        let Ok(path) = CatalogPath::template(&name) else {
            // A name that cannot be a catalog file is never loaded (lint
            // reports it, render refuses it).
            continue;
        };
        if !seen.insert(path.clone()) {
            continue;
        }
        if let Some(text) = read(&path)? {
            let text = template::normalize_text(&text);
            queue.extend(referenced_templates(&text));
            files.insert(path.as_str().to_owned(), sha256(text.as_bytes()));
        }
    }
    Ok(ContentDigest {
        digest: overall(&files),
        files,
    })
}

/// The listing key of a channel's `crisis.yaml` entry, such as
/// `crisis.yaml#channels.pager`.
pub fn channel_entry_key(channel: &str) -> String {
    format!("{}#channels.{channel}", crate::catalog::CONFIG_FILE)
}

/// The file a listing key is in: the key itself for a file, `crisis.yaml`
/// for one of its channel entries.
pub fn file_of_key(key: &str) -> &str {
    key.split_once('#').map_or(key, |(file, _)| file)
}

/// Adds the digest of each `crisis.yaml` channel entry among `channels`. A
/// channel the file does not name is built in and needs no entry; a file
/// that does not parse, or a name that is not a valid channel name, leaves
/// the catalog unusable (lint reports it), so nothing is added for it.
fn insert_channel_entries(
    channels: &BTreeSet<String>,
    read: &ReadFile<'_>,
    files: &mut BTreeMap<String, String>,
) -> Result<()> {
    let config = CatalogPath::new(crate::catalog::CONFIG_FILE)
        .map_err(|problem| anyhow::anyhow!("{problem}"))?;
    let Some(text) = read(&config)? else {
        return Ok(());
    };
    let Ok(tree) = crate::yaml::parse(&text) else {
        return Ok(());
    };
    let Some(YamlValue::Map(entries)) = tree.get("channels").map(|n| &n.value) else {
        return Ok(());
    };
    for (key, entry) in entries {
        let Some(name) = key.as_str() else { continue };
        if channels.contains(name) && crate::channel::is_valid_name(name) {
            files.insert(
                channel_entry_key(name),
                sha256(canonical_json(&source_json(entry)).as_bytes()),
            );
        }
    }
    Ok(())
}

/// The channels the playbook's messages post to, as written.
fn used_channels(tree: &Node) -> BTreeSet<String> {
    match tree.get("messages").map(|m| &m.value) {
        Some(YamlValue::Seq(items)) => items
            .iter()
            .filter_map(|m| m.get("channel").and_then(Node::as_str))
            .map(str::to_owned)
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// The playbook as JSON without its approval records, each scalar as its
/// source text: a text as a JSON string, and a plain scalar YAML would
/// read as something else (a number, true, null) as `{"yaml": "as written"}`.
pub fn content_data(tree: &Node) -> Value {
    let mut data = source_json(tree);
    if let Value::Object(map) = &mut data {
        map.shift_remove(APPROVALS_KEY);
    }
    data
}

fn source_json(node: &Node) -> Value {
    match &node.value {
        YamlValue::Scalar(s) => match s.resolve() {
            Resolved::Str(text) => Value::String(text.to_owned()),
            _ => serde_json::json!({ "yaml": s.text }),
        },
        YamlValue::Seq(items) => Value::Array(items.iter().map(source_json).collect()),
        YamlValue::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| {
                    let key = k
                        .as_str()
                        .map_or_else(|| source_json(k).to_string(), str::to_owned);
                    (key, source_json(v))
                })
                .collect(),
        ),
    }
}

/// The overall digest: sha256 of a first line `crisis-digest <version>`,
/// then `<path> <digest>` lines sorted by path.
pub fn overall(files: &BTreeMap<String, String>) -> String {
    let mut listing = format!("crisis-digest {FORM_VERSION}\n");
    for (path, digest) in files {
        listing.push_str(&format!("{path} {digest}\n"));
    }
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

/// The message templates a playbook names, each message's `template`
/// with `{lang}` replaced for each of its languages (`false`), and the text
/// of its inline `text` and `subject` templates (`true`), read from the
/// tree as written.
pub fn used_templates(tree: &Node) -> Vec<(String, bool)> {
    let strings = |node: Option<&Node>| -> Option<Vec<String>> {
        match &node?.value {
            YamlValue::Seq(items) => items
                .iter()
                .map(|i| i.as_str().map(str::to_owned))
                .collect(),
            _ => None,
        }
    };
    let default_languages =
        strings(tree.get("languages")).unwrap_or_else(|| vec![DEFAULT_LANGUAGE.to_owned()]);
    let mut names = Vec::new();
    let messages = match tree.get("messages").map(|m| &m.value) {
        Some(YamlValue::Seq(items)) => items.as_slice(),
        _ => &[],
    };
    for message in messages {
        let languages =
            strings(message.get("languages")).unwrap_or_else(|| default_languages.clone());
        if let Some(template) = message.get("template").and_then(Node::as_str) {
            for lang in &languages {
                names.push((template.replace("{lang}", lang), false));
            }
        }
        for key in ["text", "subject"] {
            if let Some(YamlValue::Map(entries)) = message.get(key).map(|n| &n.value) {
                for (_, text) in entries {
                    if let Some(text) = text.as_str() {
                        names.push((text.to_owned(), true));
                    }
                }
            }
        }
    }
    names
}

/// Template names a template pulls in, from the template engine's parse. A
/// template the policy refuses is a lint error and is never rendered; the
/// names it does name are still covered.
pub fn referenced_templates(text: &str) -> Vec<String> {
    match template::policy::inspect("digest", text) {
        Ok(inspection) => inspection.references.into_iter().map(|r| r.name).collect(),
        Err(_) => template::policy::references_anyway(text),
    }
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
        let read = |rel: &CatalogPath| Ok(files.get(rel.as_str()).cloned());
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
    fn the_config_entry_of_each_channel_used_is_covered() {
        let templates = [
            ("templates/p/a.en.j2", "Hi"),
            ("templates/p/a.es.j2", "Hola"),
        ];
        let with_config = |config: &str| {
            let mut files = templates.to_vec();
            files.push(("crisis.yaml", config));
            digest_of(PLAYBOOK, &files)
        };
        let without = digest_of(PLAYBOOK, &templates);
        // A channel crisis.yaml does not name adds nothing.
        let other = with_config("channels:\n  pager: { counting: characters, limit: 9 }\n");
        assert_eq!(other, without);
        let limited = with_config("channels:\n  x: { limit: 25000 }\n");
        assert!(limited.files.contains_key("crisis.yaml#channels.x"));
        assert_ne!(limited.digest, without.digest);
        let reformatted = with_config("# Premium\nchannels:\n  x:\n    limit: 25000\n");
        assert_eq!(reformatted, limited);
        let raised = with_config("channels:\n  x: { limit: 25001 }\n");
        assert_ne!(raised.digest, limited.digest);
        // A file that does not parse leaves the catalog unusable anyway.
        assert_eq!(with_config("channels: [\n"), without);
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
    fn finds_template_references_however_they_are_spaced() {
        let text = "{%- include ['a.j2', \"b.j2\"] ignore missing %}{%include\"c.j2\"%}{% extends \"base.j2\" %}";
        assert_eq!(
            referenced_templates(text),
            ["a.j2", "b.j2", "c.j2", "base.j2"]
        );
    }

    #[test]
    fn scalars_digest_as_written() {
        let files = [
            ("templates/p/a.en.j2", "Hi"),
            ("templates/p/a.es.j2", "Hola"),
        ];
        let with = |value: &str| {
            digest_of(
                &format!("{PLAYBOOK}fields:\n  n:\n    default: {value}\n"),
                &files,
            )
            .digest
        };
        assert_ne!(with("0112"), with("0x70"));
        assert_ne!(with("1e3"), with("1000"));
        assert_eq!(with("\"abc\""), with("abc"));
    }

    #[test]
    fn line_endings_and_a_bom_do_not_change_the_digest() {
        let lf = [
            ("templates/p/a.en.j2", "Hi\nthere\n"),
            ("templates/p/a.es.j2", "Hola"),
        ];
        let crlf = [
            ("templates/p/a.en.j2", "\u{feff}Hi\r\nthere\r\n"),
            ("templates/p/a.es.j2", "Hola"),
        ];
        assert_eq!(
            digest_of(PLAYBOOK, &lf),
            digest_of(&PLAYBOOK.replace('\n', "\r\n"), &crlf)
        );
    }

    #[test]
    fn a_template_named_by_a_number_is_covered() {
        let playbook = "id: p\nmessages:\n  - id: a\n    channel: x\n    template: 123\n";
        let files = [("templates/123", "Hi")];
        let base = digest_of(playbook, &files);
        assert!(base.files.contains_key("templates/123"));
        assert_ne!(
            digest_of(playbook, &[("templates/123", "Bye")]).digest,
            base.digest
        );
    }

    #[test]
    fn the_overall_digest_is_of_sorted_lines() {
        let mut files = BTreeMap::new();
        files.insert("b".to_owned(), "sha256:2".to_owned());
        files.insert("a".to_owned(), "sha256:1".to_owned());
        assert_eq!(
            overall(&files),
            sha256(b"crisis-digest 2\na sha256:1\nb sha256:2\n")
        );
        assert!(is_well_formed(&overall(&files)));
        assert!(!is_well_formed("sha256:XYZ"));
    }
}
