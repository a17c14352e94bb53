//! The decision procedure: who decides each measure, whether its conditions hold, and the
//! Council's vote by consensus or by unanimity with constructive abstention (Arts. 24 and 31 TEU).

mod eligibility;
mod machinery;
mod positions;
mod procedure;
mod vote;

pub use eligibility::{Ineligible, Moment, acting_state, eligibility, exists};
pub use machinery::{File, Files, Hold};
pub use positions::{OBJECTION_REASONS, Position, Positions, TABLE_OBJECTION, ballot_of};
pub use procedure::{DecisionRecord, PendingMeasure, PendingMeasures, Verdict};
pub use vote::{Ballot, Reason, VoteLog, VoteRecord, VoteWeights, cast_ballot, passes};

use crate::turn::{Deciding, TurnSet};
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<PendingMeasures>()
        .init_resource::<VoteLog>()
        .init_resource::<Files>()
        .init_resource::<Positions>()
        .add_systems(crate::turn::RunStart, start_run);
    app.add_systems(Deciding, procedure::decide.in_set(TurnSet::Procedure));
}

/// A new run: no file in the machinery, no measure pending, no vote held, no position taken
/// (emptied in place, keeping their memory for the next run of a batch).
fn start_run(
    mut pending: ResMut<PendingMeasures>,
    mut votes: ResMut<VoteLog>,
    mut files: ResMut<Files>,
    mut positions: ResMut<Positions>,
) {
    pending.0.clear();
    votes.0 = 0;
    files.0.clear();
    positions.0.clear();
}
