//! The terminal view of a rendering.

use std::io::{self, Write};

use super::length_line;
use crate::checklist::Item;
use crate::render::Rendering;

pub fn write(
    rendering: &Rendering,
    checklist: &[Item],
    banner: Option<&str>,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    // Red and bold for what must stop the person on duty, on a terminal
    // only (`--color`).
    let alarm = |text: &str| {
        if color {
            format!("\x1b[1;31m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    };
    if let Some(banner) = banner {
        writeln!(out, "{}\n", alarm(&format!("*** {banner} ***")))?;
    }
    writeln!(
        out,
        "{} (version {}): {}",
        rendering.playbook, rendering.version, rendering.title
    )?;
    writeln!(out, "{}", rendering.clock.summary())?;
    for m in &rendering.messages {
        let fit = if m.fits() {
            "fits".to_owned()
        } else {
            alarm("DOES NOT FIT")
        };
        writeln!(out)?;
        writeln!(
            out,
            "== {} [{}, {}] due {} ==",
            m.id,
            m.channel,
            m.lang,
            super::due_text(m, "%Y-%m-%d %H:%M %Z")
        )?;
        writeln!(out, "   {}: {fit}", length_line(&m.measurement))?;
        if let Some(banner) = banner {
            writeln!(out, "   {banner}")?;
        }
        if let (Some(subject), Some(sm)) = (&m.subject, &m.subject_measurement) {
            let sfit = if sm.fits { "fits" } else { "DOES NOT FIT" };
            writeln!(out, "Subject: {subject}")?;
            writeln!(out, "   subject {}: {sfit}", length_line(sm))?;
            writeln!(out)?;
        }
        // The words are indented, so no line of a message (a multiline
        // value, a template) can pass for a heading or a checklist item.
        for line in m.text.lines() {
            if line.is_empty() {
                writeln!(out)?;
            } else {
                writeln!(out, "    {line}")?;
            }
        }
    }
    writeln!(out)?;
    match banner {
        Some(banner) => writeln!(out, "== Sign-off checklist ({banner}) ==")?,
        None => writeln!(out, "== Sign-off checklist ==")?,
    }
    let (verified, groups) = crate::checklist::grouped(checklist);
    if !verified.is_empty() {
        writeln!(out, "Verified by crisis:")?;
        for item in verified {
            writeln!(out, "- [x] {}: {}", item.role, item.item)?;
        }
    }
    for (role, items) in groups {
        writeln!(out, "{role} confirms:")?;
        for item in items {
            writeln!(out, "- [ ] {}", item.item)?;
        }
    }
    Ok(())
}

/// `at once` or `+24h`.
pub fn due_label(after: crate::duration::Duration) -> String {
    if after.seconds() == 0 {
        "at once".to_owned()
    } else {
        format!("+{after}")
    }
}
