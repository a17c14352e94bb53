//! Attribution: each Member State's own judgement of who is behind each incident.
//!
//! Attribution is a sovereign political decision of each Member State, on all-source
//! intelligence (10474/17). Member States' intelligence differs, so their confidence in the same
//! judgement differs; shared situational awareness narrows the gap. Each Member State keeps a
//! posterior over the candidates (every cast adversary, and "another actor") and updates it by
//! Bayes' rule on noisy forensic signals whose accuracy grows with its capability and falls with
//! the attacker's sophistication.

mod assessment;
mod investigation;

/// Runs `$body` with `$k` bound to the width of a posterior row (the number of candidates): a
/// literal for the widths scenarios have (one to five adversaries), the run-time width otherwise.
/// The body is written once; each arm is a copy of it in which the compiler knows the width, so
/// the loops over a row (three or four numbers, for every Member State on every incident every
/// turn) unroll instead of going through a general loop's set-up and remainder. The arithmetic,
/// and its order, is the same in every arm.
macro_rules! by_width {
    ($width:expr, |$k:ident| $body:expr) => {
        match $width {
            2 => {
                let $k: usize = 2;
                $body
            }
            3 => {
                let $k: usize = 3;
                $body
            }
            4 => {
                let $k: usize = 4;
                $body
            }
            5 => {
                let $k: usize = 5;
                $body
            }
            6 => {
                let $k: usize = 6;
                $body
            }
            width => {
                let $k: usize = width;
                $body
            }
        }
    };
}
pub(crate) use by_width;

pub use assessment::{EuAssessment, pooled};
pub use investigation::release_evidence;

use crate::turn::{Tabling, TurnSet};
use bevy::prelude::*;

/// Each Member State's posterior over the candidates for one incident, one row per Member State
/// in protocol order. The rows are stored end to end in one vector: an incident is spawned and
/// despawned in every run of a batch, and one allocation per incident costs less than one per
/// Member State.
#[derive(Component, Debug, Clone)]
pub struct Attribution {
    /// Row after row, `candidates` wide; rows sum to 1; the last candidate is "another actor".
    posterior: Vec<f64>,
    /// Width of a row.
    candidates: usize,
}

impl Attribution {
    /// No evidence yet: every candidate equally likely for every Member State.
    pub fn uniform(states: usize, candidates: usize) -> Self {
        Self {
            posterior: vec![1.0 / candidates.max(1) as f64; states * candidates],
            candidates,
        }
    }

    /// Number of candidates, the width of a row.
    pub fn candidates(&self) -> usize {
        self.candidates
    }

    /// Number of Member States, the number of rows.
    pub fn states(&self) -> usize {
        self.posterior.len().checked_div(self.candidates).unwrap_or(0)
    }

    /// A Member State's posterior.
    pub fn row(&self, state: usize) -> &[f64] {
        &self.posterior[state * self.candidates..(state + 1) * self.candidates]
    }

    /// A Member State's posterior, to update.
    pub fn row_mut(&mut self, state: usize) -> &mut [f64] {
        &mut self.posterior[state * self.candidates..(state + 1) * self.candidates]
    }

    /// Every Member State's posterior, in protocol order.
    pub fn rows(&self) -> std::slice::ChunksExact<'_, f64> {
        self.posterior.chunks_exact(self.candidates.max(1))
    }

    /// Every Member State's posterior, to update.
    pub fn rows_mut(&mut self) -> std::slice::ChunksExactMut<'_, f64> {
        self.posterior.chunks_exact_mut(self.candidates.max(1))
    }

    /// Every row end to end.
    pub fn flat(&self) -> &[f64] {
        &self.posterior
    }

    /// Every row end to end, to update.
    pub fn flat_mut(&mut self) -> &mut [f64] {
        &mut self.posterior
    }

    /// A Member State's leading candidate and its probability.
    pub fn leading(&self, state: usize) -> (usize, f64) {
        leading(self.row(state))
    }
}

/// This turn's forensic signals on one incident: `per_state` candidates named for each Member
/// State in protocol order, each signal weighing `weight` of a day's (a turn of `d` story days
/// brings `round(d)` signals, at least one, each `d / round(d)` of a day's): what information
/// sharing pools. With them, how each Member State reads a signal on this incident, which does
/// not change from turn to turn (capability, sophistication and effort do not).
#[derive(Component, Debug, Clone)]
pub struct Evidence {
    /// The candidates the signals named, Member State after Member State.
    pub signals: Vec<usize>,
    /// Signals per Member State this turn.
    pub per_state: usize,
    /// What each signal weighs, in days' worth of evidence.
    pub weight: f64,
    /// Each Member State's reading of a signal on this incident, in protocol order; empty until
    /// the first signal.
    pub models: Vec<SignalModel>,
}

impl Default for Evidence {
    fn default() -> Self {
        Self {
            signals: Vec::new(),
            per_state: 1,
            weight: 1.0,
            models: Vec::new(),
        }
    }
}

/// How one Member State reads a forensic signal on one incident: the probability that the signal
/// points at the true perpetrator, the log-likelihood of a candidate it names and of one it does
/// not, and the likelihood ratio of a hit to a miss for a signal of the run's weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SignalModel {
    /// Probability that a day's signal names the true perpetrator.
    pub accuracy: f64,
    /// Log-likelihood of the candidate a signal names.
    pub hit: f64,
    /// Log-likelihood of a candidate it does not name.
    pub miss: f64,
    /// Likelihood ratio of a hit to a miss, raised to the signal's weight.
    pub ratio: f64,
}

/// The most probable candidate in a distribution, ties to the lower index.
pub fn leading(distribution: &[f64]) -> (usize, f64) {
    let mut best = (0, f64::MIN);
    for (i, p) in distribution.iter().enumerate() {
        // A selection, not a branch: which candidate leads is a coin toss to the branch
        // predictor, and this runs for every Member State on every incident every turn.
        let ahead = *p > best.1;
        best = (if ahead { i } else { best.0 }, if ahead { *p } else { best.1 });
    }
    best
}

/// The end of attribution in a turn: everything that reads the EU assessment runs after it.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Assessed;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Tabling,
        (
            investigation::investigate,
            investigation::share_information,
            partner_intelligence,
            assessment::assess,
        )
            .chain()
            .in_set(TurnSet::Perception)
            .in_set(Assessed),
    );
}

/// Partners' assessments brought this turn: released intelligence lifts every capital's
/// confidence in the party named (Estonia 2024: the United States' advisory and indictments the
/// same day); a public attribution is recorded on the incident, for the EU to echo or co-sign,
/// and one briefed in confidence for the EU to draft its text for the partners' day.
fn partner_intelligence(
    releases: Res<crate::incidents::PartnerReleases>,
    mut incidents: Query<(
        &crate::incidents::Incident,
        &mut Attribution,
        &mut crate::incidents::PartnerAttributions,
    )>,
) {
    for release in &releases.0 {
        let Some((_, mut attribution, mut notes)) = incidents.iter_mut().find(|(i, ..)| *i.id == *release.incident)
        else {
            continue;
        };
        if release.released > 0.0 {
            release_evidence(&mut attribution, release.names, release.released);
        }
        notes.0.push(crate::incidents::PartnerNote {
            partners: release.partners.clone(),
            names: release.names,
            public: release.public,
        });
    }
}
