//! Data flows one way: files -> model -> checks or rendering -> report. Each
//! module may use only modules on lower layers; this test fails when an
//! import reaches up (or sideways into a cycle). Doc comments are ignored.

use std::collections::BTreeMap;
use std::path::Path;

/// Lowest first. Modules on one line form one layer and may use each
/// other only where the line says so (`cli` and `commands` are the glue
/// of one command line).
const LAYERS: &[&[&str]] = &[
    &["readability"],
    &[
        "limits", "span", "suggest", "atomic", "duration", "field", "error", "text", "input",
    ],
    &["cap"],
    &["yaml", "playbook", "channel"],
    &["settings", "catalog", "diagnostic", "clock"],
    &["load"],
    &["event", "template"],
    &["approval", "render"],
    &["lint", "checklist"],
    &["output", "report", "packet", "prompt"],
    &["ledger"],
    &["cli", "commands"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// Modules each top-level module imports through `crate::`.
fn imports() -> BTreeMap<String, Vec<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap();
            let first = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy();
            let module = first.trim_end_matches(".rs").to_owned();
            if matches!(module.as_str(), "lib" | "main") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for (i, _) in line.match_indices("crate::") {
                    let used: String = line[i + 7..]
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    if !used.is_empty() && used != module {
                        found.entry(module.clone()).or_default().push(used);
                    }
                }
            }
        }
    }
    found
}

#[test]
fn no_module_reaches_up() {
    let mut wrong = Vec::new();
    for (module, used) in imports() {
        let Some(own) = layer_of(&module) else {
            wrong.push(format!("{module} is on no layer: add it to LAYERS"));
            continue;
        };
        for other in used {
            match layer_of(&other) {
                Some(layer) if layer < own => {}
                Some(layer) if layer == own && LAYERS[own] == ["cli", "commands"] => {}
                Some(_) => wrong.push(format!("{module} uses {other}")),
                None => wrong.push(format!("{other} (used by {module}) is on no layer")),
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "imports against the flow:\n{}",
        wrong.join("\n")
    );
}
