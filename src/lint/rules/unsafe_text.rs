use crate::diagnostic::Diagnostic;
use crate::lint::rule::{declare_rule, Check};
use crate::lint::PlaybookContext;
use crate::yaml::{Node, Value};

declare_rule! {
    /// A line break, control character or invisible direction override in
    /// a playbook value that is shown on one line: a title, an owner, a
    /// sign-off item, a help text, an example, an approval record.
    ///
    /// ## Why it matters
    /// These values go into the checklist the approvers sign and the
    /// packet the person on duty reads. A line break could forge a line
    /// such as `- [x] Legal: approved`; an escape sequence could rewrite
    /// the terminal; a direction override makes text read differently from
    /// how it is stored. Only message text (`text:` and `subject:`) and an
    /// approval's armoured `signature` may span lines.
    ///
    /// ## Example
    /// ```yaml
    /// signoff:
    ///   - { role: Legal, confirm: "Checked\n- [x] Clinical: approved" }
    /// ```
    ///
    /// ## Fix
    /// Keep the value on one line, without control characters.
    "CP113", "unsafe-text", Error, Check::Playbook(check),
}

fn check(context: &PlaybookContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut found = Vec::new();
    // A multiline field's example and default may span lines, as its
    // values may.
    let multiline: Vec<&str> = context
        .loaded
        .playbook
        .fields
        .iter()
        .filter(|(_, f)| f.multiline)
        .map(|(name, _)| name.as_str())
        .collect();
    walk(
        &context.loaded.tree,
        &mut Vec::new(),
        &multiline,
        &mut found,
    );
    for (node, path, c) in found {
        out.push(context.finding(
            &RULE,
            node.span,
            format!(
                "{path} contains {}; keep it on one line, without control characters",
                describe(c)
            ),
        ));
    }
}

fn describe(c: char) -> String {
    match c {
        '\n' | '\r' => format!("a line break (U+{:04X})", c as u32),
        c => format!("the invisible character U+{:04X}", c as u32),
    }
}

/// Every scalar (and key) with an unsafe character, with its path as an
/// author reads it. Message text may hold line breaks and tabs.
fn walk<'a>(
    node: &'a Node,
    path: &mut Vec<String>,
    multiline: &[&str],
    found: &mut Vec<(&'a Node, String, char)>,
) {
    match &node.value {
        Value::Scalar(scalar) => {
            // Message text may span lines, and so may an armoured
            // signature.
            let block = matches!(
                (
                    path.first().map(String::as_str),
                    path.get(2).map(String::as_str)
                ),
                (Some("messages"), Some("text" | "subject"))
                    | (Some("approvals"), Some("signature"))
            ) || (path.first().map(String::as_str) == Some("fields")
                && path.get(1).is_some_and(|f| multiline.contains(&f.as_str()))
                && matches!(path.get(2).map(String::as_str), Some("example" | "default")));
            let unsafe_char = if block {
                scalar
                    .text
                    .chars()
                    .find(|&c| crate::text::is_unsafe_in_block(c))
            } else {
                scalar.text.chars().find(|&c| crate::text::is_unsafe(c))
            };
            if let Some(c) = unsafe_char {
                found.push((node, path.join("."), c));
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                walk(item, path, multiline, found);
                path.pop();
            }
        }
        Value::Map(entries) => {
            for (key, value) in entries {
                let name = key.as_str().unwrap_or("?").to_owned();
                if let Some(c) = name.chars().find(|&c| crate::text::is_unsafe(c)) {
                    found.push((key, format!("the key {}", name.escape_debug()), c));
                }
                path.push(name);
                walk(value, path, multiline, found);
                path.pop();
            }
        }
    }
}
