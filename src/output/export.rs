//! A rendering's schedule as the bulk-upload CSV files of social media
//! schedulers (Hootsuite, Sprout Social, Buffer), so a team loads every
//! social post of the crisis into the tool it already uses in one step.
//!
//! Each tool's rules live in one table ([`Tool::rules`]): the networks it
//! posts to, its columns, its date format, how far ahead the first post
//! must be, the spacing it requires, and how many posts one file may hold.
//! A post due before the tool would accept it is not put in a file but
//! listed for the person on duty to post by hand; a post moved to meet the
//! tool's rules is listed with both times. Where each rule comes from is in
//! `docs/export.md`.

use anyhow::{bail, Result};
use chrono::{DateTime, Duration, TimeZone, Timelike};
use chrono_tz::Tz;
use clap::ValueEnum;

use crate::render::RenderedMessage;

/// A scheduler with a bulk-upload CSV format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Tool {
    /// Hootsuite's bulk composer.
    Hootsuite,
    /// Sprout Social's bulk scheduling.
    Sprout,
    /// Buffer's bulk upload.
    Buffer,
}

/// How the tool is told to read dates, where it lets the user choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DateOrder {
    /// Month first: 12/31/2026.
    Mdy,
    /// Day first: 31/12/2026.
    Dmy,
}

/// One tool's published rules for a bulk upload.
pub struct Rules {
    pub name: &'static str,
    /// The channels (in crisis's names) the tool posts to by bulk upload.
    pub networks: &'static [&'static str],
    /// The header row, or `None` when the file must have none.
    pub header: Option<&'static [&'static str]>,
    /// The most posts one file may hold.
    pub max_rows: usize,
    /// How far ahead of the upload the first post must be.
    pub min_lead: Duration,
    /// The least time between two posts of one file, if the tool sets one.
    pub min_spacing: Option<Duration>,
    /// Post times must fall on a multiple of this many minutes.
    pub minute_step: u32,
}

impl Tool {
    pub fn name(self) -> &'static str {
        self.rules().name
    }

    pub fn rules(self) -> Rules {
        match self {
            Tool::Hootsuite => Rules {
                name: "hootsuite",
                networks: &["x", "facebook", "linkedin"],
                header: None,
                max_rows: 350,
                min_lead: Duration::minutes(10),
                min_spacing: None,
                minute_step: 5,
            },
            Tool::Sprout => Rules {
                name: "sprout",
                networks: &["x", "facebook", "linkedin", "threads"],
                header: Some(&["date", "time_24hr", "message_text"]),
                max_rows: 350,
                min_lead: Duration::minutes(10),
                min_spacing: Some(Duration::minutes(10)),
                minute_step: 1,
            },
            Tool::Buffer => Rules {
                name: "buffer",
                networks: &[
                    "x", "facebook", "linkedin", "threads", "bluesky", "mastodon",
                ],
                header: Some(&["Text", "Image URL", "Tags", "Posting Time"]),
                max_rows: 100,
                min_lead: Duration::minutes(10),
                min_spacing: None,
                minute_step: 1,
            },
        }
    }

    /// One row of a post scheduled at `at`.
    fn row(self, text: &str, at: &DateTime<Tz>, order: DateOrder) -> Vec<String> {
        let date = match order {
            DateOrder::Mdy => at.format("%m/%d/%Y"),
            DateOrder::Dmy => at.format("%d/%m/%Y"),
        };
        match self {
            Tool::Hootsuite => vec![
                format!("{date} {}", at.format("%H:%M")),
                text.to_owned(),
                String::new(),
            ],
            Tool::Sprout => vec![
                date.to_string(),
                at.format("%H:%M").to_string(),
                text.to_owned(),
            ],
            Tool::Buffer => vec![
                text.to_owned(),
                String::new(),
                String::new(),
                at.format("%Y-%m-%d %H:%M").to_string(),
            ],
        }
    }
}

/// A post that is not in any file, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    pub id: String,
    pub channel: String,
    pub lang: String,
    pub reason: String,
}

/// A post scheduled later than it falls due, to meet the tool's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub id: String,
    pub lang: String,
    pub from: DateTime<Tz>,
    pub to: DateTime<Tz>,
    pub reason: String,
}

/// The files to write and what the person on duty must know about them.
#[derive(Debug, Default)]
pub struct Plan {
    /// File name and contents, one file per channel and language (and part,
    /// past the tool's per-file limit).
    pub files: Vec<(String, Vec<u8>, usize)>,
    /// Due before the tool would take them: post these by hand, now.
    pub by_hand: Vec<Left>,
    /// On a channel the tool does not bulk-post to.
    pub not_exported: Vec<Left>,
    pub moved: Vec<Moved>,
    /// Posts whose text starts like a spreadsheet formula.
    pub formula_like: Vec<Left>,
    /// Posts at a local time that happens twice (the hour the clocks go
    /// back), which a scheduler may read as either.
    pub ambiguous: Vec<Left>,
}

/// A post and the time it is scheduled at.
type Scheduled<'a> = (&'a RenderedMessage, DateTime<Tz>);

/// Plans the upload of `messages` (already rendered and approved) for
/// `tool`, uploaded at `now`, with times written in `zone`.
pub fn plan(
    tool: Tool,
    messages: &[RenderedMessage],
    now: DateTime<Tz>,
    zone: Tz,
    order: DateOrder,
    prefix: &str,
) -> Result<Plan> {
    let rules = tool.rules();
    let earliest = round_up(now.with_timezone(&zone) + rules.min_lead, rules.minute_step);
    let mut plan = Plan::default();
    // Files in the order channels and languages first appear.
    let mut groups: Vec<((String, String), Vec<Scheduled<'_>>)> = Vec::new();
    for m in messages {
        let left = |reason: String| Left {
            id: m.id.clone(),
            channel: m.channel.clone(),
            lang: m.lang.clone(),
            reason,
        };
        if !rules.networks.contains(&m.channel.as_str()) {
            plan.not_exported.push(left(format!(
                "{} does not bulk-post to {} ({})",
                rules.name,
                m.channel,
                rules.networks.join(", ")
            )));
            continue;
        }
        if !m.fits() {
            bail!(
                "{} ({}) does not fit {}; nothing was exported (run `crisis render` to see it)",
                m.id,
                m.lang,
                m.channel
            );
        }
        let due = m.due_at.with_timezone(&zone);
        if due < earliest {
            plan.by_hand.push(left(format!(
                "due {}, before the earliest time {} accepts ({}): post it by hand now",
                due.format("%Y-%m-%d %H:%M %Z"),
                rules.name,
                earliest.format("%H:%M %Z")
            )));
            continue;
        }
        if m.text.starts_with(['=', '+', '-', '@']) {
            plan.formula_like.push(left(
                "starts like a spreadsheet formula: upload the file as it is, never through a spreadsheet".to_owned(),
            ));
        }
        let key = (m.channel.clone(), m.lang.clone());
        let at = round_up(due, rules.minute_step);
        if zone
            .from_local_datetime(&at.naive_local())
            .single()
            .is_none()
        {
            plan.ambiguous.push(left(format!(
                "is at {}, a time that happens twice in {zone} that day as the clocks go back: {} may post it an hour off; export with --timezone UTC and set the account to UTC, or post it by hand",
                at.format("%Y-%m-%d %H:%M %Z"),
                rules.name
            )));
        }
        if at != due {
            plan.moved.push(Moved {
                id: m.id.clone(),
                lang: m.lang.clone(),
                from: due,
                to: at,
                reason: format!(
                    "{} takes times on a {}-minute step",
                    rules.name, rules.minute_step
                ),
            });
        }
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, posts)) => posts.push((m, at)),
            None => groups.push((key, vec![(m, at)])),
        }
    }
    for ((channel, lang), mut posts) in groups {
        posts.sort_by_key(|(_, at)| *at);
        if let Some(spacing) = rules.min_spacing {
            let mut last: Option<DateTime<Tz>> = None;
            for (m, at) in posts.iter_mut() {
                if let Some(previous) = last {
                    if *at < previous + spacing {
                        let to = previous + spacing;
                        plan.moved.push(Moved {
                            id: m.id.clone(),
                            lang: m.lang.clone(),
                            from: *at,
                            to,
                            reason: format!(
                                "{} needs {} minutes between posts",
                                rules.name,
                                spacing.num_minutes()
                            ),
                        });
                        *at = to;
                    }
                }
                last = Some(*at);
            }
        }
        let chunks: Vec<_> = posts.chunks(rules.max_rows).collect();
        for (n, chunk) in chunks.iter().enumerate() {
            let part = if chunks.len() > 1 {
                format!("-part{}", n + 1)
            } else {
                String::new()
            };
            let name = format!("{prefix}{}-{channel}-{lang}{part}.csv", rules.name);
            let mut csv = csv::WriterBuilder::new()
                .has_headers(false)
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new());
            if let Some(header) = rules.header {
                csv.write_record(header)?;
            }
            for (m, at) in chunk.iter() {
                csv.write_record(tool.row(&m.text, at, order))?;
            }
            let bytes = csv.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
            plan.files.push((name, bytes, chunk.len()));
        }
    }
    Ok(plan)
}

/// `at` moved up to whole minutes on a `step`-minute boundary.
fn round_up(at: DateTime<Tz>, step: u32) -> DateTime<Tz> {
    let whole = if at.second() > 0 || at.nanosecond() > 0 {
        at + Duration::seconds(60 - i64::from(at.second()))
    } else {
        at
    };
    let whole = whole.with_nanosecond(0).unwrap_or(whole);
    let whole = whole.with_second(0).unwrap_or(whole);
    let over = whole.minute() % step.max(1);
    if over == 0 {
        whole
    } else {
        whole + Duration::minutes(i64::from(step - over))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Tz> {
        chrono_tz::America::Los_Angeles
            .with_ymd_and_hms(2026, 12, 1, h, m, s)
            .single()
            .expect("a valid time")
    }

    #[test]
    fn times_round_up_to_the_step_never_down() {
        assert_eq!(round_up(at(9, 0, 0), 5), at(9, 0, 0));
        assert_eq!(round_up(at(9, 0, 1), 5), at(9, 5, 0));
        assert_eq!(round_up(at(9, 4, 0), 5), at(9, 5, 0));
        assert_eq!(round_up(at(9, 59, 30), 5), at(10, 0, 0));
        assert_eq!(round_up(at(9, 7, 59), 1), at(9, 8, 0));
    }
}
