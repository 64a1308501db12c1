use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::worst_case::{self, Scenario};
use crate::lint::PlaybookContext;
use crate::template::Part;

declare_rule! {
    /// A message that would not fit its channel, rendered with the fields'
    /// examples and defaults or in the worst case their limits allow.
    ///
    /// ## Why it matters
    /// Ready to post means it fits. A post one character over on X, or an
    /// SMS that silently becomes three parts because someone typed an
    /// accented letter, fails exactly when there is no time to rewrite it.
    /// Lint fills every bounded text field to its `max_len` with the
    /// characters that cost most on the channel (weight 2 on X, a character
    /// outside GSM-7 on SMS) and checks the result.
    ///
    /// ## Example
    /// ```text
    /// announce-sms (es): 3 parts in the worst case (UCS-2 forced if 'area'
    /// contains a character outside GSM-7, e.g. 'á'); max_segments is 2
    /// ```
    ///
    /// ## Fix
    /// Shorten the template, lower the fields' `max_len`, promise
    /// `charset: gsm` for fields that can keep to it, or raise
    /// `max_segments` if the cost is accepted.
    "CP301", "does-not-fit", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    let playbook = &loaded.playbook;
    let mut reported: Vec<usize> = Vec::new();
    let mut measured = std::collections::HashSet::new();
    for rendered in context.renders {
        // A part that fails to render is reported by render-error and is
        // never measured as fitting; the first failing scenario of a part
        // is its finding.
        let Ok(text) = &rendered.result else { continue };
        // A part already reported, or a text of it already measured (most
        // scenarios render the same words), has nothing more to say.
        if reported.contains(&rendered.part) || !measured.insert((rendered.part, text.as_str())) {
            continue;
        }
        let part = &context.parts()[rendered.part];
        let message = &playbook.messages[part.index];
        let Some(spec) = context.channels.get(&message.channel) else {
            continue;
        };
        if let Some(text) = finding(
            context,
            part,
            spec,
            text,
            &rendered.scenario,
            rendered.label,
        ) {
            reported.push(rendered.part);
            let key = part.key(message);
            out.push(context.finding(&RULE, loaded.message_span(part.index, key), text));
        }
    }
}

fn finding(
    context: &PlaybookContext<'_>,
    part: &crate::template::PreparedPart,
    spec: &crate::channel::ChannelSpec,
    text: &str,
    scenario: &Scenario,
    label: &str,
) -> Option<String> {
    let message = &context.loaded.playbook.messages[part.index];
    let measurement = match part.part {
        Part::Body => spec.measure(text, message.max_segments),
        Part::Subject => spec.measure_subject(text)?,
    };
    if measurement.fits {
        return None;
    }
    let used: std::collections::BTreeSet<String> = match &part.compiled {
        Some(Ok(compiled)) => compiled.variables.keys().cloned().collect(),
        _ => Default::default(),
    };
    let used = &used;
    let what = if part.part == Part::Subject {
        "subject of "
    } else {
        ""
    };
    let why = worst_case::explain(spec, scenario, &measurement, used);
    let why = if why.is_empty() {
        String::new()
    } else {
        format!(" ({why})")
    };
    if !measurement.invalid.is_empty() {
        let gsm7 = spec.counting == crate::channel::Counting::Gsm7;
        let from_fields = scenario
            .filled
            .iter()
            .any(|(name, _, c)| used.contains(name) && measurement.invalid.contains(c));
        if gsm7 && from_fields {
            return Some(format!(
                "{what}{} ({}) cannot be sent on {} {label}{why}",
                message.id, part.lang, spec.name
            ));
        }
        let chars: Vec<String> = measurement
            .invalid
            .iter()
            .map(|&c| match gsm7 {
                true => format!("'{c}' (U+{:04X})", c as u32),
                false => format!("U+{:04X}", c as u32),
            })
            .collect();
        let (chars, it) = (
            chars.join(", "),
            if measurement.invalid.len() == 1 {
                "it"
            } else {
                "them"
            },
        );
        let (id, lang, channel) = (&message.id, &part.lang, &spec.name);
        if gsm7 && label == crate::lint::renders::CALENDAR {
            return Some(format!(
                "{what}{id} ({lang}) contains {chars} on some dates: a name of a day or month in '{lang}' is outside the GSM-7 alphabet that {channel} is sent in; write dates in numbers on this channel"
            ));
        }
        return Some(match gsm7 {
            true => format!("{what}{id} ({lang}) contains {chars}, outside the GSM-7 alphabet that {channel} is sent in; write it without {it}"),
            false => format!("{what}{id} ({lang}) contains {chars}, which {channel} does not accept; remove {it}"),
        });
    }
    Some(match &measurement.sms {
        Some(sms) => format!(
            "{what}{} ({}): {} parts {label}{why}; max_segments is {}",
            message.id,
            part.lang,
            sms.segments,
            message.max_segments.unwrap_or(spec.max_segments)
        ),
        None => format!(
            "{what}{} ({}): {}/{} {} on {} {label}{why}; shorten it{}",
            message.id,
            part.lang,
            measurement.length,
            measurement.limit,
            measurement.unit,
            spec.name,
            if scenario.filled.is_empty() {
                ""
            } else {
                " or lower max_len"
            }
        ),
    })
}
