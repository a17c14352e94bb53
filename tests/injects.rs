//! Injects fire as the facilitator wrote them: on time, after another inject, when their
//! condition holds, one per group of alternatives, with seeded jitter, and from the pool on
//! demand. The storyline branches on what the players did.

use demarche::Simulation;
use demarche::actors::ActorsData;
use demarche::decisions::{Decision, Policy};
use demarche::scenario::{Scenario, parse_scenario};

fn scenario(injects: &str, pool: &str) -> Scenario {
    let text = format!(
        r#"Scenario(id: "t", title: "t", turns: 10, adversaries: ["borealia"],
            initial: (shared_awareness: 0.9),
            injects: [
                Inject(id: "attack", at: Turn(1), title: "attack",
                    incident: IncidentSpec(perpetrator: "borealia", victims: ["DE", "FR", "NL"],
                        severity: (scope: 2, scale: 3, duration: 3, intensity: 3, complexity: 2, sophistication: 0, impact: 2))),
                {injects}
            ],
            pool: [{pool}],
        )"#
    );
    parse_scenario("t", &text, &ActorsData::embedded()).unwrap_or_else(|e| panic!("{}", e.explain()))
}

/// The turn each inject fired, by id.
fn fired(sim: &Simulation) -> Vec<(String, u32)> {
    sim.records()
        .iter()
        .flat_map(|t| t.injects.iter().map(move |i| (i.id.clone(), t.turn)))
        .collect()
}

fn turn_of(sim: &Simulation, id: &str) -> Option<u32> {
    fired(sim).into_iter().find(|(i, _)| i == id).map(|(_, t)| t)
}

fn play(s: &Scenario, seed: u64, decisions: &[(u32, Decision)]) -> Simulation {
    let mut sim = Simulation::new(s.clone(), seed, Policy::Passive);
    for (turn, d) in decisions {
        sim.decide(*turn, d.clone());
    }
    sim.play_to_end();
    sim
}

#[test]
fn relative_times_and_followers_fire_on_their_turn() {
    let s = scenario(
        r#"Inject(id: "offset", at: Offset("D+2 H+6"), title: "o"),
           Inject(id: "follower", at: After(inject: "offset", delay: "D+3"), title: "f"),
           Inject(id: "same_turn", at: After(inject: "attack"), title: "s"),"#,
        "",
    );
    let sim = play(&s, 1, &[]);
    assert_eq!(turn_of(&sim, "offset"), Some(3), "D+2 H+6 with one-day turns is turn 3");
    assert_eq!(turn_of(&sim, "follower"), Some(6));
    assert_eq!(
        turn_of(&sim, "same_turn"),
        Some(1),
        "an After with no delay fires in the same turn"
    );
}

#[test]
fn the_storyline_branches_on_what_the_players_did() {
    // The adversary's reaction depends on whether the EU named it: one group, two alternatives.
    // The declaration tabled at turn 3 is adopted when its five days in the machinery end, turn 8.
    let s = scenario(
        r#"Inject(id: "named", at: Turn(9), group: "reaction", title: "denies and retaliates",
               when: MeasureTaken("eu_declaration_attribution")),
           Inject(id: "unnamed", at: Turn(9), group: "reaction", title: "mocks the EU"),"#,
        "",
    );
    let named = play(
        &s,
        4,
        &[(3, Decision::new("eu_declaration_attribution", Some("attack")))],
    );
    let adopted = named.records().iter().flat_map(|t| &t.decisions).any(|d| {
        d.decision.measure == "eu_declaration_attribution"
            && matches!(d.verdict, demarche::council::Verdict::Adopted { .. })
    });
    assert!(
        adopted,
        "the declaration should pass in this set-up: {:?}",
        named.records()[2].decisions
    );
    assert_eq!(turn_of(&named, "named"), Some(9));
    assert_eq!(
        turn_of(&named, "unnamed"),
        None,
        "only one alternative of a group fires"
    );
    let silent = play(&s, 4, &[]);
    assert_eq!(turn_of(&silent, "named"), None);
    assert_eq!(turn_of(&silent, "unnamed"), Some(9));
}

#[test]
fn a_due_inject_waits_for_its_condition() {
    let s = scenario(
        r#"Inject(id: "convinced", at: Turn(1), title: "c",
               when: Attribution(incident: "attack", level: Moderate, by: EuAssessment)),
           Inject(id: "never", at: Turn(2), title: "n", when: AllOf([TurnBetween(2, 3), CohesionBelow(0.01)])),"#,
        "",
    );
    let sim = play(&s, 2, &[]);
    let t = turn_of(&sim, "convinced").expect("the EU assessment reaches moderate confidence at some point");
    assert!(
        t > 1,
        "there is no attribution before the incident is investigated (fired at {t})"
    );
    assert_eq!(turn_of(&sim, "never"), None);
}

#[test]
fn jitter_is_seeded_and_bounded() {
    let s = scenario(r#"Inject(id: "late", at: Turn(2), jitter: 3, title: "l"),"#, "");
    let mut turns = std::collections::BTreeSet::new();
    for seed in 0..60 {
        let a = turn_of(&play(&s, seed, &[]), "late").expect("it fires");
        let b = turn_of(&play(&s, seed, &[]), "late").expect("it fires");
        assert_eq!(a, b, "the same seed gives the same jitter");
        assert!((2..=5).contains(&a), "turn {a} outside 2 to 5");
        turns.insert(a);
    }
    assert_eq!(
        turns.len(),
        4,
        "over 60 seeds every delay from 0 to 3 turns occurs: {turns:?}"
    );
}

#[test]
fn the_facilitator_fires_pool_injects_at_any_turn() {
    let s = scenario(
        "",
        r#"Inject(id: "leak", title: "Documents leak",
               incident: IncidentSpec(perpetrator: "borealia", victims: ["EE"],
                   severity: (scope: 1, scale: 1, duration: 1, intensity: 1, complexity: 1, sophistication: 1, impact: 2)))"#,
    );
    assert_eq!(
        turn_of(&play(&s, 1, &[]), "leak"),
        None,
        "the pool stays silent unless fired"
    );
    let mut sim = Simulation::new(s, 1, Policy::Passive);
    sim.fire(4, "leak");
    sim.play_to_end();
    assert_eq!(turn_of(&sim, "leak"), Some(4));
}

#[test]
fn a_pool_inject_starts_the_injects_that_follow_it() {
    let s = scenario(
        r#"Inject(id: "press", at: After(inject: "leak", delay: "D+1"), title: "The press asks questions"),"#,
        r#"Inject(id: "leak", title: "Documents leak")"#,
    );
    let mut sim = Simulation::new(s.clone(), 1, Policy::Passive);
    sim.fire(3, "leak");
    sim.play_to_end();
    assert_eq!(turn_of(&sim, "press"), Some(4));
    assert_eq!(turn_of(&play(&s, 1, &[]), "press"), None, "no leak, no press");
}

#[test]
fn a_branch_can_depend_on_what_was_done_about_one_incident() {
    let s = scenario(
        r#"Inject(id: "second", at: Turn(2), title: "second",
               incident: IncidentSpec(perpetrator: "borealia", victims: ["PL"],
                   severity: (scope: 1, scale: 1, duration: 3, intensity: 1, complexity: 1, sophistication: 1, impact: 1))),
           Inject(id: "on_attack", at: Turn(5), title: "answer to the attack",
               when: MeasureTakenOn(measure: "hr_statement", incident: "attack")),
           Inject(id: "on_second", at: Turn(5), title: "answer to the second",
               when: MeasureTakenOn(measure: "hr_statement", incident: "second")),"#,
        "",
    );
    let sim = play(&s, 1, &[(3, Decision::new("hr_statement", Some("second")))]);
    assert_eq!(turn_of(&sim, "on_second"), Some(5));
    assert_eq!(
        turn_of(&sim, "on_attack"),
        None,
        "a statement on the second incident says nothing about the first"
    );
}
