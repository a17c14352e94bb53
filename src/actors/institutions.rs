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
}
