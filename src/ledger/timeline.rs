//! The timeline of an event: every step with its time, and each message's
//! time to post against the playbook's target. Its JSON form is the export
//! for audits; times are stored in UTC and shown in the playbook's zone.

use anyhow::{bail, Result};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::io::{self, Write};

use super::names::visible;
use super::record::EventRecord;
use super::store::{EventRow, State, Step, Store};
use crate::clock::format_elapsed;

/// A step as the timeline JSON shows it.
#[derive(Debug, Clone, Serialize)]
pub struct StepOut {
    pub step: String,
    pub at: String,
    pub message: Option<String>,
    pub lang: Option<String>,
    pub by: Option<String>,
    pub late_seconds: Option<i64>,
}

/// A message as the timeline JSON shows it.
#[derive(Debug, Clone, Serialize)]
pub struct MessageOut {
    pub id: String,
    pub due_at: Option<String>,
    pub emitted_at: Option<String>,
    pub ready_at: Option<String>,
    pub posted_at: Option<String>,
    pub time_to_post_seconds: Option<i64>,
}

/// The timeline JSON.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineOut {
    pub event: String,
    pub playbook: String,
    pub started_at: String,
    pub closed_at: Option<String>,
    pub steps: Vec<StepOut>,
    pub messages: Vec<MessageOut>,
}

/// One message's times.
#[derive(Debug, Clone)]
pub struct MessageTimes {
    pub id: String,
    pub due_at: Option<DateTime<Utc>>,
    pub emitted_at: Option<DateTime<Utc>>,
    pub late_seconds: Option<i64>,
    pub ready_at: Option<DateTime<Utc>>,
    /// The first language posted.
    pub posted_at: Option<DateTime<Utc>>,
    pub skipped: bool,
}

/// Everything the ledger knows of one event.
pub struct Timeline {
    pub event: EventRow,
    pub zone: Tz,
    pub steps: Vec<Step>,
    pub messages: Vec<MessageTimes>,
    /// From the example catalog built into crisis (as its file says).
    pub examples: bool,
}

impl Timeline {
    /// Reads the timeline of `id`; `record` (the event file, if readable)
    /// adds the messages not due yet.
    pub fn read(store: &Store, id: &str, record: Option<&EventRecord>) -> Result<Timeline> {
        let Some(event) = store.event(id)? else {
            bail!(
                "no event '{id}' in the ledger {}; `crisis events` lists them",
                store.path().display()
            );
        };
        let zone: Tz = event.timezone.parse().unwrap_or(Tz::UTC);
        let steps = store.steps(id)?;
        let emissions = store.emissions(id)?;
        let postings = store.postings(id)?;
        let mut messages: Vec<MessageTimes> = Vec::new();
        let mut add = |id: &str, due_at: Option<DateTime<Utc>>| {
            if !messages.iter().any(|m| m.id == id) {
                messages.push(MessageTimes {
                    id: id.to_owned(),
                    due_at,
                    emitted_at: None,
                    late_seconds: None,
                    ready_at: None,
                    posted_at: None,
                    skipped: false,
                });
            }
        };
        if let Some(record) = record {
            for s in &record.schedule {
                add(s.message.as_str(), Some(s.due_at));
            }
            if let Some((message, _)) = &record.on_close {
                add(message.as_str(), event.closed_at);
            }
        }
        for e in &emissions {
            add(&e.message, Some(e.due_at));
        }
        for m in &mut messages {
            if let Some(e) = emissions.iter().find(|e| e.message == m.id) {
                m.due_at = Some(e.due_at);
                m.emitted_at = e.emitted_at.filter(|_| e.state == State::Emitted);
                m.late_seconds = e.late_seconds.filter(|_| e.state == State::Emitted);
                m.ready_at = e.ready_at;
                m.skipped = e.state == State::Skipped;
            }
            m.posted_at = postings
                .iter()
                .filter(|p| p.message == m.id)
                .map(|p| p.at)
                .min();
        }
        messages.sort_by_key(|m| (m.due_at.is_none(), m.due_at));
        Ok(Timeline {
            event,
            zone,
            steps,
            messages,
            examples: record.is_some_and(|r| r.examples),
        })
    }

    fn shown(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.zone).to_rfc3339()
    }

    fn human(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.zone)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string()
    }

    /// Seconds from the event's start to the message's first posting.
    pub fn time_to_post(&self, m: &MessageTimes) -> Option<i64> {
        m.posted_at
            .map(|p| (p - self.event.started_at).num_seconds())
    }

    /// The lines every output of the event carries: the override, and
    /// the mark of the built-in examples.
    pub fn mark(&self) -> Option<String> {
        let mut marks = Vec::new();
        if self.examples {
            marks.push(crate::output::EXAMPLE_MARK.to_owned());
        }
        if let (Some(by), Some(reason)) = (&self.event.override_by, &self.event.override_reason) {
            marks.push(format!(
                "NOT PRE-APPROVED: released by {by} because {reason}"
            ));
        }
        (!marks.is_empty()).then(|| marks.join("\n"))
    }

    pub fn to_json(&self) -> TimelineOut {
        TimelineOut {
            event: self.event.id.clone(),
            playbook: self.event.playbook.clone(),
            started_at: self.shown(self.event.started_at),
            closed_at: self.event.closed_at.map(|t| self.shown(t)),
            steps: self
                .steps
                .iter()
                .map(|s| StepOut {
                    step: s.step.clone(),
                    at: self.shown(s.at),
                    message: s.message.clone(),
                    lang: s.lang.clone(),
                    by: s.by.clone(),
                    late_seconds: s.late_seconds,
                })
                .collect(),
            messages: self
                .messages
                .iter()
                .map(|m| MessageOut {
                    id: m.id.clone(),
                    due_at: m.due_at.map(|t| self.shown(t)),
                    emitted_at: m.emitted_at.map(|t| self.shown(t)),
                    ready_at: m.ready_at.map(|t| self.shown(t)),
                    posted_at: m.posted_at.map(|t| self.shown(t)),
                    time_to_post_seconds: self.time_to_post(m),
                })
                .collect(),
        }
    }

    /// Every line of the timeline in time order: the start, each step, and
    /// each message falling due.
    fn lines(&self) -> Vec<(DateTime<Utc>, String, String)> {
        let mut lines = vec![(self.event.started_at, "started".to_owned(), String::new())];
        for m in &self.messages {
            if let Some(due) = m.due_at {
                lines.push((due, "due".to_owned(), m.id.clone()));
            }
        }
        for s in &self.steps {
            let mut what = String::new();
            if let Some(message) = &s.message {
                what.push_str(message);
                if let Some(lang) = &s.lang {
                    what.push_str(&format!(" ({lang})"));
                }
            }
            let mut extra = Vec::new();
            if let Some(by) = &s.by {
                extra.push(format!("by {by}"));
            }
            if let Some(late) = s.late_seconds.filter(|l| *l > 0) {
                extra.push(format!("{} late", format_elapsed(late)));
            }
            if let Some(detail) = &s.detail {
                if s.step != "override" {
                    extra.push(detail.clone());
                }
            }
            if !extra.is_empty() {
                if !what.is_empty() {
                    what.push_str(": ");
                }
                what.push_str(&extra.join(", "));
            }
            lines.push((s.at, s.step.replace('_', " "), visible(&what)));
        }
        // Stable: a step recorded at the time something fell due follows it.
        lines.sort_by_key(|(at, _, _)| *at);
        lines
    }

    fn target(&self) -> Option<i64> {
        self.event.target_seconds
    }

    /// How a message's time to post compares with the target.
    fn verdict(&self, m: &MessageTimes) -> String {
        match (self.time_to_post(m), m.skipped) {
            (_, true) => "skipped (too late)".to_owned(),
            (None, _) => "not posted".to_owned(),
            (Some(seconds), _) => {
                let mut text = format!("time to post {}", format_elapsed(seconds));
                if let Some(target) = self.target() {
                    if seconds <= target {
                        text.push_str(&format!(
                            ", within the target of {}",
                            format_elapsed(target)
                        ));
                    } else {
                        text.push_str(&format!(
                            ", {} over the target of {}",
                            format_elapsed(seconds - target),
                            format_elapsed(target)
                        ));
                    }
                }
                text
            }
        }
    }

    fn message_line(&self, m: &MessageTimes) -> String {
        let time = |t: Option<DateTime<Utc>>| t.map_or_else(|| "-".to_owned(), |t| self.human(t));
        let late = match m.late_seconds {
            Some(late) if late > 0 => format!(" ({} late)", format_elapsed(late)),
            _ => String::new(),
        };
        format!(
            "due {}, emitted {}{late}, ready {}, posted {}: {}",
            time(m.due_at),
            time(m.emitted_at),
            time(m.ready_at),
            time(m.posted_at),
            self.verdict(m)
        )
    }

    fn heading(&self) -> String {
        let state = match self.event.closed_at {
            Some(closed) => format!("closed {}", self.human(closed)),
            None => "open".to_owned(),
        };
        format!(
            "{} ({}), started {}, {state}; times in {}",
            self.event.id,
            self.event.playbook,
            self.human(self.event.started_at),
            self.zone.name()
        )
    }

    pub fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        if let Some(mark) = self.mark() {
            for line in mark.lines() {
                writeln!(out, "{}", visible(line))?;
            }
            writeln!(out)?;
        }
        writeln!(out, "{}\n", self.heading())?;
        for (at, step, what) in self.lines() {
            let line = format!("  {}  {step:<10} {what}", self.human(at));
            writeln!(out, "{}", line.trim_end())?;
        }
        writeln!(out)?;
        writeln!(out, "Messages:")?;
        for m in &self.messages {
            writeln!(out, "  {}: {}", m.id, self.message_line(m))?;
        }
        Ok(())
    }

    pub fn write_markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "# Timeline of {}\n", self.event.id)?;
        if let Some(mark) = self.mark() {
            for line in mark.lines() {
                writeln!(out, "> **{}**\n", cell(line))?;
            }
        }
        writeln!(out, "{}\n", cell(&self.heading()))?;
        writeln!(out, "| time | step | what |")?;
        writeln!(out, "|---|---|---|")?;
        for (at, step, what) in self.lines() {
            writeln!(out, "| {} | {step} | {} |", self.human(at), cell(&what))?;
        }
        writeln!(out, "\n## Messages\n")?;
        writeln!(
            out,
            "| message | due | emitted | ready | posted | time to post |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|")?;
        let time = |t: Option<DateTime<Utc>>| t.map_or_else(|| "-".to_owned(), |t| self.human(t));
        for m in &self.messages {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                m.id,
                time(m.due_at),
                time(m.emitted_at),
                time(m.ready_at),
                time(m.posted_at),
                cell(&self.verdict(m))
            )?;
        }
        Ok(())
    }
}

/// Text inside a Markdown table cell: pipes and line breaks escaped, so a
/// name or reason cannot add a column or a row.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            c if c.is_control() => out.extend(c.escape_debug()),
            c => out.push(c),
        }
    }
    out
}
