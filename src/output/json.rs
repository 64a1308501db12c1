//! The JSON view of a rendering, for tools that post or archive. Its shape
//! is a contract: fields are added, never renamed.

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::checklist::Item;
use crate::render::Rendering;

/// The whole rendering as JSON. `approved` is `None` when the playbook
/// requires no approvals; every message carries it too (`null` then), so a
/// tool that posts messages one by one cannot miss a draft. `examples` is
/// true when the playbook comes from the example catalog built into crisis.
pub fn value(
    rendering: &Rendering,
    checklist: &[Item],
    approved: Option<bool>,
    examples: bool,
) -> Value {
    let messages: Vec<Value> = rendering
        .messages
        .iter()
        .map(|m| {
            let mut object = Map::new();
            object.insert("id".into(), json!(m.id));
            object.insert("channel".into(), json!(m.channel));
            object.insert("lang".into(), json!(m.lang));
            object.insert("text".into(), json!(m.text));
            if let Some(subject) = &m.subject {
                object.insert("subject".into(), json!(subject));
            }
            object.insert("length".into(), json!(m.measurement.length));
            object.insert("limit".into(), json!(m.measurement.limit));
            object.insert("fits".into(), json!(m.fits()));
            if let Some(sms) = &m.measurement.sms {
                object.insert("encoding".into(), json!(sms.encoding));
                object.insert("segments".into(), json!(sms.segments));
            }
            if let Some(s) = &m.subject_measurement {
                object.insert("subject_length".into(), json!(s.length));
                object.insert("subject_limit".into(), json!(s.limit));
            }
            object.insert("due_at".into(), json!(m.due_at.to_rfc3339()));
            object.insert("approved".into(), json!(approved));
            Value::Object(object)
        })
        .collect();
    let event: Map<String, Value> = rendering
        .event
        .values
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .chain([(
            "started_at".to_owned(),
            json!(rendering.event.started_at.to_rfc3339()),
        )])
        .collect();
    let mut root = Map::new();
    root.insert("playbook".into(), json!(rendering.playbook));
    root.insert("version".into(), json!(rendering.version));
    if examples {
        root.insert("examples".into(), json!(true));
    }
    if let Some(approved) = approved {
        root.insert("approved".into(), json!(approved));
    }
    root.insert(
        "rendered_at".into(),
        json!(rendering.rendered_at.to_rfc3339()),
    );
    root.insert(
        "started_at".into(),
        json!(rendering.event.started_at.to_rfc3339()),
    );
    root.insert(
        "elapsed_seconds".into(),
        json!(rendering.clock.elapsed_seconds),
    );
    root.insert(
        "target_seconds".into(),
        json!(rendering.clock.target_seconds),
    );
    root.insert("event".into(), Value::Object(event));
    root.insert("messages".into(), Value::Array(messages));
    root.insert("checklist".into(), to_value(checklist));
    Value::Object(root)
}

fn to_value<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
