//! A playbook's `cap:` settings: what an OASIS Common Alerting Protocol 1.2
//! alert needs beyond the approved words, declared in the playbook (and so
//! covered by its approvals) and checked by lint like any field.
//!
//! The words themselves are never written here: `description`, `headline`
//! and `instruction` name messages of the playbook, whose rendered text
//! goes into each language's `<info>`, and the first message on the `wea`
//! and `wea-90` channels becomes the `CMAMlongtext` and `CMAMtext`
//! parameters. The XML is written by [`crate::output::cap`].
//!
//! In an event (`crisis open`, `due`, `close`) the description message's
//! outbox item carries the Alert, each of `updates` an Update and the
//! `on_close` message a Cancel, each referring to the alerts before it.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::duration::Duration;

/// The `cap:` section of a playbook.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapSettings {
    /// Who sends the alert, globally unique: an email address or a domain
    /// name, such as `alerts@example.org`. No spaces, commas, `<` or `&`.
    pub sender: String,
    /// The organisation's name as people know it, such as `Riverside Health`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_name: Option<String>,
    /// A region added to the playbook's bare language codes in the alert,
    /// such as `US` (`en` is written `en-US`, `es` is written `es-US`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The kind of event in a few words, per language (under 35
    /// characters), such as `{ en: Boil water notice, es: Aviso de hervir el agua }`.
    pub event: IndexMap<String, String>,
    /// One or more of Geo, Met, Safety, Security, Rescue, Fire, Health, Env,
    /// Transport, Infra, CBRNE, Other.
    pub category: Vec<Category>,
    /// What people should do: Shelter, Evacuate, Prepare, Execute, Avoid,
    /// Monitor, Assess, AllClear or None.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub response_type: Vec<ResponseType>,
    /// Immediate, Expected, Future, Past or Unknown.
    pub urgency: Urgency,
    /// Extreme, Severe, Moderate, Minor or Unknown.
    pub severity: Severity,
    /// Observed, Likely, Possible, Unlikely or Unknown.
    pub certainty: Certainty,
    /// How long after it is sent the alert expires, such as `48h`.
    pub expires: Duration,
    /// The area the alert is about.
    pub area: CapArea,
    /// The message whose text is the alert's description (required).
    pub description: String,
    /// The message whose text is the headline (at most 140 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    /// The message whose text is the instruction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instruction: Option<String>,
    /// Messages that, when an event emits them (`crisis due`), are CAP
    /// Updates of the event's alert, with their own text as description.
    /// The playbook's `on_close` message, emitted by `crisis close`, is the
    /// alert's Cancel.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub updates: Vec<String>,
    /// A field of type url whose value is the alert's web page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<String>,
    /// A field whose value is how to reach the sender, such as a phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// The area of an alert: its description, from the playbook or from an
/// event field, and optional geocodes.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapArea {
    /// The area in words, the same for every event (under 50 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
    /// A text field whose value describes the area (its `max_len` at most 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Codes of the area by scheme, such as `{ SAME: ["053053"] }`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub geocodes: IndexMap<String, Vec<String>>,
}

/// The channel whose first message becomes a CAP parameter, and the
/// parameter's name (the IPAWS profile's spelling).
pub const WEA_PARAMETERS: [(&str, &str); 2] = [("wea-90", "CMAMtext"), ("wea", "CMAMlongtext")];

/// The most characters of an `event`, as public alert aggregators ask.
pub const MAX_EVENT_CHARS: usize = 34;
/// The most characters of an `areaDesc`, as public alert aggregators ask.
pub const MAX_AREA_CHARS: usize = 49;
/// The most characters of a `headline`.
pub const MAX_HEADLINE_CHARS: usize = 140;

/// Whether `text` may be a CAP `sender` or `identifier`: not empty, and no
/// whitespace, comma, `<` or `&` (CAP 1.2, section 3.2.1), nor a
/// character that shows nothing or is not text (a zero-width space, a soft
/// hyphen, U+FFFF), which would make two senders look alike.
pub fn is_cap_token(text: &str) -> bool {
    !text.is_empty()
        && !text.chars().any(|c| {
            c.is_whitespace()
                || matches!(
                    c,
                    ',' | '<' | '&' | '\u{AD}' | '\u{180E}' | '\u{200C}'..='\u{200F}'
                )
                || crate::text::is_unsafe(c)
                || crate::text::is_invisible(c)
        })
}

macro_rules! cap_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            /// The value as CAP writes it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => stringify!($variant)),+
                }
            }
        }
    };
}

cap_enum! {
    /// CAP `category`.
    Category { Geo, Met, Safety, Security, Rescue, Fire, Health, Env, Transport, Infra, CBRNE, Other }
}
cap_enum! {
    /// CAP `responseType`.
    ResponseType { Shelter, Evacuate, Prepare, Execute, Avoid, Monitor, Assess, AllClear, None }
}
cap_enum! {
    /// CAP `urgency`.
    Urgency { Immediate, Expected, Future, Past, Unknown }
}
cap_enum! {
    /// CAP `severity`.
    Severity { Extreme, Severe, Moderate, Minor, Unknown }
}
cap_enum! {
    /// CAP `certainty`.
    Certainty { Observed, Likely, Possible, Unlikely, Unknown }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn senders_and_identifiers_refuse_what_cap_forbids() {
        assert!(is_cap_token("alerts@example.org"));
        assert!(is_cap_token("boil-water-notice.20261201T120000-0800"));
        for bad in [
            "",
            "a b",
            "a,b",
            "a<b",
            "a&b",
            "a\tb",
            "a\u{2028}b",
            "a\u{200B}b",
            "a\u{FEFF}b",
            "a\u{180E}b",
            "a\u{AD}b",
            "\u{FFFE}",
        ] {
            assert!(!is_cap_token(bad), "{bad:?}");
        }
    }

    #[test]
    fn enumerations_are_written_as_cap_spells_them() {
        assert_eq!(Category::CBRNE.as_str(), "CBRNE");
        assert_eq!(ResponseType::AllClear.as_str(), "AllClear");
        let parsed: Urgency = serde_json::from_str("\"Immediate\"").unwrap_or(Urgency::Unknown);
        assert_eq!(parsed, Urgency::Immediate);
        assert!(serde_json::from_str::<Urgency>("\"immediate\"").is_err());
    }
}
