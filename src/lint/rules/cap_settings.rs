use crate::cap::{self, CapSettings};
use crate::diagnostic::Diagnostic;
use crate::field::FieldType;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::template::Part;
use crate::yaml::PathSeg;

declare_rule! {
    /// A playbook's `cap:` settings would not make a CAP 1.2 alert that
    /// public alerting systems accept: a `sender` with a space or comma, an
    /// `event` missing for a language or 35 characters or longer, a
    /// `description`, `headline` or `instruction` that names no message
    /// (or one not in every language), `updates` naming no message, a headline that can grow past 140
    /// characters, an area description that can reach 50 characters, or a
    /// `web` or `contact` that names no suitable field.
    ///
    /// ## Why it matters
    /// An alert that an aggregator or the alerting gateway rejects is an
    /// alert nobody sees, and the rejection arrives during the crisis. The
    /// schema fixes the form; the aggregators add that `expires`,
    /// `description` and a short `areaDesc` must be there.
    ///
    /// ## Example
    /// ```yaml
    /// cap:
    ///   sender: Riverside Health          # a space: not a CAP sender
    ///   event: { en: Boil water notice }  # and no Spanish event
    ///   description: notice              # no message has this id
    /// ```
    ///
    /// ## Fix
    /// `sender: alerts@riverside-health.example.org`, an `event` per
    /// language, and `description: notice-email` (an existing message in
    /// every language). `docs/cap.md` lists every setting.
    "CP501", "cap-settings", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    let Some(settings) = &loaded.playbook.cap else {
        return;
    };
    let mut report = |path: &[&str], message: String| {
        let mut segs = vec![PathSeg::Key("cap".into())];
        segs.extend(path.iter().map(|k| PathSeg::Key((*k).into())));
        out.push(context.finding(&RULE, loaded.span(&segs), message));
    };
    if !cap::is_cap_token(&settings.sender) {
        report(&["sender"], format!(
            "the CAP sender '{}' must have no spaces, commas, '<' or '&'; use an address such as alerts@example.org",
            settings.sender.escape_debug()
        ));
    }
    if let Some(region) = &settings.region {
        let ok = (region.len() == 2 && region.chars().all(|c| c.is_ascii_uppercase()))
            || (region.len() == 3 && region.chars().all(|c| c.is_ascii_digit()));
        if !ok {
            report(
                &["region"],
                format!(
                    "region '{}' is not a region subtag; use two capital letters such as US",
                    region.escape_debug()
                ),
            );
        }
    }
    if let Some(name) = &settings.sender_name {
        if let Some(why) = one_line(name, usize::MAX) {
            report(&["sender_name"], format!("sender_name {why}"));
        }
    }
    for lang in &loaded.playbook.languages {
        match settings.event.get(lang) {
            None => report(&["event"], format!(
                "the CAP event has no '{lang}' text; every language of the playbook gets an <info> and each needs its event"
            )),
            Some(text) => {
                if let Some(why) = one_line(text, cap::MAX_EVENT_CHARS) {
                    report(&["event"], format!("the CAP event in '{lang}' {why}"));
                }
            }
        }
    }
    for lang in settings.event.keys() {
        if !loaded.playbook.languages.contains(lang) {
            report(&["event"], format!(
                "the CAP event has a '{lang}' text but the playbook has no language '{lang}'; remove it or add the language"
            ));
        }
    }
    if settings.category.is_empty() {
        report(
            &["category"],
            "a CAP alert needs at least one category, such as [Health]".to_owned(),
        );
    }
    if settings.expires.seconds() <= 0 {
        report(
            &["expires"],
            "`expires` must be a positive duration, such as 48h".to_owned(),
        );
    }
    for (key, id) in [
        ("description", Some(&settings.description)),
        ("headline", settings.headline.as_ref()),
        ("instruction", settings.instruction.as_ref()),
    ] {
        let Some(id) = id else { continue };
        if let Some(why) = message_problem(context, id) {
            report(&[key], format!("`{key}: {id}`: {why}"));
        }
    }
    let playbook = &loaded.playbook;
    for id in &settings.updates {
        if !playbook.messages.iter().any(|m| &m.id == id) {
            report(
                &["updates"],
                format!("`updates` names '{id}', which no message has as its id"),
            );
        } else if id == &settings.description || playbook.on_close.as_ref() == Some(id) {
            report(
                &["updates"],
                format!(
                    "'{id}' is already the alert's {}; list only the follow-ups that update it",
                    if id == &settings.description {
                        "description"
                    } else {
                        "Cancel (on_close)"
                    }
                ),
            );
        }
    }
    if let Some(id) = &settings.headline {
        if let Some(why) = headline_problem(context, id) {
            report(&["headline"], why);
        }
    }
    area(context, settings, &mut report);
    for (key, name, wanted) in [
        ("web", settings.web.as_ref(), Some(FieldType::Url)),
        ("contact", settings.contact.as_ref(), None),
    ] {
        let Some(name) = name else { continue };
        match loaded.playbook.fields.get(name) {
            None => report(
                &[key],
                format!("`{key}: {name}` names no field of the playbook"),
            ),
            Some(field) if wanted.is_some_and(|w| w != field.kind) => report(
                &[key],
                format!(
                    "`{key}: {name}` must name a url field, and '{name}' is {}",
                    field.kind.name()
                ),
            ),
            Some(_) => {}
        }
    }
}

/// Why the message `id` cannot give a CAP text in every language.
fn message_problem(context: &PlaybookContext<'_>, id: &str) -> Option<String> {
    let playbook = &context.loaded.playbook;
    let Some(message) = playbook.messages.iter().find(|m| m.id == id) else {
        let ids: Vec<&str> = playbook.messages.iter().map(|m| m.id.as_str()).collect();
        return Some(format!(
            "no message has this id; the messages are {}",
            ids.join(", ")
        ));
    };
    let langs = message.languages(playbook);
    let missing: Vec<&str> = playbook
        .languages
        .iter()
        .filter(|l| !langs.contains(l))
        .map(String::as_str)
        .collect();
    (!missing.is_empty()).then(|| {
        format!(
            "the message is not in {}, which the alert needs",
            missing.join(", ")
        )
    })
}

/// Why the headline message could be too long or span lines, in any
/// scenario lint renders.
fn headline_problem(context: &PlaybookContext<'_>, id: &str) -> Option<String> {
    let playbook = &context.loaded.playbook;
    let index = playbook.messages.iter().position(|m| m.id == id)?;
    context.renders.iter().find_map(|rendered| {
        let part = &context.parts()[rendered.part];
        if part.index != index || part.part != Part::Body {
            return None;
        }
        let text = rendered.result.as_ref().ok()?;
        let why = one_line(text, cap::MAX_HEADLINE_CHARS)?;
        Some(format!(
            "the headline ({id}, {}) {why} {}; name a shorter message",
            part.lang, rendered.label
        ))
    })
}

fn area(
    context: &PlaybookContext<'_>,
    settings: &CapSettings,
    report: &mut dyn FnMut(&[&str], String),
) {
    let fields = &context.loaded.playbook.fields;
    match (&settings.area.desc, &settings.area.field) {
        (Some(_), Some(_)) | (None, None) => report(
            &["area"],
            "the area needs exactly one of `desc` (the same words for every event) and `field` (a field holding them)".to_owned(),
        ),
        (Some(desc), None) => {
            if let Some(why) = one_line(desc, cap::MAX_AREA_CHARS) {
                report(&["area", "desc"], format!("the area description {why}"));
            }
        }
        (None, Some(name)) => match fields.get(name) {
            None => report(&["area", "field"], format!("`field: {name}` names no field of the playbook")),
            Some(field) => {
                let longest = match field.kind {
                    FieldType::Text => field.max_len,
                    FieldType::Enum => field.values.iter().map(|v| v.chars().count()).max(),
                    _ => {
                        report(&["area", "field"], format!(
                            "the area comes from '{name}', which is {}; use a text or enum field",
                            field.kind.name()
                        ));
                        return;
                    }
                };
                match longest {
                    Some(n) if n <= cap::MAX_AREA_CHARS => {}
                    Some(n) => report(&["area", "field"], format!(
                        "'{name}' can hold {n} characters, and an area description must stay under {}; lower its max_len",
                        cap::MAX_AREA_CHARS + 1
                    )),
                    None => report(&["area", "field"], format!(
                        "'{name}' has no max_len, and an area description must stay under {}; give it one",
                        cap::MAX_AREA_CHARS + 1
                    )),
                }
                if field.multiline {
                    report(&["area", "field"], format!("'{name}' is multiline; an area description is one line"));
                }
            }
        },
    }
    for (scheme, codes) in &settings.area.geocodes {
        if !cap::is_cap_token(scheme) || codes.iter().any(|c| !cap::is_cap_token(c)) {
            report(&["area", "geocodes"], format!(
                "geocode '{}' needs a scheme and codes without spaces or commas, such as SAME: [\"053053\"]",
                scheme.escape_debug()
            ));
        }
        if codes.is_empty() {
            report(
                &["area", "geocodes"],
                format!("geocode scheme '{}' lists no code", scheme.escape_debug()),
            );
        }
    }
}

/// Why `text` cannot be a one-line CAP value of at most `most` characters.
fn one_line(text: &str, most: usize) -> Option<String> {
    let count = text.chars().count();
    if text.trim().is_empty() {
        Some("is empty".to_owned())
    } else if text.chars().any(char::is_control) {
        Some("spans lines or holds a control character".to_owned())
    } else if count > most {
        Some(format!(
            "is {count} characters, over the {most} public alert aggregators accept"
        ))
    } else {
        None
    }
}
