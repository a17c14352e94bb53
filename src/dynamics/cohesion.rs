//! EU cohesion: unanimous decisions and shared awareness hold the Member States together;
//! blocked votes, costs borne unequally, unilateral action and diverging attributions pull them
//! apart.

use super::Crisis;
use crate::attribution::EuAssessment;
use crate::incidents::{Incident, Severity};
use crate::turn::TurnClock;
use bevy::prelude::*;

/// Cohesion lost per unit of divergence between Member States' attribution confidence.
const DIVERGENCE_LOSS: f64 = 0.1;
/// Cohesion gained per unit of shared awareness each turn.
const AWARENESS_GAIN: f64 = 0.02;
/// Share of shared awareness that survives a turn without new sharing.
const AWARENESS_RETENTION: f64 = 0.9;

/// Applies the turn's cohesion shift and the pull of diverging attributions.
pub(super) fn update_cohesion(
    clock: Res<TurnClock>,
    mut crisis: ResMut<Crisis>,
    incidents: Query<(&Incident, &Severity, &EuAssessment)>,
) {
    let active: Vec<f64> = incidents
        .iter()
        .filter(|(i, s, _)| clock.turn < i.turn + s.active_turns())
        .map(|(_, _, a)| a.divergence)
        .collect();
    let divergence = if active.is_empty() {
        0.0
    } else {
        active.iter().sum::<f64>() / active.len() as f64
    };
    let shift = crisis.cohesion_shift - DIVERGENCE_LOSS * divergence + AWARENESS_GAIN * crisis.shared_awareness;
    // Gains come harder the more united the Member States already are, losses the more divided.
    let c = crisis.cohesion;
    crisis.cohesion = (c + shift * if shift > 0.0 { 1.0 - c } else { c }).clamp(0.0, 1.0);
    crisis.cohesion_shift = 0.0;
    crisis.shared_awareness *= AWARENESS_RETENTION;
}
