//! A serde deserializer over the positioned tree, so the model can stay plain
//! `#[derive(Deserialize)]` types while every error carries the span and path
//! of the key or value it is about.
//!
//! Errors raised inside serde's generated code know nothing of positions; they
//! are created unplaced and get the span and path of the innermost node whose
//! deserialization they escape from.

use std::fmt;

use serde::de::{self, DeserializeSeed, Expected, Unexpected, Visitor};

use crate::span::Span;

use super::node::{Node, PathSeg, Resolved, Value};

/// Deserialize a typed value from a parsed tree.
pub fn from_node<T: de::DeserializeOwned>(node: &Node) -> Result<T, DeError> {
    T::deserialize(Deserializer::new(node, Vec::new())).map_err(|e| e.place(node, &[]))
}

/// Why the tree does not fit the type, where, and at which path.
#[derive(Debug, Clone, PartialEq)]
pub struct DeError {
    pub span: Span,
    pub path: Vec<PathSeg>,
    pub message: String,
    placed: bool,
    /// Set when the message still needs the description of the node the
    /// error is placed at.
    found: Option<Found>,
}

#[derive(Debug, Clone, PartialEq)]
enum Found {
    Value { expected: String },
    Length { expected: String, len: usize },
}

impl DeError {
    fn unplaced(message: String, found: Option<Found>) -> Self {
        DeError {
            span: Span::FILE,
            path: Vec::new(),
            message,
            placed: false,
            found,
        }
    }

    fn at(node: &Node, path: &[PathSeg], message: String) -> Self {
        DeError::unplaced(message, None).place(node, path)
    }

    /// Give an error the position of `node` unless a deeper node already did.
    fn place(mut self, node: &Node, path: &[PathSeg]) -> Self {
        if self.placed {
            return self;
        }
        match self.found.take() {
            Some(Found::Value { expected }) => {
                self.message = format!("expected {expected}, found {}", describe(node));
            }
            Some(Found::Length { expected, len }) => {
                let what = match node.value {
                    Value::Map(_) => "keys",
                    _ => "items",
                };
                self.message = format!("expected {expected}, found {len} {what}");
            }
            None => {}
        }
        self.span = node.span;
        self.path = path.to_vec();
        self.placed = true;
        self
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError::unplaced(msg.to_string(), None)
    }

    fn invalid_type(_: Unexpected, exp: &dyn Expected) -> Self {
        DeError::unplaced(
            String::new(),
            Some(Found::Value {
                expected: plain_expected(exp),
            }),
        )
    }

    fn invalid_value(unexp: Unexpected, exp: &dyn Expected) -> Self {
        Self::invalid_type(unexp, exp)
    }

    fn invalid_length(len: usize, exp: &dyn Expected) -> Self {
        DeError::unplaced(
            String::new(),
            Some(Found::Length {
                expected: plain_expected(exp),
                len,
            }),
        )
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        DeError::unplaced(unknown("value", variant, expected), None)
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        DeError::unplaced(unknown("key", field, expected), None)
    }

    fn missing_field(field: &'static str) -> Self {
        DeError::unplaced(format!("missing key '{field}'"), None)
    }

    fn duplicate_field(field: &'static str) -> Self {
        DeError::unplaced(format!("key '{field}' is given twice; remove one"), None)
    }
}

/// "unknown key 'chanel'; did you mean 'channel'?", or the list of choices.
fn unknown(what: &str, given: &str, expected: &[&str]) -> String {
    let closest = expected
        .iter()
        .map(|e| (strsim::jaro_winkler(given, e), *e))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match closest {
        Some((_, e)) => format!("unknown {what} '{given}'; did you mean '{e}'?"),
        None if expected.is_empty() => format!("unknown {what} '{given}'; none are allowed here"),
        None => format!(
            "unknown {what} '{given}'; expected one of: {}",
            expected.join(", ")
        ),
    }
}

/// serde's names for what a visitor expects, in the words of a YAML author.
fn plain_expected(exp: &dyn Expected) -> String {
    let text = exp.to_string();
    match text.as_str() {
        "a string" | "a borrowed string" | "string" => "text".into(),
        "a sequence" => "a list".into(),
        "a map" => "a mapping".into(),
        "a boolean" => "true or false".into(),
        "a character" | "a char" => "a single character".into(),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64" | "u128"
        | "usize" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        _ if text.starts_with("struct ") || text.starts_with("struct variant ") => {
            "a mapping".into()
        }
        _ => text,
    }
}

/// What the author wrote, for "found ..." in messages.
fn describe(node: &Node) -> String {
    match &node.value {
        Value::Seq(_) => "a list".into(),
        Value::Map(_) => "a mapping".into(),
        Value::Scalar(s) => match s.resolve() {
            Resolved::Null => "null (an empty value)".into(),
            Resolved::Bool(b) => b.to_string(),
            Resolved::Int(_) | Resolved::Float(_) => format!("the number {}", s.text),
            Resolved::Str(t) => {
                const MAX: usize = 40;
                if t.chars().count() > MAX {
                    let cut: String = t.chars().take(MAX).collect();
                    format!("the text '{cut}…'")
                } else {
                    format!("the text '{t}'")
                }
            }
        },
    }
}

/// Deserializes one node; `path` is where it sits in the document.
pub struct Deserializer<'a> {
    node: &'a Node,
    path: Vec<PathSeg>,
}

impl<'a> Deserializer<'a> {
    pub fn new(node: &'a Node, path: Vec<PathSeg>) -> Self {
        Deserializer { node, path }
    }

    fn error(&self, message: String) -> DeError {
        DeError::at(self.node, &self.path, message)
    }

    fn mismatch(&self, exp: &dyn Expected) -> DeError {
        de::Error::invalid_type(Unexpected::Other(""), exp)
    }

    fn resolved(&self) -> Option<Resolved<'a>> {
        match &self.node.value {
            Value::Scalar(s) => Some(s.resolve()),
            _ => None,
        }
    }

    fn int(&self, exp: &dyn Expected) -> Result<i128, DeError> {
        match self.resolved() {
            Some(Resolved::Int(n)) => Ok(n),
            _ => Err(self.mismatch(exp)),
        }
    }

    fn float(&self, exp: &dyn Expected) -> Result<f64, DeError> {
        match self.resolved() {
            Some(Resolved::Float(f)) => Ok(f),
            #[allow(clippy::cast_precision_loss)]
            Some(Resolved::Int(n)) => Ok(n as f64),
            _ => Err(self.mismatch(exp)),
        }
    }

    /// Text for a string: any non-null scalar, since `title: 2024` means
    /// the text "2024" to the author.
    fn text(&self, exp: &dyn Expected) -> Result<&'a str, DeError> {
        match &self.node.value {
            Value::Scalar(s) if s.resolve() != Resolved::Null => Ok(&s.text),
            _ => Err(self.mismatch(exp)),
        }
    }

    fn child(&self, node: &'a Node, seg: PathSeg) -> Deserializer<'a> {
        let mut path = self.path.clone();
        path.push(seg);
        Deserializer { node, path }
    }
}

macro_rules! deserialize_int {
    ($($method:ident $visit:ident $ty:ty;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            let n = self.int(&visitor)?;
            let v = <$ty>::try_from(n).map_err(|_| {
                self.error(format!(
                    "expected a whole number from {} to {}, found the number {}",
                    <$ty>::MIN, <$ty>::MAX, n
                ))
            })?;
            visitor.$visit(v)
        }
    )*};
}

impl<'de, 'a> de::Deserializer<'de> for Deserializer<'a> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Seq(_) => self.deserialize_seq(visitor),
            Value::Map(_) => self.deserialize_map(visitor),
            Value::Scalar(s) => match s.resolve() {
                Resolved::Null => visitor.visit_unit(),
                Resolved::Bool(b) => visitor.visit_bool(b),
                Resolved::Int(n) => match (i64::try_from(n), u64::try_from(n)) {
                    (Ok(v), _) => visitor.visit_i64(v),
                    (_, Ok(v)) => visitor.visit_u64(v),
                    _ => Err(self.error(format!("the number {n} is too large"))),
                },
                Resolved::Float(f) => visitor.visit_f64(f),
                Resolved::Str(t) => visitor.visit_str(t),
            },
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.resolved() {
            Some(Resolved::Bool(b)) => visitor.visit_bool(b),
            _ => Err(self.mismatch(&visitor)),
        }
    }

    deserialize_int! {
        deserialize_i8 visit_i8 i8;
        deserialize_i16 visit_i16 i16;
        deserialize_i32 visit_i32 i32;
        deserialize_i64 visit_i64 i64;
        deserialize_i128 visit_i128 i128;
        deserialize_u8 visit_u8 u8;
        deserialize_u16 visit_u16 u16;
        deserialize_u32 visit_u32 u32;
        deserialize_u64 visit_u64 u64;
        deserialize_u128 visit_u128 u128;
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let f = self.float(&visitor)?;
        #[allow(clippy::cast_possible_truncation)]
        visitor.visit_f32(f as f32)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let f = self.float(&visitor)?;
        visitor.visit_f64(f)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let text = self.text(&visitor)?;
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => visitor.visit_char(c),
            _ => Err(self.mismatch(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let text = self.text(&visitor)?;
        visitor.visit_str(text)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, DeError> {
        Err(self.error("binary data cannot be written in a playbook; use text".into()))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.node.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.node.is_null() {
            visitor.visit_unit()
        } else {
            Err(self.mismatch(&visitor))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    /// An empty value reads as an empty list, as authors write `tags:` for
    /// "no tags".
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let items: &[Node] = match &self.node.value {
            Value::Seq(items) => items,
            _ if self.node.is_null() => &[],
            _ => return Err(self.mismatch(&visitor)),
        };
        let mut access = SeqAccess {
            de: &self,
            items: items.iter().enumerate(),
        };
        let value = visitor.visit_seq(&mut access)?;
        match access.items.len() {
            0 => Ok(value),
            extra => Err(self.error(format!(
                "expected {} items, found {}",
                items.len() - extra,
                items.len()
            ))),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    /// An empty value reads as an empty mapping, so a section whose keys all
    /// have defaults may be left empty.
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let entries: &[(Node, Node)] = match &self.node.value {
            Value::Map(entries) => entries,
            _ if self.node.is_null() => &[],
            _ => return Err(self.mismatch(&visitor)),
        };
        visitor.visit_map(MapAccess {
            de: &self,
            entries: entries.iter(),
            value: None,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_map(visitor)
    }

    /// `variant` for a unit variant, `variant: value` for the others.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Scalar(_) if !self.node.is_null() => visitor.visit_enum(EnumAccess {
                variant: Deserializer::new(self.node, self.path.clone()),
                value: None,
            }),
            Value::Map(entries) => match entries.as_slice() {
                [(key, value)] => {
                    let seg = PathSeg::Key(key.as_str().unwrap_or("?").to_owned());
                    visitor.visit_enum(EnumAccess {
                        variant: self.child(key, seg.clone()),
                        value: Some(self.child(value, seg)),
                    })
                }
                _ => Err(self.error(format!(
                    "expected {} as a single 'kind: value' entry, found {} keys",
                    plain_expected(&visitor),
                    entries.len()
                ))),
            },
            _ => Err(self.mismatch(&visitor)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

struct SeqAccess<'s, 'a> {
    de: &'s Deserializer<'a>,
    items: std::iter::Enumerate<std::slice::Iter<'a, Node>>,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_, '_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        let Some((i, node)) = self.items.next() else {
            return Ok(None);
        };
        let child = self.de.child(node, PathSeg::Index(i));
        let path = child.path.clone();
        seed.deserialize(child)
            .map(Some)
            .map_err(|e| e.place(node, &path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapAccess<'s, 'a> {
    de: &'s Deserializer<'a>,
    entries: std::slice::Iter<'a, (Node, Node)>,
    value: Option<Deserializer<'a>>,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_, '_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        let seg = match &key.value {
            Value::Scalar(s) => PathSeg::Key(s.text.clone()),
            _ => PathSeg::Key(key.to_json().to_string()),
        };
        self.value = Some(self.de.child(value, seg.clone()));
        let key_de = self.de.child(key, seg);
        let path = key_de.path.clone();
        seed.deserialize(key_de)
            .map(Some)
            .map_err(|e| e.place(key, &path))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let Some(value) = self.value.take() else {
            return Err(self.de.error("a key has no value".into()));
        };
        let (node, path) = (value.node, value.path.clone());
        seed.deserialize(value).map_err(|e| e.place(node, &path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct EnumAccess<'a> {
    variant: Deserializer<'a>,
    value: Option<Deserializer<'a>>,
}

impl<'de, 'a> de::EnumAccess<'de> for EnumAccess<'a> {
    type Error = DeError;
    type Variant = VariantAccess<'a>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, VariantAccess<'a>), DeError> {
        let (node, path) = (self.variant.node, self.variant.path.clone());
        let name = node.as_str().unwrap_or_default().to_owned();
        let variant = seed
            .deserialize(self.variant)
            .map_err(|e| e.place(node, &path))?;
        Ok((
            variant,
            VariantAccess {
                name,
                node,
                path,
                value: self.value,
            },
        ))
    }
}

struct VariantAccess<'a> {
    name: String,
    /// The variant's name node, for errors about a missing value.
    node: &'a Node,
    path: Vec<PathSeg>,
    value: Option<Deserializer<'a>>,
}

impl VariantAccess<'_> {
    fn needs_value(&self) -> DeError {
        DeError::at(
            self.node,
            &self.path,
            format!(
                "'{}' needs a value; write it as '{}: ...'",
                self.name, self.name
            ),
        )
    }
}

impl<'de> de::VariantAccess<'de> for VariantAccess<'_> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        match self.value {
            Some(value) if !value.node.is_null() => Err(value.error(format!(
                "'{}' takes no value; write just '{}'",
                self.name, self.name
            ))),
            _ => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DeError> {
        let Some(value) = self.value else {
            return Err(self.needs_value());
        };
        let (node, path) = (value.node, value.path.clone());
        seed.deserialize(value).map_err(|e| e.place(node, &path))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        let Some(value) = self.value else {
            return Err(self.needs_value());
        };
        let (node, path) = (value.node, value.path.clone());
        de::Deserializer::deserialize_seq(value, visitor).map_err(|e| e.place(node, &path))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let Some(value) = self.value else {
            return Err(self.needs_value());
        };
        let (node, path) = (value.node, value.path.clone());
        de::Deserializer::deserialize_map(value, visitor).map_err(|e| e.place(node, &path))
    }
}

#[cfg(test)]
mod tests {
    use indexmap::IndexMap;
    use serde::Deserialize;

    use super::*;
    use crate::yaml::{parse, path_to_string};

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Playbook {
        id: String,
        title: Option<String>,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        fields: IndexMap<String, Field>,
        #[serde(default)]
        messages: Vec<Message>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Message {
        id: String,
        channel: Channel,
        #[serde(default)]
        max_length: Option<u16>,
        #[serde(default = "default_priority")]
        priority: u8,
        body: String,
    }

    fn default_priority() -> u8 {
        3
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Channel {
        X,
        Sms,
        Email,
        Facebook,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Field {
        #[serde(rename = "type")]
        kind: Kind,
        #[serde(default)]
        required: bool,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Text,
        Number { min: i64, max: i64 },
        Choice(Vec<String>),
    }

    fn load<T: de::DeserializeOwned>(text: &str) -> Result<T, DeError> {
        from_node(&parse(text).expect("test YAML parses"))
    }

    fn fail<T: de::DeserializeOwned + fmt::Debug>(text: &str) -> (String, (usize, usize), String) {
        match load::<T>(text) {
            Ok(v) => panic!("expected an error, got {v:?}"),
            Err(e) => (
                e.message.clone(),
                (e.span.line, e.span.col),
                path_to_string(&e.path),
            ),
        }
    }

    const GOOD: &str = "\
id: flood
tags: [a, b]
fields:
  zone: {type: text, required: true}
  level:
    type: {number: {min: 0, max: 5}}
  area:
    type:
      choice: [north, south]
messages:
  - id: sms
    channel: sms
    body: 2024
  - id: mail
    channel: email
    max_length: 500
    priority: 1
    body: |
      Hello
";

    #[test]
    fn deserializes_a_playbook() {
        let p: Playbook = load(GOOD).unwrap();
        assert_eq!(p.title, None);
        assert_eq!(p.tags, ["a", "b"]);
        let names: Vec<&str> = p.fields.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            ["zone", "level", "area"],
            "IndexMap keeps file order"
        );
        assert_eq!(
            p.fields["zone"],
            Field {
                kind: Kind::Text,
                required: true
            }
        );
        assert_eq!(p.fields["level"].kind, Kind::Number { min: 0, max: 5 });
        assert_eq!(
            p.fields["area"].kind,
            Kind::Choice(vec!["north".into(), "south".into()])
        );
        assert_eq!(p.messages[0].channel, Channel::Sms);
        assert_eq!(
            p.messages[0].body, "2024",
            "a number reads as text where text is expected"
        );
        assert_eq!(p.messages[0].max_length, None);
        assert_eq!(p.messages[0].priority, 3, "serde default applies");
        assert_eq!(p.messages[1].max_length, Some(500));
        assert_eq!(p.messages[1].body, "Hello\n");
    }

    #[test]
    fn empty_values_read_as_empty_sections_and_none() {
        let p: Playbook = load("id: x\ntitle: ~\ntags:\nfields:\n").unwrap();
        assert_eq!(p.title, None);
        assert!(p.tags.is_empty() && p.fields.is_empty());
        let p: Playbook = load("id: x\ntitle: 'null'\n").unwrap();
        assert_eq!(p.title.as_deref(), Some("null"));
    }

    #[test]
    fn unknown_key_points_at_the_key_with_a_suggestion() {
        let text = "id: x\nmessages:\n  - id: a\n    chanel: sms\n    body: hi\n";
        let (msg, at, path) = fail::<Playbook>(text);
        assert_eq!(msg, "unknown key 'chanel'; did you mean 'channel'?");
        assert_eq!(at, (4, 5));
        assert_eq!(path, "messages[0].chanel");
        let (msg, at, path) = fail::<Playbook>("id: x\nzzz: 1\n");
        assert_eq!(
            msg,
            "unknown key 'zzz'; expected one of: id, title, tags, fields, messages"
        );
        assert_eq!((at, path.as_str()), ((2, 1), "zzz"));
    }

    #[test]
    fn wrong_type_describes_what_was_found() {
        let text = "id: x\nmessages:\n  - id: a\n    channel: sms\n    body: [one, two]\n";
        let (msg, at, path) = fail::<Playbook>(text);
        assert_eq!(msg, "expected text, found a list");
        assert_eq!(at, (5, 11));
        assert_eq!(path, "messages[0].body");
        let (msg, _, _) = fail::<Playbook>("id: x\ntags: nope\n");
        assert_eq!(msg, "expected a list, found the text 'nope'");
        let (msg, at, path) = fail::<Playbook>("id:\n");
        assert_eq!(msg, "expected text, found null (an empty value)");
        assert_eq!((at.0, path.as_str()), (1, "id"));
        let (msg, _, _) = fail::<Playbook>("id: x\nfields:\n  zone: {type: text, required: 1}\n");
        assert_eq!(msg, "expected true or false, found the number 1");
        let (msg, _, _) = fail::<Playbook>("- 1\n");
        assert_eq!(msg, "expected a mapping, found a list");
        let long = format!("id: x\ntags: {}\n", "y".repeat(100));
        let (msg, _, _) = fail::<Playbook>(&long);
        assert!(msg.ends_with(&format!("'{}…'", "y".repeat(40))), "{msg}");
    }

    #[test]
    fn missing_key_points_at_the_mapping() {
        let text = "id: x\nmessages:\n  - id: a\n    body: hi\n";
        let (msg, at, path) = fail::<Playbook>(text);
        assert_eq!(msg, "missing key 'channel'");
        assert_eq!(at, (3, 5));
        assert_eq!(path, "messages[0]");
    }

    #[test]
    fn unknown_variant_points_at_the_value() {
        let text = "id: x\nfields:\n  zone:\n    type: txt\n";
        let (msg, at, path) = fail::<Playbook>(text);
        assert_eq!(msg, "unknown value 'txt'; did you mean 'text'?");
        assert_eq!(at, (4, 11));
        assert_eq!(path, "fields.zone.type");
        let text = "id: x\nmessages:\n  - {id: a, channel: pigeon, body: b}\n";
        let (msg, at, path) = fail::<Playbook>(text);
        assert_eq!(
            msg,
            "unknown value 'pigeon'; expected one of: x, sms, email, facebook"
        );
        assert_eq!((at, path.as_str()), ((3, 22), "messages[0].channel"));
        let text = "id: x\nfields:\n  zone:\n    type: {nmber: {}}\n";
        let (msg, at, path) = fail::<Playbook>(text);
        assert_eq!(msg, "unknown value 'nmber'; did you mean 'number'?");
        assert_eq!((at, path.as_str()), ((4, 12), "fields.zone.type.nmber"));
        let (msg, _, _) = fail::<Playbook>("id: x\nfields:\n  zone:\n    type: choice\n");
        assert_eq!(msg, "'choice' needs a value; write it as 'choice: ...'");
        let (msg, _, _) = fail::<Playbook>("id: x\nfields:\n  zone:\n    type: {text: 1}\n");
        assert_eq!(msg, "'text' takes no value; write just 'text'");
    }

    #[test]
    fn bad_integers() {
        let base = "id: x\nmessages:\n  - id: a\n    channel: x\n    body: b\n";
        let (msg, at, path) = fail::<Playbook>(&format!("{base}    max_length: 70000\n"));
        assert_eq!(
            msg,
            "expected a whole number from 0 to 65535, found the number 70000"
        );
        assert_eq!((at, path.as_str()), ((6, 17), "messages[0].max_length"));
        let (msg, _, _) = fail::<Playbook>(&format!("{base}    max_length: lots\n"));
        assert_eq!(msg, "expected a whole number, found the text 'lots'");
        let (msg, _, _) = fail::<Playbook>(&format!("{base}    max_length: 1.5\n"));
        assert_eq!(msg, "expected a whole number, found the number 1.5");
        let (msg, _, _) = fail::<Playbook>(&format!("{base}    priority: \"2\"\n"));
        assert_eq!(msg, "expected a whole number, found the text '2'");
    }

    #[derive(Debug, Deserialize)]
    #[serde(try_from = "String")]
    struct Handle(#[allow(dead_code)] String);

    impl TryFrom<String> for Handle {
        type Error = String;
        fn try_from(s: String) -> Result<Self, String> {
            if s.starts_with('@') {
                Ok(Handle(s))
            } else {
                Err(format!("'{s}' is not a handle; start it with '@'"))
            }
        }
    }

    #[test]
    fn custom_errors_keep_their_words_and_get_a_place() {
        let (msg, at, path) = fail::<IndexMap<String, Vec<Handle>>>("team:\n  - '@a'\n  - b\n");
        assert_eq!(msg, "'b' is not a handle; start it with '@'");
        assert_eq!((at, path.as_str()), ((3, 5), "team[1]"));
    }

    #[test]
    fn tuples_check_their_length() {
        let (msg, at, _) = fail::<(u8, u8)>("[1, 2, 3]\n");
        assert_eq!(msg, "expected 2 items, found 3");
        assert_eq!(at, (1, 1));
        let (msg, _, _) = fail::<(u8, u8)>("[1]\n");
        assert_eq!(msg, "expected a tuple of size 2, found 1 items");
        assert_eq!(load::<(u8, char)>("[1, x]").unwrap(), (1, 'x'));
    }

    #[test]
    fn any_follows_the_resolved_type() {
        let v: serde_json::Value = load("a: [1, -2, 1.5, true, ~, 'x', 0x10]\n").unwrap();
        assert_eq!(
            v,
            serde_json::json!({"a": [1, -2, 1.5, true, null, "x", 16]})
        );
        let e = load::<serde_json::Value>("a: 99999999999999999999999\n").unwrap_err();
        assert_eq!(e.message, "the number 99999999999999999999999 is too large");
        assert_eq!(path_to_string(&e.path), "a");
    }
}
