//! Summaries per policy: mean and spread of each measure, and how often each outcome occurred.

use super::RunSummary;
use crate::decisions::Policy;
use crate::outcome::OutcomeKind;
use serde::Serialize;

/// Mean, standard deviation and range of one quantity over runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// Arithmetic mean.
    pub mean: f64,
    /// Standard deviation (population).
    pub sd: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

impl Spread {
    /// The spread of some values; all zeros when there are none.
    pub fn of(values: impl Iterator<Item = f64> + Clone) -> Self {
        let n = values.clone().count();
        if n == 0 {
            return Self {
                mean: 0.0,
                sd: 0.0,
                min: 0.0,
                max: 0.0,
            };
        }
        let mean = values.clone().sum::<f64>() / n as f64;
        let var = values.clone().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
        let (min, max) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        Self {
            mean,
            sd: libm::sqrt(var),
            min,
            max,
        }
    }
}

/// Everything a batch says about one policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyStats {
    /// The policy.
    pub policy: Policy,
    /// Runs played.
    pub runs: usize,
    /// How many runs ended each way, mildest first.
    pub outcomes: Vec<(OutcomeKind, usize)>,
    /// Highest escalation reached.
    pub peak_escalation: Spread,
    /// Escalation at the end.
    pub final_escalation: Spread,
    /// Misperception at the end.
    pub final_misperception: Spread,
    /// The adversaries' perceived resolve of the EU at the end.
    pub final_perceived_resolve: Spread,
    /// Cohesion at the end.
    pub final_cohesion: Spread,
    /// Share of runs in which the EU ended united (cohesion 0.5 or more).
    pub united_share: f64,
}

/// Summarises runs per policy, in the order the policies are given.
pub fn summarise(runs: &[RunSummary], policies: &[Policy]) -> Vec<PolicyStats> {
    policies
        .iter()
        .map(|policy| {
            let mine = runs.iter().filter(|r| r.policy == *policy);
            let n = mine.clone().count();
            PolicyStats {
                policy: *policy,
                runs: n,
                outcomes: OutcomeKind::ALL
                    .iter()
                    .map(|k| (*k, mine.clone().filter(|r| r.outcome == *k).count()))
                    .collect(),
                peak_escalation: Spread::of(mine.clone().map(|r| r.peak_escalation)),
                final_escalation: Spread::of(mine.clone().map(|r| r.final_escalation)),
                final_misperception: Spread::of(mine.clone().map(|r| r.final_misperception)),
                final_perceived_resolve: Spread::of(mine.clone().map(|r| r.final_perceived_resolve)),
                final_cohesion: Spread::of(mine.clone().map(|r| r.final_cohesion)),
                united_share: if n == 0 {
                    0.0
                } else {
                    mine.filter(|r| r.final_cohesion >= 0.5).count() as f64 / n as f64
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_of_known_values() {
        let s = Spread::of([1.0, 2.0, 3.0, 4.0].into_iter());
        assert_eq!(s.mean, 2.5);
        assert!((s.sd - 1.118_033_988_7).abs() < 1e-9);
        assert_eq!((s.min, s.max), (1.0, 4.0));
        assert_eq!(Spread::of(std::iter::empty()).mean, 0.0);
    }
}
