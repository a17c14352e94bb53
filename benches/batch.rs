//! Batch throughput (target: at least 25,000 runs per second on a 2-core machine). Run with
//! `cargo bench --no-default-features --bench batch`; criterion reports, per scenario, the time
//! of a batch of 2,000 runs on every core, and of one run on one core.
//!
//! Two scenarios are measured. "default scenario" is whatever the engine embeds today, so its
//! figures follow the model as its default scenario changes. "pinned 2026-12 default" is the
//! default scenario as it stood in December 2026, kept unchanged in
//! `benches/fixtures/default-2026-12.ron`: a new scenario or a retuned default does not move
//! this figure, so it compares the engine's speed across model versions. The fixture is never
//! edited; a scenario format change that it no longer parses calls for a new pinned fixture next
//! to it (and a new group), not for an edit.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use demarche::Simulation;
use demarche::actors::ActorsData;
use demarche::batch::{Summary, play_one, stream_batch};
use demarche::decisions::Policy;
use demarche::scenario::{DEFAULT_SCENARIO, Scenario, parse_scenario};
use std::hint::black_box;
use std::sync::Arc;

/// The default scenario as it was in December 2026 (see the module's documentation).
const PINNED_2026_12: &str = include_str!("fixtures/default-2026-12.ron");

fn batch_throughput(c: &mut Criterion) {
    let actors = ActorsData::embedded();
    let current = parse_scenario("default", DEFAULT_SCENARIO, &actors).unwrap();
    bench_scenario(c, "default scenario", &current);
    let pinned = parse_scenario("default-2026-12", PINNED_2026_12, &actors).unwrap();
    bench_scenario(c, "pinned 2026-12 default", &pinned);
}

/// A batch of 2,000 runs on every core, and one run on one core, of the proportional policy.
fn bench_scenario(c: &mut Criterion, name: &str, scenario: &Scenario) {
    let mut group = c.benchmark_group(name);
    group.sample_size(20);
    group.throughput(Throughput::Elements(2000));
    group.bench_function("batch of 2000 runs, every core", |b| {
        // The path `demarche batch` takes: runs streamed into the summary, nothing kept.
        b.iter(|| {
            let policies = [Policy::Proportional];
            let mut summary = Summary::new(scenario, &policies);
            let stop = std::sync::atomic::AtomicBool::new(false);
            stream_batch(
                black_box(scenario),
                &policies,
                0..2000,
                &stop,
                || {},
                |runs| {
                    summary.add_seed(runs);
                    std::ops::ControlFlow::Continue(())
                },
            );
            summary
        })
    });
    group.throughput(Throughput::Elements(1));
    let mut sim = Simulation::new(scenario.clone(), 0, Policy::Proportional);
    let mut seed = 0;
    let shared = Arc::new(scenario.clone());
    group.bench_function("one run, one core", |b| {
        b.iter(|| {
            seed += 1;
            play_one(&mut sim, black_box(&shared), seed, Policy::Proportional)
        })
    });
    group.finish();
}

criterion_group!(benches, batch_throughput);
criterion_main!(benches);
