use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::yaml::PathSeg;

declare_rule! {
    /// A playbook whose `id` differs from its file name.
    ///
    /// ## Why it matters
    /// In a crisis people find playbooks by file name and render them by id;
    /// when the two differ, someone will type the wrong one.
    ///
    /// ## Example
    /// `playbooks/helpline.yaml` with `id: disaster-helpline`.
    ///
    /// ## Fix
    /// Rename the file to `disaster-helpline.yaml`, or change the id.
    "CP103", "id-matches-file", Warning, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let loaded = context.loaded;
    let stem = std::path::Path::new(loaded.rel.as_str())
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    if stem != loaded.playbook.id {
        out.push(context.finding(&RULE, loaded.span(&[PathSeg::Key("id".into())]),
            format!(
                "id '{}' differs from the file name '{stem}'; rename one so people find it by either",
                loaded.playbook.id
            ),
        ));
    }
}
