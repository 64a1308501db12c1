//! The characters no event value may carry, and the line breaks only a
//! multiline text field may.
//!
//! Values reach posts, the sign-off checklist and the terminal of the person
//! on duty. A line break in a one-line value can forge a line there (a
//! value ending in `\n- [x] Legal: approved` would add a ticked item to the
//! checklist); an escape (U+001B) can rewrite what a terminal shows; a
//! bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069) makes
//! text display in another order than it is sent, so a reviewer reads one
//! thing and the public another. Nobody types these on purpose into a crisis
//! message, so they are refused with their code point, never dropped
//! silently: dropping would post a text nobody saw.
//!
//! Refused everywhere: C0 controls (U+0000–U+001F), DEL and C1 controls
//! (U+007F–U+009F), the Unicode line and paragraph separators (U+2028,
//! U+2029), the bidirectional controls above, and the invisible characters
//! of [`crate::text::is_invisible`] (direction marks, zero-width spaces, the
//! byte order mark, tag characters), and the noncharacters of
//! [`crate::text::is_noncharacter`] (U+FFFE, U+FFFF, ...), which are never
//! text and which a CAP alert cannot carry. A text field declaring
//! `multiline: true` may hold line breaks (LF, CR) and tabs; the other
//! separators are refused there too, since an ordinary line break says the
//! same thing.

use crate::field::FieldType;

/// What `c` is, in words, if a value may not carry it; `None` when it may.
pub(super) fn refused(c: char, multiline: bool) -> Option<&'static str> {
    match c {
        '\n' | '\r' | '\t' if multiline => None,
        '\n' => Some("a line break"),
        '\r' => Some("a carriage return"),
        '\t' => Some("a tab"),
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => Some("an invisible control character"),
        '\u{2028}' => Some("a line separator"),
        '\u{2029}' => Some("a paragraph separator"),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            Some("an invisible bidirectional control")
        }
        c if crate::text::is_invisible(c) => Some("an invisible character"),
        c if crate::text::is_noncharacter(c) => Some("a noncharacter"),
        _ => None,
    }
}

/// The first refused character of `text`, with its 1-based position in
/// characters and what it is.
fn first_refused(text: &str, multiline: bool) -> Option<(usize, char, &'static str)> {
    text.chars()
        .enumerate()
        .find_map(|(index, c)| refused(c, multiline).map(|what| (index + 1, c, what)))
}

fn found(position: usize, c: char, what: &str) -> String {
    format!(
        "contains {what} (U+{:04X}) at character {position}",
        u32::from(c)
    )
}

/// Refuses a value of field `name` that carries a refused character, saying
/// which, where, and what to do. `multiline` counts only for text fields.
pub(super) fn check_value(
    name: &str,
    text: &str,
    kind: FieldType,
    multiline: bool,
) -> Result<(), String> {
    let multiline = multiline && kind == FieldType::Text;
    let Some((position, c, what)) = first_refused(text, multiline) else {
        return Ok(());
    };
    let is_break = matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}');
    let advice = match c {
        _ if is_break && multiline => "use an ordinary line break instead".to_owned(),
        _ if is_break && kind == FieldType::Text => format!(
            "'{name}' takes a single line, so join the lines (a playbook can let a text field take several with `multiline: true`)"
        ),
        _ if is_break => format!("'{name}' takes a single line; write it on one line"),
        '\t' => "use spaces instead".to_owned(),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => format!(
            "it makes text display in another order than it is sent; retype the value of '{name}' without it"
        ),
        _ => format!(
            "it often comes with pasted text; retype the value of '{name}' without it"
        ),
    };
    Err(format!("{}; {advice}", found(position, c, what)))
}

/// Refuses a field name that carries a refused character: names are shown
/// in every problem about their value.
pub(super) fn check_name(name: &str) -> Result<(), String> {
    match first_refused(name, false) {
        None => Ok(()),
        Some((position, c, what)) => Err(format!(
            "the field name {}; type the name as the playbook declares it",
            found(position, c, what)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> Result<(), String> {
        check_value("event", value, FieldType::Text, false)
    }

    #[test]
    fn refuses_every_control_character_by_code_point() {
        for c in ('\u{0}'..='\u{1F}').chain('\u{7F}'..='\u{9F}') {
            let err = text(&format!("a{c}b")).unwrap_err();
            assert!(err.starts_with("contains "), "{c:?}: {err}");
            assert!(
                err.contains(&format!("(U+{:04X}) at character 2", u32::from(c))),
                "{c:?}: {err}"
            );
        }
    }

    #[test]
    fn refuses_separators_and_bidirectional_controls() {
        for c in ['\u{2028}', '\u{2029}']
            .into_iter()
            .chain('\u{202A}'..='\u{202E}')
            .chain('\u{2066}'..='\u{2069}')
        {
            assert!(text(&format!("a{c}")).is_err(), "{c:?}");
            assert!(
                check_value("event", &format!("a{c}"), FieldType::Text, true).is_err(),
                "{c:?}"
            );
        }
        assert_eq!(
            text("Lacey \u{202E}tnemucod").unwrap_err(),
            "contains an invisible bidirectional control (U+202E) at character 7; it makes text display in another order than it is sent; retype the value of 'event' without it"
        );
    }

    #[test]
    fn allows_what_people_type_in_any_script() {
        for ok in [
            "Pierce County",
            "Łódź “north” 🚆",
            "דרך השלום",
            "طريق",
            "e\u{301}",
            "\u{200D}\u{200E}\u{200F}\u{A0}",
        ] {
            assert_eq!(text(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn a_line_break_cannot_forge_a_checklist_line() {
        assert_eq!(
            text("flood\n- [x] Legal: approved").unwrap_err(),
            "contains a line break (U+000A) at character 6; 'event' takes a single line, so join the lines (a playbook can let a text field take several with `multiline: true`)"
        );
        assert_eq!(
            check_value("phone", "112\r\n999", FieldType::Phone, false).unwrap_err(),
            "contains a carriage return (U+000D) at character 4; 'phone' takes a single line; write it on one line"
        );
        assert_eq!(
            text("a\tb").unwrap_err(),
            "contains a tab (U+0009) at character 2; use spaces instead"
        );
        assert_eq!(
            text("bell\u{7}").unwrap_err(),
            "contains an invisible control character (U+0007) at character 5; it often comes with pasted text; retype the value of 'event' without it"
        );
    }

    #[test]
    fn multiline_text_allows_line_breaks_and_tabs_only() {
        let multi = |value| check_value("notes", value, FieldType::Text, true);
        assert_eq!(multi("one\ntwo\r\nthree\rfour\tfive"), Ok(()));
        assert_eq!(
            multi("one\u{2028}two").unwrap_err(),
            "contains a line separator (U+2028) at character 4; use an ordinary line break instead"
        );
        assert!(multi("one\u{1b}[2J").unwrap_err().contains("U+001B"));
        // Only text fields read `multiline`.
        assert!(check_value("link", "a\nb", FieldType::Url, true).is_err());
    }

    #[test]
    fn names_are_single_lines_without_controls() {
        assert_eq!(check_name("area"), Ok(()));
        assert_eq!(
            check_name("ar\u{85}ea").unwrap_err(),
            "the field name contains an invisible control character (U+0085) at character 3; type the name as the playbook declares it"
        );
    }
}
