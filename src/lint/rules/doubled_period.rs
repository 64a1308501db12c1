use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// A rendered message has two periods in a row (`p. m..`, `Main St..`)
    /// where one was meant: an abbreviation, or a value ending in a
    /// period, before the period that ends the sentence. An ellipsis
    /// (`...`) is not reported.
    ///
    /// ## Why it matters
    /// A doubled period looks careless in a message that asks people to
    /// trust it, and it is easy to miss in a template where the value or
    /// the `at_time` filter brings the first period.
    ///
    /// ## Example
    /// ```jinja
    /// La próxima actualización será {{ next_update | at_time("12h") }}.
    /// ```
    ///
    /// ## Fix
    /// Leave out the sentence's own period after an abbreviation
    /// (`{{ next_update | at_time("12h") }}` ends with `p. m.`), or end
    /// the sentence with the value's period.
    "CP404", "doubled-period", Warning, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let playbook = &context.loaded.playbook;
    let mut reported = std::collections::BTreeSet::new();
    for rendered in context.renders {
        let Ok(text) = &rendered.result else { continue };
        let Some(at) = doubled_period(text) else {
            continue;
        };
        if !reported.insert(rendered.part) {
            continue;
        }
        let part = &context.parts()[rendered.part];
        let message = &playbook.messages[part.index];
        let start = text[..at].char_indices().rev().nth(11).map_or(0, |(i, _)| i);
        let shown = crate::text::escape_line(&text[start..at + 2]);
        out.push(context.finding(
            &RULE,
            context.loaded.message_span(part.index, part.key(message)),
            format!(
                "{} ({}) has two periods in a row {}: '…{shown}'; keep one",
                message.id, part.lang, rendered.label
            ),
        ));
    }
}

/// The byte offset of the first `..` that is not part of a longer run of
/// periods.
fn doubled_period(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'.' {
            i += 1;
            continue;
        }
        let run = bytes[i..].iter().take_while(|&&b| b == b'.').count();
        if run == 2 {
            return Some(i);
        }
        i += run;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_periods_are_found_and_an_ellipsis_is_not() {
        assert_eq!(doubled_period("a la 1:05 p. m.. Gracias."), Some(14));
        assert_eq!(doubled_period("Main St.."), Some(7));
        assert_eq!(doubled_period("Wait... then go."), None);
        assert_eq!(doubled_period("one. two."), None);
        assert_eq!(doubled_period(""), None);
    }
}
