//! The exercise clock: which turn is being played and when the exercise ends.

use bevy::prelude::*;

/// Which turn is being played (1-based once the first turn starts) and how many the scenario has.
#[derive(Resource, Debug, Clone, Default)]
pub struct TurnClock {
    /// The turn being played; 0 before the first turn.
    pub turn: u32,
    /// The scenario's last turn.
    pub last_turn: u32,
    /// Set when the exercise has ended, at its last turn or earlier when the crisis runs out of control.
    pub ended: bool,
    /// The story's calendar: when each turn starts, with the gaps phases jump over.
    pub calendar: crate::scenario::Calendar,
}

impl TurnClock {
    /// True while turns remain to be played.
    pub fn running(&self) -> bool {
        !self.ended && self.turn < self.last_turn
    }

    /// The story's date at the start of a turn (1-based), in days since 1970-01-01.
    pub fn day_of(&self, turn: u32) -> Option<i64> {
        self.calendar.day_of(turn)
    }
}

pub(super) fn advance_clock(mut clock: ResMut<TurnClock>) {
    clock.turn += 1;
}
