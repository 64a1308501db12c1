//! Counting what a reader sees as characters: grapheme clusters (Bluesky,
//! Mastodon), or Unicode scalar values where a platform does not say.
//!
//! Bluesky's lexicon limits `text` to 300 extended grapheme clusters and
//! 3,000 UTF-8 bytes, with no link discount. Mastodon counts grapheme
//! clusters of the post where every `http(s)://` link counts 23 and a
//! remote mention `@user@server` counts only `@user`. Grapheme rules are the
//! current Unicode ones (so `नमस्ते` is 3), from `unicode-segmentation`.

use unicode_segmentation::UnicodeSegmentation;

use super::url::{self, UrlScope};

/// What to count as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Graphemes,
    /// Unicode scalar values (code points).
    Characters,
}

/// Options of a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rules {
    /// Every `http(s)://` link counts this much instead of its length.
    pub url_length: Option<usize>,
    /// `@user@server` counts as `@user` (Mastodon).
    pub local_mentions: bool,
}

/// A count, and where it first went past a limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub length: usize,
    /// Byte offset of the first unit that took the count past the limit.
    pub first_over: Option<usize>,
}

/// Grapheme clusters in `text`, with no link or mention rules.
pub fn grapheme_count(text: &str) -> usize {
    text.graphemes(true).count()
}

/// Counts `text` in `unit` under `rules`, noting where it passes `limit`.
pub fn count(text: &str, unit: Unit, rules: Rules, limit: usize) -> Count {
    let mut length = 0;
    let mut first_over = None;
    let mut add = |amount: usize, offset: usize| {
        length += amount;
        if first_over.is_none() && length > limit {
            first_over = Some(offset);
        }
    };
    for span in spans(text, rules) {
        match span {
            Span::Counted { offset, len } => add(len, offset),
            Span::Text {
                offset,
                text: plain,
            } => match unit {
                Unit::Graphemes => {
                    for (at, _) in plain.grapheme_indices(true) {
                        add(1, offset + at);
                    }
                }
                Unit::Characters => {
                    for (at, _) in plain.char_indices() {
                        add(1, offset + at);
                    }
                }
            },
        }
    }
    Count { length, first_over }
}

/// Byte offset of the first grapheme cluster whose UTF-8 bytes pass
/// `max_bytes` (a cluster is never cut in two).
pub fn first_byte_over(text: &str, max_bytes: usize) -> Option<usize> {
    text.grapheme_indices(true)
        .find(|&(offset, cluster)| offset + cluster.len() > max_bytes)
        .map(|(offset, _)| offset)
}

enum Span<'a> {
    /// Plain text, counted unit by unit.
    Text { offset: usize, text: &'a str },
    /// A link or mention that counts a fixed amount.
    Counted { offset: usize, len: usize },
}

/// Splits `text` into plain stretches and the links and mentions that count
/// a fixed amount.
fn spans(text: &str, rules: Rules) -> Vec<Span<'_>> {
    let mut fixed: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, counts)
    if let Some(url_length) = rules.url_length {
        let chars: Vec<char> = text.chars().collect();
        let offsets: Vec<usize> = text
            .char_indices()
            .map(|(o, _)| o)
            .chain(std::iter::once(text.len()))
            .collect();
        for found in url::find_urls(&chars, UrlScope::SchemeOnly) {
            if let (Some(&start), Some(&end)) = (offsets.get(found.start), offsets.get(found.end)) {
                fixed.push((start, end, url_length));
            }
        }
    }
    if rules.local_mentions {
        // Links come in text order without overlapping, so the only one a
        // mention can overlap is the first that ends after it starts; and a
        // mention can only overlap the mention taken just before it. Looking
        // at those two, not at every link and mention, keeps a text full of
        // both linear.
        let links = fixed.len();
        let mut last_mention_end = 0;
        for (start, local_end, end) in remote_mentions(text) {
            let next_link = fixed[..links].partition_point(|&(_, e, _)| e <= start);
            let on_link = fixed[..links]
                .get(next_link)
                .is_some_and(|&(s, _, _)| s < end);
            if !on_link && start >= last_mention_end {
                let local = text.get(start..local_end).map_or(0, grapheme_count);
                fixed.push((start, end, local));
                last_mention_end = end;
            }
        }
    }
    fixed.sort_unstable();

    let mut spans = Vec::new();
    let mut at = 0;
    for (start, end, counts) in fixed {
        if start < at {
            continue;
        }
        if let Some(plain) = text.get(at..start) {
            if !plain.is_empty() {
                spans.push(Span::Text {
                    offset: at,
                    text: plain,
                });
            }
        }
        spans.push(Span::Counted {
            offset: start,
            len: counts,
        });
        at = end;
    }
    if let Some(rest) = text.get(at..) {
        if !rest.is_empty() {
            spans.push(Span::Text {
                offset: at,
                text: rest,
            });
        }
    }
    spans
}

/// Remote mentions as Mastodon finds them: `@user@server` not preceded by a
/// word character or `/`. Returns (start, end of `@user`, end of mention).
fn remote_mentions(text: &str) -> Vec<(usize, usize, usize)> {
    let bytes = text.as_bytes();
    let is_user = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut found = Vec::new();
    for (at, c) in text.char_indices() {
        if c != '@' {
            continue;
        }
        let preceded_ok = text[..at]
            .chars()
            .next_back()
            .is_none_or(|p| !(p.is_alphanumeric() || p == '_' || p == '/'));
        if !preceded_ok {
            continue;
        }
        // Username: [a-z0-9_]+ with inner `.` and `-`, ending on [a-z0-9_].
        let mut k = at + 1;
        let mut user_end = None;
        while let Some(&b) = bytes.get(k) {
            if is_user(b) {
                k += 1;
                user_end = Some(k);
            } else if (b == b'.' || b == b'-') && user_end.is_some() {
                k += 1;
            } else {
                break;
            }
        }
        let Some(user_end) = user_end else { continue };
        if bytes.get(user_end) != Some(&b'@') {
            continue;
        }
        // Server: word characters, `.` and `-`, ending on a word character.
        let mut server_end = None;
        for (off, d) in text[user_end + 1..].char_indices() {
            if d.is_alphanumeric() || d == '_' {
                server_end = Some(user_end + 1 + off + d.len_utf8());
            } else if d != '.' && d != '-' {
                break;
            }
        }
        if let Some(end) = server_end {
            found.push((at, user_end, end));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const MASTODON: Rules = Rules {
        url_length: Some(23),
        local_mentions: true,
    };

    #[test]
    fn graphemes_follow_current_unicode() {
        assert_eq!(grapheme_count("नमस्ते"), 3);
        assert_eq!(grapheme_count("👨‍👩‍👧‍👧"), 1);
    }

    #[test]
    fn mastodon_counts_links_as_23_but_not_bare_domains() {
        let link = "https://www.example.gov/emergency/flood-warning-2024";
        assert_eq!(count(link, Unit::Graphemes, MASTODON, 500).length, 23);
        assert_eq!(
            count("Info: example.gov", Unit::Graphemes, MASTODON, 500).length,
            17
        );
        let plain = count(link, Unit::Graphemes, Rules::default(), 500);
        assert_eq!(plain.length, link.chars().count());
    }

    #[test]
    fn mastodon_counts_only_the_local_part_of_a_mention() {
        let text = "cc @alerts@social.example.org now";
        assert_eq!(
            count(text, Unit::Graphemes, MASTODON, 500).length,
            "cc @alerts now".len()
        );
        assert_eq!(
            count("mail a@b.org", Unit::Graphemes, MASTODON, 500).length,
            12
        );
    }

    #[test]
    fn first_over_is_the_first_unit_past_the_limit() {
        let over = count("abcdé", Unit::Graphemes, Rules::default(), 3);
        assert_eq!(over.length, 5);
        assert_eq!(over.first_over, Some(3));
        assert_eq!(first_byte_over("aé", 2), Some(1));
        assert_eq!(first_byte_over("aé", 3), None);
        assert_eq!(first_byte_over("a👨‍👩‍👧", 10), Some(1));
    }
}
