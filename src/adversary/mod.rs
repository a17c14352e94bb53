//! How adversaries respond: a discrete Richardson reaction with deterrence and the spiral.
//!
//! Each turn an adversary's campaign intensity moves with its drive (intent, stronger when it
//! doubts EU resolve), is held back by deterrence (belief in EU resolve, discounted by its risk
//! tolerance) and by the costs it bears, and is pushed up by the hostility it perceived, in
//! proportion to its distrust (the spiral). A sustained campaign that draws no response lowers
//! its belief in EU resolve: doing nothing emboldens.

mod response;

pub use response::{ResponseParams, step_campaign};

use crate::turn::{Deciding, Tabling, TurnSet};
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Tabling, response::begin_turn.in_set(TurnSet::Begin));
    app.add_systems(Deciding, response::respond.in_set(TurnSet::Adversary));
}
