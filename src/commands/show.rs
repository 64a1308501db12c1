//! `crisis show ID`: what the person on duty needs to know before rendering.

use anyhow::Result;
use clap::Args;
use std::io::Write;

use super::Context;
use crate::output::text::due_label;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The playbook: its id, or the path of its file.
    pub playbook: String,
}

pub fn run(args: &ShowArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let (_, loaded) = super::find_playbook(context, &args.playbook)?;
    let p = &loaded.playbook;
    writeln!(out, "{} (version {}): {}", p.id, p.version, p.title)?;
    writeln!(out, "owner: {}", p.owner)?;
    writeln!(out, "file: {}", loaded.display)?;
    writeln!(out, "languages: {}", p.languages.join(", "))?;
    if let Some(target) = p.target {
        writeln!(out, "target: post within {target} of the event's start")?;
    }
    writeln!(out, "timezone: {}", p.timezone.as_deref().unwrap_or("UTC"))?;
    writeln!(out, "\nfields (set with --set NAME=VALUE or --event FILE):")?;
    writeln!(
        out,
        "  started_at  datetime, default now  When the event started"
    )?;
    for (name, f) in &p.fields {
        let mut facts = vec![f.kind.name().to_owned()];
        facts.push(if f.required {
            "required".into()
        } else {
            "optional".into()
        });
        if let Some(max) = f.max_len {
            facts.push(format!("max {max} characters"));
        }
        if !f.values.is_empty() {
            facts.push(format!("one of {}", f.values.join("|")));
        }
        if let Some(d) = &f.default {
            facts.push(format!("default '{}'", d.as_str()));
        }
        if let Some(e) = &f.example {
            facts.push(format!("e.g. '{}'", e.as_str()));
        }
        writeln!(out, "  {name}  {}", facts.join(", "))?;
        if let Some(help) = &f.help {
            writeln!(out, "      {help}")?;
        }
    }
    writeln!(out, "\nmessages:")?;
    for m in &p.messages {
        writeln!(
            out,
            "  {}  {}  {}  due {}",
            m.id,
            m.channel,
            m.languages(p).join(","),
            due_label(m.after())
        )?;
    }
    writeln!(out, "\nsign-off:")?;
    for s in &p.signoff {
        writeln!(out, "  [ ] {}: {}", s.role, s.confirm)?;
    }
    Ok(Outcome::Success)
}
