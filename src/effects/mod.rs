//! Effects: when a measure's lead time runs out, it acts on the adversary's beliefs and costs,
//! on the confidence-building channels, on shared awareness, on resilience and on cohesion.
//!
//! The adversary who truly did it hears a general statement as meant for it. A measure that names
//! the wrong party emboldens the real perpetrator and reads as hostile to the one wrongly named
//! (Baliga, Bueno de Mesquita and Wolitzky, 2020: punishing the wrong party weakens deterrence).

mod perception;
mod reaction;

pub use perception::{PerceptionParams, logistic, logit, perceive, reassure, trust_ceiling};
pub use reaction::RETALIATION_CEILING;
use reaction::{Provocation, react};

use crate::actors::{Attitudes, Beliefs, Campaign, Channel, Exposure, Posture, Roster};
use crate::council::PendingMeasures;
use crate::incidents::{Incident, Perpetrator};
use crate::outcome::TurnLog;
use crate::state::Crisis;
use crate::toolbox::{Kind, Toolbox};
use crate::turn::{Deciding, Streams, TurnClock, TurnSet};
use bevy::prelude::*;

/// Credibility of a signal that names nobody: the adversary knows what it did but not how much
/// the EU knows.
const UNNAMED_CREDIBILITY: f64 = 0.6;
/// How much a wrongly aimed measure lowers the real perpetrator's belief in EU resolve.
const MISATTRIBUTION_EMBOLDENING: f64 = 0.15;
/// How much more hostile a false accusation looks than a justified one.
const FALSE_ACCUSATION_HOSTILITY: f64 = 2.5;
/// Cohesion lost per unit of cost borne by Member States with economic ties to the target.
const COST_COHESION_LOSS: f64 = 0.2;
/// Cohesion lost when one Member State acts alone.
const UNILATERAL_COHESION_LOSS: f64 = 0.02;
/// Share of a measure's signal of resolve that reaches the State sheltering the perpetrator; a
/// cooperative measure (a démarche: "activity is coming from your territory, act on it", UN GGE
/// norm (c)) is addressed to that State and reaches it whole.
const SPONSOR_SHARE: f64 = 0.5;
/// The signal (resolve times credibility and unity, plus punishment) that addresses a campaign in
/// full: a unanimous declaration naming the State, or a listing. An unnamed statement addresses
/// it in part, and only for a while (`Campaign::addressed` fades).
const ADDRESSING_SIGNAL: f64 = 0.3;
/// Share of an answer's signal that stays on the record once its news has faded: the EU's
/// position on a campaign, said once, is what the adversary's later operations are read against
/// (the EU did not repeat its declarations of 2021 and 2022 on every further intrusion).
pub const ON_RECORD_SHARE: f64 = 0.5;
/// Credibility a co-signed attribution gains with three partners or more (a coordinated
/// attribution day: 19 July 2021, the EU, NATO, the United States, the United Kingdom, Japan).
const COSIGNED_CREDIBILITY: f64 = 0.3;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Deciding, apply_due_measures.in_set(TurnSet::Effects));
}

/// Applies every pending measure whose lead time has run out, in order of decision.
fn apply_due_measures(
    clock: Res<TurnClock>,
    toolbox: Res<Toolbox>,
    roster: Res<Roster>,
    mut pending: ResMut<PendingMeasures>,
    mut log: ResMut<TurnLog>,
    mut crisis: ResMut<Crisis>,
    mut streams: ResMut<Streams>,
    mut incidents: Query<(&Incident, &Perpetrator, &mut crate::attribution::Attribution)>,
    mut adversaries: Query<(
        &crate::actors::Adversary,
        &Posture,
        &mut Beliefs,
        &mut Campaign,
        &mut Channel,
    )>,
    mut states: Query<(&mut Exposure, &Attitudes)>,
    mut history: ResMut<crate::decisions::History>,
) {
    // Most turns nothing takes effect: nothing to prepare.
    if !pending.0.iter().any(|p| p.due <= clock.turn) {
        return;
    }
    let sponsor: Vec<Option<usize>> = roster
        .adversaries
        .iter()
        .map(|e| adversaries.get(*e).ok().and_then(|(x, ..)| x.sponsor))
        .collect();
    let sponsor_of = |a: usize| sponsor.get(a).copied().flatten();
    // Each adversary's Member States' mean ties: what its counter-sanctions cost them. One pass
    // over the Member States adds up every adversary's ties, each sum in protocol order and from
    // negative zero, as `Iterator::sum` adds.
    let mut mean_ties = vec![-0.0; roster.adversaries.len()];
    for (_, attitudes) in roster.member_states.iter().filter_map(|e| states.get(*e).ok()) {
        for (a, sum) in mean_ties.iter_mut().enumerate() {
            *sum += attitudes.ties[a];
        }
    }
    let members = roster.member_states.len().max(1) as f64;
    mean_ties.iter_mut().for_each(|ties| *ties /= members);
    let (due, later): (Vec<_>, Vec<_>) = pending.0.drain(..).partition(|p| p.due <= clock.turn);
    pending.0 = later;
    let n_adversaries = roster.adversaries.len();
    let today = clock.calendar.midday_of(clock.turn);
    for measure_taken in due {
        let measure = toolbox.get(measure_taken.measure);
        let e = measure.effects;
        // Evidence made public (an indictment, a takedown's seized servers) reaches every
        // capital: their confidence in the party it names rises.
        if e.evidence > 0.0
            && let Some(named) = measure_taken.named
            && let Some(id) = &measure_taken.incident
            && let Some((_, _, mut attribution)) = incidents.iter_mut().find(|(i, ..)| *i.id == **id)
        {
            crate::attribution::release_evidence(&mut attribution, named, e.evidence);
        }
        let incident = measure_taken
            .incident
            .as_ref()
            .and_then(|id| incidents.iter().find(|(i, ..)| *i.id == **id))
            .map(|(i, p, _)| (i, p));
        // Who hears it: the true perpetrator of the incident, or every adversary when it answers none.
        let recipients: Vec<(usize, f64)> = match incident {
            Some((_, perpetrator)) => vec![(perpetrator.adversary, 1.0)],
            None => (0..n_adversaries).map(|a| (a, 1.0 / n_adversaries as f64)).collect(),
        };
        let params = PerceptionParams {
            provocation: e.provocation,
            disproportion: measure_taken.disproportion,
            reassurance: e.reassurance,
            resolve: e.resolve,
            ambiguity: 0.0,
            hostility_factor: 1.0,
        };
        for (adversary, weight) in recipients {
            // Naming the State that shelters a group is naming who answers for it, not a mistake.
            let wrongly_named = measure_taken
                .named
                .filter(|named| *named != adversary && Some(*named) != sponsor_of(adversary));
            let Ok((who, posture, mut beliefs, mut campaign, mut channel)) =
                adversaries.get_mut(roster.adversaries[adversary])
            else {
                continue;
            };
            // The era it is in: how much confidence building still reaches it, and the least it
            // believes of EU resolve whatever the EU says on its campaign.
            let era = roster.era_of(adversary, today);
            let reach = era.map_or(1.0, |e| e.confidence_building);
            // OSCE channels exist only with participating States.
            if measure.kind != Kind::OsceCbm || who.osce {
                channel.0 += reach * weight * e.channel * (1.0 - channel.0);
            }
            if wrongly_named.is_some() {
                // The EU pointed at someone else: the real perpetrator feels safer.
                let floor = era.map_or(0.0, |e| e.resolve_floor);
                beliefs.resolve = crate::actors::lower_to(
                    beliefs.resolve,
                    beliefs.resolve * (1.0 - MISATTRIBUTION_EMBOLDENING * weight),
                    floor,
                );
                continue;
            }
            // Partners naming the same party with the EU make the attribution more credible.
            let chorus = 1.0 + COSIGNED_CREDIBILITY * measure_taken.cosigners.min(3) as f64 / 3.0;
            let credibility = match measure_taken.named {
                Some(_) => (0.5 + 0.5 * measure_taken.confidence) * chorus,
                None => UNNAMED_CREDIBILITY,
            };
            // The rung of a statement's wording scales the signal it sends.
            let kappa = measure_taken.unity * credibility * weight * measure_taken.strength;
            beliefs.resolve += e.resolve * kappa * (1.0 - beliefs.resolve);
            let bite = e.punishment * weight * if measure_taken.named.is_some() { 1.0 } else { 0.0 };
            campaign.costs += bite;
            campaign.punished += bite;
            // Seized servers and arrests take part of the campaign down.
            campaign.activity *= 1.0 - e.disruption * weight;
            let signal = ((e.resolve * kappa + bite) / ADDRESSING_SIGNAL).min(1.0);
            campaign.addressed = (campaign.addressed + signal).min(1.0);
            campaign.on_record = campaign.on_record.max(ON_RECORD_SHARE * signal);
            let ambiguity = 1.0
                - measure.clarity
                    * if measure_taken.named.is_some() {
                        measure_taken.confidence
                    } else {
                        0.7
                    };
            // An act the adversary cannot see (pooling intelligence, hardening networks) tells it
            // nothing about the EU's intent.
            let visible = e.provocation > 0.0 || e.resolve > 0.0 || e.reassurance > 0.0 || bite > 0.0;
            if !visible {
                continue;
            }
            let seen = perceive(
                &mut streams,
                &PerceptionParams {
                    ambiguity,
                    provocation: params.provocation * weight,
                    reassurance: params.reassurance * reach,
                    ..params
                },
                &mut beliefs,
                &mut campaign,
                channel.0,
                trust_ceiling(posture.intent),
            );
            // It answers what names or punishes it.
            if measure_taken.named.is_some() || bite > 0.0 {
                let provocation = Provocation {
                    hostility: seen,
                    wrongly_named: false,
                    cosigners: measure_taken.cosigners,
                };
                let mut stage = Answering {
                    streams: &mut streams,
                    crisis: &mut crisis,
                    log: &mut log,
                };
                stage.answer(
                    (who, posture, &beliefs, &mut campaign),
                    measure,
                    &provocation,
                    mean_ties[adversary],
                );
            }
        }
        // The State that shelters the perpetrator hears the measure too (UN GGE norm (c)).
        if let Some((_, perpetrator)) = incident
            && let Some(sponsor) = sponsor_of(perpetrator.adversary)
            && let Ok((_, _, mut beliefs, _, _)) = adversaries.get_mut(roster.adversaries[sponsor])
        {
            let share = if measure.family == crate::toolbox::Family::Cooperative {
                1.0
            } else {
                SPONSOR_SHARE
            };
            beliefs.resolve += e.resolve * measure_taken.unity * UNNAMED_CREDIBILITY * share * (1.0 - beliefs.resolve);
        }
        if let Some(named) = measure_taken.named
            && incident.is_some_and(|(_, p)| p.adversary != named && Some(named) != sponsor_of(p.adversary))
            && let Ok((who, posture, mut beliefs, mut campaign, channel)) =
                adversaries.get_mut(roster.adversaries[named])
        {
            // A false accusation: the party wrongly named reads the act as pure hostility.
            let wrong = PerceptionParams {
                ambiguity: 1.0,
                hostility_factor: FALSE_ACCUSATION_HOSTILITY,
                ..params
            };
            let seen = perceive(
                &mut streams,
                &wrong,
                &mut beliefs,
                &mut campaign,
                channel.0,
                trust_ceiling(posture.intent),
            );
            campaign.costs += e.punishment;
            let provocation = Provocation {
                hostility: seen,
                wrongly_named: true,
                cosigners: measure_taken.cosigners,
            };
            let mut stage = Answering {
                streams: &mut streams,
                crisis: &mut crisis,
                log: &mut log,
            };
            stage.answer(
                (who, posture, &beliefs, &mut campaign),
                measure,
                &provocation,
                mean_ties[named],
            );
        }
        crisis.shared_awareness += e.sharing * (1.0 - crisis.shared_awareness);
        let victims: Option<&Vec<usize>> = incident.map(|(i, _)| &i.victims);
        let target = measure_taken.named.or(incident.map(|(_, p)| p.adversary));
        if e.resilience > 0.0 {
            for (index, entity) in roster.member_states.iter().enumerate() {
                if victims.is_none_or(|v| v.contains(&index))
                    && let Ok((mut exposure, _)) = states.get_mut(*entity)
                {
                    exposure.0 *= 1.0 - e.resilience;
                }
            }
        }
        let target_ties = target.map_or(0.0, |t| mean_ties[t]);
        crisis.cohesion_shift += e.solidarity * measure_taken.unity - COST_COHESION_LOSS * measure.cost * target_ties;
        // A Member State's own response beside the EU's, not its use of the OSCE or a Treaty
        // clause that calls on the others.
        if measure.kind == Kind::NationalMeasure {
            crisis.cohesion_shift -= UNILATERAL_COHESION_LOSS;
        }
        history.in_effect.insert(measure.id.clone());
        log.effects.push(measure.id.clone());
    }
}

/// Where an adversary's answer lands: the random draw, the crisis and the record.
struct Answering<'a> {
    streams: &'a mut Streams,
    crisis: &'a mut Crisis,
    log: &'a mut TurnLog,
}

impl Answering<'_> {
    /// The adversary draws its answer to a measure that named or punished it; the answer takes
    /// effect and goes into the record.
    fn answer(
        &mut self,
        (who, posture, beliefs, campaign): (&crate::actors::Adversary, &Posture, &Beliefs, &mut Campaign),
        measure: &crate::toolbox::MeasureData,
        provocation: &Provocation,
        mean_ties: f64,
    ) {
        let reaction = react(self.streams, who.kind, posture, beliefs, measure, provocation);
        reaction::carry_out(reaction, campaign);
        if reaction == crate::toolbox::Reaction::CounterSanctions {
            self.crisis.cohesion_shift -= reaction::COUNTER_SANCTIONS_COHESION * mean_ties;
        }
        self.log.reactions.push(crate::outcome::ReactionRecord {
            adversary: who.id.clone(),
            measure: measure.id.clone(),
            reaction,
            headline: reaction.headline(&who.name),
        });
    }
}
