//! Escalation and misperception (docs/model.md, "Dynamics").

use super::Crisis;
use crate::actors::{Beliefs, Campaign, Posture};
use crate::attribution::Attribution;
use crate::incidents::{Incident, Perpetrator, Severity};
use crate::turn::TurnClock;
use bevy::prelude::*;

/// Weight of adversary activity in the escalation target.
const W_ACTIVITY: f64 = 0.55;
/// Weight of the worst active incident's severity.
const W_SEVERITY: f64 = 0.3;
/// Weight of spiral pressure (hostility perceived through distrust).
const W_SPIRAL: f64 = 0.4;
/// Share of the gap to the target closed each story day (scaled by the turn's length).
const ESCALATION_RATE: f64 = 0.5;
/// Escalation level at which the exercise ends early: the crisis is out of the Toolbox's hands.
pub const OUT_OF_CONTROL: f64 = 8.5;
/// Weight of the adversary's misreading of the EU in misperception; the rest is the EU's
/// misreading of who is behind the incidents.
const W_ADVERSARY_MISREADING: f64 = 0.75;

/// Escalation moves (half-way each story day) towards a target set by adversary activity, incident severity and
/// the spiral.
pub(super) fn update_escalation(
    clock: Res<TurnClock>,
    mut crisis: ResMut<Crisis>,
    adversaries: Query<(&Posture, &Beliefs, &Campaign)>,
    incidents: Query<(&Incident, &Severity)>,
) {
    let activity = adversaries
        .iter()
        .map(|(p, _, c)| c.activity * (0.5 + 0.5 * p.capability))
        .fold(0.0, f64::max);
    // Each incident weighs by the share of the turn its technical phase covers.
    let severity = incidents
        .iter()
        .map(|(i, s)| s.level() * i.unfolding_share(clock.turn, &clock.calendar))
        .fold(0.0, f64::max);
    let n = adversaries.iter().len().max(1) as f64;
    let spiral = adversaries
        .iter()
        .map(|(_, b, c)| (1.0 - b.trust) * c.hostility_seen)
        .sum::<f64>()
        / n;
    let target = 9.0 * (W_ACTIVITY * activity + W_SEVERITY * severity + W_SPIRAL * spiral).clamp(0.0, 1.0);
    crisis.escalation += clock.calendar.share_per_turn(ESCALATION_RATE) * (target - crisis.escalation);
    crisis.peak_escalation = crisis.peak_escalation.max(crisis.escalation);
}

/// Misperception: how far the adversaries' trust falls short of the truth (the EU is
/// security-seeking), blended with how much of the Member States' belief sits on the wrong
/// culprit for the incidents still active.
pub(super) fn update_misperception(
    clock: Res<TurnClock>,
    mut crisis: ResMut<Crisis>,
    adversaries: Query<&Beliefs>,
    incidents: Query<(&Incident, &Perpetrator, &Attribution)>,
) {
    let n = adversaries.iter().len().max(1) as f64;
    let adversary_side = adversaries.iter().map(|b| 1.0 - b.trust).sum::<f64>() / n;
    let mut wrong = 0.0;
    let mut count = 0.0;
    for (incident, perpetrator, attribution) in &incidents {
        if !incident.unfolding(clock.turn) {
            continue;
        }
        for row in &attribution.posterior {
            wrong += 1.0 - row[perpetrator.adversary];
            count += 1.0;
        }
    }
    crisis.misperception = if count > 0.0 {
        W_ADVERSARY_MISREADING * adversary_side + (1.0 - W_ADVERSARY_MISREADING) * wrong / count
    } else {
        adversary_side
    };
}
