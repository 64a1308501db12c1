//! `crisis new ID`: a playbook from a short outline (its languages and
//! channels), with a template for each message in each language, ready to
//! be written, linted and approved. Nothing that exists is overwritten.

use anyhow::{bail, Context as _, Result};
use clap::Args;
use std::io::Write;

use super::Context;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The new playbook's id, in kebab-case (`water-outage`).
    pub id: String,
    /// Its languages, comma-separated BCP 47 tags.
    #[arg(long, value_delimiter = ',', default_value = "en", value_name = "LANG")]
    pub languages: Vec<String>,
    /// Its channels, comma-separated (`crisis channels` lists them).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "x,sms",
        value_name = "CHANNEL"
    )]
    pub channels: Vec<String>,
}

pub fn run(args: &NewArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let id = &args.id;
    let kebab = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--");
    if !kebab {
        bail!(
            "'{}' is not a kebab-case id; write it like water-outage",
            id.escape_debug()
        );
    }
    for (list, what) in [
        (&args.languages, "--languages"),
        (&args.channels, "--channels"),
    ] {
        let mut seen = std::collections::BTreeSet::new();
        if let Some(twice) = list.iter().find(|x| !seen.insert(x.as_str())) {
            bail!("{what} names '{twice}' twice; name each once");
        }
    }
    for lang in &args.languages {
        if oxilangtag::LanguageTag::parse(lang.as_str()).is_err() {
            bail!(
                "--languages: '{}' is not a BCP 47 language tag; write it like en or es",
                lang.escape_debug()
            );
        }
    }
    let catalog = context.catalog()?;
    let Some(root) = catalog.dir() else {
        bail!("no catalog here: run crisis new in a catalog's folder (make one with `crisis init`), or pass --catalog DIR");
    };
    let channels = crate::load::load_settings(&catalog).channels;
    for channel in &args.channels {
        if channels.get(channel).is_none() {
            let names: Vec<&str> = channels.names().collect();
            bail!(
                "--channels: no channel '{channel}'; channels: {}",
                names.join(", ")
            );
        }
    }
    let playbook_path = root.join(format!("playbooks/{id}.yaml"));
    if playbook_path.exists() || root.join(format!("templates/{id}")).exists() {
        bail!(
            "{} or its templates exist; nothing was written",
            playbook_path.display()
        );
    }
    let mut files: Vec<(std::path::PathBuf, String)> = Vec::new();
    let mut messages = String::new();
    for channel in &args.channels {
        let message = format!("announce-{channel}");
        messages.push_str(&format!(
            "  - id: {message}\n    channel: {channel}\n    template: {id}/{message}.{{lang}}.j2\n"
        ));
        if channels
            .get(channel)
            .is_some_and(|c| c.counting == crate::channel::Counting::Sms)
        {
            // One accented letter makes an SMS UCS-2: two parts is the
            // honest budget for a message with a field in it.
            messages.push_str("    max_segments: 2\n");
        }
        if channels
            .get(channel)
            .is_some_and(|c| c.subject_limit.is_some())
        {
            let subject: Vec<String> = args
                .languages
                .iter()
                .map(|l| {
                    if l == &args.languages[0] {
                        format!("{l}: \"About {{{{ event }}}}\"")
                    } else {
                        format!("{l}: \"{{{{ event }}}}: TRANSLATE THE SUBJECT INTO {l}\"")
                    }
                })
                .collect();
            messages.push_str(&format!("    subject: {{ {} }}\n", subject.join(", ")));
        }
        for lang in &args.languages {
            files.push((
                root.join(format!("templates/{id}/{message}.{lang}.j2")),
                // The other languages start as a request to translate, not
                // a copy: lint's parity check refuses copies.
                if lang == &args.languages[0] {
                    "We are aware of {{ event }}. WRITE THE MESSAGE HERE. Questions: {{ phone }}\n"
                        .to_owned()
                } else {
                    format!("{{{{ event }}}} / {{{{ phone }}}}: TRANSLATE THE {} MESSAGE INTO {lang} HERE\n", args.languages[0])
                },
            ));
        }
    }
    let playbook = format!(
        "# Written with `crisis new`: replace every WRITE THE MESSAGE HERE, run\n# `crisis lint`, then have the required roles approve it.\nid: {id}\ntitle: {id}\nversion: 1\nowner: Communications <comms@example.org>\nlanguages: [{}]\ntarget: 1h\ntimezone: UTC\n\nfields:\n  event:\n    type: text\n    max_len: 40\n    example: \"the power outage\"\n    help: \"What happened, as people would call it, starting with 'the'\"\n  phone:\n    type: phone\n    default: \"1-800-555-0100\"\n    help: \"The line people can call; call it before posting\"\n\nmessages:\n{messages}\nsignoff:\n  - role: Communications lead\n    confirm: The facts match two independent sources\n",
        args.languages.join(", ")
    );
    files.insert(0, (playbook_path, playbook));
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        file.write_all(text.as_bytes())?;
        writeln!(
            out,
            "created {}",
            catalog.display_path(&path.strip_prefix(root).unwrap_or(path).to_string_lossy())
        )?;
    }
    writeln!(out, "Next: write the messages, run `crisis lint`, then `crisis approve {id} --role ROLE --by \"NAME, TITLE\"`.")?;
    Ok(Outcome::Success)
}
