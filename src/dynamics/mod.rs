//! The state of the crisis as a whole: escalation on a ladder, misperception and EU cohesion.

mod cohesion;
mod escalation;
mod ladder;

pub use cohesion::AWARENESS_RETENTION;
pub use escalation::{OUT_OF_CONTROL, readings};
pub use ladder::{LADDER, rung_label};

use crate::turn::{Deciding, TurnSet};
use bevy::prelude::*;

/// The crisis at the end of the last turn.
#[derive(Resource, Debug, Clone, Default)]
pub struct Crisis {
    /// Rung on the escalation ladder, 0 (peacetime competition) to 9 (armed conflict threshold).
    pub escalation: f64,
    /// Highest escalation reached so far.
    pub peak_escalation: f64,
    /// How far the adversaries misread the EU's intent (mean distrust of a security-seeking EU),
    /// 0 to 1: what breeds spirals.
    pub misperception: f64,
    /// How far the adversaries perceive the EU's resolve to impose costs (mean belief), 0 to 1:
    /// what deterrence needs.
    pub perceived_resolve: f64,
    /// Unity of the Member States, 0 (split) to 1 (fully united).
    pub cohesion: f64,
    /// Shared situational awareness among Member States, 0 to 1.
    pub shared_awareness: f64,
    /// Cohesion gained or lost during this turn, applied in the dynamics stage.
    pub cohesion_shift: f64,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Crisis>();
    app.add_systems(
        Deciding,
        (
            escalation::update_escalation,
            escalation::update_readings,
            cohesion::update_cohesion,
        )
            .chain()
            .in_set(TurnSet::Dynamics),
    );
}
