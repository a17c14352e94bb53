//! The replay viewer's model: a recorded run re-played once, keeping the board as it was at the
//! end of every turn, so that an evaluator can step or scrub through it, see the decisions and
//! votes that led there, and branch off at any turn.

use super::{Board, Exercise};
use crate::replay::{FacilitatorAction, Note, RecordedDecision, Replay};
use crate::scenario::Scenario;
use std::sync::Arc;

/// A replay opened for viewing.
pub struct ReplayViewer {
    /// The replay.
    pub replay: Replay,
    /// The name it was opened under (its file name).
    pub name: String,
    /// The scenario it was played on.
    pub scenario: Arc<Scenario>,
    /// The board before the first turn (index 0) and at the end of every recorded turn.
    pub boards: Vec<Board>,
    /// The first turn whose re-run differs from the recording, if any: the boards after it show
    /// the re-run, not what the players saw.
    pub diverged_at: Option<u32>,
}

impl ReplayViewer {
    /// Re-plays `replay` on `scenario`, board by board. Refuses a replay of another version of
    /// the scenario, since nothing it shows could be trusted.
    pub fn open(replay: Replay, name: &str, scenario: Arc<Scenario>) -> Result<Self, String> {
        let hash = crate::replay::scenario_hash(&scenario);
        if hash != replay.scenario.hash {
            return Err(format!(
                "{name} was recorded on another version of scenario \"{}\" (recorded {}, now {hash})",
                replay.scenario.id, replay.scenario.hash
            ));
        }
        // The board before the first turn, then one after each turn played back.
        let mut boards = vec![Board::read(&replay.prime((*scenario).clone(), Some(0)), &scenario)];
        let mut diverged_at = None;
        let (_, ended_early) = replay.walk((*scenario).clone(), None, |sim, mark, record| {
            if format!("{:016x}", record.checksum) != mark.checksum {
                diverged_at.get_or_insert(mark.turn);
            }
            boards.push(Board::read(sim, &scenario));
            std::ops::ControlFlow::Continue(())
        });
        if let Some(turn) = ended_early {
            diverged_at.get_or_insert(turn);
        }
        Ok(Self {
            replay,
            name: name.to_owned(),
            scenario,
            boards,
            diverged_at,
        })
    }

    /// The last turn that can be shown.
    pub fn last_turn(&self) -> u32 {
        self.boards.len() as u32 - 1
    }

    /// The board at the end of `turn` (0: before the first turn).
    pub fn board(&self, turn: u32) -> &Board {
        &self.boards[(turn as usize).min(self.boards.len() - 1)]
    }

    /// The decisions taken in `turn`, with who took them.
    pub fn decisions(&self, turn: u32) -> impl Iterator<Item = &RecordedDecision> {
        self.replay.decisions.iter().filter(move |d| d.turn == turn)
    }

    /// What the facilitator did in `turn`.
    pub fn facilitator(&self, turn: u32) -> impl Iterator<Item = &FacilitatorAction> {
        self.replay.facilitator.iter().filter(move |a| a.turn == turn)
    }

    /// Positions Member States held at the table took, holding from `turn`.
    pub fn positions(&self, turn: u32) -> impl Iterator<Item = &crate::council::Position> {
        self.replay.positions.iter().filter(move |p| p.turn == turn)
    }

    /// Notes and journal entries about `turn`.
    pub fn notes(&self, turn: u32) -> impl Iterator<Item = &Note> {
        self.replay.notes.iter().filter(move |n| n.turn == turn)
    }

    /// Continues the run from the end of `turn` with people at the table.
    pub fn branch(&self, turn: u32) -> Result<Exercise, String> {
        if self.diverged_at.is_some_and(|d| d <= turn) {
            return Err(format!(
                "the recording does not reproduce at turn {}: branch before it",
                self.diverged_at.unwrap_or_default()
            ));
        }
        Exercise::branch(&self.replay, &self.name, Arc::clone(&self.scenario), turn)
    }
}
