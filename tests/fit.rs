//! `crisis fit` and channel counting through the binary, and a catalog's
//! channel overrides in `crisis.yaml`.

use crate::support::{crisis_in, repo, stdout, Sandbox};

fn fit_json(args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let output = crisis_in(&repo())
        .arg("fit")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("JSON from fit {args:?}: {}", stdout(&output)));
    (output.status.code(), json)
}

#[test]
fn x_counts_urls_bare_domains_emoji_and_wide_scripts_like_x_does() {
    // 8 + 23 (URL) + 1 + 23 (bare domain) + 1 + 2 (ZWJ family) + 1 + 4 (two CJK)
    let (code, json) = fit_json(&[
        "--channel",
        "x",
        "Updates https://example.org/a/very/long/path example.gov 👨‍👩‍👧‍👦 東京",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(json["channel"], "x");
    assert_eq!(json["length"], 63);
    assert_eq!(json["limit"], 280);
    assert_eq!(json["fits"], true);
}

#[test]
fn one_character_over_on_x_fails_and_says_where() {
    let text = format!("{}é", "a".repeat(280));
    let output = crisis_in(&repo())
        .args(["fit", "--channel", "x", &text])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = stdout(&output);
    assert!(report.contains("281/280"), "{report}");
    assert!(report.contains("'é'"), "{report}");
}

#[test]
fn sms_reports_encoding_parts_and_the_characters_that_forced_ucs2() {
    let (code, json) = fit_json(&[
        "--channel",
        "sms",
        "--max-segments",
        "2",
        "Call us – we’re open 24/7 {free}",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(json["encoding"], "UCS-2");
    assert_eq!(json["segments"], 1);
    assert_eq!(json["forcing_chars"], serde_json::json!(["–", "’"]));
    // GSM extension characters take two septets and never split.
    let text = format!("{}{{{}", "x".repeat(152), "x".repeat(152));
    let (code, json) = fit_json(&["--channel", "sms", "--max-segments", "2", &text]);
    assert_eq!(code, Some(1));
    assert_eq!(json["encoding"], "GSM-7");
    assert_eq!(json["segments"], 3);
    assert_eq!(json["forcing_chars"], serde_json::json!([]));
}

#[test]
fn bluesky_counts_graphemes_and_mastodon_counts_links_as_23() {
    let (_, json) = fit_json(&["--channel", "bluesky", "नमस्ते 👨‍👩‍👧‍👧"]);
    assert_eq!(json["length"], 5);
    let (_, json) = fit_json(&[
        "--channel",
        "mastodon",
        "See https://example.org/a/very/long/path/to/the/page and example.gov",
    ]);
    // 4 + 23 + 5 + 11: a bare domain is not a link on Mastodon.
    assert_eq!(json["length"], 43);
}

#[test]
fn several_channels_compare_in_one_array() {
    let (code, json) = fit_json(&["--channel", "x", "--channel", "sms", "hello"]);
    assert_eq!(code, Some(0));
    let channels: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["channel"].as_str().unwrap())
        .collect();
    assert_eq!(channels, ["x", "sms"]);
}

#[test]
fn fit_reads_standard_input_for_a_dash() {
    let output = crisis_in(&repo())
        .args(["fit", "--channel", "sms", "--format", "json", "-"])
        .write_stdin("hello\n")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["length"], 5);
}

#[test]
fn an_unknown_channel_is_a_usage_error_with_a_suggestion() {
    crisis_in(&repo())
        .args(["fit", "--channel", "mastadon", "hi"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("mastodon"));
}

#[test]
fn a_catalog_can_override_limits_and_add_channels() {
    let sandbox = Sandbox::from_fixture("lint/ok").file(
        "crisis.yaml",
        "channels:\n  x: { limit: 40 }\n  wea: { counting: characters, limit: 90, source: \"Wireless Emergency Alerts, legacy form\" }\n",
    );
    let report = stdout(&sandbox.crisis().arg("lint").output().unwrap());
    assert!(
        report.contains("error[CP301]"),
        "x is now limited to 40:\n{report}"
    );
    assert!(
        report.contains("75/40 weighted characters on x with the example values"),
        "{report}"
    );
    let output = sandbox
        .crisis()
        .args([
            "fit",
            "--channel",
            "wea",
            "--format",
            "json",
            "Shelter in place now.",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["limit"], 90);
}

#[test]
fn a_broken_channel_config_is_a_lint_finding() {
    let sandbox =
        Sandbox::from_fixture("lint/ok").file("crisis.yaml", "channels:\n  wea: { limt: 90 }\n");
    let report = stdout(&sandbox.crisis().arg("lint").output().unwrap());
    assert!(
        report
            .contains("crisis.yaml:2:10: error[CP003]: unknown key 'limt'; did you mean 'limit'?"),
        "{report}"
    );
}

#[test]
fn wea_counts_gsm7_septets_and_refuses_what_cell_broadcast_cannot_carry() {
    // 88 letters and one '€' (two septets) are exactly the 90 of wea-90.
    let text = format!("{}€", "x".repeat(88));
    let (code, json) = fit_json(&["--channel", "wea-90", &text]);
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(
        (json["length"].clone(), json["unit"].clone()),
        (90.into(), "septets".into())
    );
    let (code, json) = fit_json(&["--channel", "wea-90", &format!("x{text}")]);
    assert_eq!((code, json["fits"].clone()), (Some(1), false.into()));
    // Short, but 'í' is not in GSM-7: it does not fit, in JSON or in words.
    let (code, json) = fit_json(&["--channel", "wea", "Línea de ayuda gratuita"]);
    assert_eq!((code, json["fits"].clone()), (Some(1), false.into()));
    assert_eq!(json["invalid"], serde_json::json!(["í"]));
    let output = crisis_in(&repo())
        .args(["fit", "--channel", "wea", "Línea de ayuda gratuita"])
        .output()
        .unwrap();
    assert!(
        stdout(&output).contains("does not fit (outside GSM-7: 'í' U+00ED)"),
        "{}",
        stdout(&output)
    );
}
