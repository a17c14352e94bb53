//! The EU's shared assessment of an incident: the capability-weighted pool of the Member States'
//! views, as EU INTCEN and the Single Intelligence Analysis Capacity would synthesise it.

use super::{Attribution, leading};
use crate::actors::Roster;
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
    let mut out = Vec::new();
    pool_into(&mut out, &mut Vec::new(), posterior, capability);
    out
}

/// [`pooled`] into `out`, and into `columns` each candidate's probabilities added up over the
/// Member States in protocol order (what the spread of their views is measured from), in the
/// same pass: the additions of each are a chain, and the chains of both run side by side.
fn pool_into(out: &mut Vec<f64>, columns: &mut Vec<f64>, posterior: &super::Attribution, capability: &[f64]) {
    let total: f64 = capability.iter().sum();
    let scale = 1.0 / total.max(f64::MIN_POSITIVE);
    let k = posterior.candidates();
    out.clear();
    out.resize(k, 0.0);
    // The start of a float sum (`Iterator::sum` starts from negative zero).
    columns.clear();
    columns.resize(k, -0.0);
    if k == 0 {
        return;
    }
    let mut weights = capability.iter();
    super::by_width!(k, |k| {
        let (out, columns) = (&mut out[..k], &mut columns[..k]);
        for row in posterior.flat().chunks_exact(k) {
            // Rows past the capabilities are counted in the columns, not pooled, as apart.
            if let Some(w) = weights.next() {
                let w = w * scale;
                for (o, p) in out.iter_mut().zip(row) {
                    *o += p * w;
                }
            }
            for (c, p) in columns.iter_mut().zip(row) {
                *c += p;
            }
        }
    });
}

/// Recomputes the EU assessment of every incident whose national posteriors moved since the
/// last turn (new incidents included): the assessment is a function of the posteriors and the
/// Member States' capabilities alone, which do not change within a run, and most incidents'
/// posteriors stop moving once their forensic analysis is over.
pub(super) fn assess(
    roster: Res<Roster>,
    mut incidents: Query<(&Attribution, &mut EuAssessment), Changed<Attribution>>,
    mut scratch: Local<(Vec<f64>, Vec<f64>)>,
) {
    let (pooled, columns) = &mut *scratch;
    for (attribution, mut assessment) in &mut incidents {
        pool_into(pooled, columns, attribution, &roster.capabilities);
        let (candidate, probability) = leading(pooled);
        let n = attribution.states() as f64;
        let mean = columns.get(candidate).copied().unwrap_or(-0.0) / n;
        let rows = attribution.flat();
        let var = super::by_width!(attribution.candidates().max(1), |k| {
            rows.chunks_exact(k)
                .map(|r| (r[candidate] - mean) * (r[candidate] - mean))
                .sum::<f64>()
        }) / n;
        *assessment = EuAssessment {
            candidate,
            probability,
            divergence: libm::sqrt(var),
        };
    }
}
