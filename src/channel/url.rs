//! Finding links the way the platforms that discount them do.
//!
//! X and Mastodon both count a link as a fixed 23 characters, and both find
//! links with twitter-text's rules: an optional `http://` or `https://`, a
//! host whose last label is a delegated TLD, an optional port, path and query
//! (trailing punctuation stays outside the link). X also takes a bare domain
//! such as `example.gov`; Mastodon only takes links with a scheme.
//!
//! A candidate whose host has a label longer than 63 characters once
//! IDNA-encoded is not a link and is counted character by character, which
//! is what the conformance suite checks with its long-label cases.

use std::ops::Range;

use super::tld;

/// Which links count as links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlScope {
    /// `http(s)://…` and bare domains with a known TLD (X).
    WithBareDomains,
    /// Only `http(s)://…` (Mastodon).
    SchemeOnly,
}

/// twitter-text refuses longer URLs (scheme included).
const MAX_URL_UTF16: usize = 4096;
/// DNS limit on one label, checked on the IDNA (punycode) form.
const MAX_LABEL_LEN: usize = 63;

/// The links in `chars`, as char index ranges in text order.
pub fn find_urls(chars: &[char], scope: UrlScope) -> Vec<Range<usize>> {
    // Every link has a host with a dot before its top-level domain; most
    // message text has no dot-joined word at all, and lint measures every
    // message several times.
    if !chars
        .windows(2)
        .any(|w| w[0] == '.' && is_domain_char(w[1]))
    {
        return Vec::new();
    }
    let hosts = Hosts::new(chars);
    let mut urls = Vec::new();
    // At the very start a link may begin at 0 (nothing before it) or at 1
    // (after a first character that may precede one); the reference pattern
    // tries the second first, so "ßexample.de" links "example.de".
    let mut starts: Vec<usize> = Vec::new();
    if chars.first().is_some_and(|&c| may_precede_url(c)) {
        starts.push(1);
    }
    starts.push(0);
    let mut i = 0;
    // Set when `i` is a character outside the BMP right after a link: the
    // next link may start at its low half.
    let mut after_link = false;
    while i < chars.len() {
        // (start, the character matched before the link, if any)
        let found = if i == 0 {
            starts.iter().find_map(|&s| {
                let before = s.checked_sub(1).and_then(|b| chars.get(b).copied());
                match_candidate(chars, &hosts, s).map(|c| (s, before, c))
            })
        } else if !after_link && may_precede_url(chars[i - 1]) {
            match_candidate(chars, &hosts, i).map(|c| (i, Some(chars[i - 1]), c))
        } else if is_astral(chars[i]) {
            match_candidate(chars, &hosts, i).map(|c| (i, None, c))
        } else {
            None
        };
        after_link = false;
        let Some((start, before, candidate)) = found else {
            i += if i == 0 { starts.len() } else { 1 };
            continue;
        };
        let end = candidate.end;
        accept(chars, start, before, &candidate, scope, &mut urls);
        // The character before a link is part of the match, so the next link
        // can start no earlier than one character after this one ends.
        i = end + 1;
        if chars.get(end).is_some_and(|&c| is_astral(c)) {
            i = end;
            after_link = true;
        }
    }
    urls
}

struct Candidate {
    has_scheme: bool,
    domain: Range<usize>,
    has_path: bool,
    end: usize,
}

fn accept(
    chars: &[char],
    start: usize,
    before: Option<char>,
    candidate: &Candidate,
    scope: UrlScope,
    urls: &mut Vec<Range<usize>>,
) {
    let url_utf16: usize = chars[start..candidate.end]
        .iter()
        .map(|c| c.len_utf16())
        .sum();
    let scheme_utf16 = if candidate.has_scheme {
        0
    } else {
        "https://".len()
    };
    if url_utf16 + scheme_utf16 > MAX_URL_UTF16 || !labels_fit_dns(&chars[candidate.domain.clone()])
    {
        return;
    }
    if candidate.has_scheme {
        match tco_end(chars, start, candidate.end) {
            TcoLink::NotTco => urls.push(start..candidate.end),
            TcoLink::Link(end) => urls.push(start..end),
            TcoLink::Refused => {}
        }
        return;
    }
    if scope == UrlScope::SchemeOnly {
        return;
    }
    if matches!(before, Some('-' | '_' | '.' | '/')) {
        return;
    }
    // Without a scheme only the ASCII part of a host is taken: "例えexample.com"
    // links "example.com".
    let ascii_domains = ascii_domains(chars, candidate.domain.clone());
    let Some(last) = ascii_domains.last().cloned() else {
        return;
    };
    for domain in &ascii_domains {
        if *domain == last && candidate.has_path {
            // The path belongs to the last host.
            urls.push(domain.start..candidate.end);
        } else {
            urls.push(domain.clone());
        }
    }
}

enum TcoLink {
    NotTco,
    /// A t.co link ends after its slug (and query), whatever follows.
    Link(usize),
    /// A slug longer than t.co issues is not a link.
    Refused,
}

/// X's own shortener: `http(s)://t.co/SLUG` takes no further path, and a
/// slug over 40 characters is not a link.
fn tco_end(chars: &[char], start: usize, end: usize) -> TcoLink {
    let url: String = chars[start..end]
        .iter()
        .collect::<String>()
        .to_ascii_lowercase();
    let Some(rest) = url
        .strip_prefix("https://t.co/")
        .or(url.strip_prefix("http://t.co/"))
    else {
        return TcoLink::NotTco;
    };
    let slug = rest.chars().take_while(char::is_ascii_alphanumeric).count();
    if slug == 0 {
        return TcoLink::NotTco;
    }
    if slug > 40 {
        return TcoLink::Refused;
    }
    let prefix = url.chars().count() - rest.chars().count();
    let mut link_end = start + prefix + slug;
    if chars.get(link_end) == Some(&'?') {
        let mut k = link_end + 1;
        while k < end && is_query_char(chars[k]) {
            k += 1;
            if is_query_end_char(chars[k - 1]) {
                link_end = k;
            }
        }
    }
    TcoLink::Link(link_end)
}

/// The reference works on UTF-16 units, so the high half of a character
/// outside the BMP can precede a link that starts at its low half: such a
/// character may start a host whatever comes before it.
fn is_astral(c: char) -> bool {
    c.len_utf16() == 2
}

fn may_precede_url(c: char) -> bool {
    !(c.is_ascii_alphanumeric() || matches!(c, '@' | '＠' | '$' | '#' | '＃') || is_invalid(c))
}

fn is_invalid(c: char) -> bool {
    matches!(c, '\u{FFFE}' | '\u{FEFF}' | '\u{FFFF}')
}

fn is_directional_mark(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{2066}'..='\u{2069}')
}

fn is_space(c: char) -> bool {
    matches!(
        c,
        '\u{09}'..='\u{0D}'
            | ' '
            | '\u{85}'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{180E}'
            | '\u{2000}'..='\u{200A}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
    )
}

/// A character that may appear inside a host label (besides `-` and `_`):
/// anything but the punctuation twitter-text lists, spaces, invalid
/// characters and directional marks. (`"` and `` ` `` are not on its list.)
fn is_domain_char(c: char) -> bool {
    // The ASCII punctuation twitter-text excludes from domains: all of it
    // but '"' and '`' (a match, not a string search: this runs for every
    // character of every message lint measures).
    let excluded_punctuation = c.is_ascii_punctuation() && c != '"' && c != '`';
    !(excluded_punctuation || is_space(c) || is_invalid(c) || is_directional_mark(c))
}

fn is_latin_accent(c: char) -> bool {
    matches!(c,
        '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{FF}' | '\u{100}'..='\u{24F}'
        | '\u{253}' | '\u{254}' | '\u{256}' | '\u{257}' | '\u{259}' | '\u{25B}' | '\u{263}'
        | '\u{268}' | '\u{26F}' | '\u{272}' | '\u{289}' | '\u{28B}' | '\u{2BB}'
        | '\u{300}'..='\u{36F}' | '\u{1E00}'..='\u{1EFF}')
}

fn is_path_letter(c: char) -> bool {
    c.is_ascii_alphanumeric() || ('\u{400}'..='\u{4FF}').contains(&c) || is_latin_accent(c)
}

fn is_path_char(c: char) -> bool {
    is_path_letter(c) || "!*';:=+,.$/%#[]-_~|&@\u{2013}".contains(c)
}

/// A path may only end on one of these, so "see example.com/a." keeps the
/// full stop outside the link.
fn is_path_end_char(c: char) -> bool {
    is_path_letter(c) || "=_#/+-".contains(c)
}

fn is_query_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!?*'@();:&=+$/%#[]-_.,~|".contains(c)
}

fn is_query_end_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_&=#/".contains(c)
}

fn match_candidate(chars: &[char], hosts: &Hosts, start: usize) -> Option<Candidate> {
    let scheme_len = scheme_len(chars, start);
    let host_start = start + scheme_len;
    let domain_end = hosts.end_from(chars, host_start)?;
    let mut end = domain_end;

    if chars.get(end) == Some(&':') {
        let digits = chars[end + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits > 0 {
            end += 1 + digits;
        }
    }
    let mut has_path = false;
    if chars.get(end) == Some(&'/') {
        has_path = true;
        end = path_end(chars, end + 1);
    }
    if chars.get(end) == Some(&'?') {
        let mut last_end = None;
        let mut k = end + 1;
        while let Some(&c) = chars.get(k) {
            if !is_query_char(c) {
                break;
            }
            if is_query_end_char(c) {
                last_end = Some(k + 1);
            }
            k += 1;
        }
        if let Some(query_end) = last_end {
            end = query_end;
        }
    }
    Some(Candidate {
        has_scheme: scheme_len > 0,
        domain: host_start..domain_end,
        has_path,
        end,
    })
}

fn scheme_len(chars: &[char], start: usize) -> usize {
    for scheme in ["https://", "http://"] {
        let n = scheme.len();
        if chars.len() >= start + n
            && chars[start..start + n]
                .iter()
                .zip(scheme.chars())
                .all(|(a, b)| a.to_ascii_lowercase() == b)
        {
            return n;
        }
    }
    0
}

/// Where the path that starts after a `/` at `from` ends: the last position
/// after an allowed final character (or balanced parentheses).
fn path_end(chars: &[char], from: usize) -> usize {
    let mut end = from;
    let mut k = from;
    while let Some(&c) = chars.get(k) {
        if is_path_char(c) {
            k += 1;
            if is_path_end_char(c) {
                end = k;
            }
        } else if c == '(' {
            match balanced_parens(chars, k) {
                Some(after) => {
                    k = after;
                    end = k;
                }
                None => break,
            }
        } else {
            break;
        }
    }
    end
}

/// `(text)` or `(a(b)c)` in a path, as in Wikipedia links; returns the index
/// after the closing parenthesis.
fn balanced_parens(chars: &[char], open: usize) -> Option<usize> {
    let run = |from: usize| {
        chars[from..]
            .iter()
            .take_while(|&&c| is_path_char(c))
            .count()
    };
    let mut k = open + 1;
    let first = run(k);
    k += first;
    match chars.get(k) {
        Some(')') if first > 0 => Some(k + 1),
        Some('(') => {
            let inner = run(k + 1);
            if inner == 0 || chars.get(k + 1 + inner) != Some(&')') {
                return None;
            }
            k += 2 + inner;
            k += run(k);
            (chars.get(k) == Some(&')')).then_some(k + 1)
        }
        _ => None,
    }
}

fn is_label_char(c: char) -> bool {
    is_domain_char(c) || c == '-' || c == '_'
}

/// Where a host (`label.(label.)*tld`, longest first, as the greedy
/// reference pattern takes it) ends from any start in a text.
///
/// Links may start at almost every character, and matching a host from each
/// start by walking its labels made `a.a.a.a…` or a long run of accented
/// letters cost the square (or cube) of the text's length. The host from a
/// start differs from the host from the next label's start only in its first
/// label, so the answer for each label that follows a `.` is worked out once,
/// right to left, and a start combines its own first label with the answer
/// stored for the label after it.
struct Hosts {
    /// For each index, where the run of label characters it is in ends (the
    /// index itself when it is not a label character).
    run_end: Vec<usize>,
    /// For each index, whether a `_` lies between it and the end of its run.
    underscore_ahead: Vec<bool>,
    /// For each `.` between two runs, what the run after it offers (nothing
    /// elsewhere). Kept by index rather than in a map: this lookup is the
    /// hot path, and with a map `a.a.a…` took about three times as long.
    after_dot: Vec<NextLabel>,
}

#[derive(Clone, Copy, Default)]
struct NextLabel {
    /// Where the host ends if the next run is its TLD.
    tld_end: Option<usize>,
    /// Where the host ends if the next run is a host label: the furthest
    /// TLD end reachable from it.
    host_end: Option<usize>,
}

impl Hosts {
    fn new(chars: &[char]) -> Hosts {
        let n = chars.len();
        let mut hosts = Hosts {
            run_end: vec![0; n],
            underscore_ahead: vec![false; n],
            after_dot: vec![NextLabel::default(); n],
        };
        for i in (0..n).rev() {
            let c = chars[i];
            let continues = chars.get(i + 1).is_some_and(|&d| is_label_char(d));
            if is_label_char(c) {
                hosts.run_end[i] = if continues {
                    hosts.run_end[i + 1]
                } else {
                    i + 1
                };
                hosts.underscore_ahead[i] =
                    c == '_' || (continues && hosts.underscore_ahead[i + 1]);
            } else {
                hosts.run_end[i] = i;
            }
            if c == '.' && continues {
                let label_end = hosts.run_end[i + 1];
                hosts.after_dot[i] = NextLabel {
                    tld_end: match_tld(chars, i + 1, label_end),
                    host_end: hosts.end_from(chars, i + 1),
                };
            }
        }
        hosts
    }

    /// Where the host that starts at `start` ends, if one does. Everything
    /// right of `start` must already be worked out.
    fn end_from(&self, chars: &[char], start: usize) -> Option<usize> {
        let end = *self.run_end.get(start)?;
        if end == start {
            return None;
        }
        let next = self.after_dot.get(end)?;
        // A label starts and ends with a letter or digit (any character the
        // reference allows in a host); `_` may appear in a subdomain but not
        // in the label right before the TLD.
        if !(is_domain_char(chars[start]) && is_domain_char(chars[end - 1])) {
            return None;
        }
        let as_last_label = if self.underscore_ahead[start] {
            None
        } else {
            next.tld_end
        };
        next.host_end.or(as_last_label)
    }
}

/// A TLD at `start` that is not followed by a letter, digit, `@`, `+` or `-`
/// (so `example.comx` is not `example.com` + "x").
fn match_tld(chars: &[char], start: usize, label_end: usize) -> Option<usize> {
    let boundary_ok = |end: usize| {
        chars
            .get(end)
            .is_none_or(|&c| !(c.is_ascii_alphanumeric() || "@+-".contains(c)))
    };
    let longest = tld::max_chars().min(label_end - start);
    for len in (1..=longest).rev() {
        let end = start + len;
        if !boundary_ok(end) {
            continue;
        }
        let name: String = chars[start..end].iter().collect();
        if tld::is_tld(&name) {
            return Some(end);
        }
    }
    // An IDNA-encoded TLD not yet in the table.
    let label: String = chars[start..label_end]
        .iter()
        .collect::<String>()
        .to_ascii_lowercase();
    if let Some(rest) = label.strip_prefix("xn--") {
        let tail = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
            .count();
        if tail > 0 {
            return Some(start + 4 + tail);
        }
    }
    None
}

/// Each host label, IDNA-encoded when it is not ASCII, must be 1 to 63
/// characters long.
fn labels_fit_dns(domain: &[char]) -> bool {
    domain.split(|&c| c == '.').all(|label| {
        let len = if label.iter().all(char::is_ascii) {
            label.len()
        } else if label.len() > MAX_LABEL_LEN {
            // Punycode writes at least one character per input character,
            // so the label is too long; its encoding, which takes time
            // quadratic in the label's length, need not be worked out.
            return false;
        } else {
            "xn--".len() + punycode_len(label)
        };
        (1..=MAX_LABEL_LEN).contains(&len)
    })
}

/// The ASCII hosts inside a host that also has other characters, found
/// left to right: `(label.)+tld` with labels of ASCII letters, digits, `-`,
/// `@` and Latin accented letters, and any known TLD.
fn ascii_domains(chars: &[char], domain: Range<usize>) -> Vec<Range<usize>> {
    let is_ascii_label_char =
        |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '@' || is_latin_accent(c);
    let slice = &chars[domain.clone()];
    let n = slice.len();
    // As in `Hosts`: from each start the labels run to the same dots, so the
    // furthest TLD after each dot is worked out once, right to left, rather
    // than by walking the labels again from every start.
    let mut ascii_end = vec![n; n + 1];
    let mut label_end = vec![n; n + 1];
    for k in (0..n).rev() {
        let c = slice[k];
        ascii_end[k] = if is_ascii_label_char(c) {
            ascii_end[k + 1]
        } else {
            k
        };
        label_end[k] = if is_domain_char(c) || c == '-' {
            label_end[k + 1]
        } else {
            k
        };
    }
    // For the index after each `.`: where the furthest TLD among the labels
    // from there ends. The labels are ASCII, the TLD may be an IDN one
    // ("example.рф").
    let mut furthest_tld: Vec<Option<usize>> = vec![None; n + 1];
    for after_dot in (1..=n).rev().filter(|&k| slice[k - 1] == '.') {
        furthest_tld[after_dot] = furthest_after_label(slice, &ascii_end, &furthest_tld, after_dot)
            .or_else(|| match_tld(slice, after_dot, label_end[after_dot]));
    }
    let mut found = Vec::new();
    let mut i = 0;
    while i < n {
        match furthest_after_label(slice, &ascii_end, &furthest_tld, i) {
            Some(end) => {
                found.push(domain.start + i..domain.start + end);
                i = end;
            }
            None => i += 1,
        }
    }
    found
}

/// The furthest TLD end after the ASCII label at `start`, when that label is
/// not empty and a `.` follows it.
fn furthest_after_label(
    slice: &[char],
    ascii_end: &[usize],
    furthest_tld: &[Option<usize>],
    start: usize,
) -> Option<usize> {
    let end = ascii_end[start];
    if end > start && slice.get(end) == Some(&'.') {
        furthest_tld[end + 1]
    } else {
        None
    }
}

/// Length of the RFC 3492 punycode encoding of `label` (without `xn--`).
fn punycode_len(label: &[char]) -> usize {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    const SKEW: u32 = 38;
    const DAMP: u32 = 700;

    fn adapt(mut delta: u32, points: u32, first: bool) -> u32 {
        delta /= if first { DAMP } else { 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
    }

    let input: Vec<u32> = label.iter().map(|&c| c as u32).collect();
    let basic = input.iter().filter(|&&c| c < 0x80).count();
    let mut out = basic + usize::from(basic > 0);
    let mut n: u32 = 0x80;
    let mut delta: u32 = 0;
    let mut bias: u32 = 72;
    let mut handled = basic as u32;
    let total = input.len() as u32;
    while handled < total {
        let Some(&m) = input.iter().filter(|&&c| c >= n).min() else {
            break;
        };
        // Overflow only happens on absurd input; such a label is too long anyway.
        let Some(step) = (m - n).checked_mul(handled + 1) else {
            return usize::MAX / 2;
        };
        delta = delta.saturating_add(step);
        n = m;
        for &c in &input {
            if c < n {
                delta = delta.saturating_add(1);
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out += 1;
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out += 1;
                bias = adapt(delta, handled + 1, handled == basic as u32);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.saturating_add(1);
        n += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str, scope: UrlScope) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        find_urls(&chars, scope)
            .into_iter()
            .map(|r| chars[r].iter().collect())
            .collect()
    }

    #[test]
    fn finds_links_with_and_without_scheme() {
        assert_eq!(
            urls("Hi http://test.co now", UrlScope::WithBareDomains),
            ["http://test.co"]
        );
        assert_eq!(
            urls("see example.gov.", UrlScope::WithBareDomains),
            ["example.gov"]
        );
        assert_eq!(
            urls("see example.gov.", UrlScope::SchemeOnly),
            Vec::<String>::new()
        );
        assert_eq!(
            urls("go to https://ready.gov/es/plan, now", UrlScope::SchemeOnly),
            ["https://ready.gov/es/plan"]
        );
    }

    #[test]
    fn bare_domains_take_their_ascii_part() {
        assert_eq!(
            urls("meet at example.de today", UrlScope::WithBareDomains),
            ["example.de"]
        );
        assert_eq!(
            urls("münchen.de", UrlScope::WithBareDomains),
            ["münchen.de"]
        );
        assert_eq!(
            urls("™ example.рф", UrlScope::WithBareDomains),
            ["example.рф"]
        );
        assert_eq!(
            urls("https://x.com/😀-example.com", UrlScope::WithBareDomains),
            ["https://x.com/", "-example.com"]
        );
        assert_eq!(
            urls("ßexample.de", UrlScope::WithBareDomains),
            ["example.de"]
        );
        assert_eq!(
            urls("例えexample.com/x", UrlScope::WithBareDomains),
            ["example.com/x"]
        );
        assert_eq!(
            urls("go:example.com/x", UrlScope::WithBareDomains),
            ["example.com/x"]
        );
        assert!(urls("a.example.com", UrlScope::WithBareDomains).len() == 1);
    }

    #[test]
    fn tco_links_stop_after_the_slug() {
        assert_eq!(
            urls("http://t.co/abc123/more", UrlScope::SchemeOnly),
            ["http://t.co/abc123"]
        );
        let long_slug = format!("https://t.co/{}", "a".repeat(41));
        assert!(urls(&long_slug, UrlScope::SchemeOnly).is_empty());
    }

    #[test]
    fn words_and_emails_are_not_links() {
        assert!(urls("see readme.txt", UrlScope::WithBareDomains).is_empty());
        assert!(urls("example.comx", UrlScope::WithBareDomains).is_empty());
        assert!(urls("write to help@example.org", UrlScope::WithBareDomains).is_empty());
        assert!(urls("no.tld.xyzzy v1.2.3", UrlScope::WithBareDomains).is_empty());
    }

    #[test]
    fn parentheses_and_queries() {
        assert_eq!(
            urls(
                "(https://en.wikipedia.org/wiki/Flood_(disambiguation))",
                UrlScope::SchemeOnly
            ),
            ["https://en.wikipedia.org/wiki/Flood_(disambiguation)"]
        );
        assert_eq!(
            urls("https://example.org/a?b=1&c=2.", UrlScope::SchemeOnly),
            ["https://example.org/a?b=1&c=2"]
        );
    }

    #[test]
    fn punycode_lengths_match_rfc_3492_examples() {
        // "bücher" -> "bcher-kva"
        let label: Vec<char> = "bücher".chars().collect();
        assert_eq!(punycode_len(&label), "bcher-kva".len());
        // "münchen" -> "mnchen-3ya"
        let label: Vec<char> = "münchen".chars().collect();
        assert_eq!(punycode_len(&label), "mnchen-3ya".len());
    }
}
