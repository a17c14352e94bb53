//! How an adversary answers an EU measure aimed at it.
//!
//! The record from 2018 to 2025: EU attributions and listings drew denials, counter-sanctions and
//! tit-for-tat expulsions, sometimes a harsher campaign; never military escalation. Criminal
//! groups sometimes went quiet. Each answer has a weight that depends on the adversary's state
//! (its trust in the EU, its belief in EU resolve, its appetite for risk) and on the measure, and
//! one is drawn.

use crate::actors::{AdversaryKind, Beliefs, Campaign, Posture};
use crate::toolbox::{MeasureData, Reaction};
use crate::turn::{Stream, Streams};

/// Weight of a denial: the usual answer, whatever the state.
const DENIAL: f64 = 1.0;
/// Extra weight of a denial when the EU named the wrong party: it has every reason to protest.
const WRONG_DENIAL: f64 = 1.0;
/// Weight of an answer in kind (counter-sanctions for a listing, expulsions for expulsions), at
/// full distrust and risk appetite.
const IN_KIND: f64 = 1.5;
/// Weight of a harsher campaign per unit of hostility read into the measure, at full distrust
/// and risk appetite.
const HARSHER: f64 = 3.0;
/// Weight of quiet restraint per unit of the measure's resolve and punishment, at full belief in
/// EU resolve and no appetite for risk; a group's answer only since model 7. 3.0 until model 3,
/// which made restraint the commonest
/// answer to a declaration (China in 36 of 50 runs of the Exchange case): in the record the
/// answer was a denial ("smear", "Russophobia") and the campaigns went on (APT31 exposed again in
/// 2024, unit 29155 after 2022).
const RESTRAINT: f64 = 1.0;
/// How much each partner co-signing an attribution (up to three) multiplies the weight of
/// restraint. A State denies however many name it (China on 19 July 2021, Russia on 10 May 2022).
const CHORUS: f64 = 0.5;
/// Activity a harsher campaign adds at once.
pub const HARSHER_STEP: f64 = 0.1;
/// Share of activity quiet restraint keeps.
pub const RESTRAINT_KEEPS: f64 = 0.85;
/// Rungs of escalation an answer adds, fading day by day (`Campaign::retaliation`).
pub fn rungs(reaction: Reaction) -> f64 {
    match reaction {
        Reaction::CounterSanctions | Reaction::HarsherCampaign => 0.5,
        Reaction::Expulsions => 0.3,
        Reaction::Denial | Reaction::QuietRestraint => 0.0,
    }
}
/// Rungs all of one adversary's retaliation adds at most, however many measures it answers:
/// counter-sanctions and expulsions are answers in the diplomatic register, on the ladder's
/// lower rungs, and in the record never climbed it (model 7; until model 6 each answer added its
/// rungs without bound).
pub const RETALIATION_CEILING: f64 = 1.0;
/// Cohesion lost, per unit of the Member States' mean ties with the adversary, when it answers
/// with counter-sanctions: those with ties pay, and say so.
pub const COUNTER_SANCTIONS_COHESION: f64 = 0.05;

/// What the adversary knows of the measure it answers.
pub struct Provocation {
    /// The hostility it read into the measure this time (after bias and noise).
    pub hostility: f64,
    /// Whether the EU named the wrong party (this adversary, for another's act).
    pub wrongly_named: bool,
    /// Partners who named it publicly with the EU: restraint looks wiser against many voices.
    pub cosigners: usize,
}

/// Draws the adversary's answer to a measure that named or punished it.
pub fn react(
    streams: &mut Streams,
    kind: AdversaryKind,
    posture: &Posture,
    beliefs: &Beliefs,
    measure: &MeasureData,
    provocation: &Provocation,
) -> Reaction {
    let distrust = 1.0 - beliefs.trust;
    let appetite = posture.risk_tolerance;
    let state = kind == AdversaryKind::State;
    // Every partner naming it with the EU (up to three) makes restraint look wiser.
    let chorus = 1.0 + CHORUS * provocation.cosigners.min(3) as f64;
    let mut options = vec![(
        Reaction::Denial,
        DENIAL + if provocation.wrongly_named { WRONG_DENIAL } else { 0.0 },
    )];
    if state && let Some(in_kind) = measure.answered_in_kind {
        options.push((in_kind, IN_KIND * (0.5 + 0.5 * distrust) * (0.5 + appetite)));
    }
    options.push((
        Reaction::HarsherCampaign,
        HARSHER * provocation.hostility * distrust * appetite,
    ));
    // Only a group goes quiet under pressure (DarkSide in May 2021, REvil that July), and its
    // leak sites going dark are public at once. No State
    // answered an EU measure by scaling its operations back in the record, and an intelligence
    // service's restraint would not be seen in the week it began (model 7).
    if !provocation.wrongly_named && !state {
        let bite = measure.effects.resolve + measure.effects.punishment;
        options.push((
            Reaction::QuietRestraint,
            RESTRAINT * bite * beliefs.resolve * (1.0 - appetite) * chorus,
        ));
    }
    let weights: Vec<f64> = options.iter().map(|(_, w)| *w).collect();
    let pick = streams.weighted_index(Stream::Reactions, &weights).unwrap_or(0);
    options[pick].0
}

/// What the answer does to the adversary's campaign.
pub fn carry_out(reaction: Reaction, campaign: &mut Campaign) {
    match reaction {
        Reaction::HarsherCampaign => campaign.activity = (campaign.activity + HARSHER_STEP).min(1.0),
        Reaction::QuietRestraint => campaign.activity *= RESTRAINT_KEEPS,
        Reaction::Denial | Reaction::CounterSanctions | Reaction::Expulsions => {}
    }
    // Each answer closes its share of the gap to the ceiling.
    let room = (1.0 - campaign.retaliation / RETALIATION_CEILING).max(0.0);
    campaign.retaliation += rungs(reaction) * room;
}
