//! crisis-playbook: pre-approved crisis communication playbooks kept as files
//! in git, linted in calm times and rendered in minutes when it matters.
//!
//! Data flows one way: files ([`catalog`], [`yaml`], [`load`]) become the
//! typed model ([`playbook`], [`field`]); [`lint`] and [`render`] are
//! functions of the model; [`report`] and the render outputs print results.
//! [`ledger`] runs events: the schedule, the SQLite ledger and the outbox.
//! [`commands`] wires each subcommand; `main.rs` only maps outcomes to exit
//! codes.

pub mod approval;
pub mod atomic;
pub mod cap;
pub mod catalog;
pub mod channel;
pub mod checklist;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod diagnostic;
pub mod duration;
pub mod error;
pub mod event;
pub mod field;
pub mod input;
pub mod ledger;
pub mod limits;
pub mod lint;
pub mod load;
pub mod output;
pub mod packet;
pub mod playbook;
pub mod prompt;
pub mod readability;
pub mod render;
pub mod report;
pub mod settings;
pub mod span;
pub mod suggest;
pub mod template;
pub mod text;
pub mod yaml;

/// What a command found, as the exit code tells it: 0 for success, 1 for
/// findings (lint errors, a message that does not fit, a refused render).
/// Errors (usage, unreadable input) are `Err` and exit 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Findings,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Findings => 1,
        }
    }

    /// Findings if `failed`, else success.
    pub fn from_failed(failed: bool) -> Outcome {
        if failed {
            Outcome::Findings
        } else {
            Outcome::Success
        }
    }
}
