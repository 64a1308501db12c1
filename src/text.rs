//! Which characters may appear in text the tool prints on one line: a line
//! break, a control character or an invisible direction override in a
//! name, a value or a record could forge a line of a checklist, a CI
//! command or a terminal escape, or make text read differently from how it
//! is stored. One definition, used by the catalog checks and the approval
//! records.

/// Whether `c` may not appear in single-line text: C0 and C1 controls
/// (line breaks and tabs included), DEL, the Unicode line and paragraph
/// separators, the bidirectional embedding, override and isolate
/// controls, and the noncharacters ([`is_noncharacter`]).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || is_noncharacter(c)
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Whether `c` is one of Unicode's 66 noncharacters (U+FDD0–U+FDEF, and
/// the last two code points of every plane, such as U+FFFE and U+FFFF):
/// never text, refused by X, and U+FFFE and U+FFFF cannot be written in XML
/// at all, so a CAP alert could not carry them.
pub fn is_noncharacter(c: char) -> bool {
    let code = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE
}

/// Whether `c` is a character that shows nothing but changes what a text
/// is: the zero-width space and word joiner (U+200B, U+2060–U+2064), the
/// byte order mark inside a text (U+FEFF), and tag characters
/// (U+E0000–U+E007F). Not among them: the zero-width joiner and non-joiner
/// (emoji sequences, Persian and Indic scripts need them) and the
/// direction marks U+200E, U+200F and U+061C, which people writing Arabic
/// or Hebrew type to place numbers and punctuation.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{E0000}'..='\u{E007F}'
    )
}

/// `text` on one line, as a checklist item or a recorded name is shown:
/// control characters and the line and paragraph separators escaped
/// (`\n`, `\u{2028}`), so no text can forge a line or move the cursor.
pub fn escape_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `c` may not appear in multi-line text (template text): as
/// [`is_unsafe`], except line breaks and tabs.
pub fn is_unsafe_in_block(c: char) -> bool {
    !matches!(c, '\n' | '\t') && is_unsafe(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_controls_and_overrides_are_unsafe() {
        for c in [
            '\n', '\r', '\t', '\u{1b}', '\u{7f}', '\u{85}', '\u{2028}', '\u{202E}', '\u{2066}',
        ] {
            assert!(is_unsafe(c), "{c:?}");
        }
        for c in ['a', 'é', '中', ' ', '’'] {
            assert!(!is_unsafe(c), "{c:?}");
        }
        assert!(!is_unsafe_in_block('\n') && !is_unsafe_in_block('\t'));
        for c in [
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{FDD0}',
            '\u{10FFFF}',
            '\u{1FFFE}',
        ] {
            assert!(is_unsafe(c) && is_unsafe_in_block(c), "{c:?}");
        }
        assert!(!is_noncharacter('\u{FFFD}') && !is_noncharacter('\u{FDCF}'));
        assert_eq!(escape_line("a\nb\u{2028}c é"), "a\\nb\\u{2028}c é");
        assert!(is_unsafe_in_block('\u{1b}') && is_unsafe_in_block('\r'));
    }
}
