//! Making catalog text inert before it is printed.
//!
//! File names, YAML keys and values and template text come from whoever
//! opened the pull request, and findings quote them. CI logs are not plain
//! text to their readers: GitHub's runner takes `::command ...` at the start
//! of a line (after blanks) and the older `##[command]` anywhere in a line;
//! Azure uses `##vso[`, TeamCity `##teamcity[`; terminals obey ANSI escapes.
//! So every format escapes what it prints, and this module is where that is
//! decided:
//!
//! - line breaks and other control characters, Unicode line separators and
//!   bidirectional overrides are shown as Rust-style escapes (`\n`,
//!   `\u{1b}`), so a finding is exactly its own line(s) and looks like what
//!   it is;
//! - the `[` of `##[` (or `##word[`) is shown as `\u{5b}`, so no line
//!   carries a legacy command;
//! - `::` at the start of a line is shown as `\u{3a}:`.
//!
//! Backslashes are left alone: an escape that was typed reads the same as
//! one that was made here, which is ambiguous but never dangerous, and
//! Windows paths and regular expressions stay readable.

use std::fmt::Write as _;

/// `text` with every character a terminal or CI runner could act on shown
/// as an escape. The result is one line.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, Tabs::Escape, &mut out, &mut |_, _| {});
    out
}

/// `text` as [`visible`] shows it, except that tabs stay (the snippet
/// renderer expands them itself), with where each byte offset of `text`
/// landed in the result: `map[i]` for every char boundary `i`, including
/// `text.len()`.
pub fn visible_mapped(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut map = vec![0; text.len() + 1];
    escape_into(text, Tabs::Keep, &mut out, &mut |from, to| map[from] = to);
    map[text.len()] = out.len();
    (out, map)
}

/// A whole line about to be printed, already made [`visible`]: a leading
/// `::` (after any blanks) is shown as `\u{3a}:`, so that no path, however
/// it is named, starts a workflow command.
pub fn line_start(mut line: String) -> String {
    let blanks = line.len() - line.trim_start().len();
    if line[blanks..].starts_with("::") {
        line.replace_range(blanks..blanks + 1, "\\u{3a}");
    }
    line
}

/// Serialised JSON made safe for a CI log and a terminal without changing
/// what it parses to: serde_json escapes C0 controls but writes DEL, C1
/// controls, line separators and bidirectional overrides raw, and `##[` in
/// a string is a command to GitHub's runner wherever it stands in a line.
///
/// These characters can only occur inside JSON strings, where `\uXXXX` means
/// the same character, so a plain pass over the text is enough.
pub fn json(serialized: &str) -> String {
    let mut out = String::with_capacity(serialized.len());
    let mut marker = CommandMarker::default();
    for c in serialized.chars() {
        if marker.is_command_bracket(c) {
            out.push_str("\\u005b");
        } else if needs_escape(c) && c > '\u{1f}' {
            // Raw C0 controls here are the layout's own line breaks
            // (serde_json escapes them in strings). Every other character
            // `needs_escape` is in the Basic Multilingual Plane, so one
            // `\uXXXX` is enough.
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tabs {
    Keep,
    Escape,
}

/// The one escaping loop. `mapped(from, to)` is told where the character at
/// byte `from` of `text` starts in `out`.
fn escape_into(text: &str, tabs: Tabs, out: &mut String, mapped: &mut dyn FnMut(usize, usize)) {
    let mut marker = CommandMarker::default();
    for (at, c) in text.char_indices() {
        for i in at..at + c.len_utf8() {
            mapped(i, out.len());
        }
        if marker.is_command_bracket(c) {
            out.push_str("\\u{5b}");
            continue;
        }
        match c {
            '\t' if tabs == Tabs::Keep => out.push('\t'),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
}

/// Characters that change what a terminal or log viewer shows (or where a
/// line ends) rather than being shown.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            // Line and paragraph separators.
            '\u{2028}' | '\u{2029}'
            // Bidirectional embeddings, overrides and isolates, which can
            // make text read differently from what it is.
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
        )
}

/// Recognises the `[` that would complete `##[` or `##word[`, the legacy
/// command markers of GitHub's runner (and Azure's `##vso[`).
#[derive(Default)]
struct CommandMarker {
    hashes: usize,
    word: bool,
}

impl CommandMarker {
    fn is_command_bracket(&mut self, c: char) -> bool {
        let found = c == '[' && self.hashes >= 2;
        match c {
            '#' if !self.word => self.hashes += 1,
            '#' => {
                *self = CommandMarker {
                    hashes: 1,
                    word: false,
                }
            }
            c if c.is_ascii_alphabetic() && self.hashes >= 2 => self.word = true,
            _ => *self = CommandMarker::default(),
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_controls_become_escapes() {
        assert_eq!(
            visible("a\nb\rc\td\u{1b}[31me\u{7f}\u{85}\u{2028}\u{202e}"),
            "a\\nb\\rc\\td\\u{1b}[31me\\u{7f}\\u{85}\\u{2028}\\u{202e}"
        );
    }

    #[test]
    fn ordinary_text_is_untouched() {
        let text = "playbooks/crème brûlée 火事 🚒.yaml: 50% 'done' \\n # [x] ## heading";
        assert_eq!(visible(text), text);
    }

    #[test]
    fn legacy_command_markers_lose_their_bracket() {
        assert_eq!(visible("x ##[error]pwned"), "x ##\\u{5b}error]pwned");
        assert_eq!(visible("###[group]"), "###\\u{5b}group]");
        assert_eq!(
            visible("##vso[task.setvariable]"),
            "##vso\\u{5b}task.setvariable]"
        );
        assert_eq!(visible("# #[x] #a[ ##9["), "# #[x] #a[ ##9[");
    }

    #[test]
    fn a_leading_workflow_command_is_defused() {
        let line = |text: &str| line_start(visible(text));
        assert_eq!(line("::error::x"), "\\u{3a}:error::x");
        assert_eq!(line("  ::error::x"), "  \\u{3a}:error::x");
        assert_eq!(line_start(format!("{}:1:1", visible(":"))), "\\u{3a}:1:1");
        assert_eq!(line("a::error::x"), "a::error::x");
    }

    #[test]
    fn mapped_offsets_follow_the_escapes() {
        let (shown, map) = visible_mapped("a\u{1b}é\tb");
        assert_eq!(shown, "a\\u{1b}é\tb");
        assert_eq!(map[0], 0);
        assert_eq!(map[1], 1);
        assert_eq!(map[2], 7);
        assert_eq!(map[4], 9);
        assert_eq!(map[5], 10);
        assert_eq!(map[6], shown.len());
    }

    #[test]
    fn json_keeps_its_meaning_and_loses_the_danger() {
        let value = serde_json::json!({
            "m": "##[error]x\u{7f}\u{9b}\u{2028}\u{202e}\n\u{1b}",
            "n": "\\##[",
        });
        let text = json(&serde_json::to_string_pretty(&value).unwrap());
        assert!(!text.contains("##["), "{text}");
        assert!(
            !text.chars().any(|c| needs_escape(c) && c != '\n'),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
