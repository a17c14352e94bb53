//! The turn: two custom schedules whose system sets run in a fixed order, on one thread, so that
//! a run is defined by its scenario, its seed and the decisions taken, and by nothing else.
//!
//! A turn is **tabled** (injects, perception, proposals: [`Tabling`]) and then **decided** (the
//! procedure, effects, the adversary, dynamics, the record: [`Deciding`]). Between the two, the
//! Member States people hold are consulted on the Council files tabled (a tour de table); a
//! headless run plays both halves back to back.

mod chance;
mod clock;

pub use chance::{Stream, Streams};
pub use clock::TurnClock;

use bevy::ecs::schedule::{LogLevel, ScheduleBuildSettings, ScheduleLabel, SingleThreadedExecutor};
use bevy::prelude::*;

/// The first half of a turn: the clock advances, injects fire, Member States investigate, and
/// proposals are tabled.
#[derive(ScheduleLabel, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tabling;

/// The second half of a turn: the files tabled are decided, measures take effect, the adversary
/// answers, the crisis moves and the turn is recorded with its checksum.
#[derive(ScheduleLabel, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Deciding;

/// The start of a run, after the run's scenario, seed, clock and crisis are set: each domain
/// empties what it recorded in the previous run (a batch plays many runs in one world), so that
/// no per-run record can be forgotten from a list kept elsewhere.
#[derive(ScheduleLabel, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RunStart;

/// The stages of a turn, in the order they run. New stages are ordered here and nowhere else.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TurnSet {
    /// What a new turn starts from, once the clock has moved: each domain's per-turn tallies
    /// (the turn's log, the operations and hostility an adversary has seen) set back to nothing.
    Begin,
    /// What the story's date decides: the Council Presidency.
    Calendar,
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
    /// Escalation, misperception, perceived resolve and cohesion are updated.
    Dynamics,
    /// The turn is recorded, the outcome judged and the state checksummed.
    Outcome,
}

/// A schedule on one thread with every conflicting pair of systems ordered: two runs of the
/// same (scenario, seed, decisions) must execute the very same sequence of writes.
fn ordered(label: impl ScheduleLabel) -> Schedule {
    let mut schedule = Schedule::new(label);
    schedule.set_executor(SingleThreadedExecutor::new());
    schedule.set_build_settings(ScheduleBuildSettings {
        ambiguity_detection: LogLevel::Error,
        ..default()
    });
    schedule
}

pub(super) fn plugin(app: &mut App) {
    app.add_schedule(ordered(RunStart))
        .add_schedule(ordered(Tabling))
        .add_schedule(ordered(Deciding));
    app.configure_sets(
        Tabling,
        (
            TurnSet::Begin,
            TurnSet::Calendar,
            TurnSet::Injects,
            TurnSet::Perception,
            TurnSet::Decisions,
        )
            .chain(),
    );
    app.configure_sets(
        Deciding,
        (
            TurnSet::Procedure,
            TurnSet::Effects,
            TurnSet::Adversary,
            TurnSet::Dynamics,
            TurnSet::Outcome,
        )
            .chain(),
    );
    app.init_resource::<TurnClock>();
    app.add_systems(Tabling, clock::advance_clock.before(TurnSet::Begin));
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
        app.add_systems(Deciding, (add_one, double).in_set(TurnSet::Effects));
        let run = std::panic::catch_unwind(AssertUnwindSafe(|| app.world_mut().run_schedule(Deciding)));
        assert!(run.is_err(), "an ambiguous turn schedule was accepted");
    }

    #[test]
    fn the_same_pair_ordered_is_accepted() {
        let mut app = App::new();
        app.add_plugins(plugin);
        app.init_resource::<Tally>();
        app.add_systems(Deciding, (add_one, double).chain().in_set(TurnSet::Effects));
        app.world_mut().run_schedule(Deciding);
        assert_eq!(app.world().resource::<Tally>().0, 2);
    }
}
