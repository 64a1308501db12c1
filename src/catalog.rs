//! The catalog: where playbooks, templates and the catalog config live.
//!
//! A catalog is a folder holding `playbooks/` (YAML, any depth), `templates/`
//! (minijinja) and optionally `crisis.yaml` (channel overrides). It is found
//! from `--catalog` / `CRISIS_CATALOG`, else the nearest ancestor of the
//! working directory holding `playbooks/`, else the example catalog embedded
//! in the binary, so the demo works from any directory.

use anyhow::{bail, Context, Result};
use include_dir::{include_dir, Dir};
use std::path::{Path, PathBuf};
use std::sync::Arc;

static EMBEDDED_PLAYBOOKS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/playbooks");
static EMBEDDED_TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// The file of a catalog that overrides and adds channels.
pub const CONFIG_FILE: &str = "crisis.yaml";

/// Playbooks and templates larger than this are refused: no real playbook
/// comes close, and the limit keeps a stray file from exhausting memory.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Clone)]
enum Root {
    Dir { root: PathBuf, cwd: PathBuf },
    Embedded,
}

/// A catalog, cheap to clone (templates loaders keep a copy).
#[derive(Debug, Clone)]
pub struct Catalog {
    root: Arc<Root>,
}

impl Catalog {
    /// Finds the catalog as described in the module documentation.
    pub fn discover(explicit: Option<&Path>, cwd: &Path) -> Result<Catalog> {
        if let Some(dir) = explicit {
            if !dir.join("playbooks").is_dir() {
                bail!(
                    "{} is not a catalog: it has no playbooks/ folder; point --catalog (or CRISIS_CATALOG) at the folder that holds playbooks/ and templates/",
                    dir.display()
                );
            }
            return Ok(Catalog::at(dir, cwd));
        }
        match find_root(cwd) {
            Some(root) => Ok(Catalog::at(&root, cwd)),
            None => Ok(Catalog::embedded()),
        }
    }

    /// The catalog folder at `dir`, with paths shown relative to `cwd`.
    pub fn at(dir: &Path, cwd: &Path) -> Catalog {
        Catalog {
            root: Arc::new(Root::Dir {
                root: dir.to_path_buf(),
                cwd: cwd.to_path_buf(),
            }),
        }
    }

    /// The example catalog built into the binary.
    pub fn embedded() -> Catalog {
        Catalog {
            root: Arc::new(Root::Embedded),
        }
    }

    pub fn is_embedded(&self) -> bool {
        matches!(*self.root, Root::Embedded)
    }

    /// The folder of the catalog on disk (none for the embedded one).
    pub fn dir(&self) -> Option<&Path> {
        match &*self.root {
            Root::Dir { root, .. } => Some(root),
            Root::Embedded => None,
        }
    }

    /// Every playbook file, as paths relative to the root, sorted.
    pub fn playbook_files(&self) -> Result<Vec<String>> {
        let mut files = Vec::new();
        match &*self.root {
            Root::Dir { root, .. } => {
                let mut stack = vec![root.join("playbooks")];
                while let Some(dir) = stack.pop() {
                    let entries = std::fs::read_dir(&dir)
                        .with_context(|| format!("cannot read the folder {}", dir.display()))?;
                    for entry in entries {
                        let path = entry
                            .with_context(|| format!("cannot read the folder {}", dir.display()))?
                            .path();
                        if path.is_dir() {
                            stack.push(path);
                        } else if is_yaml(&path) {
                            if let Ok(rel) = path.strip_prefix(root) {
                                files.push(slash_path(rel));
                            }
                        }
                    }
                }
            }
            Root::Embedded => collect_embedded(&EMBEDDED_PLAYBOOKS, "playbooks", &mut files),
        }
        files.sort();
        Ok(files)
    }

    /// Reads a file by its path relative to the root. `Ok(None)` when it does
    /// not exist; an error when it exists but cannot be read as text.
    pub fn read(&self, rel: &str) -> Result<Option<String>> {
        match &*self.root {
            Root::Dir { root, .. } => {
                let path = root.join(rel);
                let meta = match std::fs::metadata(&path) {
                    Ok(meta) if meta.is_file() => meta,
                    Ok(_) => return Ok(None),
                    Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                    Err(err) => {
                        return Err(err)
                            .with_context(|| format!("cannot read {}", self.display_path(rel)))
                    }
                };
                if meta.len() > MAX_FILE_BYTES {
                    bail!(
                        "{} is {} bytes; files in a catalog may be at most {} bytes",
                        self.display_path(rel),
                        meta.len(),
                        MAX_FILE_BYTES
                    );
                }
                let bytes = std::fs::read(&path)
                    .with_context(|| format!("cannot read {}", self.display_path(rel)))?;
                String::from_utf8(bytes).map(Some).map_err(|err| {
                    let at = err.utf8_error().valid_up_to();
                    anyhow::anyhow!(
                        "{} is not UTF-8 text (bad byte at offset {at}); save it as UTF-8",
                        self.display_path(rel)
                    )
                })
            }
            Root::Embedded => Ok(embedded_file(rel)),
        }
    }

    /// The path of a catalog file as the user would open it: relative to the
    /// working directory when the catalog is below it.
    pub fn display_path(&self, rel: &str) -> String {
        match &*self.root {
            Root::Dir { root, cwd } => {
                let full = root.join(rel);
                let shown = full
                    .strip_prefix(cwd)
                    .map(Path::to_path_buf)
                    .unwrap_or(full.clone());
                let shown = shown.strip_prefix("./").unwrap_or(&shown);
                slash_path(shown)
            }
            Root::Embedded => format!("(built-in)/{rel}"),
        }
    }

    /// The path relative to the root of a file given on the command line,
    /// if it is inside this catalog.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let Root::Dir { root, cwd } = &*self.root else {
            return None;
        };
        let absolute = |p: &Path| {
            let p = if p.is_absolute() {
                p.to_path_buf()
            } else {
                cwd.join(p)
            };
            p.canonicalize().unwrap_or(p)
        };
        let (root, path) = (absolute(root), absolute(path));
        path.strip_prefix(&root).ok().map(slash_path)
    }
}

/// The nearest ancestor of `start` (itself included) holding `playbooks/`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join("playbooks").is_dir())
        .map(Path::to_path_buf)
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn collect_embedded(dir: &Dir<'_>, prefix: &str, files: &mut Vec<String>) {
    for file in dir.files() {
        if is_yaml(file.path()) {
            files.push(format!("{prefix}/{}", slash_path(file.path())));
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, prefix, files);
    }
}

fn embedded_file(rel: &str) -> Option<String> {
    let (dir, inner) = if let Some(inner) = rel.strip_prefix("playbooks/") {
        (&EMBEDDED_PLAYBOOKS, inner)
    } else if let Some(inner) = rel.strip_prefix("templates/") {
        (&EMBEDDED_TEMPLATES, inner)
    } else {
        return None;
    };
    dir.get_file(inner)
        .and_then(|f| f.contents_utf8())
        .map(str::to_owned)
}
