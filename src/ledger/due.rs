//! `due`: every message whose time has come, into the outbox, exactly once.
//!
//! A run reads every event file, registers new events in the ledger, and
//! for each open event finds each message whose due time has passed and
//! that the ledger has no row for. Then, per message of an event (with all
//! its languages):
//!
//! 1. too late (`--max-late`): recorded as skipped, never emitted;
//! 2. not cleared ([`super::gate`]): refused, reported, tried again next run;
//! 3. else claimed: a row inserted in a transaction, which the table's key
//!    lets only one run win, naming this run and its staging folder;
//! 4. rendered and written into the staging folder, renamed into the
//!    outbox, and recorded as emitted, with its steps.
//!
//! A run killed anywhere leaves either no row (nothing happened), or a
//! claim with or without its item in place. The next run finds claims of
//! runs that are gone ([`super::runlock`]), takes each over (again a
//! transaction only one run can win), and finishes it: an item already in
//! place is recorded as it is, otherwise its staging folder is removed and
//! the item written anew. So every message is in the outbox once, whole,
//! and recorded once, however runs overlap or die.

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::rc::Rc;

use super::compose::{self, Ready, Wanted};
use super::gate::{self, Go, Refusal};
use super::names::Name;
use super::outbox::{self, Placed};
use super::record::{self, EventRecord, FileProblem};
use super::runlock::{self, RunLock};
use super::store::{Claim, Emission, Skip, State, Store};
use super::Paths;
use crate::catalog::{Catalog, CatalogPath};
use crate::duration::Duration;

/// An item put in the outbox.
#[derive(Debug, Clone, Serialize)]
pub struct Emitted {
    pub event: String,
    pub message: String,
    pub langs: Vec<String>,
    pub late_seconds: i64,
    pub path: String,
    pub ready: bool,
    /// Found in place, written by a run that stopped before recording it.
    #[serde(skip)]
    pub adopted: bool,
}

/// A message too late to emit.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub event: String,
    pub message: String,
    pub late_seconds: i64,
    pub reason: String,
}

/// A message that may not go out yet.
#[derive(Debug, Clone, Serialize)]
pub struct Refused {
    pub event: String,
    pub message: String,
    pub reason: String,
    /// The roles that must approve before it goes out.
    pub must_approve: Vec<String>,
}

/// A bad event file, or an item that could not be written.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub event: Option<String>,
    pub message: Option<String>,
    pub error: String,
}

impl Failure {
    fn file(problem: FileProblem) -> Failure {
        Failure {
            error: problem.to_string(),
            file: Some(problem.file),
            line: Some(problem.line),
            column: Some(problem.column),
            event: None,
            message: None,
        }
    }

    fn item(event: &str, message: &str, error: String) -> Failure {
        Failure {
            file: None,
            line: None,
            column: None,
            event: Some(event.to_owned()),
            message: Some(message.to_owned()),
            error,
        }
    }
}

/// What a run did. Its JSON form is the `due --format json` contract.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub emitted: Vec<Emitted>,
    pub skipped: Vec<Skipped>,
    pub refused: Vec<Refused>,
    pub errors: Vec<Failure>,
    /// Events read (open and closed).
    #[serde(skip)]
    pub events: usize,
}

impl Summary {
    /// Whether anything was refused or went wrong (exit 1).
    pub fn failed(&self) -> bool {
        !self.refused.is_empty() || !self.errors.is_empty()
    }
}

/// A message of an event that is due.
struct Due {
    event: Rc<EventRecord>,
    message: String,
    langs: Vec<String>,
    due_at: DateTime<Utc>,
}

/// Every event file in the events folder, read; bad ones as problems.
pub fn scan(paths: &Paths) -> (Vec<EventRecord>, Vec<FileProblem>) {
    let mut events = Vec::new();
    let mut problems = Vec::new();
    let Ok(entries) = std::fs::read_dir(&paths.events) else {
        return (events, problems);
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| n.ends_with(".yaml") && !n.starts_with('.'))
        .collect();
    names.sort();
    for name in names {
        let path = paths.events.join(&name);
        match record::read(&path, &paths.display(&path)) {
            Ok(event) => events.push(event),
            Err(problem) => problems.push(problem),
        }
    }
    (events, problems)
}

/// The event files in the events folder, by event id (the file's name).
fn event_files(paths: &Paths) -> Vec<(String, std::path::PathBuf)> {
    let Ok(entries) = std::fs::read_dir(&paths.events) else {
        return Vec::new();
    };
    let mut files: Vec<(String, std::path::PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_owned();
            let id = name.strip_suffix(".yaml")?;
            (!id.starts_with('.')).then(|| (id.to_owned(), e.path()))
        })
        .collect();
    files.sort();
    files
}

/// One run of emissions: the ledger, this run's lock, and each playbook
/// checked once.
pub struct Emitter<'a> {
    catalog: &'a Catalog,
    paths: &'a Paths,
    pub store: Store,
    run: RunLock,
    now: DateTime<Utc>,
    settings: crate::lint::CatalogSettings,
    playbooks: HashMap<String, Result<Ready, String>>,
    /// Event files read in this run (`None`: unreadable, reported).
    events: HashMap<String, Option<Rc<EventRecord>>>,
    /// Event folders of the outbox written into in this run.
    dirs: HashSet<String>,
    pub summary: Summary,
}

impl<'a> Emitter<'a> {
    pub fn new(catalog: &'a Catalog, paths: &'a Paths, now: DateTime<Utc>) -> Result<Emitter<'a>> {
        let store = Store::open(&paths.ledger)?;
        let run = RunLock::acquire(&paths.runs())?;
        runlock::sweep(&paths.runs(), run.id());
        let settings = crate::lint::settings(catalog);
        Ok(Emitter {
            catalog,
            paths,
            store,
            run,
            now,
            settings,
            playbooks: HashMap::new(),
            events: HashMap::new(),
            dirs: HashSet::new(),
            summary: Summary::default(),
        })
    }

    /// The `due` run: registers new event files, finishes claims of runs
    /// that died, then emits what the ledger says is due. Event files are
    /// read when new or when something of theirs is due, so a run with
    /// nothing due reads none but the new ones.
    pub fn run_due(&mut self, max_late: Option<Duration>) -> Result<()> {
        let registered = self.store.event_ids()?;
        let mut new = Vec::new();
        for (id, path) in event_files(self.paths) {
            if registered.contains(&id) {
                continue;
            }
            match record::read(&path, &self.paths.display(&path)) {
                Ok(event) => match self.admit(&event) {
                    Ok(()) => new.push(Rc::new(event)),
                    Err(reason) => {
                        self.summary
                            .errors
                            .push(Failure::item(event.id.as_str(), "", reason));
                    }
                },
                Err(problem) => self.summary.errors.push(Failure::file(problem)),
            }
        }
        self.store
            .register(&new.iter().map(|e| &**e).collect::<Vec<_>>())?;
        self.summary.events = registered.len() + new.len();
        for event in new {
            self.events.insert(event.id.to_string(), Some(event));
        }
        let recovered = self.recover()?;
        for item in recovered {
            self.finish(item);
        }
        let mut due = Vec::new();
        for row in self.store.due(self.now)? {
            let Some(event) = self.event(&row.event) else {
                continue;
            };
            due.push(Due {
                event,
                message: row.message,
                langs: row.langs,
                due_at: row.due_at,
            });
        }
        self.emit(due, max_late)
    }

    /// An event file the ledger has not seen, which `crisis open` did not
    /// register (written by hand, or the ledger was lost): believed only
    /// as far as the catalog bears it out. What it says is approved must be
    /// the content as it is now, approved now; "no approval required" must
    /// be true now. An override is accepted: every output says so.
    fn admit(&mut self, event: &EventRecord) -> Result<(), String> {
        if event.clearance == record::Clearance::Override {
            return Ok(());
        }
        self.ready(event)?;
        let Some(Ok(ready)) = self.playbooks.get(&event.playbook) else {
            return Err(format!("the playbook '{}' is not loaded", event.playbook));
        };
        let checked = &ready.checked;
        let current = checked
            .digest
            .as_ref()
            .map(|d| d.digest.clone())
            .map_err(Clone::clone)?;
        let bears_out = match event.clearance {
            record::Clearance::Approved => current == event.digest && checked.assessment.approved(),
            record::Clearance::NotRequired => !checked.assessment.required(),
            record::Clearance::Override => true,
        };
        if bears_out {
            Ok(())
        } else {
            Err(format!(
                "{}: the ledger has no record of this event, and the catalog does not bear out what the file says ({} for content {}); open events with `crisis open`, which records them",
                event.display,
                event.clearance.name(),
                event.digest
            ))
        }
    }

    /// An event's file, read once per run; a bad one is reported once. A
    /// registered event's file must still say what it said when the event
    /// was opened: the ledger keeps its fingerprint.
    fn event(&mut self, id: &str) -> Option<Rc<EventRecord>> {
        if let Some(known) = self.events.get(id) {
            return known.clone();
        }
        let read = match Name::new(id, "event id") {
            Ok(name) => {
                let path = self.paths.event_file(&name);
                record::read(&path, &self.paths.display(&path)).map_err(Failure::file)
            }
            Err(reason) => Err(Failure::item(id, "", reason)),
        };
        let read = match read {
            Ok(event) => {
                let registered = self
                    .store
                    .fingerprints()
                    .ok()
                    .and_then(|all| all.get(id).cloned());
                match registered {
                    Some(then) if !then.is_empty() && then != event.fingerprint() => {
                        Err(Failure::item(
                            id,
                            "",
                            format!(
                                "{} changed since the event was opened (the ledger keeps what it said then); crisis never edits an event file: restore it, or open a new event",
                                event.display
                            ),
                        ))
                    }
                    _ => Ok(event),
                }
            }
            Err(failure) => Err(failure),
        };
        let event = match read {
            Ok(event) => Some(Rc::new(event)),
            Err(failure) => {
                self.summary.errors.push(failure);
                None
            }
        };
        self.events.insert(id.to_owned(), event.clone());
        event
    }

    /// Emits the closing message of `event`, closed at `closed_at`.
    pub fn run_close(&mut self, event: Rc<EventRecord>, closed_at: DateTime<Utc>) -> Result<()> {
        let Some((message, langs)) = &event.on_close else {
            return Ok(());
        };
        if self
            .store
            .emission(event.id.as_str(), message.as_str())?
            .is_some_and(|row| row.state != State::Claimed)
        {
            return Ok(());
        }
        self.emit(
            vec![Due {
                event: event.clone(),
                message: message.to_string(),
                langs: langs.iter().map(|l| l.to_string()).collect(),
                due_at: closed_at,
            }],
            None,
        )
    }

    /// Skips, refuses or claims each due message, then writes the ones won.
    fn emit(&mut self, due: Vec<Due>, max_late: Option<Duration>) -> Result<()> {
        let mut claims = Vec::new();
        let mut cleared = Vec::new();
        for item in due {
            let late = (self.now - item.due_at).num_seconds().max(0);
            if let Some(max) = max_late {
                if late > max.seconds() {
                    let reason = format!(
                        "{} late, past --max-late {max}",
                        crate::clock::format_elapsed(late)
                    );
                    let skip = Skip {
                        event: item.event.id.to_string(),
                        message: item.message.clone(),
                        due_at: item.due_at,
                        langs: item.langs.clone(),
                        late_seconds: late,
                        reason: reason.clone(),
                    };
                    let new = self.store.skip(&skip, self.now)?;
                    if new {
                        self.summary.skipped.push(Skipped {
                            event: item.event.id.to_string(),
                            message: item.message,
                            late_seconds: late,
                            reason,
                        });
                    }
                    continue;
                }
            }
            match self.verdict(&item.event) {
                Ok(go) => {
                    claims.push(Claim {
                        event: item.event.id.to_string(),
                        message: item.message.clone(),
                        due_at: item.due_at,
                        langs: item.langs.clone(),
                        run: self.run.id().to_owned(),
                        staging: self.staging(&item.message),
                    });
                    cleared.push((item, go));
                }
                Err(refusal) => self.refuse(&item, refusal)?,
            }
        }
        let won = self.store.claim(&claims, self.now)?;
        for ((item, go), won) in cleared.into_iter().zip(won) {
            if won {
                self.write(&item, &go);
            }
        }
        Ok(())
    }

    fn refuse(&mut self, item: &Due, refusal: Refusal) -> Result<()> {
        self.store.refused(
            item.event.id.as_str(),
            &item.message,
            &refusal.reason,
            self.now,
        )?;
        self.summary.refused.push(Refused {
            event: item.event.id.to_string(),
            message: item.message.clone(),
            reason: refusal.reason,
            must_approve: refusal.roles,
        });
        Ok(())
    }

    fn staging(&self, message: &str) -> String {
        format!(".{message}.claim-{}", self.run.id())
    }

    fn event_dir(&self, event: &str) -> std::path::PathBuf {
        self.paths.outbox.join(event)
    }

    /// Claims of runs that are gone, taken over by this run, with their
    /// event (when its file is still readable).
    fn recover(&mut self) -> Result<Vec<Due>> {
        let mut alive: HashMap<String, bool> = HashMap::new();
        let mut recovered = Vec::new();
        let runs = self.paths.runs();
        for (event, row) in self.store.claims_of_others(self.run.id())? {
            let owner = row.run.clone().unwrap_or_default();
            let is_alive = *alive
                .entry(owner.clone())
                .or_insert_with(|| runlock::is_alive(&runs, &owner));
            if is_alive {
                continue;
            }
            let staging = self.staging(&row.message);
            if !self
                .store
                .take_over(&event, &row.message, &owner, self.run.id(), &staging)?
            {
                continue;
            }
            if let Some(old) = row.staging.as_deref().filter(|s| s.starts_with('.')) {
                let _ = std::fs::remove_dir_all(self.event_dir(&event).join(old));
            }
            let dir = self.event_dir(&event).join(&row.message);
            if outbox::is_item(&dir) {
                // Renamed into place before the run died: record it as it is.
                self.adopt(&event, &row.message, &row.langs, &dir)?;
                continue;
            }
            match self.event(&event) {
                Some(record) => recovered.push(Due {
                    event: record,
                    message: row.message,
                    langs: row.langs,
                    due_at: row.due_at,
                }),
                None => {
                    self.store.release(&event, &row.message, self.run.id())?;
                    self.summary.errors.push(Failure::item(
                            &event,
                            &row.message,
                            "claimed by a run that stopped, and its event file is missing or bad; it will be emitted once the event file is readable".to_owned(),
                        ));
                }
            }
        }
        Ok(recovered)
    }

    /// Finishes a claim taken over from a dead run.
    fn finish(&mut self, item: Due) {
        let dir = self.event_dir(item.event.id.as_str()).join(&item.message);
        if outbox::is_item(&dir) {
            let (event, message, langs) = (
                item.event.id.to_string(),
                item.message.clone(),
                item.langs.clone(),
            );
            if let Err(err) = self.adopt(&event, &message, &langs, &dir) {
                self.summary
                    .errors
                    .push(Failure::item(&event, &message, format!("{err:#}")));
            }
            return;
        }
        match self.verdict(&item.event) {
            Ok(go) => self.write(&item, &go),
            Err(refusal) => {
                let released = self
                    .store
                    .release(item.event.id.as_str(), &item.message, self.run.id())
                    .and_then(|()| self.refuse(&item, refusal));
                if let Err(err) = released {
                    self.summary.errors.push(Failure::item(
                        item.event.id.as_str(),
                        &item.message,
                        format!("{err:#}"),
                    ));
                }
            }
        }
    }

    /// Records an item found in place as emitted, as its `message.json`
    /// says.
    fn adopt(&mut self, event: &str, message: &str, langs: &[String], dir: &Path) -> Result<()> {
        let posts = outbox::read(dir)?;
        let first = posts.first();
        let emitted_at = first
            .and_then(|p| record::parse_utc(&p.emitted_at))
            .unwrap_or(self.now);
        let late_seconds = first.map_or(0, |p| p.late_seconds);
        let items = first.map_or(0, |p| {
            p.checklist.iter().filter(|c| c.n.is_some()).count() as u32
        });
        let emission = Emission {
            event: event.to_owned(),
            message: message.to_owned(),
            emitted_at,
            late_seconds,
            langs: langs.to_vec(),
            path: dir.display().to_string(),
            items,
            approval:
                "found whole in the outbox, written by a run that stopped before recording it"
                    .to_owned(),
        };
        if self.store.emitted(&emission, self.run.id())? {
            self.summary.emitted.push(Emitted {
                event: event.to_owned(),
                message: message.to_owned(),
                langs: langs.to_vec(),
                late_seconds,
                path: dir.display().to_string(),
                ready: items == 0,
                adopted: true,
            });
        }
        Ok(())
    }

    /// Renders, writes and records one claimed item; on failure gives the
    /// claim up so a later run tries again.
    fn write(&mut self, item: &Due, go: &Go) {
        let event = item.event.id.as_str();
        if let Err(err) = self.try_write(item, go) {
            let _ =
                std::fs::remove_dir_all(self.event_dir(event).join(self.staging(&item.message)));
            let released = self.store.release(event, &item.message, self.run.id());
            let mut error = format!("{err:#}");
            if let Err(more) = released {
                error.push_str(&format!(" (and the claim could not be given up: {more:#})"));
            }
            self.summary
                .errors
                .push(Failure::item(event, &item.message, error));
        }
    }

    fn try_write(&mut self, item: &Due, go: &Go) -> Result<()> {
        let event_id = item.event.id.as_str();
        self.ready(&item.event).map_err(anyhow::Error::msg)?;
        let Some(Ok(ready)) = self.playbooks.get(&item.event.playbook) else {
            anyhow::bail!("the playbook '{}' is not loaded", item.event.playbook);
        };
        let earlier: Vec<(String, DateTime<Utc>)> = self
            .store
            .emissions(event_id)?
            .into_iter()
            .filter_map(|row| row.emitted_at.map(|at| (row.message, at)))
            .collect();
        let wanted = Wanted {
            event: &item.event,
            message: &item.message,
            langs: &item.langs,
            due_at: item.due_at,
            now: self.now,
            go,
            earlier: &earlier,
        };
        let compose::Composed {
            posts,
            items,
            alert,
        } = compose::compose(self.catalog, &self.settings.channels, ready, &wanted)?;
        let unfit: Vec<String> = posts
            .iter()
            .filter(|p| p.length > p.limit)
            .map(|p| {
                format!(
                    "{} ({}) is {} of {} on {}",
                    p.id, p.lang, p.length, p.limit, p.channel
                )
            })
            .collect();
        let marks = posts.first().map(outbox::marks_of).unwrap_or_default();
        let mut files = outbox::files(&posts, &marks)?;
        if let Some(alert) = alert {
            files.push((crate::output::cap::FILE_NAME.to_owned(), alert));
        }
        let dir = self.event_dir(event_id);
        if !self.dirs.contains(event_id) {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create the folder {}", dir.display()))?;
            self.dirs.insert(event_id.to_owned());
        }
        let placed = outbox::write_item(&dir, &item.message, &self.staging(&item.message), &files)?;
        let target = dir.join(&item.message);
        if placed == Placed::AlreadyThere {
            return self.adopt(event_id, &item.message, &item.langs, &target);
        }
        let late_seconds = (self.now - item.due_at).num_seconds().max(0);
        let emission = Emission {
            event: event_id.to_owned(),
            message: item.message.clone(),
            emitted_at: self.now,
            late_seconds,
            langs: item.langs.clone(),
            path: target.display().to_string(),
            items,
            approval: go.note.clone(),
        };
        if self.store.emitted(&emission, self.run.id())? {
            self.summary.emitted.push(Emitted {
                event: event_id.to_owned(),
                message: item.message.clone(),
                langs: item.langs.clone(),
                late_seconds,
                path: target.display().to_string(),
                ready: items == 0,
                adopted: false,
            });
        }
        if !unfit.is_empty() {
            self.summary.errors.push(Failure::item(
                event_id,
                &item.message,
                format!(
                    "in the outbox but does not fit its channel: {}",
                    unfit.join("; ")
                ),
            ));
        }
        Ok(())
    }

    /// Whether `event`'s messages may go out now.
    fn verdict(&mut self, event: &EventRecord) -> Result<Go, Refusal> {
        match self.ready(event) {
            Ok(()) => match self.playbooks.get(&event.playbook) {
                Some(Ok(ready)) => ready.checked.verdict(event),
                _ => Err(Refusal::new(format!(
                    "the playbook '{}' is not loaded",
                    event.playbook
                ))),
            },
            Err(reason) => Err(Refusal::new(reason)),
        }
    }

    /// The event's playbook, loaded, checked and prepared once per run.
    fn ready(&mut self, event: &EventRecord) -> Result<(), String> {
        if !self.playbooks.contains_key(&event.playbook) {
            let ready = self.load(event);
            self.playbooks.insert(event.playbook.clone(), ready);
        }
        match self.playbooks.get(&event.playbook) {
            Some(Ok(_)) => Ok(()),
            Some(Err(reason)) => Err(reason.clone()),
            None => Err(format!("the playbook '{}' is not loaded", event.playbook)),
        }
    }

    fn load(&self, event: &EventRecord) -> Result<Ready, String> {
        let direct = CatalogPath::new(&event.playbook_file)
            .ok()
            .and_then(|rel| crate::load::load_playbook(self.catalog, &rel).ok())
            .filter(|loaded| loaded.playbook.id == event.playbook);
        let loaded = match direct {
            Some(loaded) => loaded,
            None => crate::load::find_by_id(self.catalog, &event.playbook).map_err(|lookup| {
                match lookup {
                    crate::load::Lookup::NotFound { .. } => format!(
                        "the playbook '{}' of event {} is not in the catalog at {}",
                        event.playbook,
                        event.id,
                        self.catalog.display_path("")
                    ),
                    crate::load::Lookup::Unloadable(unloaded) => format!(
                        "the playbook '{}' does not load: {}",
                        event.playbook,
                        unloaded
                            .errors
                            .first()
                            .map(ToString::to_string)
                            .unwrap_or_default()
                    ),
                }
            })?,
        };
        let checked = gate::check(self.catalog, &self.settings, loaded, self.now);
        Ok(Ready::new(self.catalog, checked))
    }
}
