//! The playbook model: the typed centre everything else reads.
//!
//! Loading turns YAML into these types (keeping positions in the YAML tree
//! beside them); lint, render, approve and schedule are functions of them.
//! The JSON Schema printed by `crisis schema` is generated from these types,
//! so the doc comments here are what editors show authors.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::duration::Duration;
use crate::field::Fields;

/// A pre-approved crisis communication playbook.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    /// Kebab-case, unique in the catalog, such as `disaster-helpline`.
    pub id: String,
    /// What the playbook is for, in a line.
    pub title: String,
    /// Bump on every content change.
    pub version: u32,
    /// Who maintains it, such as `Communications <comms@example.org>`.
    pub owner: String,
    /// Language codes; the first is the default language.
    #[serde(default = "default_languages")]
    pub languages: Vec<String>,
    /// Time-to-post goal, counted from the event's `started_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Duration>,
    /// IANA zone for event times (default UTC), such as `America/Los_Angeles`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// The event details the person on duty fills in.
    #[serde(default)]
    pub fields: Fields,
    /// The messages to post, per channel.
    pub messages: Vec<Message>,
    /// What each role must confirm before posting.
    #[serde(default)]
    pub signoff: Vec<Signoff>,
    /// The id of a message emitted once when an event of this playbook is
    /// closed (`crisis close`), such as an all-clear; it is not emitted at
    /// its `after`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_close: Option<String>,
    /// What a Common Alerting Protocol (CAP 1.2) alert of this playbook
    /// needs besides its words: sender, event, category, urgency, severity,
    /// certainty, expiry and area, and which messages hold the words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<crate::cap::CapSettings>,
    /// The highest Flesch-Kincaid grade an English message may read at
    /// (default 8; public-health guidance asks for grade 6 to 8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_grade: Option<f64>,
    /// The lowest Fernández-Huerta ease a Spanish message may have
    /// (default 65, where the INFLESZ band "fairly easy" begins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_ease_es: Option<f64>,
    /// What messages must say: element sets (`cerc-first-message`,
    /// `hipaa-breach-individual`, `california-breach`) and, for each
    /// element, the field or the phrase per language that carries it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<Requirement>,
    /// Roles that must approve the content before it may be used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvals_required: Vec<String>,
    /// Approval records, written by `crisis approve`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<Approval>,
}

fn default_languages() -> Vec<String> {
    vec!["en".to_owned()]
}

/// Text per language code, such as `{ en: "...", es: "..." }`.
pub type LangText = IndexMap<String, String>;

/// One message of a playbook, rendered once per language.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// Unique within the playbook, such as `announce-x`.
    pub id: String,
    /// Where it is posted: x, facebook, instagram, linkedin, bluesky,
    /// mastodon, threads, sms, email, web, press, or a channel of the
    /// catalog's configuration.
    pub channel: String,
    /// A template under `templates/`; `{lang}` is replaced per language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Inline template text per language, instead of `template`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<LangText>,
    /// Email subject per language (a template string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<LangText>,
    /// Languages of this message, when not all of the playbook's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<String>>,
    /// Due this long after `started_at` (default 0: at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Duration>,
    /// For SMS: the most parts the message may take.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_segments: Option<u32>,
}

impl Message {
    /// The languages this message is rendered in.
    pub fn languages<'a>(&'a self, playbook: &'a Playbook) -> &'a [String] {
        self.languages.as_deref().unwrap_or(&playbook.languages)
    }

    /// When it is due, counted from the event's start.
    pub fn after(&self) -> Duration {
        self.after.unwrap_or(Duration::ZERO)
    }

    /// The key that holds the message's words, for pointing at them:
    /// `template` or `text`.
    pub fn words_key(&self) -> &'static str {
        if self.template.is_some() {
            "template"
        } else {
            "text"
        }
    }

    /// The template path for one language, if the message uses a file.
    pub fn template_for(&self, lang: &str) -> Option<String> {
        self.template.as_ref().map(|t| t.replace("{lang}", lang))
    }
}

/// One item of the sign-off checklist.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signoff {
    /// Who confirms, such as `Communications lead`.
    pub role: String,
    /// What they confirm before posting.
    pub confirm: String,
}

/// A record that one role approved the playbook's content as it was.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// The role approving, one of `approvals_required`.
    pub role: String,
    /// Who approved, with their title.
    pub by: String,
    /// When, as an RFC 3339 date and time or a date.
    pub at: String,
    /// Valid until this date (RFC 3339 date or date and time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Digest of the approved content: `sha256:` and 64 hex digits.
    pub digest: String,
    /// Digest of each file approved, by path relative to the catalog root.
    #[serde(default)]
    pub files: IndexMap<String, String>,
    /// Who signed, as a principal of the catalog's allowed signers file
    /// (such as `dana@example.org`); written by `crisis approve --key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    /// The OpenSSH signature of the approval statement (namespace
    /// `crisis-approval`), as `ssh-keygen -Y sign` writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

/// One element set a playbook's messages must carry, and where each element
/// is in the words.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// The set: `cerc-first-message`, `hipaa-breach-individual` or
    /// `california-breach` (`crisis rules CP702` lists their elements).
    pub set: String,
    /// The messages that must carry it (default: every message).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<String>,
    /// Each element of the set: `{ field: NAME }` when a field's value
    /// carries it, or the phrase per language that says it, such as
    /// `{ en: "We do not yet know", es: "Aún no sabemos" }`.
    #[serde(default)]
    pub elements: IndexMap<String, IndexMap<String, String>>,
}
