//! Loading: catalog files become the typed model, with positions kept.
//!
//! A playbook is parsed into a positioned YAML tree ([`crate::yaml`]) and the
//! model is deserialised from that tree, so every later finding can point at
//! the key or value it is about. A broken file becomes a diagnostic, never a
//! panic, and never stops the other files from loading.

use crate::catalog::{Catalog, CatalogPath};
use crate::channel::Channels;
use crate::playbook::Playbook;
use crate::settings::Settings;
use crate::span::Span;
use crate::yaml::{self, Node, PathSeg};

/// A playbook file that parsed and matched the model.
#[derive(Debug)]
pub struct Loaded {
    /// Path relative to the catalog root, such as `playbooks/helpline.yaml`.
    pub rel: CatalogPath,
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

/// What kind of problem stopped a file from loading. Lint maps each kind to
/// its rule; loading knows nothing of rule codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadErrorKind {
    /// The file is missing, too large, not UTF-8, or outside the catalog.
    Unreadable,
    /// Not valid YAML.
    Syntax,
    /// A key the model does not have.
    UnknownKey,
    /// A key the model requires is absent.
    MissingKey,
    /// A value of the wrong type or out of range.
    InvalidValue,
}

/// A problem that stopped a file from loading, at its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub kind: LoadErrorKind,
    /// The file as the user opens it.
    pub path: String,
    pub span: Span,
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.span.line, self.span.col, self.message
        )
    }
}

impl std::error::Error for LoadError {}

/// Every problem found in a file that did not load (all its schema errors
/// at once, so fixing one does not reveal the next), and its text when it
/// could be read.
#[derive(Debug, Clone)]
pub struct Unloaded {
    pub errors: Vec<LoadError>,
    pub text: Option<String>,
}

/// Schema errors reported per file, at most: past this the file is far
/// from the model and the first ones say what to fix.
const MAX_ERRORS_PER_FILE: usize = 50;

/// Reads and parses a playbook file.
pub fn load_playbook(catalog: &Catalog, rel: &CatalogPath) -> Result<Loaded, Unloaded> {
    let display = catalog.display_path(rel.as_str());
    let unreadable = |message: String| Unloaded {
        errors: vec![LoadError {
            kind: LoadErrorKind::Unreadable,
            path: display.clone(),
            span: Span::FILE,
            message,
        }],
        text: None,
    };
    let text = match catalog.read(rel) {
        Ok(Some(text)) => text,
        Ok(None) => return Err(unreadable("file not found".to_owned())),
        Err(err) => return Err(unreadable(err.reason)),
    };
    match parse_model::<Playbook>(&text, &display) {
        Ok((tree, playbook)) => Ok(Loaded {
            rel: rel.clone(),
            display,
            text,
            tree,
            playbook,
        }),
        Err(errors) => Err(Unloaded {
            errors,
            text: Some(text),
        }),
    }
}

/// Parses YAML text into its tree and a model type. On failure, every
/// problem found: the syntax error, or each schema error (after one, the
/// offending key or list item is set aside and the rest checked again).
pub fn parse_model<T: serde::de::DeserializeOwned>(
    text: &str,
    display: &str,
) -> Result<(Node, T), Vec<LoadError>> {
    let tree = yaml::parse(text).map_err(|err| {
        vec![LoadError {
            kind: LoadErrorKind::Syntax,
            path: display.to_owned(),
            span: err.span,
            message: err.message,
        }]
    })?;
    if !matches!(tree.value, yaml::Value::Map(_)) {
        return Err(vec![LoadError {
            kind: LoadErrorKind::InvalidValue,
            path: display.to_owned(),
            span: tree.span,
            message: "expected a mapping of keys (id, title, messages, ...) at the top of the file"
                .to_owned(),
        }]);
    }
    let first = match yaml::from_node::<T>(&tree) {
        Ok(model) => return Ok((tree, model)),
        Err(err) => err,
    };
    let mut errors = vec![schema_error(&tree, &first, display)];
    let mut pruned = tree.clone();
    let mut last = first;
    // Mappings an unknown key was removed from: a key then missing there is
    // most likely the misspelt one ('chanel' for 'channel'), not news.
    let mut misspelt_in: Vec<Vec<PathSeg>> = Vec::new();
    while errors.len() < MAX_ERRORS_PER_FILE {
        if last.message.starts_with("unknown key") && !last.path.is_empty() {
            misspelt_in.push(last.path[..last.path.len() - 1].to_vec());
        }
        if !prune(&mut pruned, &last) {
            break;
        }
        match yaml::from_node::<T>(&pruned) {
            Ok(_) => break,
            Err(err) => {
                let consequence =
                    err.message.starts_with("missing key") && misspelt_in.contains(&err.path);
                let error = schema_error(&tree, &err, display);
                if !consequence {
                    if errors.contains(&error) {
                        break;
                    }
                    errors.push(error);
                }
                last = err;
            }
        }
    }
    errors.sort_by_key(|e| (e.span.line, e.span.col));
    Err(errors)
}

fn schema_error(tree: &Node, err: &yaml::DeError, display: &str) -> LoadError {
    let kind = if err.message.starts_with("unknown key") {
        LoadErrorKind::UnknownKey
    } else if err.message.starts_with("missing key") {
        LoadErrorKind::MissingKey
    } else {
        LoadErrorKind::InvalidValue
    };
    let place = describe_path(tree, &err.path);
    let message = if place.is_empty() {
        err.message.clone()
    } else {
        format!("{} (in {place})", err.message)
    };
    LoadError {
        kind,
        path: display.to_owned(),
        span: err.span,
        message,
    }
}

/// Sets aside the part of `tree` that `err` is about, so the rest can be
/// checked: an unknown key is removed; otherwise the innermost list item
/// holding the problem, or else the top-level key. `false` when nothing
/// can be set aside.
fn prune(tree: &mut Node, err: &yaml::DeError) -> bool {
    let path = &err.path;
    if err.message.starts_with("unknown key") {
        if let Some(PathSeg::Key(key)) = path.last() {
            if let Some(parent) = tree.find_mut(&path[..path.len() - 1]) {
                return parent.remove_key(key);
            }
        }
        return false;
    }
    if let Some(i) = path.iter().rposition(|s| matches!(s, PathSeg::Index(_))) {
        if let (Some(parent), PathSeg::Index(index)) = (tree.find_mut(&path[..i]), &path[i]) {
            return parent.remove_index(*index);
        }
        return false;
    }
    if err.message.starts_with("missing key") {
        return false;
    }
    match path.first() {
        Some(PathSeg::Key(key)) => tree.remove_key(key),
        _ => false,
    }
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

/// `crisis.yaml` as loaded: the settings (defaults when absent or broken),
/// the channels they give, and every problem found.
pub struct LoadedSettings {
    pub settings: Settings,
    pub channels: Channels,
    /// The file as the user opens it.
    pub display: String,
    pub text: Option<String>,
    pub tree: Option<Node>,
    /// Problems that stopped the file from loading.
    pub errors: Vec<LoadError>,
    /// Channels the registry refused, at their place.
    pub channel_problems: Vec<(Span, String)>,
}

/// Loads the catalog's settings. A broken file falls back to the built-in
/// channels and no policy, and says why: lint reports it, and render
/// refuses to run on a catalog lint fails.
pub fn load_settings(catalog: &Catalog) -> LoadedSettings {
    let path =
        CatalogPath::new(crate::catalog::CONFIG_FILE).expect("the config file name is valid");
    let display = catalog.display_path(path.as_str());
    let mut loaded = LoadedSettings {
        settings: Settings::default(),
        channels: Channels::builtin(),
        display: display.clone(),
        text: None,
        tree: None,
        errors: Vec::new(),
        channel_problems: Vec::new(),
    };
    let text = match catalog.read(&path) {
        Ok(Some(text)) => text,
        Ok(None) => return loaded,
        Err(err) => {
            loaded.errors.push(LoadError {
                kind: LoadErrorKind::Unreadable,
                path: display,
                span: Span::FILE,
                message: err.reason,
            });
            return loaded;
        }
    };
    loaded.text = Some(text.clone());
    let (tree, settings) = match parse_model::<Settings>(&text, &display) {
        Ok(parsed) => parsed,
        Err(errors) => {
            loaded.errors = errors;
            return loaded;
        }
    };
    match Channels::with_config(&settings.channel_config()) {
        Ok(channels) => loaded.channels = channels,
        Err(problems) => {
            for problem in problems.0 {
                let mut path = vec![
                    PathSeg::Key("channels".into()),
                    PathSeg::Key(problem.channel.clone()),
                ];
                path.extend(problem.field.map(|f| PathSeg::Key(f.into())));
                loaded.channel_problems.push((
                    span_in(&tree, &path),
                    format!("channel '{}': {}", problem.channel, problem.message),
                ));
            }
        }
    }
    loaded.settings = settings;
    loaded.tree = Some(tree);
    loaded
}

/// Why a playbook could not be found by id.
pub enum Lookup {
    /// No playbook has the id; the ids there are.
    NotFound { ids: Vec<String> },
    /// The file named after the id does not load.
    Unloadable(Unloaded),
}

/// The playbook with id `id`: by convention in `playbooks/<id>.yaml`, else
/// found by reading every playbook.
pub fn find_by_id(catalog: &Catalog, id: &str) -> Result<Loaded, Lookup> {
    let direct = CatalogPath::new(&format!("playbooks/{id}.yaml")).ok();
    if let Some(direct) = &direct {
        if let Ok(loaded) = load_playbook(catalog, direct) {
            if loaded.playbook.id == id {
                return Ok(loaded);
            }
        }
    }
    let mut ids = Vec::new();
    let files = catalog
        .playbook_files()
        .map(|w| w.files)
        .unwrap_or_default();
    for rel in files {
        match load_playbook(catalog, &rel) {
            Ok(loaded) if loaded.playbook.id == id => return Ok(loaded),
            Ok(loaded) => ids.push(loaded.playbook.id),
            Err(unloaded) if Some(&rel) == direct.as_ref() => {
                return Err(Lookup::Unloadable(unloaded))
            }
            Err(_) => {}
        }
    }
    Err(Lookup::NotFound { ids })
}
