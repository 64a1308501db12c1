//! The catalog: where playbooks, templates and the catalog config live.
//!
//! A catalog is a folder holding `playbooks/` (YAML, any depth), `templates/`
//! (minijinja) and optionally `crisis.yaml` (channels, approval policy).
//! Every file is named by a checked [`CatalogPath`] and opened only after
//! its real location (symlinks resolved) is found inside its area: a
//! hostile pull request cannot make the tool read or write anything else. It is found
//! from `--catalog` / `CRISIS_CATALOG`, else the nearest ancestor of the
//! working directory holding `playbooks/`, else the example catalog embedded
//! in the binary, so the demo works from any directory.

use anyhow::{bail, Result};
use include_dir::{include_dir, Dir};
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub mod path;

pub use path::{Area, CatalogPath, PathProblem};

use crate::limits;

static EMBEDDED_PLAYBOOKS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/playbooks");
static EMBEDDED_TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// The file of a catalog that holds its settings (channels, approval policy).
pub const CONFIG_FILE: &str = "crisis.yaml";

#[derive(Debug, Clone)]
enum Root {
    Dir {
        /// As given, for showing paths.
        root: PathBuf,
        /// With every symlink resolved: what confinement is checked against.
        canonical: PathBuf,
        cwd: PathBuf,
    },
    Embedded,
}

/// A catalog, cheap to clone (template loaders keep a copy).
#[derive(Debug, Clone)]
pub struct Catalog {
    root: Arc<Root>,
    /// Each folder's real path, found once: resolving a file then costs one
    /// look at the file itself, not one per folder above it (lint reads
    /// thousands of files from a few hundred folders).
    folders: Arc<std::sync::Mutex<std::collections::HashMap<PathBuf, Option<PathBuf>>>>,
}

/// Why a catalog file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The file as the user would open it.
    pub path: String,
    pub reason: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

impl std::error::Error for ReadError {}

/// The playbook files of a catalog, and the entries of `playbooks/` that
/// were refused (a symlink leading outside, a loop, a name no file may
/// have), so lint can report them instead of silently skipping a playbook.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<CatalogPath>,
    pub refused: Vec<ReadError>,
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
        let absolute = if dir.is_absolute() {
            dir.to_path_buf()
        } else {
            cwd.join(dir)
        };
        let canonical = absolute.canonicalize().unwrap_or(absolute);
        Catalog {
            folders: Arc::default(),
            root: Arc::new(Root::Dir {
                root: dir.to_path_buf(),
                canonical,
                cwd: cwd.to_path_buf(),
            }),
        }
    }

    /// The example catalog built into the binary.
    pub fn embedded() -> Catalog {
        Catalog {
            folders: Arc::default(),
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

    /// Every playbook file, sorted. The walk never leaves `playbooks/`,
    /// never enters a folder twice (two symlinks to one folder are not a
    /// loop), and stops at [`limits::MAX_WALK_DEPTH`] and
    /// [`limits::MAX_PLAYBOOK_FILES`].
    pub fn playbook_files(&self) -> Result<Walk> {
        let mut walk = Walk::default();
        match &*self.root {
            Root::Dir { canonical, .. } => self.walk_playbooks(canonical, &mut walk)?,
            Root::Embedded => {
                let mut names = Vec::new();
                collect_embedded(&EMBEDDED_PLAYBOOKS, "playbooks", &mut names);
                walk.files = names
                    .iter()
                    .filter_map(|n| CatalogPath::new(n).ok())
                    .collect();
            }
        }
        walk.files.sort();
        Ok(walk)
    }

    fn walk_playbooks(&self, canonical: &Path, walk: &mut Walk) -> Result<()> {
        let area = canonical.join("playbooks");
        let base = match area.canonicalize() {
            Ok(base) if base == area => base,
            Ok(_) => bail!(
                "{} is a symlink; playbooks/ must be a real folder inside the catalog",
                self.display_path("playbooks")
            ),
            Err(err) => bail!("cannot read {}: {err}", self.display_path("playbooks")),
        };
        let mut seen = HashSet::from([base.clone()]);
        let mut stack = vec![(base.clone(), "playbooks".to_owned(), 0usize)];
        while let Some((dir, rel, depth)) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|err| {
                anyhow::anyhow!("cannot read the folder {}: {err}", self.display_path(&rel))
            })?;
            let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
            entries.sort_by_key(|e| e.file_name());
            for entry in entries {
                let name = entry.file_name();
                let shown_name = name.to_string_lossy().into_owned();
                let child_rel = format!("{rel}/{shown_name}");
                let refuse = |walk: &mut Walk, reason: String| {
                    walk.refused.push(ReadError {
                        path: self.display_path(&child_rel),
                        reason,
                    });
                };
                let Some(name) = name.to_str() else {
                    refuse(walk, "the name is not UTF-8; rename it".into());
                    continue;
                };
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                let is_dir = if kind.is_symlink() {
                    match entry.path().canonicalize() {
                        Ok(target) if !target.starts_with(&base) => {
                            if is_yaml(name) || target.is_dir() {
                                refuse(walk, "a symlink that leads outside playbooks/; catalog files must live inside the catalog".into());
                            }
                            continue;
                        }
                        Ok(target) => target.is_dir(),
                        Err(_) => {
                            if is_yaml(name) {
                                refuse(walk, "a symlink to nothing".into());
                            }
                            continue;
                        }
                    }
                } else {
                    kind.is_dir()
                };
                if is_dir {
                    let Ok(target) = entry.path().canonicalize() else {
                        continue;
                    };
                    if !seen.insert(target.clone()) {
                        // Already walked: a second link to the same folder.
                        continue;
                    }
                    if depth + 1 > limits::MAX_WALK_DEPTH {
                        refuse(walk, format!("folders nest more than {} levels deep below playbooks/; flatten them", limits::MAX_WALK_DEPTH));
                        continue;
                    }
                    stack.push((target, child_rel, depth + 1));
                } else if is_yaml(name) {
                    match CatalogPath::new(&child_rel) {
                        Ok(path) => walk.files.push(path),
                        Err(problem) => refuse(
                            walk,
                            format!(
                                "the file name cannot be used: {}; rename it",
                                problem.reason
                            ),
                        ),
                    }
                    if walk.files.len() > limits::MAX_PLAYBOOK_FILES {
                        bail!(
                            "the catalog holds more than {} playbook files; split it",
                            limits::MAX_PLAYBOOK_FILES
                        );
                    }
                }
            }
        }
        Ok(())
    }

    /// Reads a file. `Ok(None)` when it does not exist; an error when it
    /// exists but resolves outside its area (through a symlink), is not a
    /// regular file, is larger than its area allows, or is not UTF-8.
    pub fn read(&self, path: &CatalogPath) -> Result<Option<String>, ReadError> {
        let fail = |reason: String| ReadError {
            path: self.display_path(path.as_str()),
            reason,
        };
        let max = match path.area() {
            Area::Templates => limits::MAX_TEMPLATE_BYTES,
            Area::Playbooks | Area::Config => limits::MAX_PLAYBOOK_BYTES,
            Area::Trust => limits::MAX_TRUST_FILE_BYTES,
        };
        let kind = match path.area() {
            Area::Trust => "allowed signers and revoked keys files".to_owned(),
            area => format!("files in {}", area.dir()),
        };
        let bytes = match &*self.root {
            Root::Embedded => return Ok(embedded_file(path)),
            Root::Dir { canonical, .. } => {
                let resolved = match self.resolve(canonical, path) {
                    Ok(Some(resolved)) => resolved,
                    Ok(None) => return Ok(None),
                    Err(reason) => return Err(fail(reason)),
                };
                let meta = std::fs::metadata(&resolved).map_err(|e| fail(e.to_string()))?;
                if meta.is_dir() {
                    return Err(fail(
                        "a folder where a file is expected; remove it or rename it".into(),
                    ));
                }
                if !meta.is_file() {
                    return Err(fail(
                        "not a regular file (a device, pipe or socket); catalog files are plain text files".into(),
                    ));
                }
                if meta.len() > max {
                    return Err(fail(format!(
                        "{} bytes; {kind} may be at most {max} bytes",
                        meta.len(),
                    )));
                }
                let file = std::fs::File::open(&resolved).map_err(|e| fail(e.to_string()))?;
                // Room for the whole file and the byte that would show it
                // grew: read in one call, not in doubling steps.
                let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
                file.take(max + 1)
                    .read_to_end(&mut bytes)
                    .map_err(|e| fail(e.to_string()))?;
                if bytes.len() as u64 > max {
                    return Err(fail(format!(
                        "more than {max} bytes; {kind} may be at most {max} bytes"
                    )));
                }
                bytes
            }
        };
        String::from_utf8(bytes).map(Some).map_err(|err| {
            let at = err.utf8_error().valid_up_to();
            fail(format!(
                "not UTF-8 text (bad byte at offset {at}); save it as UTF-8"
            ))
        })
    }

    /// Where `path` really is on disk, checked to be inside its area;
    /// `None` when it does not exist.
    fn resolve(&self, canonical: &Path, path: &CatalogPath) -> Result<Option<PathBuf>, String> {
        let full = canonical.join(path.as_str());
        // The folder's real path (cached), then the file itself: only a
        // file that is a symlink needs resolving in full.
        let (Some(parent), Some(name)) = (full.parent(), full.file_name()) else {
            return Ok(None);
        };
        let Some(real_parent) = self.real_folder(parent)? else {
            return Ok(None);
        };
        let candidate = real_parent.join(name);
        let resolved = match std::fs::symlink_metadata(&candidate) {
            Ok(meta) if !meta.file_type().is_symlink() => Ok(candidate),
            Ok(_) => full.canonicalize(),
            Err(err) => Err(err),
        };
        let resolved = match resolved {
            Ok(resolved) => resolved,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                // A dangling symlink is not "no file": say so.
                if std::fs::symlink_metadata(&full).is_ok() {
                    return Err("a symlink to nothing".into());
                }
                return Ok(None);
            }
            Err(err) => return Err(err.to_string()),
        };
        let inside = match path.area() {
            Area::Config => resolved == canonical.join(path.area().dir()),
            // Anywhere inside the catalog: the file crisis.yaml names.
            Area::Trust => resolved.starts_with(canonical) && resolved.as_path() != canonical,
            area => {
                let area = canonical.join(area.dir());
                resolved.starts_with(&area) && resolved != area
            }
        };
        if !inside {
            return Err(format!(
                "it resolves outside {} (through a symlink); catalog files must live inside the catalog",
                match path.area() {
                    Area::Config | Area::Trust => "the catalog folder".to_owned(),
                    area => format!("{}/", area.dir()),
                }
            ));
        }
        Ok(Some(resolved))
    }

    /// A folder's real path, symlinks resolved, found once per folder;
    /// `None` when it does not exist.
    fn real_folder(&self, folder: &Path) -> Result<Option<PathBuf>, String> {
        let mut known = self.folders.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(real) = known.get(folder) {
            return Ok(real.clone());
        }
        let real = match folder.canonicalize() {
            Ok(real) => Some(real),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
            Err(err) => return Err(err.to_string()),
        };
        known.insert(folder.to_path_buf(), real.clone());
        Ok(real)
    }

    /// Replaces an existing catalog file, atomically, after checking that it
    /// resolves inside its area: `lint --fix` and `approve` never write
    /// outside the catalog.
    pub fn write(&self, path: &CatalogPath, contents: &[u8]) -> Result<()> {
        let Root::Dir { canonical, .. } = &*self.root else {
            bail!("the built-in example catalog cannot be changed; copy it into a folder of your own, or pass --catalog DIR");
        };
        let resolved = match self.resolve(canonical, path) {
            Ok(Some(resolved)) => resolved,
            Ok(None) => bail!("{} does not exist", self.display_path(path.as_str())),
            Err(reason) => bail!("{}: {reason}", self.display_path(path.as_str())),
        };
        crate::atomic::write(&resolved, contents)
    }

    /// The path of a catalog file as the user would open it: relative to the
    /// working directory when the catalog is below it.
    pub fn display_path(&self, rel: &str) -> String {
        match &*self.root {
            Root::Dir {
                root,
                cwd,
                canonical,
            } => {
                let full = root.join(rel);
                let shown = match full.strip_prefix(cwd) {
                    Ok(shown) => shown.to_path_buf(),
                    // Run from a folder below the catalog: relative to the
                    // catalog root, as git and CI show it.
                    Err(_) if cwd.starts_with(canonical) || cwd.starts_with(root) => {
                        PathBuf::from(rel)
                    }
                    Err(_) => full.clone(),
                };
                let shown = shown.strip_prefix("./").unwrap_or(&shown);
                let text = slash_path(shown);
                if text.is_empty() {
                    ".".to_owned()
                } else {
                    text
                }
            }
            Root::Embedded => format!("(built-in)/{rel}"),
        }
    }

    /// The path relative to the root of a file given on the command line,
    /// if it is inside this catalog.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let Root::Dir { cwd, canonical, .. } = &*self.root else {
            return None;
        };
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            cwd.join(path)
        };
        let absolute = absolute.canonicalize().unwrap_or(absolute);
        absolute.strip_prefix(canonical).ok().map(slash_path)
    }
}

/// The nearest ancestor of `start` (itself included) holding `playbooks/`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join("playbooks").is_dir())
        .map(Path::to_path_buf)
}

fn is_yaml(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

fn slash_path(path: &Path) -> String {
    // The root is the empty first name, so an absolute path keeps one
    // leading slash rather than two.
    path.components()
        .map(|c| match c {
            std::path::Component::RootDir => "".into(),
            c => c.as_os_str().to_string_lossy(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn collect_embedded(dir: &Dir<'_>, prefix: &str, files: &mut Vec<String>) {
    for file in dir.files() {
        if file.path().to_str().is_some_and(is_yaml) {
            files.push(format!("{prefix}/{}", slash_path(file.path())));
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, prefix, files);
    }
}

fn embedded_file(path: &CatalogPath) -> Option<String> {
    let dir = match path.area() {
        Area::Playbooks => &EMBEDDED_PLAYBOOKS,
        Area::Templates => &EMBEDDED_TEMPLATES,
        // The binary carries the examples' playbooks and templates, not their
        // settings or signers: the repository checks those signatures.
        Area::Config | Area::Trust => return None,
    };
    dir.get_file(path.inner())
        .and_then(|f| f.contents_utf8())
        .map(str::to_owned)
}
