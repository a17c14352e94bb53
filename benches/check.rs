//! How long `demarche check` takes on a generated 5,000-inject scenario (target: under 100 ms on
//! a 2-core machine), and on a chain of 20,000 `After` injects (linear time). Run with
//! `cargo bench --no-default-features --bench check`.

use criterion::{Criterion, criterion_group, criterion_main};
use demarche::actors::ActorsData;
use demarche::scenario::check::check_text;
use demarche::scenario::synthetic::{chain_scenario, large_scenario};
use demarche::toolbox::Toolbox;
use std::hint::black_box;

fn check_5000_injects(c: &mut Criterion) {
    let text = large_scenario(5000);
    let actors = ActorsData::embedded();
    let toolbox = Toolbox::embedded();
    let report = check_text("synthetic", &text, &actors, &toolbox);
    assert!(report.findings.is_empty(), "the generated scenario must be clean");
    c.bench_function("check 5000 injects", |b| {
        b.iter(|| check_text("synthetic", black_box(&text), &actors, &toolbox))
    });
}

/// A chain of 20,000 `After` injects, followers first: linear, not quadratic (it took 100 s
/// before the checker walked each chain once).
fn check_a_chain_of_20000(c: &mut Criterion) {
    let text = chain_scenario(20_000, true);
    let actors = ActorsData::embedded();
    let toolbox = Toolbox::embedded();
    c.bench_function("check a 20000-inject After chain", |b| {
        b.iter(|| check_text("chain", black_box(&text), &actors, &toolbox))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = check_5000_injects, check_a_chain_of_20000
}
criterion_main!(benches);
