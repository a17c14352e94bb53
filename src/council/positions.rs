//! Positions: how a Member State held by people will vote on a Council measure. Unanimity is
//! only a real constraint at the table if the people holding a Member State can refuse: a
//! position taken for a measure holds from its turn on, until changed, for every proposal of
//! that measure (the table's or the engine's). Without one, a held Member State backs the
//! proposal.

use super::Ballot;
use bevy::prelude::*;
use serde::{Deserialize, Serialize};

/// What objecting at the table is recorded as when no reason is chosen.
pub const TABLE_OBJECTION: &str = "its government cannot support it";

/// Reasons a Member State held by people can give for objecting, in the Council's own terms.
pub const OBJECTION_REASONS: [&str; 5] = [
    TABLE_OBJECTION,
    "the attribution is not convincing enough to act on",
    "the response is not proportionate to the harm",
    "the cost to our economy is too high",
    "it is too early: we want the shared assessment first",
];

/// One position of one Member State on one measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// The turn from which it holds.
    pub turn: u32,
    /// The Member State, by code.
    pub state: String,
    /// The Council measure, by id.
    pub measure: String,
    /// How it votes.
    pub ballot: Ballot,
}

/// Every position taken in the run, in the order taken.
#[derive(Resource, Debug, Clone, Default)]
pub struct Positions(pub Vec<Position>);

impl Positions {
    /// The ballot of a held Member State on a measure at a turn: its latest position taken at or
    /// before the turn, else support for the table's proposal.
    pub fn ballot(&self, turn: u32, state: &str, measure: &str) -> Ballot {
        ballot_of(&self.0, turn, state, measure)
    }
}

/// [`Positions::ballot`] over a list of positions in the order taken.
pub fn ballot_of(positions: &[Position], turn: u32, state: &str, measure: &str) -> Ballot {
    positions
        .iter()
        .rev()
        .find(|p| p.turn <= turn && p.state == state && p.measure == measure)
        .map_or(Ballot::For, |p| p.ballot.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_position_taken_holds_until_changed() {
        let at = |turn: u32, ballot: Ballot| Position {
            turn,
            state: "HU".into(),
            measure: "listing_persons".into(),
            ballot,
        };
        let positions = Positions(vec![
            at(3, Ballot::Object(TABLE_OBJECTION.into())),
            at(6, Ballot::Abstain),
        ]);
        assert_eq!(positions.ballot(2, "HU", "listing_persons"), Ballot::For);
        assert_eq!(
            positions.ballot(4, "HU", "listing_persons"),
            Ballot::Object(TABLE_OBJECTION.into())
        );
        assert_eq!(positions.ballot(9, "HU", "listing_persons"), Ballot::Abstain);
        assert_eq!(positions.ballot(9, "AT", "listing_persons"), Ballot::For);
        assert_eq!(positions.ballot(9, "HU", "eu_declaration"), Ballot::For);
    }
}
