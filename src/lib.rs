//! Démarche: a tabletop crisis-exercise simulator for the EU Cyber Diplomacy Toolbox
//! (Council conclusions 10474/17, "Framework for a Joint EU Diplomatic Response to Malicious
//! Cyber Activities").
//!
//! This file is the table of contents. A turn of the exercise is **tabled** (the [`Tabling`]
//! schedule) and then **decided** (the [`Deciding`] schedule); their ordered sets are, in order:
//!
//! 1. [`TurnSet::Begin`]: the clock moves and each domain sets its per-turn tallies back;
//! 2. [`TurnSet::Calendar`]: what the story's date decides (the Council Presidency);
//! 3. [`TurnSet::Injects`]: the scenario's injects fire and new incidents appear;
//! 4. [`TurnSet::Perception`]: each Member State investigates, attribution confidence grows;
//! 5. [`TurnSet::Decisions`]: the players (or a scripted policy) propose Toolbox measures;
//!
//! then, once the Member States people hold have been consulted (the tour de table):
//!
//! 6. [`TurnSet::Procedure`]: who decides decides: the High Representative, one Member State,
//!    or the Council by consensus or unanimity, through its machinery (the vote is recorded);
//! 7. [`TurnSet::Effects`]: measures whose lead time has run out take effect;
//! 8. [`TurnSet::Adversary`]: each adversary reads the EU's signals and sets its next campaign;
//! 9. [`TurnSet::Dynamics`]: escalation, misperception, perceived resolve and EU cohesion move;
//! 10. [`TurnSet::Outcome`]: the turn is recorded and ends with a checksum of the whole state.
//!
//! The simulation is headless: everything here builds and tests without the `gui` feature.

/// Writes a line to standard error and ignores a failure to write it: a message about one
/// problem must not become a second one (`eprintln!` panics when standard error is full or
/// closed, `demarche batch 2>/dev/full`).
#[macro_export]
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// [`tell!`] without the line's end, for text that carries its own.
#[macro_export]
macro_rules! tell_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

pub mod actors;
pub mod adversary;
pub mod attribution;
pub mod batch;
pub mod council;
pub mod decisions;
pub mod dynamics;
pub mod effects;
pub mod exercise;
pub mod files;
pub mod incidents;
#[cfg(feature = "net")]
pub mod network;
pub mod outcome;
pub mod replay;
pub mod report;
pub mod scenario;
pub mod simulation;
pub mod state;
pub mod toolbox;
pub mod turn;
#[cfg(feature = "gui")]
pub mod ui;

pub use simulation::Simulation;

/// The version of the model: bumped by every change that makes the same (scenario, seed,
/// decisions) play differently. A replay or a batch summary records the model that played it; one
/// from another model is not a forgery, it is refused as incompatible, saying which model made it.
///
/// 1: the model as of replay format 6 (the Presidency's redrafts, the ladder of wordings,
/// partners, the trust ceiling, a turn's forensic signals taken in together).
/// 2: naming after condemning stays open: the proportional policy names the party behind an
/// incident it condemned without a name once partners or a Member State hit have named it, within
/// the incident's political window, and once on the campaign (Démarche 0.2.0).
/// 3: the EU speaks once on a campaign: one text per campaign within its political window unless
/// a new one names more; Council conclusions are not an incident's answer; the CSIRTs network
/// works on every new incident under every policy; the proportional policy follows a statement
/// with one démarche and lets the Member State hit name the party with its partners; "associated
/// with" only where partners have not spoken; what the EU put on the record keeps addressing the
/// campaign; emboldening recalibrated (Démarche 0.3.0).
/// 4: the coordinated day is prepared in advance: a Council text naming the party, drafted on
/// partners' confidential briefing, goes through its stages and is adopted on the day they (or a
/// Member State hit) name the party in public, or shelved without a vote if nobody does within
/// the incident's political window; attitudes have dates: from 24 February 2022 the Member
/// States' stances towards Russia firm up and their ties with it fall (Démarche 0.4.0).
/// 5: no reflex condemnation: the EU agrees no text on an incident before a party is named in
/// public by partners or a Member State, or to the Member States in confidence for a coordinated
/// day; before that only the High Representative speaks, in her or his own name, and only on an
/// attack that seriously disrupts or destroys; démarches, dialogues and OSCE consultations wait
/// for a party named in public; the EU answers first the incident whose party is named (Démarche
/// 0.5.0).
/// 6: sanctions signal and constrain, they do not coerce: how far the EU's expected costs move an
/// adversary's campaign is weighted by how little the campaign serves its own ends (`1 - intent`),
/// so that a committed State's campaign goes on after it is named or listed, as the GRU's and
/// APT31's did; the campaign's drive recalibrated so that a campaign left alone keeps its level
/// (Démarche 0.6.0).
/// 7: answers in the diplomatic register: the spiral reads hostility of late (a tension fading
/// over weeks, at most one rung) rather than one turn's acts, and an adversary's retaliation adds
/// at most one rung; one turn's hostility raises a campaign once and by half as much; the resolve
/// a campaign is planned around follows the adversary's belief with a lag of about a week, and
/// weighs on it half as much; costs imposed lower it by a third as much; only a criminal group
/// goes quiet under pressure, and a harsher campaign is announced, not seen; an era keeps an
/// adversary's belief in EU resolve above a floor and lets a share of confidence building reach
/// it (Russia from 24 February 2022); the EU holds no cyber dialogue with Russia; the
/// proportional EU lists the persons responsible, in one act per campaign (Démarche 0.7.0).
/// 8: a campaign left alone keeps the level its scenario gives it: each adversary's standing push
/// is set before the first turn so that the scenario's level is where its campaign rests, and a
/// step of the story moves that resting level with it; until model 7 every campaign drifted
/// within days to one level of the engine's. The real cases' branches for an answer and for
/// silence no longer move the campaign; an adversary below its era's floor of belief in EU
/// resolve is raised to it; a de-escalated outcome needs each campaign clearly below its story's
/// level; an incident unfolding in a turn puts it at its rung, however short its technical phase;
/// the Presidents and the High Representative name a party the day after a Member State hit
/// has (a joint statement, 4 October 2018), and a Member State's attribution is not the EU's
/// word; a crisis eases over weeks rather than as fast as it climbs; no OSCE channel is opened
/// with Russia from 24 February 2022 (Démarche 0.8.0).
pub const MODEL_VERSION: u32 = 8;

/// mimalloc instead of the system allocator, for every binary the crate links into (the CLI,
/// the window, the tests and the benchmarks alike): a batch allocates records, incidents and
/// ballots by the thousand per run, and glibc's malloc cost a fifth of its instructions.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
pub use turn::{Deciding, RunStart, Tabling, TurnSet};

use bevy::prelude::*;

/// Adds every domain of the simulation to an app: the turn schedule and its ordered sets first,
/// then each domain's resources and systems.
pub fn plugin(app: &mut App) {
    app.add_plugins((
        turn::plugin,
        actors::plugin,
        incidents::plugin,
        attribution::plugin,
        toolbox::plugin,
        decisions::plugin,
        council::plugin,
        effects::plugin,
        adversary::plugin,
        dynamics::plugin,
        outcome::plugin,
    ));
}
