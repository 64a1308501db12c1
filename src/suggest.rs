//! "Did you mean ...?": the closest known name to a misspelt one.

/// The candidate closest to `typed`, if one is close enough to be a likely
/// typo (Jaro-Winkler similarity of at least 0.8).
pub fn did_you_mean<'a>(
    typed: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(typed, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_name_only_when_close() {
        assert_eq!(
            did_you_mean("chanel", ["id", "channel", "template"]),
            Some("channel")
        );
        assert_eq!(did_you_mean("twitter", ["x", "sms", "email"]), None);
    }
}
