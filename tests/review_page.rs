//! `crisis render --format html`: the review page approvers open in a
//! browser. What a browser shows of it is checked in Chromium by
//! `scripts/check-review-page`; these tests keep its words exact and inert.

use crate::support::{crisis_in, repo, stderr, stdout, Sandbox};

const NOW: &str = "2026-12-01T12:59:00-08:00";
const DRAFT: &str = "DRAFT - NOT APPROVED";

fn demo(extra: &[&str]) -> std::process::Output {
    crisis_in(&repo())
        .args([
            "render",
            "disaster-helpline",
            "--event",
            "examples/derailment.yaml",
            "--now",
            NOW,
        ])
        .args(extra)
        .output()
        .unwrap()
}

/// Text as the page's HTML escaping writes it.
fn escaped(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '/' => out.push_str("&#x2f;"),
            c => out.push(c),
        }
    }
    out
}

#[test]
fn the_review_page_shows_every_message_in_its_language() {
    let output = demo(&["--format", "html"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = stdout(&output);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains(r#"<meta name="viewport""#));
    let json: serde_json::Value =
        serde_json::from_slice(&demo(&["--format", "json"]).stdout).unwrap();
    let messages = json["messages"].as_array().unwrap();
    for m in messages {
        let text = m["text"].as_str().unwrap();
        // An SMS is drawn as its parts: the first part holds at least the
        // first 60 characters.
        let shown: String = if m["channel"] == "sms" {
            text.chars().take(60).collect()
        } else {
            text.to_owned()
        };
        assert!(
            html.contains(&escaped(&shown)),
            "{} ({}) missing",
            m["id"],
            m["lang"]
        );
    }
    for lang in ["en", "es"] {
        let count = messages.iter().filter(|m| m["lang"] == lang).count();
        assert_eq!(
            html.matches(&format!(
                r#"<article class="version" lang="{lang}" dir="ltr">"#
            ))
            .count(),
            count,
            "{lang}"
        );
    }
    assert!(html.contains("5 h 26 min elapsed, target 1 h: overdue"));
    assert!(html.contains("Sign-off checklist"));
    assert!(html.contains(r#"<input type="checkbox">"#));
    assert!(
        html.contains("GSM-7, 2 parts"),
        "the SMS encoding and parts"
    );
    assert!(html.contains("part 1 of 2"));
    // The repository's catalog is an example (crisis.yaml says so): it is
    // approved, so not a draft, but marked EXAMPLE.
    assert!(html.contains(r#"class="watermark""#));
    assert!(html.contains("EXAMPLE"));
    assert!(!html.contains(DRAFT));
}

#[test]
fn the_review_page_needs_no_network_and_runs_no_scripts() {
    let html = stdout(&demo(&["--format", "html"])).to_ascii_lowercase();
    for never in [
        "<script", "<link", "<img", "<iframe", " src=", "@import", "url(",
    ] {
        assert!(!html.contains(never), "{never}");
    }
}

#[test]
fn event_values_on_the_review_page_are_text_not_markup() {
    // Within the demo's 40-character limit for `event`.
    let hostile = r#"<script>alert(1)</script> & <b x="y">"#;
    let output = demo(&["--format", "html", "--set", &format!("event={hostile}")]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = stdout(&output);
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; &amp; &lt;b x=&quot;y&quot;&gt;"),
        "{html}"
    );
    assert!(!html.to_ascii_lowercase().contains("<script"));
    assert!(!html.contains("<b "));
}

#[test]
fn a_draft_review_page_is_watermarked() {
    let sandbox = Sandbox::from_fixture("approval");
    let output = sandbox
        .crisis()
        .args([
            "render",
            "helpline",
            "--set",
            "area=Springfield",
            "--draft",
            "--format",
            "html",
            "--now",
            NOW,
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let html = stdout(&output);
    assert!(
        html.contains(r#"<div class="watermark" aria-hidden="true">"#),
        "{html}"
    );
    assert!(html.contains(">DRAFT</span></div>"), "{html}");
    assert!(html.contains(&format!(
        r#"<p class="banner-mark" role="note">{DRAFT}</p>"#
    )));
    assert!(html.contains("<title>[DRAFT] "));
    // The approvals section says why it is a draft.
    assert!(html.contains("not approved"), "{html}");
}

#[test]
fn the_built_in_examples_review_page_is_watermarked() {
    let empty = Sandbox::new();
    let output = empty
        .crisis()
        .args([
            "render",
            "disaster-helpline",
            "--set",
            "event=the flood",
            "--set",
            "area=Springfield",
            "--format",
            "html",
            "--now",
            "2026-12-01T00:00:00Z",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let html = stdout(&output);
    assert!(html.contains(">EXAMPLE</span></div>"), "{html}");
    assert!(html.contains("EXAMPLE - a sample catalog with fictional numbers"));
}

#[test]
fn out_writes_the_review_page_as_printed() {
    let out = tempfile::tempdir().unwrap();
    let packet = out.path().join("packet");
    let output = demo(&["--format", "html", "--out", packet.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let written = std::fs::read_to_string(packet.join("review.html")).unwrap();
    assert_eq!(written, stdout(&output));
}
