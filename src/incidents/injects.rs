//! Firing the scenario's injects: on their due turn (with seeded jitter), after another inject,
//! when their condition holds, at most one per group of alternatives, and from the pool when the
//! facilitator says.

use super::{Incident, IncidentCounter, Perpetrator, Severity};
use crate::actors::{Campaign, Posture, Roster};
use crate::attribution::{Attribution, EuAssessment};
use crate::decisions::History;
use crate::outcome::{InjectRecord, TurnLog};
use crate::scenario::{AttributionFacts, Facts, Inject, Scenario, When, holds, parse_offset};
use crate::state::Crisis;
use crate::state::ScenarioRes;
use crate::turn::{Stream, Streams, TurnClock};
use bevy::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Where each scheduled inject stands, in file order.
#[derive(Resource, Debug, Clone, Default)]
pub struct InjectBook {
    /// Turn each scheduled inject is due, once known (after jitter).
    pub due: Vec<Option<u32>>,
    /// Turn each scheduled inject fired, if it has.
    pub fired: Vec<Option<u32>>,
    /// Whether another inject of its group fired first.
    pub cancelled: Vec<bool>,
    /// Ids of every inject fired so far, pool included.
    pub fired_ids: BTreeSet<String>,
}

impl InjectBook {
    /// Sets the due turn of every inject timed from the start, drawing its jitter.
    pub fn new(scenario: &Scenario, streams: &mut Streams) -> Self {
        let n = scenario.injects.len();
        let mut book = Self {
            due: vec![None; n],
            fired: vec![None; n],
            cancelled: vec![false; n],
            ..default()
        };
        let calendar = crate::scenario::Calendar::of(scenario);
        for (i, inject) in scenario.injects.iter().enumerate() {
            let base = match &inject.at {
                Some(When::Turn(t)) => Some(u64::from(*t)),
                Some(When::Offset(text)) => parse_offset(text).ok().map(|o| calendar.turn_at(o.total_hours())),
                Some(When::After { .. }) | None => None,
            };
            book.due[i] = base.map(|b| saturate(b + jitter(streams, inject)));
        }
        book
    }
}

fn saturate(turn: u64) -> u32 {
    u32::try_from(turn).unwrap_or(u32::MAX)
}

/// Seeded delay of 0 to `jitter` turns.
fn jitter(streams: &mut Streams, inject: &Inject) -> u64 {
    if inject.jitter == 0 {
        return 0;
    }
    // In floating point: a jitter of u32::MAX turns (the checker only warns) must not overflow.
    let draw = streams.uniform(Stream::Injects) * (f64::from(inject.jitter) + 1.0);
    (draw as u64).min(u64::from(inject.jitter))
}

/// Sets the due turn of every inject that follows `leader`, now that it has fired.
fn start_followers(
    scenario: &Scenario,
    calendar: &crate::scenario::Calendar,
    leader: &str,
    turn: u32,
    book: &mut InjectBook,
    streams: &mut Streams,
) {
    for (j, follower) in scenario.injects.iter().enumerate() {
        if let Some(When::After { inject, delay }) = &follower.at
            && inject == leader
            && book.due[j].is_none()
        {
            // The delay runs on the story's calendar: across a phase's gap it ends after it.
            let wait = parse_offset(delay).map_or(0, |o| {
                calendar
                    .turn_at(calendar.hours_at(turn) + o.total_hours())
                    .saturating_sub(u64::from(turn))
            });
            book.due[j] = Some(saturate(u64::from(turn) + wait + jitter(streams, follower)));
        }
    }
}

/// Pool injects the facilitator fires, by turn.
#[derive(Resource, Debug, Clone, Default)]
pub struct FacilitatorFires(pub BTreeMap<u32, Vec<String>>);

/// Changes the facilitator makes to adversaries' campaigns, by turn: applied first thing in the
/// turn, before any inject, so that they steer what follows exactly as a scripted shift would.
#[derive(Resource, Debug, Clone, Default)]
pub struct FacilitatorShifts(pub BTreeMap<u32, Vec<crate::scenario::PostureShift>>);

/// What conditions see at the start of this turn.
fn gather(
    clock: &TurnClock,
    crisis: &Crisis,
    history: &History,
    book: &InjectBook,
    incidents: &Query<(&Incident, &Attribution, &EuAssessment)>,
) -> Facts {
    let mut attribution = BTreeMap::new();
    for (incident, posterior, assessment) in incidents {
        let national = (0..posterior.states()).map(|s| posterior.leading(s).1);
        let (most, least) = national.fold((0.0_f64, 1.0_f64), |(hi, lo), p| (hi.max(p), lo.min(p)));
        attribution.insert(
            incident.id.to_string(),
            AttributionFacts {
                eu: assessment.probability,
                most_confident: most,
                least_confident: least,
            },
        );
    }
    Facts {
        turn: clock.turn,
        escalation: crisis.escalation,
        misperception: crisis.misperception,
        perceived_resolve: crisis.perceived_resolve,
        cohesion: crisis.cohesion,
        measures: history.adopted.values().flatten().cloned().collect(),
        opened: history.opened.clone(),
        measures_on: history
            .adopted
            .iter()
            .flat_map(|(incident, measures)| measures.iter().map(move |m| (incident.clone(), m.clone())))
            .collect(),
        fired: book.fired_ids.clone(),
        attribution,
    }
}

/// Fires every inject due this turn whose condition holds, then the facilitator's pool injects.
pub(super) fn fire_injects(
    mut commands: Commands,
    clock: Res<TurnClock>,
    scenario: Res<ScenarioRes>,
    roster: Res<Roster>,
    crisis: Res<Crisis>,
    history: Res<History>,
    facilitator: Res<FacilitatorFires>,
    shifts: Res<FacilitatorShifts>,
    mut book: ResMut<InjectBook>,
    mut streams: ResMut<Streams>,
    mut counter: ResMut<IncidentCounter>,
    mut log: ResMut<TurnLog>,
    mut releases: ResMut<super::PartnerReleases>,
    mut adversaries: Query<(&mut Campaign, &mut Posture)>,
    incidents: Query<(&Incident, &Attribution, &EuAssessment)>,
) {
    let scenario = &scenario.0;
    releases.0.clear();
    for shift in shifts.0.get(&clock.turn).into_iter().flatten() {
        shift_posture(shift, &roster, &mut adversaries);
    }
    // Conditions are rare; the facts they read are gathered only when one must be evaluated.
    let mut facts: Option<Facts> = None;
    let mut firing: Vec<&Inject> = Vec::new();
    // Repeat until nothing more fires: an inject may trigger another in the same turn.
    loop {
        let mut fired_now = false;
        for (i, inject) in scenario.injects.iter().enumerate() {
            let ready = book.fired[i].is_none()
                && !book.cancelled[i]
                && book.due[i].is_some_and(|d| d <= clock.turn)
                && inject.when.as_ref().is_none_or(|c| {
                    holds(
                        c,
                        facts.get_or_insert_with(|| gather(&clock, &crisis, &history, &book, &incidents)),
                    )
                });
            if !ready {
                continue;
            }
            book.fired[i] = Some(clock.turn);
            book.fired_ids.insert(inject.id.clone());
            if let Some(f) = facts.as_mut() {
                f.fired.insert(inject.id.clone());
            }
            fired_now = true;
            firing.push(inject);
            if let Some(group) = &inject.group {
                for (j, other) in scenario.injects.iter().enumerate() {
                    if j != i && other.group.as_ref() == Some(group) && book.fired[j].is_none() {
                        book.cancelled[j] = true;
                    }
                }
            }
            start_followers(
                scenario,
                &clock.calendar,
                &inject.id,
                clock.turn,
                &mut book,
                &mut streams,
            );
        }
        // The facilitator's pool injects fire first thing, so their followers can fire this turn.
        for id in facilitator.0.get(&clock.turn).into_iter().flatten() {
            if let Some(inject) = scenario.pool.iter().find(|p| &p.id == id)
                && book.fired_ids.insert(inject.id.clone())
            {
                if let Some(f) = facts.as_mut() {
                    f.fired.insert(inject.id.clone());
                }
                firing.push(inject);
                fired_now = true;
                start_followers(
                    scenario,
                    &clock.calendar,
                    &inject.id,
                    clock.turn,
                    &mut book,
                    &mut streams,
                );
            }
        }
        if !fired_now {
            break;
        }
    }
    for inject in firing {
        log.injects.push(InjectRecord {
            id: inject.id.clone(),
            title: inject.title.clone(),
        });
        if let Some(spec) = &inject.incident {
            let Some(adversary) = roster.adversary_index(&spec.perpetrator) else {
                continue;
            };
            let victims: Vec<usize> = spec.victims.iter().filter_map(|v| roster.state_index(v)).collect();
            counter.0 += 1;
            commands.spawn(Incident::bundle(
                counter.0,
                (inject.id.clone(), inject.title.clone()),
                (Severity::from(spec.severity), super::Theft(spec.theft.min(5))),
                Perpetrator {
                    adversary,
                    false_flag: spec.false_flag.as_ref().and_then(|f| roster.adversary_index(f)),
                },
                victims,
                &clock,
                &roster,
            ));
            if let Ok((mut campaign, _)) = adversaries.get_mut(roster.adversaries[adversary]) {
                campaign.operations += 1;
            }
        }
        if let Some(shift) = &inject.posture {
            shift_posture(shift, &roster, &mut adversaries);
        }
        // Partners' assessments are taken in by attribution, after this turn's incidents exist.
        if let Some(assessment) = &inject.assessment
            && let Some(names) = roster.adversary_index(&assessment.names)
        {
            releases.0.push(super::PartnerRelease {
                incident: assessment.incident.clone(),
                partners: inject
                    .partners
                    .iter()
                    .map(|c| roster.partner_names.get(c).cloned().unwrap_or_else(|| c.clone()))
                    .collect(),
                names,
                released: assessment.released,
                public: assessment.public,
            });
        }
    }
}

/// Moves an adversary's campaign intensity (and the level it rests at) and its intent, within 0
/// to 1.
fn shift_posture(
    shift: &crate::scenario::PostureShift,
    roster: &Roster,
    adversaries: &mut Query<(&mut Campaign, &mut Posture)>,
) {
    if let Some(index) = roster.adversary_index(&shift.adversary)
        && let Ok((mut campaign, mut posture)) = adversaries.get_mut(roster.adversaries[index])
    {
        crate::adversary::step_campaign(&mut campaign, &posture, shift.activity);
        posture.intent = (posture.intent + shift.intent).clamp(0.0, 1.0);
    }
}
