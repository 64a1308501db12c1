//! `crisis completions SHELL` and `crisis man [COMMAND]`: shell completions
//! and manual pages, generated from the command line's own definitions so
//! they cannot drift from it.

use anyhow::{bail, Result};
use clap::{Args, CommandFactory};
use std::io::Write;

use crate::cli::Cli;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A subcommand's page (default: the page of crisis itself).
    pub command: Option<String>,
}

pub fn completions(args: &CompletionsArgs, out: &mut dyn Write) -> Result<Outcome> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "crisis", out);
    Ok(Outcome::Success)
}

pub fn man(args: &ManArgs, out: &mut dyn Write) -> Result<Outcome> {
    let root = Cli::command();
    let page = match &args.command {
        None => root,
        Some(name) => {
            let Some(sub) = root.find_subcommand(name) else {
                let names: Vec<&str> = root.get_subcommands().map(|c| c.get_name()).collect();
                bail!("no command '{name}'; commands: {}", names.join(", "));
            };
            // clap's names are 'static: a page name is made once per run.
            let page_name: &'static str = Box::leak(format!("crisis-{name}").into_boxed_str());
            sub.clone().name(page_name)
        }
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page).render(&mut roff)?;
    out.write_all(&roff)?;
    Ok(Outcome::Success)
}
