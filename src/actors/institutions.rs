//! The EU institutions that take part in the response.

use bevy::prelude::*;

/// The High Representative for Foreign Affairs and Security Policy, with the EEAS behind them:
/// speaks for the EU alone (HR statements) and proposes CFSP decisions.
#[derive(Component, Debug, Clone)]
pub struct HighRepresentative {
    /// Title shown to players.
    pub name: String,
}

/// The European Commission: runs the operational side (CSIRTs network, EU-CyCLONe, the
/// Blueprint) and funds capacity building.
#[derive(Component, Debug, Clone)]
pub struct Commission {
    /// Title shown to players.
    pub name: String,
}

/// The Council of the EU, chaired by the rotating Presidency. Its rules (consensus, and
/// unanimity with constructive abstention) are in `council::vote`.
#[derive(Component, Debug, Clone)]
pub struct Council {
    /// Roster index of the Member State holding the Presidency.
    pub presidency: usize,
    /// The real Presidencies of the Member States at the table, (first day, roster index) in
    /// date order: the Presidency rotates with the story's date. Empty when the scenario
    /// assumes a Presidency for the whole exercise.
    pub rotation: Vec<(i64, usize)>,
}

impl Council {
    /// The Presidency on a story date (days since 1970-01-01): the entry of the rotation in
    /// force that day, else the one it holds.
    pub fn presidency_on(&self, day: Option<i64>) -> usize {
        day.and_then(|day| self.rotation.iter().rev().find(|(first, _)| *first <= day))
            .map_or(self.presidency, |(_, index)| *index)
    }
}
