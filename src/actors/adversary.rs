//! An adversary: a State, a proxy, or a criminal group a State tolerates.

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

/// What sort of actor an adversary is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdversaryKind {
    /// A State acting through its own services.
    State,
    /// A group acting for a State.
    Proxy,
    /// A criminal group a State tolerates or shelters.
    Criminal,
}

/// Who the adversary is.
#[derive(Component, Debug, Clone)]
pub struct Adversary {
    /// Position in the roster; indexes per-adversary tables and attribution candidates.
    pub index: usize,
    /// Stable identifier.
    pub id: String,
    /// Name shown to players.
    pub name: String,
    /// State, proxy or criminal group.
    pub kind: AdversaryKind,
    /// Roster index of the State that sponsors or tolerates it.
    pub sponsor: Option<usize>,
    /// Whether it is an OSCE participating State.
    pub osce: bool,
}

/// Its fixed character.
#[derive(Component, Debug, Clone, Copy)]
pub struct Posture {
    /// Drive to pursue the campaign, 0 to 1.
    pub intent: f64,
    /// Technical and operational capability, 0 to 1.
    pub capability: f64,
    /// Willingness to risk costly responses, 0 to 1.
    pub risk_tolerance: f64,
    /// The rung of the escalation ladder its campaign pursues at full intensity: 2 for an
    /// espionage service (it steals, it does not destroy), 5 to 6 for a service that runs
    /// destructive operations. Espionage campaigns do not climb into destructive rungs by
    /// themselves (Buchanan 2016).
    pub ceiling: f64,
}

/// What it believes about the EU: the two beliefs the signalling literature turns on.
#[derive(Component, Debug, Clone, Copy)]
pub struct Beliefs {
    /// Belief that the EU will impose costs if the campaign goes on (deterrence), 0 to 1.
    pub resolve: f64,
    /// Belief that the EU is security-seeking rather than hostile (Kydd's trust), 0 to 1.
    pub trust: f64,
}

/// Its campaign against the EU.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Campaign {
    /// Intensity of operations, 0 (dormant) to 1 (all-out).
    pub activity: f64,
    /// Costs borne from EU measures so far (sanctions, expulsions, countermeasures).
    pub costs: f64,
    /// Hostility it perceived in the EU's acts this turn (after bias and noise).
    pub hostility_seen: f64,
    /// How far the EU's signals address its campaign, 0 to 1: raised by each measure that reaches
    /// it (by the wording's rung, the unity behind it and its partners), fading day by day unless
    /// the EU follows through. Below 1, a campaign without an answer emboldens it.
    pub addressed: f64,
    /// The share of the campaign the EU's answers keep addressing for good, 0 to 1: what the EU
    /// has said and done stays on the record (a declaration, a framework, a listing), so
    /// [`Campaign::addressed`] fades towards it rather than to nothing.
    pub on_record: f64,
    /// Rungs its retaliation against EU measures (counter-sanctions, expulsions, a harsher
    /// campaign) adds to the escalation, fading day by day and never past
    /// [`crate::effects::RETALIATION_CEILING`] (model 7).
    pub retaliation: f64,
    /// The hostility it has read in the EU's acts lately, 0 to 1: the most hostile turn's
    /// reading, fading day by day (model 7). The spiral term of the escalation reads this rather
    /// than one turn's acts, so the ladder does not jump with each EU measure and fall back the
    /// week after.
    pub tension: f64,
    /// The EU resolve its operations are planned around: follows its belief in EU resolve with a
    /// lag of about a week (operations are planned and resourced ahead), so a declaration or a
    /// listing weighs on the campaign over the following weeks, not in the week it is read
    /// (model 7).
    pub planned_resolve: f64,
    /// Its standing push, per story day: what its own ends add to the pull of its intent,
    /// deterrence and restraint so that the campaign rests at the level the scenario gives it
    /// (set before the first turn, moved with each step of the scenario's story; model 8).
    /// Until model 7 a campaign drifted within days to one resting level of the engine's
    /// whatever the scenario said (the Hague case's GRU from 0.3 to 0.6 in a fortnight left
    /// alone). `None` until it is set.
    pub standing: Option<f64>,
    /// The level the scenario's story gives the campaign: its starting activity and every step
    /// the story has taken since (a `PostureShift`), where it rests when nothing else moves it.
    /// A campaign has subsided only when it ends clearly below this (section 11; model 8).
    pub level: f64,
    /// The EU costs its campaign was last planned around, as they weigh on it (its coercion, or
    /// its sponsor's as far as they move the sponsor): what a step of the story is measured
    /// against.
    pub felt: f64,
    /// Incidents it caused this turn.
    pub operations: u32,
    /// Costs imposed on it this turn.
    pub punished: f64,
}

/// Strength of the confidence-building channels open with it (OSCE CBMs 3, 8, 13), 0 to 1.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Channel(pub f64);

/// A belief after a fall to `proposed` that stops at `floor`: what the context keeps it from
/// losing (an era's [`super::Era::resolve_floor`]); a belief already below the floor is not raised
/// by it here (the adversary's response raises it at its turn in the era), and a rise is not
/// touched.
pub fn lower_to(current: f64, proposed: f64, floor: f64) -> f64 {
    if proposed >= current {
        proposed
    } else {
        proposed.max(floor.min(current))
    }
}
