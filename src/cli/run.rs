//! `demarche run`: a headless exercise with a scripted policy.

use demarche::Simulation;
use demarche::decisions::Policy;
use demarche::outcome::{Outcome, TurnRecord};
use demarche::scenario::Scenario;
use serde::Serialize;
use std::process::ExitCode;

/// The JSON document `--json` prints.
#[derive(Serialize)]
struct RunReport<'a> {
    scenario: &'a str,
    title: &'a str,
    seed: u64,
    policy: Policy,
    turns: &'a [TurnRecord],
    outcome: &'a Outcome,
}

pub fn run(
    scenario: Scenario,
    seed: u64,
    policy: Policy,
    json: bool,
    fire: &[(u32, String)],
    record: Option<&std::path::Path>,
    source: &str,
) -> ExitCode {
    for (turn, id) in fire {
        if !scenario.pool.iter().any(|p| &p.id == id) {
            let pool: Vec<&str> = scenario.pool.iter().map(|p| p.id.as_str()).collect();
            let has = if pool.is_empty() {
                "its pool is empty".to_owned()
            } else {
                format!("it has: {}", pool.join(", "))
            };
            demarche::tell!("error: --fire {turn}:{id}: the scenario's pool has no inject \"{id}\" ({has})");
            return ExitCode::from(super::EXIT_BAD_INPUT);
        }
        if *turn == 0 || *turn > scenario.turns {
            demarche::tell!(
                "error: --fire {turn}:{id}: turn {turn} is outside the exercise (1 to {})",
                scenario.turns
            );
            return ExitCode::from(super::EXIT_BAD_INPUT);
        }
    }
    if let Some(why) = record.and_then(super::taken_record_file) {
        demarche::tell!("error: {why}");
        return ExitCode::from(super::EXIT_BAD_INPUT);
    }
    let id = scenario.id.clone();
    let title = scenario.title.clone();
    let mut sim = Simulation::new(scenario.clone(), seed, policy);
    for (turn, inject) in fire {
        sim.fire(*turn, inject);
    }
    sim.play_to_end();
    let outcome = sim.outcome().expect("the run has ended").clone();
    if let Some(path) = record {
        let mut replay = demarche::replay::Replay::record(&sim, &scenario, source, seed, policy);
        replay.recorded = Some(demarche::replay::today());
        if let Err(e) = demarche::files::write_atomically(path, &replay.to_ron()) {
            demarche::tell!("error: cannot write the replay {}: {e}", path.display());
            return ExitCode::from(super::EXIT_BAD_INPUT);
        }
    }
    let text = if json {
        let report = RunReport {
            scenario: &id,
            title: &title,
            seed,
            policy,
            turns: sim.records(),
            outcome: &outcome,
        };
        let mut s = serde_json::to_string_pretty(&report).expect("the report serialises");
        s.push('\n');
        s
    } else {
        demarche::outcome::table::render(&title, seed, policy, sim.records(), &outcome)
    };
    // A closed pipe (`demarche run | head`) is not an error worth a panic; a full disk is one.
    match super::print(&text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}
