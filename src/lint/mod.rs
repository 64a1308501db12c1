//! Lint: every check a playbook must pass in calm times, so that it does not
//! fail in a crisis.
//!
//! Each rule lives in its own file under [`rules`], with a stable code and a
//! doc comment that explains why it exists. Lint loads every playbook (one
//! broken file never hides another's findings), compiles every template of
//! every message in every language exactly as render would, runs the rules
//! and returns diagnostics; it never prints.

pub mod fix;
pub mod rule;
pub mod rules;
pub mod worst_case;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use minijinja::Environment;
use std::collections::BTreeMap;

use crate::catalog::{self, Catalog};
use crate::channel::{CatalogConfig, Channels};
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::load::{self, Loaded};
use crate::template::{self, Compiled, Missing, Part, Problem, Source};
use rule::Check;

/// Settings of one lint run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The clock approvals are checked against.
    pub now: DateTime<Utc>,
    /// Approvals expiring within this many days are warned about.
    pub expiring_within_days: i64,
}

/// One message part (body or subject) in one language, as lint prepared it.
pub struct PreparedPart {
    pub index: usize,
    pub lang: String,
    pub part: Part,
    pub source: Result<Source, Missing>,
    /// Present when the source was found: compiled, or the syntax problem.
    pub compiled: Option<Result<Compiled, Problem>>,
}

impl PreparedPart {
    /// The key of `message` that holds this part's words, for pointing at
    /// it: `subject`, `template` or `text`.
    pub fn key(&self, message: &crate::playbook::Message) -> &'static str {
        match (self.part, &message.template) {
            (Part::Subject, _) => "subject",
            (Part::Body, Some(_)) => "template",
            (Part::Body, None) => "text",
        }
    }
}

/// What rules about one playbook see.
pub struct PlaybookContext<'a> {
    pub catalog: &'a Catalog,
    pub channels: &'a Channels,
    pub loaded: &'a Loaded,
    /// The playbook's zone, if it names a valid one (rules about the zone
    /// report it; the others fall back to UTC).
    pub zone: Option<Tz>,
    pub env: &'a Environment<'static>,
    pub parts: &'a [PreparedPart],
    pub options: &'a Options,
}

impl PlaybookContext<'_> {
    /// A diagnostic in a template file, by its path relative to the root.
    pub fn template_diagnostic(
        &self,
        code: &'static str,
        severity: Severity,
        problem: &Problem,
    ) -> Diagnostic {
        let path = match &problem.rel {
            Some(rel) => self.catalog.display_path(rel),
            None => self.loaded.display.clone(),
        };
        Diagnostic::new(code, severity, path, problem.span, problem.message.clone())
    }

    /// The parts that compiled, with their sources.
    pub fn compiled_parts(&self) -> impl Iterator<Item = (&PreparedPart, &Source, &Compiled)> {
        self.parts
            .iter()
            .filter_map(|p| match (&p.source, &p.compiled) {
                (Ok(source), Some(Ok(compiled))) => Some((p, source, compiled)),
                _ => None,
            })
    }
}

/// What rules about the whole catalog see.
pub struct CatalogContext<'a> {
    pub playbooks: &'a [Loaded],
}

/// Everything a lint run found, with the text of the files it read so
/// reports can show the offending lines.
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// File text by displayed path.
    pub sources: BTreeMap<String, String>,
    /// How many playbook files were linted.
    pub files: usize,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Lints the catalog. `only` limits the reported files to those paths
/// (relative to the root) or folders; rules that compare playbooks still see
/// the whole catalog.
pub fn lint(catalog: &Catalog, options: &Options, only: &[String]) -> anyhow::Result<Report> {
    let mut diagnostics = Vec::new();
    let mut sources = BTreeMap::new();
    let channels = load_channels(catalog, &mut diagnostics, &mut sources)?;
    let files = catalog.playbook_files()?;
    let mut playbooks = Vec::new();
    for checked in check_files(catalog, &channels, options, &files) {
        diagnostics.extend(checked.diagnostics);
        sources.extend(checked.sources);
        playbooks.extend(checked.loaded);
    }
    let context = CatalogContext {
        playbooks: &playbooks,
    };
    for rule in rules::ALL {
        if let Check::Catalog(check) = rule.check {
            check(&context, &mut diagnostics);
        }
    }
    if !only.is_empty() {
        let wanted: Vec<String> = only.iter().map(|p| catalog.display_path(p)).collect();
        let templates_of = template_owners(&playbooks, catalog);
        diagnostics.retain(|d| {
            let owner = templates_of.get(&d.path).unwrap_or(&d.path);
            wanted
                .iter()
                .any(|w| covers(w, &d.path) || covers(w, owner))
        });
    }
    diagnostic::sort(&mut diagnostics);
    diagnostics.dedup();
    Ok(Report {
        diagnostics,
        sources,
        files: if only.is_empty() {
            files.len()
        } else {
            files
                .iter()
                .filter(|f| {
                    let shown = catalog.display_path(f);
                    only.iter()
                        .any(|o| covers(&catalog.display_path(o), &shown))
                })
                .count()
        },
    })
}

/// What checking one playbook file produced.
struct Checked {
    loaded: Option<Loaded>,
    diagnostics: Vec<Diagnostic>,
    sources: BTreeMap<String, String>,
}

/// Loads and lints each file, spread over the machine's cores: playbooks are
/// independent, and a catalog of a thousand should lint in well under a
/// second. Results come back in file order, so reports are stable.
fn check_files(
    catalog: &Catalog,
    channels: &Channels,
    options: &Options,
    files: &[String],
) -> Vec<Checked> {
    let check = |rel: &String| {
        let mut checked = Checked {
            loaded: None,
            diagnostics: Vec::new(),
            sources: BTreeMap::new(),
        };
        match load::load_playbook(catalog, rel) {
            Ok(loaded) => {
                checked
                    .sources
                    .insert(loaded.display.clone(), loaded.text.clone());
                lint_playbook(
                    catalog,
                    channels,
                    &loaded,
                    options,
                    &mut checked.diagnostics,
                    &mut checked.sources,
                );
                checked.loaded = Some(loaded);
            }
            Err(diagnostic) => {
                if let Ok(Some(text)) = catalog.read(rel) {
                    checked.sources.insert(diagnostic.path.clone(), text);
                }
                checked.diagnostics.push(diagnostic);
            }
        }
        checked
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().max(1));
    if threads <= 1 {
        return files.iter().map(check).collect();
    }
    let chunk = files.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(check).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Whether the path or folder `wanted` covers the file `path`.
fn covers(wanted: &str, path: &str) -> bool {
    let wanted = wanted.trim_end_matches('/');
    path == wanted || path.starts_with(&format!("{wanted}/")) || wanted.is_empty()
}

/// Displayed template path -> displayed path of a playbook using it, so a
/// lint of one playbook also reports on its templates.
fn template_owners(playbooks: &[Loaded], catalog: &Catalog) -> BTreeMap<String, String> {
    let mut owners = BTreeMap::new();
    for loaded in playbooks {
        for message in &loaded.playbook.messages {
            for lang in message.languages(&loaded.playbook) {
                if let Some(name) = message.template_for(lang) {
                    owners
                        .entry(catalog.display_path(&format!("templates/{name}")))
                        .or_insert_with(|| loaded.display.clone());
                }
            }
        }
    }
    owners
}

/// Reads the catalog's channel configuration, reporting its problems like a
/// playbook's; a broken config falls back to the built-in channels.
pub fn load_channels(
    catalog: &Catalog,
    diagnostics: &mut Vec<Diagnostic>,
    sources: &mut BTreeMap<String, String>,
) -> anyhow::Result<Channels> {
    let text = match catalog.read(catalog::CONFIG_FILE)? {
        Some(text) => text,
        None => return Ok(Channels::builtin()),
    };
    let display = catalog.display_path(catalog::CONFIG_FILE);
    sources.insert(display.clone(), text.clone());
    let (tree, config) = match load::parse_model::<CatalogConfig>(&text, &display) {
        Ok(parsed) => parsed,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return Ok(Channels::builtin());
        }
    };
    match Channels::with_config(&config) {
        Ok(channels) => Ok(channels),
        Err(problems) => {
            for problem in problems.0 {
                let mut path = vec![
                    crate::yaml::PathSeg::Key("channels".into()),
                    crate::yaml::PathSeg::Key(problem.channel.clone()),
                ];
                path.extend(problem.field.map(|f| crate::yaml::PathSeg::Key(f.into())));
                diagnostics.push(Diagnostic::new(
                    rules::channel_config::RULE.code,
                    Severity::Error,
                    display.clone(),
                    load::span_in(&tree, &path),
                    format!("channel '{}': {}", problem.channel, problem.message),
                ));
            }
            Ok(Channels::builtin())
        }
    }
}

/// Compiles every part of every message of a playbook in `env`.
pub fn prepare(
    catalog: &Catalog,
    loaded: &Loaded,
    env: &mut Environment<'static>,
) -> Vec<PreparedPart> {
    let playbook = &loaded.playbook;
    let mut parts = Vec::new();
    for (index, message) in playbook.messages.iter().enumerate() {
        for lang in message.languages(playbook) {
            for part in [Part::Body, Part::Subject] {
                let source = match template::source(catalog, loaded, index, message, part, lang) {
                    Ok(Some(source)) => Ok(source),
                    Ok(None) => continue,
                    Err(missing) => Err(missing),
                };
                let compiled = source.as_ref().ok().map(|s| template::compile(env, s));
                parts.push(PreparedPart {
                    index,
                    lang: lang.clone(),
                    part,
                    source,
                    compiled,
                });
            }
        }
    }
    parts
}

fn lint_playbook(
    catalog: &Catalog,
    channels: &Channels,
    loaded: &Loaded,
    options: &Options,
    diagnostics: &mut Vec<Diagnostic>,
    sources: &mut BTreeMap<String, String>,
) {
    let zone = crate::event::zone(&loaded.playbook).ok();
    let mut env = template::environment(catalog, zone.unwrap_or(Tz::UTC));
    let parts = prepare(catalog, loaded, &mut env);
    for part in &parts {
        if let Ok(Source {
            text,
            origin: template::Origin::File { rel },
            ..
        }) = &part.source
        {
            sources.insert(catalog.display_path(rel), text.clone());
        }
    }
    let context = PlaybookContext {
        catalog,
        channels,
        loaded,
        zone,
        env: &env,
        parts: &parts,
        options,
    };
    for rule in rules::ALL {
        if let Check::Playbook(check) = rule.check {
            check(&context, diagnostics);
        }
    }
}
