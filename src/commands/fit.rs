//! `crisis fit`: measures a text against one or more channels, for the
//! people writing templates.
//!
//! Text output gives one short block per channel: length against limit in
//! the channel's unit, whether it fits, the first character past the limit,
//! and for SMS the encoding, the parts and the characters that forced UCS-2
//! (with their GSM look-alike where one exists).
//!
//! `--format json` prints one object per channel with `channel`, `length`,
//! `limit`, `unit` and `fits`; SMS adds `encoding`, `segments` and
//! `forcing_chars`; a byte limit adds `bytes` and `max_bytes`; X's refused
//! characters add `invalid`; a text that does not fit adds `first_over`
//! (`byte_offset`, `character`, `line`, `column`). One channel prints a
//! single object, several print an array in the order asked, so a script
//! asking about one channel does not have to unwrap a list.
//!
//! Exit: 0 when the text fits every channel asked, 1 when it does not fit
//! one, 2 for usage errors (no text, unknown channel, unreadable file).

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use serde_json::Value;

use crate::channel::{sms, ChannelSpec, Channels, Measurement};
use crate::Outcome;

/// Arguments of `crisis fit`.
#[derive(clap::Args, Debug, Clone)]
pub struct FitArgs {
    /// Channel to measure against; repeat it to compare, or use `all`.
    #[arg(long = "channel", short = 'c', value_name = "CHANNEL", required = true)]
    pub channels: Vec<String>,
    /// The text to measure, or `-` to read standard input.
    #[arg(value_name = "TEXT", conflicts_with = "file")]
    pub text: Option<String>,
    /// Read the text from this file (one trailing newline is ignored).
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FitFormat::Text)]
    pub format: FitFormat,
    /// SMS parts allowed (default: the channel's, normally 1).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=255))]
    pub max_segments: Option<u32>,
}

/// How `crisis fit` prints its results.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FitFormat {
    Text,
    Json,
}

/// Runs `crisis fit`.
pub fn run(args: &FitArgs, channels: &Channels, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let selected = select_channels(&args.channels, channels)?;
    let text = read_text(args)?;
    let results: Vec<(&ChannelSpec, Measurement)> = selected
        .into_iter()
        .map(|spec| (spec, spec.measure(&text, args.max_segments)))
        .collect();
    match args.format {
        FitFormat::Text => write_text(out, &text, &results)?,
        FitFormat::Json => write_json(out, &text, &results)?,
    }
    Ok(Outcome::from_failed(results.iter().any(|(_, m)| !m.fits)))
}

fn select_channels<'a>(
    asked: &[String],
    channels: &'a Channels,
) -> anyhow::Result<Vec<&'a ChannelSpec>> {
    let mut selected: Vec<&ChannelSpec> = Vec::new();
    for name in asked {
        let found: Vec<&ChannelSpec> = if name == "all" {
            channels.iter().collect()
        } else if let Some(spec) = channels.get(name) {
            vec![spec]
        } else {
            let known: Vec<&str> = channels.names().collect();
            match channels.closest(name) {
                Some(close) => bail!(
                    "unknown channel `{name}`; did you mean `{close}`? (known: {}, or `all`)",
                    known.join(", ")
                ),
                None => bail!(
                    "unknown channel `{name}`; use one of {}, or `all`",
                    known.join(", ")
                ),
            }
        };
        for spec in found {
            if !selected.iter().any(|s| s.name == spec.name) {
                selected.push(spec);
            }
        }
    }
    Ok(selected)
}

fn read_text(args: &FitArgs) -> anyhow::Result<String> {
    crate::input::text_argument(
        args.text.as_deref(),
        args.file.as_deref(),
        crate::limits::MAX_TEXT_BYTES,
    )
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Writes the text report, one block per channel.
pub fn write_text(
    out: &mut dyn Write,
    text: &str,
    results: &[(&ChannelSpec, Measurement)],
) -> std::io::Result<()> {
    for (spec, m) in results {
        let mut line = format!("{}: {}/{} {}", spec.name, m.length, m.limit, m.unit);
        if let Some(detail) = &m.sms {
            line.push_str(&format!(
                ", {}, {}",
                detail.encoding.as_str(),
                plural(detail.segments as usize, "part", "parts")
            ));
        }
        if let Some(bytes) = &m.bytes {
            line.push_str(&format!(", {}/{} bytes", bytes.length, bytes.limit));
        }
        if m.fits {
            line.push_str(" — fits");
        } else if let Some(allowed) = m.max_segments {
            line.push_str(&format!(
                " — does not fit ({} allowed)",
                plural(allowed as usize, "part", "parts")
            ));
        } else if !m.invalid.is_empty() {
            let chars: Vec<String> = m
                .invalid
                .iter()
                .map(|c| {
                    if c.is_alphanumeric() {
                        format!("'{c}' U+{:04X}", *c as u32)
                    } else {
                        format!("U+{:04X}", *c as u32)
                    }
                })
                .collect();
            let why = if spec.counting == crate::channel::Counting::Gsm7 {
                "outside GSM-7"
            } else {
                "refused characters"
            };
            line.push_str(&format!(
                " — does not fit ({why}: {}{})",
                chars.join(", "),
                if m.over() > 0 {
                    format!("; {} over", m.over())
                } else {
                    String::new()
                }
            ));
        } else if m.length == 0 {
            line.push_str(" — does not fit (an empty post is refused)");
        } else if m.over() > 0 {
            line.push_str(&format!(" — does not fit ({} over)", m.over()));
        } else if let Some(bytes) = m.bytes.filter(|b| !b.fits) {
            line.push_str(&format!(
                " — does not fit ({} bytes over)",
                bytes.length - bytes.limit
            ));
        } else {
            line.push_str(" — does not fit");
        }
        if let Some(first) = &m.first_over {
            let (row, column) = line_column(text, first.byte_offset);
            line.push_str(&format!(
                "; first character past the limit: {} at line {row}, column {column}",
                show_char(first.character)
            ));
        }
        writeln!(out, "{line}")?;
        if let Some(detail) = m.sms.as_ref().filter(|d| !d.forcing_chars.is_empty()) {
            let listed: Vec<String> = detail
                .forcing_chars
                .iter()
                .map(|&c| match sms::gsm_replacement(c) {
                    Some(replacement) => format!("{} (use {replacement:?})", show_char(c)),
                    None => show_char(c),
                })
                .collect();
            writeln!(out, "  UCS-2 forced by: {}", listed.join(", "))?;
        }
    }
    Ok(())
}

/// A character as a reader can see it: quoted, or as U+XXXX when it is
/// invisible.
fn show_char(c: char) -> String {
    if c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
        )
    {
        format!("U+{:04X}", c as u32)
    } else {
        format!("'{c}'")
    }
}

/// Writes the JSON report: an object for one channel, an array for several.
pub fn write_json(
    out: &mut dyn Write,
    text: &str,
    results: &[(&ChannelSpec, Measurement)],
) -> std::io::Result<()> {
    let objects: Vec<Value> = results
        .iter()
        .map(|(spec, m)| json_object(spec, m, text))
        .collect();
    let value = match <[Value; 1]>::try_from(objects) {
        Ok([single]) => single,
        Err(many) => Value::Array(many),
    };
    let rendered = serde_json::to_string_pretty(&value).map_err(std::io::Error::other)?;
    writeln!(out, "{rendered}")
}

/// One channel's measurement of a text, as `crisis fit --format json`
/// prints it (one object for one channel, a list for several).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct FitJson {
    pub channel: String,
    pub length: usize,
    pub limit: usize,
    pub unit: String,
    pub fits: bool,
    /// SMS: `GSM-7` or `UCS-2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segments: Option<u32>,
    /// SMS: the characters that force UCS-2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forcing_chars: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<usize>,
    /// Characters the channel does not accept at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid: Option<Vec<String>>,
    /// Where the text first goes past the limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_over: Option<FirstOverJson>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct FirstOverJson {
    pub byte_offset: usize,
    pub character: String,
    pub line: usize,
    pub column: usize,
}

fn json_object(spec: &ChannelSpec, m: &Measurement, text: &str) -> Value {
    let chars = |cs: &[char]| cs.iter().map(char::to_string).collect::<Vec<_>>();
    let typed = FitJson {
        channel: spec.name.clone(),
        length: m.length,
        limit: m.limit,
        unit: m.unit.to_string(),
        fits: m.fits,
        encoding: m.sms.as_ref().map(|d| d.encoding.as_str().to_owned()),
        segments: m.sms.as_ref().map(|d| d.segments),
        forcing_chars: m.sms.as_ref().map(|d| chars(&d.forcing_chars)),
        bytes: m.bytes.as_ref().map(|b| b.length),
        max_bytes: m.bytes.as_ref().map(|b| b.limit),
        invalid: (!m.invalid.is_empty()).then(|| chars(&m.invalid)),
        first_over: m.first_over.as_ref().map(|first| {
            let (line, column) = line_column(text, first.byte_offset);
            FirstOverJson {
                byte_offset: first.byte_offset,
                character: first.character.to_string(),
                line,
                column,
            }
        }),
    };
    serde_json::to_value(typed).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(channels: &[&str], text: &str, format: FitFormat) -> FitArgs {
        FitArgs {
            channels: channels.iter().map(|c| c.to_string()).collect(),
            text: Some(text.to_string()),
            file: None,
            format,
            max_segments: None,
        }
    }

    fn run_to_string(args: &FitArgs) -> (anyhow::Result<Outcome>, String) {
        let mut out = Vec::new();
        let outcome = run(args, &Channels::builtin(), &mut out);
        (outcome, String::from_utf8_lossy(&out).into_owned())
    }

    #[test]
    fn x_over_the_limit_names_the_first_character_past_it() {
        let text = format!("{}é{}", "a".repeat(280), "b".repeat(10));
        let (outcome, printed) = run_to_string(&args(&["x"], &text, FitFormat::Text));
        assert_eq!(outcome.ok(), Some(Outcome::Findings));
        assert_eq!(
            printed,
            "x: 291/280 weighted characters — does not fit (11 over); first character past the limit: 'é' at line 1, column 281\n"
        );
    }

    #[test]
    fn sms_shows_encoding_parts_and_forcing_characters() {
        let (outcome, printed) =
            run_to_string(&args(&["sms"], "Don’t drive… stay home", FitFormat::Text));
        assert_eq!(outcome.ok(), Some(Outcome::Success));
        assert_eq!(
            printed,
            "sms: 22/70 UTF-16 units, UCS-2, 1 part — fits\n  UCS-2 forced by: '’' (use \"'\"), '…' (use \"...\")\n"
        );
    }

    #[test]
    fn sms_over_its_parts_says_how_many_are_allowed() {
        let text = "x".repeat(161);
        let (outcome, printed) = run_to_string(&args(&["sms"], &text, FitFormat::Text));
        assert_eq!(outcome.ok(), Some(Outcome::Findings));
        assert_eq!(
            printed,
            "sms: 161/160 septets, GSM-7, 2 parts — does not fit (1 part allowed); first character past the limit: 'x' at line 1, column 161\n"
        );
        let mut two = args(&["sms"], &text, FitFormat::Text);
        two.max_segments = Some(2);
        assert_eq!(run_to_string(&two).0.ok(), Some(Outcome::Success));
    }

    #[test]
    fn json_is_one_object_for_one_channel() {
        let (_, printed) = run_to_string(&args(&["sms"], "Evacúe", FitFormat::Json));
        let value: Value = serde_json::from_str(&printed).unwrap_or(Value::Null);
        assert_eq!(
            value,
            serde_json::json!({"channel": "sms", "length": 6, "limit": 70, "unit": "UTF-16 units", "fits": true,
                   "encoding": "UCS-2", "segments": 1, "forcing_chars": ["ú"]})
        );
    }

    #[test]
    fn json_is_an_array_for_several_channels_in_the_order_asked() {
        let (outcome, printed) =
            run_to_string(&args(&["mastodon", "x", "mastodon"], "hi", FitFormat::Json));
        assert_eq!(outcome.ok(), Some(Outcome::Success));
        let value: Value = serde_json::from_str(&printed).unwrap_or(Value::Null);
        let names: Vec<&str> = value
            .as_array()
            .map(|a| a.iter().filter_map(|o| o["channel"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(names, ["mastodon", "x"]);
        assert!(value[0].get("encoding").is_none());
    }

    #[test]
    fn all_measures_every_channel() {
        let (_, printed) = run_to_string(&args(
            &["all"],
            "Boil water before drinking.",
            FitFormat::Text,
        ));
        let names: Vec<&str> = printed
            .lines()
            .filter(|l| !l.starts_with(' '))
            .filter_map(|l| l.split(':').next())
            .collect();
        let channels = Channels::builtin();
        let expected: Vec<&str> = channels.names().collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn unknown_channel_suggests_the_closest() {
        let (outcome, _) = run_to_string(&args(&["mastadon"], "hi", FitFormat::Text));
        let message = outcome.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("did you mean `mastodon`?"), "{message}");
    }

    #[test]
    fn missing_text_is_a_usage_error() {
        let mut no_text = args(&["x"], "", FitFormat::Text);
        no_text.text = None;
        let message = run_to_string(&no_text)
            .0
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.starts_with("no text to measure"), "{message}");
    }

    #[test]
    fn unreadable_file_is_a_usage_error() {
        let mut from_file = args(&["x"], "", FitFormat::Text);
        from_file.text = None;
        from_file.file = Some(PathBuf::from("does/not/exist.txt"));
        let message = run_to_string(&from_file)
            .0
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            message.contains("cannot read the text does/not/exist.txt"),
            "{message}"
        );
    }

    #[test]
    fn positions_are_line_and_column() {
        assert_eq!(line_column("ab\ncdé", 6), (2, 4));
        assert_eq!(line_column("abc", 0), (1, 1));
    }
}
