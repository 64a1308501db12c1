//! The OpenSSH files that say whose approval signatures count, read the way
//! `ssh-keygen -Y verify` reads them: a catalog's allowed signers file can
//! be the one `git config gpg.ssh.allowedSignersFile` names, and an
//! auditor's `ssh-keygen` agrees with lint.
//!
//! An allowed signers line is `principals [options] key [comment]`, such as
//! `dana@example.org namespaces="crisis-approval,git" ssh-ed25519 AAAA...`.
//! The principals, and the `namespaces` option, are pattern lists as in
//! ssh_config: comma-separated, `*` and `?` wildcards, `!` to exclude. The
//! options honoured are `namespaces`, `valid-after` and `valid-before`;
//! `cert-authority` lines never match (signatures by certificates are not
//! read), and any other option makes the line unusable, as it does for
//! ssh-keygen. Times are `YYYYMMDD`, `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS`,
//! `Z` for UTC; a time without `Z` is read as UTC too (ssh-keygen reads it
//! in the local time of the machine it runs on, so write the `Z`).
//!
//! A revoked keys file lists public keys, one a line: the plain form that
//! `ssh-keygen -Y verify -r` also accepts. Binary KRLs are not read.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use ssh_key::public::KeyData;
use ssh_key::PublicKey;
use std::collections::{HashMap, HashSet};

use crate::limits;
use crate::span::Span;

/// The namespace every approval signature is made in, so that a signature
/// made for git commits or files can never pass for an approval.
pub const NAMESPACE: &str = "crisis-approval";

/// One usable line of an allowed signers file.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number, for messages.
    pub number: usize,
    /// The principals pattern list, as written (unquoted).
    pub principals: String,
    pub key: KeyData,
    /// The `namespaces` pattern list, when the line limits them.
    pub namespaces: Option<String>,
    pub valid_after: Option<DateTime<Utc>>,
    pub valid_before: Option<DateTime<Utc>>,
}

/// A line that cannot be used, at its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    pub span: Span,
    pub message: String,
}

/// An allowed signers file: its usable lines, found by key.
#[derive(Debug, Clone, Default)]
pub struct AllowedSigners {
    lines: Vec<Line>,
    by_key: HashMap<KeyData, Vec<usize>>,
}

/// Why a key does not count for a principal at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyRefusal {
    /// No line lists the key for the principal.
    NotListed {
        /// Keys the file does list for the principal (it was replaced).
        keys_for_principal: usize,
        /// Principals the key is listed for instead.
        listed_for: Vec<String>,
    },
    /// Listed for the principal, but not for approvals.
    Namespace { line: usize, namespaces: String },
    /// Listed for approvals, but not valid at that time.
    NotValid {
        line: usize,
        after: Option<DateTime<Utc>>,
        before: Option<DateTime<Utc>>,
    },
}

impl KeyRefusal {
    /// Why, in a sentence about `principal`'s key.
    pub fn describe(&self, principal: &str, file: &str) -> String {
        match self {
            KeyRefusal::NotListed {
                keys_for_principal,
                listed_for,
            } => {
                let mut text = format!("{file} does not list this key for {principal}");
                if !listed_for.is_empty() {
                    text.push_str(&format!(" (it lists it for {})", listed_for.join(", ")));
                } else if *keys_for_principal > 0 {
                    text.push_str(&format!(
                        " (it lists {keys_for_principal} other key{} for them: the key was removed or replaced)",
                        if *keys_for_principal == 1 { "" } else { "s" }
                    ));
                } else {
                    text.push_str(&format!(" ({principal} is not in it)"));
                }
                text
            }
            KeyRefusal::Namespace { line, namespaces } => format!(
                "{file}:{line} lists this key for {principal} only for namespaces=\"{namespaces}\", not {NAMESPACE}"
            ),
            KeyRefusal::NotValid {
                line,
                after,
                before,
            } => {
                let window = match (after, before) {
                    (Some(a), Some(b)) => format!("from {} until {}", human(a), human(b)),
                    (Some(a), None) => format!("from {}", human(a)),
                    (None, Some(b)) => format!("until {}", human(b)),
                    (None, None) => "never".to_owned(),
                };
                format!("{file}:{line} lists this key for {principal} as valid only {window}")
            }
        }
    }
}

fn human(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

impl AllowedSigners {
    /// Reads an allowed signers file: its usable lines, and each line that
    /// cannot be used with the reason.
    pub fn parse(text: &str) -> (AllowedSigners, Vec<LineProblem>) {
        let mut signers = AllowedSigners::default();
        let mut problems = Vec::new();
        for (number, start, raw) in lines(text) {
            let content = raw.trim_start_matches([' ', '\t']);
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let offset = start + (raw.len() - content.len());
            let mut span = Span::at_offset(text, offset);
            span.end = start + raw.len();
            match parse_line(content, number) {
                Ok(None) => {}
                Ok(Some(line)) => {
                    let listed = signers.by_key.entry(line.key.clone()).or_default();
                    if listed.len() >= limits::MAX_LINES_PER_KEY {
                        problems.push(LineProblem {
                            span,
                            message: format!(
                                "this key is on more than {} lines; list it once, with its principals separated by commas",
                                limits::MAX_LINES_PER_KEY
                            ),
                        });
                        continue;
                    }
                    listed.push(signers.lines.len());
                    signers.lines.push(line);
                }
                Err(message) => problems.push(LineProblem { span, message }),
            }
        }
        (signers, problems)
    }

    /// Whether `key` counts for `principal` at `at`: the line that allows
    /// it, or why none does.
    pub fn check(
        &self,
        principal: &str,
        key: &KeyData,
        at: DateTime<Utc>,
    ) -> Result<usize, KeyRefusal> {
        let mut refusal = None;
        for line in self.lines_of(key) {
            if !pattern_list_matches(principal, &line.principals) {
                continue;
            }
            if let Some(namespaces) = &line.namespaces {
                if !pattern_list_matches(NAMESPACE, namespaces) {
                    if refusal.is_none() {
                        refusal = Some(KeyRefusal::Namespace {
                            line: line.number,
                            namespaces: namespaces.clone(),
                        });
                    }
                    continue;
                }
            }
            // As ssh-keygen: not yet valid before valid-after, expired
            // after valid-before.
            let early = line.valid_after.is_some_and(|after| at < after);
            let late = line.valid_before.is_some_and(|before| at > before);
            if early || late {
                refusal = Some(KeyRefusal::NotValid {
                    line: line.number,
                    after: line.valid_after,
                    before: line.valid_before,
                });
                continue;
            }
            return Ok(line.number);
        }
        Err(refusal.unwrap_or_else(|| KeyRefusal::NotListed {
            keys_for_principal: self
                .lines
                .iter()
                .filter(|l| &l.key != key && pattern_list_matches(principal, &l.principals))
                .map(|l| &l.key)
                .collect::<HashSet<_>>()
                .len(),
            listed_for: self.principals_of(key),
        }))
    }

    /// The principals named plainly (without wildcards) on the lines that
    /// list `key`, in file order.
    pub fn principals_of(&self, key: &KeyData) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for line in self.lines_of(key) {
            for principal in line.principals.split(',') {
                let plain = !principal.is_empty() && !principal.contains(['*', '?', '!']);
                if plain && !found.iter().any(|p| p == principal) {
                    found.push(principal.to_owned());
                }
            }
        }
        found
    }

    /// Whether the file lists `key` at all.
    pub fn lists(&self, key: &KeyData) -> bool {
        self.by_key.contains_key(key)
    }

    fn lines_of<'a>(&'a self, key: &KeyData) -> impl Iterator<Item = &'a Line> {
        self.by_key
            .get(key)
            .into_iter()
            .flatten()
            .map(|&i| &self.lines[i])
    }
}

/// Reads a revoked keys file: the keys, and each line that is not a key.
pub fn parse_revoked(text: &str) -> (HashSet<KeyData>, Vec<LineProblem>) {
    let mut keys = HashSet::new();
    let mut problems = Vec::new();
    if text.starts_with("SSHKRL") {
        problems.push(LineProblem {
            span: Span::FILE,
            message: "a binary key revocation list (KRL) cannot be read; list the revoked public keys instead, one a line".to_owned(),
        });
        return (keys, problems);
    }
    for (_, start, raw) in lines(text) {
        let content = raw.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        // OpenSSH splits a key line on any run of spaces or tabs.
        let content = content.split_whitespace().collect::<Vec<_>>().join(" ");
        match PublicKey::from_openssh(&content) {
            Ok(key) => {
                keys.insert(key.key_data().clone());
            }
            Err(err) => {
                let offset = start + (raw.len() - raw.trim_start().len());
                let mut span = Span::at_offset(text, offset);
                span.end = start + raw.len();
                problems.push(LineProblem {
                    span,
                    message: format!(
                        "not a public key ({err}); a line is a key as in a .pub file, such as `ssh-ed25519 AAAA... comment`"
                    ),
                });
            }
        }
    }
    (keys, problems)
}

/// Each line of `text` with its 1-based number and byte offset, without
/// its line break.
fn lines(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n')
        .enumerate()
        .map(move |(i, line)| {
            let start = offset;
            offset += line.len();
            (i + 1, start, line.trim_end_matches(['\n', '\r']))
        })
}

/// One line without leading blanks: `None` for a `cert-authority` line,
/// which no plain signature can match.
fn parse_line(content: &str, number: usize) -> Result<Option<Line>, String> {
    let (principals, rest) = match content.strip_prefix('"') {
        Some(quoted) => {
            let end = quoted
                .find('"')
                .ok_or("the quoted principals have no closing quote")?;
            (&quoted[..end], &quoted[end + 1..])
        }
        None => content
            .split_once([' ', '\t'])
            .ok_or("a line is `principals [options] key`; this one has no key")?,
    };
    if principals.is_empty() {
        return Err("the principals are empty".to_owned());
    }
    if principals.len() > limits::MAX_PRINCIPALS_FIELD_BYTES {
        return Err(format!(
            "the principals are longer than {} bytes; split them over several lines",
            limits::MAX_PRINCIPALS_FIELD_BYTES
        ));
    }
    if let Some(long) = principals
        .split(',')
        .find(|p| p.len() > limits::MAX_PRINCIPAL_BYTES)
    {
        return Err(format!(
            "a principal of {} bytes; principals are at most {} bytes",
            long.len(),
            limits::MAX_PRINCIPAL_BYTES
        ));
    }
    let rest = rest.trim_start_matches([' ', '\t']);
    // The key comes next, or options and then the key: as ssh-keygen, try
    // the key first.
    let (options, key) = match PublicKey::from_openssh(rest) {
        Ok(key) => (None, key),
        Err(first) => {
            let end = options_end(rest);
            let (options, key_text) = rest.split_at(end);
            let key_text = key_text.trim_start_matches([' ', '\t']);
            if key_text.is_empty() || looks_like_key_type(options) {
                return Err(format!("cannot read the key: {first}"));
            }
            let key = PublicKey::from_openssh(key_text)
                .map_err(|err| format!("cannot read the key: {err}"))?;
            (Some(options), key)
        }
    };
    let mut line = Line {
        number,
        principals: principals.to_owned(),
        key: key.key_data().clone(),
        namespaces: None,
        valid_after: None,
        valid_before: None,
    };
    let mut cert_authority = false;
    for option in options.map(split_options).unwrap_or_default() {
        let (name, value) = match option.split_once('=') {
            Some((name, value)) => (name, Some(dequote(value)?)),
            None => (option, None),
        };
        let name = name.to_ascii_lowercase();
        let value = || value.ok_or_else(|| format!("the option {name} needs a value in quotes"));
        match name.as_str() {
            "cert-authority" => cert_authority = true,
            "namespaces" if line.namespaces.is_none() => line.namespaces = Some(value()?),
            "valid-after" if line.valid_after.is_none() => {
                line.valid_after = Some(parse_time(&value()?)?)
            }
            "valid-before" if line.valid_before.is_none() => {
                line.valid_before = Some(parse_time(&value()?)?)
            }
            "namespaces" | "valid-after" | "valid-before" => {
                return Err(format!("the option {name} is given twice"))
            }
            other => {
                return Err(format!(
                    "unsupported option '{other}' (ssh-keygen refuses the line too); the options are namespaces, valid-after, valid-before and cert-authority"
                ))
            }
        }
    }
    Ok((!cert_authority).then_some(line))
}

fn looks_like_key_type(word: &str) -> bool {
    ["ssh-", "ecdsa-", "sk-"]
        .iter()
        .any(|prefix| word.starts_with(prefix))
}

/// Where the options end: the first blank outside double quotes.
fn options_end(text: &str) -> usize {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ' ' | '\t' if !quoted => return i,
            _ => {}
        }
    }
    text.len()
}

/// The options, split at commas outside double quotes.
fn split_options(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn dequote(value: &str) -> Result<String, String> {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .filter(|v| !v.contains('"'))
        .map(str::to_owned)
        .ok_or_else(|| format!("an option's value must be in double quotes: {value}"))
}

/// `YYYYMMDD[HHMM[SS]]`, with an optional `Z`; always read as UTC.
fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    let bad = || {
        format!("'{text}' is not a time; write YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, and Z for UTC, such as 20250115Z")
    };
    let digits = text.strip_suffix(['Z', 'z']).unwrap_or(text);
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let (date, time) = match digits.len() {
        8 => (digits, "000000".to_owned()),
        12 => (&digits[..8], format!("{}00", &digits[8..])),
        14 => (&digits[..8], digits[8..].to_owned()),
        _ => return Err(bad()),
    };
    let date = NaiveDate::parse_from_str(date, "%Y%m%d").map_err(|_| bad())?;
    let time = NaiveTime::parse_from_str(&time, "%H%M%S").map_err(|_| bad())?;
    Ok(NaiveDateTime::new(date, time).and_utc())
}

/// Whether `text` matches the pattern list, as OpenSSH matches one: some
/// pattern matches and no `!pattern` does.
pub fn pattern_list_matches(text: &str, list: &str) -> bool {
    let mut matched = false;
    for pattern in list.split(',') {
        match pattern.strip_prefix('!') {
            Some(negated) if wildcard_matches(text, negated) => return false,
            Some(_) => {}
            None => matched = matched || wildcard_matches(text, pattern),
        }
    }
    matched
}

/// `*` matches any run of characters and `?` any one. Linear in practice,
/// at worst the product of the lengths (never exponential).
fn wildcard_matches(text: &str, pattern: &str) -> bool {
    let text: Vec<char> = text.chars().collect();
    let pattern: Vec<char> = pattern.chars().collect();
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            t += 1;
            p += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHl+LlaTRld8C6q5/4cZPk69zGN66rczwywY5Uj72ote dana";
    const OTHER: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJr24OFbt7O1i03Ifdks0Za9Ma0KG3siAUgHdxbol4RH sam";

    fn key(text: &str) -> KeyData {
        PublicKey::from_openssh(text).unwrap().key_data().clone()
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn reads_principals_options_and_keys_as_ssh_keygen_does() {
        let text = format!(
            "# team keys\n\n  dana@example.org {KEY}\n\"sam@example.org,*@ops.example.org\" NAMESPACES=\"git,crisis-*\",valid-after=\"20250101Z\",valid-before=\"202601011200\" {OTHER}\nca@example.org cert-authority {OTHER}\n"
        );
        let (signers, problems) = AllowedSigners::parse(&text);
        assert_eq!(problems, []);
        let now = at("2025-06-01T00:00:00Z");
        assert_eq!(signers.check("dana@example.org", &key(KEY), now), Ok(3));
        assert_eq!(signers.check("sam@example.org", &key(OTHER), now), Ok(4));
        assert_eq!(signers.check("jo@ops.example.org", &key(OTHER), now), Ok(4));
        assert_eq!(
            signers.principals_of(&key(OTHER)),
            ["sam@example.org".to_owned()]
        );
        // The cert-authority line never matches a plain key.
        assert!(signers.check("ca@example.org", &key(OTHER), now).is_err());
        assert_eq!(
            signers.check("sam@example.org", &key(OTHER), at("2026-01-01T12:00:00Z")),
            Ok(4),
            "valid-before holds through its second"
        );
        assert!(matches!(
            signers.check("sam@example.org", &key(OTHER), at("2026-01-01T12:00:01Z")),
            Err(KeyRefusal::NotValid { line: 4, .. })
        ));
        assert!(matches!(
            signers.check("sam@example.org", &key(OTHER), at("2024-12-31T23:59:59Z")),
            Err(KeyRefusal::NotValid { line: 4, .. })
        ));
    }

    #[test]
    fn says_why_a_key_does_not_count() {
        let text = format!("dana@example.org {KEY}\nsam@example.org namespaces=\"git\" {OTHER}\n");
        let (signers, _) = AllowedSigners::parse(&text);
        let now = at("2025-06-01T00:00:00Z");
        assert_eq!(
            signers.check("sam@example.org", &key(KEY), now),
            Err(KeyRefusal::NotListed {
                keys_for_principal: 1,
                listed_for: vec!["dana@example.org".to_owned()]
            })
        );
        assert_eq!(
            signers.check("sam@example.org", &key(OTHER), now),
            Err(KeyRefusal::Namespace {
                line: 2,
                namespaces: "git".to_owned()
            })
        );
        let refusal = signers
            .check("kim@example.org", &key(OTHER), now)
            .unwrap_err();
        assert_eq!(
            refusal.describe("kim@example.org", "allowed_signers"),
            "allowed_signers does not list this key for kim@example.org (it lists it for sam@example.org)"
        );
    }

    #[test]
    fn reports_each_unusable_line_at_its_place() {
        let text = format!(
            "dana@example.org\nsam@example.org foo=\"x\" {OTHER}\nkim@example.org valid-after=\"2025\" {OTHER}\njo@example.org ssh-ed25519 AAAA-not-base64\n\"unclosed {KEY}\n"
        );
        let (signers, problems) = AllowedSigners::parse(&text);
        assert!(!signers.lists(&key(OTHER)));
        let lines: Vec<usize> = problems.iter().map(|p| p.span.line).collect();
        assert_eq!(lines, [1, 2, 3, 4, 5]);
        assert!(problems[1].message.contains("unsupported option 'foo'"));
        assert!(problems[2].message.contains("'2025' is not a time"));
        assert!(problems[3].message.starts_with("cannot read the key"));
    }

    #[test]
    fn principals_are_bounded() {
        let at_limit = "a".repeat(limits::MAX_PRINCIPAL_BYTES);
        let past = "a".repeat(limits::MAX_PRINCIPAL_BYTES + 1);
        let (_, problems) = AllowedSigners::parse(&format!("{at_limit} {KEY}\n"));
        assert_eq!(problems, []);
        let (_, problems) = AllowedSigners::parse(&format!("{past} {KEY}\n"));
        assert_eq!(problems.len(), 1);
        let field = |n: usize| vec!["p"; n].join(",");
        let fits = limits::MAX_PRINCIPALS_FIELD_BYTES.div_ceil(2);
        let (_, problems) = AllowedSigners::parse(&format!("{} {KEY}\n", field(fits)));
        assert_eq!(problems, []);
        let (_, problems) = AllowedSigners::parse(&format!("{} {KEY}\n", field(fits + 1)));
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn a_key_is_on_a_bounded_number_of_lines() {
        let line = |i: usize| format!("p{i}@example.org {KEY}\n");
        let at_limit: String = (0..limits::MAX_LINES_PER_KEY).map(line).collect();
        let (_, problems) = AllowedSigners::parse(&at_limit);
        assert_eq!(problems, []);
        let past: String = (0..=limits::MAX_LINES_PER_KEY).map(line).collect();
        let (signers, problems) = AllowedSigners::parse(&past);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].span.line, limits::MAX_LINES_PER_KEY + 1);
        assert_eq!(
            signers.principals_of(&key(KEY)).len(),
            limits::MAX_LINES_PER_KEY
        );
    }

    #[test]
    fn patterns_match_as_openssh_matches_them() {
        assert!(pattern_list_matches("dana@example.org", "*@example.org"));
        assert!(pattern_list_matches("dana@example.org", "x,d?na@*"));
        assert!(!pattern_list_matches(
            "dana@example.org",
            "*@example.org,!dana@*"
        ));
        assert!(!pattern_list_matches("dana@example.org", "!sam@*"));
        assert!(pattern_list_matches("crisis-approval", "git,crisis-*"));
        assert!(!pattern_list_matches("crisis-approval", "crisis"));
        // A pathological pattern is still quick.
        let text = "a".repeat(limits::MAX_PRINCIPAL_BYTES);
        let pattern = format!(
            "{}b",
            "*a".repeat(limits::MAX_PRINCIPALS_FIELD_BYTES / 2 - 1)
        );
        assert!(!wildcard_matches(&text, &pattern));
    }

    #[test]
    fn revoked_keys_are_public_keys_one_a_line() {
        let (keys, problems) = parse_revoked(&format!("# gone\n{OTHER}\n\nnot a key\n"));
        assert!(keys.contains(&key(OTHER)));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].span.line, 4);
        let (keys, problems) = parse_revoked("SSHKRL\n\0binary");
        assert!(keys.is_empty());
        assert_eq!(problems.len(), 1);
    }
}
