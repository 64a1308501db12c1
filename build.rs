//! Puts the English hyphenation dictionary the readability figures use into
//! the build: LibreOffice's `hyph_en_US.dic`, the file Pyphen 0.18.1 reads
//! for the reference figures (textstat 0.7.13). The file comes from the
//! `pyphen-rs` package (used for its data only); it is checked against the
//! digest of Pyphen's copy (line endings normalised, Pyphen's first line
//! naming the encoding left out), so the patterns cannot change unnoticed.

use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// SHA-256 of the dictionary text with `\r` removed.
const EXPECTED_SHA256: &str = "65ec0f1a78c9df743b40fcf710792eb1b7367907c9139f1d7f444cd55894858b";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let path = pyphen_rs::LANGUAGES
        .with(|languages| languages.borrow().get("en_US").map(|p| p.to_string()))
        .expect("the pyphen-rs package carries hyph_en_US.dic");
    let bytes = std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {path}: {err}"));
    let text = String::from_utf8(bytes)
        .expect("hyph_en_US.dic is UTF-8")
        .replace('\r', "");
    let digest: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        digest, EXPECTED_SHA256,
        "{path} is not the hyph_en_US.dic Pyphen 0.18.1 ships"
    );
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("hyph_en_US.dic"), text).expect("OUT_DIR is writable");
}
