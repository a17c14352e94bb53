//! The EU's shared assessment of an incident: the capability-weighted pool of the Member States'
//! views, as EU INTCEN and the Single Intelligence Analysis Capacity would synthesise it.

use super::{Attribution, leading};
use crate::actors::{AttributionCapability, Roster};
use crate::toolbox::Confidence;
use bevy::prelude::*;

/// The EU's shared judgement on one incident.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct EuAssessment {
    /// Leading candidate (an adversary index, or the last index for "another actor").
    pub candidate: usize,
    /// Its pooled probability.
    pub probability: f64,
    /// Spread of the Member States' confidence in that candidate (standard deviation): how far
    /// apart the capitals are.
    pub divergence: f64,
}

impl EuAssessment {
    /// Before any evidence: "another actor" at chance.
    pub fn unknown(candidates: usize) -> Self {
        Self {
            candidate: candidates - 1,
            probability: 1.0 / candidates as f64,
            divergence: 0.0,
        }
    }

    /// The estimative band.
    pub fn confidence(&self) -> Confidence {
        Confidence::of(self.probability)
    }
}

/// Capability-weighted mean of the Member States' posteriors.
pub fn pooled(posterior: &super::Attribution, capability: &[f64]) -> Vec<f64> {
    let total: f64 = capability.iter().sum();
    let scale = 1.0 / total.max(f64::MIN_POSITIVE);
    let mut out = vec![0.0; posterior.candidates()];
    for (row, w) in posterior.rows().zip(capability) {
        let w = w * scale;
        for (o, p) in out.iter_mut().zip(row) {
            *o += p * w;
        }
    }
    out
}

/// Recomputes the EU assessment of every incident whose national posteriors moved since the
/// last turn (new incidents included): the assessment is a function of the posteriors and the
/// Member States' capabilities alone, which do not change within a run, and most incidents'
/// posteriors stop moving once their forensic analysis is over.
pub(super) fn assess(
    roster: Res<Roster>,
    capabilities: Query<&AttributionCapability>,
    mut incidents: Query<(&Attribution, &mut EuAssessment), Changed<Attribution>>,
) {
    if incidents.is_empty() {
        return;
    }
    let capability: Vec<f64> = roster
        .member_states
        .iter()
        .map(|e| capabilities.get(*e).map_or(0.0, |c| c.0))
        .collect();
    for (attribution, mut assessment) in &mut incidents {
        let (candidate, probability) = leading(&pooled(attribution, &capability));
        let n = attribution.states() as f64;
        let mean = attribution.rows().map(|r| r[candidate]).sum::<f64>() / n;
        let var = attribution
            .rows()
            .map(|r| (r[candidate] - mean) * (r[candidate] - mean))
            .sum::<f64>()
            / n;
        *assessment = EuAssessment {
            candidate,
            probability,
            divergence: libm::sqrt(var),
        };
    }
}
