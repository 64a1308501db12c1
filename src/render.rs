//! Render: a playbook filled with one event's details becomes ready-to-post
//! messages, each measured against its channel, with its due time.
//!
//! Rendering runs the same compiled templates lint checked. It returns data;
//! printing is the job of [`crate::output`].

use anyhow::{anyhow, Result};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use minijinja::Value;

use crate::catalog::Catalog;
use crate::channel::{Channels, Measurement};
use crate::clock::Clock;
use crate::duration::Duration;
use crate::event::Event;
use crate::load::Loaded;
use crate::template::{self, Missing, Part, Prepared, Problem};

/// One message in one language, ready to post.
#[derive(Debug, Clone)]
pub struct RenderedMessage {
    pub id: String,
    pub channel: String,
    pub lang: String,
    pub text: String,
    pub subject: Option<String>,
    pub measurement: Measurement,
    pub subject_measurement: Option<Measurement>,
    pub after: Duration,
    pub due_at: DateTime<Tz>,
    /// The playbook's closing message (`on_close`): sent by `crisis close`
    /// when the event ends, not at `due_at`.
    pub on_close: bool,
}

impl RenderedMessage {
    /// Ready to post means it fits: body and subject.
    pub fn fits(&self) -> bool {
        self.measurement.fits && self.subject_measurement.as_ref().is_none_or(|m| m.fits)
    }
}

/// A rendered playbook.
#[derive(Debug, Clone)]
pub struct Rendering {
    pub playbook: String,
    pub title: String,
    pub version: u32,
    pub rendered_at: DateTime<Tz>,
    pub event: Event,
    pub clock: Clock,
    pub messages: Vec<RenderedMessage>,
}

impl Rendering {
    pub fn all_fit(&self) -> bool {
        self.messages.iter().all(RenderedMessage::fits)
    }
}

/// Renders every message of `loaded` in each of `langs` (all the playbook's
/// languages when empty). Template failures are errors naming the file and
/// line: lint should have caught them.
pub fn render(
    catalog: &Catalog,
    channels: &Channels,
    loaded: &Loaded,
    event: Event,
    langs: &[String],
    now: DateTime<Utc>,
) -> Result<Rendering> {
    let playbook = &loaded.playbook;
    for lang in langs {
        if !playbook.languages.contains(lang) {
            return Err(anyhow!(
                "playbook '{}' has no language '{lang}'; it has: {}",
                playbook.id,
                playbook.languages.join(", ")
            ));
        }
    }
    let prepared = template::prepare(catalog, loaded, event.zone);
    let mut messages = Vec::new();
    for (index, message) in playbook.messages.iter().enumerate() {
        let spec = channels.get(&message.channel).ok_or_else(|| {
            anyhow!(
                "{}: message '{}' is for the unknown channel '{}'; run `crisis lint`",
                loaded.display,
                message.id,
                message.channel
            )
        })?;
        let due_at = message.after().add_to(event.started_at).ok_or_else(|| {
            anyhow!(
                "message '{}' would fall due past the end of the calendar; shorten `after`",
                message.id
            )
        })?;
        for lang in message.languages(playbook) {
            if !langs.is_empty() && !langs.contains(lang) {
                continue;
            }
            let one = One {
                catalog,
                loaded,
                prepared: &prepared,
                spec,
                event: &event,
            };
            messages.push(one.render(index, lang, due_at)?);
        }
    }
    let zone = event.zone;
    let clock = Clock::new(event.started_at, now, playbook.target);
    Ok(Rendering {
        playbook: playbook.id.clone(),
        title: playbook.title.clone(),
        version: playbook.version,
        rendered_at: now.with_timezone(&zone),
        event,
        clock,
        messages,
    })
}

/// What rendering one message needs: the playbook with its compiled
/// templates, the channel it goes to, and the event.
pub struct One<'a> {
    pub catalog: &'a Catalog,
    pub loaded: &'a Loaded,
    pub prepared: &'a Prepared,
    pub spec: &'a crate::channel::ChannelSpec,
    pub event: &'a Event,
}

impl One<'_> {
    /// Message number `index` in `lang`, rendered with the values that
    /// language sees and measured on its channel; due at `due_at`.
    pub fn render(
        &self,
        index: usize,
        lang: &str,
        due_at: DateTime<Tz>,
    ) -> Result<RenderedMessage> {
        let message = &self.loaded.playbook.messages[index];
        let started_at = self.event.started_at.to_rfc3339();
        let context = template::context(&self.event.values_for(lang), &started_at, lang);
        let run = |part| {
            run_part(
                self.catalog,
                self.loaded,
                self.prepared,
                index,
                lang,
                part,
                &context,
            )
        };
        let body = run(Part::Body)?.unwrap_or_default();
        let subject = run(Part::Subject)?;
        let measurement = self.spec.measure(&body, message.max_segments);
        let subject_measurement = subject
            .as_deref()
            .and_then(|s| self.spec.measure_subject(s));
        Ok(RenderedMessage {
            id: message.id.clone(),
            channel: message.channel.clone(),
            lang: lang.to_owned(),
            text: body,
            subject,
            measurement,
            subject_measurement,
            after: message.after(),
            due_at,
            on_close: self.loaded.playbook.on_close.as_ref() == Some(&message.id),
        })
    }
}

fn run_part(
    catalog: &Catalog,
    loaded: &Loaded,
    prepared: &Prepared,
    index: usize,
    lang: &str,
    which: Part,
    context: &Value,
) -> Result<Option<String>> {
    let Some(part) = prepared.part(index, lang, which) else {
        return Ok(None);
    };
    let message = &loaded.playbook.messages[index];
    let source = match &part.source {
        Ok(source) => source,
        Err(missing) => {
            return Err(anyhow!(
                "{}: message '{}' has no template for '{lang}' ({}); run `crisis lint`",
                loaded.display,
                message.id,
                describe_missing(catalog, missing)
            ))
        }
    };
    if let Some(Err(problems)) = &part.compiled {
        let lines: Vec<String> = problems
            .iter()
            .map(|p| locate(catalog, loaded, p))
            .collect();
        return Err(anyhow!("{}", lines.join("\n")));
    }
    prepared
        .render(source, context)
        .map(Some)
        .map_err(|problem| anyhow!("{}", locate(catalog, loaded, &problem)))
}

fn describe_missing(catalog: &Catalog, missing: &Missing) -> String {
    match missing {
        Missing::File { rel } => format!("{} does not exist", catalog.display_path(rel)),
        Missing::Language => "no inline text in that language".to_owned(),
        Missing::NoSource => "neither `template` nor `text`, or both".to_owned(),
        Missing::Unreadable { reason, .. } => reason.clone(),
        Missing::BadPath { name, reason } => format!("'{name}': {reason}"),
    }
}

/// `path:line:col: message` for a template problem.
pub fn locate(catalog: &Catalog, loaded: &Loaded, problem: &Problem) -> String {
    let path = problem
        .rel
        .as_ref()
        .map_or_else(|| loaded.display.clone(), |rel| catalog.display_path(rel));
    format!(
        "{path}:{}:{}: {}",
        problem.span.line, problem.span.col, problem.message
    )
}
