//! EU cohesion: unanimous decisions and shared awareness hold the Member States together;
//! blocked votes, costs borne unequally, unilateral action and diverging attributions pull them
//! apart.

use crate::attribution::EuAssessment;
use crate::incidents::{Incident, Severity};
use crate::state::Crisis;
use crate::turn::TurnClock;
use bevy::prelude::*;

/// Cohesion lost each story day per unit of divergence between Member States' attribution
/// confidence.
const DIVERGENCE_LOSS: f64 = 0.1;
/// Cohesion gained per unit of shared awareness each story day.
const AWARENESS_GAIN: f64 = 0.02;
/// Share of shared awareness that survives a story day without new sharing.
pub const AWARENESS_RETENTION: f64 = 0.9;

/// Applies the turn's cohesion shift and the pull of diverging attributions.
pub(super) fn update_cohesion(
    clock: Res<TurnClock>,
    mut crisis: ResMut<Crisis>,
    incidents: Query<(&Incident, &Severity, &EuAssessment)>,
    mut unfolding: Local<Vec<(f64, f64)>>,
) {
    // The divergence of a day is the mean over the incidents unfolding that day; over a turn,
    // its average over the turn's days. Every incident unfolds from the start of the turn (or
    // earlier) for its share of the turn, so the set unfolding shrinks as the shares run out.
    unfolding.clear();
    unfolding.extend(
        incidents
            .iter()
            .filter(|(i, _, _)| i.unfolding(clock.turn))
            .map(|(i, _, a)| (i.unfolding_share(clock.turn, &clock.calendar), a.divergence)),
    );
    unfolding.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut divergence = 0.0;
    let mut from = 0.0;
    for k in 0..unfolding.len() {
        let to = unfolding[k].0;
        if to > from {
            let still = &unfolding[k..];
            let mean = still.iter().map(|(_, d)| d).sum::<f64>() / still.len() as f64;
            divergence += (to - from) * mean;
            from = to;
        }
    }
    // The day's drift, over the turn's days (a share, so that a week of it stays below 1); the
    // turn's decisions (`cohesion_shift`) are events and count once.
    let calendar = &clock.calendar;
    let awareness = crisis.shared_awareness * calendar.mean_retained(AWARENESS_RETENTION);
    let drift =
        calendar.share_per_turn(AWARENESS_GAIN * awareness) - calendar.share_per_turn(DIVERGENCE_LOSS * divergence);
    let shift = crisis.cohesion_shift + drift;
    // Gains come harder the more united the Member States already are, losses the more divided.
    let c = crisis.cohesion;
    crisis.cohesion = (c + shift * if shift > 0.0 { 1.0 - c } else { c }).clamp(0.0, 1.0);
    crisis.cohesion_shift = 0.0;
    crisis.shared_awareness *= calendar.retained_per_turn(AWARENESS_RETENTION);
}
