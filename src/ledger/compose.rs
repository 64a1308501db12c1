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
use crate::template::{self, Prepared};

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
    /// The messages of the event already emitted, and when: the alerts a
    /// CAP Update or Cancel refers to.
    pub earlier: &'a [(String, DateTime<Utc>)],
}

/// An outbox item's contents: its posts, how many checklist items a
/// person must confirm, and the CAP alert it carries, if any.
pub struct Composed {
    pub posts: Vec<Post>,
    pub items: u32,
    pub alert: Option<Vec<u8>>,
}

/// The posts of one item, one per language; how many checklist items a
/// person must confirm; and its CAP alert.
pub fn compose(
    catalog: &Catalog,
    channels: &Channels,
    ready: &Ready,
    wanted: &Wanted<'_>,
) -> Result<Composed> {
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
    let due_at = wanted.due_at.with_timezone(&ready.zone);

    let messages = render_message(catalog, spec, ready, index, wanted.langs, &event, due_at)?;
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
    let alert = alert(catalog, channels, ready, wanted, &rendering)?;
    Ok(Composed {
        posts,
        items,
        alert,
    })
}

/// Message number `index` rendered in each of `langs`, as render does it.
fn render_message(
    catalog: &Catalog,
    spec: &crate::channel::ChannelSpec,
    ready: &Ready,
    index: usize,
    langs: &[String],
    event: &crate::event::Event,
    due_at: DateTime<Tz>,
) -> Result<Vec<RenderedMessage>> {
    let playbook = &ready.checked.loaded.playbook;
    let message = &playbook.messages[index];
    let one = crate::render::One {
        catalog,
        loaded: &ready.checked.loaded,
        prepared: &ready.prepared,
        spec,
        event,
    };
    let mut messages = Vec::new();
    for lang in langs {
        if !message.languages(playbook).contains(lang) {
            bail!(
                "message '{}' of '{}' has no language '{lang}' any more",
                message.id,
                playbook.id
            );
        }
        messages.push(one.render(index, lang, due_at)?);
    }
    Ok(messages)
}

/// The CAP alert of an item, for a playbook with `cap:` settings: the
/// description message's item is the Alert (with the headline, instruction
/// and WEA messages rendered beside it), each of `updates` an Update and
/// the `on_close` message a Cancel of the alerts emitted before it. An
/// Update or Cancel with nothing before it to refer to is not written.
fn alert(
    catalog: &Catalog,
    channels: &Channels,
    ready: &Ready,
    wanted: &Wanted<'_>,
    rendering: &Rendering,
) -> Result<Option<Vec<u8>>> {
    use crate::output::cap::{self as xml, AlertOptions, MsgType, Reference, Status};
    let playbook = &ready.checked.loaded.playbook;
    let Some(settings) = &playbook.cap else {
        return Ok(None);
    };
    let is_update = |id: &str| settings.updates.iter().any(|u| u == id);
    let msg_type = if wanted.message == settings.description {
        MsgType::Alert
    } else if playbook.on_close.as_deref() == Some(wanted.message) {
        MsgType::Cancel
    } else if is_update(wanted.message) {
        MsgType::Update
    } else {
        return Ok(None);
    };
    let identifier = |message: &str| format!("{}.{message}", wanted.event.id);
    let references: Vec<Reference> = wanted
        .earlier
        .iter()
        .filter(|(m, _)| m != wanted.message && (m == &settings.description || is_update(m)))
        .map(|(m, at)| Reference {
            identifier: identifier(m),
            sent: xml::cap_time(&at.with_timezone(&ready.zone)),
        })
        .collect();
    if msg_type != MsgType::Alert && references.is_empty() {
        return Ok(None);
    }
    let mut rendering = rendering.clone();
    if msg_type == MsgType::Alert {
        let first_on = |channel: &str| {
            playbook
                .messages
                .iter()
                .find(|m| m.channel == channel)
                .map(|m| m.id.clone())
        };
        let mut extra: Vec<String> = [settings.headline.clone(), settings.instruction.clone()]
            .into_iter()
            .flatten()
            .chain(
                crate::cap::WEA_PARAMETERS
                    .iter()
                    .filter_map(|(c, _)| first_on(c)),
            )
            .collect();
        extra.retain(|id| id != wanted.message);
        extra.dedup();
        for id in extra {
            let Some(index) = playbook.messages.iter().position(|m| m.id == id) else {
                continue;
            };
            let message = &playbook.messages[index];
            let Some(spec) = channels.get(&message.channel) else {
                continue;
            };
            let langs: Vec<String> = wanted
                .langs
                .iter()
                .filter(|l| message.languages(playbook).contains(l))
                .cloned()
                .collect();
            let due_at = rendering.rendered_at;
            rendering.messages.extend(render_message(
                catalog,
                spec,
                ready,
                index,
                &langs,
                &rendering.event,
                due_at,
            )?);
        }
    }
    let record = wanted.event;
    let mut marks = Vec::new();
    if record.examples {
        marks.push(crate::output::EXAMPLE_MARK.to_owned());
    }
    if let Some(o) = &record.override_ {
        marks.push(o.mark());
    }
    let options = AlertOptions {
        status: if record.examples {
            Status::Test
        } else {
            Status::Actual
        },
        msg_type,
        references,
        note: (!marks.is_empty()).then(|| marks.join(" / ")),
        identifier: Some(identifier(wanted.message)),
        description: Some(wanted.message.to_owned()),
    };
    let mut bytes = Vec::new();
    xml::write(&rendering, settings, &options, &mut bytes)?;
    Ok(Some(bytes))
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
        role: crate::text::escape_line(role),
        item: crate::text::escape_line(&item),
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
