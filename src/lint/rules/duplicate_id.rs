use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::rule::{declare_rule, Check};
use crate::lint::CatalogContext;
use crate::yaml::PathSeg;
use std::collections::BTreeMap;

declare_rule! {
    /// Two playbooks share an `id`.
    ///
    /// ## Why it matters
    /// The person on duty types `crisis render ID`; with two playbooks behind
    /// one id, which words get posted would depend on file order.
    ///
    /// ## Fix
    /// Give each playbook its own id (by convention, its file name).
    "CP101", "duplicate-id", Error, Check::Catalog(check),
}

fn check(context: &CatalogContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut first: BTreeMap<&str, &crate::load::Loaded> = BTreeMap::new();
    for loaded in context.playbooks {
        let id = loaded.playbook.id.as_str();
        match first.get(id) {
            Some(earlier) => out.push(loaded.diagnostic(
                RULE.code,
                Severity::Error,
                loaded.span(&[PathSeg::Key("id".into())]),
                format!(
                    "id '{id}' is already used by {}; give this playbook its own id",
                    earlier.display
                ),
            )),
            None => {
                first.insert(id, loaded);
            }
        }
    }
}
