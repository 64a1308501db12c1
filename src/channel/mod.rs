//! Channels and their counting rules: whether a message fits where it will
//! be posted, counted the way that platform counts.
//!
//! One table ([`Channels::builtin`]) holds every built-in channel with its
//! limit and where that limit is published; a catalog's `crisis.yaml` can
//! change limits and add channels ([`config`]). The counting itself lives in
//! one module per rule: [`x`] (weighted length), [`sms`] (GSM-7/UCS-2
//! parts) and [`graphemes`] (Bluesky, Mastodon and plain counts).
//!
//! The table, with each limit's source, is `docs/channels.md`, generated
//! from [`Channels::builtin`] by `crisis channels --builtin --format
//! markdown` (a test keeps it in sync).
//!
//! Where a platform does not say how it counts, we count Unicode scalar
//! values, which is never less than what a grapheme count would give.

pub mod config;
mod emoji;
pub mod graphemes;
pub mod sms;
mod tld;
pub mod url;
pub mod x;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use config::{is_valid_name, CatalogConfig, ChannelConfig, ConfigProblem, ConfigProblems};
pub use sms::{SmsEncoding, SmsMeasurement};

/// How a channel counts a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Counting {
    /// X's weighted length (twitter-text v3): most scripts 1, CJK and emoji
    /// 2, every link (bare domains too) `url_length`.
    XWeighted,
    /// SMS parts: GSM-7 septets, or UTF-16 units once any character forces
    /// UCS-2.
    Sms,
    /// Grapheme clusters (what a reader sees as one character); links with
    /// a scheme count `url_length` when it is set.
    Graphemes,
    /// Mastodon: graphemes, links with a scheme count `url_length`, and a
    /// remote mention `@user@server` counts as `@user`.
    Mastodon,
    /// Unicode scalar values; links with a scheme count `url_length` when it
    /// is set.
    Characters,
    /// GSM-7 septets and nothing else, as cell broadcast carries a Wireless
    /// Emergency Alert: an extension character (`€ [ ] { } ~ ^ | \\`) takes
    /// two, and a character outside GSM 03.38 cannot be sent at all.
    Gsm7,
}

impl Counting {
    /// Every counting, in the order the docs list them.
    pub const ALL: [Counting; 6] = [
        Counting::XWeighted,
        Counting::Sms,
        Counting::Graphemes,
        Counting::Mastodon,
        Counting::Characters,
        Counting::Gsm7,
    ];

    /// The name used in `crisis.yaml`.
    pub fn name(self) -> &'static str {
        match self {
            Counting::XWeighted => "x-weighted",
            Counting::Sms => "sms",
            Counting::Graphemes => "graphemes",
            Counting::Mastodon => "mastodon",
            Counting::Characters => "characters",
            Counting::Gsm7 => "gsm7",
        }
    }

    /// The unit a `limit` of this counting is given in.
    pub fn unit(self) -> &'static str {
        match self {
            Counting::XWeighted => "weighted characters",
            Counting::Sms => "parts",
            Counting::Graphemes | Counting::Mastodon => "graphemes",
            Counting::Characters => "characters",
            Counting::Gsm7 => "septets",
        }
    }

    /// Whether the message travels in GSM-7 where it can, so a character
    /// outside GSM 03.38 costs parts (SMS) or cannot be sent (cell
    /// broadcast), and a look-alike that a GSM-7 character can replace is
    /// worth a warning.
    pub fn is_gsm(self) -> bool {
        matches!(self, Counting::Sms | Counting::Gsm7)
    }
}

/// One place a message can be posted, and its limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChannelSpec {
    pub name: String,
    pub counting: Counting,
    /// In the unit of `counting`. For SMS it is informational (the GSM-7
    /// capacity of `max_segments` parts): what fits is decided in parts.
    pub limit: usize,
    /// A UTF-8 byte limit that must hold too (Bluesky: 3,000).
    pub max_bytes: Option<usize>,
    /// The subject line's limit, for channels that have one (email).
    pub subject_limit: Option<usize>,
    /// SMS: the parts allowed unless a message says otherwise.
    pub max_segments: u32,
    /// What a link counts, whatever its length (X and Mastodon: 23).
    pub url_length: Option<usize>,
    /// Where the limit is published, or why we chose it.
    pub source: String,
    /// Whether anyone can read what is posted (social networks, the web, the
    /// press, alerts), as opposed to messages sent to one person (SMS,
    /// email). Fields marked `private` never go to a public channel.
    pub public: bool,
}

/// Where a text first goes past its limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirstOver {
    /// Byte offset into the measured text.
    pub byte_offset: usize,
    /// The first character that does not fit.
    pub character: char,
}

/// A byte limit checked alongside the main count (Bluesky).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ByteMeasurement {
    pub length: usize,
    pub limit: usize,
    pub fits: bool,
}

/// A text measured by a channel's rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Measurement {
    pub length: usize,
    pub limit: usize,
    pub fits: bool,
    /// "weighted characters", "septets", "UTF-16 units", "graphemes" or
    /// "characters".
    pub unit: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_over: Option<FirstOver>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms: Option<SmsMeasurement>,
    /// SMS: the parts allowed, which `limit` and `fits` are measured against.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_segments: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<ByteMeasurement>,
    /// Characters the platform refuses outright (X: U+FFFE, U+FEFF, U+FFFF);
    /// any of them makes `fits` false.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invalid: Vec<char>,
}

impl Measurement {
    /// How far over the limit the text is, in its unit (0 when within).
    pub fn over(&self) -> usize {
        self.length.saturating_sub(self.limit)
    }
}

impl ChannelSpec {
    /// Measures `text` for this channel. `max_segments` overrides the
    /// channel's own for SMS (a message may allow more parts); other
    /// channels ignore it.
    pub fn measure(&self, text: &str, max_segments: Option<u32>) -> Measurement {
        match self.counting {
            Counting::XWeighted => self.measure_x(text),
            Counting::Sms => self.measure_sms(text, max_segments.unwrap_or(self.max_segments)),
            Counting::Graphemes => self.measure_plain(text, graphemes::Unit::Graphemes, false),
            Counting::Mastodon => self.measure_plain(text, graphemes::Unit::Graphemes, true),
            Counting::Characters => self.measure_plain(text, graphemes::Unit::Characters, false),
            Counting::Gsm7 => self.measure_gsm7(text),
        }
    }

    /// Measures an email subject against `subject_limit`, in characters;
    /// `None` when the channel has no subject.
    pub fn measure_subject(&self, subject: &str) -> Option<Measurement> {
        let limit = self.subject_limit?;
        let count = graphemes::count(
            subject,
            graphemes::Unit::Characters,
            graphemes::Rules::default(),
            limit,
        );
        Some(Measurement {
            length: count.length,
            limit,
            fits: count.length <= limit,
            unit: "characters",
            first_over: first_over_at(subject, count.first_over),
            sms: None,
            max_segments: None,
            bytes: None,
            invalid: Vec::new(),
        })
    }

    fn measure_x(&self, text: &str) -> Measurement {
        let config = x::XConfig {
            max_weighted_length: self.limit,
            url_length: self.url_length.unwrap_or(x::XConfig::V3.url_length),
            emoji_parsing: true,
        };
        let result = x::weighted_length_with(text, &config);
        let bytes = self.bytes(text);
        let first_over = earliest(
            result.first_over,
            self.max_bytes
                .and_then(|max| graphemes::first_byte_over(text, max)),
        );
        Measurement {
            length: result.weighted_length,
            limit: self.limit,
            fits: result.valid && bytes.is_none_or(|b| b.fits),
            unit: "weighted characters",
            first_over: first_over_at(text, first_over),
            sms: None,
            max_segments: None,
            bytes,
            invalid: result.invalid_chars,
        }
    }

    fn measure_sms(&self, text: &str, max_segments: u32) -> Measurement {
        let sms = sms::segments(text);
        let limit = sms.encoding.capacity(max_segments);
        Measurement {
            length: sms.units,
            limit,
            fits: sms.segments <= max_segments,
            unit: sms.encoding.unit(),
            first_over: first_over_at(text, sms::first_over(text, max_segments)),
            sms: Some(sms),
            max_segments: Some(max_segments),
            bytes: None,
            invalid: Vec::new(),
        }
    }

    /// Septets with GSM-7's own widths; every character outside GSM 03.38
    /// is listed as invalid, since cell broadcast has no UCS-2 fallback a
    /// phone could be relied on to show.
    fn measure_gsm7(&self, text: &str) -> Measurement {
        let mut length = 0usize;
        let mut first_over = None;
        for (offset, c) in text.char_indices() {
            length += usize::from(sms::septets(c).unwrap_or(1));
            if length > self.limit && first_over.is_none() {
                first_over = Some(offset);
            }
        }
        let invalid = sms::non_gsm_chars(text);
        Measurement {
            length,
            limit: self.limit,
            fits: length <= self.limit && invalid.is_empty(),
            unit: Counting::Gsm7.unit(),
            first_over: first_over_at(text, first_over),
            sms: None,
            max_segments: None,
            bytes: None,
            invalid,
        }
    }

    fn measure_plain(
        &self,
        text: &str,
        unit: graphemes::Unit,
        local_mentions: bool,
    ) -> Measurement {
        let rules = graphemes::Rules {
            url_length: self.url_length,
            local_mentions,
        };
        let count = graphemes::count(text, unit, rules, self.limit);
        let bytes = self.bytes(text);
        let first_over = earliest(
            count.first_over,
            self.max_bytes
                .and_then(|max| graphemes::first_byte_over(text, max)),
        );
        Measurement {
            length: count.length,
            limit: self.limit,
            fits: count.length <= self.limit && bytes.is_none_or(|b| b.fits),
            unit: match unit {
                graphemes::Unit::Graphemes => "graphemes",
                graphemes::Unit::Characters => "characters",
            },
            first_over: first_over_at(text, first_over),
            sms: None,
            max_segments: None,
            bytes,
            invalid: Vec::new(),
        }
    }

    fn bytes(&self, text: &str) -> Option<ByteMeasurement> {
        self.max_bytes.map(|limit| ByteMeasurement {
            length: text.len(),
            limit,
            fits: text.len() <= limit,
        })
    }
}

fn earliest(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn first_over_at(text: &str, offset: Option<usize>) -> Option<FirstOver> {
    let offset = offset?;
    let character = text.get(offset..)?.chars().next()?;
    Some(FirstOver {
        byte_offset: offset,
        character,
    })
}

/// The channels a catalog can post to: the built-in table, changed and
/// extended by the catalog's config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channels {
    specs: IndexMap<String, ChannelSpec>,
}

struct Builtin {
    name: &'static str,
    counting: Counting,
    limit: usize,
    max_bytes: Option<usize>,
    subject_limit: Option<usize>,
    url_length: Option<usize>,
    public: bool,
    source: &'static str,
}

/// The built-in channels, in the order `all` and the docs list them.
const BUILTIN: &[Builtin] = &[
    // X: 280 weighted characters for accounts without a subscription; links
    // count 23 (t.co). A catalog for a Premium account can raise the limit.
    Builtin {
        name: "x",
        counting: Counting::XWeighted,
        limit: 280,
        max_bytes: None,
        subject_limit: None,
        url_length: Some(23),
        public: true,
        source: "X developer docs, \"Counting characters\" (twitter-text v3 config): https://developer.twitter.com/en/docs/counting-characters",
    },
    // Facebook: Meta publishes no figure; 63,206 is what the post composer
    // enforces and what every social media guide repeats.
    Builtin {
        name: "facebook",
        counting: Counting::Characters,
        limit: 63_206,
        max_bytes: None,
        subject_limit: None,
        url_length: None,
        public: true,
        source: "Facebook post composer limit of 63,206 characters (not in Meta's docs; widely reported)",
    },
    // Instagram: a caption holds at most 2,200 characters.
    Builtin {
        name: "instagram",
        counting: Counting::Characters,
        limit: 2_200,
        max_bytes: None,
        subject_limit: None,
        url_length: None,
        public: true,
        source: "Instagram Graph API content publishing: captions are limited to 2,200 characters",
    },
    // LinkedIn: a post (share commentary) holds at most 3,000 characters.
    Builtin {
        name: "linkedin",
        counting: Counting::Characters,
        limit: 3_000,
        max_bytes: None,
        subject_limit: None,
        url_length: None,
        public: true,
        source: "LinkedIn Help: posts can be up to 3,000 characters",
    },
    // Bluesky: the post lexicon sets maxGraphemes 300 and maxLength 3000
    // (UTF-8 bytes); both must hold, and links get no discount.
    Builtin {
        name: "bluesky",
        counting: Counting::Graphemes,
        limit: 300,
        max_bytes: Some(3_000),
        subject_limit: None,
        url_length: None,
        public: true,
        source: "AT Protocol lexicon app.bsky.feed.post: text maxGraphemes 300, maxLength 3000 bytes",
    },
    // Mastodon: 500 by default (a server may change it), links count 23,
    // remote mentions count only the user part.
    Builtin {
        name: "mastodon",
        counting: Counting::Mastodon,
        limit: 500,
        max_bytes: None,
        subject_limit: None,
        url_length: Some(23),
        public: true,
        source: "Mastodon docs, \"Posting\": 500 characters by default, every link counts 23: https://docs.joinmastodon.org/user/posting/",
    },
    // Threads: posts of up to 500 characters since launch.
    Builtin {
        name: "threads",
        counting: Counting::Characters,
        limit: 500,
        max_bytes: None,
        subject_limit: None,
        url_length: None,
        public: true,
        source: "Meta, \"Introducing Threads\" (July 2023): posts can be up to 500 characters",
    },
    // SMS: one part by default (160 GSM-7 septets or 70 UCS-2 units); a
    // message may allow more parts with its own max_segments.
    Builtin {
        name: "sms",
        counting: Counting::Sms,
        limit: 160,
        max_bytes: None,
        subject_limit: None,
        url_length: None,
        public: false,
        source: "3GPP TS 23.038 (GSM 7-bit alphabet) and TS 23.040 (concatenated SMS): 160 septets or 70 UCS-2 units per single part, 153/67 per part when split",
    },
    // Wireless Emergency Alerts: 360 characters on 4G and later networks,
    // sent by cell broadcast in the GSM 7-bit default alphabet, so an
    // extension character takes two septets and anything else cannot go.
    Builtin {
        name: "wea",
        counting: Counting::Gsm7,
        limit: 360,
        max_bytes: None,
        subject_limit: None,
        url_length: None,
        public: true,
        source: "47 CFR 10.430 (WEA messages of up to 360 characters); GSM 7-bit default alphabet as carried by cell broadcast, 3GPP TS 23.038 and TS 23.041",
    },
    // The 90-character WEA message that older phones and legacy networks
    // still receive; the IPAWS profile carries it as CMAMtext.
    Builtin {
        name: "wea-90",
        counting: Counting::Gsm7,
        limit: 90,
        max_bytes: None,
        subject_limit: None,
        url_length: None,
        public: true,
        source: "47 CFR 10.430 (90 characters on legacy networks); IPAWS CAP profile parameter CMAMtext; GSM 7-bit default alphabet, 3GPP TS 23.038",
    },
    // Email: no limit exists; 10,000 characters keeps a crisis email
    // readable on a phone. The subject follows RFC 5322's advice to keep
    // lines to 78 characters (longer subjects get cut in inbox lists).
    Builtin {
        name: "email",
        counting: Counting::Characters,
        limit: 10_000,
        max_bytes: None,
        subject_limit: Some(78),
        url_length: None,
        public: false,
        source: "No published limit: body 10,000 characters is our default; subject 78 from RFC 5322 section 2.1.1 (line length)",
    },
    // Web banner: no standard; 280 characters is about two lines on a
    // desktop page and five on a phone.
    Builtin {
        name: "web",
        counting: Counting::Characters,
        limit: 280,
        max_bytes: None,
        subject_limit: None,
        url_length: None,
        public: true,
        source: "No published limit: 280 characters is our default for a site banner (about two lines on desktop)",
    },
    // Press statement: no standard; 5,000 characters is about 800 words,
    // longer than any holding statement should be.
    Builtin {
        name: "press",
        counting: Counting::Characters,
        limit: 5_000,
        max_bytes: None,
        subject_limit: None,
        url_length: None,
        public: true,
        source: "No published limit: 5,000 characters (about 800 words) is our default for a press statement",
    },
];

impl Channels {
    /// The built-in table.
    pub fn builtin() -> Channels {
        let specs = BUILTIN
            .iter()
            .map(|b| {
                let spec = ChannelSpec {
                    name: b.name.to_string(),
                    counting: b.counting,
                    limit: b.limit,
                    max_bytes: b.max_bytes,
                    subject_limit: b.subject_limit,
                    max_segments: 1,
                    url_length: b.url_length,
                    source: b.source.to_string(),
                    public: b.public,
                };
                (spec.name.clone(), spec)
            })
            .collect();
        Channels { specs }
    }

    /// The built-in table with a catalog's changes and additions, or every
    /// problem in the config.
    pub fn with_config(config: &CatalogConfig) -> Result<Channels, ConfigProblems> {
        let mut channels = Channels::builtin();
        let mut problems = Vec::new();
        for (name, entry) in &config.channels {
            match config::apply(channels.specs.get(name), name, entry) {
                Ok(spec) => {
                    channels.specs.insert(name.clone(), spec);
                }
                Err(mut found) => problems.append(&mut found),
            }
        }
        if problems.is_empty() {
            Ok(channels)
        } else {
            Err(ConfigProblems(problems))
        }
    }

    pub fn get(&self, name: &str) -> Option<&ChannelSpec> {
        self.specs.get(name)
    }

    /// Channel names in table order (built-ins first, then the catalog's).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.specs.keys().map(String::as_str)
    }

    /// Every channel in table order.
    pub fn iter(&self) -> impl Iterator<Item = &ChannelSpec> {
        self.specs.values()
    }

    /// The known channel closest to a misspelt `name`, if one is close.
    pub fn closest(&self, name: &str) -> Option<&str> {
        crate::suggest::did_you_mean(&name.to_lowercase(), self.names())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(name: &str) -> ChannelSpec {
        match Channels::builtin().get(name) {
            Some(spec) => spec.clone(),
            None => panic!("no built-in channel {name}"),
        }
    }

    #[test]
    fn builtin_table_has_every_channel_in_order() {
        let names: Vec<String> = Channels::builtin().names().map(str::to_string).collect();
        assert_eq!(
            names,
            [
                "x",
                "facebook",
                "instagram",
                "linkedin",
                "bluesky",
                "mastodon",
                "threads",
                "sms",
                "wea",
                "wea-90",
                "email",
                "web",
                "press"
            ]
        );
        for spec in Channels::builtin().iter() {
            assert!(!spec.source.is_empty(), "{} has no source", spec.name);
        }
    }

    #[test]
    fn x_reports_length_and_first_character_over() {
        let text = format!("{}é{}", "a".repeat(280), "b".repeat(10));
        let m = channel("x").measure(&text, None);
        assert_eq!((m.length, m.limit, m.fits, m.over()), (291, 280, false, 11));
        assert_eq!(
            m.first_over,
            Some(FirstOver {
                byte_offset: 280,
                character: 'é'
            })
        );
        assert_eq!(channel("x").measure("example.gov", None).length, 23);
    }

    #[test]
    fn x_refuses_invalid_characters_even_when_short() {
        let m = channel("x").measure("ok\u{FFFE}", None);
        assert!(!m.fits);
        assert_eq!(m.invalid, vec!['\u{FFFE}']);
    }

    #[test]
    fn sms_limit_is_the_capacity_of_the_allowed_parts() {
        let sms = channel("sms");
        let gsm = sms.measure(&"x".repeat(200), None);
        assert_eq!(
            (gsm.length, gsm.limit, gsm.fits, gsm.unit),
            (200, 160, false, "septets")
        );
        assert_eq!(gsm.first_over.map(|f| f.byte_offset), Some(160));
        let two = sms.measure(&"x".repeat(200), Some(2));
        assert_eq!((two.limit, two.fits), (306, true));
        let ucs = sms.measure("Evacúe ahora", Some(2));
        assert_eq!((ucs.limit, ucs.unit), (134, "UTF-16 units"));
        let detail = ucs.sms.unwrap_or_else(|| sms::segments(""));
        assert_eq!(detail.forcing_chars, vec!['ú']);
    }

    #[test]
    fn wea_counts_septets_and_refuses_what_gsm7_cannot_carry() {
        let wea = channel("wea-90");
        let m = wea.measure(&"x".repeat(90), None);
        assert_eq!(
            (m.length, m.limit, m.fits, m.unit),
            (90, 90, true, "septets")
        );
        // '€' is an extension character: two septets, so 89 x's and one '€'
        // are 91 and the euro is the first over.
        let text = format!("{}€", "x".repeat(89));
        let m = wea.measure(&text, None);
        assert_eq!((m.length, m.fits), (91, false));
        assert_eq!(m.first_over.map(|f| f.character), Some('€'));
        // A short text with a letter outside GSM-7 does not fit either.
        let m = channel("wea").measure("Línea gratuita", None);
        assert!(!m.fits);
        assert_eq!(m.invalid, vec!['í']);
        assert!(channel("wea").measure(&"é".repeat(360), None).fits);
    }

    #[test]
    fn bluesky_checks_graphemes_and_bytes() {
        let bluesky = channel("bluesky");
        let m = bluesky.measure("नमस्ते", None);
        assert_eq!((m.length, m.unit), (3, "graphemes"));
        // 300 graphemes of 25 bytes each: within the grapheme limit, far over the byte limit.
        let families = "👨‍👩‍👧‍👧".repeat(300);
        let m = bluesky.measure(&families, None);
        assert_eq!(m.length, 300);
        assert!(!m.fits);
        assert_eq!(m.bytes.map(|b| b.length), Some(7_500));
        // 120 families are exactly 3,000 bytes; the 121st is the first past.
        assert_eq!(m.first_over.map(|f| f.byte_offset), Some(3_000));
    }

    #[test]
    fn mastodon_counts_links_but_not_bare_domains() {
        let mastodon = channel("mastodon");
        let link = "https://www.example.gov/alerts/flood-warning-for-the-river-district";
        assert_eq!(mastodon.measure(link, None).length, 23);
        assert_eq!(mastodon.measure("example.gov", None).length, 11);
    }

    #[test]
    fn email_subject_has_its_own_limit() {
        let email = channel("email");
        let subject = email.measure_subject(&"s".repeat(80));
        assert_eq!(
            subject.map(|m| (m.length, m.limit, m.fits)),
            Some((80, 78, false))
        );
        assert_eq!(channel("x").measure_subject("anything"), None);
    }

    #[test]
    fn suggests_the_closest_channel() {
        let channels = Channels::builtin();
        assert_eq!(channels.closest("mastadon"), Some("mastodon"));
        assert_eq!(channels.closest("twitterverse-plus"), None);
    }
}
