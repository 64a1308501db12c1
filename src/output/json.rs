//! The JSON view of a rendering, for tools that post or archive. Its shape
//! is a contract: fields are added, never renamed, and `crisis schema
//! render` publishes it, generated from these types.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Serialize;

use crate::checklist::Item;
use crate::render::{RenderedMessage, Rendering};

/// A rendered playbook: every message, the event's values and the
/// checklist.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RenderJson {
    pub playbook: String,
    pub version: u32,
    /// Present and true when the playbook comes from the example catalog
    /// built into crisis: its numbers and names are fictional.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub examples: bool,
    /// Present and true for `crisis preview`: the playbook's example
    /// values, not a real event. Never post it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub preview: bool,
    /// Whether every required approval holds; absent when the playbook
    /// requires none, so tools can tell "not approved" from "no approval
    /// process".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved: Option<bool>,
    /// When it was rendered, RFC 3339 in the playbook's zone.
    pub rendered_at: String,
    /// When the event started, RFC 3339 in the playbook's zone.
    pub started_at: String,
    /// Seconds from the start of the event to the rendering.
    pub elapsed_seconds: i64,
    /// The playbook's target for the first post, in seconds.
    pub target_seconds: Option<i64>,
    /// Every event value by field name (null when not given), and
    /// `started_at`.
    pub event: IndexMap<String, Option<String>>,
    pub messages: Vec<MessageJson>,
    pub checklist: Vec<Item>,
}

/// One message in one language, ready to post.
#[derive(Debug, Serialize, JsonSchema)]
pub struct MessageJson {
    pub id: String,
    pub channel: String,
    pub lang: String,
    /// The exact text to post.
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The length as the channel counts it, in `unit`s of `limit`.
    pub length: usize,
    pub limit: usize,
    pub fits: bool,
    /// SMS only: `GSM-7` or `UCS-2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// SMS only: how many parts it is sent in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segments: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_limit: Option<usize>,
    /// When it falls due, RFC 3339 in the playbook's zone.
    pub due_at: String,
    /// Present and true for the playbook's closing message (`on_close`):
    /// it goes out when the event is closed (`crisis close`), not at
    /// `due_at`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub on_close: bool,
    /// The playbook's approval state, on every message so that a tool
    /// posting messages one by one cannot miss a draft; null when no
    /// approval is required.
    pub approved: Option<bool>,
}

impl MessageJson {
    fn new(m: &RenderedMessage, approved: Option<bool>) -> MessageJson {
        MessageJson {
            id: m.id.clone(),
            channel: m.channel.clone(),
            lang: m.lang.clone(),
            text: m.text.clone(),
            subject: m.subject.clone(),
            length: m.measurement.length,
            limit: m.measurement.limit,
            fits: m.fits(),
            encoding: m.measurement.sms.as_ref().map(|s| s.encoding.to_string()),
            segments: m.measurement.sms.as_ref().map(|s| s.segments),
            subject_length: m.subject_measurement.as_ref().map(|s| s.length),
            subject_limit: m.subject_measurement.as_ref().map(|s| s.limit),
            due_at: m.due_at.to_rfc3339(),
            on_close: m.on_close,
            approved,
        }
    }
}

/// The whole rendering as its JSON type.
pub fn value(
    rendering: &Rendering,
    checklist: &[Item],
    approved: Option<bool>,
    examples: bool,
    preview: bool,
) -> RenderJson {
    let mut event = rendering.event.values.clone();
    event.insert(
        "started_at".to_owned(),
        Some(rendering.event.started_at.to_rfc3339()),
    );
    RenderJson {
        playbook: rendering.playbook.clone(),
        version: rendering.version,
        examples,
        preview,
        approved,
        rendered_at: rendering.rendered_at.to_rfc3339(),
        started_at: rendering.event.started_at.to_rfc3339(),
        elapsed_seconds: rendering.clock.elapsed_seconds,
        target_seconds: rendering.clock.target_seconds,
        event,
        messages: rendering
            .messages
            .iter()
            .map(|m| MessageJson::new(m, approved))
            .collect(),
        checklist: checklist.to_vec(),
    }
}
