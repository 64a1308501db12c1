//! Lint: every check a playbook must pass in calm times, so that it does not
//! fail in a crisis.
//!
//! Each rule lives in its own file under [`rules`], with a stable code and a
//! doc comment that explains why it exists. Lint loads every playbook (one
//! broken file never hides another's findings), compiles every template of
//! every message in every language exactly as render would, runs the rules
//! and returns diagnostics; it never prints.

pub mod baseline;
pub mod elements;
pub mod fix;
pub mod renders;
pub mod rule;
pub mod rules;
pub mod worst_case;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;

use crate::approval::{Assessment, RoleState, SignatureProblem, Trust};
use crate::catalog::{Catalog, CatalogPath};
use crate::channel::Channels;
use crate::diagnostic::{self, Diagnostic};
use crate::load::{self, LoadError, LoadErrorKind, Loaded, Unloaded};
use crate::settings::Settings;
use crate::span::Span;
use crate::template::{Compiled, Prepared, PreparedPart, Problem, Source};
use rule::Check;

/// Settings of one lint run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The clock approvals are checked against.
    pub now: DateTime<Utc>,
    /// Approvals expiring within this many days are warned about.
    pub expiring_within_days: i64,
}

/// What rules about one playbook see.
pub struct PlaybookContext<'a> {
    pub catalog: &'a Catalog,
    pub channels: &'a Channels,
    pub settings: &'a Settings,
    pub loaded: &'a Loaded,
    /// The playbook's zone, if it names a valid one (rules about the zone
    /// report it; the others fall back to UTC).
    pub zone: Option<Tz>,
    pub prepared: &'a Prepared,
    /// Every part rendered in every scenario, once.
    pub renders: &'a [renders::Rendered],
    /// The approval state, decided once for every rule that reads it.
    pub assessment: &'a Assessment,
    pub options: &'a Options,
}

impl PlaybookContext<'_> {
    /// A finding of `rule` in the playbook file.
    pub fn finding(&self, rule: &rule::Rule, span: Span, message: impl Into<String>) -> Diagnostic {
        rule.at(self.loaded.display.clone(), span, message)
    }

    /// A finding of `rule` about a template problem, in the file it is in.
    pub fn template_finding(&self, rule: &rule::Rule, problem: &Problem) -> Diagnostic {
        let path = match &problem.rel {
            Some(rel) => self.catalog.display_path(rel),
            None => self.loaded.display.clone(),
        };
        rule.at(path, problem.span, problem.message.clone())
    }

    /// Each approval record whose signature does not prove it: the
    /// assessed record, its index in `approvals` and its problem.
    pub fn unproven(
        &self,
    ) -> impl Iterator<
        Item = (
            &crate::approval::assess::RoleApproval,
            usize,
            &SignatureProblem,
        ),
    > {
        self.assessment
            .records()
            .filter_map(|assessed| match (&assessed.state, &assessed.record) {
                (RoleState::Unverified { problem }, Some((index, _))) => {
                    Some((assessed, *index, problem))
                }
                _ => None,
            })
    }

    /// One finding of `rule` at `key` of each approval record whose
    /// signature problem `matches`, saying what is wrong and who must sign
    /// again: the shared shape of the signature rules.
    pub fn unproven_findings(
        &self,
        rule: &'static rule::Rule,
        key: &str,
        matches: fn(&SignatureProblem) -> bool,
        out: &mut Vec<Diagnostic>,
    ) {
        for (assessed, index, problem) in self.unproven().filter(|(_, _, p)| matches(p)) {
            let signer = assessed
                .signature
                .as_ref()
                .map_or("its approver", |s| s.signer.as_str());
            out.push(self.finding(
                rule,
                self.approval_key_span(index, key),
                format!(
                    "the {} approval: {}; {}",
                    assessed.role,
                    problem.describe(&assessed.role, Some(signer)),
                    crate::approval::signature::sign_again(
                        &self.loaded.playbook.id,
                        &assessed.role,
                        signer
                    )
                ),
            ));
        }
    }

    /// The span of `key` in approval record `index` (the record itself
    /// when it has no such key).
    pub fn approval_key_span(&self, index: usize, key: &str) -> Span {
        self.loaded.span(&[
            crate::yaml::PathSeg::Key("approvals".into()),
            crate::yaml::PathSeg::Index(index),
            crate::yaml::PathSeg::Key(key.into()),
        ])
    }

    /// Every message part in every language.
    pub fn parts(&self) -> &[PreparedPart] {
        &self.prepared.parts
    }

    /// The parts that compiled, with their sources.
    pub fn compiled_parts(&self) -> impl Iterator<Item = (&PreparedPart, &Source, &Compiled)> {
        self.prepared.compiled_parts()
    }
}

/// A playbook as cross-file rules see it: what they compare, and no more,
/// so lint keeps one playbook in memory at a time.
pub struct Summary {
    pub rel: CatalogPath,
    pub id: String,
    pub display: String,
    pub id_span: Span,
}

/// What rules about the whole catalog see.
pub struct CatalogContext<'a> {
    pub playbooks: &'a [Summary],
}

/// Everything a lint run found, with the text of the files it has
/// findings in, so reports can show the offending lines.
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// File text by displayed path, for files with findings.
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

/// The rule that reports each kind of load error.
pub fn load_rule(kind: LoadErrorKind) -> &'static rule::Rule {
    match kind {
        LoadErrorKind::Unreadable => &rules::unreadable::RULE,
        LoadErrorKind::Syntax => &rules::yaml_syntax::RULE,
        LoadErrorKind::UnknownKey => &rules::unknown_key::RULE,
        LoadErrorKind::MissingKey => &rules::missing_key::RULE,
        LoadErrorKind::InvalidValue => &rules::invalid_value::RULE,
    }
}

/// A load error as a finding of its rule.
pub fn load_diagnostic(error: &LoadError) -> Diagnostic {
    load_rule(error.kind).at(error.path.clone(), error.span, error.message.clone())
}

/// The catalog's settings as lint and render use them, with every finding
/// in `crisis.yaml` and in the files it names.
pub struct CatalogSettings {
    pub settings: Settings,
    pub channels: Channels,
    /// Whose approval signatures count.
    pub trust: Trust,
    pub diagnostics: Vec<Diagnostic>,
    /// The text of each file with findings, by displayed path.
    pub sources: BTreeMap<String, String>,
}

/// The catalog's settings, channels and signers, with the findings in
/// `crisis.yaml` and in the signers files; a broken `crisis.yaml` falls
/// back to the built-in channels and no policy.
pub fn settings(catalog: &Catalog) -> CatalogSettings {
    let loaded = load::load_settings(catalog);
    let mut diagnostics: Vec<Diagnostic> = loaded.errors.iter().map(load_diagnostic).collect();
    for (span, message) in &loaded.channel_problems {
        diagnostics.push(rules::channel_config::RULE.at(
            loaded.display.clone(),
            *span,
            message.clone(),
        ));
    }
    if let Some(tree) = &loaded.tree {
        for (path, message) in crate::approval::policy_problems(&loaded.settings) {
            diagnostics.push(rules::approval_policy::RULE.at(
                loaded.display.clone(),
                load::span_in(tree, &path),
                message,
            ));
        }
    }
    let mut sources = BTreeMap::new();
    if !diagnostics.is_empty() {
        sources.extend(loaded.text.map(|text| (loaded.display.clone(), text)));
    }
    let trust = Trust::load(catalog, &loaded.settings);
    for file in &trust.files {
        for problem in &file.problems {
            diagnostics.push(rules::approval_signers::RULE.at(
                file.display.clone(),
                problem.span,
                problem.message.clone(),
            ));
        }
        // The lines of a signers file are never shown: `crisis.yaml` could
        // name any file in the catalog folder, and a report must not print
        // one that holds a secret.
    }
    CatalogSettings {
        settings: loaded.settings,
        channels: loaded.channels,
        trust,
        diagnostics,
        sources,
    }
}

/// Lints the catalog. `only` limits the reported files to those paths
/// (relative to the root) or folders; rules that compare playbooks still see
/// the whole catalog.
pub fn lint(catalog: &Catalog, options: &Options, only: &[String]) -> anyhow::Result<Report> {
    let mut diagnostics = Vec::new();
    let mut sources = BTreeMap::new();
    let CatalogSettings {
        settings,
        channels,
        trust,
        diagnostics: found,
        sources: found_in,
    } = settings(catalog);
    sources.extend(found_in);
    diagnostics.extend(found);
    let walk = catalog.playbook_files()?;
    for refused in &walk.refused {
        diagnostics.push(rules::unreadable::RULE.at(
            refused.path.clone(),
            Span::FILE,
            refused.reason.clone(),
        ));
    }
    let files = walk.files;
    let mut playbooks = Vec::new();
    let mut owners: BTreeMap<String, String> = BTreeMap::new();
    let limited = !only.is_empty();
    for checked in check_files(
        catalog, &channels, &settings, &trust, options, &files, limited,
    ) {
        diagnostics.extend(checked.diagnostics);
        sources.extend(checked.sources);
        playbooks.extend(checked.summary);
        for template in checked.templates {
            owners
                .entry(template)
                .or_insert_with(|| checked.display.clone());
        }
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
        diagnostics.retain(|d| {
            let owner = owners.get(&d.path).unwrap_or(&d.path);
            wanted
                .iter()
                .any(|w| covers(w, &d.path) || covers(w, owner))
        });
    }
    diagnostic::sort(&mut diagnostics);
    diagnostics.dedup();
    // Cross-file findings are in files that had none of their own.
    for summary in &playbooks {
        if !sources.contains_key(&summary.display)
            && diagnostics.iter().any(|d| d.path == summary.display)
        {
            if let Ok(Some(text)) = catalog.read(&summary.rel) {
                sources.insert(summary.display.clone(), text);
            }
        }
    }
    sources.retain(|path, _| diagnostics.iter().any(|d| &d.path == path));
    Ok(Report {
        files: if only.is_empty() {
            files.len()
        } else {
            files
                .iter()
                .filter(|f| {
                    let shown = catalog.display_path(f.as_str());
                    only.iter()
                        .any(|o| covers(&catalog.display_path(o), &shown))
                })
                .count()
        },
        diagnostics,
        sources,
    })
}

/// What checking one playbook file produced: its findings, the text of the
/// files they are in, and what cross-file rules need.
struct Checked {
    display: String,
    summary: Option<Summary>,
    diagnostics: Vec<Diagnostic>,
    sources: BTreeMap<String, String>,
    /// Displayed paths of the template files it uses, kept only when lint
    /// is limited to some paths (a template's findings then count for the
    /// playbooks that use it).
    templates: Vec<String>,
}

/// Loads and lints each file, spread over the machine's cores: playbooks are
/// independent. Results come back in file order, so reports are stable.
fn check_files(
    catalog: &Catalog,
    channels: &Channels,
    settings: &Settings,
    trust: &Trust,
    options: &Options,
    files: &[CatalogPath],
    keep_templates: bool,
) -> Vec<Checked> {
    let check = |rel: &CatalogPath| {
        let display = catalog.display_path(rel.as_str());
        let mut checked = Checked {
            display: display.clone(),
            summary: None,
            diagnostics: Vec::new(),
            sources: BTreeMap::new(),
            templates: Vec::new(),
        };
        match load::load_playbook(catalog, rel) {
            Ok(loaded) => {
                let found = check_playbook(catalog, channels, settings, trust, &loaded, options);
                checked.diagnostics = found.diagnostics;
                if keep_templates {
                    checked.templates = found.templates;
                }
                if !checked.diagnostics.is_empty() {
                    checked.sources = found.sources;
                    checked.sources.insert(display, loaded.text.clone());
                }
                checked.summary = Some(Summary {
                    rel: rel.clone(),
                    id: loaded.playbook.id.clone(),
                    display: loaded.display.clone(),
                    id_span: loaded.span(&[crate::yaml::PathSeg::Key("id".into())]),
                });
            }
            Err(Unloaded { errors, text }) => {
                if let Some(text) = text {
                    checked.sources.insert(display, text);
                }
                checked
                    .diagnostics
                    .extend(errors.iter().map(load_diagnostic));
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
    path == wanted || path.starts_with(&format!("{wanted}/")) || wanted.is_empty() || wanted == "."
}

/// What the per-playbook rules found in one loaded playbook.
pub struct PlaybookFindings {
    pub diagnostics: Vec<Diagnostic>,
    /// Text of the template files read, by displayed path.
    pub sources: BTreeMap<String, String>,
    /// Displayed paths of the template files the playbook uses.
    pub templates: Vec<String>,
    pub assessment: Assessment,
}

/// Runs every per-playbook rule on `loaded`. Render runs this too, and
/// refuses a playbook with errors: what lint passes is what render runs.
pub fn check_playbook(
    catalog: &Catalog,
    channels: &Channels,
    settings: &Settings,
    trust: &Trust,
    loaded: &Loaded,
    options: &Options,
) -> PlaybookFindings {
    let zone = crate::event::zone(&loaded.playbook).ok();
    let prepared = crate::template::prepare(catalog, loaded, zone.unwrap_or(Tz::UTC));
    let assessment = crate::approval::assess(
        catalog,
        loaded,
        settings,
        trust,
        options.now,
        options.expiring_within_days,
    );
    let renders = renders::render_all(channels, loaded, &prepared, zone.unwrap_or(Tz::UTC));
    let mut diagnostics = Vec::new();
    let context = PlaybookContext {
        catalog,
        channels,
        settings,
        loaded,
        zone,
        prepared: &prepared,
        renders: &renders,
        assessment: &assessment,
        options,
    };
    for rule in rules::ALL {
        if let Check::Playbook(check) = rule.check {
            check(&context, &mut diagnostics);
        }
    }
    let mut sources = BTreeMap::new();
    let mut templates = Vec::new();
    for source in prepared.sources.values() {
        if let crate::template::Origin::File { rel } = &source.origin {
            let shown = catalog.display_path(rel);
            templates.push(shown.clone());
            sources.insert(shown, source.text.clone());
        }
    }
    PlaybookFindings {
        diagnostics,
        sources,
        templates,
        assessment,
    }
}
