//! Names that become file and folder names: event ids, message ids and
//! language codes name folders and files in the events folder and the
//! outbox. Lint checks ids and language tags in the catalog, and a
//! [`Name`] checks them again, so that no name, however it was typed or
//! edited into an event file, can leave its folder.

use std::fmt;

/// Longest name, in bytes: an event id is a playbook id and a date.
pub const MAX_NAME_BYTES: usize = 120;

/// A checked plain name: ASCII letters, digits, `-`, `_` and `.`, not
/// starting with `.` (hidden files are the outbox's staging folders).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(String);

impl Name {
    /// `what` says what the name is for in the error: "event id",
    /// "message id", "language".
    pub fn new(text: &str, what: &str) -> Result<Name, String> {
        let plain = !text.is_empty()
            && text.len() <= MAX_NAME_BYTES
            && !text.starts_with('.')
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if plain {
            Ok(Name(text.to_owned()))
        } else {
            Err(format!(
                "'{}' cannot be {} {what}: use letters, digits, '-', '_' and '.' (at most {MAX_NAME_BYTES}, not starting with '.')",
                text.escape_debug(),
                if what.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's name (and role) or a reason, as recorded in the ledger and
/// printed on every output: one line, no control characters, at most
/// [`MAX_TEXT_CHARS`].
pub fn one_line(text: &str, option: &str, example: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("{option} is empty; give it, such as {example}"));
    }
    if text
        .chars()
        .any(|c| crate::text::is_unsafe(c) || crate::text::is_invisible(c))
    {
        return Err(format!(
            "{option} contains a line break, a control or an invisible character; write it on one line, as typed"
        ));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(format!(
            "{option} is longer than {MAX_TEXT_CHARS} characters; say it in a sentence"
        ));
    }
    Ok(text.to_owned())
}

/// Text shown on a terminal or in a file line by line, with control
/// characters and line breaks escaped, so no recorded text can forge a
/// line or move the cursor.
pub fn visible(text: &str) -> String {
    crate::text::escape_line(text)
}

/// Longest name, reason or link recorded, in characters.
pub const MAX_TEXT_CHARS: usize = 500;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_pass_and_names_that_leave_a_folder_do_not() {
        for good in ["disaster-helpline-20261201-1533", "es-419", "follow_up.x"] {
            assert!(Name::new(good, "name").is_ok(), "{good}");
        }
        let longest = "a".repeat(MAX_NAME_BYTES);
        assert!(Name::new(&longest, "name").is_ok());
        for bad in ["", ".hidden", "..", "a/b", "a\\b", "a b", "é", "a\nb"] {
            assert!(Name::new(bad, "name").is_err(), "{bad:?}");
        }
        assert!(Name::new(&format!("{longest}a"), "name").is_err());
    }

    #[test]
    fn recorded_text_is_one_line() {
        assert_eq!(
            one_line("  Dana Reyes, Legal ", "--by", "x").unwrap(),
            "Dana Reyes, Legal"
        );
        assert!(one_line("Dana\nReyes", "--by", "x").is_err());
        assert!(one_line("a\u{202e}b", "--by", "x").is_err());
        assert!(one_line("", "--by", "x")
            .unwrap_err()
            .contains("--by is empty"));
        assert!(one_line(&"x".repeat(MAX_TEXT_CHARS), "--by", "x").is_ok());
        assert!(one_line(&"x".repeat(MAX_TEXT_CHARS + 1), "--by", "x").is_err());
        assert_eq!(visible("a\u{1b}[2Kb\nc"), "a\\u{1b}[2Kb\\nc");
    }
}
