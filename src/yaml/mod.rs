//! YAML with positions: a parsed tree whose every node knows its line,
//! column and byte range, and a serde deserializer over that tree whose
//! errors point at the offending key or value.
//!
//! The tree ([`node`]) is what lint points into and what edits splice
//! against; the deserializer ([`de`]) turns it into the typed model.

pub mod de;
pub mod node;

pub use de::{from_node, DeError};
pub use node::{
    parse, path_to_string, Node, ParseError, PathSeg, Resolved, Scalar, ScalarStyle, Value,
};
