//! Finding the approved version in git, for `crisis diff`.
//!
//! Approvals record the content's digest, not a commit, so they survive
//! rebases and squashes and work in a catalog that is not in git at all.
//! Git is needed only to show the words: we walk the commits that touched
//! the approved files, newest first, recompute the digest of the content at
//! each, and take the newest one that matches.

use anyhow::{anyhow, bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::digest::{self, ContentDigest};
use crate::yaml;

/// How many commits are searched for the approved content; enough for
/// years of edits to a playbook, few enough to answer in seconds.
pub const MAX_COMMITS: usize = 300;

/// The git repository holding a catalog folder.
pub struct Repo {
    /// The catalog folder; git runs here, and paths are relative to it.
    dir: PathBuf,
    /// The catalog folder's path inside the repository (`""` or `sub/`).
    prefix: String,
}

/// A commit whose content has the approved digest.
pub struct Found {
    pub commit: String,
    /// Short hash, date and subject, for people.
    pub summary: String,
    pub content: ContentDigest,
}

impl Repo {
    /// The repository holding `dir`; the error says what to do when there
    /// is none.
    pub fn open(dir: &Path) -> Result<Repo> {
        let output = Command::new("git")
            .args(["rev-parse", "--show-prefix"])
            .current_dir(dir)
            .output()
            .map_err(|e| anyhow!("cannot run git ({e}); install git to see what changed"))?;
        if !output.status.success() {
            bail!(
                "the catalog at {} is not in a git repository, so there is no history to compare with; read the whole playbook and its templates before approving again",
                dir.display()
            );
        }
        let prefix = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        Ok(Repo {
            dir: dir.to_path_buf(),
            prefix,
        })
    }

    fn git(&self, args: &[&str]) -> Result<std::process::Output> {
        Command::new("git")
            .args(["-c", "core.quotepath=off"])
            .args(args)
            .current_dir(&self.dir)
            .output()
            .with_context(|| format!("cannot run git {}", args.first().unwrap_or(&"")))
    }

    /// The text of `rel` (relative to the catalog) at `commit`, if it
    /// existed there and is text.
    pub fn show(&self, commit: &str, rel: &str) -> Result<Option<String>> {
        let spec = format!("{commit}:{}{rel}", self.prefix);
        // The blob as committed: `cat-file` applies no attribute, filter or
        // encoding a committed .gitattributes could set.
        let output = self.git(&["cat-file", "blob", &spec])?;
        if !output.status.success() {
            return Ok(None);
        }
        Ok(String::from_utf8(output.stdout).ok())
    }

    /// Commits that touched any of `paths`, newest first, at most
    /// [`MAX_COMMITS`].
    pub fn commits(&self, paths: &[String]) -> Result<Vec<String>> {
        let max = format!("--max-count={MAX_COMMITS}");
        let mut args = vec!["log", "--format=%H", max.as_str(), "--"];
        args.extend(paths.iter().map(String::as_str));
        let output = self.git(&args)?;
        if !output.status.success() {
            // Such as a repository without commits: no history to search.
            return Ok(Vec::new());
        }
        Ok(String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_owned)
            .collect())
    }

    /// The content digest of the playbook `playbook_rel` as of `commit`;
    /// `None` when it did not exist or did not parse there.
    pub fn digest_at(&self, commit: &str, playbook_rel: &str) -> Result<Option<ContentDigest>> {
        let Some(text) = self.show(commit, playbook_rel)? else {
            return Ok(None);
        };
        let Ok(tree) = yaml::parse(&text) else {
            return Ok(None);
        };
        digest::compute(playbook_rel, &tree, &|rel| self.show(commit, rel.as_str())).map(Some)
    }

    /// The newest commit whose content of `playbook_rel` has `wanted` as its
    /// digest, searching commits that touched any of `paths`.
    pub fn find(
        &self,
        playbook_rel: &str,
        paths: &[String],
        wanted: &str,
    ) -> Result<Option<Found>> {
        for commit in self.commits(paths)? {
            let Some(content) = self.digest_at(&commit, playbook_rel)? else {
                continue;
            };
            if content.digest == wanted {
                let summary = self.summary(&commit)?;
                return Ok(Some(Found {
                    commit,
                    summary,
                    content,
                }));
            }
        }
        Ok(None)
    }

    fn summary(&self, commit: &str) -> Result<String> {
        let output = self.git(&["log", "-1", "--format=%h %ad %s", "--date=short", commit])?;
        Ok(shown(String::from_utf8_lossy(&output.stdout).trim()))
    }

    /// A unified diff of each of `paths` as committed in `commit` against
    /// the file as it is now (`now` reads the working tree). Made here,
    /// not by `git diff`, so that no committed .gitattributes (an encoding,
    /// a filter, `-diff`) can hide the changed words from the approver.
    pub fn diff(
        &self,
        commit: &str,
        paths: &[String],
        now: &dyn Fn(&str) -> Option<String>,
    ) -> Result<String> {
        let mut out = String::new();
        for path in paths {
            let then = self.show(commit, path)?.unwrap_or_default();
            let current = now(path).unwrap_or_default();
            if then == current {
                continue;
            }
            let diff = similar::TextDiff::from_lines(&then, &current);
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{path}"), &format!("b/{path}"))
                    .to_string(),
            );
        }
        Ok(shown(&out))
    }
}

/// Text from git (a commit subject, a diff) as it may be printed: control
/// characters other than line breaks and tabs escaped, so a commit message
/// or a file cannot drive the approver's terminal.
fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if crate::text::is_unsafe_in_block(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}
