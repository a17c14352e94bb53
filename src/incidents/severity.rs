//! The seven dimensions of proportionality in the Council's framework: scope, scale, duration,
//! intensity, complexity, sophistication and impact, each scored 0-5 as in the US Cyber Incident
//! Severity Schema.

use crate::scenario::SeverityData;
use bevy::prelude::*;

/// Names of the dimensions, in the Council's order.
pub const DIMENSION_NAMES: [&str; 7] = [
    "scope",
    "scale",
    "duration",
    "intensity",
    "complexity",
    "sophistication",
    "impact",
];

/// Weights of the dimensions in the overall severity: harm (impact, intensity, scale) counts
/// most; complexity and sophistication say more about the attacker than about the harm.
const WEIGHTS: [f64; 7] = [1.0, 1.5, 1.0, 1.5, 0.5, 0.5, 2.0];

/// An incident's seven dimensions.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Severity(pub [u8; 7]);

impl Severity {
    /// Overall severity, 0 to 1: the weighted mean of the dimensions over 5.
    pub fn level(&self) -> f64 {
        let total: f64 = WEIGHTS.iter().sum();
        let sum: f64 = self.0.iter().zip(WEIGHTS).map(|(d, w)| f64::from(*d) * w).sum();
        sum / (5.0 * total)
    }

    /// Sophistication, 0 to 1: how hard forensics will find it.
    pub fn sophistication(&self) -> f64 {
        f64::from(self.0[5]) / 5.0
    }

    /// Story days its technical phase lasts, from its duration dimension (0: a day; 5: six).
    pub fn technical_days(&self) -> u32 {
        1 + u32::from(self.0[2])
    }

    /// Its rung on the escalation ladder, 0 to 6: what it does, not how much it matters. Its
    /// intensity (0 nothing, 1 data taken, 2 disruption, 3 serious disruption, 4 destruction, 5
    /// destruction of critical infrastructure) plus up to one rung for its impact. An espionage
    /// campaign of years can be severe (its economic harm is what a listing answers) and stay on
    /// the espionage rung.
    pub fn rung(&self) -> f64 {
        f64::from(self.0[3]) + f64::from(self.0[6]) / 5.0
    }

    /// How far it could be read as preparation for an attack rather than what it is, 0 to 1: a
    /// hidden (sophistication), wide (scope) intrusion that has not yet done anything (low
    /// intensity). An espionage implant in a network looks like pre-positioning (Buchanan 2016).
    pub fn ambiguity(&self) -> f64 {
        let hidden = f64::from(self.0[5]) / 5.0;
        let wide = f64::from(self.0[0]) / 5.0;
        let quiet = 1.0 - f64::from(self.0[3]) / 5.0;
        hidden * (0.5 + 0.5 * wide) * quiet
    }

    /// Whether it meets the "significant" threshold (3 and above in the US schema).
    pub fn significant(&self) -> bool {
        self.level() >= 0.6
    }
}

impl From<SeverityData> for Severity {
    fn from(data: SeverityData) -> Self {
        Severity(data.dimensions())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_runs_from_zero_to_one() {
        assert_eq!(Severity([0; 7]).level(), 0.0);
        assert_eq!(Severity([5; 7]).level(), 1.0);
        assert!(Severity([0, 0, 0, 0, 5, 5, 0]).level() < Severity([0, 0, 0, 0, 0, 0, 5]).level());
    }
}
