//! The ledger: one SQLite database holding every event's history.
//!
//! SQLite gives the three things exactly-once emission rests on:
//! transactions (a claim and its step land together or not at all), a
//! lock that serialises writers across processes (`BEGIN IMMEDIATE`, with
//! a busy timeout so overlapping cron runs wait their turn instead of
//! failing), and crash safety (write-ahead log). The schema is documented
//! in `docs/events.md`; [`SCHEMA`] is its one definition.
//!
//! Times are stored as RFC 3339 text in UTC to the second, which sorts as
//! time does.

use anyhow::{bail, Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::record::{parse_utc, utc_text, EventRecord};

/// The version of [`SCHEMA`], kept in `ledger_info`.
pub const SCHEMA_VERSION: u32 = 1;

/// How long a writer waits for another to finish before giving up. Runs
/// are short; a minute covers a slow disk and many overlapping runs.
const BUSY_TIMEOUT_SECONDS: u64 = 60;

/// The ledger's tables. Steps are the audit trail (the timeline); the other
/// tables are the state that decides what happens next.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS ledger_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    id              TEXT PRIMARY KEY,
    playbook        TEXT NOT NULL,
    timezone        TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    opened_at       TEXT NOT NULL,
    closed_at       TEXT,
    digest          TEXT NOT NULL,
    approval        TEXT NOT NULL CHECK (approval IN ('approved', 'not-required', 'override')),
    override_by     TEXT,
    override_reason TEXT,
    target_seconds  INTEGER,
    file            TEXT NOT NULL,
    fingerprint     TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS schedule (
    event    TEXT NOT NULL REFERENCES events (id),
    message  TEXT NOT NULL,
    due_at   TEXT NOT NULL,
    langs    TEXT NOT NULL,
    on_close INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (event, message)
);
CREATE INDEX IF NOT EXISTS schedule_by_time ON schedule (due_at);
CREATE TABLE IF NOT EXISTS emissions (
    event        TEXT NOT NULL REFERENCES events (id),
    message      TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('claimed', 'emitted', 'skipped')),
    due_at       TEXT NOT NULL,
    langs        TEXT NOT NULL,
    run          TEXT,
    staging      TEXT,
    claimed_at   TEXT NOT NULL,
    emitted_at   TEXT,
    late_seconds INTEGER,
    path         TEXT,
    items        INTEGER,
    approval     TEXT,
    ready_at     TEXT,
    PRIMARY KEY (event, message)
);
CREATE TABLE IF NOT EXISTS steps (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    event        TEXT NOT NULL REFERENCES events (id),
    step         TEXT NOT NULL CHECK (step IN ('opened', 'override', 'emitted', 'skipped', 'refused', 'signed_off', 'posted', 'closed')),
    at           TEXT NOT NULL,
    message      TEXT,
    lang         TEXT,
    by           TEXT,
    late_seconds INTEGER,
    detail       TEXT
);
CREATE INDEX IF NOT EXISTS steps_of_event ON steps (event, seq);
CREATE TABLE IF NOT EXISTS confirmations (
    event   TEXT NOT NULL,
    message TEXT NOT NULL,
    item    INTEGER NOT NULL,
    by      TEXT NOT NULL,
    at      TEXT NOT NULL,
    PRIMARY KEY (event, message, item),
    FOREIGN KEY (event, message) REFERENCES emissions (event, message)
);
CREATE TABLE IF NOT EXISTS postings (
    event   TEXT NOT NULL,
    message TEXT NOT NULL,
    lang    TEXT NOT NULL,
    url     TEXT,
    by      TEXT NOT NULL,
    at      TEXT NOT NULL,
    PRIMARY KEY (event, message, lang),
    FOREIGN KEY (event, message) REFERENCES emissions (event, message)
);
";

/// A message the ledger says is due and not emitted.
#[derive(Debug, Clone)]
pub struct DueRow {
    pub event: String,
    pub message: String,
    /// Its due time; for a closing message, when the event was closed.
    pub due_at: DateTime<Utc>,
    pub langs: Vec<String>,
}

/// The state of one (event, message) in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// A run has claimed it and is writing it into the outbox.
    Claimed,
    /// It is in the outbox.
    Emitted,
    /// It was too late (`--max-late`) and will never be emitted.
    Skipped,
}

impl State {
    fn parse(text: &str) -> State {
        match text {
            "emitted" => State::Emitted,
            "skipped" => State::Skipped,
            _ => State::Claimed,
        }
    }
}

/// A claim: a run has taken an (event, message) to write into the outbox.
#[derive(Debug, Clone)]
pub struct Claim {
    pub event: String,
    pub message: String,
    pub due_at: DateTime<Utc>,
    pub langs: Vec<String>,
    pub run: String,
    /// The folder the run writes the item into before renaming it.
    pub staging: String,
}

/// A message too late to emit, to record.
#[derive(Debug, Clone)]
pub struct Skip {
    pub event: String,
    pub message: String,
    pub due_at: DateTime<Utc>,
    pub langs: Vec<String>,
    pub late_seconds: i64,
    pub reason: String,
}

/// A finished emission, to record.
#[derive(Debug, Clone)]
pub struct Emission {
    pub event: String,
    pub message: String,
    pub emitted_at: DateTime<Utc>,
    pub late_seconds: i64,
    pub langs: Vec<String>,
    pub path: String,
    /// Human checklist items that must be confirmed before it is ready.
    pub items: u32,
    /// How the words were cleared when emitted, in a sentence.
    pub approval: String,
}

/// One emission row, for the timeline and for sign-off.
#[derive(Debug, Clone)]
pub struct EmissionRow {
    pub message: String,
    pub state: State,
    pub due_at: DateTime<Utc>,
    pub langs: Vec<String>,
    pub emitted_at: Option<DateTime<Utc>>,
    pub late_seconds: Option<i64>,
    pub path: Option<String>,
    pub items: u32,
    pub approval: Option<String>,
    pub ready_at: Option<DateTime<Utc>>,
    pub run: Option<String>,
    pub staging: Option<String>,
}

/// A step of an event's history.
#[derive(Debug, Clone)]
pub struct Step {
    pub step: String,
    pub at: DateTime<Utc>,
    pub message: Option<String>,
    pub lang: Option<String>,
    pub by: Option<String>,
    pub late_seconds: Option<i64>,
    pub detail: Option<String>,
}

/// An event as the ledger has it.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub id: String,
    pub playbook: String,
    pub timezone: String,
    pub started_at: DateTime<Utc>,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub approval: String,
    pub override_by: Option<String>,
    pub override_reason: Option<String>,
    pub target_seconds: Option<i64>,
    pub file: String,
}

/// A confirmation of a checklist item.
#[derive(Debug, Clone)]
pub struct Confirmation {
    pub item: u32,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A posting of one language.
#[derive(Debug, Clone)]
pub struct Posting {
    pub message: String,
    pub lang: String,
    pub url: Option<String>,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// The ledger, open.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

fn time(text: String) -> DateTime<Utc> {
    // Only this module writes times, always in the stored form.
    parse_utc(&text).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn opt_time(text: Option<String>) -> Option<DateTime<Utc>> {
    text.map(time)
}

fn langs_text(langs: &[String]) -> String {
    langs.join(",")
}

fn langs_of(text: &str) -> Vec<String> {
    text.split(',')
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

impl Store {
    /// Opens the ledger at `path`, creating it (and its folder) if needed.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the folder {}", dir.display()))?;
        }
        let conn = Connection::open(path)
            .with_context(|| format!("cannot open the ledger {}", path.display()))?;
        conn.busy_timeout(std::time::Duration::from_secs(BUSY_TIMEOUT_SECONDS))?;
        // WAL lets readers (timeline, events) run beside a writer, and
        // NORMAL syncing survives any process crash; after a power cut the
        // last commits may be lost, which the outbox check in `due`
        // (an item already in place is adopted, not written again) covers.
        conn.pragma_update(None, "journal_mode", "WAL")
            .with_context(|| format!("cannot open the ledger {}", path.display()))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.write(|tx| {
            tx.execute_batch(SCHEMA)?;
            tx.execute(
                "INSERT OR IGNORE INTO ledger_info (key, value) VALUES ('schema_version', ?1)",
                params![SCHEMA_VERSION.to_string()],
            )?;
            Ok(())
        })?;
        let version: String = store.conn.query_row(
            "SELECT value FROM ledger_info WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )?;
        if version != SCHEMA_VERSION.to_string() {
            bail!(
                "the ledger {} has schema version {version}; this crisis reads version {SCHEMA_VERSION}",
                path.display()
            );
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in a write transaction: it waits for other writers, and
    /// commits only if `f` succeeds.
    fn write<T>(&mut self, f: impl FnOnce(&Transaction) -> rusqlite::Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .with_context(|| format!("cannot write the ledger {}", self.path.display()))?;
        let value =
            f(&tx).with_context(|| format!("cannot write the ledger {}", self.path.display()))?;
        tx.commit()
            .with_context(|| format!("cannot write the ledger {}", self.path.display()))?;
        Ok(value)
    }

    /// Records an event (from its file) if the ledger does not have it yet,
    /// with its `opened` step (and `override`). `true` when it was new.
    pub fn register(&mut self, events: &[&EventRecord]) -> Result<Vec<bool>> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        self.write(|tx| {
            let mut added = Vec::new();
            for e in events {
                let new = tx.execute(
                    "INSERT OR IGNORE INTO events (id, playbook, timezone, started_at, opened_at, digest, approval, override_by, override_reason, target_seconds, file, fingerprint)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    params![
                        e.id.as_str(),
                        e.playbook,
                        e.zone.name(),
                        utc_text(e.started_at),
                        utc_text(e.opened_at),
                        e.digest,
                        e.clearance.name(),
                        e.override_.as_ref().map(|o| o.by.clone()),
                        e.override_.as_ref().map(|o| o.reason.clone()),
                        e.target.map(|t| t.seconds()),
                        e.display,
                        e.fingerprint(),
                    ],
                )? == 1;
                if new {
                    let mut schedule = tx.prepare_cached(
                        "INSERT OR IGNORE INTO schedule (event, message, due_at, langs, on_close) VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?;
                    for s in &e.schedule {
                        let langs: Vec<String> = s.langs.iter().map(ToString::to_string).collect();
                        schedule.execute(params![e.id.as_str(), s.message.as_str(), utc_text(s.due_at), langs_text(&langs), false])?;
                    }
                    if let Some((message, langs)) = &e.on_close {
                        let langs: Vec<String> = langs.iter().map(ToString::to_string).collect();
                        schedule.execute(params![e.id.as_str(), message.as_str(), utc_text(e.started_at), langs_text(&langs), true])?;
                    }
                    let detail = format!(
                        "{} version {}, content {}",
                        e.playbook, e.version, e.digest
                    );
                    add_step(tx, e.id.as_str(), "opened", e.opened_at, None, None, None, None, Some(&detail))?;
                    if let Some(o) = &e.override_ {
                        add_step(tx, e.id.as_str(), "override", e.opened_at, None, None, Some(&o.by), None, Some(&o.mark()))?;
                    }
                }
                added.push(new);
            }
            Ok(added)
        })
    }

    /// The ids of every registered event.
    /// The fingerprint of each event's file as registered, by event id.
    pub fn fingerprints(&self) -> Result<HashMap<String, String>> {
        let mut stmt = self.conn.prepare("SELECT id, fingerprint FROM events")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn event_ids(&self) -> Result<HashSet<String>> {
        let mut stmt = self.conn.prepare("SELECT id FROM events")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every scheduled message due by `now` with no row in `emissions`: of
    /// open events, those whose time has come; of closed events, the
    /// closing message. One query over the ledger, so a run with nothing
    /// due reads no event file.
    pub fn due(&self, now: DateTime<Utc>) -> Result<Vec<DueRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT s.event, s.message, s.due_at, s.langs, s.on_close, ev.closed_at
             FROM schedule s
             JOIN events ev ON ev.id = s.event
             LEFT JOIN emissions e ON e.event = s.event AND e.message = s.message
             WHERE e.event IS NULL
               AND ((s.on_close = 0 AND ev.closed_at IS NULL AND s.due_at <= ?1)
                 OR (s.on_close = 1 AND ev.closed_at IS NOT NULL AND ev.closed_at <= ?1))
             ORDER BY s.event, s.due_at, s.message",
        )?;
        let rows = stmt.query_map(params![utc_text(now)], |r| {
            let on_close: bool = r.get(4)?;
            let closed: Option<String> = r.get(5)?;
            let due: String = r.get(2)?;
            let langs: String = r.get(3)?;
            Ok(DueRow {
                event: r.get(0)?,
                message: r.get(1)?,
                due_at: time(if on_close { closed.unwrap_or(due) } else { due }),
                langs: langs_of(&langs),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Claims each (event, message) not claimed yet, in one transaction;
    /// the UNIQUE key makes a second claim of the same pair a no-op. Returns
    /// whether each claim was won.
    pub fn claim(&mut self, claims: &[Claim], now: DateTime<Utc>) -> Result<Vec<bool>> {
        if claims.is_empty() {
            return Ok(Vec::new());
        }
        self.write(|tx| {
            let mut insert = tx.prepare(
                "INSERT INTO emissions (event, message, state, due_at, langs, run, staging, claimed_at)
                 VALUES (?1, ?2, 'claimed', ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (event, message) DO NOTHING",
            )?;
            let mut won = Vec::new();
            for c in claims {
                won.push(
                    insert.execute(params![
                        c.event,
                        c.message,
                        utc_text(c.due_at),
                        langs_text(&c.langs),
                        c.run,
                        c.staging,
                        utc_text(now),
                    ])? == 1,
                );
            }
            Ok(won)
        })
    }

    /// Claims held by runs other than `run`.
    pub fn claims_of_others(&self, run: &str) -> Result<Vec<(String, EmissionRow)>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT event, {EMISSION_COLUMNS} FROM emissions WHERE state = 'claimed' AND run IS NOT ?1"
        ))?;
        let rows = stmt.query_map(params![run], |r| {
            Ok((r.get::<_, String>(0)?, emission_row(r, 1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Takes over a claim of a run that is gone: only if it is still that
    /// run's, so two runs recovering at once cannot both take it.
    pub fn take_over(
        &mut self,
        event: &str,
        message: &str,
        from: &str,
        to: &str,
        staging: &str,
    ) -> Result<bool> {
        self.write(|tx| {
            Ok(tx.execute(
                "UPDATE emissions SET run = ?4, staging = ?5
                 WHERE event = ?1 AND message = ?2 AND state = 'claimed' AND run = ?3",
                params![event, message, from, to, staging],
            )? == 1)
        })
    }

    /// Gives a claim up (the item could not be written), so a later run
    /// tries again.
    pub fn release(&mut self, event: &str, message: &str, run: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM emissions WHERE event = ?1 AND message = ?2 AND state = 'claimed' AND run = ?3",
                params![event, message, run],
            )?;
            Ok(())
        })
    }

    /// Records that a claimed item is in the outbox, with an `emitted` step
    /// per language. `false` if the claim is no longer this run's.
    pub fn emitted(&mut self, e: &Emission, run: &str) -> Result<bool> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE emissions SET state = 'emitted', emitted_at = ?4, late_seconds = ?5, path = ?6, items = ?7, approval = ?8, staging = NULL
                 WHERE event = ?1 AND message = ?2 AND state = 'claimed' AND run = ?3",
                params![
                    e.event,
                    e.message,
                    run,
                    utc_text(e.emitted_at),
                    e.late_seconds,
                    e.path,
                    e.items,
                    e.approval,
                ],
            )?;
            if changed == 1 {
                for lang in &e.langs {
                    add_step(tx, &e.event, "emitted", e.emitted_at, Some(&e.message), Some(lang), None, Some(e.late_seconds), Some(&e.approval))?;
                }
            }
            Ok(changed == 1)
        })
    }

    /// Records that a message was too late to emit. `false` if the ledger
    /// already had a row for it.
    pub fn skip(&mut self, skip: &Skip, now: DateTime<Utc>) -> Result<bool> {
        let Skip {
            event,
            message,
            due_at,
            langs,
            late_seconds,
            reason,
        } = skip;
        let (due_at, late_seconds) = (*due_at, *late_seconds);
        self.write(|tx| {
            let new = tx.execute(
                "INSERT INTO emissions (event, message, state, due_at, langs, claimed_at, late_seconds, approval)
                 VALUES (?1, ?2, 'skipped', ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (event, message) DO NOTHING",
                params![event, message, utc_text(due_at), langs_text(langs), utc_text(now), late_seconds, reason],
            )? == 1;
            if new {
                add_step(tx, event, "skipped", now, Some(message), None, None, Some(late_seconds), Some(reason))?;
            }
            Ok(new)
        })
    }

    /// Records a refusal, unless the last step about the message already
    /// says the same (a cron job refusing every five minutes adds one step,
    /// not hundreds).
    pub fn refused(
        &mut self,
        event: &str,
        message: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            let last: Option<(String, Option<String>)> = tx
                .query_row(
                    "SELECT step, detail FROM steps WHERE event = ?1 AND message = ?2 ORDER BY seq DESC LIMIT 1",
                    params![event, message],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if last != Some(("refused".to_owned(), Some(reason.to_owned()))) {
                add_step(tx, event, "refused", now, Some(message), None, None, None, Some(reason))?;
            }
            Ok(())
        })
    }

    /// Closes an event. `None` if it was open (now closed at `at`), else
    /// when it was closed before.
    pub fn close(&mut self, event: &str, at: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        self.write(|tx| {
            let closed: Option<Option<String>> = tx
                .query_row(
                    "SELECT closed_at FROM events WHERE id = ?1",
                    params![event],
                    |r| r.get(0),
                )
                .optional()?;
            match closed {
                Some(Some(before)) => Ok(Some(time(before))),
                _ => {
                    tx.execute(
                        "UPDATE events SET closed_at = ?2 WHERE id = ?1",
                        params![event, utc_text(at)],
                    )?;
                    add_step(tx, event, "closed", at, None, None, None, None, None)?;
                    Ok(None)
                }
            }
        })
    }

    /// Records confirmations of checklist items (`None`: all of them) of
    /// an emitted item, with a `signed_off` step. Returns the newly
    /// confirmed item numbers and whether the item is now ready.
    pub fn confirm(
        &mut self,
        event: &str,
        message: &str,
        items: Option<&[u32]>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Result<(Vec<u32>, bool), String>> {
        self.write(|tx| {
            let row: Option<(String, Option<u32>)> = tx
                .query_row(
                    "SELECT state, items FROM emissions WHERE event = ?1 AND message = ?2",
                    params![event, message],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let count = match row {
                Some((state, Some(count))) if state == "emitted" => count,
                Some((state, _)) => {
                    return Ok(Err(format!(
                        "{message} of {event} is {state}, not in the outbox; only an emitted item is signed off"
                    )))
                }
                None => {
                    return Ok(Err(format!(
                        "{message} of {event} has not been emitted; `crisis due` puts it in the outbox when it falls due"
                    )))
                }
            };
            let wanted: Vec<u32> = match items {
                Some(items) => items.to_vec(),
                None => (1..=count).collect(),
            };
            if let Some(bad) = wanted.iter().find(|n| **n == 0 || **n > count) {
                return Ok(Err(format!(
                    "{message} of {event} has no checklist item {bad}; its items to confirm are 1 to {count} (see checklist.md)"
                )));
            }
            let mut added = Vec::new();
            for n in &wanted {
                if tx.execute(
                    "INSERT OR IGNORE INTO confirmations (event, message, item, by, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![event, message, n, by, utc_text(now)],
                )? == 1
                {
                    added.push(*n);
                }
            }
            let detail = match items {
                None => format!("all {count} items"),
                Some(_) => format!(
                    "item{} {}",
                    if wanted.len() == 1 { "" } else { "s" },
                    wanted.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
                ),
            };
            add_step(tx, event, "signed_off", now, Some(message), None, Some(by), None, Some(&detail))?;
            let confirmed: u32 = tx.query_row(
                "SELECT count(*) FROM confirmations WHERE event = ?1 AND message = ?2",
                params![event, message],
                |r| r.get(0),
            )?;
            let ready = confirmed >= count;
            if ready {
                tx.execute(
                    "UPDATE emissions SET ready_at = ?3 WHERE event = ?1 AND message = ?2 AND ready_at IS NULL",
                    params![event, message, utc_text(now)],
                )?;
            }
            Ok(Ok((added, ready)))
        })
    }

    /// Records that one language of an emitted item was posted.
    pub fn posted(
        &mut self,
        event: &str,
        message: &str,
        lang: &str,
        url: Option<&str>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Result<bool, String>> {
        self.write(|tx| {
            let row: Option<(String, String, Option<String>)> = tx
                .query_row(
                    "SELECT state, langs, ready_at FROM emissions WHERE event = ?1 AND message = ?2",
                    params![event, message],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let (langs, ready) = match row {
                Some((state, langs, ready)) if state == "emitted" => (langs, ready.is_some()),
                _ => {
                    return Ok(Err(format!(
                        "{message} of {event} is not in the outbox; only an emitted item can be posted"
                    )))
                }
            };
            let langs = langs_of(&langs);
            if !langs.iter().any(|l| l == lang) {
                return Ok(Err(format!(
                    "{message} of {event} has no language '{lang}'; it has: {}",
                    langs.join(", ")
                )));
            }
            let before: Option<(String, String)> = tx
                .query_row(
                    "SELECT by, at FROM postings WHERE event = ?1 AND message = ?2 AND lang = ?3",
                    params![event, message, lang],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((by, at)) = before {
                return Ok(Err(format!(
                    "{message} ({lang}) of {event} was already recorded as posted by {by} at {at}"
                )));
            }
            tx.execute(
                "INSERT INTO postings (event, message, lang, url, by, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![event, message, lang, url, by, utc_text(now)],
            )?;
            add_step(tx, event, "posted", now, Some(message), Some(lang), Some(by), None, url)?;
            Ok(Ok(ready))
        })
    }

    /// Runs `f` while holding the ledger's write lock, so that files
    /// rewritten from the ledger's state are rewritten one at a time, each
    /// from the latest state.
    pub fn locked<T>(&mut self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .with_context(|| format!("cannot lock the ledger {}", self.path.display()))?;
        let result = f(self);
        self.conn.execute_batch("COMMIT")?;
        result
    }

    pub fn event(&self, id: &str) -> Result<Option<EventRow>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, playbook, timezone, started_at, opened_at, closed_at, approval, override_by, override_reason, target_seconds, file FROM events WHERE id = ?1",
                params![id],
                event_row,
            )
            .optional()?)
    }

    pub fn events(&self) -> Result<Vec<EventRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, playbook, timezone, started_at, opened_at, closed_at, approval, override_by, override_reason, target_seconds, file FROM events ORDER BY started_at, id",
        )?;
        let rows = stmt.query_map([], event_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn emission(&self, event: &str, message: &str) -> Result<Option<EmissionRow>> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {EMISSION_COLUMNS} FROM emissions WHERE event = ?1 AND message = ?2"
                ),
                params![event, message],
                |r| emission_row(r, 0),
            )
            .optional()?)
    }

    pub fn emissions(&self, event: &str) -> Result<Vec<EmissionRow>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {EMISSION_COLUMNS} FROM emissions WHERE event = ?1 ORDER BY due_at, message"
        ))?;
        let rows = stmt.query_map(params![event], |r| emission_row(r, 0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn steps(&self, event: &str) -> Result<Vec<Step>> {
        let mut stmt = self.conn.prepare(
            "SELECT step, at, message, lang, by, late_seconds, detail FROM steps WHERE event = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map(params![event], |r| {
            Ok(Step {
                step: r.get(0)?,
                at: time(r.get(1)?),
                message: r.get(2)?,
                lang: r.get(3)?,
                by: r.get(4)?,
                late_seconds: r.get(5)?,
                detail: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn confirmations(&self, event: &str, message: &str) -> Result<Vec<Confirmation>> {
        let mut stmt = self.conn.prepare(
            "SELECT item, by, at FROM confirmations WHERE event = ?1 AND message = ?2 ORDER BY item",
        )?;
        let rows = stmt.query_map(params![event, message], |r| {
            Ok(Confirmation {
                item: r.get(0)?,
                by: r.get(1)?,
                at: time(r.get(2)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn postings(&self, event: &str) -> Result<Vec<Posting>> {
        let mut stmt = self.conn.prepare(
            "SELECT message, lang, url, by, at FROM postings WHERE event = ?1 ORDER BY at, message, lang",
        )?;
        let rows = stmt.query_map(params![event], |r| {
            Ok(Posting {
                message: r.get(0)?,
                lang: r.get(1)?,
                url: r.get(2)?,
                by: r.get(3)?,
                at: time(r.get(4)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

const EMISSION_COLUMNS: &str =
    "message, state, due_at, langs, emitted_at, late_seconds, path, items, approval, ready_at, run, staging";

fn emission_row(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<EmissionRow> {
    let state: String = r.get(first + 1)?;
    let langs: String = r.get(first + 3)?;
    Ok(EmissionRow {
        message: r.get(first)?,
        state: State::parse(&state),
        due_at: time(r.get(first + 2)?),
        langs: langs_of(&langs),
        emitted_at: opt_time(r.get(first + 4)?),
        late_seconds: r.get(first + 5)?,
        path: r.get(first + 6)?,
        items: r.get::<_, Option<u32>>(first + 7)?.unwrap_or(0),
        approval: r.get(first + 8)?,
        ready_at: opt_time(r.get(first + 9)?),
        run: r.get(first + 10)?,
        staging: r.get(first + 11)?,
    })
}

fn event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EventRow> {
    Ok(EventRow {
        id: r.get(0)?,
        playbook: r.get(1)?,
        timezone: r.get(2)?,
        started_at: time(r.get(3)?),
        opened_at: time(r.get(4)?),
        closed_at: opt_time(r.get(5)?),
        approval: r.get(6)?,
        override_by: r.get(7)?,
        override_reason: r.get(8)?,
        target_seconds: r.get(9)?,
        file: r.get(10)?,
    })
}

#[allow(clippy::too_many_arguments)]
fn add_step(
    tx: &Transaction,
    event: &str,
    step: &str,
    at: DateTime<Utc>,
    message: Option<&str>,
    lang: Option<&str>,
    by: Option<&str>,
    late_seconds: Option<i64>,
    detail: Option<&str>,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO steps (event, step, at, message, lang, by, late_seconds, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![event, step, utc_text(at), message, lang, by, late_seconds, detail])?;
    Ok(())
}
