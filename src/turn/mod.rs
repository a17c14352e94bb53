//! The turn: one custom schedule whose system sets run in a fixed order, on one thread, so that
//! a run is defined by its scenario, its seed and the decisions taken, and by nothing else.

mod chance;
mod clock;

pub use chance::{Stream, Streams};
pub use clock::TurnClock;

use bevy::ecs::schedule::{LogLevel, ScheduleBuildSettings, ScheduleLabel, SingleThreadedExecutor};
use bevy::prelude::*;

/// The schedule that plays one turn of the exercise.
#[derive(ScheduleLabel, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Turn;

/// The stages of a turn, in the order they run. New stages are ordered here and nowhere else.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TurnSet {
    /// Scripted injects fire; adversary operations surface as incidents.
    Injects,
    /// Member States investigate and share; attribution confidence moves.
    Perception,
    /// Players or the scripted policy propose Toolbox measures.
    Decisions,
    /// The decision procedure: the High Representative, the Presidency, the Commission, the
    /// Member State-led networks, one Member State, or the Council by consensus or unanimity.
    Procedure,
    /// Adopted measures whose lead time has run out take effect.
    Effects,
    /// Each adversary reads the EU's signals and sets its campaign for the next turn.
    Adversary,
    /// Escalation, misperception and cohesion are updated.
    Dynamics,
    /// The turn is recorded, the outcome judged and the state checksummed.
    Outcome,
}

pub(super) fn plugin(app: &mut App) {
    let mut schedule = Schedule::new(Turn);
    // One thread and every conflicting pair of systems ordered: two runs of the same
    // (scenario, seed, decisions) must execute the very same sequence of writes.
    schedule.set_executor(SingleThreadedExecutor::new());
    schedule.set_build_settings(ScheduleBuildSettings {
        ambiguity_detection: LogLevel::Error,
        ..default()
    });
    app.add_schedule(schedule);
    app.configure_sets(
        Turn,
        (
            TurnSet::Injects,
            TurnSet::Perception,
            TurnSet::Decisions,
            TurnSet::Procedure,
            TurnSet::Effects,
            TurnSet::Adversary,
            TurnSet::Dynamics,
            TurnSet::Outcome,
        )
            .chain(),
    );
    app.init_resource::<TurnClock>();
    app.add_systems(Turn, clock::advance_clock.before(TurnSet::Injects));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::panic::AssertUnwindSafe;

    #[derive(Resource, Default)]
    struct Tally(u32);

    fn add_one(mut tally: ResMut<Tally>) {
        tally.0 += 1;
    }

    fn double(mut tally: ResMut<Tally>) {
        tally.0 *= 2;
    }

    #[test]
    fn two_unordered_systems_writing_the_same_data_are_refused() {
        // Their order would decide the result ((0+1)*2 or 0*2+1): the schedule must not build.
        let mut app = App::new();
        app.add_plugins(plugin);
        app.init_resource::<Tally>();
        app.add_systems(Turn, (add_one, double).in_set(TurnSet::Effects));
        let run = std::panic::catch_unwind(AssertUnwindSafe(|| app.world_mut().run_schedule(Turn)));
        assert!(run.is_err(), "an ambiguous turn schedule was accepted");
    }

    #[test]
    fn the_same_pair_ordered_is_accepted() {
        let mut app = App::new();
        app.add_plugins(plugin);
        app.init_resource::<Tally>();
        app.add_systems(Turn, (add_one, double).chain().in_set(TurnSet::Effects));
        app.world_mut().run_schedule(Turn);
        assert_eq!(app.world().resource::<Tally>().0, 2);
    }
}
