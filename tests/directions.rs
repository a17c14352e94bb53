//! The model moves the way a diplomat expects. Every comparison is an average over 200 seeds.

mod common;

use common::*;
use demarche::decisions::{Decision, Policy};

fn on_attack(measure: &str) -> Vec<(u32, Decision)> {
    vec![(3, Decision::new(measure, Some("attack")))]
}

/// Mean final Borealian activity and final escalation after taking `measure` at turn 3, with the
/// share of runs in which the measure was adopted.
fn after(measure: &str) -> (f64, f64, f64, f64) {
    let scenario = controlled_over_months();
    let mut adopted_runs = 0.0;
    let (mut activity, mut escalation, mut misperception) = (0.0, 0.0, 0.0);
    for seed in 0..SEEDS {
        let sim = play(&scenario, seed, Policy::Passive, &on_attack(measure));
        adopted_runs += f64::from(u8::from(adopted(&sim, measure)));
        activity += sim.adversary("borealia").unwrap().activity;
        escalation += sim.crisis().escalation;
        misperception += sim.crisis().misperception;
    }
    let n = SEEDS as f64;
    (activity / n, escalation / n, misperception / n, adopted_runs / n)
}

#[test]
fn a_unanimous_attributed_proportionate_response_calms_more_than_a_unilateral_one() {
    let (eu_activity, eu_escalation, _, eu_adopted) = after("eu_declaration_attribution");
    let (national_activity, national_escalation, _, national_adopted) = after("national_attribution");
    assert!(
        eu_adopted > 0.8,
        "the EU declaration must usually pass for the comparison to mean anything ({eu_adopted})"
    );
    assert!(
        national_adopted > 0.9,
        "national attribution must be possible ({national_adopted})"
    );
    assert!(
        eu_activity < national_activity,
        "adversary activity: EU declaration {eu_activity:.3}, national attribution {national_activity:.3}"
    );
    assert!(
        eu_escalation < national_escalation,
        "escalation: EU {eu_escalation:.3}, national {national_escalation:.3}"
    );
}

#[test]
fn a_proportionate_response_calms_more_than_a_disproportionate_one() {
    let (eu_activity, eu_escalation, _, _) = after("eu_declaration_attribution");
    let (harsh_activity, harsh_escalation, _, harsh_adopted) = after("countermeasures");
    assert!(
        harsh_adopted > 0.9,
        "countermeasures must be possible ({harsh_adopted})"
    );
    assert!(
        eu_activity < harsh_activity,
        "activity: proportionate {eu_activity:.3}, disproportionate {harsh_activity:.3}"
    );
    assert!(
        eu_escalation < harsh_escalation,
        "escalation: proportionate {eu_escalation:.3}, disproportionate {harsh_escalation:.3}"
    );
}

#[test]
fn a_disproportionate_signal_raises_misperception() {
    let (_, _, proportionate, _) = after("national_attribution");
    let (_, _, disproportionate, _) = after("countermeasures");
    assert!(
        disproportionate > proportionate + 0.02,
        "misperception: proportionate {proportionate:.3}, disproportionate {disproportionate:.3}"
    );
}

#[test]
fn an_ambiguous_signal_raises_misperception_more_than_a_clear_one() {
    // The same declaration, worded clearly or ambiguously: only its clarity differs.
    let scenario = controlled();
    let misperception = |clarity: f64| {
        mean_over_seeds(|seed| {
            let mut sim = demarche::Simulation::new(scenario.clone(), seed, Policy::Passive);
            let mut toolbox = sim.world_mut().resource_mut::<demarche::toolbox::Toolbox>();
            let id = toolbox.find("eu_declaration").unwrap();
            toolbox.measures[id.0].clarity = clarity;
            sim.decide(3, Decision::new("eu_declaration", Some("attack")));
            sim.play_to_end();
            sim.crisis().misperception
        })
    };
    let clear = misperception(0.95);
    let ambiguous = misperception(0.1);
    assert!(
        ambiguous > clear + 0.01,
        "misperception: clear {clear:.3}, ambiguous {ambiguous:.3}"
    );
}

#[test]
fn doing_nothing_against_a_sustained_campaign_emboldens_the_adversary() {
    let scenario = default_scenario();
    let initial = demarche::Simulation::new(scenario.clone(), 0, Policy::Passive)
        .adversary("borealia")
        .unwrap();
    let passive_resolve = mean_over_seeds(|s| {
        play(&scenario, s, Policy::Passive, &[])
            .adversary("borealia")
            .unwrap()
            .resolve
    });
    let passive_activity = mean_over_seeds(|s| {
        play(&scenario, s, Policy::Passive, &[])
            .adversary("borealia")
            .unwrap()
            .activity
    });
    assert!(
        passive_resolve < initial.resolve,
        "belief in EU resolve should fall: {:.3} -> {passive_resolve:.3}",
        initial.resolve
    );
    assert!(
        passive_activity > initial.activity,
        "activity should grow: {:.3} -> {passive_activity:.3}",
        initial.activity
    );
    // Over the months of the Exchange case the EU's declaration leaves China's campaign lower
    // than silence does; within the default scenario's ten days nothing political is said, and
    // nothing differs (docs/model.md, section 13).
    let exchange = demarche::scenario::load_scenario(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/exchange_2021.ron"),
        &demarche::actors::ActorsData::embedded(),
    )
    .expect("the Exchange case loads");
    let china =
        |policy: Policy| mean_over_seeds(|s| play(&exchange, s, policy, &[]).adversary("china").unwrap().activity);
    let (left_alone, answered) = (china(Policy::Passive), china(Policy::Proportional));
    assert!(
        left_alone > answered,
        "doing nothing {left_alone:.3} should leave the campaign stronger than answering it {answered:.3}"
    );
}

/// A campaign with nothing happening around it: no incident scripted, only the operations its own
/// level mounts, and an EU that says nothing.
fn left_alone(activity: f64, step: Option<(u32, f64)>) -> demarche::scenario::Scenario {
    let shift = step.map_or(String::new(), |(turn, by)| {
        format!(
            r#"Inject(id: "step", at: Turn({turn}), title: "The service steps up its campaign",
                posture: PostureShift(adversary: "borealia", activity: {by}))"#
        )
    });
    let text = format!(
        r#"Scenario(id: "left_alone", title: "A campaign left alone", turns: 40, adversaries: ["borealia"],
            initial: (escalation: 1.0), adversary_overrides: {{ "borealia": (activity: {activity}) }},
            injects: [{shift}])"#
    );
    demarche::scenario::parse_scenario("left_alone", &text, &demarche::actors::ActorsData::embedded())
        .expect("the scenario is valid")
}

#[test]
fn a_campaign_left_alone_keeps_the_level_the_scenario_gives_it() {
    // The scenario's author sets where the adversary's campaign stands; with nothing happening,
    // it stays there, and rises only as far as the EU's silence teaches the adversary that the
    // EU will not act. Until model 7 every campaign of Borealia's drifted within days to the
    // engine's own resting level, about 0.56, whatever the scenario said.
    let activity = |scenario: &demarche::scenario::Scenario| {
        mean_over_seeds(|s| {
            play(scenario, s, Policy::Passive, &[])
                .adversary("borealia")
                .unwrap()
                .activity
        })
    };
    for start in [0.1, 0.3, 0.8] {
        let end = activity(&left_alone(start, None));
        assert!(
            end > start - 0.03 && end < start + 0.08,
            "a campaign at {start} left alone for 40 days ends at {end:.3}"
        );
    }
    // A step the story takes (the service steps its campaign up by 0.25 on day 10) stays.
    let (before, after) = (
        activity(&left_alone(0.3, None)),
        activity(&left_alone(0.3, Some((10, 0.25)))),
    );
    assert!(
        (after - before - 0.25).abs() < 0.05,
        "stepped up by 0.25 on day 10, the campaign ends {:.3} above the one left as it was",
        after - before
    );
}

#[test]
fn confidence_building_channels_lower_misperception() {
    let scenario = default_scenario();
    let cbms: Vec<(u32, Decision)> = vec![
        (2, Decision::new("osce_points_of_contact", Some("outbreak"))),
        (3, Decision::new("osce_consultation", Some("outbreak"))),
        (4, Decision::new("osce_protected_channel", Some("outbreak"))),
    ];
    // The same firm line in both arms, with and without the channels.
    let firm: Vec<(u32, Decision)> = vec![(5, Decision::new("hr_statement", Some("factories_down")))];
    let with: Vec<(u32, Decision)> = cbms.iter().cloned().chain(firm.iter().cloned()).collect();
    let without_channels = mean_over_seeds(|s| play(&scenario, s, Policy::Passive, &firm).crisis().misperception);
    let with_channels = mean_over_seeds(|s| play(&scenario, s, Policy::Passive, &with).crisis().misperception);
    assert!(
        with_channels < without_channels - 0.02,
        "misperception: without channels {without_channels:.3}, with CBMs 3, 8 and 13 {with_channels:.3}"
    );
}

#[test]
fn pressing_the_sheltering_state_reins_in_the_group_it_shelters() {
    // A ransomware wave by the Sandstorm group, which Borealia shelters (UN GGE norm (c)).
    let scenario = demarche::scenario::parse_scenario(
        "sheltered",
        r#"Scenario(id: "sheltered", title: "t", turns: 40, adversaries: ["borealia", "sandstorm"],
            initial: (shared_awareness: 0.9), adversary_overrides: { "sandstorm": (activity: 0.6) },
            injects: [Inject(id: "wave", at: Turn(1), title: "Hospitals encrypted",
                incident: IncidentSpec(perpetrator: "sandstorm", victims: ["IE", "DE"],
                    severity: (scope: 2, scale: 3, duration: 3, intensity: 3, complexity: 2, sophistication: 1, impact: 4)))])"#,
        &demarche::actors::ActorsData::embedded(),
    )
    .unwrap();
    let pressed: Vec<(u32, Decision)> = vec![
        (2, Decision::new("demarche", Some("wave"))),
        (3, Decision::new("cyber_dialogue", Some("wave"))),
    ];
    let sponsor_resolve = |decisions: &[(u32, Decision)]| {
        mean_over_seeds(|s| {
            play(&scenario, s, Policy::Passive, decisions)
                .adversary("borealia")
                .unwrap()
                .resolve
        })
    };
    let group_activity = |decisions: &[(u32, Decision)]| {
        mean_over_seeds(|s| {
            play(&scenario, s, Policy::Passive, decisions)
                .adversary("sandstorm")
                .unwrap()
                .activity
        })
    };
    let (quiet, pressed_resolve) = (sponsor_resolve(&[]), sponsor_resolve(&pressed));
    assert!(
        pressed_resolve > quiet + 0.02,
        "démarches about the group's attack reach the State that shelters it: {quiet:.3} -> {pressed_resolve:.3}"
    );
    let (left_alone, reined_in) = (group_activity(&[]), group_activity(&pressed));
    assert!(
        reined_in < left_alone,
        "the group's activity: left alone {left_alone:.3}, sponsor pressed {reined_in:.3}"
    );
}
