//! The sign-off checklist: the playbook's own items (who confirms what),
//! then items generated from the event: each filled-in value, each message's
//! fit, and the clock. Nothing is ticked: people tick it.

use serde::Serialize;

use chrono::DateTime;
use chrono_tz::Tz;

use crate::approval::{Assessment, DRAFT_MARK};
use crate::event::format_spoken;
use crate::field::FieldType;
use crate::playbook::Playbook;
use crate::render::Rendering;

/// Who confirms the generated items.
pub const ON_DUTY: &str = "Person on duty";

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Item {
    pub role: String,
    pub item: String,
    pub done: bool,
}

impl Item {
    /// An item on one line: a line break or control character in a value
    /// (or a playbook's text) is shown escaped, so nothing can forge a
    /// line such as `- [x] Legal: approved` in any output.
    fn new(role: &str, item: String) -> Item {
        Item {
            role: one_line(role),
            item: one_line(&item),
            done: false,
        }
    }
}

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

/// What the checklist says about approvals, before everything else: each
/// valid approval (role, who, when, valid until), and for a draft why it is
/// not approved. Nothing when the playbook requires no approvals.
pub fn approval_items(assessment: &Assessment) -> Vec<Item> {
    let mut items = Vec::new();
    for role in &assessment.roles {
        match role.problem() {
            Some(problem) => items.push(Item::new(DRAFT_MARK, problem)),
            None => {
                let record = role.describe_record().unwrap_or_default();
                items.push(Item::new(
                    &format!("Approved: {}", role.role),
                    format!("approved by {record}"),
                ));
            }
        }
    }
    items
}

/// A datetime value (stored as RFC 3339) in words in the playbook's zone;
/// as stored if it is somehow not a date.
fn spoken_value(value: &str, zone: Tz) -> String {
    match DateTime::parse_from_rfc3339(value) {
        Ok(at) => format_spoken(at.with_timezone(&zone)),
        Err(_) => format!("'{value}'"),
    }
}

/// The checklist for a rendering of `playbook`.
pub fn build(playbook: &Playbook, rendering: &Rendering) -> Vec<Item> {
    let mut items: Vec<Item> = playbook
        .signoff
        .iter()
        .map(|s| Item::new(&s.role, s.confirm.clone()))
        .collect();
    // Dates are shown in words, with the weekday: `Mon 18 Dec 2017, 07:33
    // PST` shows a wrong day (or a typed `02:40` read as today) at a glance,
    // where `2017-12-18T07:33:00-08:00` does not.
    let started = format_spoken(rendering.event.started_at);
    items.push(Item::new(
        ON_DUTY,
        format!("started_at is right: {started}"),
    ));
    for (name, value) in &rendering.event.values {
        let is_date = playbook
            .fields
            .get(name)
            .is_some_and(|f| f.kind == FieldType::Datetime);
        let shown = match value {
            Some(value) if is_date => spoken_value(value, rendering.event.zone),
            Some(value) => format!("'{value}'"),
            None => "(not given)".to_owned(),
        };
        items.push(Item::new(ON_DUTY, format!("{name} is right: {shown}")));
    }
    for message in &rendering.messages {
        let m = &message.measurement;
        let verdict = if message.fits() {
            "fits"
        } else {
            "DOES NOT FIT"
        };
        let mut line = format!(
            "{} ({}) {verdict} {}: {}/{} {}",
            message.id, message.lang, message.channel, m.length, m.limit, m.unit
        );
        if let Some(sms) = &m.sms {
            line.push_str(&format!(
                ", {} in {} part{}",
                sms.encoding,
                sms.segments,
                if sms.segments == 1 { "" } else { "s" }
            ));
        }
        if let Some(s) = &message.subject_measurement {
            line.push_str(&format!("; subject {}/{}", s.length, s.limit));
        }
        items.push(Item::new(ON_DUTY, line));
    }
    items.push(Item::new(
        ON_DUTY,
        format!("Clock: {}", rendering.clock.summary()),
    ));
    items
}
