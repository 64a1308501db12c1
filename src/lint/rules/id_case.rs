use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::yaml::PathSeg;

declare_rule! {
    /// A playbook or message id that is not kebab-case (`a-z`, `0-9`, `-`).
    ///
    /// ## Why it matters
    /// Ids are typed on the command line under pressure and become file
    /// names in `--out`; spaces, capitals and punctuation cause mistakes.
    ///
    /// ## Example
    /// ```yaml
    /// id: Disaster Helpline
    /// ```
    ///
    /// ## Fix
    /// `id: disaster-helpline`
    "CP102", "id-not-kebab-case", Error, Check::Playbook(check),
}

/// Whether `id` is kebab-case: lowercase words of letters and digits joined
/// by single hyphens.
pub fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// The kebab-case form of `id`, to suggest.
fn suggest(id: &str) -> String {
    let lowered: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    lowered
        .split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    let mut report = |what: &str, id: &str, path: &[PathSeg]| {
        if !is_kebab_case(id) {
            let node = loaded.tree.find(path);
            let span = node.map_or_else(|| loaded.span(path), |n| n.span);
            out.push(context.finding(
                &RULE,
                span,
                format!("{what} id '{id}' is not kebab-case; use '{}'", suggest(id)),
            ));
        }
    };
    report(
        "playbook",
        &loaded.playbook.id,
        &[PathSeg::Key("id".into())],
    );
    for (i, message) in loaded.playbook.messages.iter().enumerate() {
        report(
            "message",
            &message.id,
            &[
                PathSeg::Key("messages".into()),
                PathSeg::Index(i),
                PathSeg::Key("id".into()),
            ],
        );
    }
}
