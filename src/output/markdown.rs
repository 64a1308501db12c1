//! A review packet in Markdown, to paste into email or chat so approvers see
//! every message, its fit and the checklist in one place.

use std::io::{self, Write};

use super::length_line;
use crate::checklist::Item;
use crate::render::Rendering;

pub fn write(
    rendering: &Rendering,
    checklist: &[Item],
    banner: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "# {}: {}",
        rendering.playbook,
        inline(&rendering.title)
    )?;
    writeln!(out)?;
    if let Some(banner) = banner {
        writeln!(out, "> **{banner}**\n")?;
    }
    writeln!(
        out,
        "Version {}. {}.",
        rendering.version,
        capitalise(&rendering.clock.summary())
    )?;
    for m in &rendering.messages {
        let fit = if m.fits() { "fits" } else { "**DOES NOT FIT**" };
        writeln!(out)?;
        writeln!(out, "## {} ({}, {})", m.id, m.channel, m.lang)?;
        writeln!(out)?;
        writeln!(
            out,
            "Due {}. {}: {fit}.",
            super::due_text(m, "%Y-%m-%d %H:%M %Z"),
            length_line(&m.measurement)
        )?;
        if let Some(banner) = banner {
            writeln!(out, "\n**{banner}**")?;
        }
        writeln!(out)?;
        if let Some(subject) = &m.subject {
            writeln!(out, "**Subject:** {}\n", inline(subject))?;
        }
        // A fence longer than any backtick run in the text keeps it verbatim.
        let fence = "`".repeat(longest_backtick_run(&m.text).max(2) + 1);
        writeln!(out, "{fence}text\n{}\n{fence}", m.text)?;
    }
    writeln!(out)?;
    write_checklist(checklist, "##", banner, out)
}

/// The checklist alone, as Markdown checkboxes under a heading of `level`,
/// the banner (if any) right under the heading.
pub fn write_checklist(
    checklist: &[Item],
    level: &str,
    banner: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "{level} Sign-off checklist")?;
    writeln!(out)?;
    if let Some(banner) = banner {
        writeln!(out, "**{banner}**\n")?;
    }
    let (verified, groups) = crate::checklist::grouped(checklist);
    if !verified.is_empty() {
        writeln!(out, "Verified by crisis:\n")?;
        for item in verified {
            writeln!(
                out,
                "- [x] **{}**: {}",
                inline(&item.role),
                inline(&item.item)
            )?;
        }
        writeln!(out)?;
    }
    for (role, items) in groups {
        writeln!(out, "**{}** confirms:\n", inline(role))?;
        for item in items {
            writeln!(out, "- [ ] {}", inline(&item.item))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Text from a playbook or a value as inline Markdown shows it, never as
/// markup: HTML that many renderers pass through (`<h3>`) and the
/// characters that start emphasis, links or code are escaped, so a value
/// cannot draw a heading or a ticked item in the packet.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

pub(super) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_never_become_markup() {
        assert_eq!(
            inline("https://x.org/--><h3>Verified by crisis</h3>"),
            "https://x.org/--&gt;&lt;h3&gt;Verified by crisis&lt;/h3&gt;"
        );
        assert_eq!(inline("**[x]** `a`"), "\\*\\*\\[x\\]\\*\\* \\`a\\`");
    }
}
