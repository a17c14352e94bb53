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
    /// and how many proposals of them failed (blocked or not possible).
    pub fn of(success: Option<bool>, adopted: usize, named: usize, failed: usize) -> Self {
        let all = named == 0 || adopted == named;
        let some = adopted > 0 || named == 0;
        match success {
            Some(true) if all && failed == 0 => Rating::Performed,
            Some(true) => Rating::SomeChallenges,
            None if all && failed == 0 => Rating::Performed,
            None if some => Rating::SomeChallenges,
            Some(false) if some => Rating::MajorChallenges,
            _ => Rating::Unable,
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
        assert_eq!(Rating::of(Some(false), 1, 2, 0), Rating::MajorChallenges);
        assert_eq!(Rating::of(Some(false), 0, 2, 2), Rating::Unable);
        assert_eq!(Rating::of(None, 0, 2, 0), Rating::Unable);
    }
}
