//! `crisis lint [PATH...]`

use anyhow::{bail, Result};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

use super::Context;
use crate::catalog::Catalog;
use crate::lint::baseline::{Applied, Baseline};
use crate::lint::{self, Options};
use crate::report::{self, Format};
use crate::Outcome;

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Playbook files or folders to report on (default: the whole catalog).
    pub paths: Vec<PathBuf>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Replace characters that force SMS into UCS-2 with their GSM-7
    /// equivalents in SMS template files, then lint.
    #[arg(long)]
    pub fix: bool,
    /// Hide the findings listed in FILE (the output of `crisis lint
    /// --format json`), so only new ones are reported and fail. Render
    /// still refuses a playbook with errors, hidden or not.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Warn about approvals expiring within this many days.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub expiring_within: i64,
}

pub fn run(args: &LintArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let cwd = std::env::current_dir()?;
    let catalog = match (&context.global.catalog, args.paths.first()) {
        // A path outside the working directory's catalog brings its own.
        (None, Some(path)) => {
            let start = if path.is_dir() {
                path.clone()
            } else {
                path.parent().map(PathBuf::from).unwrap_or_default()
            };
            let start = if start.as_os_str().is_empty() {
                cwd.clone()
            } else {
                cwd.join(start)
            };
            match crate::catalog::find_root(&start) {
                Some(root) => Catalog::at(&relative_to(&root, &cwd), &cwd),
                None => bail!(
                    "{} is not in a catalog (no playbooks/ folder above it); pass --catalog DIR",
                    path.display()
                ),
            }
        }
        _ => context.catalog()?,
    };
    let mut only = Vec::new();
    for path in &args.paths {
        if !path.exists() {
            bail!("{} does not exist", path.display());
        }
        match catalog.relative(path) {
            Some(rel) => only.push(rel),
            None => bail!(
                "{} is not inside the catalog at {}",
                path.display(),
                catalog.display_path("")
            ),
        }
    }
    if args.fix {
        let channels = crate::load::load_settings(&catalog).channels;
        for fixed in lint::fix::apply(&catalog, &channels)? {
            eprintln!(
                "fixed {}: {} replacement{}",
                fixed.path,
                fixed.replacements,
                if fixed.replacements == 1 { "" } else { "s" }
            );
        }
    }
    let options = Options {
        now: context.now,
        expiring_within_days: args.expiring_within,
    };
    // Read before linting, so a wrong path fails fast.
    let baseline = args.baseline.as_deref().map(Baseline::read).transpose()?;
    let mut report = lint::lint(&catalog, &options, &only)?;
    if let Some(baseline) = baseline {
        let mut applied = baseline.apply(&mut report);
        if !only.is_empty() {
            // Entries for playbooks not linted this time are not stale.
            applied.stale = 0;
        }
        eprintln!("{}", describe(&applied));
    }
    let color = args.format == Format::Human && context.global.color.enabled();
    let failed = report.errors() > 0 || (args.deny_warnings && report.warnings() > 0);
    // `crisis lint | head` must still fail on errors: CI with pipefail
    // would otherwise pass a broken catalog.
    match report::write(args.format, &report, color, out).and_then(|()| out.flush()) {
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    Ok(Outcome::from_failed(failed))
}

/// One line for stderr, so the hidden findings are never forgotten.
fn describe(applied: &Applied) -> String {
    let mut line = format!(
        "baseline: hid {} known error{} and {} known warning{}",
        applied.hidden_errors,
        if applied.hidden_errors == 1 { "" } else { "s" },
        applied.hidden_warnings,
        if applied.hidden_warnings == 1 {
            ""
        } else {
            "s"
        },
    );
    if applied.hidden_errors > 0 {
        line.push_str("; render still refuses those playbooks");
    }
    if applied.stale > 0 {
        line.push_str(&format!(
            "; {} entr{} matched no finding: fixed since (refresh the baseline with `crisis lint --format json`), or the baseline was written from another directory",
            applied.stale,
            if applied.stale == 1 { "y" } else { "ies" }
        ));
    }
    line
}

/// `root` relative to `cwd` when it is below it, so findings show short paths.
fn relative_to(root: &std::path::Path, cwd: &std::path::Path) -> PathBuf {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
    match root.strip_prefix(&cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => root,
    }
}
