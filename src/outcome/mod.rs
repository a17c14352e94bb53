//! The end of every turn: what happened is recorded, the state is checksummed, and when the
//! exercise is over its outcome is judged.

mod checksum;
mod digest;
mod names;
mod record;
pub mod table;
mod verdict;

pub use checksum::{Fnv64, StateView};
pub use names::Names;
pub use record::{
    AdversaryReading, AmendmentRecord, AssessmentRecord, HoldRecord, InjectRecord, ReactionRecord, Recording, RunLog,
    RunTally, TurnLog, TurnRecord,
};
pub use verdict::{Outcome, OutcomeKind};

use crate::turn::{Deciding, Tabling, TurnSet};
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<TurnLog>()
        .init_resource::<RunLog>()
        .init_resource::<RunTally>()
        .init_resource::<Recording>()
        .add_systems(crate::turn::RunStart, start_run);
    app.add_systems(Tabling, record::begin_turn.in_set(TurnSet::Begin));
    app.add_systems(
        Deciding,
        (record::record_turn, verdict::judge).chain().in_set(TurnSet::Outcome),
    );
}

/// A new run: no turn recorded or tallied, no outcome.
fn start_run(mut log: ResMut<TurnLog>, mut run: ResMut<RunLog>, mut tally: ResMut<RunTally>, mut commands: Commands) {
    *log = TurnLog::default();
    run.0.clear();
    *tally = RunTally::default();
    commands.remove_resource::<Outcome>();
}
