//! The lessons a diplomat takes home hold: each is a direction over 200 seeds (docs/model.md,
//! "What the tests show").

mod common;

use common::*;
use demarche::actors::ActorsData;
use demarche::decisions::{Decision, Policy};
use demarche::scenario::parse_scenario;

/// A real case or the default scenario, by its file.
fn case(file: &str) -> demarche::scenario::Scenario {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if file == "default" {
        return default_scenario();
    }
    demarche::scenario::load_scenario(&root.join(file), &ActorsData::embedded())
        .unwrap_or_else(|e| panic!("{}", e.explain()))
}

/// How much higher on the ladder policy `a` ends than policy `b`, seed by seed: the mean of the
/// paired differences with the two ends of its 95% interval.
fn paired_gap(scenario: &demarche::scenario::Scenario, a: Policy, b: Policy) -> (f64, f64, f64) {
    paired(scenario, a, b, "rungs", |sim| sim.crisis().escalation)
}

/// How much higher `reading` ends under policy `a` than under `b`, seed by seed: the mean of the
/// paired differences with the two ends of its 95% interval.
fn paired(
    scenario: &demarche::scenario::Scenario,
    a: Policy,
    b: Policy,
    unit: &str,
    reading: impl Fn(&demarche::Simulation) -> f64,
) -> (f64, f64, f64) {
    let gaps: Vec<f64> = (0..SEEDS)
        .map(|s| reading(&play(scenario, s, a, &[])) - reading(&play(scenario, s, b, &[])))
        .collect();
    let n = gaps.len() as f64;
    let mean = gaps.iter().sum::<f64>() / n;
    let sd = (gaps.iter().map(|g| (g - mean) * (g - mean)).sum::<f64>() / (n - 1.0)).sqrt();
    let half = demarche::batch::t_975(n as u64 - 1) * sd / n.sqrt();
    eprintln!(
        "{}: {a:?} ends {mean:.3} {unit} above {b:?} (95% interval {:.3} to {:.3})",
        scenario.id,
        mean - half,
        mean + half
    );
    (mean, mean - half, mean + half)
}

/// Over a campaign of months, the EU's answer moves the ladder by less than half a rung either
/// way, compared seed by seed: what a declaration or a listing changes is the adversary's belief
/// that the EU will impose costs, not the level of its campaign. In the Exchange and Viasat cases
/// silence leaves the campaign a little higher, seed by seed: a campaign left unanswered is
/// emboldened, and only a little, since it serves the adversary's own ends (and from 24 February
/// 2022 the EU imposed costs on Russia whatever it said on Viasat); on the ladder that is within
/// the weeks' noise. Where it lists (GRU unit 29155), Moscow's answers in kind add a little more
/// than the listing takes away. The scenarios' branches for an answer and for silence tell the
/// story and leave the campaign to the model (model 8), so the lesson is the model's, not the
/// script's.
#[test]
fn over_months_an_answer_moves_the_ladder_by_less_than_half_a_rung() {
    // Model 8, seeds 0 to 199, passive minus proportional: on the ladder Exchange 0.015, Viasat
    // −0.001, Estonia −0.12 (model 7, whose scenarios' branches stepped the campaign up for a
    // silent EU: 0.14, 0.004, −0.08; model 6, which coerced more: 0.35, 0.56, 0.43; model 5:
    // 0.62, 1.88, 2.48).
    for (file, emboldened) in [
        ("scenarios/exchange_2021.ron", Some("china")),
        ("tests/fixtures/viasat_ka_sat_2022.ron", Some("russia")),
        ("scenarios/estonia_gru_29155.ron", None),
    ] {
        let scenario = case(file);
        let (mean, low, high) = paired_gap(&scenario, Policy::Passive, Policy::Proportional);
        assert!(
            low > -0.5 && high < 0.5,
            "{}: passive ends {mean:.3} rungs above proportional (95% interval {low:.3} to {high:.3})",
            scenario.id
        );
        if let Some(adversary) = emboldened {
            let campaign = |sim: &demarche::Simulation| sim.adversary(adversary).map_or(0.0, |a| a.activity);
            let (mean, low, _) = paired(
                &scenario,
                Policy::Passive,
                Policy::Proportional,
                "of activity",
                campaign,
            );
            assert!(
                low > 0.0,
                "{}: an unanswered campaign is emboldened: left alone it ends {mean:.3} above the answered one \
                 (95% interval from {low:.3})",
                scenario.id
            );
        }
    }
}

/// Within days, an answer does not bring the ladder down: the default scenario's ten days (no
/// one names Borealia before the partners' briefing of day 9, so the EU's answer is technical)
/// and the twelve days after the OPCW operation is exposed, when naming Russia draws a denial and
/// tit-for-tat. A model in which naming brought escalation down within days taught a lesson no
/// case of 2018 to 2025 shows. What the Hague case's silence costs is the scenario's own branch:
/// with no one naming Borealia, its unit tries again remotely (a phishing incident on day 9),
/// about a tenth of a rung more at the end; the answer itself takes nothing off (without the branch's
/// incidents, the proportional line ends higher: the denial and tit-for-tat).
#[test]
fn within_days_an_answer_does_not_bring_the_ladder_down() {
    // Model 8, seeds 0 to 199, passive minus proportional: default 0.004, The Hague 0.09, from
    // the branch's incident (model 7, whose drift washed the branch's step out within days: −0.008
    // and −0.09; model 6: 0.015 and −0.058; model 5: 0.028 and 0.28).
    for (file, branch) in [("default", 0.0), ("scenarios/close_access_the_hague.ron", 0.1)] {
        let scenario = case(file);
        let (mean, ..) = paired_gap(&scenario, Policy::Passive, Policy::Proportional);
        assert!(
            mean.abs() < 0.15 + branch,
            "{}: passive ends {mean:.3} rungs above proportional within days",
            scenario.id
        );
    }
}

/// Naming or listing signals and constrains a little; it does not coerce. When the EU names
/// Russia for Viasat (10 May 2022) or lists GRU unit 29155 (27 January 2025), Russia believes the
/// EU will impose costs far more than when the EU does nothing, and its campaign is a few per
/// cent lower, but it goes on: the record shows no Russian campaign stopped or visibly slowed by
/// an EU answer (Biersteker, Eckert and Tourinho 2016: targeted sanctions seldom coerce). And
/// the campaign eases over the weeks after, not in the week the answer is read: in that week it
/// is within noise of the campaign the EU left unanswered.
#[test]
fn a_committed_state_s_campaign_goes_on_after_the_eu_names_or_lists_it() {
    // Model 8, seeds 0 to 199: Viasat, resolve 0.30 -> 0.63 and campaign 0.51 -> 0.49; Estonia,
    // 0.30 (the era's floor) -> 0.74 and 0.30 -> 0.28, 4 runs de-escalated (model 7, whose campaigns drifted to 0.56 whatever the scenario said:
    // 0.57 -> 0.55 and 0.58 -> 0.55; model 6: 0.60 -> 0.51 and 0.59 -> 0.42; model 5: Estonia's
    // campaign fell to about 0.1 and 97 runs in 100 de-escalated).
    for (file, measure) in [
        ("tests/fixtures/viasat_ka_sat_2022.ron", "eu_declaration_attribution"),
        ("scenarios/estonia_gru_29155.ron", "listing_persons"),
    ] {
        let scenario = case(file);
        let (mut resolve, mut activity, mut answered, mut deescalated) = ((0.0, 0.0), (0.0, 0.0), 0, 0);
        // How much the gap between the two campaigns widens over the turn the answer takes
        // effect (the gap before it is what earlier answers did).
        let (mut at_once, mut runs) = (0.0, 0);
        for seed in 0..SEEDS {
            let (quiet, answer) = (
                play(&scenario, seed, Policy::Passive, &[]),
                play(&scenario, seed, Policy::Proportional, &[]),
            );
            answered += usize::from(adopted(&answer, measure));
            deescalated += usize::from(
                answer.outcome().expect("the run ended").kind == demarche::outcome::OutcomeKind::Deescalated,
            );
            let (q, a) = (quiet.adversary("russia").unwrap(), answer.adversary("russia").unwrap());
            resolve.0 += q.resolve;
            resolve.1 += a.resolve;
            activity.0 += q.activity;
            activity.1 += a.activity;
            let russia = |sim: &demarche::Simulation, turn: usize| {
                sim.records()[turn]
                    .adversaries
                    .iter()
                    .find(|r| &*r.id == "russia")
                    .map_or(0.0, |r| r.activity)
            };
            if let Some(turn) = answer
                .records()
                .iter()
                .position(|t| t.effects.iter().any(|e| e == measure))
                && turn > 0
            {
                let gap = |turn: usize| russia(&quiet, turn) - russia(&answer, turn);
                at_once += gap(turn) - gap(turn - 1);
                runs += 1;
            }
        }
        let n = SEEDS as f64;
        let (resolve, activity) = ((resolve.0 / n, resolve.1 / n), (activity.0 / n, activity.1 / n));
        let at_once = at_once / f64::from(runs.max(1));
        eprintln!(
            "{}: {measure} adopted in {answered} of {SEEDS} runs; Russia's belief in EU resolve {:.3} -> {:.3}, \
             its campaign {:.3} -> {:.3} (the gap widening by {at_once:.3} over the turn the answer took effect, in {runs} runs); \
             {deescalated} runs de-escalated",
            scenario.id, resolve.0, resolve.1, activity.0, activity.1
        );
        assert!(
            answered as f64 > 0.9 * n,
            "{}: the EU answers ({answered} runs)",
            scenario.id
        );
        assert!(resolve.1 > resolve.0 + 0.3, "{}: it signals: {resolve:?}", scenario.id);
        assert!(
            activity.1 < activity.0,
            "{}: it constrains a little: {activity:?}",
            scenario.id
        );
        assert!(
            activity.1 > 0.85 * activity.0,
            "{}: the campaign goes on: {activity:?}",
            scenario.id
        );
        assert!(
            at_once.abs() < 0.03,
            "{}: the gap between the campaigns widens by {at_once:.3} in the turn the answer takes effect",
            scenario.id
        );
        assert!(
            (deescalated as f64) < 0.1 * n,
            "{}: de-escalated in {deescalated} of {SEEDS} runs",
            scenario.id
        );
    }
}

/// The strongest response the rules allow ends higher on the ladder than a proportional one,
/// seed by seed: costs imposed beyond proportion are read as hostility through the adversary's
/// distrust (the spiral, Jervis 1976), and it answers in kind. But answers in the diplomatic
/// register do not climb the ladder: over the months of the three long real cases no hawkish run
/// runs out of control (under model 6, in which each counter-sanction and each turn's hostility
/// added its rungs without bound, 36% of the Viasat runs did).
#[test]
fn the_strongest_response_the_rules_allow_ends_higher_than_a_proportional_one() {
    // Model 8, seeds 0 to 199: default 1.62, Exchange 1.12, Viasat 1.09, Estonia 0.79, The
    // Hague 1.58 rungs (model 7: 2.34, 1.01, 0.88, 0.67, 1.89; model 6: 3.10, 2.61, 2.93, 2.14,
    // 2.39).
    for (file, long) in [
        ("default", false),
        ("scenarios/exchange_2021.ron", true),
        ("tests/fixtures/viasat_ka_sat_2022.ron", true),
        ("scenarios/estonia_gru_29155.ron", true),
        ("scenarios/close_access_the_hague.ron", false),
    ] {
        let scenario = case(file);
        let (mean, low, _) = paired_gap(&scenario, Policy::Hawkish, Policy::Proportional);
        assert!(
            low > 0.0 && mean > 0.5,
            "{}: hawkish ends {mean:.3} rungs above proportional (95% interval from {low:.3})",
            scenario.id
        );
        if long {
            let runaway = (0..SEEDS)
                .filter(|s| {
                    play(&scenario, *s, Policy::Hawkish, &[])
                        .outcome()
                        .expect("the run ended")
                        .kind
                        == demarche::outcome::OutcomeKind::OutOfControl
                })
                .count();
            assert_eq!(
                runaway, 0,
                "{}: hawkish runs out of control in {runaway} runs",
                scenario.id
            );
        }
    }
}

#[test]
fn naming_the_right_perpetrator_at_high_confidence_raises_perceived_resolve_without_raising_misreading() {
    let scenario = controlled();
    // Decided on day 5, once the capitals' shared evidence is conclusive.
    let named = [(5, Decision::new("eu_declaration_attribution", Some("attack")))];
    let (mut resolve, mut misreading) = ((0.0, 0.0), (0.0, 0.0));
    let (mut high, mut runs) = (0, 0);
    for seed in 0..SEEDS {
        let quiet = play(&scenario, seed, Policy::Passive, &[]);
        let answered = play(&scenario, seed, Policy::Passive, &named);
        let at_decision = &answered.records()[4].assessments[0];
        // A Member State may hold the declaration: compare only the runs where it was made.
        if !adopted(&answered, "eu_declaration_attribution") {
            continue;
        }
        runs += 1;
        if &*at_decision.suspect == "Borealia" && at_decision.probability >= 0.9 {
            high += 1;
        }
        let (q, a) = (
            quiet.adversary("borealia").unwrap(),
            answered.adversary("borealia").unwrap(),
        );
        resolve.0 += q.resolve;
        resolve.1 += a.resolve;
        misreading.0 += 1.0 - q.trust;
        misreading.1 += 1.0 - a.trust;
    }
    assert!(
        runs as f64 > 0.8 * SEEDS as f64,
        "the declaration is usually made ({runs} runs)"
    );
    assert!(
        high as f64 > 0.9 * f64::from(runs),
        "the EU names Borealia at high confidence ({high} of {runs} runs)"
    );
    let n = f64::from(runs);
    let (resolve, misreading) = ((resolve.0 / n, resolve.1 / n), (misreading.0 / n, misreading.1 / n));
    eprintln!(
        "named at high confidence in {high} of {runs} runs: resolve {:.3} -> {:.3}, misreading {:.3} -> {:.3}",
        resolve.0, resolve.1, misreading.0, misreading.1
    );
    assert!(
        resolve.1 > resolve.0 + 0.1,
        "Borealia's perception of EU resolve: without {:.3}, named {:.3}",
        resolve.0,
        resolve.1
    );
    assert!(
        misreading.1 < misreading.0 + 0.02,
        "Borealia's misreading of EU intent: without {:.3}, named {:.3}",
        misreading.0,
        misreading.1
    );
}

/// Meridia attacks under a Borealian false flag, so sophisticated that the first days' signals
/// barely tell them apart: a declaration rushed out on the second day names whoever leads.
const FRAMED: &str = r#"Scenario(
    id: "framed", title: "Framed", turns: 10,
    adversaries: ["borealia", "meridia"],
    initial: (shared_awareness: 0.1),
    injects: [
        Inject(id: "attack", at: Turn(1), title: "Wiper at a port operator",
            incident: Some(IncidentSpec(perpetrator: "meridia", false_flag: Some("borealia"), victims: ["MT", "CY"],
                severity: (scope: 2, scale: 3, duration: 3, intensity: 3, complexity: 4, sophistication: 5, impact: 3)))),
    ],
)"#;

#[test]
fn naming_the_wrong_party_raises_its_misreading_of_the_eu() {
    let scenario = parse_scenario("framed", FRAMED, &ActorsData::embedded()).unwrap();
    let rushed = |seed: u64, decide: bool| {
        let mut sim = demarche::Simulation::new(scenario.clone(), seed, Policy::Passive);
        // Rushed out: the declaration is put to the Council whatever the assessment says.
        let mut toolbox = sim.world_mut().resource_mut::<demarche::toolbox::Toolbox>();
        let id = toolbox.find("eu_declaration_attribution").unwrap();
        toolbox.measures[id.0].attribution = None;
        for rung in &mut toolbox.wordings {
            rung.min_confidence = 0.0;
        }
        if decide {
            sim.decide(2, Decision::new("eu_declaration_attribution", Some("attack")));
        }
        sim.play_to_end();
        sim
    };
    let (mut wrong, mut right) = (Vec::new(), Vec::new());
    for seed in 0..SEEDS {
        let named = rushed(seed, true);
        if !adopted(&named, "eu_declaration_attribution") {
            continue;
        }
        let quiet = rushed(seed, false);
        let suspect = named.records()[1].assessments[0].suspect.clone();
        let rise = |id: &str| named.adversary(id).unwrap().trust - quiet.adversary(id).unwrap().trust;
        match &*suspect {
            // Trust falls: misreading rises by as much.
            "Borealia" => wrong.push(-rise("borealia")),
            "Meridia" => right.push(-rise("meridia")),
            _ => {}
        }
    }
    assert!(
        wrong.len() >= 30 && right.len() >= 30,
        "both cases occur ({} wrong, {} right)",
        wrong.len(),
        right.len()
    );
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (n_wrong, n_right) = (wrong.len(), right.len());
    let (wrong, right) = (mean(&wrong), mean(&right));
    eprintln!(
        "misreading rises by {wrong:.3} when wrongly named ({n_wrong} runs), {right:.3} when rightly ({n_right} runs)"
    );
    assert!(
        wrong > 0.1,
        "the party wrongly named misreads the EU's intent more (by {wrong:.3})"
    );
    assert!(
        wrong > right + 0.1,
        "misreading rises more when the EU names the wrong party ({wrong:.3}) than the right one ({right:.3})"
    );
}

#[test]
fn a_sustained_espionage_campaign_left_unanswered_stays_below_the_destructive_rungs() {
    // Cloud Hopper, as the shipped scenario tells it, and the same campaign over a year.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/managed_service_providers.ron"
    ))
    .unwrap();
    for (turns, label) in [(14, "fourteen weeks"), (52, "a year")] {
        let text = text.replace("turns: 14,", &format!("turns: {turns},"));
        let scenario = parse_scenario("msp", &text, &ActorsData::embedded()).unwrap();
        let mut peaks: Vec<f64> = (0..SEEDS)
            .map(|s| play(&scenario, s, Policy::Passive, &[]).crisis().peak_escalation)
            .collect();
        peaks.sort_by(f64::total_cmp);
        let worst = peaks[peaks.len() - 1];
        eprintln!(
            "espionage left alone over {label}: median peak {:.2}, worst {worst:.2}",
            peaks[peaks.len() / 2]
        );
        assert!(
            worst < 4.0,
            "over {label}, espionage left alone peaks at {worst:.2}: it must stay below rung 4 (destructive operations)"
        );
    }
    // A service that runs destructive operations, left alone, does climb there.
    let scenario = default_scenario();
    let destructive = mean_over_seeds(|s| play(&scenario, s, Policy::Passive, &[]).crisis().peak_escalation);
    eprintln!("the wiper campaign left alone: mean peak {destructive:.2}");
    assert!(
        destructive > 4.0,
        "the wiper campaign left alone peaks at {destructive:.2}"
    );
}

/// The controlled scenario with partners who release their intelligence and attribute publicly
/// on day 2: the United States, Canada and NATO (the United Kingdom is a Member State in 2017).
fn with_partners() -> demarche::scenario::Scenario {
    let text = CONTROLLED.replace(
        "    ],\n)",
        r#"        Inject(id: "partners", at: Turn(2), title: "Washington, Ottawa and NATO attribute the attack to Borealia",
            partners: ["US", "CA", "NATO"],
            assessment: Some(PartnerAssessment(incident: "attack", names: "borealia", released: 1.0, public: true))),
    ],
)"#,
    );
    parse_scenario("partners", &text, &ActorsData::embedded()).unwrap()
}

/// Naming the State with partners (19 July 2021, 10 May 2022) tells the adversary far more of
/// the EU's resolve than a statement that names nobody; in the days after, neither moves its
/// campaign visibly, since its operations are planned around the resolve it expects over weeks
/// (model 7; under model 6 the named statement lowered the campaign within five days).
#[test]
fn naming_with_partners_signals_more_resolve_than_an_unnamed_statement() {
    let scenario = with_partners();
    let unnamed = [(5, Decision::new("eu_declaration", Some("attack")))];
    let cosigned = [(
        5,
        Decision::new("eu_declaration_attribution", Some("attack")).worded("partner"),
    )];
    let (mut resolve, mut activity, mut runs) = ((0.0, 0.0), (0.0, 0.0), 0);
    for seed in 0..SEEDS {
        let a = play(&scenario, seed, Policy::Passive, &unnamed);
        let b = play(&scenario, seed, Policy::Passive, &cosigned);
        if !(adopted(&a, "eu_declaration") && adopted(&b, "eu_declaration_attribution")) {
            continue;
        }
        runs += 1;
        let (x, y) = (a.adversary("borealia").unwrap(), b.adversary("borealia").unwrap());
        resolve.0 += x.resolve;
        resolve.1 += y.resolve;
        activity.0 += x.activity;
        activity.1 += y.activity;
    }
    assert!(
        runs as f64 > 0.8 * SEEDS as f64,
        "both statements are usually made ({runs} runs)"
    );
    let n = f64::from(runs);
    let (resolve, activity) = ((resolve.0 / n, resolve.1 / n), (activity.0 / n, activity.1 / n));
    eprintln!(
        "unnamed statement: resolve {:.3}, activity {:.3}; named with partners: resolve {:.3}, activity {:.3} ({runs} runs)",
        resolve.0, activity.0, resolve.1, activity.1
    );
    assert!(
        resolve.1 > resolve.0 + 0.1,
        "perceived resolve: unnamed {:.3}, with partners {:.3}",
        resolve.0,
        resolve.1
    );
    assert!(
        (activity.1 - activity.0).abs() < 0.03,
        "activity five days on: unnamed {:.3}, with partners {:.3}",
        activity.0,
        activity.1
    );
}

#[test]
fn partners_released_intelligence_lifts_the_shared_assessment() {
    // A hard case: a sophisticated attack on small administrations, little shared at first.
    let hard = |partners: bool| {
        let text = format!(
            r#"Scenario(id: "hard", title: "Hard", turns: 6, adversaries: ["borealia", "meridia"],
    initial: (shared_awareness: 0.1),
    injects: [
        Inject(id: "attack", at: Turn(1), title: "Wiper at a port",
            incident: Some(IncidentSpec(perpetrator: "borealia", victims: ["MT", "CY"],
                severity: (scope: 2, scale: 2, duration: 2, intensity: 3, complexity: 4, sophistication: 5, impact: 3)))),
        {}
    ],
)"#,
            if partners {
                r#"Inject(id: "release", at: Turn(3), title: "The United States shares its intelligence",
            partners: ["US"], assessment: Some(PartnerAssessment(incident: "attack", names: "borealia", released: 1.0))),"#
            } else {
                ""
            }
        );
        parse_scenario("hard", &text, &ActorsData::embedded()).unwrap()
    };
    let confidence = |scenario: &demarche::scenario::Scenario| {
        mean_over_seeds(|s| {
            let sim = play(scenario, s, Policy::Passive, &[]);
            let a = &sim.records()[3].assessments[0];
            if &*a.suspect == "Borealia" { a.probability } else { 0.0 }
        })
    };
    let (alone, helped) = (confidence(&hard(false)), confidence(&hard(true)));
    eprintln!("EU confidence in Borealia on day 4: alone {alone:.2}, with the released intelligence {helped:.2}");
    assert!(
        helped > alone + 0.15,
        "alone {alone:.2}, with partners' intelligence {helped:.2}"
    );
}
