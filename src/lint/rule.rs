//! What a lint rule is: a stable code, a name, a severity, documentation
//! taken from its doc comment, and the check that finds it.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{CatalogContext, PlaybookContext};
use crate::span::Span;

/// How and when a rule runs.
#[derive(Clone, Copy)]
pub enum Check {
    /// Found while loading a file (syntax, unknown keys, ...).
    Load,
    /// Run on each playbook that loaded.
    Playbook(fn(&PlaybookContext<'_>, &mut Vec<Diagnostic>)),
    /// Run once over every playbook that loaded.
    Catalog(fn(&CatalogContext<'_>, &mut Vec<Diagnostic>)),
}

/// A lint rule. Its documentation is its doc comment, so the generated rules
/// page and the code cannot drift apart.
#[derive(Clone, Copy)]
pub struct Rule {
    /// Stable code, such as `CP101`. Never reused for another meaning.
    pub code: &'static str,
    /// Kebab-case name, such as `duplicate-id`.
    pub name: &'static str,
    pub severity: Severity,
    /// The doc comment, as Markdown: a one-line summary, then sections.
    pub doc: &'static str,
    pub check: Check,
}

impl Rule {
    /// A finding of this rule: its code and severity come from the rule,
    /// never from the call site.
    pub fn at(
        &self,
        path: impl Into<String>,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(self.code, self.severity, path, span, message)
    }

    /// The first paragraph of the documentation, on one line.
    pub fn summary(&self) -> String {
        self.doc
            .lines()
            .map(str::trim)
            .take_while(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The documentation after the summary paragraph, each line unindented
    /// by the one space `///` leaves.
    pub fn body(&self) -> String {
        self.doc
            .lines()
            .skip_while(|line| !line.trim().is_empty())
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_owned()
    }
}

/// Declares a rule as `pub const RULE`, with its doc comment kept as data.
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* $code:literal, $name:literal, $severity:ident, $check:expr $(,)?) => {
        $(#[doc = $doc])*
        pub const RULE: $crate::lint::rule::Rule = $crate::lint::rule::Rule {
            code: $code,
            name: $name,
            severity: $crate::diagnostic::Severity::$severity,
            doc: concat!($($doc, "\n"),*),
            check: $check,
        };
    };
}
pub(crate) use declare_rule;
