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
    /// Whether it is already done: true only for what crisis verified.
    pub done: bool,
    /// Who did it: `crisis` for what the tool verified itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// Who `by` names for what the tool verified.
pub const BY_CRISIS: &str = "crisis";

/// The checklist as people read it: what crisis verified, then the open
/// items grouped by the role who confirms them (in the order the roles
/// first appear).
pub fn grouped(items: &[Item]) -> (Vec<&Item>, Vec<(&str, Vec<&Item>)>) {
    let verified: Vec<&Item> = items.iter().filter(|i| i.done).collect();
    let mut groups: Vec<(&str, Vec<&Item>)> = Vec::new();
    for item in items.iter().filter(|i| !i.done) {
        match groups.iter_mut().find(|(role, _)| *role == item.role) {
            Some((_, list)) => list.push(item),
            None => groups.push((&item.role, vec![item])),
        }
    }
    (verified, groups)
}

impl Item {
    /// An item on one line: a line break or control character in a value
    /// (or a playbook's text) is shown escaped, so nothing can forge a
    /// line such as `- [x] Legal: approved` in any output.
    fn new(role: &str, item: String) -> Item {
        Item {
            role: crate::text::escape_line(role),
            item: crate::text::escape_line(&item),
            done: false,
            by: None,
        }
    }

    /// Something crisis verified itself: shown once as done, so people
    /// spend their minutes on what only they can judge.
    fn verified(role: &str, item: String) -> Item {
        Item {
            done: true,
            by: Some(BY_CRISIS.to_owned()),
            ..Item::new(role, item)
        }
    }
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
                items.push(Item::verified(
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
    // What crisis verified: every value valid for its type (render
    // refuses any other), every message's fit, the clock.
    let names: Vec<&str> = rendering
        .event
        .values
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(n, _)| n.as_str())
        .collect();
    if !names.is_empty() {
        items.push(Item::verified(
            "Values",
            format!("every value is valid for its type: {}", names.join(", ")),
        ));
    }
    let mut fit_lines = Vec::new();
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
        if message.fits() {
            fit_lines.push(line);
        } else {
            // Not verified: a person must shorten it.
            items.push(Item::new(ON_DUTY, line));
        }
    }
    if !fit_lines.is_empty() {
        items.push(Item::verified(
            "Fit",
            format!(
                "{} message{} fit their channels: {}",
                fit_lines.len(),
                if fit_lines.len() == 1 { "" } else { "s" },
                fit_lines.join("; ")
            ),
        ));
    }
    items.push(Item::verified("Clock", rendering.clock.summary()));
    items
}
