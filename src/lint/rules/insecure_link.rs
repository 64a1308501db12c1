use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::template::Problem;

declare_rule! {
    /// An `http://` link in a template.
    ///
    /// ## Why it matters
    /// In a crisis, official pages are copied, spoofed and read on shared
    /// networks. A plain-HTTP link can be tampered with on the way, and
    /// browsers warn about it just when trust matters most.
    ///
    /// ## Example
    /// ```jinja
    /// Updates: http://example.org/help
    /// ```
    ///
    /// ## Fix
    /// `Updates: https://example.org/help`
    "CP403", "insecure-link", Warning, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::BTreeSet::new();
    for part in context.parts() {
        let Ok(source) = &part.source else { continue };
        if !seen.insert(source.name.clone()) {
            continue;
        }
        for (offset, _) in source.text.match_indices("http://") {
            let (rel, span) = source.locate(offset);
            let end = source.text[offset..]
                .find(|c: char| c.is_whitespace())
                .map_or(source.text.len(), |e| offset + e);
            let link = &source.text[offset..end];
            let problem = Problem {
                rel,
                span,
                message: format!("insecure link '{link}'; use https://"),
                syntax: false,
            };
            out.push(context.template_finding(&RULE, &problem));
        }
    }
}
