//! What a hostile pull request to a catalog (or a careless one) must not be
//! able to do: read or write outside the catalog, post words no approval
//! covers, make lint pass a playbook that fails in a crisis, or make the
//! tool panic, hang or lie. One test per class, through the real binary.
//! `docs/security.md` names the guarantee each one proves.

use crate::support::{materialize, stderr, stdout, Sandbox};
use std::path::Path;
use std::process::Output;

/// A clock inside the approval fixtures' period.
const NOW: &str = "2025-03-01T12:00:00Z";
const SECRET: &str = "TOPSECRET-4d1f";

/// A sandbox holding `catalog/` (a copy of a fixture) and, beside it,
/// `outside/secret.txt`, which nothing may ever print.
struct Attack {
    sandbox: Sandbox,
}

impl Attack {
    fn new(fixture_name: &str) -> Attack {
        let sandbox = Sandbox::new()
            .file("outside/secret.txt", &format!("{SECRET}\n"))
            .file(
                "outside/helpline/announce-x.en.j2",
                &format!("{SECRET} {{{{ area }}}} {{{{ phone }}}}\n"),
            );
        std::fs::create_dir_all(sandbox.path().join("catalog")).unwrap();
        materialize(fixture_name, &sandbox.path().join("catalog"));
        Attack { sandbox }
    }

    fn catalog(&self) -> std::path::PathBuf {
        self.sandbox.path().join("catalog")
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.catalog().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.catalog().join(rel)).unwrap()
    }

    fn edit(&self, rel: &str, change: impl Fn(&str) -> String) {
        let text = self.read(rel);
        let changed = change(&text);
        assert_ne!(changed, text, "the edit of {rel} changed nothing");
        self.write(rel, &changed);
    }

    fn symlink(&self, target: &Path, rel: &str) {
        let link = self.catalog().join(rel);
        let _ = std::fs::remove_file(&link);
        let _ = std::fs::remove_dir_all(&link);
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, link).unwrap();
    }

    fn run(&self, args: &[&str]) -> Output {
        crate::support::crisis_in(&self.catalog())
            .args(args)
            .args(["--now", NOW])
            .output()
            .unwrap()
    }

    fn outside(&self) -> std::path::PathBuf {
        self.sandbox.path().join("outside")
    }
}

/// The command failed cleanly (no panic) and printed no secret.
fn refused(output: &Output) -> String {
    let all = format!("{}{}", stdout(output), stderr(output));
    assert!(
        !all.contains(SECRET),
        "a file outside the catalog was printed:\n{all}"
    );
    assert_eq!(output.status.code(), Some(1), "{all}");
    assert!(!all.contains("panicked"), "{all}");
    all
}

const RENDER: [&str; 4] = ["render", "helpline", "--set", "area=Springfield"];

#[test]
fn includes_cannot_reach_outside_templates() {
    for tag in [
        "{% include \"../../outside/secret.txt\" %}",
        "{% include '../outside/secret.txt' %}",
        "{% include \"/etc/passwd\" %}",
        "{% extends \"../../outside/secret.txt\" %}",
        "{%include\"../../outside/secret.txt\"%}",
        "{% include ['nothing.j2', '../../outside/secret.txt'] ignore missing %}",
    ] {
        let attack = Attack::new("lint/ok");
        attack.write(
            "templates/helpline/announce-x.en.j2",
            &format!("Call {{{{ phone }}}} in {{{{ area }}}}.{tag}\n"),
        );
        let report = refused(&attack.run(&["lint"]));
        assert!(report.contains("error[CP209]"), "{tag}:\n{report}");
        refused(&attack.run(&RENDER));
    }
}

#[test]
fn imports_and_computed_names_are_refused() {
    for tag in [
        "{% import \"../../outside/secret.txt\" as s %}",
        "{% from \"helpline/x.j2\" import y %}",
        "{% include area %}",
        "{% include \"helpline/\" ~ lang %}",
    ] {
        let attack = Attack::new("lint/ok");
        attack.write(
            "templates/helpline/announce-x.en.j2",
            &format!("Call {{{{ phone }}}} in {{{{ area }}}}.{tag}\n"),
        );
        let report = refused(&attack.run(&["lint"]));
        assert!(report.contains("error[CP209]"), "{tag}:\n{report}");
    }
}

#[test]
fn a_template_path_cannot_leave_templates() {
    for path in [
        "../../outside/secret.txt",
        "/etc/passwd",
        "helpline/../../../outside/secret.txt",
    ] {
        let attack = Attack::new("lint/ok");
        attack.edit("playbooks/helpline.yaml", |t| {
            t.replace("helpline/announce-x.{lang}.j2", path)
        });
        let report = refused(&attack.run(&["lint"]));
        assert!(report.contains("error[CP203]"), "{path}:\n{report}");
        refused(&attack.run(&RENDER));
    }
}

#[test]
fn symlinks_that_lead_outside_are_not_followed() {
    // A template file, the templates folder, and crisis.yaml.
    let attack = Attack::new("lint/ok");
    attack.symlink(
        &attack.outside().join("secret.txt"),
        "templates/helpline/announce-x.en.j2",
    );
    let report = refused(&attack.run(&["lint"]));
    assert!(report.contains("resolves outside templates/"), "{report}");
    refused(&attack.run(&RENDER));

    let attack = Attack::new("lint/ok");
    attack.symlink(&attack.outside(), "templates");
    refused(&attack.run(&["lint"]));
    refused(&attack.run(&RENDER));

    for target in [
        Path::new("/proc/self/environ"),
        &attack.outside().join("secret.txt"),
    ] {
        let attack = Attack::new("lint/ok");
        attack.symlink(target, "crisis.yaml");
        let report = refused(&attack.run(&["lint"]));
        assert!(report.contains("error[CP001]"), "{report}");
        refused(&attack.run(&RENDER));
    }
}

#[test]
fn lint_fix_never_writes_through_a_symlink() {
    let attack = Attack::new("lint/ok");
    std::fs::write(
        attack.outside().join("sms.j2"),
        "We’re here: call {{ phone }} in {{ area }}.\n",
    )
    .unwrap();
    attack.edit("playbooks/helpline.yaml", |t| {
        t.replace(
            "text: { en: \"Free 24/7 helpline for {{ area }}: call {{ phone }}.\" }",
            "template: helpline/sms.{lang}.j2",
        )
    });
    attack.symlink(
        &attack.outside().join("sms.j2"),
        "templates/helpline/sms.en.j2",
    );
    let _ = attack.run(&["lint", "--fix"]);
    assert_eq!(
        std::fs::read_to_string(attack.outside().join("sms.j2")).unwrap(),
        "We’re here: call {{ phone }} in {{ area }}.\n"
    );
}

#[test]
fn ids_and_languages_cannot_become_paths_in_out() {
    for (from, to, code) in [
        ("id: announce-x", "id: \"../../escaped\"", "CP102"),
        ("languages: [en]", "languages: [\"../x\"]", "CP107"),
    ] {
        let attack = Attack::new("lint/ok");
        attack.edit("playbooks/helpline.yaml", |t| t.replacen(from, to, 1));
        let report = refused(&attack.run(&["lint"]));
        assert!(report.contains(&format!("error[{code}]")), "{report}");
        let output = attack.run(&[
            "render",
            "helpline",
            "--set",
            "area=Springfield",
            "--out",
            "out",
        ]);
        refused(&output);
        assert!(!attack.catalog().join("out").exists());
        assert!(!attack.sandbox.path().join("escaped.en.txt").exists());
    }
}

#[test]
fn two_links_to_one_folder_do_not_make_lint_loop() {
    let attack = Attack::new("lint/ok");
    let playbooks = attack.catalog().join("playbooks");
    attack.symlink(&playbooks, "playbooks/a");
    attack.symlink(&playbooks, "playbooks/b");
    attack.symlink(Path::new(".."), "playbooks/up");
    // It ends, lints the one playbook once, and reports the link that
    // leads out of playbooks/.
    let output = attack.run(&["lint"]);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert!(report.contains("1 playbook linted"), "{report}");
    assert!(
        report.contains("playbooks/up:1:1: error[CP001]"),
        "{report}"
    );
}

/// The approval fixture, approved by both roles, with `approvals_required`
/// as given.
fn approved_attack() -> Attack {
    let attack = Attack::new("approval");
    for (role, by) in [
        ("communications", "Sam Lee, Comms"),
        ("legal", "Dana Reyes, Counsel"),
    ] {
        let output = attack.run(&[
            "approve",
            "helpline",
            "--role",
            role,
            "--by",
            by,
            "--on",
            "2025-01-15",
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let output = attack.run(&["lint"]);
    assert!(output.status.success(), "{}", stdout(&output));
    attack
}

fn is_stale(attack: &Attack) {
    let output = attack.run(&["lint"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("error[CP602]"),
        "{}",
        stdout(&output)
    );
    let output = attack.run(&["render", "helpline", "--set", "area=Springfield"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("is not approved"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_include_however_spaced_is_covered_by_the_approval() {
    let attack = approved_attack();
    attack.edit("templates/helpline/announce-x.en.j2", |t| {
        t.replace(
            "{% include \"helpline/signature.j2\" %}",
            "{%include\"helpline/signature.j2\"%}",
        )
    });
    let output = attack.run(&[
        "approve",
        "helpline",
        "--role",
        "communications",
        "--by",
        "Sam Lee, Comms",
        "--on",
        "2025-01-15",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    attack.run(&[
        "approve",
        "helpline",
        "--role",
        "legal",
        "--by",
        "Dana Reyes, Counsel",
        "--on",
        "2025-01-15",
    ]);
    attack.edit("templates/helpline/signature.j2", |t| {
        t.replace("Tideline", "Someone Else's")
    });
    is_stale(&attack);
}

#[test]
fn inline_text_is_digested_as_written() {
    let attack = approved_attack();
    attack.edit("playbooks/helpline.yaml", |t| {
        t.replace(
            "title: Free helpline after a local emergency",
            "title: 0112",
        )
    });
    for role in ["communications", "legal"] {
        attack.run(&[
            "approve",
            "helpline",
            "--role",
            role,
            "--by",
            "A, B",
            "--on",
            "2025-01-15",
        ]);
    }
    assert!(attack.run(&["lint"]).status.success());
    attack.edit("playbooks/helpline.yaml", |t| {
        t.replace("title: 0112", "title: 0x70")
    });
    is_stale(&attack);
}

#[test]
fn dropping_a_role_does_not_let_edited_words_out() {
    let attack = approved_attack();
    attack.edit("playbooks/helpline.yaml", |t| {
        t.replace("approvals_required: [communications, legal]\n", "")
    });
    attack.edit("templates/helpline/announce-x.es.j2", |t| {
        t.replace("gratuito", "barato")
    });
    is_stale(&attack);
}

#[test]
fn approvals_dated_in_the_future_or_too_long_are_refused() {
    let attack = Attack::new("approval");
    for args in [
        ["--on", "2999-01-01", "--expires", "12mo"],
        ["--on", "2025-01-15", "--expires", "10y"],
    ] {
        let output = attack.run(&[
            "approve", "helpline", "--role", "legal", "--by", "A, B", args[0], args[1], args[2],
            args[3],
        ]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    }
    // A record edited by hand to a future date is flagged.
    let attack = approved_attack();
    attack.edit("playbooks/helpline.yaml", |t| {
        t.replacen("at: 2025-01-15", "at: 2025-06-15", 1)
    });
    let output = attack.run(&["lint"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("in the future"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn concurrent_approvals_all_land() {
    for _ in 0..4 {
        let attack = Attack::new("approval");
        let catalog = attack.catalog();
        let binary = assert_cmd::cargo::cargo_bin("crisis");
        let children: Vec<_> = [
            ("communications", "Sam Lee, Comms"),
            ("legal", "Dana Reyes, Counsel"),
        ]
        .into_iter()
        .map(|(role, by)| {
            std::process::Command::new(&binary)
                .current_dir(&catalog)
                .env_remove("CRISIS_CATALOG")
                .args([
                    "approve",
                    "helpline",
                    "--role",
                    role,
                    "--by",
                    by,
                    "--on",
                    "2025-01-15",
                    "--now",
                    NOW,
                ])
                .output()
        })
        .collect();
        for child in children {
            assert!(child.unwrap().status.success());
        }
        let text = attack.read("playbooks/helpline.yaml");
        assert!(
            text.contains("role: communications") && text.contains("role: legal"),
            "{text}"
        );
    }
}

#[test]
fn templates_that_fail_only_when_run_fail_lint() {
    for (template, code) in [
        ("{{ started_at | datetime(\"%Q\") }}", "CP210"),
        ("{{ area | nosuchfilter }}", "CP209"),
        ("{% for c in area %}{% for d in area %}{% for e in area %}{{ c }}{% endfor %}{% endfor %}{% endfor %}", "CP210"),
        ("{{ area | replace(\"\", \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\") | replace(\"x\", \"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\") }}", "CP209"),
        ("{{ area | replace(\" \", \"...................................\") }}", "CP209"),
        ("{% if 'Mill' in area %}{{ area | datetime('%H') }}{% endif %}", "CP209"),
        ("{{ 10 // (area | length - 11) }}", "CP209"),
        ("{% include \"helpline/missing.j2\" %}", "CP209"),
        ("{% include \"helpline/broken.j2\" %}", "CP204"),
        ("{% include \"helpline/announce-x.en.j2\" %}", "CP209"),
        ("{{ 'x' * 100000000 }}", "CP209"),
        // A loop variable named like something lint trusts is free text.
        ("{% for lang in [area] %}{% if lang == 'es' %} Hidden words.{% endif %}{% endfor %}", "CP209"),
        ("{% for started_at in [area] %}{{ started_at | at_time }}{% endfor %}", "CP209"),
        ("{% for phone in [area] %}{% include \"helpline/footer.j2\" %}{% endfor %}", "CP209"),
        // A format taken from a value.
        ("{{ started_at | datetime(area) }}", "CP209"),
        // Truth tests of worked-out values: hidden branches.
        ("{% if area | length - 7 %}{% else %} Hidden words.{% endif %}", "CP209"),
        ("{% if not area[11:] %} Hidden words.{% endif %}", "CP209"),
        ("{{ area[11:] or \"Hidden words\" }}", "CP209"),
        ("{{ area[11:] | default(\"Hidden words\", true) }}", "CP209"),
        ("{% for c in area[11:] %}{{ c }}{% else %} Hidden words.{% endfor %}", "CP209"),
        ("{{ area[11:] | first }}", "CP209"),
        ("{% for x in [area[11:]] %}{% if x %} Hidden words.{% endif %}{% endfor %}", "CP209"),
        ("{% for x in [area[11:]] %}{{ x or \"Hidden words\" }}{% endfor %}", "CP209"),
        ("{% for d in \"\" ~ (area | length - 9) %}{% if loop.index0 %} Hidden words.{% endif %}{% endfor %}", "CP209"),
        ("{% for c in area %}{% if loop.index0 %} Hidden words.{% endif %}{% endfor %}", "CP209"),
        ("{{ area | length - 9 }}", "CP209"),
        ("{{ area | replace(\"a\", \"b\") }}", "CP209"),
        // Numbers are shown as typed: int of a 40-digit value overflows.
        ("{{ phone | int | abs }}", "CP209"),
    ] {
        let attack = Attack::new("lint/ok");
        attack.edit("playbooks/helpline.yaml", |t| t.replace("max_len: 20", "max_len: 200"));
        attack.write("templates/helpline/broken.j2", "{{ phone }");
        attack.write("templates/helpline/footer.j2", " See {{ phone }}.");
        attack.write(
            "templates/helpline/announce-x.en.j2",
            &format!("Call {{{{ phone }}}} in {{{{ area }}}}. {template}\n"),
        );
        let report = refused(&attack.run(&["lint"]));
        assert!(report.contains(&format!("error[{code}]")), "{template}:\n{report}");
        let output = attack.run(&RENDER);
        refused(&output);
    }
}

#[test]
fn an_error_in_an_included_template_points_at_that_template() {
    let attack = Attack::new("lint/ok");
    attack.write("templates/helpline/footer.j2", "\nSee {{ link }}");
    attack.write(
        "templates/helpline/announce-x.en.j2",
        "Call {{ phone }} in {{ area }}.{% include \"helpline/footer.j2\" %}\n",
    );
    let report = refused(&attack.run(&["lint"]));
    assert!(
        report.contains("templates/helpline/footer.j2:2:8: error[CP205]"),
        "{report}"
    );
}

#[test]
fn an_absent_optional_field_renders_as_nothing() {
    let attack = Attack::new("lint/ok");
    attack.edit("playbooks/helpline.yaml", |t| {
        t.replace(
            "  phone:",
            "  place: { type: text, required: false, max_len: 30, example: \"City Hall\" }\n  phone:",
        )
    });
    attack.write(
        "templates/helpline/announce-x.en.j2",
        "Call {{ phone }} in {{ area }}.{{ place }}\n",
    );
    let output = attack.run(&RENDER);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output).to_lowercase();
    assert!(!text.contains("none"), "{text}");
}

#[test]
fn a_lint_whose_output_is_cut_short_still_fails() {
    let attack = Attack::new("lint/CP205-undeclared-variable");
    let binary = assert_cmd::cargo::cargo_bin("crisis");
    let status = std::process::Command::new("bash")
        .current_dir(attack.catalog())
        .env_remove("CRISIS_CATALOG")
        .args([
            "-c",
            &format!(
                "set -o pipefail; '{}' lint | head -c 1 >/dev/null",
                binary.display()
            ),
        ])
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
}

#[test]
fn paths_are_relative_when_lint_runs_from_a_subfolder() {
    let attack = Attack::new("lint/CP205-undeclared-variable");
    let output = crate::support::crisis_in(&attack.catalog().join("templates"))
        .args(["lint"])
        .output()
        .unwrap();
    // Under the working directory: relative to it.
    let report = stdout(&output);
    assert!(report.starts_with("helpline/announce-x.en.j2:"), "{report}");
    // Elsewhere in the catalog: relative to the catalog root, never absolute.
    let output = crate::support::crisis_in(&attack.catalog().join("playbooks"))
        .args(["lint"])
        .output()
        .unwrap();
    let report = stdout(&output);
    assert!(
        report.starts_with("templates/helpline/announce-x.en.j2:"),
        "{report}"
    );
    assert!(!report.contains(attack.sandbox.path().to_str().unwrap()));
}

#[test]
fn out_holds_exactly_the_latest_packet() {
    let attack = Attack::new("approval");
    let first = attack.run(&[
        "render",
        "helpline",
        "--set",
        "area=Springfield",
        "--draft",
        "--out",
        "out",
    ]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(attack.catalog().join("out/announce-x.es.txt").exists());
    let second = attack.run(&[
        "render",
        "helpline",
        "--set",
        "area=Springfield",
        "--draft",
        "--lang",
        "en",
        "--out",
        "out",
    ]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(!attack.catalog().join("out/announce-x.es.txt").exists());
    assert!(attack.catalog().join("out/announce-x.en.txt").exists());
    // A folder crisis did not write is left alone.
    attack.write("notes/mine.txt", "keep");
    let output = attack.run(&[
        "render",
        "helpline",
        "--set",
        "area=Springfield",
        "--draft",
        "--out",
        "notes",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(attack.read("notes/mine.txt"), "keep");
}

#[test]
fn windows_line_endings_keep_approvals_and_never_reach_the_text() {
    let attack = approved_attack();
    for rel in [
        "playbooks/helpline.yaml",
        "templates/helpline/announce-x.en.j2",
        "templates/helpline/announce-x.es.j2",
        "templates/helpline/signature.j2",
    ] {
        let text = attack.read(rel);
        attack.write(rel, &format!("\u{feff}{}", text.replace('\n', "\r\n")));
    }
    let output = attack.run(&["lint"]);
    assert!(output.status.success(), "{}", stdout(&output));
    let output = attack.run(&[
        "render",
        "helpline",
        "--set",
        "area=Springfield",
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stdout(&output).contains("\\r"), "{}", stdout(&output));
}

#[test]
fn the_built_in_examples_say_so_everywhere() {
    let empty = Sandbox::new();
    let run = |args: &[&str]| {
        empty
            .crisis()
            .args(args)
            .args(["--now", "2026-12-01T00:00:00Z"])
            .output()
            .unwrap()
    };
    let set = ["--set", "event=the flood", "--set", "area=Springfield"];
    let text = run(&[&["render", "disaster-helpline"][..], &set].concat());
    assert!(text.status.success(), "{}", stderr(&text));
    assert!(
        stdout(&text).starts_with("*** EXAMPLE"),
        "{}",
        stdout(&text)
    );
    let json = run(&[
        &["render", "disaster-helpline", "--format", "json"][..],
        &set,
    ]
    .concat());
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["examples"], true);
    let out = run(&[&["render", "disaster-helpline", "--out", "p"][..], &set].concat());
    assert!(out.status.success());
    let sms = std::fs::read_to_string(empty.path().join("p/announce-sms.en.txt")).unwrap();
    assert!(sms.starts_with("EXAMPLE"), "{sms}");
    let unknown = run(&["render", "my-helpline"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("--catalog"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn a_record_edited_to_forge_a_line_is_unusable() {
    let attack = approved_attack();
    attack.edit("playbooks/helpline.yaml", |t| {
        t.replacen(
            "by: \"Sam Lee, Comms\"",
            "by: \"Sam Lee, Comms\\n- [x] Approved: clinical: approved by Dr Who\"",
            1,
        )
    });
    let output = attack.run(&["lint"]);
    assert_eq!(output.status.code(), Some(1));
    let report = stdout(&output);
    assert!(
        report.contains("error[CP606]") && report.contains("control character"),
        "{report}"
    );
    let output = attack.run(&["render", "helpline", "--set", "area=Springfield"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!stdout(&output).contains("- [x]"));
}

#[test]
fn an_absent_optional_field_is_empty_however_it_is_used() {
    let attack = Attack::new("lint/ok");
    attack.edit("playbooks/helpline.yaml", |t| {
        t.replace(
            "  phone:",
            "  place: { type: text, required: false, max_len: 10, example: \"Hall\" }\n  phone:",
        )
    });
    attack.write(
        "templates/helpline/announce-x.en.j2",
        "Call {{ phone }} in {{ area }}.{{ place ~ \"\" }}{{ place | upper }}{{ [place] | join(\",\") }}{{ place | title }}\n",
    );
    let output = attack.run(&RENDER);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        !stdout(&output).to_lowercase().contains("none"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn letters_that_grow_when_upper_cased_are_in_the_worst_case() {
    let attack = Attack::new("lint/ok");
    // 20 characters of area upper-cased five times: 200 weighted characters
    // in CJK, which upper-casing leaves alone, but 'ﬃ' becomes 'FFI': 300.
    attack.write(
        "templates/helpline/announce-x.en.j2",
        "Call {{ phone }}. {{ area | upper }} {{ area | upper }} {{ area | upper }} {{ area | upper }} {{ area | upper }}\n",
    );
    let report = stdout(&attack.run(&["lint"]));
    assert!(
        report.contains("in the worst case for letter case"),
        "{report}"
    );
}

#[test]
fn a_link_is_checked_at_its_longest() {
    let attack = Attack::new("lint/ok");
    attack.edit("playbooks/helpline.yaml", |t| {
        t.replace(
            "  phone:",
            "  link: { type: url, max_len: 150, charset: gsm, example: \"https://example.org/help\" }\n  phone:",
        )
        .replace(
            "text: { en: \"Free 24/7 helpline for {{ area }}: call {{ phone }}.\" }",
            "text: { en: \"Call {{ phone }}. {{ link }}\" }",
        )
    });
    let report = stdout(&attack.run(&["lint"]));
    assert!(report.contains("error[CP301]"), "{report}");
    // At 75: 20 characters of scheme and host, 55 of '~' (two septets
    // each) and the longest phone number make 155 septets, one part.
    attack.edit("playbooks/helpline.yaml", |t| {
        t.replace("max_len: 150", "max_len: 75")
    });
    let report = stdout(&attack.run(&["lint"]));
    assert!(!report.contains("error[CP301]"), "{report}");
}

#[test]
fn a_text_field_cannot_smuggle_links_that_x_counts_long() {
    let attack = Attack::new("lint/ok");
    let output = attack.run(&["render", "helpline", "--set", "area=a.co b.co c.co d.co"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("a text field holds words"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn words_may_depend_only_on_values_lint_tries_in_full() {
    for condition in [
        "area == \"zzz\"",
        "\"z\" in area",
        "area is startingwith(\"q\")",
        "area | length == 3",
        "area | first == \"x\"",
    ] {
        let attack = Attack::new("lint/ok");
        attack.write(
            "templates/helpline/announce-x.en.j2",
            &format!("Call {{{{ phone }}}} in {{{{ area }}}}.{{% if {condition} %}} More words.{{% endif %}}\n"),
        );
        let report = refused(&attack.run(&["lint"]));
        assert!(
            report.contains("error[CP209]") && report.contains("comparison"),
            "{condition}:\n{report}"
        );
    }
    // An enum field may be compared: lint tries every value, so a branch
    // too long for the channel is caught whichever value takes it.
    let attack = Attack::new("lint/ok");
    attack.edit("playbooks/helpline.yaml", |t| {
        t.replace(
            "  phone:",
            "  level: { type: enum, values: [minor, major, critical], example: minor }\n  phone:",
        )
    });
    let long = "Stay indoors. ".repeat(20);
    attack.write(
        "templates/helpline/announce-x.en.j2",
        &format!("Call {{{{ phone }}}} in {{{{ area }}}}.{{% if level == \"critical\" %}} {long}{{% endif %}}\n"),
    );
    let report = refused(&attack.run(&["lint"]));
    assert!(report.contains("error[CP301]"), "{report}");
}

#[test]
fn a_multiline_field_may_have_a_multiline_example_and_no_other_may() {
    let attack = Attack::new("lint/ok");
    attack.edit("playbooks/helpline.yaml", |t| {
        t.replace(
            "  phone:",
            "  notes: { type: text, multiline: true, required: false, max_len: 60, example: \"Line one\\nLine two\" }\n  phone:",
        )
        .replace(
            "text: { en: \"Free 24/7 helpline for {{ area }}: call {{ phone }}.\" }",
            "text: { en: \"Free 24/7 helpline for {{ area }}: call {{ phone }}. {{ notes }}\" }",
        )
    });
    let output = attack.run(&["lint"]);
    assert!(!stdout(&output).contains("CP113"), "{}", stdout(&output));
    attack.edit("playbooks/helpline.yaml", |t| {
        t.replace("multiline: true, ", "")
    });
    let output = attack.run(&["lint"]);
    assert!(
        stdout(&output).contains("error[CP113]"),
        "{}",
        stdout(&output)
    );
}
