//! The command line: global options and one subcommand per job.

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

use crate::commands;

/// Pre-approved crisis communication playbooks: lint them in calm times,
/// render them in minutes when it matters.
#[derive(Debug, Parser)]
#[command(name = "crisis", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand accepts, before or after its name.
#[derive(Debug, Args)]
pub struct Global {
    /// The catalog folder (holding playbooks/ and templates/). Default: the
    /// nearest ancestor of the working directory holding playbooks/, else the
    /// example catalog built into crisis.
    #[arg(long, global = true, env = "CRISIS_CATALOG", value_name = "DIR")]
    pub catalog: Option<PathBuf>,
    /// Fix the clock, for reproducible output (RFC 3339, such as
    /// 2017-12-18T12:59:00-08:00). Default: now.
    #[arg(long, global = true, value_name = "TIME", value_parser = parse_now)]
    pub now: Option<DateTime<Utc>>,
    /// Colour in the output: auto (on a terminal, unless NO_COLOR is set;
    /// CLICOLOR_FORCE forces it), always or never.
    #[arg(long, global = true, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

/// Whether to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether standard output gets colour, following the NO_COLOR and
    /// CLICOLOR_FORCE conventions for `auto`.
    pub fn enabled(self) -> bool {
        use std::io::IsTerminal;
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto if set("CLICOLOR_FORCE") => true,
            ColorChoice::Auto if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => {
                false
            }
            ColorChoice::Auto => std::io::stdout().is_terminal(),
        }
    }
}

fn parse_now(text: &str) -> Result<DateTime<Utc>, String> {
    use crate::event::{EARLIEST_YEAR, LATEST_YEAR};
    use chrono::Datelike;
    let now = DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            format!("'{text}' is not an RFC 3339 time; write it like 2017-12-18T12:59:00-08:00")
        })?;
    // The years event times may have: every time computed from the clock
    // (due times, expiries, alerts) stays one the outputs can write.
    if !(EARLIEST_YEAR..=LATEST_YEAR).contains(&now.year()) {
        return Err(format!(
            "'{text}' is outside the years {EARLIEST_YEAR} to {LATEST_YEAR} that crisis works in"
        ));
    }
    Ok(now)
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the catalog: every playbook, template and message, in every language.
    Lint(commands::lint::LintArgs),
    /// Fill a playbook with the event's details and print ready-to-post messages.
    Render(commands::render::RenderArgs),
    /// Make a new catalog: approval policy, a first playbook, schema, CI workflow.
    Init(commands::init::InitArgs),
    /// Add a playbook from an outline: its languages and channels.
    New(commands::new::NewArgs),
    /// Show a playbook with its example values, marked PREVIEW, for approvers.
    Preview(commands::preview::PreviewArgs),
    /// List the catalog's playbooks.
    List(commands::list::ListArgs),
    /// Show one playbook: fields, messages, schedule and sign-off.
    Show(commands::show::ShowArgs),
    /// List the channels a message can name: how each counts, its limit, the source.
    Channels(commands::channels::ChannelsArgs),
    /// Measure a text against channels' limits, counted the way each platform counts.
    Fit(commands::fit::FitArgs),
    /// Readability of a text: Flesch-Kincaid grade (English) or Fernández-Huerta ease (Spanish).
    Readability(commands::readability::ReadabilityArgs),
    /// Record that a role approved a playbook's content as it is now.
    Approve(commands::approve::ApproveArgs),
    /// List every playbook with its approval state (exits 0: it reports, lint judges).
    Status(commands::status::StatusArgs),
    /// Show what changed since a playbook was approved (needs the catalog in git).
    Diff(commands::diff::DiffArgs),
    /// Check a playbook's approval signatures, or print what ssh-keygen needs to check one.
    Verify(commands::verify::VerifyArgs),
    /// Write the social posts of a rendering or an event as a scheduler's
    /// bulk-upload CSV (Hootsuite, Sprout Social, Buffer).
    Export(commands::export::ExportArgs),
    /// Print a JSON Schema: of the playbook format (for editors), or of an
    /// output (render, lint, status, the outbox's message.json) for tools that
    /// read it.
    Schema(commands::schema::SchemaArgs),
    /// Print shell completions (bash, zsh, fish, powershell, elvish).
    Completions(commands::completions::CompletionsArgs),
    /// Print a manual page (roff), of crisis or of one command.
    Man(commands::completions::ManArgs),
    /// Describe every lint rule (or one, by code or name).
    Rules(commands::rules::RulesArgs),
    /// Start an event: check the details, write the event file with its schedule.
    Open(commands::open::OpenArgs),
    /// Put every message whose time has come into the outbox, exactly once (for cron).
    Due(commands::due::DueArgs),
    /// End an event: nothing more is emitted but its closing message.
    Close(commands::close::CloseArgs),
    /// Confirm checklist items of a message in the outbox.
    Signoff(commands::signoff::SignoffArgs),
    /// Record that a message went out.
    Posted(commands::posted::PostedArgs),
    /// Every step of an event with its time, and the time to post each message.
    Timeline(commands::timeline::TimelineArgs),
    /// List events, open and closed.
    Events(commands::events::EventsArgs),
    /// Print an event file to fill in for a playbook: each field with its help and example.
    EventTemplate(commands::event_template::EventTemplateArgs),
}
