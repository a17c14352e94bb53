//! Judging the outcome of an exercise.

use super::RunTally;
use crate::actors::Campaign;
use crate::state::Crisis;
use crate::turn::TurnClock;
use bevy::prelude::*;
use serde::{Deserialize, Serialize};

/// Escalation at or below which a crisis counts as de-escalated.
const DEESCALATED: f64 = 2.0;
/// Adversary activity at or below which a campaign counts as subsiding.
const SUBSIDING: f64 = 0.25;
/// How far below the level its scenario's story gives it a campaign must end to count as
/// subsiding: a campaign the story keeps low (0.3 in the Estonia and Hague cases) is not
/// de-escalated by its own noise (model 8; until model 7 every campaign drifted to about 0.56,
/// so the absolute bound sufficed).
const SUBSIDED_BY: f64 = 0.1;
/// Escalation at or below which a crisis counts as contained.
const CONTAINED: f64 = 4.0;
/// Escalation below which a crisis has escalated but stayed in hand.
const ESCALATED: f64 = 7.0;
/// Cohesion at or above which the EU ended the exercise united.
const UNITED: f64 = 0.5;

/// How the exercise ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// Low escalation and the campaigns subsiding.
    Deescalated,
    /// Escalation held at or below disruptive operations.
    Contained,
    /// Escalation past disruption, short of coercion.
    Escalated,
    /// Escalation into coercion and beyond.
    OutOfControl,
}

impl OutcomeKind {
    /// Every outcome, mildest first.
    pub const ALL: [OutcomeKind; 4] = [
        OutcomeKind::Deescalated,
        OutcomeKind::Contained,
        OutcomeKind::Escalated,
        OutcomeKind::OutOfControl,
    ];

    /// What the crisis did, after "the crisis": "was contained", "ran out of control".
    pub fn predicate(self) -> &'static str {
        match self {
            OutcomeKind::Deescalated => "de-escalated",
            OutcomeKind::Contained => "was contained",
            OutcomeKind::Escalated => "escalated",
            OutcomeKind::OutOfControl => "ran out of control",
        }
    }

    /// Words for players.
    pub fn label(self) -> &'static str {
        match self {
            OutcomeKind::Deescalated => "de-escalated",
            OutcomeKind::Contained => "contained",
            OutcomeKind::Escalated => "escalated",
            OutcomeKind::OutOfControl => "out of control",
        }
    }
}

/// The outcome of the exercise.
#[derive(Resource, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// How it ended.
    pub kind: OutcomeKind,
    /// Turns played.
    pub turns_played: u32,
    /// Escalation at the end.
    pub final_escalation: f64,
    /// Highest escalation reached.
    pub peak_escalation: f64,
    /// Misperception (the adversaries' misreading of the EU's intent) at the end.
    pub final_misperception: f64,
    /// The adversaries' perception of the EU's resolve at the end.
    pub final_perceived_resolve: f64,
    /// Cohesion at the end.
    pub final_cohesion: f64,
    /// Whether the EU ended united.
    pub eu_united: bool,
    /// Toolbox measures adopted over the run.
    pub measures_adopted: usize,
    /// Council votes held, and how many were blocked.
    pub votes: (usize, usize),
}

impl Outcome {
    /// One sentence for the end of a table.
    pub fn summary(&self) -> String {
        format!(
            "The crisis {} after {} turns (escalation {:.2}, peak {:.2}); the EU ended {} (cohesion {:.2}).",
            self.kind.predicate(),
            self.turns_played,
            self.final_escalation,
            self.peak_escalation,
            if self.eu_united { "united" } else { "divided" },
            self.final_cohesion
        )
    }
}

/// Whether the exercise ends with the turn being closed: at its last turn, or earlier if the
/// crisis has run out of control.
pub(super) fn ends(clock: &TurnClock, crisis: &Crisis) -> bool {
    clock.turn >= clock.last_turn || crisis.escalation >= crate::dynamics::OUT_OF_CONTROL
}

/// Ends the exercise at its last turn, or earlier if the crisis runs out of control.
pub(super) fn judge(
    mut commands: Commands,
    mut clock: ResMut<TurnClock>,
    crisis: Res<Crisis>,
    tally: Res<RunTally>,
    campaigns: Query<&Campaign>,
) {
    if !ends(&clock, &crisis) {
        return;
    }
    clock.ended = true;
    let subsided = campaigns
        .iter()
        .all(|c| c.activity <= SUBSIDING && c.activity <= c.level - SUBSIDED_BY);
    let e = crisis.escalation;
    let kind = if e <= DEESCALATED && subsided {
        OutcomeKind::Deescalated
    } else if e <= CONTAINED {
        OutcomeKind::Contained
    } else if e < ESCALATED {
        OutcomeKind::Escalated
    } else {
        OutcomeKind::OutOfControl
    };
    commands.insert_resource(Outcome {
        kind,
        turns_played: clock.turn,
        final_escalation: e,
        peak_escalation: crisis.peak_escalation,
        final_misperception: crisis.misperception,
        final_perceived_resolve: crisis.perceived_resolve,
        final_cohesion: crisis.cohesion,
        eu_united: crisis.cohesion >= UNITED,
        measures_adopted: tally.measures_adopted,
        votes: (tally.votes_held, tally.votes_blocked),
    });
}
