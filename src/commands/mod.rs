//! One module per subcommand. Each turns its arguments into calls on the
//! model and writes the result; none exits the process.

pub mod approve;
pub mod channels;
pub mod close;
pub mod completions;
pub mod diff;
pub mod due;
pub mod event_template;
pub mod events;
pub mod export;
pub mod fit;
pub mod init;
pub mod lint;
pub mod list;
pub mod new;
pub mod open;
pub mod posted;
pub mod preview;
pub mod readability;
pub mod render;
pub mod rules;
pub mod schema;
pub mod show;
pub mod signoff;
pub mod status;
pub mod timeline;
pub mod verify;

use anyhow::{bail, Result};
use chrono::{DateTime, Utc};
use std::io::{self, Write};
use std::path::Path;

use crate::catalog::Catalog;
use crate::cli::{Cli, Command, Global};
use crate::load::{self, Loaded, Lookup, Unloaded};
use crate::Outcome;

/// What every command may need: the catalog and the clock.
pub struct Context {
    pub global: Global,
    pub now: DateTime<Utc>,
}

impl Context {
    /// The catalog, found as `--catalog` describes.
    pub fn catalog(&self) -> Result<Catalog> {
        let cwd = std::env::current_dir()?;
        Catalog::discover(self.global.catalog.as_deref(), &cwd)
    }
}

/// Runs the command line.
pub fn run(cli: Cli) -> Result<Outcome> {
    let context = Context {
        now: cli.global.now.unwrap_or_else(Utc::now),
        global: cli.global,
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let outcome = match &cli.command {
        Command::Lint(args) => lint::run(args, &context, &mut out),
        Command::Render(args) => render::run(args, &context, &mut out),
        Command::Init(args) => init::run(args, &mut out),
        Command::Export(args) => export::run(args, &context, &mut out),
        Command::Completions(args) => completions::completions(args, &mut out),
        Command::Man(args) => completions::man(args, &mut out),
        Command::New(args) => new::run(args, &context, &mut out),
        Command::Preview(args) => preview::run(args, &context, &mut out),
        Command::List(args) => list::run(args, &context, &mut out),
        Command::Show(args) => show::run(args, &context, &mut out),
        Command::Channels(args) => {
            let catalog = context.catalog()?;
            let channels = load::load_settings(&catalog).channels;
            channels::run(args, &channels, &mut out)
        }
        Command::Readability(args) => readability::run(args, &mut out),
        Command::Fit(args) => {
            let catalog = context.catalog()?;
            let channels = load::load_settings(&catalog).channels;
            fit::run(args, &channels, &mut out)
        }
        Command::Approve(args) => approve::run(args, &context, &mut out),
        Command::Status(args) => status::run(args, &context, &mut out),
        Command::Diff(args) => diff::run(args, &context, &mut out),
        Command::Verify(args) => verify::run(args, &context, &mut out),
        Command::Schema(args) => schema::run(args, &mut out),
        Command::Rules(args) => rules::run(args, &mut out),
        Command::Open(args) => open::run(args, &context, &mut out),
        Command::Due(args) => due::run(args, &context, &mut out),
        Command::Close(args) => close::run(args, &context, &mut out),
        Command::Signoff(args) => signoff::run(args, &context, &mut out),
        Command::Posted(args) => posted::run(args, &context, &mut out),
        Command::Timeline(args) => timeline::run(args, &context, &mut out),
        Command::Events(args) => events::run(args, &context, &mut out),
        Command::EventTemplate(args) => event_template::run(args, &context, &mut out),
    }?;
    match out.flush() {
        // The reader went away (`crisis lint | head`): what was found still
        // decides the exit code.
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(outcome),
        Err(err) => Err(err.into()),
        Ok(()) => Ok(outcome),
    }
}

/// The playbook named by id or path, and the catalog it belongs to.
pub fn find_playbook(context: &Context, wanted: &str) -> Result<(Catalog, Loaded)> {
    let as_path = Path::new(wanted);
    let looks_like_path =
        wanted.ends_with(".yaml") || wanted.ends_with(".yml") || wanted.contains('/');
    if looks_like_path && as_path.is_file() {
        let cwd = std::env::current_dir()?;
        let parent = as_path
            .parent()
            .map(|p| cwd.join(p))
            .unwrap_or_else(|| cwd.clone());
        let catalog = match &context.global.catalog {
            Some(_) => context.catalog()?,
            None => match crate::catalog::find_root(&parent) {
                Some(root) => Catalog::at(&root, &cwd),
                None => bail!("{wanted} is not in a catalog (no playbooks/ folder above it); pass --catalog DIR"),
            },
        };
        let rel = catalog
            .relative(as_path)
            .and_then(|rel| crate::catalog::CatalogPath::new(&rel).ok());
        let Some(rel) = rel else {
            bail!(
                "{wanted} is not a playbook inside the catalog at {}",
                catalog.display_path("")
            );
        };
        let loaded = load::load_playbook(&catalog, &rel).map_err(unloadable)?;
        return Ok((catalog, loaded));
    }
    let catalog = context.catalog()?;
    match load::find_by_id(&catalog, wanted) {
        Ok(loaded) => Ok((catalog, loaded)),
        Err(Lookup::Unloadable(unloaded)) => Err(unloadable(unloaded)),
        Err(Lookup::NotFound { ids }) => {
            let hint = crate::suggest::did_you_mean(wanted, ids.iter().map(String::as_str))
                .map(|s| format!("did you mean '{s}'?"))
                .unwrap_or_else(|| format!("playbooks: {}", ids.join(", ")));
            if catalog.is_embedded() {
                bail!(
                    "no playbook '{wanted}' among the built-in examples ({hint}); to use your own catalog, run crisis from its folder (the one holding playbooks/), or pass --catalog DIR or set CRISIS_CATALOG"
                )
            }
            bail!(
                "no playbook '{wanted}' in the catalog at {}; {hint}",
                catalog.display_path("")
            )
        }
    }
}

/// Every problem of a playbook that does not load, as one error.
pub fn unloadable(unloaded: Unloaded) -> anyhow::Error {
    let lines: Vec<String> = unloaded
        .errors
        .iter()
        .map(|e| {
            let d = crate::lint::load_diagnostic(e);
            format!(
                "{}:{}:{}: {}[{}]: {}",
                d.path, d.line, d.column, d.severity, d.code, d.message
            )
        })
        .collect();
    anyhow::anyhow!("{}\nrun `crisis lint` for every finding", lines.join("\n"))
}
