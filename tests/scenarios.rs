//! Every shipped scenario plays to the end under every built-in policy.

use demarche::Simulation;
use demarche::actors::ActorsData;
use demarche::decisions::Policy;
use demarche::scenario::load_scenario;
use std::path::Path;

#[test]
fn every_shipped_scenario_plays_to_the_end_under_every_policy() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut played = 0;
    for path in files.iter().filter(|p| p.extension().is_some_and(|x| x == "ron")) {
        let scenario = load_scenario(path, &ActorsData::embedded()).unwrap_or_else(|e| panic!("{}", e.explain()));
        assert!(
            (8..=15).contains(&scenario.turns),
            "{}: {} turns",
            path.display(),
            scenario.turns
        );
        for policy in Policy::ALL {
            for seed in 0..5 {
                let mut sim = Simulation::new(scenario.clone(), seed, policy);
                let outcome = sim.play_to_end().clone();
                assert!(outcome.turns_played >= 1 && outcome.turns_played <= scenario.turns);
                assert_eq!(sim.records().len() as u32, outcome.turns_played, "{}", path.display());
            }
        }
        played += 1;
    }
    assert!(played >= 6, "only {played} scenarios ship");
}
