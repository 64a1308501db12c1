//! `crisis render --format cap`: OASIS CAP 1.2 alerts, checked with xmllint
//! against the CAP 1.2 schema (shared/conformance/cap/, beside the checkout)
//! and queried with XPath as an alerting gateway would read them.

use crate::support::{crisis_in, repo, stdout, Sandbox};
use std::path::{Path, PathBuf};
use std::process::Command;

const NOW: &str = "2026-12-01T12:00:00-08:00";

fn schema() -> PathBuf {
    let path = repo().join("../shared/conformance/cap/CAP-v1.2.xsd");
    assert!(
        path.is_file(),
        "the CAP 1.2 schema is expected beside the checkout at {}",
        path.display()
    );
    path
}

/// Validates `xml` with `xmllint --schema`, as the consumers do.
pub fn assert_valid_cap(xml: &[u8]) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), xml).unwrap();
    let output = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(schema())
        .arg(file.path())
        .output()
        .expect("xmllint (libxml2-utils; .ci/run installs it)");
    assert!(
        output.status.success(),
        "xmllint refused the alert:\n{}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(xml)
    );
    file
}

/// The string value of an XPath over CAP's namespace (`cap:` prefix).
pub fn xpath(file: &Path, path: &str) -> String {
    let query = fix_local_names(&path.replace("cap:", "*[local-name()='"));
    let output = Command::new("xmllint")
        .args(["--xpath", &query])
        .arg(file)
        .output()
        .expect("xmllint");
    let text = String::from_utf8_lossy(&output.stdout);
    text.strip_suffix('\n').unwrap_or(&text).to_owned()
}

/// Closes each `*[local-name()='name` opened by [`xpath`].
fn fix_local_names(query: &str) -> String {
    let mut out = String::new();
    let mut rest = query;
    while let Some(i) = rest.find("*[local-name()='") {
        out.push_str(&rest[..i + 16]);
        rest = &rest[i + 16..];
        let end = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        out.push_str(&rest[..end]);
        out.push_str("']");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `crisis render boil-water-notice` with its example event, at [`NOW`].
fn render_boil(dir: &Path, extra: &[&str]) -> std::process::Output {
    crisis_in(dir)
        .args([
            "render",
            "boil-water-notice",
            "--event",
            "examples/boil-water.json",
        ])
        .args(["--now", NOW])
        .args(extra)
        .output()
        .unwrap()
}

fn render_cap(dir: &Path, extra: &[&str]) -> std::process::Output {
    render_boil(dir, &[&["--format", "cap"], extra].concat())
}

/// The alert `render_cap` prints, rendered without error and valid.
fn rendered_alert(dir: &Path, extra: &[&str]) -> tempfile::NamedTempFile {
    let output = render_cap(dir, extra);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert_valid_cap(&output.stdout)
}

/// A copy of the repository catalog, outside the example mark, with the
/// boil water notice approved by plain (unsigned) records.
fn own_catalog() -> Sandbox {
    let sandbox = Sandbox::new();
    for dir in ["playbooks", "templates", "examples"] {
        std::fs::create_dir_all(sandbox.path().join(dir)).unwrap();
        crate::support::copy_dir(&repo().join(dir), &sandbox.path().join(dir));
    }
    for role in ["communications", "legal", "water-quality"] {
        sandbox
            .crisis()
            .args([
                "approve",
                "boil-water-notice",
                "--role",
                role,
                "--by",
                "A. Person, Lead",
                "--now",
                NOW,
            ])
            .assert()
            .success();
    }
    sandbox
}

#[test]
fn the_boil_water_notice_is_a_valid_cap_alert_in_both_languages() {
    let file = rendered_alert(&repo(), &[]);
    let q = |path: &str| xpath(file.path(), &format!("string({path})"));
    // The example catalog is never an actual alert.
    assert_eq!(q("/cap:alert/cap:status"), "Test");
    assert_eq!(q("/cap:alert/cap:msgType"), "Alert");
    assert_eq!(q("/cap:alert/cap:scope"), "Public");
    assert!(q("/cap:alert/cap:note").starts_with("EXAMPLE"));
    assert_eq!(q("count(/cap:alert/cap:info)"), "2");
    assert_eq!(q("/cap:alert/cap:info[1]/cap:language"), "en-US");
    assert_eq!(q("/cap:alert/cap:info[2]/cap:language"), "es-US");
    // Sent now, in the playbook's zone, whole seconds; expires 72 h later.
    assert_eq!(q("/cap:alert/cap:sent"), "2026-12-01T12:00:00-08:00");
    assert_eq!(
        q("/cap:alert/cap:info[1]/cap:expires"),
        "2026-12-04T12:00:00-08:00"
    );
    assert_eq!(
        q("/cap:alert/cap:info[2]/cap:event"),
        "Aviso de seguridad del agua"
    );
    assert_eq!(
        q("/cap:alert/cap:info[1]/cap:area/cap:areaDesc"),
        "Riverside Medical Center"
    );
    assert_eq!(
        q("/cap:alert/cap:info[1]/cap:web"),
        "https://example.org/water-notice"
    );
    // The approved words, exactly as render prints them for each channel.
    let email = stdout(&render_boil(
        &repo(),
        &[
            "--message",
            "notice-email",
            "--lang",
            "es",
            "--format",
            "json",
        ],
    ));
    let json: serde_json::Value = serde_json::from_str(&email).unwrap();
    assert_eq!(
        q("/cap:alert/cap:info[2]/cap:description"),
        json["messages"][0]["text"].as_str().unwrap()
    );
    let cmam = q("/cap:alert/cap:info[1]/cap:parameter[cap:valueName='CMAMtext']/cap:value");
    assert_eq!(cmam, "Do not drink tap water at Riverside Medical Center");
    assert!(cmam.chars().count() <= 90);
    let long = q("/cap:alert/cap:info[2]/cap:parameter[cap:valueName='CMAMlongtext']/cap:value");
    assert!(
        long.starts_with("Riverside Health: AVISO DE SEGURIDAD DEL AGUA"),
        "{long}"
    );
    assert!(long.chars().count() <= 360);
}

#[test]
fn status_says_actual_test_or_draft_as_the_render_is() {
    let sandbox = own_catalog();
    let status = |extra: &[&str]| {
        let file = rendered_alert(sandbox.path(), extra);
        (
            xpath(file.path(), "string(/cap:alert/cap:status)"),
            xpath(file.path(), "count(/cap:alert/cap:note)"),
        )
    };
    assert_eq!(status(&[]), ("Actual".into(), "0".into()));
    assert_eq!(status(&["--test"]), ("Test".into(), "0".into()));
    // An edit makes the approvals stale: a draft is never actionable.
    let path = sandbox
        .path()
        .join("templates/boil-water-notice/notice-email.en.j2");
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("Throw away", "Discard");
    std::fs::write(&path, edited).unwrap();
    assert_eq!(render_cap(sandbox.path(), &[]).status.code(), Some(1));
    assert_eq!(status(&["--draft"]), ("Draft".into(), "1".into()));
}

#[test]
fn out_writes_the_same_alert_beside_the_messages() {
    let sandbox = own_catalog();
    let printed = render_cap(sandbox.path(), &[]).stdout;
    let output = render_boil(sandbox.path(), &["--out", "packet"]);
    assert_eq!(output.status.code(), Some(0));
    let written = std::fs::read(sandbox.path().join("packet/alert.cap.xml")).unwrap();
    assert_eq!(written, printed);
    assert_valid_cap(&written);
}

#[test]
fn event_values_are_escaped_never_markup() {
    let sandbox = own_catalog();
    let area = "A<b>&\"c\" ]]> 'd'";
    let file = rendered_alert(sandbox.path(), &["--set", &format!("area={area}")]);
    assert_eq!(
        xpath(
            file.path(),
            "string(/cap:alert/cap:info[1]/cap:area/cap:areaDesc)"
        ),
        area
    );
    assert_eq!(xpath(file.path(), "count(//cap:b)"), "0");
}

#[test]
fn a_utc_playbook_writes_utc_as_cap_requires() {
    let sandbox = own_catalog();
    let path = sandbox.path().join("playbooks/boil-water-notice.yaml");
    let utc = std::fs::read_to_string(&path)
        .unwrap()
        .replace("timezone: America/Los_Angeles", "timezone: UTC");
    std::fs::write(&path, utc).unwrap();
    let output = render_cap(sandbox.path(), &["--draft"]);
    let file = assert_valid_cap(&output.stdout);
    assert_eq!(
        xpath(file.path(), "string(/cap:alert/cap:sent)"),
        "2026-12-01T20:00:00-00:00"
    );
}

#[test]
fn a_playbook_without_cap_settings_is_a_usage_error() {
    let output = crisis_in(&repo())
        .args([
            "render",
            "disaster-helpline",
            "--event",
            "examples/derailment.yaml",
            "--now",
            NOW,
        ])
        .args(["--format", "cap"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("has no `cap:` settings"), "{err}");
    assert!(output.stdout.is_empty());
}

#[test]
fn noncharacters_never_reach_an_alert() {
    let sandbox = own_catalog();
    // Refused as an event value, as the reason of an override and as a name.
    let output = render_cap(sandbox.path(), &["--set", "area=Lake\u{FFFF}wood"]);
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("a noncharacter (U+FFFF)"), "{err}");
    let output = sandbox
        .crisis()
        .args([
            "open",
            "boil-water-notice",
            "--event",
            "examples/boil-water.json",
        ])
        .args([
            "--override",
            "tests pending",
            "--by",
            "Sam\u{FFFE}",
            "--now",
            NOW,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    // And by lint, in the words and in the cap: settings.
    let path = sandbox.path().join("playbooks/boil-water-notice.yaml");
    let yaml = std::fs::read_to_string(&path).unwrap();
    for (from, to) in [
        (
            "sender_name: Riverside Health",
            "sender_name: \"River\\uFFFFside\"",
        ),
        (
            "sender: alerts@riverside-health.example.org",
            "sender: \"alerts\\u200B@example.org\"",
        ),
    ] {
        assert!(yaml.contains(from), "{from}");
        std::fs::write(&path, yaml.replace(from, to)).unwrap();
        let output = sandbox
            .crisis()
            .args(["lint", "--now", NOW])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{to}");
        let report = stdout(&output);
        assert!(
            report.contains("CP113") || report.contains("CP501"),
            "{report}"
        );
    }
}

#[test]
fn the_cap_settings_are_approved_words_too() {
    // A pull request that only changes where the alert says it comes from,
    // or how urgent it is, makes every approval stale.
    for (from, to) in [
        (
            "sender: alerts@riverside-health.example.org",
            "sender: alerts@attacker.example.net",
        ),
        ("urgency: Immediate", "urgency: Past"),
    ] {
        let sandbox = own_catalog();
        let path = sandbox.path().join("playbooks/boil-water-notice.yaml");
        let yaml = std::fs::read_to_string(&path).unwrap();
        assert!(yaml.contains(from), "{from}");
        std::fs::write(&path, yaml.replace(from, to)).unwrap();
        let output = render_cap(sandbox.path(), &[]);
        assert_eq!(output.status.code(), Some(1), "{to}");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains("is not approved for use"), "{err}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn an_offset_that_is_not_whole_minutes_is_written_in_utc() {
    // Monrovia kept -00:44:30 until 1972.
    let sandbox = own_catalog();
    let path = sandbox.path().join("playbooks/boil-water-notice.yaml");
    let yaml = std::fs::read_to_string(&path)
        .unwrap()
        .replace("timezone: America/Los_Angeles", "timezone: Africa/Monrovia");
    std::fs::write(&path, yaml).unwrap();
    let output = crisis_in(sandbox.path())
        .args([
            "render",
            "boil-water-notice",
            "--event",
            "examples/boil-water.json",
        ])
        .args([
            "--now",
            "1971-06-01T06:10:00Z",
            "--set",
            "started_at=1971-06-01 05:00",
        ])
        .args([
            "--set",
            "issued_at=1971-06-01 05:10",
            "--format",
            "cap",
            "--draft",
        ])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let file = assert_valid_cap(&output.stdout);
    assert_eq!(
        xpath(file.path(), "string(/cap:alert/cap:sent)"),
        "1971-06-01T06:10:00-00:00"
    );
}
