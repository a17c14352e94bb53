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

/// The Council of the EU and its decision procedure: CFSP decisions by unanimity, with
/// constructive abstention (Arts. 24 and 31 TEU).
#[derive(Component, Debug, Clone)]
pub struct Council {
    /// Roster index of the Member State holding the Presidency.
    pub presidency: usize,
    /// Whether constructive abstention may be used.
    pub constructive_abstention: bool,
    /// Share of abstaining Member States at which a decision fails.
    pub abstention_blocking_share: f64,
}
