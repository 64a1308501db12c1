//! Message templates: where each message's words come from, and the
//! minijinja environment that fills them in.
//!
//! A message's text is a template file under `templates/` (one per language,
//! `{lang}` in its path) or inline text in the playbook. Both are compiled
//! the same way, so lint sees exactly what render will run. Templates are
//! plain text: nothing is HTML-escaped, and values are inserted as data, never
//! evaluated.

pub mod filters;
pub mod policy;

use chrono_tz::Tz;
use indexmap::IndexMap;
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior, Value};
use std::collections::{BTreeMap, BTreeSet};

use crate::catalog::{Catalog, CatalogPath};
use crate::limits;
use crate::load::Loaded;
use crate::playbook::Message;
use crate::span::Span;
use crate::yaml::PathSeg;

/// Names every template may use besides the playbook's fields.
pub const BUILTIN_VARIABLES: [&str; 2] = ["started_at", "lang"];

/// Which part of a message a template produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Body,
    Subject,
}

/// Where a template's text lives, for pointing at its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file, by its path relative to the catalog root.
    File { rel: String },
    /// Inline text in the playbook; `span` is the YAML value's position,
    /// `first_line` and `first_col` where the template's first character
    /// stands in the file, and `indent` the column where later lines start
    /// (block scalars).
    Inline {
        span: Span,
        first_line: usize,
        first_col: usize,
        indent: usize,
    },
}

/// One template of one message in one language.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name minijinja knows it by.
    pub name: String,
    pub text: String,
    pub origin: Origin,
}

impl Source {
    /// The file (relative to the catalog root; `None` for the playbook
    /// itself) and position of a byte offset of this template's text.
    pub fn locate(&self, offset: usize) -> (Option<String>, Span) {
        let at = Span::at_offset(&self.text, offset);
        match &self.origin {
            Origin::File { rel } => (Some(rel.clone()), at),
            Origin::Inline {
                span,
                first_line,
                first_col,
                indent,
            } => (
                None,
                Span {
                    line: first_line + at.line - 1,
                    col: if at.line == 1 {
                        first_col + at.col - 1
                    } else {
                        indent + at.col - 1
                    },
                    ..*span
                },
            ),
        }
    }
}

/// Why a message has no template for a language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// The message names a template file that does not exist.
    File { rel: String },
    /// Inline text has no entry for the language.
    Language,
    /// Neither `template` nor `text` is given (or both are).
    NoSource,
    /// The file exists but cannot be read as text (or resolves outside
    /// `templates/`).
    Unreadable { rel: String, reason: String },
    /// The `template:` path cannot name a file in the catalog (`..`, an
    /// absolute path, ...).
    BadPath { name: String, reason: String },
}

/// The template source for a message part in one language.
pub fn source(
    catalog: &Catalog,
    loaded: &Loaded,
    index: usize,
    message: &Message,
    part: Part,
    lang: &str,
) -> Result<Option<Source>, Missing> {
    let (inline, key) = match part {
        Part::Subject => match &message.subject {
            Some(subject) => (subject, "subject"),
            None => return Ok(None),
        },
        Part::Body => match (&message.template, &message.text) {
            (Some(_), None) => return file_source(catalog, message, lang).map(Some),
            (None, Some(text)) => (text, "text"),
            _ => return Err(Missing::NoSource),
        },
    };
    let text = inline.get(lang).ok_or(Missing::Language)?;
    let path = [
        PathSeg::Key("messages".into()),
        PathSeg::Index(index),
        PathSeg::Key(key.into()),
        PathSeg::Key(lang.into()),
    ];
    let value = loaded.tree.find(&path);
    let span = value.map_or_else(|| loaded.span(&path), |node| node.span);
    let style = match value.map(|n| &n.value) {
        Some(crate::yaml::Value::Scalar(s)) => Some(s.style),
        _ => None,
    };
    // A block scalar (`|`, `>`) starts on the line after its indicator,
    // indented; a quoted one just after its quote.
    let (first_line, first_col, indent) = match style {
        Some(crate::yaml::ScalarStyle::Block) => {
            let indent = crate::span::line_text(&loaded.text, span.line + 1)
                .map_or(1, |l| l.len() - l.trim_start_matches(' ').len() + 1);
            (span.line + 1, indent, indent)
        }
        Some(crate::yaml::ScalarStyle::Quoted) => (span.line, span.col + 1, 1),
        _ => (span.line, span.col, 1),
    };
    Ok(Some(Source {
        name: format!("{}#{}.{key}.{lang}", loaded.rel, message.id),
        text: text.clone(),
        origin: Origin::Inline {
            span,
            first_line,
            first_col,
            indent,
        },
    }))
}

fn file_source(catalog: &Catalog, message: &Message, lang: &str) -> Result<Source, Missing> {
    let name = message.template_for(lang).unwrap_or_default();
    let path = CatalogPath::template(&name).map_err(|problem| Missing::BadPath {
        name: name.clone(),
        reason: problem.reason.to_owned(),
    })?;
    match read_template(catalog, &path) {
        Ok(Some(text)) => Ok(Source {
            name,
            text,
            origin: Origin::File {
                rel: path.as_str().to_owned(),
            },
        }),
        Ok(None) => Err(Missing::File {
            rel: path.as_str().to_owned(),
        }),
        Err(err) => Err(Missing::Unreadable {
            rel: path.as_str().to_owned(),
            reason: err.reason,
        }),
    }
}

/// Reads a template file as the engine sees it: line endings normalised,
/// a leading byte order mark dropped. The approval digest reads templates
/// through this too, so a Windows checkout digests and renders the same.
pub fn read_template(
    catalog: &Catalog,
    path: &CatalogPath,
) -> Result<Option<String>, crate::catalog::ReadError> {
    Ok(catalog.read(path)?.map(|text| normalize_text(&text)))
}

/// `\r\n` and lone `\r` become `\n`; a leading BOM is dropped.
pub fn normalize_text(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains('\r') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The environment templates run in: strict about undefined names (a typo
/// must fail, not post "Call  now"), no escaping, an absent optional field
/// printed as nothing (never "none"), fuel against runaway loops, and no
/// loader: every template a message can reach was named literally, checked
/// and added beforehand by [`prepare`], so nothing else can be loaded.
pub fn environment(zone: Tz) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_fuel(Some(limits::TEMPLATE_FUEL));
    env.set_formatter(|out, state, value| {
        if value.is_none() {
            Ok(())
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    filters::add(&mut env, zone);
    env
}

/// A message part whose template and everything it pulls in checked out.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// Variables read by the template or any it includes or extends, each
    /// with the template and position of its first use.
    pub variables: BTreeMap<String, (String, Span)>,
    /// The templates this part can load, itself first.
    pub templates: Vec<String>,
    /// What each `datetime` filter is applied to (a variable, or `None`),
    /// with the template and position of the filter.
    pub datetime_inputs: Vec<(Option<String>, String, Span)>,
    /// Whether a filter that changes letter case is used.
    pub changes_case: bool,
    /// What each comparison or test looks at, with the template and
    /// position (see [`policy::Inspection::compared`]).
    pub compared: Vec<(Option<String>, String, Span)>,
    /// The names loops bind, with the template and position of the loop.
    pub loop_targets: Vec<(String, String, Span)>,
}

/// A template problem at a place in a file.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Path relative to the catalog root of the file to point at.
    pub rel: Option<String>,
    pub span: Span,
    pub message: String,
    /// A syntax error, as opposed to something the policy refuses or a
    /// failure while rendering.
    pub syntax: bool,
}

/// One message part (body or subject) in one language, prepared.
#[derive(Debug, Clone)]
pub struct PreparedPart {
    pub index: usize,
    pub lang: String,
    pub part: Part,
    pub source: Result<Source, Missing>,
    /// Present when the source was found: compiled, or its problems (in it
    /// or in a template it pulls in).
    pub compiled: Option<Result<Compiled, Vec<Problem>>>,
}

impl PreparedPart {
    /// The key of `message` that holds this part's words, for pointing at
    /// it: `subject`, `template` or `text`.
    pub fn key(&self, message: &Message) -> &'static str {
        match (self.part, &message.template) {
            (Part::Subject, _) => "subject",
            (Part::Body, Some(_)) => "template",
            (Part::Body, None) => "text",
        }
    }
}

/// Every template of a playbook, checked and compiled into one environment.
pub struct Prepared {
    pub env: Environment<'static>,
    pub parts: Vec<PreparedPart>,
    /// Every template source loaded, by name: message templates and what
    /// they include or extend.
    pub sources: BTreeMap<String, Source>,
}

impl Prepared {
    /// The parts that compiled, with their sources.
    pub fn compiled_parts(&self) -> impl Iterator<Item = (&PreparedPart, &Source, &Compiled)> {
        self.parts
            .iter()
            .filter_map(|p| match (&p.source, &p.compiled) {
                (Ok(source), Some(Ok(compiled))) => Some((p, source, compiled)),
                _ => None,
            })
    }

    /// The part of message `index` in `lang`, if the message has it.
    pub fn part(&self, index: usize, lang: &str, which: Part) -> Option<&PreparedPart> {
        self.parts
            .iter()
            .find(|p| p.index == index && p.lang == lang && p.part == which)
    }

    /// Renders a compiled part with `context`. Trailing whitespace is
    /// trimmed (templates end with a newline, posts do not); the text may
    /// be at most [`limits::MAX_RENDERED_BYTES`].
    pub fn render(&self, source: &Source, context: &Value) -> Result<String, Problem> {
        let template = self
            .env
            .get_template(&source.name)
            .map_err(|err| self.problem(source, &err))?;
        let mut out = Capped::default();
        if let Err(err) = template.render_captured_to(context, &mut out) {
            if out.over {
                return Err(Problem {
                    rel: None,
                    span: Span::FILE,
                    message: format!(
                        "the template produced more than {} bytes; a message is never that long (a loop over a long value?)",
                        limits::MAX_RENDERED_BYTES
                    ),
                    syntax: false,
                }
                .placed_at(source));
            }
            return Err(self.problem(source, &err));
        }
        let text = String::from_utf8(out.bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Ok(text.trim_end().to_owned())
    }

    /// Places a minijinja error in the template it happened in (an
    /// included file, perhaps) and says it in a sentence.
    pub fn problem(&self, source: &Source, err: &Error) -> Problem {
        let at = err
            .name()
            .and_then(|name| self.sources.get(name))
            .unwrap_or(source);
        problem(at, err)
    }
}

/// Collects rendered bytes, refusing past the cap.
#[derive(Default)]
struct Capped {
    bytes: Vec<u8>,
    over: bool,
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > limits::MAX_RENDERED_BYTES {
            self.over = true;
            return Err(std::io::Error::other("rendered text too long"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Problem {
    /// The same problem pointed at the start of `source`.
    fn placed_at(mut self, source: &Source) -> Problem {
        let (rel, span) = source.locate(0);
        self.rel = rel;
        self.span = span;
        self
    }
}

/// Finds, checks and compiles every part of every message of a playbook.
pub fn prepare(catalog: &Catalog, loaded: &Loaded, zone: Tz) -> Prepared {
    let playbook = &loaded.playbook;
    let mut prepared = Prepared {
        env: environment(zone),
        parts: Vec::new(),
        sources: BTreeMap::new(),
    };
    // Each template file is read and checked once, however many messages
    // use it.
    let mut checked: BTreeMap<String, Result<policy::Inspection, Vec<Problem>>> = BTreeMap::new();
    for (index, message) in playbook.messages.iter().enumerate() {
        for lang in message.languages(playbook) {
            for part in [Part::Body, Part::Subject] {
                let source = match source(catalog, loaded, index, message, part, lang) {
                    Ok(Some(source)) => Ok(source),
                    Ok(None) => continue,
                    Err(missing) => Err(missing),
                };
                let compiled = source
                    .as_ref()
                    .ok()
                    .map(|s| compile(catalog, &mut prepared, &mut checked, s));
                prepared.parts.push(PreparedPart {
                    index,
                    lang: lang.clone(),
                    part,
                    source,
                    compiled,
                });
            }
        }
    }
    prepared
}

/// Checks `root` and every template it reaches, adds them to the
/// environment, and gathers what they read.
fn compile(
    catalog: &Catalog,
    prepared: &mut Prepared,
    checked: &mut BTreeMap<String, Result<policy::Inspection, Vec<Problem>>>,
    root: &Source,
) -> Result<Compiled, Vec<Problem>> {
    let mut compiled = Compiled {
        variables: BTreeMap::new(),
        templates: Vec::new(),
        datetime_inputs: Vec::new(),
        changes_case: false,
        compared: Vec::new(),
        loop_targets: Vec::new(),
    };
    let mut problems = Vec::new();
    // Depth-first, so a template that reaches itself is a cycle.
    let mut stack: Vec<(Source, usize)> = vec![(root.clone(), 0)];
    let mut path: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    while let Some((source, depth)) = stack.pop() {
        path.truncate(depth);
        path.push(source.name.clone());
        if !seen.insert(source.name.clone()) {
            continue;
        }
        compiled.templates.push(source.name.clone());
        if compiled.templates.len() > limits::MAX_TEMPLATES_PER_MESSAGE {
            problems.push(
                Problem {
                    rel: None,
                    span: Span::FILE,
                    message: format!(
                        "the message pulls in more than {} templates; simplify it",
                        limits::MAX_TEMPLATES_PER_MESSAGE
                    ),
                    syntax: false,
                }
                .placed_at(root),
            );
            break;
        }
        let first_time = !checked.contains_key(&source.name);
        let inspection = checked
            .entry(source.name.clone())
            .or_insert_with(|| inspect(&source))
            .clone();
        prepared
            .sources
            .entry(source.name.clone())
            .or_insert_with(|| source.clone());
        let inspection = match inspection {
            Ok(inspection) => inspection,
            Err(found) => {
                problems.extend(found);
                continue;
            }
        };
        if first_time {
            if let Err(err) = prepared
                .env
                .add_template_owned(source.name.clone(), source.text.clone())
            {
                problems.push(problem(&source, &err));
                continue;
            }
        }
        compiled.changes_case |= inspection.changes_case;
        for (subject, span) in &inspection.compared {
            compiled
                .compared
                .push((subject.clone(), source.name.clone(), *span));
        }
        for (name, span) in &inspection.loop_targets {
            compiled
                .loop_targets
                .push((name.clone(), source.name.clone(), *span));
        }
        for (input, span) in &inspection.datetime_inputs {
            compiled
                .datetime_inputs
                .push((input.clone(), source.name.clone(), *span));
        }
        for (name, span) in &inspection.variables {
            compiled
                .variables
                .entry(name.clone())
                .or_insert_with(|| (source.name.clone(), *span));
        }
        for reference in inspection.references.iter().rev() {
            let here = |message: String| {
                let (rel, span) = locate_span(&source, reference.span);
                Problem {
                    rel,
                    span,
                    message,
                    syntax: false,
                }
            };
            if path.contains(&reference.name) {
                problems.push(here(format!(
                    "'{}' pulls itself in again ({} -> {}); remove the cycle",
                    reference.name,
                    path.join(" -> "),
                    reference.name
                )));
                continue;
            }
            let file = match CatalogPath::template(&reference.name) {
                Ok(file) => file,
                Err(err) => {
                    problems.push(here(format!("{err}")));
                    continue;
                }
            };
            match read_template(catalog, &file) {
                Ok(Some(text)) => stack.push((
                    Source {
                        name: reference.name.clone(),
                        text,
                        origin: Origin::File {
                            rel: file.as_str().to_owned(),
                        },
                    },
                    depth + 1,
                )),
                Ok(None) if reference.optional => {}
                Ok(None) => problems.push(here(format!(
                    "included template not found: {} does not exist",
                    catalog.display_path(file.as_str())
                ))),
                Err(err) => problems.push(here(err.reason)),
            }
        }
    }
    if problems.is_empty() {
        Ok(compiled)
    } else {
        Err(problems)
    }
}

/// Checks one template against the policy, placing what it finds.
fn inspect(source: &Source) -> Result<policy::Inspection, Vec<Problem>> {
    // Message text may span lines, but an escape sequence or a direction
    // override in approved words would drive a terminal or hide what is
    // posted.
    if let Some((offset, c)) = source
        .text
        .char_indices()
        .find(|&(_, c)| crate::text::is_unsafe_in_block(c))
    {
        let (rel, span) = source.locate(offset);
        return Err(vec![Problem {
            rel,
            span,
            message: format!(
                "the template contains the invisible character U+{:04X}; remove it",
                c as u32
            ),
            syntax: false,
        }]);
    }
    policy::inspect(&source.name, &source.text).map_err(|violations| {
        violations
            .into_iter()
            .map(|v| {
                let (rel, span) = locate_span(source, v.span);
                Problem {
                    rel,
                    span,
                    message: v.message,
                    syntax: v.syntax,
                }
            })
            .collect()
    })
}

/// A span in a template's text as a place in the file the author edits.
pub fn locate_span(source: &Source, span: Span) -> (Option<String>, Span) {
    let (rel, mut at) = source.locate(span.start);
    if let Origin::File { .. } = source.origin {
        at.end = span.end;
    } else {
        at.end = at.start + (span.end - span.start);
    }
    (rel, at)
}

/// The template context: every field by name (an optional field not given
/// is the empty text, so it prints as nothing however it is used: with
/// `~`, a filter, in a list; and `{% if field %}` is false), `started_at`
/// as RFC 3339 text, and `lang`. Values are inserted as data; minijinja
/// never evaluates them.
pub fn context(values: &IndexMap<String, Option<String>>, started_at: &str, lang: &str) -> Value {
    let mut map: BTreeMap<String, Value> = values
        .iter()
        .map(|(name, value)| {
            (
                name.clone(),
                Value::from(value.as_deref().unwrap_or_default()),
            )
        })
        .collect();
    map.insert("started_at".to_owned(), Value::from(started_at));
    map.insert("lang".to_owned(), Value::from(lang));
    Value::from(map)
}

/// Places a minijinja error at its line (and column, when known) in the file
/// the author edits, and says it in a sentence.
fn problem(source: &Source, err: &Error) -> Problem {
    let detail = err
        .detail()
        .map_or_else(|| err.kind().to_string(), str::to_owned);
    let at = match err.range() {
        Some(range) if range.start <= source.text.len() => {
            let mut at = Span::at_offset(&source.text, range.start);
            at.end = range.end.min(source.text.len()).max(at.start);
            at
        }
        _ => policy::line_start(&source.text, err.line().unwrap_or(1)),
    };
    let message = match err.kind() {
        ErrorKind::SyntaxError => format!("template syntax error: {detail}"),
        ErrorKind::UndefinedError => format!("template uses an undefined value: {detail}"),
        ErrorKind::TemplateNotFound => format!("included template not found: {detail}"),
        ErrorKind::OutOfFuel => {
            "template ran too long (a loop that does not end?); simplify it".to_owned()
        }
        _ => format!("template error: {detail}"),
    };
    let (rel, span) = locate_span(source, at);
    Problem {
        rel,
        span,
        message,
        syntax: err.kind() == ErrorKind::SyntaxError,
    }
}
