//! The INFLESZ bands: names for ranges of a Spanish ease score.
//!
//! INFLESZ (Barrio-Cantalejo et al., 2008) was validated on health texts
//! for patients with the Szigriszt-Pazos perspicuity score. It is applied
//! here to the Fernández-Huerta ease, a Flesch adaptation on the same 0-100
//! scale that usually scores the same text a few points higher: the band is
//! a guide for writers, not a validated cut-off of this formula.

use std::fmt;

/// A band of the INFLESZ scale, hardest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Band {
    /// Below 40 (muy difícil).
    VeryDifficult,
    /// From 40 to 55 (algo difícil).
    SomewhatDifficult,
    /// From 55 to 65 (normal).
    Normal,
    /// From 65 to 80 (bastante fácil).
    FairlyEasy,
    /// 80 and above (muy fácil).
    VeryEasy,
}

/// Each band, in the order of [`Band`], with the lowest score it takes (a
/// score on a boundary belongs to the easier band), its English and its
/// Spanish name.
const BANDS: [(Band, f64, &str, &str); 5] = [
    (
        Band::VeryDifficult,
        f64::NEG_INFINITY,
        "very difficult",
        "muy difícil",
    ),
    (
        Band::SomewhatDifficult,
        40.0,
        "somewhat difficult",
        "algo difícil",
    ),
    (Band::Normal, 55.0, "normal", "normal"),
    (Band::FairlyEasy, 65.0, "fairly easy", "bastante fácil"),
    (Band::VeryEasy, 80.0, "very easy", "muy fácil"),
];

impl Band {
    /// Every band, hardest first.
    pub const ALL: [Band; 5] = [
        Band::VeryDifficult,
        Band::SomewhatDifficult,
        Band::Normal,
        Band::FairlyEasy,
        Band::VeryEasy,
    ];

    /// The band an ease score falls in.
    pub fn of(ease: f64) -> Band {
        BANDS
            .iter()
            .rev()
            .find(|(_, lowest, _, _)| ease >= *lowest)
            .map_or(Band::VeryDifficult, |(band, _, _, _)| *band)
    }

    fn row(self) -> &'static (Band, f64, &'static str, &'static str) {
        &BANDS[self as usize]
    }

    /// The lowest score in the band (minus infinity for the hardest), such
    /// as 65 for [`Band::FairlyEasy`]: a floor for a text to reach.
    pub fn lower_bound(self) -> f64 {
        self.row().1
    }

    /// The English name, such as "fairly easy".
    pub fn name(self) -> &'static str {
        self.row().2
    }

    /// The name INFLESZ gives it, such as "bastante fácil".
    pub fn spanish_name(self) -> &'static str {
        self.row().3
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_the_order_of_the_enum() {
        for (i, band) in Band::ALL.into_iter().enumerate() {
            assert_eq!(BANDS[i].0, band);
            assert_eq!(band.row().0, band);
        }
    }

    #[test]
    fn a_score_on_a_boundary_belongs_to_the_easier_band() {
        assert_eq!(Band::of(65.0), Band::FairlyEasy);
        assert_eq!(Band::of(64.99), Band::Normal);
        assert_eq!(Band::of(80.0), Band::VeryEasy);
        assert_eq!(Band::of(39.99), Band::VeryDifficult);
        assert_eq!(Band::of(-250.0), Band::VeryDifficult);
        assert_eq!(Band::of(f64::NAN), Band::VeryDifficult);
    }

    #[test]
    fn fairly_easy_starts_at_65() {
        assert_eq!(Band::FairlyEasy.lower_bound(), 65.0);
        assert_eq!(Band::FairlyEasy.to_string(), "fairly easy");
        assert_eq!(Band::FairlyEasy.spanish_name(), "bastante fácil");
        for band in Band::ALL {
            assert_eq!(Band::of(band.lower_bound()), band);
        }
    }
}
