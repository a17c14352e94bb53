//! Escalation and misperception (docs/model.md, "Dynamics").

use crate::actors::{Beliefs, Campaign, Posture};
use crate::incidents::{Incident, Severity};
use crate::state::Crisis;
use crate::turn::TurnClock;
use bevy::prelude::*;

/// Rungs the spiral adds at most: hostility read of late ([`Campaign::tension`]) through
/// distrust. 3.6 rungs of one turn's acts until model 6, which let the EU's own measures carry
/// the ladder into "cross-domain escalation" and back the week after; in the record the EU's
/// listings and declarations drew denials and counter-sanctions, never a climb of the ladder
/// (model 7).
const SPIRAL_RUNGS: f64 = 1.0;
/// Rungs a quiet, hidden, wide intrusion adds when the Member States cannot tell espionage from
/// preparation for attack (the cybersecurity dilemma, Buchanan 2016); shared awareness dispels it.
const MISREAD_RUNGS: f64 = 1.0;
/// Share of the gap to a higher target closed each story day (scaled by the turn's length): a
/// crisis climbs within days.
const ESCALATION_RATE: f64 = 0.5;
/// Share of the gap to a lower target closed each story day: a crisis eases over weeks, not the
/// day after the last operation (half in about a week). Until model 7 it eased as fast as it
/// climbed, and at weekly turns the ladder's label changed in nearly half the weeks with nothing
/// changing but whether the week saw an operation (practitioner review of model 8); the week
/// after AcidRain read as if the wiper had never been. Calibrated, not measured.
const EASING_RATE: f64 = 0.1;
/// Escalation level at which the exercise ends early: the crisis is out of the Toolbox's hands.
pub const OUT_OF_CONTROL: f64 = 8.5;

/// Escalation moves towards a target on the ladder (half-way each story day up, a tenth of the way
/// down): the higher of the
/// adversaries' own campaigns (activity times the rung each pursues) and the worst unfolding
/// incident (its rung, plus what a misread intrusion adds), raised by the spiral (EU acts read
/// as hostile of late) and by the adversaries' retaliation against EU measures, both bounded
/// and fading.
pub(super) fn update_escalation(
    clock: Res<TurnClock>,
    mut crisis: ResMut<Crisis>,
    adversaries: Query<(&Posture, &Beliefs, &Campaign)>,
    incidents: Query<(&Incident, &Severity)>,
) {
    let campaign = adversaries
        .iter()
        .map(|(p, _, c)| c.activity * p.ceiling)
        .fold(0.0, f64::max);
    // Over a turn of several days, awareness fades from day to day: the mean over the turn.
    let awareness = crisis.shared_awareness * clock.calendar.mean_retained(super::AWARENESS_RETENTION);
    // An incident unfolding in the turn puts the turn at its rung, however short its technical
    // phase: the week a wiper destroys tens of thousands of modems is a week of destructive
    // operations (until model 7 it weighed by the share of the turn its phase covered, and the
    // week of AcidRain read as espionage; model 8).
    let incident = incidents
        .iter()
        .filter(|(i, _)| i.unfolding_share(clock.turn, &clock.calendar) > 0.0)
        .map(|(_, s)| s.rung() + MISREAD_RUNGS * s.ambiguity() * (1.0 - awareness))
        .fold(0.0, f64::max);
    let n = adversaries.iter().len().max(1) as f64;
    let spiral = adversaries
        .iter()
        .map(|(_, b, c)| (1.0 - b.trust) * c.tension)
        .sum::<f64>()
        / n;
    let retaliation: f64 = adversaries.iter().map(|(_, _, c)| c.retaliation).sum();
    let target = (campaign.max(incident) + SPIRAL_RUNGS * spiral + retaliation).clamp(0.0, 9.0);
    let rate = if target > crisis.escalation {
        ESCALATION_RATE
    } else {
        EASING_RATE
    };
    crisis.escalation += clock.calendar.share_per_turn(rate) * (target - crisis.escalation);
    crisis.peak_escalation = crisis.peak_escalation.max(crisis.escalation);
}

/// The adversaries' two readings of the EU, each the mean over the cast: misperception, how far
/// they misread its intent (the EU is security-seeking by construction, so an adversary's distrust
/// is exactly its misreading), and perceived resolve, how far they believe it will impose costs.
/// Deterrence needs the second without the first (Jervis 1976, ch. 3).
pub fn readings<'a>(beliefs: impl Iterator<Item = &'a Beliefs>) -> (f64, f64) {
    let (mut misreading, mut resolve, mut n) = (0.0, 0.0, 0.0);
    for b in beliefs {
        misreading += 1.0 - b.trust;
        resolve += b.resolve;
        n += 1.0;
    }
    if n == 0.0 {
        (0.0, 0.0)
    } else {
        (misreading / n, resolve / n)
    }
}

/// Misperception and perceived resolve at the end of the turn.
pub(super) fn update_readings(mut crisis: ResMut<Crisis>, adversaries: Query<&Beliefs>) {
    (crisis.misperception, crisis.perceived_resolve) = readings(adversaries.iter());
}
