//! The rendering as an OASIS Common Alerting Protocol 1.2 alert: one
//! `<info>` per language, holding the approved words of the messages the
//! playbook's `cap:` settings name, written with a real XML writer.
//!
//! What public alert aggregators ask for beyond the schema is kept here
//! too: `expires` and `description` are always written, `sent` carries a
//! numeric offset with no fractional seconds (UTC as `-00:00`, as CAP 1.2
//! requires), and identifier and sender are checked tokens. The settings
//! themselves are checked by lint (rule CP501), so what lint passes writes
//! an alert the CAP 1.2 schema accepts (the tests check it with xmllint).

use std::io::Write;

use anyhow::{anyhow, bail, Result};
use chrono::DateTime;
use chrono_tz::Tz;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use sha2::{Digest, Sha256};

use crate::cap::{self, CapSettings};
use crate::render::{RenderedMessage, Rendering};

/// The file an alert is written to, in a packet (`render --out`) and in
/// an outbox item.
pub const FILE_NAME: &str = "alert.cap.xml";

/// The CAP 1.2 namespace.
pub const NAMESPACE: &str = "urn:oasis:names:tc:emergency:cap:1.2";

/// CAP `status`: what the alert is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Real: acted on by recipients.
    Actual,
    /// Technical testing only; aggregators never show it to the public.
    Test,
    /// A preliminary draft, not actionable (an unapproved or preview render).
    Draft,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Actual => "Actual",
            Status::Test => "Test",
            Status::Draft => "Draft",
        }
    }
}

/// CAP `msgType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MsgType {
    /// The first alert of an event.
    Alert,
    /// Replaces the alerts it references (a follow-up).
    Update,
    /// Cancels the alerts it references (an event closed).
    Cancel,
}

impl MsgType {
    pub fn as_str(self) -> &'static str {
        match self {
            MsgType::Alert => "Alert",
            MsgType::Update => "Update",
            MsgType::Cancel => "Cancel",
        }
    }
}

/// An earlier alert an Update or Cancel refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub identifier: String,
    /// As written in that alert's `sent`.
    pub sent: String,
}

/// How one alert is to be written, apart from the rendering.
#[derive(Debug, Clone)]
pub struct AlertOptions {
    pub status: Status,
    pub msg_type: MsgType,
    pub references: Vec<Reference>,
    /// Written in `<note>`: the marks of an example, preview or draft.
    pub note: Option<String>,
    /// The identifier; `None` for one made from the rendering
    /// ([`identifier`]).
    pub identifier: Option<String>,
    /// The message whose text is the description; `None` for the one the
    /// settings name (an Update or Cancel names its own).
    pub description: Option<String>,
}

/// A time as CAP writes it: `2026-12-01T12:00:00-08:00`, whole seconds, a
/// numeric offset, and UTC as `-00:00`.
pub fn cap_time(at: &DateTime<Tz>) -> String {
    use chrono::Offset;
    // CAP offsets are whole minutes; a zone's old local mean time (such as
    // Monrovia's -00:44:30 until 1972) is not, so such a time is written in
    // UTC rather than rounded to the wrong instant.
    if at.offset().fix().local_minus_utc() % 60 != 0 {
        let utc = at.with_timezone(&chrono_tz::UTC);
        return format!("{}-00:00", utc.format("%Y-%m-%dT%H:%M:%S"));
    }
    let text = at.format("%Y-%m-%dT%H:%M:%S%:z").to_string();
    match text.strip_suffix("+00:00") {
        Some(head) => format!("{head}-00:00"),
        None => text,
    }
}

/// The alert's identifier: the playbook id, when it was sent, and a short
/// digest of its words, so two different alerts sent in the same second
/// still differ and the same alert written twice is the same.
pub fn identifier(rendering: &Rendering, sent: &str, settings: &CapSettings) -> String {
    let mut digest = Sha256::new();
    for message in &rendering.messages {
        for part in [
            message.id.as_str(),
            message.lang.as_str(),
            message.text.as_str(),
        ] {
            digest.update(part.as_bytes());
            digest.update([0]);
        }
    }
    digest.update(settings.sender.as_bytes());
    let hex: String = digest.finalize()[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let compact: String = sent
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '+')
        .collect();
    format!("{}-{compact}-{hex}", rendering.playbook)
}

/// The CAP language tag of a playbook language: its own tag when it names
/// a region, else the tag with the settings' region (`en` → `en-US`).
pub fn language(lang: &str, settings: &CapSettings) -> String {
    match &settings.region {
        Some(region) if !lang.contains('-') => format!("{lang}-{region}"),
        _ => lang.to_owned(),
    }
}

/// Writes the alert. Refuses (rather than writing a broken alert) when a
/// message it needs is not in the rendering, or a text holds a character
/// XML 1.0 cannot carry.
pub fn write(
    rendering: &Rendering,
    settings: &CapSettings,
    options: &AlertOptions,
    out: &mut dyn Write,
) -> Result<()> {
    if !cap::is_cap_token(&settings.sender) {
        bail!(
            "the CAP sender '{}' has a space, comma, '<' or '&'; run `crisis lint`",
            settings.sender
        );
    }
    let description = options
        .description
        .as_deref()
        .unwrap_or(&settings.description);
    let langs = languages(rendering, description);
    if langs.is_empty() {
        bail!("no message to put in a CAP alert: the description message '{description}' was not rendered");
    }
    let sent = cap_time(&rendering.rendered_at);
    use chrono::Datelike;
    let expires = settings
        .expires
        .add_to(rendering.rendered_at)
        .filter(|at| at.year() <= 9999)
        .ok_or_else(|| {
            anyhow!(
                "the CAP expiry {} is past the year 9999, which CAP cannot write",
                settings.expires
            )
        })?;
    let onset = cap_time(&rendering.event.started_at);
    let expires = cap_time(&expires);
    let identifier = options
        .identifier
        .clone()
        .unwrap_or_else(|| identifier(rendering, &sent, settings));

    let mut xml = Writer::new_with_indent(Vec::new(), b' ', 2);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    xml.create_element("alert")
        .with_attribute(("xmlns", NAMESPACE))
        .write_inner_content(|xml| {
            element(xml, "identifier", &identifier)?;
            element(xml, "sender", &settings.sender)?;
            element(xml, "sent", &sent)?;
            element(xml, "status", options.status.as_str())?;
            element(xml, "msgType", options.msg_type.as_str())?;
            element(xml, "scope", "Public")?;
            if let Some(note) = &options.note {
                element(xml, "note", note)?;
            }
            if !options.references.is_empty() {
                let list: Vec<String> = options
                    .references
                    .iter()
                    .map(|r| format!("{},{},{}", settings.sender, r.identifier, r.sent))
                    .collect();
                element(xml, "references", &list.join(" "))?;
            }
            for lang in &langs {
                let times = (onset.as_str(), expires.as_str());
                info(xml, rendering, settings, description, lang, times)?;
            }
            Ok(())
        })?;
    let mut bytes = xml.into_inner();
    bytes.push(b'\n');
    if let Some(c) = String::from_utf8_lossy(&bytes)
        .chars()
        .find(|&c| !is_xml_char(c))
    {
        bail!(
            "a text for the CAP alert holds U+{:04X}, which XML cannot carry; remove it from the template or the event details",
            c as u32
        );
    }
    out.write_all(&bytes)?;
    Ok(())
}

/// The languages of the alert: those the description message was rendered
/// in, in order.
fn languages(rendering: &Rendering, description: &str) -> Vec<String> {
    let mut langs: Vec<String> = Vec::new();
    for m in rendering.messages.iter().filter(|m| m.id == description) {
        if !langs.contains(&m.lang) {
            langs.push(m.lang.clone());
        }
    }
    langs
}

fn find<'a>(rendering: &'a Rendering, id: &str, lang: &str) -> Option<&'a RenderedMessage> {
    rendering
        .messages
        .iter()
        .find(|m| m.id == id && m.lang == lang)
}

fn info(
    xml: &mut Writer<Vec<u8>>,
    rendering: &Rendering,
    settings: &CapSettings,
    description: &str,
    lang: &str,
    (onset, expires): (&str, &str),
) -> std::io::Result<()> {
    let missing = |what: &str| {
        std::io::Error::other(format!(
            "the CAP {what} has no text in '{lang}'; run `crisis lint`"
        ))
    };
    let description = find(rendering, description, lang).ok_or_else(|| missing("description"))?;
    let event = settings.event.get(lang).ok_or_else(|| missing("event"))?;
    let values = rendering.event.values_for(lang);
    let value = |name: &Option<String>| {
        name.as_ref()
            .and_then(|n| values.get(n).cloned().flatten())
            .filter(|v| !v.is_empty())
    };
    let area = match (&settings.area.desc, &settings.area.field) {
        (Some(desc), _) => desc.clone(),
        (None, field) => value(field).ok_or_else(|| missing("area description"))?,
    };
    xml.create_element("info").write_inner_content(|xml| {
        element(xml, "language", &language(lang, settings))?;
        for category in &settings.category {
            element(xml, "category", category.as_str())?;
        }
        element(xml, "event", event)?;
        for response in &settings.response_type {
            element(xml, "responseType", response.as_str())?;
        }
        element(xml, "urgency", settings.urgency.as_str())?;
        element(xml, "severity", settings.severity.as_str())?;
        element(xml, "certainty", settings.certainty.as_str())?;
        element(xml, "onset", onset)?;
        element(xml, "expires", expires)?;
        if let Some(name) = &settings.sender_name {
            element(xml, "senderName", name)?;
        }
        let text_of = |id: &Option<String>| {
            id.as_ref()
                .and_then(|id| find(rendering, id, lang))
                .map(|m| m.text.clone())
        };
        if let Some(headline) = text_of(&settings.headline) {
            element(xml, "headline", &headline)?;
        }
        element(xml, "description", &description.text)?;
        if let Some(instruction) = text_of(&settings.instruction) {
            element(xml, "instruction", &instruction)?;
        }
        if let Some(web) = value(&settings.web) {
            element(xml, "web", &web)?;
        }
        if let Some(contact) = value(&settings.contact) {
            element(xml, "contact", &contact)?;
        }
        for (channel, name) in cap::WEA_PARAMETERS {
            let first = rendering
                .messages
                .iter()
                .find(|m| m.channel == channel && m.lang == lang);
            if let Some(message) = first {
                pair(xml, "parameter", name, &message.text)?;
            }
        }
        xml.create_element("area").write_inner_content(|xml| {
            element(xml, "areaDesc", &area)?;
            for (scheme, codes) in &settings.area.geocodes {
                for code in codes {
                    pair(xml, "geocode", scheme, code)?;
                }
            }
            Ok(())
        })?;
        Ok(())
    })?;
    Ok(())
}

fn element(xml: &mut Writer<Vec<u8>>, name: &str, text: &str) -> std::io::Result<()> {
    xml.create_element(name)
        .write_text_content(BytesText::new(text))?;
    Ok(())
}

/// A `valueName`/`value` pair (parameter, geocode).
fn pair(xml: &mut Writer<Vec<u8>>, name: &str, key: &str, value: &str) -> std::io::Result<()> {
    xml.create_element(name).write_inner_content(|xml| {
        element(xml, "valueName", key)?;
        element(xml, "value", value)
    })?;
    Ok(())
}

/// Whether XML 1.0 can carry `c` (its `Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_have_whole_minute_offsets_and_utc_is_minus_zero() {
        let at = |zone: Tz| {
            zone.with_ymd_and_hms(1971, 6, 1, 6, 10, 0)
                .single()
                .map(|t| cap_time(&t))
        };
        assert_eq!(
            at(chrono_tz::America::Los_Angeles).as_deref(),
            Some("1971-06-01T06:10:00-07:00")
        );
        assert_eq!(
            at(chrono_tz::UTC).as_deref(),
            Some("1971-06-01T06:10:00-00:00")
        );
        // Monrovia kept -00:44:30 until 1972: written in UTC, to the second.
        assert_eq!(
            at(chrono_tz::Africa::Monrovia).as_deref(),
            Some("1971-06-01T06:54:30-00:00")
        );
    }
}
