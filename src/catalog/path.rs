//! `CatalogPath`: the only way to name a file inside a catalog.
//!
//! A catalog comes from a pull request, so every path in it (a playbook's
//! `template:`, a name in `{% include %}`, a file found while walking
//! `playbooks/`) is hostile until checked. A `CatalogPath` can only be built
//! by [`CatalogPath::new`], which accepts a relative, `/`-separated path of
//! plain names inside one of the catalog's areas, and nothing else: no
//! absolute path, no `..` or `.`, no empty part, no backslash, no control
//! character. Whether the file it names resolves (through symlinks) inside
//! its area is checked when it is opened, by [`super::Catalog`].

use std::fmt;

/// The parts of a catalog a file can live in. Each is its own root: a
/// template may not be read from `playbooks/`, nor a playbook from
/// `templates/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    /// `playbooks/`: the playbook files.
    Playbooks,
    /// `templates/`: message templates and what they include.
    Templates,
    /// `crisis.yaml` at the root: the catalog's settings.
    Config,
    /// A file `crisis.yaml` names for approval signatures (allowed signers,
    /// revoked keys): anywhere inside the catalog, never outside it.
    Trust,
}

impl Area {
    /// The folder (or, for the config, the file) relative to the root;
    /// empty for the trust files, whose area is the whole catalog.
    pub fn dir(self) -> &'static str {
        match self {
            Area::Playbooks => "playbooks",
            Area::Templates => "templates",
            Area::Config => super::CONFIG_FILE,
            Area::Trust => "",
        }
    }
}

/// A checked path relative to a catalog's root, such as
/// `templates/helpline/announce-x.en.j2`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CatalogPath {
    text: String,
    area: Area,
}

/// Why a path cannot name a file in the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathProblem {
    pub path: String,
    pub reason: &'static str,
}

impl fmt::Display for PathProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}' cannot name a catalog file: {}",
            self.path.escape_debug(),
            self.reason
        )
    }
}

impl std::error::Error for PathProblem {}

/// The longest path accepted, in bytes: deeper than any real catalog, short
/// enough that no file system refuses it.
pub const MAX_PATH_BYTES: usize = 512;

impl CatalogPath {
    /// Checks `text` as a path relative to the catalog root.
    pub fn new(text: &str) -> Result<CatalogPath, PathProblem> {
        let problem = |reason| PathProblem {
            path: text.to_owned(),
            reason,
        };
        check_text(text).map_err(problem)?;
        let mut parts = text.split('/');
        let first = parts.next().unwrap_or_default();
        let area = match first {
            "playbooks" => Area::Playbooks,
            "templates" => Area::Templates,
            super::CONFIG_FILE if !text.contains('/') => {
                return Ok(CatalogPath {
                    text: text.to_owned(),
                    area: Area::Config,
                })
            }
            _ => {
                return Err(problem(
                    "it is not under playbooks/ or templates/, nor crisis.yaml",
                ))
            }
        };
        check_names(parts).map_err(problem)?;
        Ok(CatalogPath {
            text: text.to_owned(),
            area,
        })
    }

    /// The path of a file `crisis.yaml` names for approval signatures, such
    /// as `allowed_signers` or `.github/allowed_signers`: relative to the
    /// root, anywhere inside the catalog.
    pub fn trust(text: &str) -> Result<CatalogPath, PathProblem> {
        let problem = |reason| PathProblem {
            path: text.to_owned(),
            reason,
        };
        check_text(text).map_err(problem)?;
        check_names(text.split('/')).map_err(problem)?;
        // Git's own folder holds the checkout's credentials, and dotfiles
        // such as `.env` hold secrets: no signers file lives there.
        let hidden = text.split('/').any(|part| {
            part.eq_ignore_ascii_case(".git") || part.to_ascii_lowercase().starts_with(".env")
        });
        if hidden {
            return Err(problem(
                "it is in .git or a .env file; keep signers files with the catalog, such as allowed_signers",
            ));
        }
        Ok(CatalogPath {
            text: text.to_owned(),
            area: Area::Trust,
        })
    }

    /// The path of a template by the name templates and playbooks use for
    /// it (relative to `templates/`).
    pub fn template(name: &str) -> Result<CatalogPath, PathProblem> {
        if name.starts_with('/') || name.is_empty() {
            return Err(PathProblem {
                path: name.to_owned(),
                reason:
                    "a template is named relative to templates/, such as helpline/announce-x.en.j2",
            });
        }
        CatalogPath::new(&format!("templates/{name}")).map_err(|p| PathProblem {
            path: name.to_owned(),
            reason: p.reason,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn area(&self) -> Area {
        self.area
    }

    /// The path below the area's folder (`helpline/a.en.j2` for
    /// `templates/helpline/a.en.j2`).
    pub fn inner(&self) -> &str {
        match self.area {
            Area::Config | Area::Trust => &self.text,
            area => &self.text[area.dir().len() + 1..],
        }
    }
}

/// What no catalog path may contain, whatever its area.
fn check_text(text: &str) -> Result<(), &'static str> {
    if text.len() > MAX_PATH_BYTES {
        return Err("it is longer than 512 bytes");
    }
    if text.starts_with('/') {
        return Err("it is absolute; write it relative to the catalog folder");
    }
    if text.contains('\\') {
        return Err("it contains a backslash; separate folders with /");
    }
    if text.chars().any(char::is_control) {
        return Err("it contains a control character");
    }
    if text.contains(':') {
        // `C:x` is a drive on Windows; nothing in a catalog needs a colon.
        return Err("it contains ':'");
    }
    Ok(())
}

/// Checks the names below an area's folder: plain names, at least one.
fn check_names<'a>(parts: impl Iterator<Item = &'a str>) -> Result<(), &'static str> {
    let mut names = 0;
    for part in parts {
        match part {
            "" => return Err("it has an empty part (// or a trailing /)"),
            "." | ".." => {
                return Err("it contains '.' or '..'; name the file from its area's folder down")
            }
            _ => names += 1,
        }
    }
    if names == 0 {
        return Err("it names a folder, not a file");
    }
    Ok(())
}

impl fmt::Display for CatalogPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_paths_in_each_area() {
        let path = CatalogPath::new("templates/a/b.en.j2").unwrap();
        assert_eq!((path.area(), path.inner()), (Area::Templates, "a/b.en.j2"));
        assert_eq!(
            CatalogPath::new("playbooks/x.yaml").unwrap().area(),
            Area::Playbooks
        );
        assert_eq!(
            CatalogPath::new("crisis.yaml").unwrap().area(),
            Area::Config
        );
        assert_eq!(
            CatalogPath::template("x/y.j2").unwrap().as_str(),
            "templates/x/y.j2"
        );
        for secret in [".git/config", ".env", "a/.ENV.local", ".GIT/x"] {
            assert!(CatalogPath::trust(secret).is_err(), "{secret}");
        }
        let signers = CatalogPath::trust(".github/allowed_signers").unwrap();
        assert_eq!(
            (signers.area(), signers.inner()),
            (Area::Trust, ".github/allowed_signers")
        );
    }

    #[test]
    fn refuses_every_way_out() {
        for bad in [
            "/etc/passwd",
            "templates/../crisis.yaml",
            "templates/a/../../x",
            "templates/./a",
            "templates//a",
            "templates/",
            "templates",
            "templates\\..\\x",
            "templates/a\nb",
            "templates/C:x",
            "src/main.rs",
            "crisis.yaml/x",
            "",
        ] {
            assert!(CatalogPath::new(bad).is_err(), "{bad:?} was accepted");
        }
        for bad in ["../x", "/abs", "", "a/../../b"] {
            assert!(CatalogPath::template(bad).is_err(), "{bad:?} was accepted");
        }
        for bad in [
            "/etc/ssh/keys",
            "../keys",
            "keys/../../x",
            "",
            "a//b",
            "a\\b",
            "a/",
        ] {
            assert!(CatalogPath::trust(bad).is_err(), "{bad:?} was accepted");
        }
        let long = format!("templates/{}", "a".repeat(MAX_PATH_BYTES));
        assert!(CatalogPath::new(&long).is_err());
        let at_limit = format!("templates/{}", "a".repeat(MAX_PATH_BYTES - 10));
        assert!(CatalogPath::new(&at_limit).is_ok());
    }
}
