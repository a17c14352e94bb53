//! Malicious cyber incidents: what the scenario's injects reveal and what adversaries' campaigns
//! add. Each incident is an entity carrying the Council's seven proportionality dimensions, the
//! Member States hit, its hidden true perpetrator, and each Member State's attribution view.

mod injects;
mod operations;
mod severity;

pub use injects::{FacilitatorFires, FacilitatorShifts, InjectBook};
pub use severity::{DIMENSION_NAMES, Severity};

use crate::turn::{Tabling, TurnSet};
use bevy::prelude::*;

/// One malicious cyber incident.
#[derive(Component, Debug, Clone)]
pub struct Incident {
    /// Order of appearance in the run: the order every system visits incidents in.
    pub seq: u32,
    /// Identifier: the inject id for scripted incidents, `op-N` for adversary operations.
    pub id: String,
    /// Headline shown to players.
    pub title: String,
    /// Turn it surfaced.
    pub turn: u32,
    /// Roster indices of the Member States hit.
    pub victims: Vec<usize>,
}

/// Who truly did it. Hidden from players; the engine uses it to generate forensic signals.
#[derive(Component, Debug, Clone, Copy)]
pub struct Perpetrator {
    /// Adversary index of the true perpetrator.
    pub adversary: usize,
    /// Adversary index whose traces were planted, if any.
    pub false_flag: Option<usize>,
}

/// Counts incidents so each gets its order of appearance.
#[derive(Resource, Debug, Clone, Default)]
pub struct IncidentCounter(pub u32);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<IncidentCounter>()
        .init_resource::<InjectBook>()
        .init_resource::<FacilitatorFires>()
        .init_resource::<FacilitatorShifts>();
    app.add_systems(
        Tabling,
        (injects::fire_injects, operations::surface_operations)
            .chain()
            .in_set(TurnSet::Injects),
    );
}
