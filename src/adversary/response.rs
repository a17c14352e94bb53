//! The adversary's reaction equation (see docs/model.md, "Adversary response").

use crate::actors::{Beliefs, Campaign, Channel, Posture, Roster};
use crate::effects::{reassure, trust_ceiling};
use crate::turn::{Stream, Streams};
use bevy::prelude::*;

/// The parameters of the reaction equation.
#[derive(Debug, Clone, Copy)]
pub struct ResponseParams;

impl ResponseParams {
    /// Drive: how fast intent raises activity when EU resolve is doubted. 0.3 until model 5,
    /// 0.23 under model 6, 0.21 from model 7. Until model 7 it set where every campaign rested;
    /// from model 8 each campaign's standing push does (`Campaign::standing`), and the drive says
    /// only how much a change in the EU resolve it expects moves it.
    pub const DRIVE: f64 = 0.21;
    /// Deterrence: how fast belief in EU resolve, as far as it moves the campaign
    /// (`coercion` in this module), lowers activity.
    pub const DETERRENCE: f64 = 0.45;
    /// How much a turn's new costs lower activity (an event: once, whatever the turn's length).
    /// 1.0 until model 6, which cut a State's campaign by a tenth in the week three of its
    /// officers were listed; travel bans and asset freezes on a few officers do not stop a
    /// service's operations, and the record shows none stopping (model 7).
    pub const PUNISHMENT: f64 = 0.3;
    /// Share of the belief in EU resolve, as far as the campaign does not serve the adversary's
    /// own ends, that weighs on the campaign's planning: cyber operations are cheap, deniable and
    /// serve standing intelligence requirements, so what the EU may do weighs on them far less
    /// than on a military move. In full until model 6, which had China's campaign fall by a
    /// quarter after the EU's declaration of July 2021; 0.5 in model 7; 0.25 from model 8, whose
    /// campaigns rest at their scenarios' levels (0.3 to 0.45 in the real cases, not the 0.56
    /// model 7 drifted to), so that the same constraint stays a few per cent of the campaign (at
    /// 0.5 the Estonia listing took 17% of Russia's).
    pub const COERCIBILITY: f64 = 0.25;
    /// Spiral: how much perceived hostility raises activity, times distrust and times
    /// (1 - intent): fear drives a security-seeker, opportunity drives a greedy actor (Jervis 1976).
    /// One turn's hostility counts at most once. 1.2 until model 6, under which one day of
    /// national countermeasures and a naming took a GRU campaign from 0.44 to 0.77; in the
    /// record States answered EU and national measures in kind (expulsions for expulsions,
    /// counter-sanctions) rather than by a visible step in their cyber campaigns (model 7).
    pub const SPIRAL: f64 = 0.6;
    /// Restraint: natural decay of activity.
    pub const RESTRAINT: f64 = 0.08;
    /// Spread of the adversary's own decision noise.
    pub const NOISE: f64 = 0.03;
    /// Share of belief in EU resolve lost per story day of campaigning without a response (a
    /// week of unanswered operations costs about a quarter of it). Calibrated, not measured: at
    /// 0.12 (model 2) a campaign the EU answered once, as it does in the record, left the
    /// adversary sure within weeks that the EU would never act again.
    pub const EMBOLDENING: f64 = 0.04;
    /// How far a sheltering State's belief in EU resolve restrains the group it shelters: a
    /// sponsor that expects EU costs reins in its proxies.
    pub const SPONSOR_LEVERAGE: f64 = 0.8;
    /// Log-odds of trust an open channel adds each story day, while it is used in good faith.
    pub const CHANNEL_TRUST: f64 = 0.3;
    /// Share of how far the EU's signals address the campaign that survives a story day: a
    /// declaration addresses it for a fortnight or so, then the EU must follow through.
    pub const ADDRESS_RETENTION: f64 = 0.93;
    /// Share of retaliation's rungs that survives a story day (half gone in a fortnight).
    pub const RETALIATION_RETENTION: f64 = 0.95;
    /// Share of the hostility read in the EU's acts that survives a story day (half gone in three
    /// weeks): the spiral's memory, long enough that a quiet week does not read as de-escalation
    /// (model 7).
    pub const TENSION_RETENTION: f64 = 0.97;
    /// Share of the gap between the EU resolve a campaign is planned around and the adversary's
    /// belief closed each story day (half in a week): operations are planned and resourced
    /// ahead, so what the EU says weighs on them over weeks (model 7).
    pub const PLANNING: f64 = 0.1;
    /// Share of a channel's strength that survives a story day without use.
    pub const CHANNEL_RETENTION: f64 = 0.85;
}

/// How far the EU resolve a campaign is planned around moves it: that resolve weighted by how
/// little the campaign serves the adversary's own ends (`1 - intent`) and by
/// [`ResponseParams::COERCIBILITY`]. The more a campaign serves
/// its ends, the less the costs it expects from the EU change it: sanctions signal and constrain
/// far more often than they coerce (Biersteker, Eckert and Tourinho 2016), and the GRU's and
/// APT31's campaigns went on after the listings of 2020 and the declaration of 2021, Russia's
/// after the Viasat declaration of 2022 (model 6).
fn coercion(posture: &Posture, resolve: f64) -> f64 {
    ResponseParams::COERCIBILITY * (1.0 - posture.intent) * resolve
}

/// The pull on a campaign's intensity from the adversary's own calculus, per story day: the
/// drive of its intent (stronger the less EU costs weigh on it), deterrence by the EU costs it
/// expects (`felt`, discounted by its risk tolerance) and restraint. Linear in `activity`.
fn pull(posture: &Posture, felt: f64, activity: f64) -> f64 {
    type P = ResponseParams;
    P::DRIVE * posture.intent * (1.0 - felt) * (1.0 - activity)
        - P::DETERRENCE * felt * (1.0 - posture.risk_tolerance) * activity
        - P::RESTRAINT * activity
}

/// How much a campaign's resting level moves per unit of standing push: the slope of [`pull`]
/// in `activity`, negated.
fn stiffness(posture: &Posture, felt: f64) -> f64 {
    type P = ResponseParams;
    P::DRIVE * posture.intent * (1.0 - felt) + P::DETERRENCE * felt * (1.0 - posture.risk_tolerance) + P::RESTRAINT
}

/// The EU costs each adversary's campaign is planned around, as they weigh on it: its own
/// [`coercion`], or for a group a State shelters its sponsor's as far as they move the sponsor,
/// whichever is greater. `planned` holds each adversary's coercion and sponsor, in cast order.
fn felt_pressures(planned: &[(f64, Option<usize>)]) -> Vec<f64> {
    planned
        .iter()
        .map(|(own, sponsor)| {
            sponsor.map_or(*own, |s| {
                own.max(ResponseParams::SPONSOR_LEVERAGE * planned.get(s).map_or(0.0, |p| p.0))
            })
        })
        .collect()
}

/// Clears what each adversary saw and did in the previous turn. Before the first turn, each
/// campaign's standing push is set so that the level the scenario gives it is where it rests
/// (model 8): left alone, a campaign keeps that level, and only what happens (the EU's answers
/// or silence, the hostility it reads, the scenario's own turns) moves it.
pub(super) fn begin_turn(
    roster: Res<Roster>,
    mut adversaries: Query<(&crate::actors::Adversary, &Posture, &mut Campaign)>,
) {
    if adversaries.iter().any(|(.., c)| c.standing.is_none()) {
        let planned: Vec<(f64, Option<usize>)> = roster
            .adversaries
            .iter()
            .map(|e| {
                adversaries
                    .get(*e)
                    .map_or((0.0, None), |(who, p, c)| (coercion(p, c.planned_resolve), who.sponsor))
            })
            .collect();
        let felt = felt_pressures(&planned);
        for (index, entity) in roster.adversaries.iter().enumerate() {
            if let Ok((_, posture, mut campaign)) = adversaries.get_mut(*entity) {
                campaign.felt = felt[index];
                settle(&mut campaign, posture);
            }
        }
    }
    for (.., mut campaign) in &mut adversaries {
        campaign.hostility_seen = 0.0;
        campaign.operations = 0;
        campaign.punished = 0.0;
    }
}

/// The campaign's standing push, set the first time it is asked for so that the campaign rests
/// where it stands (its activity becomes the level its story gives it), under the EU costs it
/// feels now (`Campaign::felt`).
fn settle(campaign: &mut Campaign, posture: &Posture) -> f64 {
    if let Some(standing) = campaign.standing {
        return standing;
    }
    campaign.level = campaign.activity;
    let standing = -pull(posture, campaign.felt, campaign.activity);
    campaign.standing = Some(standing);
    standing
}

/// Moves a campaign's level by `shift` (a scenario's or the facilitator's turn of the story: the
/// adversary steps its campaign up or down) and its resting level with it, so that the step
/// stays until something else moves it; within 0 to 1.
pub fn step_campaign(campaign: &mut Campaign, posture: &Posture, shift: f64) {
    let before = campaign.activity;
    campaign.activity = (before + shift).clamp(0.0, 1.0);
    let step = campaign.activity - before;
    if let Some(standing) = &mut campaign.standing {
        *standing += stiffness(posture, campaign.felt) * step;
        campaign.level = (campaign.level + step).clamp(0.0, 1.0);
    }
}

/// Each adversary, in cast order, sets its campaign intensity for the next turn. The equation
/// is written per story day: a turn of `d` days is integrated in `ceil(d)` equal steps (the
/// decision noise scaled by the square root of the step), and the turn's events (the costs
/// imposed, the hostility seen) count once, in the first step.
pub(super) fn respond(
    roster: Res<Roster>,
    clock: Res<crate::turn::TurnClock>,
    mut streams: ResMut<Streams>,
    mut adversaries: Query<(
        &crate::actors::Adversary,
        &Posture,
        &mut Beliefs,
        &mut Campaign,
        &mut Channel,
    )>,
) {
    type P = ResponseParams;
    let days = clock.calendar.days_per_turn();
    let steps = (libm::ceil(days) as u32).max(1);
    let dt = days / f64::from(steps);
    // Each campaign's planning catches up with part of the gap to the adversary's belief in EU
    // resolve as the stage begins; how far that planned resolve moves the campaign is each
    // adversary's pressure, which a sponsor passes on to the groups it shelters.
    let catch_up = clock.calendar.share_per_turn(P::PLANNING);
    let today = clock.calendar.midday_of(clock.turn);
    let planned: Vec<(f64, Option<usize>)> = roster
        .adversaries
        .iter()
        .map(|e| {
            adversaries.get_mut(*e).map_or((0.0, None), |(who, p, b, mut c, _)| {
                c.planned_resolve += catch_up * (b.resolve - c.planned_resolve);
                (coercion(p, c.planned_resolve), who.sponsor)
            })
        })
        .collect();
    let felt = felt_pressures(&planned);
    for &entity in &roster.adversaries {
        let Ok((who, posture, mut beliefs, mut campaign, mut channel)) = adversaries.get_mut(entity) else {
            continue;
        };
        // Campaigning without an answer teaches the adversary the EU will not act; a weak or
        // fading answer teaches it a part of that.
        // Each day with an operation counts (at most the turn's days: one operation a day at
        // daily turns, up to seven in a weekly turn).
        // An era in which the EU imposes costs on the adversary whatever it does on this campaign
        // (Russia from 24 February 2022) keeps that lesson from going below its floor, and lets
        // little of what talking does reach it.
        let era = roster.era_of(who.index, today);
        // What the era's costs teach it comes whatever it believed before: an adversary that
        // doubted the EU would act enters the era believing at least its floor (Russia's belief
        // in the Estonia case, worn down over 2020 and 2021, rises to 0.3 as the sanctions
        // packages of 2022 come; model 8).
        if let Some(era) = era {
            beliefs.resolve = beliefs.resolve.max(era.resolve_floor);
        }
        if campaign.operations > 0 && campaign.addressed < 1.0 {
            let unanswered = 1.0 - campaign.addressed.max(0.0);
            let days_campaigning = f64::from(campaign.operations).min(days);
            let emboldened = beliefs.resolve * libm::pow(1.0 - P::EMBOLDENING * unanswered, days_campaigning);
            beliefs.resolve =
                crate::actors::lower_to(beliefs.resolve, emboldened, era.map_or(0.0, |e| e.resolve_floor));
        }
        let reach = era.map_or(1.0, |e| e.confidence_building);
        // The news of an answer fades; what the EU put on the record stays.
        let fading = campaign.addressed - campaign.on_record;
        campaign.addressed = campaign.on_record + fading * clock.calendar.retained_per_turn(P::ADDRESS_RETENTION);
        campaign.retaliation *= clock.calendar.retained_per_turn(P::RETALIATION_RETENTION);
        // The spiral remembers the most hostile reading of late, not the sum of every act.
        campaign.tension = (campaign.tension * clock.calendar.retained_per_turn(P::TENSION_RETENTION))
            .max(campaign.hostility_seen.min(1.0));
        // A channel builds trust only while the EU uses it in good faith: hostility read in the
        // same turn's acts undoes what talking does.
        let good_faith = 1.0 - campaign.hostility_seen.min(1.0);
        // A group a State shelters feels its sponsor's pressure too: a sponsor that expects EU
        // costs reins in its proxies, as far as those costs move the sponsor itself.
        let felt = felt[who.index];
        campaign.felt = felt;
        // Where the campaign rests when nothing happens: the level the scenario gave it, as
        // settled before the first turn.
        let standing = settle(&mut campaign, posture);
        let events = -P::PUNISHMENT * campaign.punished * (1.0 - posture.risk_tolerance)
            + P::SPIRAL * (1.0 - posture.intent) * (1.0 - beliefs.trust) * campaign.hostility_seen.min(1.0);
        for step in 0..steps {
            let a = campaign.activity;
            let drift = standing + pull(posture, felt, a);
            let shock = P::NOISE * streams.normal(Stream::Adversary);
            let delta = if steps == 1 && dt == 1.0 {
                // A day's turn: the equation as written.
                drift + events + shock
            } else {
                drift * dt + if step == 0 { events } else { 0.0 } + shock * libm::sqrt(dt)
            };
            campaign.activity = (a + delta).clamp(0.0, 1.0);
            beliefs.trust = reassure(
                beliefs.trust,
                P::CHANNEL_TRUST * reach * channel.0 * good_faith * dt,
                trust_ceiling(posture.intent),
            );
            channel.0 *= if dt == 1.0 {
                P::CHANNEL_RETENTION
            } else {
                libm::pow(P::CHANNEL_RETENTION, dt)
            };
        }
    }
}
