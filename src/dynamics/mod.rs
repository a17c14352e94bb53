//! The state of the crisis as a whole: escalation on a ladder, misperception and EU cohesion.

mod cohesion;
mod escalation;
mod ladder;

pub use cohesion::AWARENESS_RETENTION;
pub use escalation::{OUT_OF_CONTROL, readings};
pub use ladder::{LADDER, rung_label};

use crate::turn::{Deciding, TurnSet};
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<crate::state::Crisis>();
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
