//! Event fields: the details the person on duty fills in, and their types.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{de, Deserialize, Deserializer, Serialize};
use std::fmt;

/// The built-in field every event has: when it started, in the playbook's zone.
pub const STARTED_AT: &str = "started_at";

/// One event field a playbook declares.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// What kind of value this is; render validates and normalises it.
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// Whether render refuses to run without a value (default true).
    #[serde(default = "yes")]
    pub required: bool,
    /// The value used when the person on duty gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<ScalarText>,
    /// A realistic value, used by lint to check that messages fit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<ScalarText>,
    /// The longest value accepted, in characters (text fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_len: Option<usize>,
    /// A hint shown to the person on duty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The allowed values of an `enum` field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// `gsm` promises plain GSM-7 input, so SMS messages keep their cheap
    /// encoding; render rejects values outside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset: Option<Charset>,
}

fn yes() -> bool {
    true
}

/// The declared fields of a playbook, in the order the author wrote them.
pub type Fields = IndexMap<String, Field>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Text,
    Number,
    Datetime,
    Phone,
    Url,
    Email,
    Enum,
}

impl FieldType {
    pub const ALL: [FieldType; 7] = [
        FieldType::Text,
        FieldType::Number,
        FieldType::Datetime,
        FieldType::Phone,
        FieldType::Url,
        FieldType::Email,
        FieldType::Enum,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Number => "number",
            FieldType::Datetime => "datetime",
            FieldType::Phone => "phone",
            FieldType::Url => "url",
            FieldType::Email => "email",
            FieldType::Enum => "enum",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Charset {
    /// The GSM 03.38 default alphabet and its extension table.
    Gsm,
}

/// A scalar written in YAML as text, a number or a boolean, kept as the text
/// the author wrote (`default: 80` and `default: "80"` mean the same).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ScalarText(pub String);

impl ScalarText {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for ScalarText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = ScalarText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a text, number or boolean value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_owned()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl JsonSchema for ScalarText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ScalarText".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": ["string", "number", "boolean"] })
    }
}
