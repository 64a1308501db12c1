//! `crisis readability` through the binary. The worked examples of
//! docs/readability.md are the test data: each row gives the reference's
//! figures (textstat 0.7.13 on its Pyphen path), and the binary must print
//! them. Adding a case is adding a row.

use std::path::Path;

use crate::support::{crisis_in, repo, stderr, stdout, Sandbox};

/// Words, sentences, syllables and the score as printed (two decimals).
#[derive(Debug, PartialEq)]
struct Figures {
    words: u64,
    sentences: u64,
    syllables: u64,
    score: String,
}

struct Example {
    lang: String,
    text: String,
    reference: Figures,
}

fn figures(cells: &[&str]) -> Figures {
    let count = |cell: &str| cell.parse::<u64>().expect("a count in the table");
    Figures {
        words: count(cells[0]),
        sentences: count(cells[1]),
        syllables: count(cells[2]),
        score: cells[3].to_owned(),
    }
}

/// The rows of the worked-examples table.
fn documented_examples() -> Vec<Example> {
    let doc = std::fs::read_to_string(repo().join("docs/readability.md")).expect("the doc");
    let table = doc
        .split("## Worked examples")
        .nth(1)
        .expect("a worked-examples section");
    table
        .lines()
        .filter(|line| line.starts_with("| en |") || line.starts_with("| es |"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            assert_eq!(cells.len(), 6, "six cells in {line}");
            let text = cells[1];
            let text = if text == "(empty)" {
                ""
            } else {
                text.strip_prefix('`')
                    .and_then(|t| t.strip_suffix('`'))
                    .expect("a text in backticks")
            };
            Example {
                lang: cells[0].to_owned(),
                text: text.to_owned(),
                reference: figures(&cells[2..6]),
            }
        })
        .collect()
}

fn measure(lang: &str, text: &str) -> serde_json::Value {
    let args = ["-", "--lang", lang, "--format", "json"];
    let (code, printed, error) = readability_in(&repo(), &args, text);
    assert_eq!(code, Some(0), "{error}");
    serde_json::from_str(&printed).unwrap_or_else(|_| panic!("JSON for {text:?}: {printed}"))
}

fn printed(lang: &str, json: &serde_json::Value) -> Figures {
    let score = if lang == "en" { "grade" } else { "ease" };
    Figures {
        words: json["words"].as_u64().unwrap_or(u64::MAX),
        sentences: json["sentences"].as_u64().unwrap_or(u64::MAX),
        syllables: json["syllables"].as_u64().unwrap_or(u64::MAX),
        score: format!("{:.2}", json[score].as_f64().unwrap_or(f64::NAN)),
    }
}

#[test]
fn every_documented_example_gives_the_reference_figures() {
    let examples = documented_examples();
    for lang in ["en", "es"] {
        let rows = examples.iter().filter(|e| e.lang == lang).count();
        assert!(rows >= 10, "{rows} {lang} examples in docs/readability.md");
    }
    for example in &examples {
        let got = printed(&example.lang, &measure(&example.lang, &example.text));
        assert_eq!(got, example.reference, "{:?}", example.text);
    }
}

#[test]
fn a_phone_number_and_24_7_are_one_word_of_one_syllable_each() {
    // The reference's figures, also in the doc's table.
    let json = measure(
        "en",
        "Call our free helpline, open 24/7, at 1-800-555-0100.",
    );
    assert_eq!(json["words"], 8);
    assert_eq!(json["sentences"], 1);
    assert_eq!(json["syllables"], 8);
    assert_eq!(json["grade"], -0.67);
}

#[test]
fn spanish_prints_ease_and_its_band_in_both_languages() {
    let text = "La Dra. López responderá preguntas en el ayuntamiento el martes.";
    let (code, printed, _) = readability_in(&repo(), &["--lang", "es", text], "");
    assert_eq!(code, Some(0));
    assert_eq!(
        printed,
        "ease: 76.64 (Fernández-Huerta), fairly easy (bastante fácil)\nwords: 10\nsentences: 1\nsyllables: 20\n"
    );
    let json = measure("es", text);
    assert_eq!(json["band"], "fairly easy");
    assert!(json.get("grade").is_none(), "{json}");
}

#[test]
fn json_matches_its_published_schema() {
    // The schema as `crisis schema readability` publishes it.
    let (code, printed, _) = readability_schema();
    assert_eq!(code, Some(0));
    let schema: serde_json::Value = serde_json::from_str(&printed).expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    for (lang, text) in [("en", "Stay indoors."), ("es", "Evacúe ahora."), ("es", "")] {
        let json = measure(lang, text);
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{lang} {text:?}: {errors:?}");
    }
}

fn readability_schema() -> (Option<i32>, String, String) {
    let output = crisis_in(&repo())
        .args(["schema", "readability"])
        .output()
        .unwrap();
    (output.status.code(), stdout(&output), String::new())
}

/// `crisis readability ARGS` in `dir`, reading `stdin`: its exit code,
/// standard output and standard error.
fn readability_in(dir: &Path, args: &[&str], stdin: &str) -> (Option<i32>, String, String) {
    let output = crisis_in(dir)
        .arg("readability")
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    (output.status.code(), stdout(&output), stderr(&output))
}

#[test]
fn a_file_and_standard_input_give_the_same_figures() {
    let text = "Keep windows and doors closed until the smoke clears! Turn off fans that bring in outside air.\n";
    let sandbox = Sandbox::new().file("notice.txt", text);
    let from_file = readability_in(
        sandbox.path(),
        &["--file", "notice.txt", "--lang", "en"],
        "",
    );
    let from_stdin = readability_in(sandbox.path(), &["-", "--lang", "en"], text);
    assert_eq!(from_file.0, Some(0));
    assert_eq!(from_file, from_stdin);
    assert!(from_file.1.starts_with("grade: 1.61 "), "{}", from_file.1);
}

#[test]
fn a_text_of_1_mib_is_measured_and_one_byte_more_is_refused() {
    let limit = crisis::limits::MAX_TEXT_BYTES as usize;
    let at_limit = "a".repeat(limit);
    let over = format!("{at_limit}a");
    let sandbox = Sandbox::new()
        .file("at-limit.txt", &at_limit)
        .file("over.txt", &over);
    let dir = sandbox.path();
    let (code, printed, error) =
        readability_in(dir, &["--file", "at-limit.txt", "--lang", "en"], "");
    assert_eq!(code, Some(0), "{error}");
    assert!(printed.contains("words: 1\n"), "{printed}");
    let (code, _, error) = readability_in(dir, &["-", "--lang", "en"], &at_limit);
    assert_eq!(code, Some(0), "{error}");
    let (code, _, error) = readability_in(dir, &["--file", "over.txt", "--lang", "en"], "");
    assert_eq!(code, Some(2));
    assert!(error.contains("over.txt is larger than 1 MiB"), "{error}");
    let (code, _, error) = readability_in(dir, &["-", "--lang", "en"], &over);
    assert_eq!(code, Some(2));
    assert!(
        error.contains("standard input is larger than 1 MiB"),
        "{error}"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_refused_naming_it() {
    let sandbox = Sandbox::new();
    let latin1 = b"Agua potable en la biblioteca: s\xed.";
    std::fs::write(sandbox.path().join("latin1.txt"), latin1).expect("written");
    let args = ["--file", "latin1.txt", "--lang", "es"];
    let (code, _, error) = readability_in(sandbox.path(), &args, "");
    assert_eq!(code, Some(2));
    assert!(error.contains("latin1.txt is not UTF-8 text"), "{error}");
    assert!(error.contains("save it as UTF-8"), "{error}");
}

#[test]
fn usage_errors_exit_2_and_say_what_to_do() {
    for (args, says) in [
        (&["Stay indoors."][..], "--lang <LANG>"),
        (
            &["--lang", "en"],
            "no text to measure: give it as an argument",
        ),
        (
            &["--lang", "fr", "Restez chez vous."],
            "possible values: en, es",
        ),
        (
            &["--lang", "en", "--file", "missing.txt"],
            "cannot read the text missing.txt",
        ),
        (
            &["--lang", "en", "--file", "tests"],
            "give the path of a file",
        ),
    ] {
        let (code, _, error) = readability_in(&repo(), args, "");
        assert_eq!(code, Some(2), "{args:?}: {error}");
        assert!(error.contains(says), "{args:?}: {error}");
    }
}
