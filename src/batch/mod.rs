//! Batch runs for evaluators: many seeded runs per policy, on every core, summarised per policy
//! and per pair of policies.
//!
//! Every policy plays a seed before the next seed is taken, and runs are handed over a window of
//! seeds at a time, in seed order whatever the number of threads: the summary is reproducible,
//! the pairs of policies on each seed stream into it, and memory does not grow with the number
//! of seeds. A batch too big for one machine splits into shards whose summaries merge exactly.

mod stats;

pub use stats::{Estimate, Frequency, METRICS, Metric, Moments, PairTally, PolicyTally, Tallies, t_975};

use crate::Simulation;
use crate::decisions::Policy;
use crate::outcome::OutcomeKind;
use crate::scenario::Scenario;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::ops::{ControlFlow, Range};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

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
    /// Checksum of the last turn.
    pub checksum: u64,
}

/// Plays one run to the end in an existing simulation and summarises it. Every turn is recorded
/// and ends with its checksum, in a batch as anywhere (the project's rule: a run that goes wrong
/// is caught at the turn it goes wrong), although a summary reads only the last; recording the
/// last turn alone ([`crate::outcome::Recording::LastTurn`]) would save about 7% of a batch.
pub fn play_one(sim: &mut Simulation, scenario: &Arc<Scenario>, seed: u64, policy: Policy) -> RunSummary {
    sim.set_recording(crate::outcome::Recording::EveryTurn);
    sim.reset(Arc::clone(scenario), seed, policy);
    // The outcome is a handful of numbers: a copy, so that the records can be read next.
    let o = sim.play_to_end().clone();
    let checksum = sim.records().last().map_or(0, |t| t.checksum);
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
        checksum,
    }
}

/// Runs handed over at a time: enough to keep every core busy to the end of the window, few
/// enough that memory stays a few megabytes whatever the number of seeds.
const WINDOW_RUNS: u64 = 8192;

/// The seeds of shard `index` (1-based) of `count` over the seeds `seeds`: the index-th of
/// `count` contiguous blocks, as even as can be. `None` when the shard is not one of them.
pub fn shard(seeds: Range<u64>, index: u64, count: u64) -> Option<Range<u64>> {
    if count == 0 || index == 0 || index > count {
        return None;
    }
    let len = u128::from(seeds.end.saturating_sub(seeds.start));
    let at = |i: u64| seeds.start + (len * u128::from(i) / u128::from(count)) as u64;
    Some(at(index - 1)..at(index))
}

/// Plays the seeds `seeds`, every policy on a seed before the next seed, on every core. `sink`
/// receives each seed's runs (one per policy, in the order given), in seed order; it may stop
/// the batch by returning `Break`. `done` is called after each run (for a progress bar). When
/// `stop` is raised (Ctrl-C) the runs under way finish and the seeds whose every run finished
/// are handed over. Returns the number of seeds handed over.
pub fn stream_batch(
    scenario: &Scenario,
    policies: &[Policy],
    seeds: Range<u64>,
    stop: &AtomicBool,
    done: impl Fn() + Sync,
    mut sink: impl FnMut(&[RunSummary]) -> ControlFlow<()>,
) -> u64 {
    let per_seed = policies.len() as u64;
    if per_seed == 0 {
        return 0;
    }
    let scenario = Arc::new(scenario.clone());
    let window = (WINDOW_RUNS / per_seed).max(1);
    let mut handed = 0;
    let mut first = seeds.start;
    while first < seeds.end {
        let last = first.saturating_add(window).min(seeds.end);
        let runs: Vec<Option<RunSummary>> = (0..(last - first) * per_seed)
            .into_par_iter()
            .map(|i| {
                if stop.load(Ordering::Relaxed) {
                    return None;
                }
                let run = play_here(&scenario, first + i / per_seed, policies[(i % per_seed) as usize]);
                done();
                Some(run)
            })
            .collect();
        for seed in runs.chunks(per_seed as usize) {
            let Some(seed) = seed.iter().cloned().collect::<Option<Vec<RunSummary>>>() else {
                return handed;
            };
            handed += 1;
            if sink(&seed).is_break() {
                return handed;
            }
        }
        if stop.load(Ordering::Relaxed) {
            return handed;
        }
        first = last;
    }
    handed
}

/// Plays seeds `0..seeds` under each policy, on every core, and keeps every run: for tests and
/// small batches. Results are in seed order, every policy on a seed in the order given.
pub fn run_batch(scenario: &Scenario, policies: &[Policy], seeds: u64, done: impl Fn() + Sync) -> Vec<RunSummary> {
    let mut runs = Vec::new();
    stream_batch(scenario, policies, 0..seeds, &AtomicBool::new(false), done, |seed| {
        runs.extend_from_slice(seed);
        ControlFlow::Continue(())
    });
    runs
}

thread_local! {
    /// Each thread's simulation, reused from run to run and from batch to batch (building an
    /// app costs as much as several runs): a reset world plays any scenario exactly as a fresh
    /// one (tests/determinism.rs).
    static SIMULATION: RefCell<Option<Simulation>> = const { RefCell::new(None) };
}

/// Plays one run on this thread's simulation.
fn play_here(scenario: &Arc<Scenario>, seed: u64, policy: Policy) -> RunSummary {
    SIMULATION.with_borrow_mut(|slot| {
        let sim = slot.get_or_insert_with(|| Simulation::new((**scenario).clone(), 0, Policy::Passive));
        play_one(sim, scenario, seed, policy)
    })
}

/// Consecutive seeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedBlock {
    /// The first.
    pub start: u64,
    /// How many.
    pub count: u64,
}

impl SeedBlock {
    /// One past the last seed, in a wider type: a block may end at the very last seed.
    pub fn end(&self) -> u128 {
        u128::from(self.start) + u128::from(self.count)
    }
}

/// The version of the summary format that `batch --json` prints and `batch --merge` reads.
pub const SUMMARY_FORMAT: u32 = 1;

/// A batch's summary: what `batch --json` prints (with its figures) and `batch --merge` adds up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// [`SUMMARY_FORMAT`].
    pub format: u32,
    /// The model version that played the runs ([`crate::MODEL_VERSION`]).
    pub model: u32,
    /// The scenario's id.
    pub scenario: String,
    /// Its title.
    #[serde(default)]
    pub title: String,
    /// Its content hash.
    pub scenario_hash: String,
    /// The seeds played, in order, adjacent blocks joined.
    pub seeds: Vec<SeedBlock>,
    /// The seeds of the whole batch the runs belong to (all its shards' when played with
    /// `--shard`), so that a merge can tell when a shard is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<SeedBlock>,
    /// The tallies.
    pub tallies: Tallies,
}

/// Why summaries cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeError {
    /// Summaries of different things: scenarios, model versions, policies or formats.
    Incompatible(String),
    /// The same seed in two summaries: it would be counted twice.
    Overlap(u64),
}

impl std::fmt::Display for MergeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MergeError::Incompatible(why) => f.write_str(why),
            MergeError::Overlap(seed) => write!(f, "seed {seed} is in two summaries: it would be counted twice"),
        }
    }
}

impl Summary {
    /// An empty summary of a batch of these policies on a scenario.
    pub fn new(scenario: &Scenario, policies: &[Policy]) -> Self {
        Self {
            format: SUMMARY_FORMAT,
            model: crate::MODEL_VERSION,
            scenario: scenario.id.clone(),
            title: scenario.title.clone(),
            scenario_hash: crate::replay::scenario_hash(scenario),
            seeds: Vec::new(),
            batch: None,
            tallies: Tallies::new(policies),
        }
    }

    /// Adds one seed's runs (every policy's, in order).
    pub fn add_seed(&mut self, runs: &[RunSummary]) {
        let Some(seed) = runs.first().map(|r| r.seed) else {
            return;
        };
        self.tallies.add_seed(runs);
        match self.seeds.last_mut() {
            Some(block) if block.start + block.count == seed => block.count += 1,
            _ => self.seeds.push(SeedBlock { start: seed, count: 1 }),
        }
    }

    /// Seeds played.
    pub fn seed_count(&self) -> u64 {
        self.seeds.iter().fold(0, |n, b| n.saturating_add(b.count))
    }

    /// Adds another summary of other seeds of the same batch.
    pub fn merge(&mut self, other: &Summary) -> Result<(), MergeError> {
        let refuse = |what: &str, a: &dyn std::fmt::Display, b: &dyn std::fmt::Display| {
            Err(MergeError::Incompatible(format!("{what}: {a} and {b}")))
        };
        if other.format != self.format {
            return refuse("summary formats differ", &self.format, &other.format);
        }
        if other.model != self.model {
            return refuse("played by different model versions", &self.model, &other.model);
        }
        if other.scenario_hash != self.scenario_hash {
            return refuse(
                "different scenarios",
                &format!("{} ({})", self.scenario, self.scenario_hash),
                &format!("{} ({})", other.scenario, other.scenario_hash),
            );
        }
        if !self.tallies.same_shape(&other.tallies) {
            let names = |s: &Summary| {
                let names: Vec<&str> = s.tallies.policies.iter().map(|p| p.policy.name()).collect();
                names.join(", ")
            };
            return refuse("different policies", &names(self), &names(other));
        }
        let mut blocks: Vec<SeedBlock> = self.seeds.iter().chain(&other.seeds).copied().collect();
        blocks.sort_by_key(|b| b.start);
        let mut joined: Vec<SeedBlock> = Vec::new();
        for block in blocks.into_iter().filter(|b| b.count > 0) {
            match joined.last_mut() {
                Some(last) if u128::from(block.start) < last.end() => return Err(MergeError::Overlap(block.start)),
                Some(last) if u128::from(block.start) == last.end() => last.count += block.count,
                _ => joined.push(block),
            }
        }
        self.seeds = joined;
        self.tallies.merge(&other.tallies);
        // Shards of one batch keep it; pieces of different batches have no whole to miss.
        if self.batch != other.batch {
            self.batch = None;
        }
        Ok(())
    }

    /// Whether the summary's sums could have come from the seeds it lists: a summary edited by
    /// hand or damaged is refused rather than merged into wrong figures.
    pub fn consistent(&self) -> Result<(), String> {
        // The seeds: blocks of real seeds, in order, apart, and inside the whole batch.
        let mut end = 0_u128;
        let mut count = 0_u64;
        for block in &self.seeds {
            if block.count == 0 || block.end() > u128::from(u64::MAX) + 1 {
                return Err(format!("a block of {} seeds from seed {}", block.count, block.start));
            }
            if u128::from(block.start) < end {
                return Err(format!(
                    "its seed blocks overlap or are out of order at seed {}",
                    block.start
                ));
            }
            end = block.end();
            count = count
                .checked_add(block.count)
                .ok_or_else(|| "more seeds than there are".to_owned())?;
        }
        if let Some(batch) = self.batch {
            if batch.end() > u128::from(u64::MAX) + 1 {
                return Err(format!("a batch of {} seeds from seed {}", batch.count, batch.start));
            }
            if let Some(outside) = self
                .seeds
                .iter()
                .find(|b| b.start < batch.start || b.end() > batch.end())
            {
                return Err(format!(
                    "seeds {} to {} lie outside its batch (seeds {} to {})",
                    outside.start,
                    outside.end() - 1,
                    batch.start,
                    batch.end().saturating_sub(1)
                ));
            }
        }
        self.tallies.consistent(count)
    }

    /// The seeds of the whole batch that the summary does not cover: the shards still missing.
    pub fn missing(&self) -> Vec<SeedBlock> {
        let Some(batch) = self.batch else {
            return Vec::new();
        };
        let mut missing = Vec::new();
        let mut next = batch.start;
        let end = batch.start.saturating_add(batch.count);
        for block in &self.seeds {
            if block.start > next {
                missing.push(SeedBlock {
                    start: next,
                    count: block.start.min(end).saturating_sub(next),
                });
            }
            next = next.max(block.start.saturating_add(block.count));
        }
        if next < end {
            missing.push(SeedBlock {
                start: next,
                count: end - next,
            });
        }
        missing
    }
}

/// The figures a summary gives, for people and for `--json` readers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// Per policy.
    pub policies: Vec<PolicyFigures>,
    /// Per pair of policies: the first minus the second, seed by seed.
    pub pairs: Vec<PairFigures>,
}

/// One policy's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyFigures {
    /// The policy.
    pub policy: Policy,
    /// Runs.
    pub runs: u64,
    /// Each reading's mean, with its standard error and 95% interval.
    pub metrics: Vec<(Metric, Estimate)>,
    /// How often the runs ended each way.
    pub outcomes: Vec<(OutcomeKind, Frequency)>,
    /// How often the EU ended united (cohesion 0.5 or more).
    pub united: Frequency,
}

/// The paired differences between two policies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairFigures {
    /// The policy the differences are from.
    pub first: Policy,
    /// The policy subtracted.
    pub second: Policy,
    /// Each reading's mean difference, with its standard error and 95% interval.
    pub metrics: Vec<(Metric, Estimate)>,
}

impl Summary {
    /// The figures of the runs summarised so far.
    pub fn figures(&self) -> Figures {
        Figures {
            policies: self
                .tallies
                .policies
                .iter()
                .map(|t| PolicyFigures {
                    policy: t.policy,
                    runs: t.runs,
                    metrics: METRICS.iter().map(|m| (*m, t.estimate(*m))).collect(),
                    outcomes: OutcomeKind::ALL.iter().map(|k| (*k, t.frequency(*k))).collect(),
                    united: t.united(),
                })
                .collect(),
            pairs: self
                .tallies
                .pairs
                .iter()
                .map(|p| PairFigures {
                    first: p.first,
                    second: p.second,
                    metrics: METRICS.iter().map(|m| (*m, p.estimate(*m))).collect(),
                })
                .collect(),
        }
    }
}
