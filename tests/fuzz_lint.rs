//! The promise lint makes, checked on generated playbooks: whenever lint
//! finds no error, render with the example values succeeds and every
//! message fits its channel. And no template, however odd, makes lint or
//! render panic.

use proptest::prelude::*;

use crisis::catalog::{Catalog, CatalogPath};
use crisis::event::{Origin, RawEvent};

/// Pieces templates are made of: plain words, fields, filters (allowed and
/// not), loops, conditions, date formats that work and that do not, and
/// characters that cost more on some channels.
const PIECES: &[&str] = &[
    "Call ",
    "now. ",
    "{{ phone }}",
    "{{ area }}",
    "{{ area | upper }}",
    "{{ area | title }}",
    "{{ area[:3] }}",
    "{{ area ~ area }}",
    "{{ area | replace(\"a\", \"aa\") }}",
    "{% if place %} at {{ place }}{% endif %}",
    "{% if place %}{% else %} see the website{% endif %}",
    "{{ place }}",
    "{{ place | default(\"the hall\") }}",
    "{{ started_at | datetime(\"%H:%M\") }}",
    "{{ started_at | datetime(\"%Q\") }}",
    "{{ when | datetime(\"%A %-d %B\") }}",
    "{{ started_at | at_time }}",
    "{{ when | at_time(\"12h\") }}",
    "{{ area | at_time }}",
    "{{ when }}",
    "{% for c in area %}{{ c }}{% endfor %}",
    "{% for c in area %}{% for d in area %}{{ d }}{% endfor %}{% endfor %}",
    "{{ area | nosuch }}",
    "{{ area | int }}",
    "{{ nothing }}",
    "{% set x = 1 %}",
    "{{ 1 / 0 }}",
    "{{ lang }}",
    "é",
    "中",
    "€",
    "’",
    "\n",
    "{{ phone",
];

const CHANNELS: &[&str] = &["x", "sms", "web", "facebook", "mastodon", "bluesky"];

fn template() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..8).prop_map(|p| p.concat())
}

fn playbook(channel: &str, area_len: usize, place_len: usize) -> String {
    format!(
        "id: generated
title: Generated
version: 1
owner: Test <t@example.org>
languages: [en]
target: 1h
timezone: America/Los_Angeles
fields:
  area: {{ type: text, max_len: {area_len}, example: \"Springfield\" }}
  place: {{ type: text, required: false, max_len: {place_len}, example: \"City Hall\" }}
  when: {{ type: datetime, required: false, example: \"2026-12-01 09:00\" }}
  phone: {{ type: phone, default: \"1-800-555-0100\" }}
messages:
  - id: announce
    channel: {channel}
    template: generated/announce.{{lang}}.j2
signoff:
  - {{ role: Lead, confirm: Checked }}
"
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn whatever_lint_passes_renders_and_fits(
        text in template(),
        channel in prop::sample::select(CHANNELS),
        area_len in 11usize..120,
        place_len in 9usize..60,
    ) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("playbooks")).unwrap();
        std::fs::create_dir_all(dir.path().join("templates/generated")).unwrap();
        std::fs::write(dir.path().join("playbooks/generated.yaml"), playbook(channel, area_len, place_len)).unwrap();
        std::fs::write(dir.path().join("templates/generated/announce.en.j2"), &text).unwrap();
        let catalog = Catalog::at(dir.path(), dir.path());
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-01T12:00:00Z").unwrap().with_timezone(&chrono::Utc);
        let options = crisis::lint::Options { now, expiring_within_days: 30 };
        let report = crisis::lint::lint(&catalog, &options, &[]).unwrap();
        if report.errors() > 0 {
            return Ok(());
        }
        let rel = CatalogPath::new("playbooks/generated.yaml").unwrap();
        let loaded = crisis::load::load_playbook(&catalog, &rel).map_err(|_| TestCaseError::fail("lint passed a playbook that does not load"))?;
        let channels = crisis::load::load_settings(&catalog).channels;
        // The example values, as the person on duty would type them, with
        // and without the optional fields.
        for with_optional in [true, false] {
            let mut raw = RawEvent::default();
            raw.set("area", "Springfield".to_owned(), Origin::Set);
            if with_optional {
                raw.set("place", "City Hall".to_owned(), Origin::Set);
                raw.set("when", "2026-12-01 09:00".to_owned(), Origin::Set);
            }
            let event = crisis::event::resolve(&loaded.playbook, &raw, now)
                .map_err(|p| TestCaseError::fail(format!("example values refused: {p:?}")))?;
            let rendering = crisis::render::render(&catalog, &channels, &loaded, event, &[], now)
                .map_err(|e| TestCaseError::fail(format!("lint passed but render failed on {text:?} ({channel}): {e:#}")))?;
            prop_assert!(rendering.all_fit(), "lint passed but a message does not fit: {text:?} on {channel}");
            for message in &rendering.messages {
                prop_assert!(!message.text.to_lowercase().contains("none"), "{:?}", message.text);
            }
        }
    }

    #[test]
    fn no_template_text_makes_lint_panic(text in ".{0,200}") {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("playbooks")).unwrap();
        std::fs::create_dir_all(dir.path().join("templates/generated")).unwrap();
        std::fs::write(dir.path().join("playbooks/generated.yaml"), playbook("x", 20, 20)).unwrap();
        std::fs::write(dir.path().join("templates/generated/announce.en.j2"), &text).unwrap();
        let catalog = Catalog::at(dir.path(), dir.path());
        let options = crisis::lint::Options { now: chrono::Utc::now(), expiring_within_days: 30 };
        crisis::lint::lint(&catalog, &options, &[]).unwrap();
    }

    #[test]
    fn no_playbook_text_makes_the_loader_panic(text in "(?s).{0,300}") {
        let _ = crisis::load::parse_model::<crisis::playbook::Playbook>(&text, "p.yaml");
    }
}
