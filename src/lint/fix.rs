//! `crisis lint --fix`: the replacements lint can make safely by itself.
//!
//! Only characters that force SMS into UCS-2 and have a GSM-7 equivalent are
//! replaced, and only in template files used by SMS messages: the approved
//! words stay the same words, and nothing else (playbooks, event files) is
//! touched.

use anyhow::{Context, Result};
use std::collections::BTreeMap;

use crate::catalog::Catalog;
use crate::channel::{sms, Channels};
use crate::load;
use crate::template::{self, Origin, Part};

/// One template file changed by `--fix`.
pub struct Fixed {
    pub path: String,
    pub replacements: usize,
}

/// Applies the fixes to every template file of an SMS message.
pub fn apply(catalog: &Catalog, channels: &Channels) -> Result<Vec<Fixed>> {
    if catalog.is_embedded() {
        anyhow::bail!(
            "the built-in catalog cannot be changed; run --fix in your own catalog (--catalog DIR)"
        );
    }
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    for rel in catalog.playbook_files()?.files {
        let Ok(loaded) = load::load_playbook(catalog, &rel) else {
            continue;
        };
        for (index, message) in loaded.playbook.messages.iter().enumerate() {
            let is_gsm = channels
                .get(&message.channel)
                .is_some_and(|spec| spec.counting.is_gsm());
            if !is_gsm {
                continue;
            }
            for lang in message.languages(&loaded.playbook) {
                if let Ok(Some(source)) =
                    template::source(catalog, &loaded, index, message, Part::Body, lang)
                {
                    if let Origin::File { rel } = source.origin {
                        files.insert(rel, source.text);
                    }
                }
            }
        }
    }
    let mut fixed = Vec::new();
    for (rel, text) in files {
        let mut replacements = 0;
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match sms::gsm_replacement(c) {
                Some(r) => {
                    out.push_str(r);
                    replacements += 1;
                }
                None => out.push(c),
            }
        }
        if replacements > 0 {
            // Only a file that resolves inside templates/ is written.
            let path = crate::catalog::CatalogPath::new(&rel)?;
            catalog
                .write(&path, out.as_bytes())
                .with_context(|| format!("cannot fix {}", catalog.display_path(&rel)))?;
            fixed.push(Fixed {
                path: catalog.display_path(&rel),
                replacements,
            });
        }
    }
    Ok(fixed)
}
