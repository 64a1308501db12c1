//! One module per subcommand. Each turns its arguments into calls on the
//! model and writes the result; none exits the process.

pub mod approve;
pub mod diff;
pub mod fit;
pub mod lint;
pub mod list;
pub mod render;
pub mod rules;
pub mod schema;
pub mod show;
pub mod status;

use anyhow::Result;
use chrono::{DateTime, Utc};
use std::io::{self, Write};

use crate::catalog::Catalog;
use crate::cli::{Cli, Command, Global};
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
        Command::List(args) => list::run(args, &context, &mut out),
        Command::Show(args) => show::run(args, &context, &mut out),
        Command::Fit(args) => {
            let catalog = context.catalog()?;
            let channels = lint::channels(&catalog)?;
            fit::run(args, &channels, &mut out)
        }
        Command::Approve(args) => approve::run(args, &context, &mut out),
        Command::Status(args) => status::run(args, &context, &mut out),
        Command::Diff(args) => diff::run(args, &context, &mut out),
        Command::Schema => schema::run(&mut out),
        Command::Rules(args) => rules::run(args, &mut out),
    }?;
    out.flush()?;
    Ok(outcome)
}

/// Whether an error is a closed pipe (`crisis lint | head`), which is not a
/// failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
