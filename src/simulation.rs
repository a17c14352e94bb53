//! A headless run: one world, one scenario, one seed, played turn by turn.
//!
//! The same type drives the command line, the tests and (later) the desktop window, so all of
//! them play the very same schedule.

use crate::actors::{ActorsData, refresh_cast, spawn_cast};
use crate::decisions::{Decision, PlayerDecisions, Policy, Proposals, Seats};
use crate::incidents::{FacilitatorFires, FacilitatorShifts, InjectBook};
use crate::outcome::{Outcome, Recording, RunLog, TurnRecord};
use crate::scenario::Scenario;
use crate::state::{Crisis, ScenarioRes};
use crate::toolbox::Toolbox;
use crate::turn::{Deciding, Streams, Tabling, TurnClock};
use bevy::ecs::schedule::{InternedScheduleLabel, ScheduleLabel};
use bevy::prelude::*;

/// One exercise run.
pub struct Simulation {
    app: App,
    /// The turn's schedules, out of the world's [`Schedules`] map.
    schedules: TurnSchedules,
    /// The incidents of the run, to despawn them when the next run of a batch starts (a query
    /// built afresh for each run was a third of the cost of despawning them).
    incidents: QueryState<Entity, With<crate::incidents::Incident>>,
    actors: ActorsData,
    toolbox: Toolbox,
    toolbox_changed: bool,
    /// The scenario whose cast is spawned, to reuse it when the next run plays the same one.
    cast_of: Option<std::sync::Arc<Scenario>>,
    /// Whether a turn is tabled and waits to be decided.
    tabled: bool,
    /// Misperception and perceived resolve before turn 1, from the cast's beliefs.
    start_readings: (f64, f64),
}

impl Simulation {
    /// A run of `scenario` with the embedded cast and Toolbox, the given seed, and `policy`
    /// holding every seat.
    pub fn new(scenario: Scenario, seed: u64, policy: Policy) -> Self {
        Self::with_cast(scenario, ActorsData::embedded_ref(), seed, policy)
    }

    /// A run with a given cast.
    pub fn with_cast(scenario: Scenario, actors: &ActorsData, seed: u64, policy: Policy) -> Self {
        let mut app = App::new();
        app.add_plugins(crate::plugin);
        let toolbox = app.world().resource::<Toolbox>().clone();
        let schedules = TurnSchedules::take(app.world_mut());
        let incidents = app
            .world_mut()
            .query_filtered::<Entity, With<crate::incidents::Incident>>();
        let mut sim = Self {
            app,
            schedules,
            incidents,
            actors: actors.clone(),
            toolbox,
            toolbox_changed: true,
            cast_of: None,
            tabled: false,
            start_readings: (0.0, 0.0),
        };
        sim.reset(scenario, seed, policy);
        sim
    }

    /// Starts a new run in the same world: every entity and every per-run resource is replaced,
    /// so the run is exactly what a fresh [`Simulation::new`] would play. Batch runs reuse one
    /// world per thread this way instead of building an app per run.
    pub fn reset(&mut self, scenario: impl Into<std::sync::Arc<Scenario>>, seed: u64, policy: Policy) {
        self.tabled = false;
        let scenario: std::sync::Arc<Scenario> = scenario.into();
        let same_cast = self
            .cast_of
            .as_ref()
            .is_some_and(|last| std::sync::Arc::ptr_eq(last, &scenario));
        let world = self.app.world_mut();
        if same_cast {
            // The same scenario again (a batch): keep the cast, rewind what a run changes.
            // Resources are entities too in this version of Bevy: the world cannot simply be
            // cleared.
            let doomed: Vec<Entity> = self.incidents.iter(world).collect();
            for entity in doomed {
                world.despawn(entity);
            }
            refresh_cast(world, &self.actors, &scenario);
        } else {
            despawn_run(world);
            spawn_cast(world, &self.actors, &scenario);
        }
        self.cast_of = Some(std::sync::Arc::clone(&scenario));
        // The world keeps the components removed since its trackers were last cleared (an app's
        // update does it every frame; a run never updates the app): without this, every run of a
        // batch left its despawned incidents behind, a kilobyte a run (a million-seed batch
        // peaked at 1 GB).
        world.clear_trackers();
        // The readings start where the cast's beliefs do, not at zero: nothing jumps at turn 1.
        let roster = world.resource::<crate::actors::Roster>();
        let (misperception, perceived_resolve) = crate::dynamics::readings(
            roster
                .adversaries
                .iter()
                .filter_map(|e| world.get::<crate::actors::Beliefs>(*e)),
        );
        self.start_readings = (misperception, perceived_resolve);
        world.insert_resource(Crisis {
            misperception,
            perceived_resolve,
            escalation: scenario.initial.escalation,
            peak_escalation: scenario.initial.escalation,
            cohesion: scenario.initial.cohesion,
            shared_awareness: scenario.initial.shared_awareness,
            ..default()
        });
        world.insert_resource(TurnClock {
            turn: 0,
            last_turn: scenario.turns,
            ended: false,
            calendar: crate::scenario::Calendar::of(&scenario),
        });
        let mut streams = Streams::new(seed);
        world.insert_resource(InjectBook::new(&scenario, &mut streams));
        world.insert_resource(streams);
        world.insert_resource(policy);
        // The Toolbox is copied afresh only when this run or the previous one changed it.
        let changes_toolbox = !scenario.toolbox.is_empty() || !scenario.assume_available.is_empty();
        if changes_toolbox || self.toolbox_changed {
            let mut toolbox = self.toolbox.clone();
            toolbox.fit(&scenario);
            world.insert_resource(toolbox);
            self.toolbox_changed = changes_toolbox;
        }
        world.insert_resource(ScenarioRes(scenario));
        // Each domain empties its own per-run records (`RunStart` systems in its plugin).
        self.schedules.run_start.run(world);
    }

    /// Queues a decision taken by people at the given turn, with the seat that took it when it
    /// is known (a delegation at its own desk).
    pub fn decide_as(&mut self, turn: u32, decision: Decision, seat: Option<crate::decisions::Role>) {
        if let Some(seat) = seat {
            self.app
                .world_mut()
                .resource_mut::<crate::decisions::Proposers>()
                .0
                .entry(turn)
                .or_default()
                .push((decision.clone(), seat));
        }
        self.decide(turn, decision);
    }

    /// Which seat took each of people's decisions, by turn, where it is known.
    pub fn proposers(&self) -> &std::collections::BTreeMap<u32, Vec<(Decision, crate::decisions::Role)>> {
        &self.app.world().resource::<crate::decisions::Proposers>().0
    }

    /// Queues a decision taken by people at the given turn.
    pub fn decide(&mut self, turn: u32, decision: Decision) {
        self.app
            .world_mut()
            .resource_mut::<PlayerDecisions>()
            .0
            .entry(turn)
            .or_default()
            .push(decision);
    }

    /// Queues a pool inject the facilitator fires at the given turn.
    pub fn fire(&mut self, turn: u32, inject: &str) {
        self.app
            .world_mut()
            .resource_mut::<FacilitatorFires>()
            .0
            .entry(turn)
            .or_default()
            .push(inject.to_owned());
    }

    /// Queues a change the facilitator makes to an adversary's campaign at the given turn.
    pub fn shift_posture(&mut self, turn: u32, shift: crate::scenario::PostureShift) {
        self.app
            .world_mut()
            .resource_mut::<FacilitatorShifts>()
            .0
            .entry(turn)
            .or_default()
            .push(shift);
    }

    /// The changes the facilitator made to adversaries' campaigns, by turn.
    pub fn facilitator_shifts(&self) -> &std::collections::BTreeMap<u32, Vec<crate::scenario::PostureShift>> {
        &self.app.world().resource::<FacilitatorShifts>().0
    }

    /// Hands seats to people: the policy stops playing them, and the Member States they hold
    /// back the table's proposals in the Council.
    pub fn set_seats(&mut self, seats: Seats) {
        let world = self.app.world_mut();
        let roster = world.resource::<crate::actors::Roster>().clone();
        for (index, entity) in roster.member_states.iter().enumerate() {
            if seats.holds_state(&roster.codes[index]) {
                world.entity_mut(*entity).insert(crate::actors::PlayerSeat);
            } else {
                world.entity_mut(*entity).remove::<crate::actors::PlayerSeat>();
            }
        }
        world.insert_resource(seats);
    }

    /// Records the position a Member State held by people takes on a Council measure from
    /// `position.turn` on.
    pub fn take_position(&mut self, position: crate::council::Position) {
        self.app
            .world_mut()
            .resource_mut::<crate::council::Positions>()
            .0
            .push(position);
    }

    /// The positions taken so far, in order.
    pub fn positions(&self) -> &[crate::council::Position] {
        &self.app.world().resource::<crate::council::Positions>().0
    }

    /// The seats people hold.
    pub fn seats(&self) -> &Seats {
        self.app.world().resource::<Seats>()
    }

    /// The decisions people took, by turn.
    pub fn player_decisions(&self) -> &std::collections::BTreeMap<u32, Vec<Decision>> {
        &self.app.world().resource::<PlayerDecisions>().0
    }

    /// The pool injects the facilitator fired, by turn.
    pub fn facilitator_fires(&self) -> &std::collections::BTreeMap<u32, Vec<String>> {
        &self.app.world().resource::<FacilitatorFires>().0
    }

    /// Hands the seats no human holds to another policy from the next turn on (a fork).
    pub fn set_policy(&mut self, policy: Policy) {
        self.app.world_mut().insert_resource(policy);
    }

    /// Whether turns remain to be played.
    pub fn running(&self) -> bool {
        self.app.world().resource::<TurnClock>().running()
    }

    /// Plays one turn, tabling and deciding it; `None` once the exercise is over.
    pub fn play_turn(&mut self) -> Option<&TurnRecord> {
        if !self.table_turn() {
            return None;
        }
        self.decide_turn()
    }

    /// Tables the next turn: the clock advances, injects fire, Member States investigate, and the
    /// players' and the engine's proposals are laid on the table, not yet decided. False once
    /// the exercise is over; true (and nothing done) when a turn is already tabled.
    pub fn table_turn(&mut self) -> bool {
        if self.tabled {
            return true;
        }
        if !self.running() {
            return false;
        }
        self.schedules.tabling.run(self.app.world_mut());
        self.tabled = true;
        true
    }

    /// Whether a turn is tabled and waits to be decided.
    pub fn tabled(&self) -> bool {
        self.tabled
    }

    /// The files of the tour de table, in order: the proposals of the tabled turn that the
    /// Member States decide in the Council (by consensus or unanimity), then the files in the
    /// machinery that are held at a stage or still being drafted (the sounding, the working
    /// party), on which a held State may still take, change or lift a position (between turns,
    /// only the latter).
    pub fn council_files(&self) -> Vec<Decision> {
        self.tour(true)
    }

    /// The files on which the tour de table must stop before the turn is decided: the new ones
    /// and the held ones (a file still being drafted can be answered, but does not hold up the
    /// turn).
    pub fn files_to_consult(&self) -> Vec<Decision> {
        self.tour(false)
    }

    fn tour(&self, drafting: bool) -> Vec<Decision> {
        // Between turns only the files in the machinery are open to positions.
        if !self.tabled && !drafting {
            return Vec::new();
        }
        let world = self.app.world();
        let toolbox = world.resource::<Toolbox>();
        let turn = world.resource::<TurnClock>().turn;
        let mut files: Vec<Decision> = if self.tabled {
            world
                .resource::<Proposals>()
                .0
                .iter()
                .filter(|d| toolbox.find(&d.measure).is_some_and(|id| toolbox.get(id).rule.voted()))
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        for file in &world.resource::<crate::council::Files>().0 {
            let in_drafting = matches!(
                file.current(),
                crate::toolbox::Stage::Sounding | crate::toolbox::Stage::WorkingParty
            ) && !file.review;
            // A review (a listing's, the framework's extension) is put to the table the turn it
            // is decided at COREPER or in the Council.
            let review_due = file.review && self.tabled && file.stage_ends() <= turn;
            if (file.held() || review_due || drafting && in_drafting) && !files.contains(&file.decision) {
                files.push(file.decision.clone());
            }
        }
        files
    }

    /// The Council files in the machinery, in the order tabled.
    pub fn files(&self) -> &[crate::council::File] {
        &self.app.world().resource::<crate::council::Files>().0
    }

    /// Decides the tabled turn: the procedure, effects, the adversary, the crisis, the record.
    /// `None` when no turn is tabled, or when the turn is not recorded (see `set_recording`).
    pub fn decide_turn(&mut self) -> Option<&TurnRecord> {
        if !self.tabled {
            return None;
        }
        self.schedules.deciding.run(self.app.world_mut());
        self.tabled = false;
        let turn = self.app.world().resource::<TurnClock>().turn;
        self.records().last().filter(|record| record.turn == turn)
    }

    /// Plays every remaining turn and returns the outcome.
    pub fn play_to_end(&mut self) -> &Outcome {
        // Turn by turn until none is left to table (a turn that is not recorded has no record to
        // hand back, see `set_recording`).
        while self.table_turn() {
            self.decide_turn();
        }
        self.outcome().expect("an ended exercise has an outcome")
    }

    /// Which turns the run records, from the next turn on: every turn unless told otherwise;
    /// a batch records only the last (see [`Recording`]). Kept from run to run.
    pub fn set_recording(&mut self, recording: Recording) {
        let world = self.app.world_mut();
        if *world.resource::<Recording>() != recording {
            world.insert_resource(recording);
        }
    }

    /// Every finished turn (only the last when the run records only the last, see
    /// [`Simulation::set_recording`]).
    pub fn records(&self) -> &[TurnRecord] {
        &self.app.world().resource::<RunLog>().0
    }

    /// The outcome, once the exercise has ended.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.app.world().get_resource::<Outcome>()
    }

    /// The cast this run was spawned from.
    pub fn actors(&self) -> &ActorsData {
        &self.actors
    }

    /// The simulation world, to read state.
    pub fn world(&self) -> &World {
        self.app.world()
    }

    /// The simulation world, for tests that set up a situation by hand.
    pub fn world_mut(&mut self) -> &mut World {
        self.app.world_mut()
    }
}

/// The schedules a run plays, taken out of the world once: a schedule the world keeps is taken
/// out of its map and put back (a hash lookup and two copies of the schedule) every time it runs,
/// twice a turn.
struct TurnSchedules {
    run_start: Schedule,
    tabling: Schedule,
    deciding: Schedule,
}

impl TurnSchedules {
    fn take(world: &mut World) -> Self {
        let mut schedules = world.resource_mut::<Schedules>();
        let mut take = |label: InternedScheduleLabel| {
            schedules
                .remove(label)
                .expect("the turn plugin adds the turn's schedules")
        };
        Self {
            run_start: take(crate::turn::RunStart.intern()),
            tabling: take(Tabling.intern()),
            deciding: take(Deciding.intern()),
        }
    }
}

/// What the engine knows of one adversary: for tests and evaluators, never shown to players.
#[derive(Debug, Clone, Copy)]
pub struct AdversaryState {
    /// Campaign intensity, 0 to 1.
    pub activity: f64,
    /// Belief that the EU will impose costs, 0 to 1.
    pub resolve: f64,
    /// Belief that the EU is security-seeking, 0 to 1.
    pub trust: f64,
    /// Costs borne so far.
    pub costs: f64,
}

impl Simulation {
    /// The hidden state of an adversary, by id.
    pub fn adversary(&self, id: &str) -> Option<AdversaryState> {
        let world = self.app.world();
        let roster = world.resource::<crate::actors::Roster>();
        let entity = *roster.adversaries.get(roster.adversary_index(id)?)?;
        let e = world.entity(entity);
        let beliefs = e.get::<crate::actors::Beliefs>()?;
        let campaign = e.get::<crate::actors::Campaign>()?;
        Some(AdversaryState {
            activity: campaign.activity,
            resolve: beliefs.resolve,
            trust: beliefs.trust,
            costs: campaign.costs,
        })
    }

    /// The crisis as it stands.
    pub fn crisis(&self) -> &Crisis {
        self.app.world().resource::<Crisis>()
    }

    /// Misperception and perceived resolve before turn 1, where the cast's beliefs put them: the
    /// start of their curves.
    pub fn start_readings(&self) -> (f64, f64) {
        self.start_readings
    }
}

/// Despawns the incidents and the cast of a run.
fn despawn_run(world: &mut World) {
    use crate::actors::{Adversary, Commission, Council, HighRepresentative, MemberState};
    use crate::incidents::Incident;
    let mut doomed: Vec<Entity> = Vec::new();
    doomed.extend(world.query_filtered::<Entity, With<Incident>>().iter(world));
    doomed.extend(world.query_filtered::<Entity, With<MemberState>>().iter(world));
    doomed.extend(world.query_filtered::<Entity, With<Adversary>>().iter(world));
    doomed.extend(world.query_filtered::<Entity, With<HighRepresentative>>().iter(world));
    doomed.extend(world.query_filtered::<Entity, With<Commission>>().iter(world));
    doomed.extend(world.query_filtered::<Entity, With<Council>>().iter(world));
    for entity in doomed {
        world.despawn(entity);
    }
}
