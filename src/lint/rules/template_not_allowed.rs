use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;

declare_rule! {
    /// A template does something message templates may not do, or pulls in
    /// a template that is missing, outside `templates/`, or itself.
    ///
    /// ## Why it matters
    /// A message template is approved words with blanks. Names computed at
    /// render time could load words no approval covers; assignments,
    /// macros, calls and `*` can make a template run away with memory; an
    /// unknown filter or a missing include fails only when the message is
    /// rendered, in the crisis. Every template a message includes or
    /// extends is checked like the message's own.
    ///
    /// ## Example
    /// ```jinja
    /// {% include "footer." ~ lang ~ ".j2" %}
    /// {% set greeting = "Hello" %}
    /// ```
    ///
    /// ## Fix
    /// Name included templates literally (`{% include "footer.en.j2" %}`),
    /// use fields and `{% if %}` instead of assignments, and keep to the
    /// filters `crisis rules CP209` lists in its message.
    "CP209", "template-not-allowed", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    for part in context.parts() {
        if let Some(Err(problems)) = &part.compiled {
            for problem in problems.iter().filter(|p| !p.syntax) {
                out.push(context.template_finding(&RULE, problem));
            }
        }
    }
}
