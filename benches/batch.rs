//! Batch throughput on the default scenario (target: at least 10,000 runs per second on a
//! 2-core machine). Run with `cargo bench --no-default-features --bench batch`; criterion
//! reports the time of a batch of 2,000 runs on every core, and of one run on one core.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use demarche::Simulation;
use demarche::actors::ActorsData;
use demarche::batch::{Summary, play_one, stream_batch};
use demarche::decisions::Policy;
use demarche::scenario::{DEFAULT_SCENARIO, parse_scenario};
use std::hint::black_box;

fn batch_throughput(c: &mut Criterion) {
    let scenario = parse_scenario("default", DEFAULT_SCENARIO, &ActorsData::embedded()).unwrap();
    let mut group = c.benchmark_group("default scenario");
    group.sample_size(20);
    group.throughput(Throughput::Elements(2000));
    group.bench_function("batch of 2000 runs, every core", |b| {
        // The path `demarche batch` takes: runs streamed into the summary, nothing kept.
        b.iter(|| {
            let policies = [Policy::Proportional];
            let mut summary = Summary::new(&scenario, &policies);
            let stop = std::sync::atomic::AtomicBool::new(false);
            stream_batch(
                black_box(&scenario),
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
    let shared = std::sync::Arc::new(scenario.clone());
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
