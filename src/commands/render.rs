//! `crisis render PLAYBOOK`: the job the tool exists for.

use anyhow::{bail, Result};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::Context;
use crate::error::Refused;
use crate::output::{self, Format};
use crate::Outcome;

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The playbook: its id, or the path of its file.
    pub playbook: String,
    /// Event details from a YAML or JSON file (`-` for standard input).
    #[arg(long, value_name = "FILE")]
    pub event: Option<PathBuf>,
    /// An event detail, overriding the event file (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Languages to render, comma-separated (default: all of the playbook's).
    #[arg(long, value_delimiter = ',', value_name = "LANG")]
    pub lang: Vec<String>,
    /// How to print the messages.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Also write one file per message, checklist.md, review.html and
    /// render.json here (and alert.cap.xml for a playbook with `cap:`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Render a playbook whose approval is missing, stale or expired, for
    /// review: every message and the checklist are marked DRAFT - NOT
    /// APPROVED, and the JSON says "approved": false.
    #[arg(long)]
    pub draft: bool,
    /// Only this message (by id).
    #[arg(long, value_name = "ID")]
    pub message: Option<String>,
    /// Print exactly the words to paste, nothing else: needs --message and
    /// one language (--lang, or a playbook with one). Refused for drafts,
    /// previews and the built-in examples, whose marks it could not carry.
    #[arg(long, requires = "message", conflicts_with_all = ["out", "draft", "format"])]
    pub raw: bool,
    /// With --raw, an email's subject on the first line, then an empty line.
    #[arg(long, requires = "raw")]
    pub subject: bool,
    /// Mark the CAP alert as a test (status `Test`), which public alerting
    /// systems never show to the public.
    #[arg(long)]
    pub test: bool,
    /// Never ask for missing details, even on a terminal (as in cron or
    /// CI, where every missing detail is listed at once).
    #[arg(long)]
    pub no_input: bool,
    /// Render with the playbook's example values, marked PREVIEW, so
    /// approvers read exactly what they approve (set by `crisis preview`).
    #[arg(skip)]
    pub preview: bool,
    /// Event details given by the caller (`crisis export`), before the
    /// event file and `--set`.
    #[arg(skip)]
    pub values: Vec<(String, String)>,
}

/// A playbook rendered for an event, after every check render makes: lint
/// errors refuse it, an unapproved one needs --draft, the details must be
/// valid. What `render` prints and `export` schedules.
pub struct Produced {
    pub rendering: crate::render::Rendering,
    pub loaded: crate::load::Loaded,
    pub assessment: crate::approval::Assessment,
    /// `None` when the playbook requires no approval.
    pub approved: Option<bool>,
    pub marks: Marks,
}

pub fn run(args: &RenderArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let Produced {
        rendering,
        loaded,
        assessment,
        approved,
        marks,
    } = produce(args, context)?;
    if args.raw {
        return write_raw(&rendering, args.subject, out);
    }
    let mut checklist = crate::checklist::approval_items(&assessment);
    checklist.extend(crate::checklist::build(&loaded.playbook, &rendering));
    let json = output::json::value(
        &rendering,
        &checklist,
        approved,
        marks.example,
        marks.preview,
    );
    let banner = marks.banner();
    let banner = banner.as_deref();
    // The alert is of the whole playbook: written when asked for, or into a
    // packet, never from one message picked with --message.
    let wanted = (args.format == Format::Cap || args.out.is_some()) && args.message.is_none();
    let alert = match &loaded.playbook.cap {
        Some(settings) if wanted => {
            let mut xml = Vec::new();
            output::cap::write(
                &rendering,
                settings,
                &marks.cap_options(args.test),
                &mut xml,
            )?;
            Some(xml)
        }
        _ => None,
    };
    if let Some(dir) = &args.out {
        write_out(dir, &rendering, &checklist, &json, banner, alert.as_deref())?;
    }
    match args.format {
        Format::Text => output::text::write(
            &rendering,
            &checklist,
            banner,
            context.global.color.enabled(),
            out,
        )?,
        Format::Markdown => output::markdown::write(&rendering, &checklist, banner, out)?,
        Format::Html => output::html::write(&rendering, &checklist, banner, out)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
        Format::Cap => out.write_all(alert.as_deref().unwrap_or_default())?,
    }
    let too_long: Vec<String> = rendering
        .messages
        .iter()
        .filter(|m| !m.fits())
        .map(|m| {
            format!(
                "  {} ({}) does not fit {}: {}",
                m.id,
                m.lang,
                m.channel,
                output::length_line(&m.measurement)
            )
        })
        .collect();
    if !too_long.is_empty() {
        out.flush()?;
        return Err(Refused(format!(
            "{} message{} too long to post as rendered; shorten the values given, or post a shorter text approved for it:\n{}",
            too_long.len(),
            if too_long.len() == 1 { " is" } else { "s are" },
            too_long.join("\n")
        ))
        .into());
    }
    Ok(Outcome::Success)
}

/// Renders as [`Produced`] describes.
pub fn produce(args: &RenderArgs, context: &Context) -> Result<Produced> {
    let (catalog, loaded) = super::find_playbook(context, &args.playbook)?;
    // A usage mistake is reported before anything else is checked.
    for lang in &args.lang {
        if !loaded.playbook.languages.contains(lang) {
            bail!(
                "playbook '{}' has no language '{lang}'; it has: {}",
                loaded.playbook.id,
                loaded.playbook.languages.join(", ")
            );
        }
    }
    // What lint passes is what render runs: a playbook with lint errors is
    // refused, draft or not. Approval findings are the assessment's to
    // judge below, where --draft applies.
    let settings = crate::lint::settings(&catalog);
    let options = crate::lint::Options {
        now: context.now,
        expiring_within_days: 0,
    };
    let found = crate::lint::check_playbook(
        &catalog,
        &settings.channels,
        &settings.settings,
        &settings.trust,
        &loaded,
        &options,
    );
    let mut errors: Vec<crate::diagnostic::Diagnostic> = settings.diagnostics;
    errors.extend(found.diagnostics);
    errors.retain(|d| d.is_error() && !d.code.starts_with("CP6"));
    if !errors.is_empty() {
        let report = crate::lint::Report {
            files: 1,
            sources: found
                .sources
                .into_iter()
                .chain([(loaded.display.clone(), loaded.text.clone())])
                .collect(),
            diagnostics: errors,
        };
        // The findings go to stderr: standard output holds only messages.
        crate::report::write(
            crate::report::Format::Human,
            &report,
            false,
            &mut std::io::stderr().lock(),
        )?;
        return Err(Refused(format!(
            "'{}' has lint errors, so it would not render as approved; nothing was rendered (fix them, then run `crisis lint`)",
            loaded.playbook.id
        ))
        .into());
    }
    let assessment = found.assessment;
    if args.format == Format::Cap {
        if loaded.playbook.cap.is_none() {
            bail!(
                "playbook '{}' has no `cap:` settings, so it cannot be written as a CAP alert; add them (docs/cap.md) or choose another --format",
                loaded.playbook.id
            );
        }
        if args.message.is_some() {
            bail!("--format cap writes the whole alert; leave out --message");
        }
    }
    if let Some(id) = &args.message {
        if !loaded.playbook.messages.iter().any(|m| &m.id == id) {
            let ids: Vec<&str> = loaded
                .playbook
                .messages
                .iter()
                .map(|m| m.id.as_str())
                .collect();
            bail!(
                "playbook '{}' has no message '{id}'; its messages: {}",
                loaded.playbook.id,
                ids.join(", ")
            );
        }
    }
    if !assessment.approved() && !args.draft && !args.preview {
        let signed = settings.settings.approvals.signed;
        return Err(Refused(refusal(&loaded.playbook.id, &assessment, signed)).into());
    }
    // `None` when nothing is required, so JSON consumers can tell "not
    // approved" from "no approval process".
    let approved = assessment.required().then(|| assessment.approved());
    let marks = Marks {
        draft: approved == Some(false),
        example: catalog.is_embedded() || settings.settings.examples,
        preview: args.preview,
    };
    if args.raw && marks.banner().is_some() {
        return Err(Refused(format!(
            "--raw prints only the words to paste, so it cannot carry the mark this rendering needs ({}); render without --raw to review it",
            marks.banner().unwrap_or_default()
        ))
        .into());
    }
    let channels = settings.channels;
    let mut raw = crate::event::RawEvent::default();
    if args.preview {
        for (name, value) in crate::lint::worst_case::typical(&loaded.playbook).values {
            if let Some(value) = value {
                raw.set(&name, value, crate::event::Origin::Set);
            }
        }
    }
    for (name, value) in &args.values {
        raw.set(name, value.clone(), crate::event::Origin::Set);
    }
    if let Some(path) = &args.event {
        crate::event::file::read(path, &mut raw)?;
    }
    for set in &args.set {
        let (name, value) = crate::event::parse_set(set).map_err(anyhow::Error::msg)?;
        raw.set(&name, value, crate::event::Origin::Set);
    }
    // Rendering some languages needs only the details their messages use:
    // English can go out while the Spanish is still being checked.
    let needed = needed_for(&catalog, &loaded, &args.lang);
    // On a terminal, ask for what is missing rather than fail.
    if !args.no_input
        && !args.preview
        && !crate::prompt::missing(&needed, &raw).is_empty()
        && crate::prompt::can_ask()
    {
        // What was given is checked first: nothing typed at the prompt is
        // lost to a mistake in a --set made before it.
        if let Err(problems) = crate::event::resolve(&needed, &raw, context.now) {
            let missing: Vec<&str> = crate::prompt::missing(&needed, &raw)
                .into_iter()
                .map(|(name, _)| name)
                .collect();
            let others: Vec<String> = problems
                .iter()
                .filter(|p| !missing.contains(&p.field.as_str()))
                .map(|p| format!("  {p}"))
                .collect();
            if !others.is_empty() {
                bail!(
                    "cannot render '{}': {} problem{} with the details given; nothing was asked or written\n{}",
                    loaded.playbook.id,
                    others.len(),
                    if others.len() == 1 { "" } else { "s" },
                    others.join("\n")
                );
            }
        }
        crate::prompt::ask(&needed, &mut raw, context.now)?;
    }
    let event = match crate::event::resolve(&needed, &raw, context.now) {
        Ok(event) => event,
        Err(problems) => {
            let list: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
            bail!(
                "cannot render '{}': {} problem{} with the event details; nothing was written\n{}",
                loaded.playbook.id,
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                list.join("\n")
            );
        }
    };
    let mut rendering =
        crate::render::render(&catalog, &channels, &loaded, event, &args.lang, context.now)?;
    if let Some(id) = &args.message {
        rendering.messages.retain(|m| &m.id == id);
    }
    Ok(Produced {
        rendering,
        loaded,
        assessment,
        approved,
        marks,
    })
}

/// The playbook as the event details see it when only `langs` are
/// rendered: a required field no message in those languages reads is not
/// asked for.
fn needed_for(
    catalog: &crate::catalog::Catalog,
    loaded: &crate::load::Loaded,
    langs: &[String],
) -> crate::playbook::Playbook {
    let mut playbook = loaded.playbook.clone();
    if langs.is_empty() {
        return playbook;
    }
    let zone = crate::event::zone(&playbook).unwrap_or(chrono_tz::Tz::UTC);
    let prepared = crate::template::prepare(catalog, loaded, zone);
    let used: std::collections::BTreeSet<&String> = prepared
        .compiled_parts()
        .filter(|(part, _, _)| langs.contains(&part.lang))
        .flat_map(|(_, _, compiled)| compiled.variables.keys())
        .collect();
    for (name, field) in playbook.fields.iter_mut() {
        if !used.contains(name) {
            field.required = false;
        }
    }
    playbook
}

/// `--raw`: the words of one message in one language, exactly as they are
/// to be posted, and only if they fit.
fn write_raw(
    rendering: &crate::render::Rendering,
    subject: bool,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let [message] = rendering.messages.as_slice() else {
        let langs: Vec<&str> = rendering.messages.iter().map(|m| m.lang.as_str()).collect();
        if langs.is_empty() {
            bail!("--raw: the message is not in the language asked for; choose one of its languages with --lang");
        }
        bail!(
            "--raw prints one message in one language; choose one with --lang (this message is in {})",
            langs.join(", ")
        );
    };
    if !message.fits() {
        return Err(Refused(format!(
            "{} ({}) does not fit {}: {}; nothing was printed",
            message.id,
            message.lang,
            message.channel,
            output::length_line(&message.measurement)
        ))
        .into());
    }
    if subject {
        let Some(text) = &message.subject else {
            bail!(
                "--subject: {} on {} has no subject",
                message.id,
                message.channel
            );
        };
        writeln!(out, "{text}")?;
        writeln!(out)?;
    }
    writeln!(out, "{}", message.text)?;
    Ok(Outcome::Success)
}

/// The mark of a preview: example values, not an event.
pub const PREVIEW_MARK: &str = "PREVIEW - the playbook's example values, not a real event";

/// What every output of a rendering must say at its top.
pub struct Marks {
    /// Rendered with --draft: not approved.
    pub draft: bool,
    /// `crisis preview`: the playbook's example values, for approvers.
    pub preview: bool,
    /// From the example catalog built into crisis, not the user's own.
    pub example: bool,
}

impl Marks {
    pub fn banner(&self) -> Option<String> {
        let mut marks = Vec::new();
        if self.example {
            marks.push(output::EXAMPLE_MARK);
        }
        if self.preview {
            marks.push(PREVIEW_MARK);
        }
        if self.draft {
            marks.push(crate::approval::DRAFT_MARK);
        }
        (!marks.is_empty()).then(|| marks.join(" / "))
    }

    /// How a CAP alert of this rendering is marked: a draft or preview is
    /// `Draft` and the example catalog `Test` (neither is ever shown to
    /// the public), with the marks in `<note>`.
    fn cap_options(&self, test: bool) -> output::cap::AlertOptions {
        let status = if self.draft || self.preview {
            output::cap::Status::Draft
        } else if test || self.example {
            output::cap::Status::Test
        } else {
            output::cap::Status::Actual
        };
        output::cap::AlertOptions {
            status,
            msg_type: output::cap::MsgType::Alert,
            references: Vec::new(),
            note: self.banner(),
            identifier: None,
            description: None,
        }
    }
}

/// Why an unapproved playbook is not rendered, who must re-approve, and how
/// to render it anyway for review.
fn refusal(id: &str, assessment: &crate::approval::Assessment, signed: bool) -> String {
    let mut text = format!("'{id}' is not approved for use; nothing was rendered");
    let mut roles = Vec::new();
    for role in assessment.blocking() {
        if let Some(problem) = role.problem() {
            text.push_str(&format!("\n  {problem}"));
        }
        roles.push(role.role.as_str());
    }
    let stale = assessment
        .blocking()
        .any(|r| matches!(r.state, crate::approval::RoleState::Stale { .. }));
    let diff_hint = if stale {
        format!("`crisis diff {id}` shows them what changed; then ")
    } else {
        String::new()
    };
    // Where approvals must be signed, approving means signing.
    let how = if signed {
        "--key ~/.ssh/id_ed25519"
    } else {
        "--by \"NAME, TITLE\""
    };
    text.push_str(&format!(
        "\nWho must approve: {}. {diff_hint}`crisis approve {id} --role ROLE {how}` records it.\nTo render it for review anyway, add --draft: every message is then marked {}.",
        roles.join(", "),
        crate::approval::DRAFT_MARK
    ));
    text
}

/// Writes the packet: one file per message, checklist.md, review.html,
/// render.json and alert.cap.xml, as [`crate::packet`] does it: all of the new packet or none
/// of it.
fn write_out(
    dir: &Path,
    rendering: &crate::render::Rendering,
    checklist: &[crate::checklist::Item],
    json: &output::json::RenderJson,
    banner: Option<&str>,
    alert: Option<&[u8]>,
) -> Result<()> {
    // The mark is the first line of every file, so a copied file carries it.
    let mark = banner.map(|b| format!("{b}\n\n")).unwrap_or_default();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for m in &rendering.messages {
        let mut text = mark.clone();
        if let Some(subject) = &m.subject {
            text.push_str(&format!("Subject: {subject}\n\n"));
        }
        text.push_str(&m.text);
        text.push('\n');
        files.push((format!("{}.{}.txt", m.id, m.lang), text.into_bytes()));
    }
    let mut list = format!(
        "{mark}# {} (version {})\n\n{}\n\n",
        rendering.playbook,
        rendering.version,
        rendering.clock.summary()
    )
    .into_bytes();
    output::markdown::write_checklist(checklist, "##", banner, &mut list)?;
    files.push(("checklist.md".to_owned(), list));
    let mut page = Vec::new();
    output::html::write(rendering, checklist, banner, &mut page)?;
    files.push(("review.html".to_owned(), page));
    let mut json_text = serde_json::to_vec_pretty(json)?;
    json_text.push(b'\n');
    files.push(("render.json".to_owned(), json_text));
    if let Some(alert) = alert {
        files.push((output::cap::FILE_NAME.to_owned(), alert.to_vec()));
    }
    crate::packet::write(dir, &files)
}
