//! Render outputs: readable text for the terminal, a Markdown review packet
//! for email or chat, an HTML review page for a browser, and JSON for tools
//! that post or archive. They print a
//! [`Rendering`](crate::render::Rendering) and know nothing of YAML.

pub mod cap;
pub mod export;
pub mod html;
pub mod json;
pub mod markdown;
pub mod text;

use clap::ValueEnum;

/// The mark every output of the example catalog built into crisis carries,
/// so its fictional numbers are never mistaken for a team's own.
pub const EXAMPLE_MARK: &str =
    "EXAMPLE - a sample catalog with fictional numbers and approvers, not your organisation's: do not post";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable blocks: id, channel, language, due time, length, then the text.
    Text,
    /// A review packet to paste into email or chat.
    Markdown,
    /// Everything, for scripts.
    Json,
    /// A review page to open in a browser: each message as its channel
    /// shows it, the approvals and the checklist, in one file.
    Html,
    /// An OASIS CAP 1.2 alert for public alerting systems, from a playbook
    /// with `cap:` settings: one `<info>` per language.
    Cap,
}

/// `12/280 weighted characters`, plus the SMS encoding and parts.
pub fn length_line(m: &crate::channel::Measurement) -> String {
    let mut line = format!("{}/{} {}", m.length, m.limit, m.unit);
    if let Some(sms) = &m.sms {
        line.push_str(&format!(
            ", {}, {} part{}",
            sms.encoding,
            sms.segments,
            if sms.segments == 1 { "" } else { "s" }
        ));
        if !sms.forcing_chars.is_empty() {
            let chars: Vec<String> = sms.forcing_chars.iter().map(|c| format!("'{c}'")).collect();
            line.push_str(&format!(" (UCS-2 because of {})", chars.join(" ")));
        }
    }
    line
}

/// When a message is due, for people: its time in `format` and how long
/// after the start (`2026-12-01 07:33 PST (at once)`), or, for the closing
/// message, that it waits for the event to be closed.
pub fn due_text(m: &crate::render::RenderedMessage, format: &str) -> String {
    if m.on_close {
        "when the event is closed (crisis close)".to_owned()
    } else {
        format!("{} ({})", m.due_at.format(format), text::due_label(m.after))
    }
}
