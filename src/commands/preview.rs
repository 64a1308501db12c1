//! `crisis preview PLAYBOOK`: the playbook rendered with its own example
//! values, marked PREVIEW, so approvers read exactly the words they approve
//! (an unapproved playbook is previewed too, marked DRAFT as well).

use anyhow::Result;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

use super::render::RenderArgs;
use super::Context;
use crate::output::Format;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// The playbook: its id, or the path of its file.
    pub playbook: String,
    /// Languages to show, comma-separated (default: all of the playbook's).
    #[arg(long, value_delimiter = ',', value_name = "LANG")]
    pub lang: Vec<String>,
    /// Only this message (by id).
    #[arg(long, value_name = "ID")]
    pub message: Option<String>,
    /// How to print the messages.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Also write the packet here, every file marked PREVIEW.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(args: &PreviewArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let render = RenderArgs {
        playbook: args.playbook.clone(),
        event: None,
        set: Vec::new(),
        lang: args.lang.clone(),
        format: args.format,
        out: args.out.clone(),
        draft: false,
        message: args.message.clone(),
        raw: false,
        subject: false,
        no_input: true,
        test: false,
        preview: true,
        values: Vec::new(),
    };
    super::render::run(&render, context, out)
}
