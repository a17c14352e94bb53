//! Positions: how a Member State held by people will vote on a Council file. Unanimity is only a
//! real constraint at the table if the people holding a Member State can refuse. A position is
//! taken on one file (this measure on this incident), typically during the tour de table when
//! the file is tabled, or as a standing line on every file of a measure (no incident); it holds
//! from its turn on, until changed. A held Member State that says nothing is silent, which the
//! silence procedure counts as assent.

use super::{Ballot, Reason};
use bevy::prelude::*;
use serde::{Deserialize, Serialize};

/// What objecting at the table is recorded as when no reason is chosen.
pub const TABLE_OBJECTION: Reason = Reason::CannotSupport;

/// Reasons a Member State held by people can give for objecting, in the Council's own terms.
pub const OBJECTION_REASONS: [Reason; 5] = [
    TABLE_OBJECTION,
    Reason::WeakAttribution,
    Reason::NotProportionate,
    Reason::EconomicCost,
    Reason::TooEarly,
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
    /// The incident the file answers; `None`: every file of the measure.
    #[serde(default)]
    pub incident: Option<String>,
    /// How it votes.
    pub ballot: Ballot,
}

/// Every position taken in the run, in the order taken.
#[derive(Resource, Debug, Clone, Default)]
pub struct Positions(pub Vec<Position>);

impl Positions {
    /// The ballot of a held Member State on a file at a turn: its latest position taken at or
    /// before the turn on that file or on every file of the measure, else silence.
    pub fn ballot(&self, turn: u32, state: &str, measure: &str, incident: Option<&str>) -> Ballot {
        ballot_of(&self.0, turn, state, measure, incident)
    }
}

/// [`Positions::ballot`] over a list of positions in the order taken.
pub fn ballot_of(positions: &[Position], turn: u32, state: &str, measure: &str, incident: Option<&str>) -> Ballot {
    positions
        .iter()
        .rev()
        .find(|p| {
            p.turn <= turn
                && p.state == state
                && p.measure == measure
                && (p.incident.is_none() || p.incident.as_deref() == incident)
        })
        .map_or(Ballot::Silence, |p| p.ballot.clone())
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
            incident: None,
            ballot,
        };
        let positions = Positions(vec![at(3, Ballot::Object(TABLE_OBJECTION)), at(6, Ballot::Abstain)]);
        let ballot = |turn, state, measure| positions.ballot(turn, state, measure, Some("leak"));
        assert_eq!(
            ballot(2, "HU", "listing_persons"),
            Ballot::Silence,
            "silence before any position"
        );
        assert_eq!(ballot(4, "HU", "listing_persons"), Ballot::Object(TABLE_OBJECTION));
        assert_eq!(ballot(9, "HU", "listing_persons"), Ballot::Abstain);
        assert_eq!(ballot(9, "AT", "listing_persons"), Ballot::Silence);
        assert_eq!(ballot(9, "HU", "eu_declaration"), Ballot::Silence);
    }

    #[test]
    fn a_position_on_one_file_leaves_the_other_files_of_the_measure_alone() {
        let on = |incident: &str, ballot: Ballot| Position {
            turn: 1,
            state: "HU".into(),
            measure: "eu_declaration".into(),
            incident: Some(incident.into()),
            ballot,
        };
        let positions = Positions(vec![
            on("wiper", Ballot::Object(TABLE_OBJECTION)),
            on("leak", Ballot::For),
        ]);
        assert_eq!(
            positions.ballot(1, "HU", "eu_declaration", Some("wiper")),
            Ballot::Object(TABLE_OBJECTION)
        );
        assert_eq!(positions.ballot(1, "HU", "eu_declaration", Some("leak")), Ballot::For);
        assert_eq!(
            positions.ballot(1, "HU", "eu_declaration", Some("other")),
            Ballot::Silence
        );
    }
}
