//! A headless run: one world, one scenario, one seed, played turn by turn.
//!
//! The same type drives the command line, the tests and (later) the desktop window, so all of
//! them play the very same schedule.

use crate::actors::{ActorsData, spawn_cast};
use crate::decisions::{Decision, PlayerDecisions, Policy};
use crate::dynamics::Crisis;
use crate::incidents::{FacilitatorFires, InjectBook};
use crate::outcome::{Outcome, RunLog, TurnRecord};
use crate::scenario::Scenario;
use crate::toolbox::Toolbox;
use crate::turn::{Streams, Turn, TurnClock};
use bevy::prelude::*;

/// The scenario being played.
#[derive(Resource, Debug, Clone)]
pub struct ScenarioRes(pub Scenario);

/// One exercise run.
pub struct Simulation {
    app: App,
}

impl Simulation {
    /// A run of `scenario` with the embedded cast and Toolbox, the given seed, and `policy`
    /// holding every seat.
    pub fn new(scenario: Scenario, seed: u64, policy: Policy) -> Self {
        Self::with_cast(scenario, &ActorsData::embedded(), seed, policy)
    }

    /// A run with a given cast.
    pub fn with_cast(scenario: Scenario, actors: &ActorsData, seed: u64, policy: Policy) -> Self {
        let mut app = App::new();
        app.add_plugins(crate::plugin);
        let world = app.world_mut();
        world.insert_resource(Crisis {
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
        });
        let mut streams = Streams::new(seed);
        world.insert_resource(InjectBook::new(&scenario, &mut streams));
        world.insert_resource(streams);
        world.insert_resource(policy);
        world.resource_mut::<Toolbox>().apply(&scenario.toolbox);
        spawn_cast(world, actors, &scenario);
        world.insert_resource(ScenarioRes(scenario));
        Self { app }
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

    /// Whether turns remain to be played.
    pub fn running(&self) -> bool {
        self.app.world().resource::<TurnClock>().running()
    }

    /// Plays one turn; `None` once the exercise is over.
    pub fn play_turn(&mut self) -> Option<&TurnRecord> {
        if !self.running() {
            return None;
        }
        self.app.world_mut().run_schedule(Turn);
        self.records().last()
    }

    /// Plays every remaining turn and returns the outcome.
    pub fn play_to_end(&mut self) -> &Outcome {
        while self.play_turn().is_some() {}
        self.outcome().expect("an ended exercise has an outcome")
    }

    /// Every finished turn.
    pub fn records(&self) -> &[TurnRecord] {
        &self.app.world().resource::<RunLog>().0
    }

    /// The outcome, once the exercise has ended.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.app.world().get_resource::<Outcome>()
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
}
