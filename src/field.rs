//! Event fields: the details the person on duty fills in, and their types.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{de, Deserialize, Deserializer, Serialize};
use std::fmt;

/// The built-in field every event has: when it started, in the playbook's zone.
pub const STARTED_AT: &str = "started_at";

/// The longest value any field holds, in characters: the largest `max_len`
/// a playbook may declare, and the limit for fields that declare none. Ten
/// thousand characters is several pages, more than any post or notice
/// carries; past it, a value is a paste gone wrong, and refusing it keeps
/// every later step (checking, counting, fitting) quick.
pub const MAX_VALUE_CHARS: usize = 10_000;

/// The longest phone number accepted, in characters, unless the field says
/// `max_len`: room for the usual international forms (`+1 (253) 798-4141`
/// is 17 characters, `+44 20 7946 0958` 16). A bound, so lint can check every message a number goes
/// into at its longest; a field for longer numbers (an extension) says
/// `max_len`.
pub const MAX_PHONE_CHARS: usize = 18;

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
    /// The longest value accepted, in characters (text, url, email, number
    /// and phone fields; a phone field without it takes at most 18): at
    /// least 1, and no more than the longest value any field takes.
    #[serde(
        default,
        deserialize_with = "max_len",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(range(min = 1, max = MAX_VALUE_CHARS))]
    pub max_len: Option<usize>,
    /// A hint shown to the person on duty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The allowed values of an `enum` field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// `gsm` promises plain GSM-7 input (text, url and email fields), so
    /// SMS messages keep their cheap encoding and WEA messages can be sent;
    /// render rejects values outside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset: Option<Charset>,
    /// Whether a text value may run over several lines (default false).
    /// Values are single lines otherwise, so that a value cannot forge a
    /// line of a message or of the sign-off checklist (`- [x] Legal:
    /// approved`); only text fields read it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub multiline: bool,
    /// Whether the value is about one person (a patient's name, a
    /// condition, a ticket number): lint refuses it in any message on a
    /// public channel (default false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub private: bool,
}

fn yes() -> bool {
    true
}

fn is_false(value: &bool) -> bool {
    !value
}

/// Reads `max_len`, refusing 0 (no value could be given) and lengths past
/// [`MAX_VALUE_CHARS`] (no value that long is accepted anyway), so the rest
/// of the tool can fill a field to its `max_len` without a second thought.
fn max_len<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<usize>, D::Error> {
    let Some(max) = Option::<u64>::deserialize(deserializer)? else {
        return Ok(None);
    };
    match usize::try_from(max) {
        Ok(0) => Err(de::Error::custom(
            "max_len is 0, so no value could be given; give the longest length to accept, such as 40",
        )),
        Ok(max) if max <= MAX_VALUE_CHARS => Ok(Some(max)),
        _ => Err(de::Error::custom(format!(
            "max_len is {max}; at most {MAX_VALUE_CHARS} characters are allowed (lower it)"
        ))),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(max_len: serde_json::Value) -> Result<Field, String> {
        serde_json::from_value(json!({ "type": "text", "max_len": max_len }))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn max_len_is_accepted_from_1_up_to_the_longest_value() {
        assert_eq!(field(json!(1)).unwrap().max_len, Some(1));
        assert_eq!(
            field(json!(MAX_VALUE_CHARS)).unwrap().max_len,
            Some(MAX_VALUE_CHARS)
        );
        assert_eq!(field(json!(null)).unwrap().max_len, None);
        let without: Field = serde_json::from_value(json!({ "type": "text" })).unwrap();
        assert_eq!(without.max_len, None);
    }

    #[test]
    fn max_len_past_the_longest_value_or_zero_is_refused() {
        assert_eq!(
            field(json!(MAX_VALUE_CHARS + 1)).unwrap_err(),
            "max_len is 10001; at most 10000 characters are allowed (lower it)"
        );
        assert!(field(json!(u64::MAX))
            .unwrap_err()
            .starts_with("max_len is 18446744073709551615; at most 10000"));
        assert_eq!(
            field(json!(0)).unwrap_err(),
            "max_len is 0, so no value could be given; give the longest length to accept, such as 40"
        );
        assert!(field(json!(-1)).is_err());
    }

    #[test]
    fn multiline_defaults_to_false_and_is_written_only_when_set() {
        let single: Field = serde_json::from_value(json!({ "type": "text" })).unwrap();
        assert!(!single.multiline);
        assert!(serde_json::to_value(&single)
            .unwrap()
            .get("multiline")
            .is_none());
        let multi: Field =
            serde_json::from_value(json!({ "type": "text", "multiline": true })).unwrap();
        assert!(multi.multiline);
        assert_eq!(serde_json::to_value(&multi).unwrap()["multiline"], true);
    }
}
