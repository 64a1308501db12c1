//! Advice for a field that promises GSM-7 (`charset: gsm`): which characters
//! of a value SMS cannot send in its cheap encoding, and what to write
//! instead. The look-alikes come from the one table in
//! [`crate::channel::sms::gsm_transliteration`], so lint's fixes and these hints
//! never disagree.

use crate::channel::sms::{gsm_transliteration, non_gsm_chars};

/// Refuses a value with characters outside GSM 03.38, naming each and its
/// plain replacement where there is one.
pub(super) fn check_gsm(value: &str) -> Result<(), String> {
    let found = non_gsm_chars(value);
    if found.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = found.iter().map(|c| describe_char(*c)).collect();
    let replacements: Vec<(char, &str)> = found
        .iter()
        .filter_map(|c| gsm_transliteration(*c).map(|r| (*c, r)))
        .collect();
    let advice = match replacements.as_slice() {
        [] if found.len() == 1 => "reword without it".to_owned(),
        [] => "reword without them".to_owned(),
        [(_, only)] if found.len() == 1 => format!("write {}", describe_replacement(only)),
        many => {
            let parts: Vec<String> = many
                .iter()
                .map(|(c, r)| format!("{} for {}", describe_replacement(r), describe_char(*c)))
                .collect();
            format!("write {}", parts.join(", "))
        }
    };
    Err(format!(
        "contains {}, which SMS cannot send in GSM-7; this field promises plain GSM ({advice})",
        join_and(&shown)
    ))
}

/// A character as it can be recognised in a message: quoted when visible,
/// by code point when it is a space or invisible.
fn describe_char(c: char) -> String {
    let invisible = c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}');
    if c.is_whitespace() {
        format!("a special space (U+{:04X})", u32::from(c))
    } else if invisible {
        format!("an invisible character (U+{:04X})", u32::from(c))
    } else {
        format!("'{c}'")
    }
}

fn describe_replacement(replacement: &str) -> String {
    match replacement {
        "" => "nothing".to_owned(),
        " " => "a plain space".to_owned(),
        other => format!("'{other}'"),
    }
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typography_gets_its_plain_replacement() {
        assert_eq!(
            check_gsm("Pierce\u{a0}County").unwrap_err(),
            "contains a special space (U+00A0), which SMS cannot send in GSM-7; this field promises plain GSM (write a plain space)"
        );
        assert_eq!(
            check_gsm("“north” – now…").unwrap_err(),
            "contains '“', '”', '–' and '…', which SMS cannot send in GSM-7; this field promises plain GSM (write '\"' for '“', '\"' for '”', '-' for '–', '...' for '…')"
        );
    }

    #[test]
    fn characters_without_a_look_alike_ask_for_rewording() {
        assert_eq!(
            check_gsm("🚆").unwrap_err(),
            "contains '🚆', which SMS cannot send in GSM-7; this field promises plain GSM (reword without it)"
        );
        assert!(check_gsm("🚆 🚑")
            .unwrap_err()
            .ends_with("(reword without them)"));
        assert_eq!(check_gsm("Pierce County, £5 é {x}\n"), Ok(()));
    }

    /// Accented letters get their plain letter (`á` to `a`, `Ł` to `L`).
    #[test]

    fn accented_letters_get_their_plain_replacement() {
        assert_eq!(
            check_gsm("Öresund Ñandú €5 [x]").unwrap_err(),
            "contains 'ú', which SMS cannot send in GSM-7; this field promises plain GSM (write 'u')"
        );
        assert_eq!(
            check_gsm("Ciudad de Méjico, Bogotá").unwrap_err(),
            "contains 'á', which SMS cannot send in GSM-7; this field promises plain GSM (write 'a')"
        );
        assert_eq!(
            check_gsm("Łódź “north” 🚆").unwrap_err(),
            "contains 'Ł', 'ó', 'ź', '“', '”' and '🚆', which SMS cannot send in GSM-7; this field promises plain GSM (write 'L' for 'Ł', 'o' for 'ó', 'z' for 'ź', '\"' for '“', '\"' for '”')"
        );
    }
}
