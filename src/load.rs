//! Loading: catalog files become the typed model, with positions kept.
//!
//! A playbook is parsed into a positioned YAML tree ([`crate::yaml`]) and the
//! model is deserialised from that tree, so every later finding can point at
//! the key or value it is about. A broken file becomes a diagnostic, never a
//! panic, and never stops the other files from loading.

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::rules;
use crate::playbook::Playbook;
use crate::span::Span;
use crate::yaml::{self, Node, PathSeg};

/// A playbook file that parsed and matched the model.
#[derive(Debug)]
pub struct Loaded {
    /// Path relative to the catalog root, such as `playbooks/helpline.yaml`.
    pub rel: String,
    /// Path as the user opens it.
    pub display: String,
    pub text: String,
    pub tree: Node,
    pub playbook: Playbook,
}

impl Loaded {
    /// The span of the node at `path` (for a mapping key: the key itself),
    /// falling back to the nearest ancestor that exists.
    pub fn span(&self, path: &[PathSeg]) -> Span {
        span_in(&self.tree, path)
    }

    /// The span of `key` of message number `index`.
    pub fn message_span(&self, index: usize, key: &str) -> Span {
        self.span(&[
            PathSeg::Key("messages".into()),
            PathSeg::Index(index),
            PathSeg::Key(key.into()),
        ])
    }

    /// The span of approval record number `index`.
    pub fn approval_span(&self, index: usize) -> Span {
        self.span(&[PathSeg::Key("approvals".into()), PathSeg::Index(index)])
    }

    /// The span of a declared field's key, or of one of its settings.
    pub fn field_span(&self, name: &str, key: Option<&str>) -> Span {
        let mut path = vec![PathSeg::Key("fields".into()), PathSeg::Key(name.into())];
        if let Some(key) = key {
            path.push(PathSeg::Key(key.into()));
        }
        self.span(&path)
    }

    /// A diagnostic in this file.
    pub fn diagnostic(
        &self,
        code: &'static str,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(code, severity, self.display.clone(), span, message)
    }
}

/// The span of the node at `path`: for the last key of a mapping its key,
/// for a list item the item, falling back to the deepest node found.
pub fn span_in(tree: &Node, path: &[PathSeg]) -> Span {
    let mut node = tree;
    let mut span = tree.span;
    for (i, seg) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        match seg {
            PathSeg::Key(key) => {
                if last {
                    if let Some(k) = node.key_node(key) {
                        return k.span;
                    }
                }
                match node.get(key) {
                    Some(child) => node = child,
                    None => return span,
                }
            }
            PathSeg::Index(_) => match node.find(std::slice::from_ref(seg)) {
                Some(child) => node = child,
                None => return span,
            },
        }
        span = node.span;
    }
    span
}

/// Reads and parses a playbook file. The error is the one finding that
/// stopped it (a syntax or model error), ready to report.
pub fn load_playbook(catalog: &Catalog, rel: &str) -> Result<Loaded, Diagnostic> {
    let display = catalog.display_path(rel);
    let text = match catalog.read(rel) {
        Ok(Some(text)) => text,
        Ok(None) => {
            return Err(Diagnostic::new(
                rules::unreadable::RULE.code,
                Severity::Error,
                display,
                Span::FILE,
                "file not found",
            ))
        }
        Err(err) => {
            return Err(Diagnostic::new(
                rules::unreadable::RULE.code,
                Severity::Error,
                display,
                Span::FILE,
                format!("{err:#}"),
            ))
        }
    };
    let (tree, playbook) = parse_model::<Playbook>(&text, &display)?;
    Ok(Loaded {
        rel: rel.to_owned(),
        display,
        text,
        tree,
        playbook,
    })
}

/// Parses YAML text into its tree and a model type, turning the first
/// problem into a diagnostic with the code of its kind.
pub fn parse_model<T: serde::de::DeserializeOwned>(
    text: &str,
    display: &str,
) -> Result<(Node, T), Diagnostic> {
    let tree = yaml::parse(text).map_err(|err| {
        Diagnostic::new(
            rules::yaml_syntax::RULE.code,
            Severity::Error,
            display,
            err.span,
            err.message,
        )
    })?;
    if !matches!(tree.value, yaml::Value::Map(_)) {
        return Err(Diagnostic::new(
            rules::invalid_value::RULE.code,
            Severity::Error,
            display,
            tree.span,
            "expected a mapping of keys (id, title, messages, ...) at the top of the file",
        ));
    }
    let model = yaml::from_node::<T>(&tree).map_err(|err| {
        let code = if err.message.starts_with("unknown key") {
            rules::unknown_key::RULE.code
        } else if err.message.starts_with("missing key") {
            rules::missing_key::RULE.code
        } else {
            rules::invalid_value::RULE.code
        };
        let place = describe_path(&tree, &err.path);
        let message = if place.is_empty() {
            err.message.clone()
        } else {
            format!("{} (in {place})", err.message)
        };
        Diagnostic::new(code, Severity::Error, display, err.span, message)
    })?;
    Ok((tree, model))
}

/// `messages[2] 'follow-up-x'`: a path as an author recognises it, naming
/// list items by their `id` where they have one. The last key is left out
/// when the message already names it.
fn describe_path(tree: &Node, path: &[PathSeg]) -> String {
    let mut out = String::new();
    let mut node = Some(tree);
    let parents = match path.last() {
        Some(PathSeg::Key(_)) => &path[..path.len() - 1],
        _ => path,
    };
    for seg in parents {
        node = node.and_then(|n| n.find(std::slice::from_ref(seg)));
        match seg {
            PathSeg::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            PathSeg::Index(i) => {
                out.push_str(&format!("[{i}]"));
                if let Some(id) = node.and_then(|n| n.get("id")).and_then(Node::as_str) {
                    out.push_str(&format!(" '{id}'"));
                }
            }
        }
    }
    out
}
