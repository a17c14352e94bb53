//! A run is (scenario, seed, decisions): the same arguments always give byte-identical output,
//! and different seeds give different runs.

mod common;

use common::*;
use demarche::decisions::Policy;

#[test]
fn the_same_seed_gives_byte_identical_output() {
    for policy in ["restraint", "proportional", "hawkish"] {
        let first = demarche(&["run", "default", "--seed", "42", "--policy", policy, "--json"]);
        let second = demarche(&["run", "default", "--seed", "42", "--policy", policy, "--json"]);
        assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
        assert_eq!(first.stdout, second.stdout, "policy {policy}");
        let table1 = demarche(&["run", "--seed", "42", "--policy", policy]);
        let table2 = demarche(&["run", "--seed", "42", "--policy", policy]);
        assert_eq!(table1.stdout, table2.stdout, "policy {policy}");
    }
}

#[test]
fn the_json_report_has_the_documented_fields() {
    let out = demarche(&["run", "default", "--seed", "7", "--policy", "hawkish", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON object");
    assert_eq!(doc["seed"], 7);
    assert_eq!(doc["policy"], "hawkish");
    let turns = doc["turns"].as_array().expect("turns is a list");
    assert!(!turns.is_empty());
    for t in turns {
        for field in ["turn", "escalation", "misperception", "perceived_resolve", "cohesion"] {
            assert!(t[field].is_number(), "turn lacks {field}: {t}");
        }
        let checksum = t["checksum"].as_str().expect("checksum is a string");
        assert_eq!(checksum.len(), 16, "{checksum}");
        assert!(checksum.chars().all(|c| c.is_ascii_hexdigit()), "{checksum}");
    }
    assert!(doc["outcome"]["kind"].is_string());
    assert!(doc["outcome"]["final_perceived_resolve"].is_number());
}

#[test]
fn different_seeds_give_different_checksums() {
    let scenario = default_scenario();
    let checksums = |seed| -> Vec<u64> {
        play(&scenario, seed, Policy::Proportional, &[])
            .records()
            .iter()
            .map(|t| t.checksum)
            .collect()
    };
    let a = checksums(1);
    let b = checksums(2);
    assert_eq!(a.len(), b.len());
    for (turn, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_ne!(x, y, "turn {} has the same checksum under seeds 1 and 2", turn + 1);
    }
}

#[test]
fn a_run_in_the_library_matches_itself_turn_by_turn() {
    let scenario = default_scenario();
    for seed in 0..20 {
        for policy in Policy::ALL {
            let a = play(&scenario, seed, policy, &[]);
            let b = play(&scenario, seed, policy, &[]);
            assert_eq!(a.records(), b.records(), "seed {seed}, policy {}", policy.name());
        }
    }
}

#[test]
fn every_turn_ends_with_a_checksum_that_changes_as_the_state_moves() {
    let sim = play(&default_scenario(), 3, Policy::Hawkish, &[]);
    let sums: Vec<u64> = sim.records().iter().map(|t| t.checksum).collect();
    let mut unique = sums.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), sums.len(), "two turns share a checksum: {sums:x?}");
}

#[test]
fn a_reused_world_plays_exactly_like_a_fresh_one() {
    let scenario = default_scenario();
    let mut reused = demarche::Simulation::new(scenario.clone(), 99, Policy::Hawkish);
    reused.play_to_end();
    for (seed, policy) in [
        (5, Policy::Proportional),
        (6, Policy::Restraint),
        (5, Policy::Proportional),
    ] {
        reused.reset(scenario.clone(), seed, policy);
        reused.play_to_end();
        let fresh = play(&scenario, seed, policy, &[]);
        assert_eq!(reused.records(), fresh.records(), "seed {seed} after reuse");
        assert_eq!(reused.outcome(), fresh.outcome());
    }
}

#[test]
fn a_batch_gives_the_same_summary_whatever_the_number_of_threads() {
    let scenario = default_scenario();
    let policies = [Policy::Restraint, Policy::Hawkish];
    let parallel = demarche::batch::run_batch(&scenario, &policies, 40, || {});
    let single = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| demarche::batch::run_batch(&scenario, &policies, 40, || {}));
    assert_eq!(parallel, single);
    for run in &parallel {
        let alone = play(&scenario, run.seed, run.policy, &[]);
        assert_eq!(run.checksum, alone.records().last().unwrap().checksum);
    }
}

#[test]
fn a_world_reused_across_every_shipped_scenario_plays_like_a_fresh_one() {
    // A batch thread keeps one world for every run it plays, whatever the scenario: a run after
    // any other run, of the same scenario or another, is the run a fresh world plays.
    let actors = demarche::actors::ActorsData::embedded();
    let scenarios: Vec<std::sync::Arc<demarche::scenario::Scenario>> = demarche::scenario::SHIPPED
        .iter()
        .map(|(name, text)| std::sync::Arc::new(demarche::scenario::parse_scenario(name, text, &actors).unwrap()))
        .collect();
    let mut reused = demarche::Simulation::new((*scenarios[scenarios.len() - 1]).clone(), 1, Policy::Hawkish);
    reused.play_to_end();
    for scenario in &scenarios {
        // The same scenario twice: the second run rewinds the cast instead of rebuilding it.
        for (seed, policy) in [(3, Policy::Proportional), (4, Policy::Hawkish)] {
            reused.reset(std::sync::Arc::clone(scenario), seed, policy);
            reused.play_to_end();
            let fresh = play(scenario, seed, policy, &[]);
            assert_eq!(
                reused.records(),
                fresh.records(),
                "{}, seed {seed}, after another run",
                scenario.id
            );
            assert_eq!(reused.outcome(), fresh.outcome());
        }
    }
}
