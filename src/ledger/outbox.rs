//! The outbox: where `crisis due` puts each message when it falls due, for
//! people to sign off and for posting tools to pick up.
//!
//! One folder per event and message, `OUTBOX/<event-id>/<message-id>/`,
//! holding `<lang>.txt` per language, `checklist.md` and `message.json`
//! (the contract for posting tools, [`Post`], documented in
//! `docs/outbox.md`). An item appears whole: it is written into a hidden
//! sibling folder (`.<message-id>.claim-<run>`) and renamed into place, so
//! a reader never sees part of one. Sign-off rewrites `message.json` and
//! `checklist.md` each by a rename too. Readers skip names starting with
//! `.`.

use anyhow::{Context, Result};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

/// The file of an item that posting tools read.
pub const MESSAGE_JSON: &str = "message.json";
/// The checklist people sign off.
pub const CHECKLIST_MD: &str = "checklist.md";

/// One language of one message of one event, ready for sign-off and
/// posting. `message.json` is a list of these, one per language. Fields
/// are added, never renamed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Post {
    /// The message id in the playbook, such as `follow-up-x`.
    pub id: String,
    /// The event id, such as `disaster-helpline-20261201-1533`.
    pub event: String,
    /// Where to post it: x, facebook, sms, email, web, press, ...
    pub channel: String,
    /// The language code of `text`.
    pub lang: String,
    /// The words to post, exactly.
    pub text: String,
    /// The email subject; `null` for other channels.
    pub subject: Option<String>,
    /// The length of `text` as the channel counts it.
    pub length: usize,
    /// The channel's limit in the same unit.
    pub limit: usize,
    /// When it fell due (RFC 3339, in the playbook's zone).
    pub due_at: String,
    /// When it was put in the outbox (RFC 3339, in the playbook's zone).
    pub emitted_at: String,
    /// Seconds from `due_at` to `emitted_at` (0 when on time).
    pub late_seconds: i64,
    /// Whether the words were approved: `true` when every required role
    /// approved them (when the event opened, or since), `false` when
    /// released with an override, `null` when no approval is required.
    pub approved: Option<bool>,
    /// `NOT PRE-APPROVED: released by NAME because REASON` for an event
    /// opened with `--override`; `null` otherwise. Never post such words
    /// without showing them to the person who released them.
    #[serde(rename = "override")]
    pub override_: Option<String>,
    /// Whether every human checklist item is confirmed (`crisis signoff`).
    /// Post only when true.
    pub ready: bool,
    /// The sign-off checklist: items a person confirms (numbered, `n`), then
    /// what crisis checked itself (`n` is null, `done` true).
    pub checklist: Vec<Check>,
    /// True when the playbook is from the example catalog built into
    /// crisis: never post it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub examples: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Check {
    /// The item's number for `crisis signoff --item N`; null for what
    /// crisis checked itself.
    pub n: Option<u32>,
    /// Who confirms it.
    pub role: String,
    /// What they confirm.
    pub item: String,
    /// Whether it is confirmed (always true for what crisis checked).
    pub done: bool,
    /// Who confirmed it (`NAME, ROLE`).
    pub by: Option<String>,
    /// When (RFC 3339, in the playbook's zone).
    pub at: Option<String>,
}

/// The JSON Schema of `message.json`.
pub fn schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(Vec<Post>).to_value();
    if let Some(object) = schema.as_object_mut() {
        object.insert("title".into(), "crisis-playbook outbox message.json".into());
        object.insert(
            "description".into(),
            "One entry per language of one message of one event, as `crisis due` writes it into OUTBOX/<event-id>/<message-id>/message.json. Fields are added, never renamed.".into(),
        );
    }
    schema
}

/// The files of an item, from its posts (one per language, sharing one
/// checklist). `marks` go first in every text file.
pub fn files(posts: &[Post], marks: &[String]) -> Result<Vec<(String, Vec<u8>)>> {
    let mut head = String::new();
    for mark in marks {
        head.push_str(mark);
        head.push('\n');
    }
    if !head.is_empty() {
        head.push('\n');
    }
    let mut files = Vec::new();
    for post in posts {
        let mut text = head.clone();
        if let Some(subject) = &post.subject {
            text.push_str(&format!("Subject: {subject}\n\n"));
        }
        text.push_str(&post.text);
        text.push('\n');
        files.push((format!("{}.txt", post.lang), text.into_bytes()));
    }
    files.push((
        CHECKLIST_MD.to_owned(),
        checklist_md(posts, marks).into_bytes(),
    ));
    let mut json = serde_json::to_vec_pretty(posts)?;
    json.push(b'\n');
    files.push((MESSAGE_JSON.to_owned(), json));
    Ok(files)
}

/// `checklist.md`: what to confirm before posting, numbered for
/// `crisis signoff`, then what crisis checked.
pub fn checklist_md(posts: &[Post], marks: &[String]) -> String {
    let Some(first) = posts.first() else {
        return String::new();
    };
    let mut out = String::new();
    for mark in marks {
        out.push_str(&format!("**{mark}**\n\n"));
    }
    let langs: Vec<&str> = posts.iter().map(|p| p.lang.as_str()).collect();
    out.push_str(&format!(
        "# {} ({}, {}) for event {}\n\n",
        first.id,
        first.channel,
        langs.join(", "),
        first.event
    ));
    out.push_str(&format!(
        "Due {}; in the outbox {}",
        first.due_at, first.emitted_at
    ));
    if first.late_seconds > 0 {
        out.push_str(&format!(
            ", {} late",
            crate::clock::format_elapsed(first.late_seconds)
        ));
    }
    out.push_str(".\n\n");
    out.push_str(if first.ready {
        "**Ready to post**: every item below is confirmed.\n\n"
    } else {
        "Not ready: confirm each item, then post.\n\n"
    });
    out.push_str(&format!(
        "## To confirm\n\n`crisis signoff {} {} --by \"NAME, ROLE\" --item N` (without `--item`: every item)\n\n",
        first.event, first.id
    ));
    for check in first.checklist.iter().filter(|c| c.n.is_some()) {
        let n = check.n.unwrap_or_default();
        let tick = if check.done { "x" } else { " " };
        out.push_str(&format!("{n}. [{tick}] **{}**: {}", check.role, check.item));
        if let (Some(by), Some(at)) = (&check.by, &check.at) {
            out.push_str(&format!(" (confirmed by {by}, {at})"));
        }
        out.push('\n');
    }
    out.push_str("\n## Checked by crisis\n\n");
    for check in first.checklist.iter().filter(|c| c.n.is_none()) {
        out.push_str(&format!("- **{}**: {}\n", check.role, check.item));
    }
    out
}

/// What writing an item did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    /// The item was written and renamed into place.
    Written,
    /// An item was already in place (written by a run that stopped before
    /// recording it); it was left as it is.
    AlreadyThere,
}

/// Writes an item into `event_dir/<message>` (the folder must exist)
/// through `event_dir/<staging>`. The rename is the check that no item is
/// there yet: a folder cannot be renamed onto one that holds files.
pub fn write_item(
    event_dir: &Path,
    message: &str,
    staging: &str,
    files: &[(String, Vec<u8>)],
) -> Result<Placed> {
    let target = event_dir.join(message);
    let temp = event_dir.join(staging);
    if let Err(err) = std::fs::create_dir(&temp) {
        // Left by an earlier attempt of this run: start again.
        if err.kind() != std::io::ErrorKind::AlreadyExists {
            return Err(err).with_context(|| format!("cannot create {}", temp.display()));
        }
        std::fs::remove_dir_all(&temp)
            .and_then(|()| std::fs::create_dir(&temp))
            .with_context(|| format!("cannot create {}", temp.display()))?;
    }
    let written = (|| -> Result<()> {
        for (name, contents) in files {
            let path = temp.join(name);
            let mut file = std::fs::File::create(&path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            // Not synced to disk file by file: the rename makes an item
            // appear whole to every reader and survives the process dying
            // at any point; a power cut is another matter (docs/events.md).
            file.write_all(contents)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    })();
    if let Err(err) = written {
        let _ = std::fs::remove_dir_all(&temp);
        return Err(err);
    }
    match std::fs::rename(&temp, &target) {
        Ok(()) => Ok(Placed::Written),
        Err(_) if is_item(&target) => {
            let _ = std::fs::remove_dir_all(&temp);
            Ok(Placed::AlreadyThere)
        }
        Err(err) => {
            let _ = std::fs::remove_dir_all(&temp);
            Err(err).with_context(|| format!("cannot write {}", target.display()))
        }
    }
}

/// Whether `dir` holds an item (its `message.json` is the last file written
/// before the rename, and an item is only ever seen whole).
pub fn is_item(dir: &Path) -> bool {
    dir.join(MESSAGE_JSON).is_file()
}

/// Reads an item's `message.json`.
pub fn read(dir: &Path) -> Result<Vec<Post>> {
    let path = dir.join(MESSAGE_JSON);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not the message.json crisis writes (edited by hand?)",
            path.display()
        )
    })
}

/// Rewrites an item's `message.json` and `checklist.md` (each by a rename).
pub fn rewrite(dir: &Path, posts: &[Post], marks: &[String]) -> Result<()> {
    let mut json = serde_json::to_vec_pretty(posts)?;
    json.push(b'\n');
    crate::atomic::write(
        &dir.join(CHECKLIST_MD),
        checklist_md(posts, marks).as_bytes(),
    )?;
    crate::atomic::write(&dir.join(MESSAGE_JSON), &json)
}

/// The marks every text file of an item starts with.
pub fn marks_of(post: &Post) -> Vec<String> {
    let mut marks = Vec::new();
    if post.examples {
        marks.push(crate::output::EXAMPLE_MARK.to_owned());
    }
    if let Some(mark) = &post.override_ {
        marks.push(mark.clone());
    }
    marks
}
