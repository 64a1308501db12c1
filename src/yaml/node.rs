//! The positioned YAML tree: parsing a document into [`Node`]s that remember
//! where their text is, resolving plain scalars by the YAML 1.2 core schema,
//! and converting to JSON.
//!
//! Parsing refuses what would make later steps unsafe or ambiguous: duplicate
//! keys, more than one document, nesting deeper than [`MAX_DEPTH`], and alias
//! expansion beyond [`MAX_ALIAS_NODES`] nodes.
//!
//! An alias becomes a copy of the anchored value: the copy's own span is the
//! alias (where the author used it), the spans inside it are the anchored
//! text (where its words actually are).

use std::collections::HashMap;
use std::fmt;

use saphyr_parser::{Event, Marker, Parser, ScanError, Tag};

use crate::span::Span;

/// How deep mappings and sequences may nest; deeper input is refused so that
/// nothing downstream can run out of stack.
pub const MAX_DEPTH: usize = 100;

/// How many nodes alias expansion may produce in one document, so that a few
/// lines of nested aliases cannot make us build billions of nodes.
pub const MAX_ALIAS_NODES: usize = 100_000;

/// Bytes of text that aliases may copy, all together: an alias of a long
/// string repeated is as much a bomb as an alias of many nodes.
pub const MAX_ALIAS_BYTES: usize = 4 * 1024 * 1024;

/// A YAML node and the span of its text. For a mapping or sequence the span
/// runs from its first token to the end of its last entry; for a block scalar
/// it starts at the `|` or `>` indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    /// Entries in file order; keys are nodes so findings can point at them.
    Map(Vec<(Node, Node)>),
}

/// A scalar's value after unescaping and folding, and how it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub text: String,
    pub style: ScalarStyle,
}

/// Only plain scalars are resolved to null, booleans and numbers; the others
/// are always text. A plain scalar tagged `!!str` is recorded as `Quoted`
/// because that is how it resolves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    Quoted,
    Block,
}

/// A scalar's meaning under the YAML 1.2 core schema.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Resolved<'a> {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(&'a str),
}

/// One step of a path into the tree: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSeg {
    Key(String),
    Index(usize),
}

/// A path as users read it: `messages[0].channel`; the empty path is "".
pub fn path_to_string(path: &[PathSeg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            PathSeg::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            PathSeg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Why a file is not YAML we accept, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
}

impl fmt::Display for ParseError {
    /// Only the message: callers prefix the file and position.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

impl Scalar {
    pub fn resolve(&self) -> Resolved<'_> {
        if self.style != ScalarStyle::Plain {
            return Resolved::Str(&self.text);
        }
        resolve_plain(&self.text)
    }
}

fn resolve_plain(text: &str) -> Resolved<'_> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "true" | "True" | "TRUE" => return Resolved::Bool(true),
        "false" | "False" | "FALSE" => return Resolved::Bool(false),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        _ => {}
    }
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return Resolved::Float(if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if let Some(digits) = text.strip_prefix("0o") {
        return radix_int(text, digits, 8);
    }
    if let Some(digits) = text.strip_prefix("0x") {
        return radix_int(text, digits, 16);
    }
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<i128>() {
            Ok(n) => Resolved::Int(n),
            // Too many digits for any integer type; still a number.
            Err(_) => text.parse().map_or(Resolved::Str(text), Resolved::Float),
        };
    }
    if is_core_float(unsigned) {
        if let Ok(f) = text.parse() {
            return Resolved::Float(f);
        }
    }
    Resolved::Str(text)
}

fn radix_int<'t>(text: &'t str, digits: &str, radix: u32) -> Resolved<'t> {
    // from_str_radix would also accept a sign, which the schema does not.
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Resolved::Str(text);
    }
    i128::from_str_radix(digits, radix).map_or(Resolved::Str(text), Resolved::Int)
}

/// `( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_core_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

impl Node {
    /// The value of `key` in a mapping, comparing keys by their text.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node itself, for pointing at a key rather than its value.
    pub fn key_node(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(k, _)| k)
    }

    fn entry(&self, key: &str) -> Option<&(Node, Node)> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.as_str() == Some(key)),
            _ => None,
        }
    }

    pub fn find(&self, path: &[PathSeg]) -> Option<&Node> {
        path.iter()
            .try_fold(self, |node, seg| match (seg, &node.value) {
                (PathSeg::Key(key), _) => node.get(key),
                (PathSeg::Index(i), Value::Seq(items)) => items.get(*i),
                (PathSeg::Index(_), _) => None,
            })
    }

    /// The node at `path`, to change it.
    pub fn find_mut(&mut self, path: &[PathSeg]) -> Option<&mut Node> {
        let mut node = self;
        for seg in path {
            node = match (seg, &mut node.value) {
                (PathSeg::Key(key), Value::Map(entries)) => entries
                    .iter_mut()
                    .find(|(k, _)| k.as_str() == Some(key.as_str()))
                    .map(|(_, v)| v)?,
                (PathSeg::Index(i), Value::Seq(items)) => items.get_mut(*i)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// Removes `key` from a mapping; whether it was there.
    pub fn remove_key(&mut self, key: &str) -> bool {
        let Value::Map(entries) = &mut self.value else {
            return false;
        };
        let before = entries.len();
        entries.retain(|(k, _)| k.as_str() != Some(key));
        entries.len() != before
    }

    /// Removes item `index` from a sequence; whether it was there.
    pub fn remove_index(&mut self, index: usize) -> bool {
        match &mut self.value {
            Value::Seq(items) if index < items.len() => {
                items.remove(index);
                true
            }
            _ => false,
        }
    }

    /// The scalar's text, whatever it resolves to.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(&s.text),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// A plain `~`, `null`, `Null`, `NULL` or empty value.
    pub fn is_null(&self) -> bool {
        self.as_scalar()
            .is_some_and(|s| s.resolve() == Resolved::Null)
    }

    /// The tree as JSON, scalars resolved by the core schema and mapping keys
    /// by their text. JSON has no infinity or NaN, so those become their text.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Scalar(s) => match s.resolve() {
                Resolved::Null => J::Null,
                Resolved::Bool(b) => J::Bool(b),
                Resolved::Int(n) => i64::try_from(n)
                    .map(J::from)
                    .or_else(|_| u64::try_from(n).map(J::from))
                    .unwrap_or_else(|_| float_json(n as f64, &s.text)),
                Resolved::Float(f) => float_json(f, &s.text),
                Resolved::Str(t) => J::String(t.to_owned()),
            },
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| {
                        let key = k
                            .as_str()
                            .map_or_else(|| k.to_json().to_string(), str::to_owned);
                        (key, v.to_json())
                    })
                    .collect(),
            ),
        }
    }

    /// Bytes of scalar text in this tree, keys included.
    fn text_bytes(&self) -> usize {
        match &self.value {
            Value::Scalar(s) => s.text.len(),
            Value::Seq(items) => items.iter().map(Node::text_bytes).sum(),
            Value::Map(entries) => entries
                .iter()
                .map(|(k, v)| k.text_bytes() + v.text_bytes())
                .sum(),
        }
    }

    /// How many nodes this tree holds and how deep it nests.
    fn count_and_height(&self) -> (usize, usize) {
        let children: Box<dyn Iterator<Item = &Node>> = match &self.value {
            Value::Scalar(_) => return (1, 0),
            Value::Seq(items) => Box::new(items.iter()),
            Value::Map(entries) => Box::new(entries.iter().flat_map(|(k, v)| [k, v])),
        };
        children.fold((1, 1), |(count, height), child| {
            let (c, h) = child.count_and_height();
            (count + c, height.max(h + 1))
        })
    }
}

fn float_json(f: f64, text: &str) -> serde_json::Value {
    serde_json::Number::from_f64(f).map_or_else(
        || serde_json::Value::String(text.to_owned()),
        serde_json::Value::Number,
    )
}

/// Parse one YAML document. An empty document is a null plain scalar at 1:1.
pub fn parse(text: &str) -> Result<Node, ParseError> {
    Builder::new(text).run()
}

/// A mapping or sequence whose entries are still arriving.
struct Open {
    start: Span,
    flow: bool,
    anchor: usize,
    kind: OpenKind,
}

enum OpenKind {
    Seq(Vec<Node>),
    Map {
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        /// Line of each key seen so far, to report duplicates.
        seen: HashMap<String, usize>,
    },
}

struct Anchored {
    node: Node,
    count: usize,
    height: usize,
    bytes: usize,
}

struct Builder<'t> {
    text: &'t str,
    /// Byte offset of each character index, plus one past the end: the
    /// parser counts positions in characters, edits need bytes.
    byte_at: Vec<usize>,
    anchors: HashMap<usize, Anchored>,
    expanded: usize,
    /// Bytes of scalar text aliases have copied so far.
    expanded_bytes: usize,
    stack: Vec<Open>,
    root: Option<Node>,
    documents: usize,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Self {
        let mut byte_at: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        byte_at.push(text.len());
        Builder {
            text,
            byte_at,
            anchors: HashMap::new(),
            expanded: 0,
            expanded_bytes: 0,
            stack: Vec::new(),
            root: None,
            documents: 0,
        }
    }

    fn run(mut self) -> Result<Node, ParseError> {
        let mut parser = Parser::new_from_str(self.text);
        while let Some(next) = parser.next_event() {
            let (event, span) = next.map_err(|e| self.scan_error(&e))?;
            let span_here = self.span(span.start, span.end);
            match event {
                Event::StreamEnd => break,
                Event::DocumentStart(explicit) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        return Err(second_document(span_here, explicit));
                    }
                }
                Event::Scalar(text, style, anchor, tag) => {
                    let node = self.scalar(&text, style, tag.as_deref(), span_here);
                    self.complete(node, anchor)?;
                }
                Event::Alias(id) => {
                    let node = self.alias(id, span_here)?;
                    self.complete(node, 0)?;
                }
                Event::SequenceStart(anchor, _) => self.open(span_here, anchor, None)?,
                Event::MappingStart(anchor, _) => {
                    self.open(span_here, anchor, Some(OpenKind::map()))?;
                }
                Event::SequenceEnd | Event::MappingEnd => self.close(span_here)?,
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
            }
        }
        Ok(self.root.unwrap_or(Node {
            value: Value::Scalar(Scalar {
                text: String::new(),
                style: ScalarStyle::Plain,
            }),
            span: Span::FILE,
        }))
    }

    fn byte(&self, char_index: usize) -> usize {
        self.byte_at
            .get(char_index)
            .copied()
            .unwrap_or(self.text.len())
    }

    fn span(&self, start: Marker, end: Marker) -> Span {
        Span {
            line: start.line().max(1),
            col: start.col() + 1,
            start: self.byte(start.index()),
            end: self.byte(end.index()),
        }
    }

    fn scalar(
        &self,
        text: &str,
        style: saphyr_parser::ScalarStyle,
        tag: Option<&Tag>,
        mut span: Span,
    ) -> Node {
        use saphyr_parser::ScalarStyle as S;
        let forced_str = tag.is_some_and(|t| t.is_yaml_core_schema() && t.suffix == "str");
        let style = match style {
            S::Plain if forced_str => ScalarStyle::Quoted,
            S::Plain => ScalarStyle::Plain,
            S::SingleQuoted | S::DoubleQuoted => ScalarStyle::Quoted,
            S::Literal | S::Folded => {
                self.fix_block_span(&mut span);
                ScalarStyle::Block
            }
        };
        Node {
            value: Value::Scalar(Scalar {
                text: text.to_owned(),
                style,
            }),
            span,
        }
    }

    /// The parser starts a block scalar at its first content line and ends
    /// it at the next token; move the start back to the `|`/`>` header and
    /// drop the next line's indentation from the end, so that replacing the
    /// span replaces exactly the value.
    fn fix_block_span(&self, span: &mut Span) {
        let text = self.text;
        let end = span.end.min(text.len());
        let trimmed = text
            .get(span.start..end)
            .map_or(0, |t| t.len() - t.trim_end_matches([' ', '\t']).len());
        span.end = end - trimmed;

        let Some(before) = text.get(..span.start) else {
            return;
        };
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        if !before[line_start..].trim().is_empty() {
            return; // an anchor or tag precedes the content on its line
        }
        // The header is the nearest earlier line with anything on it.
        let mut header_end = line_start;
        let header = loop {
            let Some(prev) = header_end.checked_sub(1).and_then(|e| text.get(..e)) else {
                return;
            };
            let start = prev.rfind('\n').map_or(0, |i| i + 1);
            header_end = start;
            if !prev[start..].trim().is_empty() {
                break (start, &prev[start..]);
            }
        };
        let Some(offset) = block_indicator(header.1) else {
            return;
        };
        let lines_up = text[header.0..span.start].matches('\n').count();
        let mut col = header.1[..offset].chars().count() + 1;
        if header.0 == 0 && text.starts_with('\u{feff}') {
            col -= 1;
        }
        span.line = span.line.saturating_sub(lines_up).max(1);
        span.col = col;
        span.start = header.0 + offset;
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<Node, ParseError> {
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(ParseError {
                span,
                message: format!(
                    "the alias '{}' refers to the value that contains it; write the value out",
                    self.token_text(span.start)
                ),
            });
        };
        self.expanded += anchored.count;
        self.expanded_bytes = self.expanded_bytes.saturating_add(anchored.bytes);
        if self.expanded > MAX_ALIAS_NODES || self.expanded_bytes > MAX_ALIAS_BYTES {
            return Err(ParseError {
                span,
                message: "too many aliases expanded (possible alias bomb); write the values out"
                    .into(),
            });
        }
        if self.stack.len() + anchored.height > MAX_DEPTH {
            return Err(too_deep(span));
        }
        let mut node = anchored.node.clone();
        node.span = span;
        Ok(node)
    }

    fn open(
        &mut self,
        start: Span,
        anchor: usize,
        map: Option<OpenKind>,
    ) -> Result<(), ParseError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(too_deep(start));
        }
        self.stack.push(Open {
            // A block collection's start event is empty; a flow one covers
            // its opening bracket.
            flow: start.end > start.start,
            start,
            anchor,
            kind: map.unwrap_or(OpenKind::Seq(Vec::new())),
        });
        Ok(())
    }

    fn close(&mut self, end: Span) -> Result<(), ParseError> {
        let Some(open) = self.stack.pop() else {
            return Ok(());
        };
        let (value, last_end) = match open.kind {
            OpenKind::Seq(items) => {
                let last = items.last().map(|n| n.span.end);
                (Value::Seq(items), last)
            }
            OpenKind::Map { entries, .. } => {
                let last = entries.last().map(|(_, v)| v.span.end);
                (Value::Map(entries), last)
            }
        };
        // A flow end event also covers any comment after the bracket.
        let closing = self.text.get(end.start..).and_then(|t| t.chars().next());
        let end = if open.flow && matches!(closing, Some(']' | '}')) {
            end.start + 1
        } else if open.flow {
            end.end
        } else {
            last_end.unwrap_or(open.start.end)
        };
        let node = Node {
            value,
            span: Span {
                end: end.max(open.start.start),
                ..open.start
            },
        };
        self.complete(node, open.anchor)
    }

    /// Attach a finished node to its parent (or make it the root).
    fn complete(&mut self, node: Node, anchor: usize) -> Result<(), ParseError> {
        if anchor != 0 {
            let (count, height) = node.count_and_height();
            let bytes = node.text_bytes();
            self.anchors.insert(
                anchor,
                Anchored {
                    node: node.clone(),
                    count,
                    height,
                    bytes,
                },
            );
        }
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match &mut parent.kind {
            OpenKind::Seq(items) => items.push(node),
            OpenKind::Map { entries, key, seen } => match key.take() {
                Some(k) => entries.push((k, node)),
                None => {
                    if let Some(text) = node.as_str() {
                        if let Some(first_line) = seen.get(text) {
                            return Err(ParseError {
                                span: node.span,
                                message: format!(
                                    "duplicate key '{text}' (first at line {first_line}); remove one"
                                ),
                            });
                        }
                        seen.insert(text.to_owned(), node.span.line);
                    }
                    *key = Some(node);
                }
            },
        }
        Ok(())
    }

    /// The word at a byte offset, for naming an alias or anchor in a message.
    fn token_text(&self, start: usize) -> &str {
        let rest = self.text.get(start..).unwrap_or("");
        let end = rest
            .find(|c: char| c.is_whitespace() || ",[]{}".contains(c))
            .unwrap_or(rest.len());
        &rest[..end]
    }

    fn scan_error(&self, e: &ScanError) -> ParseError {
        let mark = e.marker();
        let span = self.span(*mark, *mark);
        let info = e.info();
        let message = match info {
            _ if info.starts_with("mapping values are not allowed") => {
                "mapping values are not allowed here; did you forget a space after ':' or quotes around the value?".into()
            }
            _ if info.contains("found unknown anchor") => format!(
                "unknown alias '{}'; define it first with '&{}'",
                self.token_text(span.start),
                self.token_text(span.start).trim_start_matches('*')
            ),
            _ if info.contains("did not find expected key") => {
                "this line does not line up with the keys around it; check its indentation".into()
            }
            _ if info.contains("did not find expected '-' indicator") => {
                "expected a list item ('- ...') here; check the indentation".into()
            }
            _ if info.contains("flow sequence") => {
                "a [list] is missing a ',' between items or its closing ']'".into()
            }
            _ if info.contains("flow mapping") => {
                "a {mapping} is missing a ',' between entries or its closing '}'".into()
            }
            _ if info.contains("quoted scalar, found unexpected end of stream")
                || info.contains("quoted scalar, found unexpected document indicator") =>
            {
                "quoted text is missing its closing quote".into()
            }
            _ if info.contains("invalid indentation in quoted scalar") => {
                "quoted text is missing its closing quote, or its next line is not indented enough".into()
            }
            _ if info.contains("unknown escape character") => {
                "unknown escape in double-quoted text; write '\\\\' for a backslash or use single quotes".into()
            }
            _ if info.contains("tab") => {
                "tabs are not allowed for indentation in YAML; indent with spaces".into()
            }
            _ if info.contains("simple key") => {
                "a key is missing its ':' (keys must fit on one line)".into()
            }
            _ if info.contains("did not find expected node content") => {
                "a value is missing here".into()
            }
            _ if info.contains("recursion limit") => return too_deep(span),
            _ if info.contains("unprintable character") => {
                "the file contains a control character YAML does not allow; remove it".into()
            }
            "unexpected eof" => "the file ends in the middle of a value".into(),
            _ => info
                .strip_prefix("while parsing ")
                .or_else(|| info.strip_prefix("while scanning "))
                .unwrap_or(info)
                .to_owned(),
        };
        ParseError { span, message }
    }
}

impl OpenKind {
    fn map() -> Self {
        OpenKind::Map {
            entries: Vec::new(),
            key: None,
            seen: HashMap::new(),
        }
    }
}

fn second_document(span: Span, explicit: bool) -> ParseError {
    let message = if explicit {
        format!(
            "only one YAML document per file; remove the '---' at line {}",
            span.line
        )
    } else {
        format!(
            "only one YAML document per file; remove the '...' before line {}",
            span.line
        )
    };
    ParseError { span, message }
}

fn too_deep(span: Span) -> ParseError {
    ParseError {
        span,
        message: format!("values are nested more than {MAX_DEPTH} levels deep; flatten them"),
    }
}

/// Byte offset of the `|` or `>` that starts a block scalar on its header
/// line: the indicator is the last thing on the line apart from chomping and
/// indentation digits and a comment.
fn block_indicator(line: &str) -> Option<usize> {
    line.char_indices().find_map(|(i, c)| {
        if c != '|' && c != '>' {
            return None;
        }
        let preceded_ok = line[..i]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
        let rest =
            line[i + 1..].trim_start_matches(|c: char| c == '+' || c == '-' || c.is_ascii_digit());
        let rest = rest.trim_start();
        (preceded_ok && (rest.is_empty() || rest.starts_with('#'))).then_some(i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(node: &Node) -> (usize, usize) {
        (node.span.line, node.span.col)
    }

    fn err(text: &str) -> ParseError {
        match parse(text) {
            Ok(node) => panic!("expected an error for {text:?}, got {node:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn key_spans_start_at_the_key() {
        let text = "messages:\n  - id: a\n    chanel: x\n";
        let root = parse(text).unwrap();
        let item = root
            .find(&[PathSeg::Key("messages".into()), PathSeg::Index(0)])
            .unwrap();
        let key = item.key_node("chanel").unwrap();
        assert_eq!(at(key), (3, 5));
        assert_eq!(&text[key.span.start..key.span.end], "chanel");
        assert_eq!(item.get("chanel").unwrap().as_str(), Some("x"));
        assert_eq!(at(item), (2, 5));
        assert_eq!(
            &text[item.span.start..item.span.end],
            "id: a\n    chanel: x"
        );
    }

    #[test]
    fn quoted_and_multibyte_spans_are_byte_offsets() {
        let text = "tïtle: \"Évacuez\"\nnext: 'l''eau'\n";
        let root = parse(text).unwrap();
        let title = root.get("tïtle").unwrap();
        assert_eq!(at(title), (1, 8));
        assert_eq!(&text[title.span.start..title.span.end], "\"Évacuez\"");
        assert_eq!(title.as_str(), Some("Évacuez"));
        let next = root.get("next").unwrap();
        assert_eq!(&text[next.span.start..next.span.end], "'l''eau'");
        assert_eq!(next.as_scalar().unwrap().style, ScalarStyle::Quoted);
    }

    #[test]
    fn block_scalar_span_covers_header_and_content() {
        let text = "a: |  # note\n  line one\n  line two\n\nb: >-\n  x\n  y\nc: 1\n";
        let root = parse(text).unwrap();
        let a = root.get("a").unwrap();
        assert_eq!(a.as_str(), Some("line one\nline two\n"));
        assert_eq!(at(a), (1, 4));
        assert_eq!(
            &text[a.span.start..a.span.end],
            "|  # note\n  line one\n  line two\n\n"
        );
        let b = root.get("b").unwrap();
        assert_eq!(b.as_str(), Some("x y"));
        assert_eq!(&text[b.span.start..b.span.end], ">-\n  x\n  y\n");
        assert_eq!(b.as_scalar().unwrap().style, ScalarStyle::Block);
    }

    #[test]
    fn flow_collections_span_their_brackets() {
        let text = "c: [1, {d: 2}]  # tail\n";
        let root = parse(text).unwrap();
        let c = root.get("c").unwrap();
        assert_eq!(&text[c.span.start..c.span.end], "[1, {d: 2}]");
        let d = c
            .find(&[PathSeg::Index(1), PathSeg::Key("d".into())])
            .unwrap();
        assert_eq!(at(d), (1, 12));
    }

    #[test]
    fn core_schema_resolution() {
        let text = "n1: ~\nn2:\nn3: NULL\nb: True\nno: no\ni: -12\no: 0o17\nh: 0x1F\n\
                    f: 1.5\ne: -2e3\ninf: -.Inf\nnan: .nan\ns: '12'\nv: 1.2.3\nbig: 99999999999999999999\n";
        let json = parse(text).unwrap().to_json();
        assert_eq!(
            json,
            serde_json::json!({
                "n1": null, "n2": null, "n3": null, "b": true, "no": "no", "i": -12,
                "o": 15, "h": 31, "f": 1.5, "e": -2000.0, "inf": "-.Inf", "nan": ".nan",
                "s": "12", "v": "1.2.3", "big": 1e20
            })
        );
        assert!(parse("x: ~").unwrap().get("x").unwrap().is_null());
        assert!(!parse("x: '~'").unwrap().get("x").unwrap().is_null());
        assert_eq!(resolve_plain("+1."), Resolved::Float(1.0));
        assert_eq!(resolve_plain("0x"), Resolved::Str("0x"));
        assert_eq!(resolve_plain("inf"), Resolved::Str("inf"));
        assert_eq!(resolve_plain("1e"), Resolved::Str("1e"));
        assert_eq!(resolve_plain("-"), Resolved::Str("-"));
    }

    #[test]
    fn str_tag_forces_text() {
        let root = parse("a: !!str 12\n").unwrap();
        assert_eq!(root.to_json(), serde_json::json!({"a": "12"}));
    }

    #[test]
    fn empty_documents_are_null_at_the_start() {
        for text in ["", "# only a comment\n", "\u{feff}"] {
            let node = parse(text).unwrap();
            assert!(node.is_null(), "{text:?}");
            assert_eq!(at(&node), (1, 1), "{text:?}");
        }
        assert!(parse("---\n").unwrap().is_null());
        assert_eq!(parse("").unwrap().span, Span::FILE);
    }

    #[test]
    fn duplicate_keys_are_refused_at_the_second() {
        let e = err("title: a\nid: x\n\nid: y\n");
        assert_eq!(
            e.message,
            "duplicate key 'id' (first at line 2); remove one"
        );
        assert_eq!((e.span.line, e.span.col), (4, 1));
        // The same key in different mappings is fine.
        assert!(parse("- id: a\n- id: b\n").is_ok());
    }

    #[test]
    fn second_document_is_refused() {
        let e = err("a: 1\n---\nb: 2\n");
        assert_eq!(
            e.message,
            "only one YAML document per file; remove the '---' at line 2"
        );
        assert_eq!(e.span.line, 2);
        assert!(parse("---\na: 1\n...\n").is_ok());
    }

    #[test]
    fn aliases_copy_the_anchored_value() {
        let root = parse("base: &b {x: 1}\nother: *b\n").unwrap();
        assert_eq!(
            root.to_json(),
            serde_json::json!({"base": {"x": 1}, "other": {"x": 1}})
        );
        assert_eq!(at(root.get("other").unwrap()), (2, 8));
        let e = err("a: *nope\n");
        assert_eq!(
            e.message,
            "unknown alias '*nope'; define it first with '&nope'"
        );
        assert_eq!((e.span.line, e.span.col), (1, 4));
    }

    #[test]
    fn alias_bombs_are_stopped() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = err(&text);
        assert_eq!(
            e.message,
            "too many aliases expanded (possible alias bomb); write the values out"
        );
        assert!(e.span.line >= 5, "{e:?}");
    }

    #[test]
    fn aliases_of_long_text_are_bounded_in_bytes() {
        let long = "x".repeat(64 * 1024);
        // 64 aliases of 64 KiB copy exactly 4 MiB: allowed; one more is not.
        let at_limit = format!("a: &a {long}\nb: [{}]\n", vec!["*a"; 64].join(", "));
        assert!(parse(&at_limit).is_ok());
        let past = format!("a: &a {long}\nb: [{}]\n", vec!["*a"; 65].join(", "));
        assert!(err(&past).message.contains("alias bomb"));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let e = err(&"[".repeat(200));
        assert!(e.message.contains("nested more than 100 levels"), "{e:?}");
        let e = err(&"[".repeat(100_000));
        assert!(e.message.contains("nested"), "{e:?}");
        let mut block = String::new();
        for i in 0..150 {
            block.push_str(&format!("{}k:\n", " ".repeat(i)));
        }
        assert!(err(&block).message.contains("nested more than 100 levels"));
        assert!(parse(&format!("{}{}", "[".repeat(99), "]".repeat(99))).is_ok());
        // Aliases cannot smuggle in extra depth.
        let deep = format!(
            "a: &a {}1{}\nb: {}*a{}\n",
            "[".repeat(90),
            "]".repeat(90),
            "[".repeat(20),
            "]".repeat(20)
        );
        assert!(err(&deep).message.contains("nested"));
    }

    #[test]
    fn scanner_errors_are_reworded_and_positioned() {
        let e = err("title: a: b\n");
        assert!(
            e.message.starts_with("mapping values are not allowed here"),
            "{e:?}"
        );
        assert_eq!(e.span.line, 1);
        let e = err("key: [1, 2\n");
        assert!(e.message.contains("']'"), "{e:?}");
        let e = err("a: \"open\n");
        assert_eq!(e.message, "quoted text is missing its closing quote");
        assert_eq!((e.span.line, e.span.col), (1, 4));
        let e = err("a: \"open\nb: 1\n");
        assert!(e
            .message
            .starts_with("quoted text is missing its closing quote"));
        let e = err("a:\n\tb: 1\n");
        assert!(e.message.contains("tabs"), "{e:?}");
        assert_eq!(e.span.line, 2);
    }

    #[test]
    fn bom_and_crlf() {
        let text = "\u{feff}a: 1\r\nb: \"c\"\r\n";
        let root = parse(text).unwrap();
        let b = root.get("b").unwrap();
        assert_eq!(at(b), (2, 4));
        assert_eq!(&text[b.span.start..b.span.end], "\"c\"");
        assert_eq!(at(root.key_node("a").unwrap()), (1, 1));
        assert_eq!(root.key_node("a").unwrap().span.start, 3);
    }

    #[test]
    fn path_display() {
        let path = [
            PathSeg::Key("messages".into()),
            PathSeg::Index(0),
            PathSeg::Key("channel".into()),
        ];
        assert_eq!(path_to_string(&path), "messages[0].channel");
        assert_eq!(path_to_string(&[]), "");
        assert_eq!(path_to_string(&[PathSeg::Index(2)]), "[2]");
    }

    const PLAYBOOK: &str = "\u{feff}id: flood-warning\r
title: \"Flood warning — {{ area }}\"
version: 3
owner: comms@example.org
approved: true
languages: [en, fr]
defaults: &defaults
  tone: calm
  max_length: 280
fields:
  area:
    type: text
    required: yes
    example: 'Lower Town'
  level:
    type: number
    min: 0
    max: 0x10
messages:
  - id: x-post
    channel: x
    <<: *defaults
    body: |
      Flood warning for {{ area }}.
      Move to higher ground now.
  - id: sms
    channel: sms
    settings: *defaults
    body: >-
      Flood warning: {{ area }}.
      Reply STOP to opt out.
  - id: email
    channel: email
    subject: \"Flood \\\"warning\\\" \\u00e9\"
    body: [\"one\", 'two', three]
    extra: {a: 1, b: [2, 3], c: ~}
notes: >
  Reviewed by the duty officer.
  Keep under 280 characters.
# trailing comment
";

    #[test]
    fn realistic_playbook_parses() {
        let root = parse(PLAYBOOK).unwrap();
        let json = root.to_json();
        assert_eq!(json["fields"]["level"]["max"], 16);
        assert_eq!(json["fields"]["area"]["required"], "yes");
        assert_eq!(json["messages"][1]["settings"]["max_length"], 280);
        assert_eq!(json["messages"][2]["subject"], "Flood \"warning\" é");
        let key = root
            .find(&[PathSeg::Key("messages".into()), PathSeg::Index(1)])
            .and_then(|m| m.key_node("settings"))
            .unwrap();
        assert_eq!(at(key), (28, 5));
    }

    #[test]
    fn never_panics_on_prefixes_or_garbage() {
        for (i, _) in PLAYBOOK.char_indices() {
            let _ = parse(&PLAYBOOK[..i]);
        }
        let nasty = [
            "-",
            "- ",
            "?",
            ":",
            "key: [1, 2",
            "'",
            "\"",
            "\"\\",
            "&",
            "*",
            "!",
            "!!",
            "%",
            "%YAML",
            "%TAG",
            "|",
            ">",
            "|-9",
            "a: |0",
            "[",
            "{",
            "]",
            "}",
            "{a",
            "[a:",
            "? [",
            "---\n---",
            "...",
            "\t",
            "a:\n\t- b",
            "\u{0}",
            "\u{feff}\u{feff}",
            "a: \u{feff}",
            "a\r\rb: \r",
            "&a [*a]",
            "&a *a",
            "- &a\n- *a",
            "{? a}",
            "[? a : b]",
            "a: !<x> b",
            "!x!y z",
            "%TAG ! !a\n--- !b c",
            "a: 'x\n\n",
            "- - - - -",
            "? - a\n: - b",
        ];
        for text in nasty {
            let _ = parse(text);
            for (i, _) in text.char_indices() {
                let _ = parse(&text[..i]);
            }
        }
        let long = format!("a: {}\n", "x".repeat(1_000_000));
        assert_eq!(
            parse(&long)
                .unwrap()
                .get("a")
                .unwrap()
                .as_str()
                .map(str::len),
            Some(1_000_000)
        );
        // Deterministic pseudo-random bytes from the YAML alphabet.
        let alphabet: Vec<char> = "ab: -[]{},'\"|>!&*#?\n\t\\%@`~0.\u{e9}\r".chars().collect();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(seed % 40) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            seed = seed.wrapping_add(1);
            let _ = parse(&text);
        }
    }
}
