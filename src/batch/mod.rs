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
    /// The adversaries' perceived resolve of the EU at the end.
    pub final_perceived_resolve: f64,
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
pub fn play_one(sim: &mut Simulation, scenario: &std::sync::Arc<Scenario>, seed: u64, policy: Policy) -> RunSummary {
    sim.reset(std::sync::Arc::clone(scenario), seed, policy);
    let o = sim.play_to_end().clone();
    RunSummary {
        seed,
        policy,
        outcome: o.kind,
        turns: o.turns_played,
        peak_escalation: o.peak_escalation,
        final_escalation: o.final_escalation,
        final_misperception: o.final_misperception,
        final_perceived_resolve: o.final_perceived_resolve,
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
    let scenario = std::sync::Arc::new(scenario.clone());
    // One contiguous chunk and one reused world per thread: building an app costs as much as
    // several runs, so it is done once per thread, not once per work split.
    let threads = rayon::current_num_threads().max(1);
    let chunk = jobs.len().div_ceil(threads).max(1);
    let chunks: Vec<Vec<RunSummary>> = jobs
        .par_chunks(chunk)
        .map(|part| {
            let mut sim = Simulation::new((*scenario).clone(), 0, Policy::Passive);
            part.iter()
                .map(|(policy, seed)| {
                    let run = play_one(&mut sim, &scenario, *seed, *policy);
                    done();
                    run
                })
                .collect()
        })
        .collect();
    chunks.into_iter().flatten().collect()
}
