//! Event files: `EVENTS/<event-id>.yaml`, written once by `crisis open`.
//!
//! An event file says what was opened: the playbook, the details as
//! checked, when the event started, the digest of the content and the
//! approvals in force at that moment, any override, and the schedule (each
//! message's due time, fixed at open by [`super::schedule`]). It is never
//! rewritten: what happened since is the ledger's to say. `crisis due`
//! reads every event file on every run, so a file is read within
//! [`crate::event::file::MAX_BYTES`] and a bad one is reported at its line
//! without stopping the others.

use anyhow::{Context, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use std::fmt::Write as _;
use std::path::Path;

use super::names::Name;
use crate::duration::Duration;
use crate::load;
use crate::span::Span;
use crate::yaml::PathSeg;

/// How the event's content was cleared for use when it was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clearance {
    /// Every required role had approved the content.
    Approved,
    /// The playbook requires no approval.
    NotRequired,
    /// Released unapproved with `--override`.
    Override,
}

impl Clearance {
    pub fn name(self) -> &'static str {
        match self {
            Clearance::Approved => "approved",
            Clearance::NotRequired => "not-required",
            Clearance::Override => "override",
        }
    }

    fn parse(text: &str) -> Option<Clearance> {
        [
            Clearance::Approved,
            Clearance::NotRequired,
            Clearance::Override,
        ]
        .into_iter()
        .find(|c| c.name() == text)
    }

    /// `approved` in outputs: `null` when no approval is required.
    pub fn approved(self) -> Option<bool> {
        match self {
            Clearance::Approved => Some(true),
            Clearance::NotRequired => None,
            Clearance::Override => Some(false),
        }
    }
}

/// One role's approval as it stood when the event was opened.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleAtOpen {
    pub role: String,
    pub by: String,
    #[serde(default)]
    pub until: Option<String>,
}

/// Who released an unapproved playbook, and why.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub by: String,
    pub reason: String,
}

impl Override {
    /// The line every output of the event carries.
    pub fn mark(&self) -> String {
        format!(
            "NOT PRE-APPROVED: released by {} because {}",
            self.by, self.reason
        )
    }
}

/// A message of the schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduled {
    pub message: Name,
    pub after: Duration,
    pub due_at: DateTime<Utc>,
    pub langs: Vec<Name>,
}

/// An event value with its place in the event file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    pub name: String,
    pub value: String,
    pub span: Span,
}

/// An event as its file says, every value parsed.
#[derive(Debug, Clone)]
pub struct EventRecord {
    pub id: Name,
    pub playbook: String,
    /// The playbook's file relative to the catalog root when opened.
    pub playbook_file: String,
    pub version: u32,
    pub zone: Tz,
    pub started_at: DateTime<Utc>,
    pub opened_at: DateTime<Utc>,
    pub digest: String,
    pub target: Option<Duration>,
    pub clearance: Clearance,
    pub approvals: Vec<RoleAtOpen>,
    pub override_: Option<Override>,
    pub examples: bool,
    pub details: Vec<Detail>,
    pub schedule: Vec<Scheduled>,
    /// The message emitted once when the event is closed, and its languages.
    pub on_close: Option<(Name, Vec<Name>)>,
    /// The file as the user would open it.
    pub display: String,
}

impl EventRecord {
    /// The schedule entry of a message.
    pub fn scheduled(&self, message: &str) -> Option<&Scheduled> {
        self.schedule.iter().find(|s| s.message.as_str() == message)
    }

    /// What the event file says, as a digest of its canonical form: the
    /// ledger keeps it from registration on, so an event file edited after
    /// `crisis open` (its digest, its approval state, its override, its
    /// details) is refused, never believed.
    pub fn fingerprint(&self) -> String {
        crate::approval::digest::sha256(self.to_yaml().as_bytes())
    }

    /// The event's file as YAML. Scalars are written as JSON strings, which
    /// YAML reads as double-quoted scalars, so no value can change the
    /// file's structure.
    pub fn to_yaml(&self) -> String {
        let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned());
        let mut out = String::new();
        out.push_str("# An event opened with `crisis open`. Written once and never edited: the\n# ledger records what happened since. `crisis timeline ID` shows it.\n");
        let _ = writeln!(out, "id: {}", q(self.id.as_str()));
        let _ = writeln!(out, "playbook: {}", q(&self.playbook));
        let _ = writeln!(out, "playbook_file: {}", q(&self.playbook_file));
        let _ = writeln!(out, "version: {}", self.version);
        let _ = writeln!(out, "timezone: {}", q(self.zone.name()));
        let _ = writeln!(out, "started_at: {}", q(&utc_text(self.started_at)));
        let _ = writeln!(out, "opened_at: {}", q(&utc_text(self.opened_at)));
        let _ = writeln!(out, "digest: {}", q(&self.digest));
        if let Some(target) = self.target {
            let _ = writeln!(out, "target: {}", q(&target.to_string()));
        }
        let _ = writeln!(out, "approval: {}", q(self.clearance.name()));
        if !self.approvals.is_empty() {
            out.push_str("approvals:\n");
            for a in &self.approvals {
                let _ = write!(out, "  - {{ role: {}, by: {}", q(&a.role), q(&a.by));
                if let Some(until) = &a.until {
                    let _ = write!(out, ", until: {}", q(until));
                }
                out.push_str(" }\n");
            }
        }
        if let Some(o) = &self.override_ {
            let _ = writeln!(
                out,
                "override: {{ by: {}, reason: {} }}",
                q(&o.by),
                q(&o.reason)
            );
        }
        if self.examples {
            out.push_str("examples: true\n");
        }
        out.push_str("details:");
        if self.details.is_empty() {
            out.push_str(" {}");
        }
        out.push('\n');
        for d in &self.details {
            let _ = writeln!(out, "  {}: {}", q(&d.name), q(&d.value));
        }
        out.push_str("schedule:\n");
        for s in &self.schedule {
            let _ = writeln!(
                out,
                "  - {{ message: {}, after: {}, due_at: {}, langs: [{}] }}",
                q(s.message.as_str()),
                q(&s.after.to_string()),
                q(&utc_text(s.due_at)),
                langs_list(&s.langs, q)
            );
        }
        if let Some((message, langs)) = &self.on_close {
            let _ = writeln!(
                out,
                "on_close: {{ message: {}, langs: [{}] }}",
                q(message.as_str()),
                langs_list(langs, q)
            );
        }
        out
    }
}

fn langs_list(langs: &[Name], q: impl Fn(&str) -> String) -> String {
    langs
        .iter()
        .map(|l| q(l.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A time as the ledger and event files store it: UTC, to the second.
pub fn utc_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Reads a stored time.
pub fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A problem with an event file, at its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// The event file as written, before its values are parsed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    id: String,
    playbook: String,
    playbook_file: String,
    version: u32,
    timezone: String,
    started_at: String,
    opened_at: String,
    digest: String,
    #[serde(default)]
    target: Option<Duration>,
    approval: String,
    #[serde(default)]
    approvals: Vec<RoleAtOpen>,
    #[serde(default, rename = "override")]
    override_: Option<Override>,
    #[serde(default)]
    examples: bool,
    #[serde(default)]
    details: indexmap::IndexMap<String, String>,
    schedule: Vec<RawScheduled>,
    #[serde(default)]
    on_close: Option<RawOnClose>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScheduled {
    message: String,
    after: Duration,
    due_at: String,
    langs: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOnClose {
    message: String,
    langs: Vec<String>,
}

/// Reads the event file at `path`, shown as `display`.
pub fn read(path: &Path, display: &str) -> Result<EventRecord, FileProblem> {
    let whole = |message: String| FileProblem {
        file: display.to_owned(),
        line: 1,
        column: 1,
        message,
    };
    let meta = std::fs::symlink_metadata(path)
        .map_err(|e| whole(format!("cannot read the event file: {e}")))?;
    if !meta.is_file() {
        return Err(whole(
            "not a regular file; an events folder holds the files `crisis open` writes".to_owned(),
        ));
    }
    if meta.len() > crate::event::file::MAX_BYTES {
        return Err(whole(format!(
            "larger than {} bytes; an event file is a few short values",
            crate::event::file::MAX_BYTES
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| whole(format!("cannot read it: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| whole("not UTF-8 text; it was not written by `crisis open`".to_owned()))?;
    parse(&text, display)
}

/// Parses the text of an event file.
pub fn parse(text: &str, display: &str) -> Result<EventRecord, FileProblem> {
    let (tree, raw) = load::parse_model::<RawFile>(text, display).map_err(|errors| {
        let first = &errors[0];
        FileProblem {
            file: display.to_owned(),
            line: first.span.line,
            column: first.span.col,
            message: first.message.clone(),
        }
    })?;
    // At the value when there is one: that is what is wrong.
    let at = |path: &[PathSeg], message: String| {
        let span = tree
            .find(path)
            .map_or_else(|| load::span_in(&tree, path), |node| node.span);
        FileProblem {
            file: display.to_owned(),
            line: span.line,
            column: span.col,
            message,
        }
    };
    let key = |k: &str| vec![PathSeg::Key(k.into())];
    let time = |k: &str, text: &str| {
        parse_utc(text).ok_or_else(|| {
            at(
                &key(k),
                format!("'{text}' is not an RFC 3339 time such as 2026-12-01T15:33:00Z"),
            )
        })
    };
    let id = Name::new(&raw.id, "event id").map_err(|m| at(&key("id"), m))?;
    let stem = Path::new(display)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if stem != id.as_str() {
        return Err(at(
            &key("id"),
            format!(
                "the id '{id}' is not the file's name ({stem}); an event file is named for its event"
            ),
        ));
    }
    let zone: Tz = raw.timezone.parse().map_err(|_| {
        at(
            &key("timezone"),
            format!("'{}' is not an IANA time zone", raw.timezone),
        )
    })?;
    let clearance = Clearance::parse(&raw.approval).ok_or_else(|| {
        at(
            &key("approval"),
            format!(
                "'{}' is not one of approved, not-required, override",
                raw.approval
            ),
        )
    })?;
    if let Some(o) = &raw.override_ {
        for (text, option) in [(&o.by, "override.by"), (&o.reason, "override.reason")] {
            super::names::one_line(text, option, "a name or a reason on one line")
                .map_err(|m| at(&key("override"), m))?;
        }
    }
    if (clearance == Clearance::Override) != raw.override_.is_some() {
        return Err(at(
            &key("approval"),
            "`approval: override` and an `override` record go together".to_owned(),
        ));
    }
    let names = |list: &[String], path: Vec<PathSeg>| {
        list.iter()
            .map(|l| Name::new(l, "language").map_err(|m| at(&path, m)))
            .collect::<Result<Vec<_>, _>>()
    };
    let mut schedule = Vec::new();
    for (i, s) in raw.schedule.iter().enumerate() {
        let path = vec![PathSeg::Key("schedule".into()), PathSeg::Index(i)];
        let message = Name::new(&s.message, "message id").map_err(|m| at(&path, m))?;
        let due_at = parse_utc(&s.due_at).ok_or_else(|| {
            at(
                &path,
                format!("due_at '{}' is not an RFC 3339 time", s.due_at),
            )
        })?;
        schedule.push(Scheduled {
            message,
            after: s.after,
            due_at,
            langs: names(&s.langs, path.clone())?,
        });
    }
    let on_close = match &raw.on_close {
        Some(c) => Some((
            Name::new(&c.message, "message id").map_err(|m| at(&key("on_close"), m))?,
            names(&c.langs, key("on_close"))?,
        )),
        None => None,
    };
    let details = raw
        .details
        .iter()
        .map(|(name, value)| Detail {
            name: name.clone(),
            value: value.clone(),
            span: load::span_in(
                &tree,
                &[PathSeg::Key("details".into()), PathSeg::Key(name.clone())],
            ),
        })
        .collect();
    Ok(EventRecord {
        started_at: time("started_at", &raw.started_at)?,
        opened_at: time("opened_at", &raw.opened_at)?,
        id,
        playbook: raw.playbook,
        playbook_file: raw.playbook_file,
        version: raw.version,
        zone,
        digest: raw.digest,
        target: raw.target,
        clearance,
        approvals: raw.approvals,
        override_: raw.override_,
        examples: raw.examples,
        details,
        schedule,
        on_close,
        display: display.to_owned(),
    })
}

/// Writes a new event file, never replacing one: the file appears whole
/// (written beside it, then linked into place) or not at all. `false` when
/// a file of that name exists.
pub fn create(path: &Path, text: &str) -> Result<bool> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    match file.persist_noclobber(path) {
        Ok(_) => Ok(true),
        Err(err) if err.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(err) => Err(err.error).with_context(|| format!("cannot write {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn record() -> EventRecord {
        let at = Utc.with_ymd_and_hms(2026, 12, 1, 15, 33, 0).unwrap();
        EventRecord {
            id: Name::new("helpline-20261201-1533", "id").unwrap(),
            playbook: "helpline".into(),
            playbook_file: "playbooks/helpline.yaml".into(),
            version: 1,
            zone: chrono_tz::America::Los_Angeles,
            started_at: at,
            opened_at: at,
            digest: "sha256:00".into(),
            target: Some(Duration::from_seconds(3600)),
            clearance: Clearance::Override,
            approvals: vec![],
            override_: Some(Override {
                by: "Sam \"Duty\" Lee".into(),
                reason: "the line: is down # now".into(),
            }),
            examples: false,
            details: vec![Detail {
                name: "area".into(),
                value: "# not a comment: {x}".into(),
                span: Span::FILE,
            }],
            schedule: vec![Scheduled {
                message: Name::new("announce-x", "m").unwrap(),
                after: Duration::ZERO,
                due_at: at,
                langs: vec![Name::new("en", "l").unwrap()],
            }],
            on_close: Some((
                Name::new("all-clear", "m").unwrap(),
                vec![Name::new("en", "l").unwrap()],
            )),
            display: "events/helpline-20261201-1533.yaml".into(),
        }
    }

    #[test]
    fn an_event_file_reads_back_as_written() {
        let written = record();
        let read = parse(&written.to_yaml(), &written.display).unwrap();
        assert_eq!(read.to_yaml(), written.to_yaml());
        assert_eq!(read.details[0].value, "# not a comment: {x}");
        assert_eq!(read.details[0].span.line, 15);
        assert_eq!(read.override_, written.override_);
    }

    #[test]
    fn a_bad_event_file_is_reported_at_its_line() {
        let text = record()
            .to_yaml()
            .replace("\"2026-12-01T15:33:00Z\"\nopened", "\"yesterday\"\nopened");
        let problem = parse(&text, "events/helpline-20261201-1533.yaml").unwrap_err();
        assert_eq!(problem.line, 8, "{problem}");
        assert!(problem
            .message
            .contains("'yesterday' is not an RFC 3339 time"));
        let problem = parse(&record().to_yaml(), "events/other.yaml").unwrap_err();
        assert!(
            problem.message.contains("is not the file's name"),
            "{problem}"
        );
        // A mark forged over two lines is refused.
        let mut forged = record();
        forged.override_ = Some(Override {
            by: "Sam".into(),
            reason: "ok\nApproved: legal".into(),
        });
        let problem = parse(&forged.to_yaml(), &forged.display).unwrap_err();
        assert!(
            problem
                .message
                .contains("override.reason contains a line break"),
            "{problem}"
        );
        let problem = parse("id: [", "events/x.yaml").unwrap_err();
        assert_eq!(problem.file, "events/x.yaml");
    }
}
