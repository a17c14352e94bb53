//! Shared helpers for the integration tests: a controlled scenario and averaging over seeds.
#![allow(dead_code)]

use demarche::Simulation;
use demarche::actors::ActorsData;
use demarche::decisions::{Decision, Policy};
use demarche::scenario::{DEFAULT_SCENARIO, Scenario, parse_scenario};

/// Seeds every direction test averages over: never one lucky seed.
pub const SEEDS: u64 = 200;

/// One incident by Borealia against three capable Member States, easy to attribute, with
/// Member States sharing freely: the measures under test can be taken on time in nearly every
/// seed, so differences between runs come from the measures themselves.
pub const CONTROLLED: &str = r#"Scenario(
    id: "controlled", title: "Controlled experiment", turns: 14,
    adversaries: ["borealia", "sandstorm"],
    initial: (escalation: 2.0, cohesion: 0.8, shared_awareness: 0.9),
    adversary_overrides: { "borealia": (activity: 0.5) },
    injects: [
        Inject(id: "attack", at: Turn(1), title: "Disruptive attack on energy traders",
            incident: Some(IncidentSpec(perpetrator: "borealia", victims: ["DE", "FR", "NL"],
                severity: (scope: 2, scale: 3, duration: 3, intensity: 3, complexity: 2, sophistication: 0, impact: 2)))),
    ],
)"#;

pub fn controlled() -> Scenario {
    parse_scenario("controlled", CONTROLLED, &ActorsData::embedded()).expect("the controlled scenario is valid")
}

/// The controlled scenario played over two months rather than two weeks: what an answer does
/// to a campaign shows over weeks, as the campaign's planning catches up with what the
/// adversary believes of the EU (docs/model.md, section 9).
pub fn controlled_over_months() -> Scenario {
    let text = CONTROLLED.replacen("turns: 14,", "turns: 60,", 1);
    parse_scenario("controlled", &text, &ActorsData::embedded()).expect("the controlled scenario is valid")
}

pub fn default_scenario() -> Scenario {
    parse_scenario("default", DEFAULT_SCENARIO, &ActorsData::embedded()).expect("the default scenario is valid")
}

/// Plays a run to the end with the players' decisions given as (turn, decision).
pub fn play(scenario: &Scenario, seed: u64, policy: Policy, decisions: &[(u32, Decision)]) -> Simulation {
    let mut sim = Simulation::new(scenario.clone(), seed, policy);
    for (turn, d) in decisions {
        sim.decide(*turn, d.clone());
    }
    sim.play_to_end();
    sim
}

/// Mean of `f` over [`SEEDS`] runs.
pub fn mean_over_seeds(f: impl FnMut(u64) -> f64) -> f64 {
    (0..SEEDS).map(f).sum::<f64>() / SEEDS as f64
}

/// Whether a decision on `measure` was adopted during the run.
pub fn adopted(sim: &Simulation, measure: &str) -> bool {
    sim.records()
        .iter()
        .flat_map(|t| &t.decisions)
        .any(|d| d.decision.measure == measure && matches!(d.verdict, demarche::council::Verdict::Adopted { .. }))
}

/// Runs the `demarche` binary with arguments and returns what it did.
pub fn demarche(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_demarche"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// A scratch folder of this test process, under the system's temporary folder: emptied the
/// first time this process asks for it, since a process of an earlier run with the same id (a
/// fresh machine hands out the same low ids) may have left its files there, and recording
/// refuses to replace a file.
pub fn scratch_dir(tag: &str) -> std::path::PathBuf {
    static CLEARED: std::sync::Mutex<std::collections::BTreeSet<String>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    let dir = std::env::temp_dir().join(format!("demarche-{tag}-{}", std::process::id()));
    let mut cleared = CLEARED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if cleared.insert(tag.to_owned()) {
        let _ = std::fs::remove_dir_all(&dir);
    }
    std::fs::create_dir_all(&dir).expect("the temporary folder is writable");
    dir
}
