//! The `channels:` section of a catalog's `crisis.yaml`: overriding the
//! limits of built-in channels and adding new ones.
//!
//! ```yaml
//! channels:
//!   x: { limit: 25000 }            # a Premium account
//!   mastodon: { limit: 1000 }      # our server allows more
//!   pager: { counting: characters, limit: 240, source: "our paging vendor's contract" }
//!   pager-short: { counting: characters, limit: 90 }
//! ```
//!
//! An override changes only what it names. A new channel must name
//! `counting` and, unless it counts SMS parts, `limit`. Problems are
//! returned all at once, each naming the channel and field, so lint can
//! point at them.

use std::fmt;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{ChannelSpec, Counting, SmsEncoding};

/// The catalog config file, `crisis.yaml` at the catalog root.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogConfig {
    /// Channels to change or add, by name.
    #[serde(default)]
    pub channels: IndexMap<String, ChannelConfig>,
}

/// One channel's settings; every field is optional for a built-in channel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelConfig {
    /// How the channel counts: x-weighted, sms, graphemes, mastodon,
    /// characters or gsm7. Required for a new channel.
    pub counting: Option<Counting>,
    /// The limit in the counting's unit. Required for a new channel (except
    /// sms, which is limited in parts: use `max_segments`).
    pub limit: Option<usize>,
    /// A UTF-8 byte limit that must hold too.
    pub max_bytes: Option<usize>,
    /// A subject line limit, in characters.
    pub subject_limit: Option<usize>,
    /// SMS only: how many parts a message may use unless it says otherwise.
    pub max_segments: Option<u32>,
    /// What a link counts, whatever its length.
    pub url_length: Option<usize>,
    /// Where the limit comes from, shown by `crisis fit` and the docs.
    pub source: Option<String>,
    /// Whether anyone can read what is posted there (default true for a new
    /// channel); fields marked `private` never go to a public channel.
    pub public: Option<bool>,
}

/// One thing wrong with a channel in `crisis.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// The channel's key under `channels:`.
    pub channel: String,
    /// The field at fault, or `None` for the channel entry itself.
    pub field: Option<&'static str>,
    pub message: String,
}

/// Every problem of a config. It reads as one message (one problem per
/// clause) where a single message is wanted, and keeps each problem's
/// channel and field for callers that can point at them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblems(pub Vec<ConfigProblem>);

impl fmt::Display for ConfigProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, problem) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str("; ")?;
            }
            match problem.field {
                Some(field) => write!(
                    f,
                    "channels.{}.{field}: {}",
                    problem.channel, problem.message
                )?,
                None => write!(f, "channels.{}: {}", problem.channel, problem.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for ConfigProblems {}

impl From<ConfigProblems> for String {
    fn from(problems: ConfigProblems) -> String {
        problems.to_string()
    }
}

/// Concatenated SMS number parts in one octet.
const MAX_SMS_PARTS: u32 = 255;

/// The largest limit a channel may set, in its unit: a million, far past
/// any platform (the longest known post is 63,206 characters).
pub const MAX_LIMIT: usize = 1_000_000;

/// The longest a shortened link may count: X and Mastodon count 23.
pub const MAX_URL_LENGTH: usize = 1_000;

/// The spec for `name` after applying `entry` to the built-in `base` (or
/// building a new channel when there is none).
pub(super) fn apply(
    base: Option<&ChannelSpec>,
    name: &str,
    entry: &ChannelConfig,
) -> Result<ChannelSpec, Vec<ConfigProblem>> {
    let mut problems = Vec::new();
    let mut problem = |field: Option<&'static str>, message: String| {
        problems.push(ConfigProblem {
            channel: name.to_string(),
            field,
            message,
        });
    };

    if !is_valid_name(name) {
        problem(
            None,
            format!(
                "channel name `{name}` may only use lower-case letters, digits and `-`, starting with a letter; rename it"
            ),
        );
    }
    let counting = match (entry.counting, base) {
        (Some(counting), _) => counting,
        (None, Some(base)) => base.counting,
        (None, None) => {
            let names: Vec<&str> = Counting::ALL.iter().map(|c| c.name()).collect();
            problem(
                Some("counting"),
                format!(
                    "new channel `{name}` needs `counting` (one of {}) so it can be measured",
                    names.join(", ")
                ),
            );
            Counting::Characters
        }
    };
    let is_sms = counting == Counting::Sms;

    if is_sms && entry.limit.is_some() {
        problem(
            Some("limit"),
            format!("`{name}` counts SMS parts, not characters: remove `limit` and set `max_segments` instead"),
        );
    }
    if !is_sms && entry.max_segments.is_some() {
        problem(
            Some("max_segments"),
            format!("`max_segments` only applies to sms counting; remove it from `{name}`"),
        );
    }
    if is_sms && entry.url_length.is_some() {
        problem(
            Some("url_length"),
            format!("SMS does not shorten links; remove `url_length` from `{name}`"),
        );
    }
    let changes_counting = base.is_some_and(|b| b.counting != counting);
    if changes_counting && !is_sms && entry.limit.is_none() {
        problem(
            Some("limit"),
            format!(
                "`{name}` now counts {}: give its `limit` in that unit",
                counting.unit()
            ),
        );
    }
    if base.is_none() && !is_sms && entry.limit.is_none() {
        problem(
            Some("limit"),
            format!("new channel `{name}` needs `limit`, in {}", counting.unit()),
        );
    }
    // Upper bounds far past any platform keep the counting arithmetic
    // exact: a `url_length` near the integer limit would wrap and make a
    // long post count as short.
    for (field, value, most) in [
        ("limit", entry.limit, MAX_LIMIT),
        ("max_bytes", entry.max_bytes, MAX_LIMIT),
        ("subject_limit", entry.subject_limit, MAX_LIMIT),
        ("url_length", entry.url_length, MAX_URL_LENGTH),
    ] {
        if value.is_some_and(|v| v == 0 || v > most) {
            problem(
                Some(field),
                format!("`{field}` of `{name}` must be between 1 and {most}"),
            );
        }
    }
    let max_segments = entry
        .max_segments
        .or(base.map(|b| b.max_segments))
        .unwrap_or(1);
    if !(1..=MAX_SMS_PARTS).contains(&max_segments) {
        problem(
            Some("max_segments"),
            format!("`max_segments` of `{name}` must be between 1 and {MAX_SMS_PARTS}"),
        );
    }
    // Whoever can read a built-in public channel is not the catalog's to
    // decide: marking one private would let private fields onto it.
    if entry.public == Some(false) && base.is_some_and(|b| b.public) {
        problem(
            Some("public"),
            format!("`{name}` is public: anyone can read it; remove `public: false` (define a channel of your own for a private audience)"),
        );
    }
    if entry.source.as_deref().is_some_and(|s| s.trim().is_empty()) {
        problem(
            Some("source"),
            format!("`source` of `{name}` is empty; say where the limit comes from, or remove it"),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let inherit = |pick: fn(&ChannelSpec) -> Option<usize>| {
        if changes_counting {
            None
        } else {
            base.and_then(pick)
        }
    };
    let limit = if is_sms {
        SmsEncoding::Gsm7.capacity(max_segments)
    } else {
        entry
            .limit
            .or(base.filter(|_| !changes_counting).map(|b| b.limit))
            .unwrap_or(0)
    };
    let source = match (&entry.source, base) {
        (Some(source), _) => source.clone(),
        (None, Some(base)) if entry == &ChannelConfig::default() => base.source.clone(),
        (None, Some(base)) => format!("changed in crisis.yaml (built-in: {})", base.source),
        (None, None) => "set in crisis.yaml".to_string(),
    };
    Ok(ChannelSpec {
        name: name.to_string(),
        counting,
        limit,
        max_bytes: entry.max_bytes.or(inherit(|b| b.max_bytes)),
        subject_limit: entry.subject_limit.or(inherit(|b| b.subject_limit)),
        max_segments,
        url_length: entry.url_length.or(inherit(|b| b.url_length)),
        source,
        public: entry.public.or(base.map(|b| b.public)).unwrap_or(true),
    })
}

/// Whether `name` can name a channel: lower-case letters, digits and `-`,
/// starting with a letter.
pub fn is_valid_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::super::Channels;
    use super::*;

    fn config(entries: &[(&str, ChannelConfig)]) -> CatalogConfig {
        CatalogConfig {
            channels: entries
                .iter()
                .map(|(name, entry)| (name.to_string(), entry.clone()))
                .collect(),
        }
    }

    #[test]
    fn overrides_change_only_what_they_name() {
        let cfg = config(&[
            (
                "x",
                ChannelConfig {
                    limit: Some(25_000),
                    ..Default::default()
                },
            ),
            (
                "mastodon",
                ChannelConfig {
                    limit: Some(1_000),
                    ..Default::default()
                },
            ),
        ]);
        let channels = Channels::with_config(&cfg).unwrap_or_else(|_| Channels::builtin());
        let x = channels.get("x").cloned();
        assert_eq!(
            x.as_ref().map(|x| (x.limit, x.url_length)),
            Some((25_000, Some(23)))
        );
        assert_eq!(x.map(|x| x.counting), Some(Counting::XWeighted));
        assert_eq!(channels.get("mastodon").map(|m| m.limit), Some(1_000));
        assert_eq!(channels.get("sms").map(|m| m.max_segments), Some(1));
    }

    #[test]
    fn new_channels_are_added_after_the_builtins() {
        let cfg = config(&[
            (
                "pager",
                ChannelConfig {
                    counting: Some(Counting::Characters),
                    limit: Some(360),
                    source: Some("FCC 47 CFR 10.430".into()),
                    ..Default::default()
                },
            ),
            (
                "pager-short",
                ChannelConfig {
                    counting: Some(Counting::Characters),
                    limit: Some(90),
                    ..Default::default()
                },
            ),
        ]);
        let channels = Channels::with_config(&cfg).unwrap_or_else(|_| Channels::builtin());
        let names: Vec<&str> = channels.names().collect();
        assert_eq!(names.last(), Some(&"pager-short"));
        let pager = channels.get("pager").cloned();
        assert_eq!(
            pager.map(|w| (w.limit, w.source)),
            Some((360, "FCC 47 CFR 10.430".to_string()))
        );
        let legacy = channels
            .get("pager-short")
            .map(|w| w.measure(&"x".repeat(91), None).fits);
        assert_eq!(legacy, Some(false));
    }

    #[test]
    fn limits_past_any_platform_are_refused() {
        for entry in [
            ChannelConfig {
                url_length: Some(184_467_440_737_095_216),
                ..Default::default()
            },
            ChannelConfig {
                url_length: Some(MAX_URL_LENGTH + 1),
                ..Default::default()
            },
            ChannelConfig {
                limit: Some(MAX_LIMIT + 1),
                ..Default::default()
            },
        ] {
            assert!(Channels::with_config(&config(&[("x", entry)])).is_err());
        }
        let at_limit = ChannelConfig {
            url_length: Some(MAX_URL_LENGTH),
            limit: Some(MAX_LIMIT),
            ..Default::default()
        };
        assert!(Channels::with_config(&config(&[("x", at_limit)])).is_ok());
        // Counting SMS as graphemes needs a limit in graphemes.
        let regraded = ChannelConfig {
            counting: Some(Counting::Graphemes),
            ..Default::default()
        };
        assert!(Channels::with_config(&config(&[("sms", regraded)])).is_err());
    }

    #[test]
    fn sms_parts_can_be_raised() {
        let cfg = config(&[(
            "sms",
            ChannelConfig {
                max_segments: Some(3),
                ..Default::default()
            },
        )]);
        let channels = Channels::with_config(&cfg).unwrap_or_else(|_| Channels::builtin());
        let sms = channels.get("sms").cloned();
        assert_eq!(sms.map(|s| (s.max_segments, s.limit)), Some((3, 459)));
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let cfg = config(&[
            (
                "pager",
                ChannelConfig {
                    limit: Some(360),
                    ..Default::default()
                },
            ),
            (
                "cell",
                ChannelConfig {
                    counting: Some(Counting::Graphemes),
                    ..Default::default()
                },
            ),
            (
                "x",
                ChannelConfig {
                    max_segments: Some(2),
                    limit: Some(0),
                    ..Default::default()
                },
            ),
            (
                "sms",
                ChannelConfig {
                    limit: Some(300),
                    ..Default::default()
                },
            ),
            (
                "Bad Name",
                ChannelConfig {
                    counting: Some(Counting::Characters),
                    limit: Some(5),
                    ..Default::default()
                },
            ),
        ]);
        let problems = match Channels::with_config(&cfg) {
            Ok(_) => Vec::new(),
            Err(problems) => problems.0,
        };
        let found: Vec<(&str, Option<&str>)> = problems
            .iter()
            .map(|p| (p.channel.as_str(), p.field))
            .collect();
        assert_eq!(
            found,
            [
                ("pager", Some("counting")),
                ("cell", Some("limit")),
                ("x", Some("max_segments")),
                ("x", Some("limit")),
                ("sms", Some("limit")),
                ("Bad Name", None),
            ]
        );
    }

    #[test]
    fn problems_read_as_one_message() {
        let cfg = config(&[(
            "pager",
            ChannelConfig {
                limit: Some(360),
                ..Default::default()
            },
        )]);
        let message = Channels::with_config(&cfg)
            .err()
            .map(String::from)
            .unwrap_or_default();
        assert!(
            message.starts_with("channels.pager.counting: new channel `pager` needs `counting`"),
            "{message}"
        );
    }

    #[test]
    fn unknown_fields_are_refused() {
        let parsed: Result<CatalogConfig, _> =
            serde_json::from_str(r#"{"channels": {"x": {"limt": 300}}}"#);
        assert!(parsed.is_err());
        let parsed: Result<CatalogConfig, _> = serde_json::from_str(
            r#"{"channels": {"pager": {"counting": "characters", "limit": 360}}}"#,
        );
        assert_eq!(
            parsed
                .ok()
                .and_then(|c| c.channels.get("pager").and_then(|p| p.counting)),
            Some(Counting::Characters)
        );
    }
}
