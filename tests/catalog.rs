//! Finding the catalog: --catalog, CRISIS_CATALOG, the nearest ancestor
//! holding playbooks/, and the example catalog built into the binary.

use crate::support::{crisis_in, stdout, Sandbox};

/// A clock inside the example catalog's approval period (the real clock
/// would make these tests fail when the fictional approvals lapse).
const CLOCK: &str = "2026-12-01T00:00:00Z";

#[test]
fn the_embedded_catalog_works_from_any_directory() {
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
            "--now",
            CLOCK,
        ])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout(&output).contains("the flood"));
    empty
        .crisis()
        .args(["lint", "--now", CLOCK])
        .assert()
        .success();
}

#[test]
fn the_nearest_ancestor_with_playbooks_is_the_catalog() {
    let sandbox = Sandbox::from_fixture("lint/ok").file("sub/dir/.keep", "");
    let text = stdout(
        &crisis_in(&sandbox.path().join("sub/dir"))
            .arg("list")
            .output()
            .unwrap(),
    );
    assert!(text.contains("helpline"), "{text}");
    assert!(!text.contains("disaster-helpline"), "{text}");
}

#[test]
fn catalog_option_and_environment_variable_choose_the_catalog() {
    let empty = Sandbox::new();
    let catalog = Sandbox::from_fixture("lint/CP003-unknown-key");
    let dir = catalog.path();
    empty
        .crisis()
        .arg("lint")
        .arg("--catalog")
        .arg(dir)
        .assert()
        .code(1);
    empty
        .crisis()
        .arg("--catalog")
        .arg(dir)
        .arg("lint")
        .assert()
        .code(1);
    empty
        .crisis()
        .env("CRISIS_CATALOG", dir)
        .arg("lint")
        .assert()
        .code(1);
}

#[test]
fn a_catalog_option_without_playbooks_is_a_usage_error() {
    let empty = Sandbox::new();
    empty
        .crisis()
        .args(["lint", "--catalog", "."])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("has no playbooks/ folder"));
}
