// TEMPORARY STUB for integration compile checks; replaced by the real module.
use indexmap::IndexMap;
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    XWeighted,
    Sms,
    Graphemes,
    Characters,
}
#[derive(Debug, Clone)]
pub struct ChannelSpec {
    pub name: String,
    pub counting: Counting,
    pub limit: usize,
    pub max_bytes: Option<usize>,
    pub subject_limit: Option<usize>,
    pub max_segments: u32,
    pub url_length: Option<usize>,
    pub source: String,
}
#[derive(Debug, Clone)]
pub struct SmsMeasurement {
    pub encoding: &'static str,
    pub segments: usize,
    pub forcing_chars: Vec<char>,
}
#[derive(Debug, Clone)]
pub struct Measurement {
    pub length: usize,
    pub limit: usize,
    pub fits: bool,
    pub unit: &'static str,
    pub sms: Option<SmsMeasurement>,
    pub invalid: Vec<char>,
}
impl ChannelSpec {
    pub fn measure(&self, text: &str, _max_segments: Option<u32>) -> Measurement {
        let n = text.chars().count();
        Measurement {
            length: n,
            limit: self.limit,
            fits: n <= self.limit,
            unit: "characters",
            sms: None,
            invalid: vec![],
        }
    }
    pub fn measure_subject(&self, s: &str) -> Option<Measurement> {
        self.subject_limit.map(|l| {
            let n = s.chars().count();
            Measurement {
                length: n,
                limit: l,
                fits: n <= l,
                unit: "characters",
                sms: None,
                invalid: vec![],
            }
        })
    }
}
#[derive(Debug, Clone, serde::Deserialize)]
pub struct CatalogConfig {
    #[serde(default)]
    pub channels: IndexMap<String, serde_json::Value>,
}
pub struct Channels(Vec<ChannelSpec>);
impl Channels {
    pub fn builtin() -> Channels {
        Channels(
            ["x", "facebook", "sms", "email", "web", "press"]
                .iter()
                .map(|n| ChannelSpec {
                    name: n.to_string(),
                    counting: if *n == "sms" {
                        Counting::Sms
                    } else {
                        Counting::Characters
                    },
                    limit: 280,
                    max_bytes: None,
                    subject_limit: if *n == "email" { Some(78) } else { None },
                    max_segments: 1,
                    url_length: None,
                    source: String::new(),
                })
                .collect(),
        )
    }
    pub fn with_config(_c: &CatalogConfig) -> Result<Channels, String> {
        Ok(Self::builtin())
    }
    pub fn get(&self, name: &str) -> Option<&ChannelSpec> {
        self.0.iter().find(|c| c.name == name)
    }
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|c| c.name.as_str())
    }
}
pub mod sms {
    pub fn non_gsm_chars(t: &str) -> Vec<char> {
        t.chars().filter(|c| !c.is_ascii()).collect()
    }
    pub fn gsm_replacement(c: char) -> Option<&'static str> {
        match c {
            '’' => Some("'"),
            '–' => Some("-"),
            _ => None,
        }
    }
}
