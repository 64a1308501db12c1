//! The top-level domains that make a bare `example.gov` a link on X.
//!
//! X (twitter-text) treats text without `http://` as a URL only when it ends
//! in a delegated top-level domain, so the list is data: `tlds.txt` holds the
//! IANA root zone's generic and country-code TLDs (IDN ones in Unicode form),
//! taken from the ICANN section of the Public Suffix List. Refresh it when
//! the root zone grows; nothing else in the crate names a TLD.

use std::collections::HashSet;
use std::sync::OnceLock;

const TLDS: &str = include_str!("tlds.txt");

fn table() -> &'static HashSet<&'static str> {
    static TABLE: OnceLock<HashSet<&'static str>> = OnceLock::new();
    TABLE.get_or_init(|| TLDS.split_whitespace().collect())
}

/// The longest TLD in the table, in characters, so callers can bound the
/// prefixes they try.
pub(crate) fn max_chars() -> usize {
    static MAX: OnceLock<usize> = OnceLock::new();
    *MAX.get_or_init(|| table().iter().map(|t| t.chars().count()).max().unwrap_or(0))
}

/// Whether `name` (any case) is a delegated top-level domain.
pub fn is_tld(name: &str) -> bool {
    if name.is_ascii() {
        table().contains(name.to_ascii_lowercase().as_str())
    } else {
        table().contains(name.to_lowercase().as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_generic_country_and_idn_tlds() {
        assert!(is_tld("gov"));
        assert!(is_tld("COM"));
        assert!(is_tld("de"));
        assert!(is_tld("پاکستان"));
        assert!(!is_tld("notatld"));
        assert!(max_chars() >= 10);
    }
}
