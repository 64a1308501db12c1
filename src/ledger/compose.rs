//! One message of one event, rendered in each of its languages with its
//! checklist: what goes into an outbox item.
//!
//! The words are rendered as `crisis render` renders them (the same
//! compiled templates, the same context, the same measurement), one message
//! at a time, with templates compiled once per playbook per run. The event
//! details are read back from the event file and checked again against the
//! playbook, so a hand-edited event file cannot slip a value past the
//! checks `crisis open` made.

use anyhow::{anyhow, bail, Result};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::gate::{Checked, Go};
use super::outbox::{Check, Post};
use super::record::EventRecord;
use crate::catalog::Catalog;
use crate::channel::Channels;
use crate::checklist::{self, ON_DUTY};
use crate::clock::Clock;
use crate::event::{Origin, RawEvent};
use crate::field::STARTED_AT;
use crate::render::{RenderedMessage, Rendering};
use crate::template::{self, Part, Prepared};

/// A playbook ready to render messages from, for one run.
pub struct Ready {
    pub checked: Checked,
    pub prepared: Prepared,
    pub zone: Tz,
}

impl Ready {
    pub fn new(catalog: &Catalog, checked: Checked) -> Ready {
        let zone = crate::event::zone(&checked.loaded.playbook).unwrap_or(Tz::UTC);
        let prepared = template::prepare(catalog, &checked.loaded, zone);
        Ready {
            checked,
            prepared,
            zone,
        }
    }
}

/// What to render.
pub struct Wanted<'a> {
    pub event: &'a EventRecord,
    pub message: &'a str,
    pub langs: &'a [String],
    pub due_at: DateTime<Utc>,
    pub now: DateTime<Utc>,
    pub go: &'a Go,
}

/// The posts of one item, one per language; and how many checklist items a
/// person must confirm.
pub fn compose(
    catalog: &Catalog,
    channels: &Channels,
    ready: &Ready,
    wanted: &Wanted<'_>,
) -> Result<(Vec<Post>, u32)> {
    let loaded = &ready.checked.loaded;
    let playbook = &loaded.playbook;
    let event_record = wanted.event;
    let index = playbook
        .messages
        .iter()
        .position(|m| m.id == wanted.message)
        .ok_or_else(|| {
            anyhow!(
                "'{}' has no message '{}' any more; it was in the playbook when event {} opened",
                playbook.id,
                wanted.message,
                event_record.id
            )
        })?;
    let message = &playbook.messages[index];
    let spec = channels.get(&message.channel).ok_or_else(|| {
        anyhow!(
            "{}: message '{}' is for the unknown channel '{}'; run `crisis lint`",
            loaded.display,
            message.id,
            message.channel
        )
    })?;

    let mut raw = RawEvent::default();
    for detail in &event_record.details {
        raw.set(
            &detail.name,
            detail.value.clone(),
            Origin::File {
                path: event_record.display.clone(),
                line: detail.span.line,
                column: detail.span.col,
            },
        );
    }
    raw.set(
        STARTED_AT,
        super::record::utc_text(event_record.started_at),
        Origin::File {
            path: event_record.display.clone(),
            line: 1,
            column: 1,
        },
    );
    let event = crate::event::resolve(playbook, &raw, wanted.now).map_err(|problems| {
        let list: Vec<String> = problems
            .iter()
            .map(|p| match p.location() {
                Some(at) => format!("{at}: {p}"),
                None => p.to_string(),
            })
            .collect();
        anyhow!(
            "the details of event {} no longer fit '{}': {}",
            event_record.id,
            playbook.id,
            list.join("; ")
        )
    })?;
    let started_at = event.started_at.to_rfc3339();
    let due_at = wanted.due_at.with_timezone(&ready.zone);

    let mut messages = Vec::new();
    for lang in wanted.langs {
        if !message.languages(playbook).contains(lang) {
            bail!(
                "message '{}' of '{}' has no language '{lang}' any more",
                message.id,
                playbook.id
            );
        }
        let context = template::context(&event.values, &started_at, lang);
        let body = run_part(catalog, ready, index, lang, Part::Body, &context)?.unwrap_or_default();
        let subject = run_part(catalog, ready, index, lang, Part::Subject, &context)?;
        let measurement = spec.measure(&body, message.max_segments);
        let subject_measurement = subject.as_deref().and_then(|s| spec.measure_subject(s));
        messages.push(RenderedMessage {
            id: message.id.clone(),
            channel: message.channel.clone(),
            lang: lang.clone(),
            text: body,
            subject,
            measurement,
            subject_measurement,
            after: message.after(),
            due_at,
        });
    }
    let clock = Clock::new(event.started_at, wanted.now, playbook.target);
    let rendering = Rendering {
        playbook: playbook.id.clone(),
        title: playbook.title.clone(),
        version: playbook.version,
        rendered_at: wanted.now.with_timezone(&ready.zone),
        event,
        clock,
        messages,
    };
    let (checks, items) = checklist(&rendering, ready, wanted);
    let shown = |at: DateTime<Utc>| at.with_timezone(&ready.zone).to_rfc3339();
    let late_seconds = (wanted.now - wanted.due_at).num_seconds().max(0);
    let posts = rendering
        .messages
        .iter()
        .map(|m| Post {
            id: m.id.clone(),
            event: event_record.id.to_string(),
            channel: m.channel.clone(),
            lang: m.lang.clone(),
            text: m.text.clone(),
            subject: m.subject.clone(),
            length: m.measurement.length,
            limit: m.measurement.limit,
            due_at: shown(wanted.due_at),
            emitted_at: shown(wanted.now),
            late_seconds,
            approved: wanted.go.approved,
            override_: event_record.override_.as_ref().map(|o| o.mark()),
            ready: items == 0,
            checklist: checks.clone(),
            examples: event_record.examples,
        })
        .collect();
    Ok((posts, items))
}

/// The checklist: first what a person confirms (the playbook's sign-off
/// items, then started_at and each value of the event), numbered; then
/// what crisis checked (how the words were cleared, each language's fit,
/// the clock).
fn checklist(rendering: &Rendering, ready: &Ready, wanted: &Wanted<'_>) -> (Vec<Check>, u32) {
    let playbook = &ready.checked.loaded.playbook;
    let built = checklist::build(playbook, rendering);
    // `checklist::build` lists the playbook's items, then started_at and
    // each value for the person on duty, then each fit and the clock.
    let human = (playbook.signoff.len() + 1 + rendering.event.values.len()).min(built.len());
    let mut checks = Vec::new();
    for (i, item) in built.iter().take(human).enumerate() {
        checks.push(Check {
            n: Some(i as u32 + 1),
            role: item.role.clone(),
            item: item.item.clone(),
            done: false,
            by: None,
            at: None,
        });
    }
    let verified = |role: &str, item: String| Check {
        n: None,
        role: one_line(role),
        item: one_line(&item),
        done: true,
        by: Some("crisis".to_owned()),
        at: None,
    };
    match &wanted.event.override_ {
        Some(o) => checks.push(verified("NOT PRE-APPROVED", o.mark())),
        None => {
            for a in &wanted.event.approvals {
                let until = a
                    .until
                    .as_deref()
                    .map(|u| format!(", valid until {u}"))
                    .unwrap_or_default();
                checks.push(verified(
                    &format!("Approved: {}", a.role),
                    format!("approved by {}{until} when the event opened", a.by),
                ));
            }
        }
    }
    checks.push(verified("Words", wanted.go.note.clone()));
    // The fit of each language and the clock, which crisis measured.
    for item in built.iter().skip(human) {
        checks.push(verified("crisis", item.item.clone()));
    }
    debug_assert!(checks
        .iter()
        .filter(|c| c.n.is_some())
        .skip(playbook.signoff.len())
        .all(|c| c.role == ON_DUTY && c.item.contains(" is right: ")));
    (checks, human as u32)
}

/// Text from an approval record or a reason on one line, control
/// characters shown escaped, as every checklist item is.
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

fn run_part(
    catalog: &Catalog,
    ready: &Ready,
    index: usize,
    lang: &str,
    which: Part,
    context: &minijinja::Value,
) -> Result<Option<String>> {
    let loaded = &ready.checked.loaded;
    let Some(part) = ready.prepared.part(index, lang, which) else {
        return Ok(None);
    };
    let message = &loaded.playbook.messages[index];
    let Ok(source) = &part.source else {
        bail!(
            "{}: message '{}' has no words for '{lang}'; run `crisis lint`",
            loaded.display,
            message.id
        );
    };
    if let Some(Err(problems)) = &part.compiled {
        let lines: Vec<String> = problems
            .iter()
            .map(|p| crate::render::locate(catalog, loaded, p))
            .collect();
        bail!("{}", lines.join("\n"));
    }
    ready
        .prepared
        .render(source, context)
        .map(Some)
        .map_err(|problem| anyhow!("{}", crate::render::locate(catalog, loaded, &problem)))
}
