//! Events, the ledger and the outbox: what happens after a playbook is
//! opened for a real event.
//!
//! `crisis open` checks the details as render does and writes an event file
//! ([`record`]) with the schedule fixed ([`schedule`]); `crisis due`, run
//! from cron, puts each message into the outbox when it falls due, exactly
//! once ([`due`], [`outbox`]); `signoff`, `posted` and `close` record what
//! people did; `timeline` shows it all against the clock. Every step is in
//! one SQLite ledger ([`store`]). Whether words may go out is decided in
//! [`gate`]; how one message is rendered for the outbox in [`compose`].
//!
//! The files this touches are in three roots the user names (the events
//! folder, the outbox, the ledger), and every name inside them is a checked
//! [`names::Name`].

pub mod compose;
pub mod due;
pub mod gate;
pub mod names;
pub mod outbox;
pub mod record;
pub mod runlock;
pub mod schedule;
pub mod store;
pub mod timeline;

use std::path::{Path, PathBuf};

/// The ledger's file name in the events folder, by default.
pub const LEDGER_FILE: &str = "ledger.sqlite";

/// Where events, the ledger and the outbox are.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The events folder: one `<event-id>.yaml` per event.
    pub events: PathBuf,
    /// The SQLite ledger (default `EVENTS/ledger.sqlite`).
    pub ledger: PathBuf,
    /// The outbox (default `outbox/` beside the events folder).
    pub outbox: PathBuf,
    cwd: PathBuf,
}

impl Paths {
    /// The paths, each made absolute against `cwd`.
    pub fn new(events: &Path, ledger: Option<&Path>, outbox: Option<&Path>, cwd: &Path) -> Paths {
        let events = cwd.join(events);
        let ledger = ledger.map_or_else(|| events.join(LEDGER_FILE), |l| cwd.join(l));
        let outbox = outbox.map_or_else(
            || {
                events
                    .parent()
                    .map_or_else(|| PathBuf::from("outbox"), |p| p.join("outbox"))
            },
            |o| cwd.join(o),
        );
        Paths {
            events,
            ledger,
            outbox,
            cwd: cwd.to_path_buf(),
        }
    }

    /// The folder of run locks, beside the ledger.
    pub fn runs(&self) -> PathBuf {
        let mut name = self.ledger.file_name().unwrap_or_default().to_os_string();
        name.push("-runs");
        self.ledger.with_file_name(name)
    }

    /// The event file of `id`.
    pub fn event_file(&self, id: &names::Name) -> PathBuf {
        self.events.join(format!("{id}.yaml"))
    }

    /// A path as the user would type it: relative to the working folder when
    /// inside it.
    pub fn display(&self, path: &Path) -> String {
        path.strip_prefix(&self.cwd)
            .unwrap_or(path)
            .display()
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ledger_and_the_outbox_default_beside_the_events() {
        let paths = Paths::new(Path::new("events"), None, None, Path::new("/duty"));
        assert_eq!(paths.ledger, Path::new("/duty/events/ledger.sqlite"));
        assert_eq!(paths.outbox, Path::new("/duty/outbox"));
        assert_eq!(paths.runs(), Path::new("/duty/events/ledger.sqlite-runs"));
        assert_eq!(paths.display(&paths.outbox.join("e/m")), "outbox/e/m");
        let moved = Paths::new(
            Path::new("/srv/events"),
            Some(Path::new("l.db")),
            Some(Path::new("/srv/out")),
            Path::new("/duty"),
        );
        assert_eq!(moved.ledger, Path::new("/duty/l.db"));
        assert_eq!(moved.outbox, Path::new("/srv/out"));
        assert_eq!(moved.display(&moved.outbox), "/srv/out");
    }
}
