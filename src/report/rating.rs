//! Rating objectives on the scale of the US Homeland Security Exercise and Evaluation Program.

use serde::Serialize;

/// The HSEEP performance ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Rating {
    /// P: performed without challenges.
    Performed,
    /// S: performed with some challenges.
    SomeChallenges,
    /// M: performed with major challenges.
    MajorChallenges,
    /// U: unable to be performed.
    Unable,
}

impl Rating {
    /// The rating's words.
    pub fn label(self) -> &'static str {
        match self {
            Rating::Performed => "Performed without challenges",
            Rating::SomeChallenges => "Performed with some challenges",
            Rating::MajorChallenges => "Performed with major challenges",
            Rating::Unable => "Unable to be performed",
        }
    }

    /// The rating's letter.
    pub fn letter(self) -> char {
        match self {
            Rating::Performed => 'P',
            Rating::SomeChallenges => 'S',
            Rating::MajorChallenges => 'M',
            Rating::Unable => 'U',
        }
    }

    /// Rates an objective from what the run shows: whether its success condition held at the end
    /// (`None` when it has none), how many of its measures were adopted out of how many it names,
    /// and how many proposals of them failed (blocked or not possible). On the HSEEP scale the
    /// first three ratings all mean the objective was achieved, so a condition that did not
    /// hold is U whatever was adopted; achieved without any of the expected measures is M (not
    /// done as planned), with some of them or after failed proposals S. Without a condition
    /// the measures decide: all without a failure P, all after failures S, some M, none U.
    pub fn of(success: Option<bool>, adopted: usize, named: usize, failed: usize) -> Self {
        let all = adopted == named;
        match success {
            Some(false) => Rating::Unable,
            Some(true) if all && failed == 0 => Rating::Performed,
            Some(true) if adopted > 0 || named == 0 => Rating::SomeChallenges,
            Some(true) => Rating::MajorChallenges,
            None if all && failed == 0 => Rating::Performed,
            None if all => Rating::SomeChallenges,
            None if adopted > 0 => Rating::MajorChallenges,
            None => Rating::Unable,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_follow_what_was_achieved() {
        assert_eq!(Rating::of(Some(true), 2, 2, 0), Rating::Performed);
        assert_eq!(Rating::of(Some(true), 1, 2, 1), Rating::SomeChallenges);
        assert_eq!(Rating::of(Some(true), 2, 2, 1), Rating::SomeChallenges);
        // Achieved, but by none of the measures the plan expected: not an S.
        assert_eq!(Rating::of(Some(true), 0, 2, 0), Rating::MajorChallenges);
        // Not achieved is U on the HSEEP scale, whatever was adopted.
        assert_eq!(Rating::of(Some(false), 2, 2, 0), Rating::Unable);
        assert_eq!(Rating::of(Some(false), 0, 2, 2), Rating::Unable);
        assert_eq!(Rating::of(None, 1, 2, 0), Rating::MajorChallenges);
        assert_eq!(Rating::of(None, 0, 2, 0), Rating::Unable);
    }
}
