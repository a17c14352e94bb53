//! Adversary campaigns surface as incidents of their own: an adversary that is not deterred
//! keeps operating, and its operations hit the most exposed Member States.

use super::{Incident, IncidentCounter, Perpetrator, Severity, Theft};
use crate::actors::{Adversary, Campaign, Exposure, Posture, Roster};
use crate::outcome::{InjectRecord, TurnLog};
use crate::turn::{Stream, Streams, TurnClock};
use bevy::prelude::*;

/// How likely an adversary at full activity and capability is to mount a visible operation in a
/// story day.
const OPERATION_RATE: f64 = 0.6;
/// The ceiling from which an adversary's operations do their full harm (attacks on critical
/// infrastructure); below it, harm scales down with the ceiling.
const HARMFUL_CEILING: f64 = 6.0;

/// Each adversary may mount a follow-on operation, with a probability that grows with its activity.
pub(super) fn surface_operations(
    mut commands: Commands,
    clock: Res<TurnClock>,
    roster: Res<Roster>,
    mut streams: ResMut<Streams>,
    mut counter: ResMut<IncidentCounter>,
    mut log: ResMut<TurnLog>,
    mut adversaries: Query<(&Adversary, &Posture, &mut Campaign)>,
    states: Query<(&Exposure, &crate::actors::MemberState)>,
) {
    // The scenario sets the scene on the first story day; campaigns answer from the second,
    // whatever the turn's length.
    let since_start = clock
        .calendar
        .hours_at(clock.turn)
        .saturating_sub(clock.calendar.hours_at(1));
    // The Member States' exposures, read once an operation surfaces (most turns none does).
    let mut exposure: Option<Vec<f64>> = None;
    // A chance each story day: a turn of `d` days has `round(d)` draws (at least one), each over
    // `d / round(d)` days.
    let days = clock.calendar.days_per_turn();
    let draws = (libm::round(days) as u32).max(1);
    let span = days / f64::from(draws);
    for &entity in &roster.adversaries {
        let Ok((adversary, posture, mut campaign)) = adversaries.get_mut(entity) else {
            continue;
        };
        let daily = OPERATION_RATE * campaign.activity * posture.capability;
        let chance = if span == 1.0 {
            daily
        } else {
            1.0 - libm::pow(1.0 - daily, span)
        };
        for draw in 0..draws {
            let hour = since_start as f64 + f64::from(draw) * span * 24.0;
            if hour < 24.0 {
                continue;
            }
            if streams.uniform(Stream::Operations) >= chance {
                continue;
            }
            let mut weights = exposure
                .get_or_insert_with(|| {
                    roster
                        .member_states
                        .iter()
                        .map(|e| states.get(*e).map_or(0.0, |(x, _)| x.0))
                        .collect()
                })
                .clone();
            let count = 1 + (campaign.activity * 3.0) as usize;
            let mut victims = Vec::with_capacity(count);
            for _ in 0..count.min(weights.len()) {
                if let Some(i) = streams.weighted_index(Stream::Operations, &weights) {
                    victims.push(i);
                    weights[i] = 0.0;
                }
            }
            victims.sort_unstable();
            // Reach (scope, scale, duration) grows with activity and capability; harm (intensity,
            // impact) also with what the campaign is for: an espionage service steals, it does
            // not destroy, so its intensity never passes its ceiling's rung.
            let strength = campaign.activity * posture.capability * 5.0;
            let harm = strength * (posture.ceiling / HARMFUL_CEILING).min(1.0);
            let most_intense = libm::floor(posture.ceiling).clamp(0.0, 5.0);
            let mut dimension = |base: f64, top: f64| {
                let noisy = base + streams.normal(Stream::Operations) * 0.7;
                noisy.round().clamp(0.0, top) as u8
            };
            let severity = Severity([
                dimension(strength * 0.8, 5.0),
                dimension(strength * 0.5 + victims.len() as f64 * 0.5, 5.0),
                dimension(strength * 0.6, 5.0),
                dimension(harm, most_intense),
                dimension(posture.capability * 4.0, 5.0),
                dimension(posture.capability * 4.5, 5.0),
                dimension(harm * 0.9, 5.0),
            ]);
            // An espionage service's operations steal: what they take grows with their reach.
            let theft = if posture.ceiling < 3.0 {
                (strength * 0.8).round().clamp(0.0, 5.0) as u8
            } else {
                0
            };
            counter.0 += 1;
            // Named in full: "HR" reads as the High Representative to a diplomat, not Croatia.
            let names: Vec<&str> = victims
                .iter()
                .map(|v| {
                    let entity = roster.member_states[*v];
                    states.get(entity).map_or(&*roster.codes[*v], |(_, m)| m.name.as_str())
                })
                .collect();
            let id = format!("op-{}", counter.0);
            let title = format!("Further malicious activity against {}", names.join(", "));
            log.injects.push(InjectRecord {
                id: id.clone(),
                title: title.clone(),
            });
            commands.spawn(Incident::bundle(
                counter.0,
                (id, title),
                (severity, Theft(theft)),
                Perpetrator {
                    adversary: adversary.index,
                    false_flag: None,
                },
                victims,
                &clock,
                &roster,
            ));
            campaign.operations += 1;
        }
    }
}
