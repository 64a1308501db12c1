//! The review packet as one HTML page that approvers open in a browser:
//! each message drawn the way its channel shows it (a post card, an SMS
//! bubble cut into its parts, an email, the web banner, the press
//! statement), its languages side by side, then the approvals and the
//! checklist.
//!
//! The page stands alone: inline CSS, no scripts, no links to fetch, so it
//! reads the same from a mail attachment, a shared drive or a phone with no
//! signal. It is drawn by a fixed template (`review.html`, beside this file)
//! in its own minijinja environment with HTML escaping always on: every
//! word on the page comes from a playbook or an event, and none of it may
//! become markup.

use std::io::{self, Write};

use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment};
use serde::Serialize;

use super::length_line;
use super::markdown::capitalise;
use crate::checklist::Item;
use crate::render::{RenderedMessage, Rendering};

const TEMPLATE_NAME: &str = "review.html";
const TEMPLATE: &str = include_str!("review.html");

/// The role under which the checklist reports a valid approval.
const APPROVED_ROLE: &str = "Approved: ";

pub fn write(
    rendering: &Rendering,
    checklist: &[Item],
    banner: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut env = Environment::new();
    // Escaping does not hang on the template's name: it is always on.
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template(TEMPLATE_NAME, TEMPLATE)
        .map_err(io::Error::other)?;
    let page = Page::new(rendering, checklist, banner);
    let html = env
        .get_template(TEMPLATE_NAME)
        .and_then(|t| t.render(Serde(&page)))
        .map_err(io::Error::other)?;
    out.write_all(html.as_bytes())?;
    if !html.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Everything the template shows, already in words.
#[derive(Serialize)]
struct Page {
    playbook: String,
    title: String,
    version: u32,
    clock: String,
    overdue: bool,
    rendered_at: String,
    /// The full banner line, when one applies.
    banner: Option<String>,
    /// The word drawn across the page: DRAFT, EXAMPLE or both.
    watermark: Option<String>,
    all_fit: bool,
    groups: Vec<Group>,
    approvals: Vec<Approval>,
    checklist: Vec<RoleItems>,
}

/// One message id: its versions in every language rendered.
#[derive(Serialize)]
struct Group {
    id: String,
    channel: String,
    /// How the channel shows a message: `post`, `sms`, `email`, `banner`,
    /// `press` or `plain`.
    kind: &'static str,
    /// The channel's name as its users write it (`X`, `Bluesky`).
    platform: String,
    due: String,
    versions: Vec<Version>,
}

#[derive(Serialize)]
struct Version {
    lang: String,
    /// `rtl` or `ltr`.
    dir: &'static str,
    text: String,
    subject: Option<String>,
    count: String,
    subject_count: Option<String>,
    fits: bool,
    /// How full the channel's limit is, in percent (capped at 100).
    fill: usize,
    /// SMS only: the text cut into its parts.
    parts: Vec<String>,
}

#[derive(Serialize)]
struct Approval {
    role: String,
    item: String,
    ok: bool,
}

#[derive(Serialize)]
struct RoleItems {
    role: String,
    items: Vec<Check>,
}

#[derive(Serialize)]
struct Check {
    item: String,
    done: bool,
}

impl Page {
    fn new(rendering: &Rendering, checklist: &[Item], banner: Option<&str>) -> Page {
        let mut groups: Vec<Group> = Vec::new();
        for m in &rendering.messages {
            let version = Version::new(m);
            match groups.iter_mut().find(|g| g.id == m.id) {
                Some(group) => group.versions.push(version),
                None => groups.push(Group {
                    id: m.id.clone(),
                    channel: m.channel.clone(),
                    kind: kind(m),
                    platform: platform(&m.channel),
                    due: super::due_text(m, "%a %-d %b %Y, %H:%M %Z"),
                    versions: vec![version],
                }),
            }
        }
        let mut approvals = Vec::new();
        let mut by_role: Vec<RoleItems> = Vec::new();
        for item in checklist {
            if let Some(role) = item.role.strip_prefix(APPROVED_ROLE) {
                approvals.push(Approval {
                    role: role.to_owned(),
                    item: item.item.clone(),
                    ok: true,
                });
                continue;
            }
            if item.role == crate::approval::DRAFT_MARK {
                approvals.push(Approval {
                    role: item.role.clone(),
                    item: item.item.clone(),
                    ok: false,
                });
                continue;
            }
            let check = Check {
                item: item.item.clone(),
                done: item.done,
            };
            match by_role.iter_mut().find(|r| r.role == item.role) {
                Some(role) => role.items.push(check),
                None => by_role.push(RoleItems {
                    role: item.role.clone(),
                    items: vec![check],
                }),
            }
        }
        Page {
            playbook: rendering.playbook.clone(),
            title: rendering.title.clone(),
            version: rendering.version,
            clock: capitalise(&rendering.clock.summary()),
            overdue: rendering.clock.overdue() == Some(true),
            rendered_at: rendering
                .rendered_at
                .format("%a %-d %b %Y, %H:%M %Z")
                .to_string(),
            banner: banner.map(str::to_owned),
            watermark: banner.map(watermark),
            all_fit: rendering.all_fit(),
            groups,
            approvals,
            checklist: by_role,
        }
    }
}

impl Version {
    fn new(m: &RenderedMessage) -> Version {
        let measured = &m.measurement;
        let parts = match &measured.sms {
            Some(_) => crate::channel::sms::split(&m.text)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            None => Vec::new(),
        };
        let fill = (measured.length * 100)
            .checked_div(measured.limit)
            .unwrap_or(100)
            .min(100);
        Version {
            lang: m.lang.clone(),
            dir: direction(&m.lang),
            text: m.text.clone(),
            subject: m.subject.clone(),
            count: length_line(measured),
            subject_count: m.subject_measurement.as_ref().map(length_line),
            fits: m.fits(),
            fill,
            parts,
        }
    }
}

/// How the channel draws a message. The built-in channels are known by
/// name; a catalog's own channel is drawn by how it counts (an SMS
/// gateway) or what it has (a subject makes it an email).
fn kind(m: &RenderedMessage) -> &'static str {
    match m.channel.as_str() {
        "x" | "mastodon" | "bluesky" | "facebook" | "threads" | "instagram" | "linkedin" => "post",
        "sms" => "sms",
        "email" => "email",
        "web" => "banner",
        "press" => "press",
        _ if m.measurement.sms.is_some() => "sms",
        _ if m.subject.is_some() => "email",
        _ => "plain",
    }
}

/// The built-in channels as their users write them; a catalog's own
/// channel by its name.
fn platform(channel: &str) -> String {
    let name = match channel {
        "x" => "X",
        "facebook" => "Facebook",
        "instagram" => "Instagram",
        "linkedin" => "LinkedIn",
        "bluesky" => "Bluesky",
        "mastodon" => "Mastodon",
        "threads" => "Threads",
        "sms" => "SMS",
        "email" => "Email",
        "web" => "Website",
        "press" => "Press",
        other => other,
    };
    name.to_owned()
}

/// `rtl` for languages written right to left. A script subtag decides when
/// there is one (`az-Arab`, `ur-Latn`); otherwise the language does.
fn direction(lang: &str) -> &'static str {
    const RTL_LANGUAGES: [&str; 10] = ["ar", "he", "fa", "ur", "yi", "ps", "sd", "ckb", "dv", "ug"];
    const RTL_SCRIPTS: [&str; 6] = ["arab", "hebr", "thaa", "syrc", "nkoo", "adlm"];
    let mut subtags = lang.split(['-', '_']);
    let language = subtags.next().unwrap_or_default().to_ascii_lowercase();
    let script = subtags
        .next()
        .filter(|s| s.len() == 4 && s.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_ascii_lowercase);
    let rtl = match script {
        Some(script) => RTL_SCRIPTS.contains(&script.as_str()),
        None => RTL_LANGUAGES.contains(&language.as_str()),
    };
    if rtl {
        "rtl"
    } else {
        "ltr"
    }
}

/// The word across the page: a banner names what applies, and a reader
/// needs the word, not the sentence.
fn watermark(banner: &str) -> String {
    let mut words = Vec::new();
    if banner.contains(super::EXAMPLE_MARK) {
        words.push("EXAMPLE");
    }
    if banner.contains(crate::approval::DRAFT_MARK) {
        words.push("DRAFT");
    }
    // An unknown banner still marks the page: unapproved until shown not.
    if words.is_empty() {
        words.push("DRAFT");
    }
    words.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_to_left_languages_and_their_subtags() {
        for lang in [
            "ar", "he", "fa", "ur", "ar-EG", "he-IL", "fa-IR", "ur-PK", "az-Arab",
        ] {
            assert_eq!(direction(lang), "rtl", "{lang}");
        }
        for lang in ["en", "es", "es-419", "zh-Hant", "ur-Latn", "arn", "her"] {
            assert_eq!(direction(lang), "ltr", "{lang}");
        }
    }

    #[test]
    fn the_watermark_names_each_mark() {
        assert_eq!(watermark(crate::approval::DRAFT_MARK), "DRAFT");
        assert_eq!(watermark(super::super::EXAMPLE_MARK), "EXAMPLE");
        let both = format!(
            "{} / {}",
            super::super::EXAMPLE_MARK,
            crate::approval::DRAFT_MARK
        );
        assert_eq!(watermark(&both), "EXAMPLE · DRAFT");
        assert_eq!(watermark("something else"), "DRAFT");
    }
}
