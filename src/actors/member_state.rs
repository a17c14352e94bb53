//! A Member State: attribution is its sovereign political decision, so each keeps its own view.

use bevy::prelude::*;

/// One of the 27 Member States.
#[derive(Component, Debug, Clone)]
pub struct MemberState {
    /// Position in the roster (protocol order); indexes per-state tables.
    pub index: usize,
    /// EU country code.
    pub code: String,
    /// Short name.
    pub name: String,
}

/// How good its intelligence and forensics are, 0 to 1.
#[derive(Component, Debug, Clone, Copy)]
pub struct AttributionCapability(pub f64);

/// How exposed it is to malicious cyber activity, 0 to 1; resilience measures lower it.
#[derive(Component, Debug, Clone, Copy)]
pub struct Exposure(pub f64);

/// Its attitude to each adversary, indexed by adversary index.
#[derive(Component, Debug, Clone)]
pub struct Attitudes {
    /// Firmness, -1 (accommodating) to 1 (firm).
    pub stance: Vec<f64>,
    /// Economic ties, 0 to 1.
    pub ties: Vec<f64>,
    /// Willingness to attribute publicly, 0 to 1: how readily it agrees to name a State.
    pub candour: f64,
}

/// Marks a Member State whose vote a human player casts; the engine votes for the others.
#[derive(Component, Debug, Clone, Copy)]
pub struct PlayerSeat;
