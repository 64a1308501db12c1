use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::{CatalogContext, Summary};
use std::collections::BTreeMap;

declare_rule! {
    /// Two playbooks share an `id`.
    ///
    /// ## Why it matters
    /// The person on duty types `crisis render ID`; with two playbooks behind
    /// one id, which words get posted would depend on file order.
    ///
    /// ## Example
    /// `playbooks/helpline.yaml` and `playbooks/helpline-copy.yaml` both say
    /// `id: helpline`.
    ///
    /// ## Fix
    /// Give each playbook its own id (by convention, its file name).
    "CP101", "duplicate-id", Error, Check::Catalog(check),
}

fn check(context: &CatalogContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut first: BTreeMap<&str, &Summary> = BTreeMap::new();
    for playbook in context.playbooks {
        let id = playbook.id.as_str();
        match first.get(id) {
            Some(earlier) => out.push(RULE.at(
                playbook.display.clone(),
                playbook.id_span,
                format!(
                    "id '{id}' is already used by {}; give this playbook its own id",
                    earlier.display
                ),
            )),
            None => {
                first.insert(id, playbook);
            }
        }
    }
}
