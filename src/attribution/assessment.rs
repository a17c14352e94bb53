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
pub fn pooled(posterior: &[Vec<f64>], capability: &[f64]) -> Vec<f64> {
    let k = posterior.first().map_or(0, Vec::len);
    let total: f64 = capability.iter().sum();
    let scale = 1.0 / total.max(f64::MIN_POSITIVE);
    let mut out = vec![0.0; k];
    for (row, w) in posterior.iter().zip(capability) {
        let w = w * scale;
        for (o, p) in out.iter_mut().zip(row) {
            *o += p * w;
        }
    }
    out
}

/// Recomputes every incident's EU assessment.
pub(super) fn assess(
    roster: Res<Roster>,
    capabilities: Query<&AttributionCapability>,
    mut incidents: Query<(&Attribution, &mut EuAssessment)>,
) {
    let capability: Vec<f64> = roster
        .member_states
        .iter()
        .map(|e| capabilities.get(*e).map_or(0.0, |c| c.0))
        .collect();
    for (attribution, mut assessment) in &mut incidents {
        let (candidate, probability) = leading(&pooled(&attribution.posterior, &capability));
        let n = attribution.posterior.len() as f64;
        let mean = attribution.posterior.iter().map(|r| r[candidate]).sum::<f64>() / n;
        let var = attribution
            .posterior
            .iter()
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
