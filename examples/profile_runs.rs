//! scratch: 300 runs for callgrind
fn main() {
    let scenario = demarche::scenario::parse_scenario(
        "d",
        demarche::scenario::DEFAULT_SCENARIO,
        &demarche::actors::ActorsData::embedded(),
    )
    .unwrap();
    let mut sim = demarche::Simulation::new(scenario.clone(), 0, demarche::decisions::Policy::Proportional);
    for seed in 0..300 {
        demarche::batch::play_one(&mut sim, &scenario, seed, demarche::decisions::Policy::Proportional);
    }
}
