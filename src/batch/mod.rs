//! Batch runs for evaluators: many seeded runs per policy, on every core, summarised per policy.
//!
//! Results come back in (policy, seed) order whatever the number of threads, so the summary is
//! itself reproducible.

mod stats;

pub use stats::{PolicyStats, Spread, summarise};

use crate::Simulation;
use crate::decisions::Policy;
use crate::outcome::OutcomeKind;
use crate::scenario::Scenario;
use rayon::prelude::*;
use serde::Serialize;

/// The end of one run, as a batch keeps it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunSummary {
    /// The run's seed.
    pub seed: u64,
    /// The policy that played it.
    pub policy: Policy,
    /// How it ended.
    pub outcome: OutcomeKind,
    /// Turns played.
    pub turns: u32,
    /// Highest escalation reached.
    pub peak_escalation: f64,
    /// Escalation at the end.
    pub final_escalation: f64,
    /// Misperception at the end.
    pub final_misperception: f64,
    /// Cohesion at the end.
    pub final_cohesion: f64,
    /// Measures adopted.
    pub measures_adopted: usize,
    /// Council votes blocked.
    pub votes_blocked: usize,
    /// Checksum of the last turn, as 16 hex digits.
    pub checksum: String,
}

/// Plays one run to the end in an existing simulation and summarises it.
pub fn play_one(sim: &mut Simulation, scenario: &Scenario, seed: u64, policy: Policy) -> RunSummary {
    sim.reset(scenario.clone(), seed, policy);
    let o = sim.play_to_end().clone();
    RunSummary {
        seed,
        policy,
        outcome: o.kind,
        turns: o.turns_played,
        peak_escalation: o.peak_escalation,
        final_escalation: o.final_escalation,
        final_misperception: o.final_misperception,
        final_cohesion: o.final_cohesion,
        measures_adopted: o.measures_adopted,
        votes_blocked: o.votes.1,
        checksum: format!("{:016x}", sim.records().last().map_or(0, |t| t.checksum)),
    }
}

/// Plays seeds `0..seeds` under each policy, on every core; `done` is called after each run
/// (for a progress bar). Results are in policy order, then seed order.
pub fn run_batch(scenario: &Scenario, policies: &[Policy], seeds: u64, done: impl Fn() + Sync) -> Vec<RunSummary> {
    let jobs: Vec<(Policy, u64)> = policies.iter().flat_map(|p| (0..seeds).map(move |s| (*p, s))).collect();
    jobs.par_iter()
        .map_init(
            || Simulation::new(scenario.clone(), 0, Policy::Passive),
            |sim, (policy, seed)| {
                let run = play_one(sim, scenario, *seed, *policy);
                done();
                run
            },
        )
        .collect()
}
