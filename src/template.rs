//! Message templates: where each message's words come from, and the
//! minijinja environment that fills them in.
//!
//! A message's text is a template file under `templates/` (one per language,
//! `{lang}` in its path) or inline text in the playbook. Both are compiled
//! the same way, so lint sees exactly what render will run. Templates are
//! plain text: nothing is HTML-escaped, and values are inserted as data, never
//! evaluated.

use chrono::format::StrftimeItems;
use chrono_tz::Tz;
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior, Value};
use std::collections::BTreeSet;

use crate::catalog::Catalog;
use crate::load::Loaded;
use crate::playbook::Message;
use crate::span::Span;
use crate::yaml::PathSeg;

/// Names every template may use besides the playbook's fields.
pub const BUILTIN_VARIABLES: [&str; 2] = ["started_at", "lang"];

/// Functions minijinja provides, which undeclared-variable checks skip.
const BUILTIN_FUNCTIONS: [&str; 5] = ["range", "dict", "namespace", "debug", "loop"];

/// Template execution budget: far above any real message, low enough that a
/// runaway loop fails in milliseconds instead of hanging the person on duty.
const FUEL: u64 = 200_000;

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
    /// The file exists but cannot be read as text.
    Unreadable { rel: String, reason: String },
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
    let rel = format!("templates/{name}");
    match catalog.read(&rel) {
        Ok(Some(text)) => Ok(Source {
            name,
            text,
            origin: Origin::File { rel },
        }),
        Ok(None) => Err(Missing::File { rel }),
        Err(err) => Err(Missing::Unreadable {
            rel,
            reason: format!("{err:#}"),
        }),
    }
}

/// The environment templates run in: strict about undefined names (a typo
/// must fail, not post "Call  now"), no escaping, a `datetime` filter in the
/// event's zone, includes resolved under the catalog's `templates/`.
pub fn environment(catalog: &Catalog, zone: Tz) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_fuel(Some(FUEL));
    let loader_catalog = catalog.clone();
    env.set_loader(move |name| {
        loader_catalog
            .read(&format!("templates/{name}"))
            .map_err(|err| Error::new(ErrorKind::TemplateNotFound, format!("{err:#}")))
    });
    env.add_filter("datetime", move |value: Value, format: Option<String>| {
        format_datetime(&value, format.as_deref(), zone)
    });
    env
}

/// `{{ started_at | datetime("%H:%M") }}`: formats an RFC 3339 value in the
/// event's zone. Invalid format codes are an error, not a panic.
fn format_datetime(value: &Value, format: Option<&str>, zone: Tz) -> Result<String, Error> {
    let text = value.as_str().ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            "datetime expects a date and time such as started_at",
        )
    })?;
    let at = chrono::DateTime::parse_from_rfc3339(text).map_err(|_| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("datetime expects an RFC 3339 date and time, not '{text}'"),
        )
    })?;
    let format = format.unwrap_or("%Y-%m-%d %H:%M %Z");
    let items = StrftimeItems::new(format).parse().map_err(|_| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("'{format}' is not a valid date format; use strftime codes such as %H:%M"),
        )
    })?;
    Ok(at
        .with_timezone(&zone)
        .format_with_items(items.iter())
        .to_string())
}

/// A template compiled into `env`, with the names it reads.
pub struct Compiled {
    pub variables: BTreeSet<String>,
}

/// A template problem at a place in a file.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Path relative to the catalog root of the file to point at.
    pub rel: Option<String>,
    pub span: Span,
    pub message: String,
}

/// Adds `source` to `env` and lists the variables it reads.
pub fn compile(env: &mut Environment<'static>, source: &Source) -> Result<Compiled, Problem> {
    env.add_template_owned(source.name.clone(), source.text.clone())
        .map_err(|err| problem(source, &err))?;
    let template = env
        .get_template(&source.name)
        .map_err(|err| problem(source, &err))?;
    let variables = template
        .undeclared_variables(false)
        .into_iter()
        .filter(|name| !BUILTIN_FUNCTIONS.contains(&name.as_str()))
        .collect();
    Ok(Compiled { variables })
}

/// Renders a compiled template. Trailing whitespace is trimmed: templates end
/// with a newline, posts do not.
pub fn render(
    env: &Environment<'static>,
    source: &Source,
    context: &Value,
) -> Result<String, Problem> {
    let template = env
        .get_template(&source.name)
        .map_err(|err| problem(source, &err))?;
    let text = template
        .render(context)
        .map_err(|err| problem(source, &err))?;
    Ok(text.trim_end().to_owned())
}

/// Places a minijinja error at its line (and column, when known) in the file
/// the author edits, and says it in a sentence.
pub fn problem(source: &Source, err: &Error) -> Problem {
    let detail = err
        .detail()
        .map_or_else(|| err.kind().to_string(), str::to_owned);
    let line = err.line().unwrap_or(1);
    let col = err
        .range()
        .and_then(|range| {
            let upto = source.text.get(..range.start)?;
            let line_start = upto.rfind('\n').map_or(0, |i| i + 1);
            Some(upto.get(line_start..)?.chars().count() + 1)
        })
        .unwrap_or(1);
    let message = match err.kind() {
        ErrorKind::SyntaxError => format!("template syntax error: {detail}"),
        ErrorKind::UndefinedError => format!("template uses an undefined value: {detail}"),
        ErrorKind::TemplateNotFound => format!("included template not found: {detail}"),
        ErrorKind::OutOfFuel => {
            "template ran too long (a loop that does not end?); simplify it".to_owned()
        }
        _ => format!("template error: {detail}"),
    };
    match &source.origin {
        Origin::File { rel } => Problem {
            rel: Some(rel.clone()),
            span: Span {
                line,
                col,
                start: 0,
                end: 0,
            },
            message,
        },
        Origin::Inline { .. } => {
            let (_, mut at) = source.locate(0);
            at.line += line - 1;
            Problem {
                rel: None,
                span: at,
                message,
            }
        }
    }
}
