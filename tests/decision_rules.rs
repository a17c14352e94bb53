//! Who decides, by which rule, on the story's calendar: what a diplomat checks at the first vote.

mod common;

use common::*;
use demarche::council::{Ballot, Position, Verdict};
use demarche::decisions::{Decision, Policy, Role, Seats};
use demarche::exercise::{Exercise, Step};
use demarche::scenario::parse_scenario;
use demarche::toolbox::Rule;

/// An attack in 2021 (the sanctions regime exists) by Borealia on three capable Member States,
/// easy to attribute; `clock` and `turns` vary.
fn attack(turns: u32, turn_hours: u32, perpetrator: &str) -> demarche::scenario::Scenario {
    let text = format!(
        r#"Scenario(
    id: "rules", title: "Decision rules", turns: {turns},
    clock: (turn_hours: {turn_hours}, start: "2021-03-01T09:00"),
    adversaries: ["borealia", "meridia", "sandstorm"],
    initial: (escalation: 1.0, cohesion: 0.85, shared_awareness: 0.95),
    adversary_overrides: {{ "borealia": (activity: 0.05, intent: 0.1), "meridia": (activity: 0.05, intent: 0.1),
        "sandstorm": (activity: 0.05, intent: 0.1) }},
    injects: [
        Inject(id: "attack", at: Turn(1), title: "Disruptive attack on energy traders",
            incident: Some(IncidentSpec(perpetrator: "{perpetrator}", victims: ["DE", "FR", "NL"],
                severity: (scope: 3, scale: 3, duration: 5, intensity: 3, complexity: 1, sophistication: 0, impact: 4)))),
    ],
)"#
    );
    parse_scenario("rules", &text, &demarche::actors::ActorsData::embedded()).expect("the test scenario is valid")
}

/// A seed where the engine's Member States agree `decision` proposed at turn 2.
fn agreeing_seed(scenario: &demarche::scenario::Scenario, decision: &Decision) -> u64 {
    (0..50)
        .find(|&seed| {
            let sim = play(scenario, seed, Policy::Passive, &[(2, decision.clone())]);
            fate(&sim, &decision.measure)
                .iter()
                .any(|(_, verdict, _)| matches!(verdict, Verdict::Adopted { .. }))
        })
        .expect("a seed where the Member States agree")
}

/// What became of the proposals of `measure` in a run.
fn fate(sim: &demarche::Simulation, measure: &str) -> Vec<(u32, Verdict, String)> {
    sim.records()
        .iter()
        .flat_map(|t| t.decisions.iter().map(move |d| (t.turn, d)))
        .filter(|(_, d)| d.decision.measure == measure)
        .map(|(turn, d)| (turn, d.verdict.clone(), d.decided_by.clone()))
        .collect()
}

#[test]
fn one_objection_stops_a_declaration_and_the_high_representative_may_still_speak() {
    let scenario = attack(10, 24, "borealia");
    let declaration = Decision::new("eu_declaration", Some("attack"));
    // A seed where the engine's 27 agree the declaration...
    let seed = agreeing_seed(&scenario, &declaration);
    // ...and the same run with Hungary, held by people, objecting.
    let mut sim = demarche::Simulation::new(scenario.clone(), seed, Policy::Passive);
    sim.set_seats(Seats(vec![Role::MemberState("HU".into())]));
    sim.take_position(Position {
        turn: 1,
        state: "HU".into(),
        measure: "eu_declaration".into(),
        incident: Some("attack".into()),
        ballot: Ballot::Object(demarche::council::Reason::NotProportionate),
    });
    sim.decide(2, declaration);
    sim.decide(3, Decision::new("hr_statement", Some("attack")));
    sim.play_to_end();
    let vote = sim
        .records()
        .iter()
        .flat_map(|t| &t.votes)
        .find(|v| v.measure == "eu_declaration")
        .expect("the Council voted");
    assert_eq!(vote.rule, Rule::Consensus);
    assert_eq!(
        vote.objections().map(|(s, _)| s).collect::<Vec<_>>(),
        ["HU"],
        "one objection"
    );
    assert!(!vote.adopted, "one objection stops a consensus text");
    assert_eq!(
        vote.stage,
        demarche::toolbox::Stage::Sounding,
        "Hungary held the file at the Presidency's sounding and it was withdrawn"
    );
    let fates: Vec<Verdict> = fate(&sim, "eu_declaration").into_iter().map(|f| f.1).collect();
    assert!(
        matches!(fates.as_slice(), [Verdict::Tabled { .. }, Verdict::Blocked { .. }]),
        "tabled, then held by Hungary and withdrawn: {fates:?}"
    );
    let (_, verdict, by) = &fate(&sim, "hr_statement")[0];
    assert!(matches!(verdict, Verdict::Adopted { .. }), "{verdict:?}");
    assert_eq!(by, "High Representative", "the fallback is the HR's own statement");
}

#[test]
fn a_file_held_at_a_stage_waits_and_goes_on_when_the_objection_is_lifted() {
    let scenario = attack(12, 24, "borealia");
    let declaration = Decision::new("eu_declaration", Some("attack"));
    let seed = agreeing_seed(&scenario, &declaration);
    let mut sim = demarche::Simulation::new(scenario, seed, Policy::Passive);
    sim.set_seats(Seats(vec![Role::MemberState("HU".into())]));
    let hungary = |turn: u32, ballot: Ballot| Position {
        turn,
        state: "HU".into(),
        measure: "eu_declaration".into(),
        incident: Some("attack".into()),
        ballot,
    };
    sim.take_position(hungary(1, Ballot::Object(demarche::council::Reason::TooEarly)));
    sim.decide(2, declaration.clone());
    // Tabled at turn 2 (story D+1); the sounding (12 hours) ends at turn 3, where Hungary holds it.
    for _ in 0..3 {
        sim.play_turn();
    }
    let file = sim
        .files()
        .iter()
        .find(|f| f.decision == declaration)
        .expect("still in the machinery");
    assert_eq!(file.current(), demarche::toolbox::Stage::Sounding);
    let hold = file.hold.as_ref().expect("held by Hungary");
    assert_eq!(hold.by.iter().map(|(c, _)| &**c).collect::<Vec<_>>(), ["HU"]);
    assert!(
        file.whereabouts().contains("held in the sounding by HU"),
        "{}",
        file.whereabouts()
    );
    // The tour de table asks Hungary again about the file it holds.
    sim.table_turn();
    assert!(
        sim.council_files().contains(&declaration),
        "the held file is on the table again"
    );
    // Hungary lifts its objection at turn 4: the file goes on, a turn late, and is adopted.
    sim.take_position(hungary(4, Ballot::For));
    sim.decide_turn();
    sim.play_to_end();
    let fates = fate(&sim, "eu_declaration");
    let adopted = fates
        .iter()
        .find_map(|(turn, v, _)| match v {
            Verdict::Adopted { effective } => Some((*turn, *effective)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("adopted after the hold was lifted: {fates:?}"));
    // Without the hold: tabled turn 2, three days, adopted turn 5. The hold cost one turn.
    assert_eq!(adopted, (6, 6), "{fates:?}");
}

#[test]
fn a_listing_in_force_comes_back_for_review_the_next_18_may() {
    // Weekly turns; the second phase jumps a year, past the next 18 May.
    let text = r#"Scenario(
    id: "review", title: "A year on", turns: 30,
    clock: (turn_hours: 168, start: "2021-03-01T09:00"),
    adversaries: ["borealia", "meridia", "sandstorm"],
    initial: (escalation: 1.0, cohesion: 0.85, shared_awareness: 0.95),
    adversary_overrides: { "borealia": (activity: 0.05, intent: 0.1), "meridia": (activity: 0.05, intent: 0.1),
        "sandstorm": (activity: 0.05, intent: 0.1) },
    phases: [
        Phase(name: "The attack and the listing", module: Strategic, from: 1, to: 25),
        Phase(name: "The review", module: Strategic, from: 26, to: 30, gap: Some("D+360")),
    ],
    injects: [
        Inject(id: "attack", at: Turn(1), title: "Disruptive attack on energy traders",
            incident: Some(IncidentSpec(perpetrator: "borealia", victims: ["DE", "FR", "NL"],
                severity: (scope: 3, scale: 3, duration: 5, intensity: 3, complexity: 1, sophistication: 0, impact: 4)))),
    ],
)"#;
    let scenario = parse_scenario("review", text, &demarche::actors::ActorsData::embedded()).unwrap();
    let calendar = demarche::scenario::Calendar::of(&scenario);
    for seed in 0..20 {
        let mut sim = demarche::Simulation::new(scenario.clone(), seed, Policy::Passive);
        let mut turn = 1;
        while sim.running() && turn <= 4 {
            sim.decide(turn, Decision::new("listing_persons", Some("attack")));
            sim.play_turn();
            turn += 1;
        }
        sim.play_to_end();
        let fates = fate(&sim, "listing_persons");
        let Some(effective) = fates.iter().find_map(|(_, v, _)| match v {
            Verdict::Adopted { effective } => Some(*effective),
            _ => None,
        }) else {
            continue;
        };
        let review = sim
            .records()
            .iter()
            .flat_map(|t| &t.votes)
            .find(|v| v.review && v.measure == "listing_persons")
            .unwrap_or_else(|| panic!("no review in {fates:?}"));
        // Listings are reviewed together each 18 May: the next one after entry into force.
        let may = demarche::scenario::next_anniversary(calendar.day_of(effective).unwrap(), "05-18").unwrap();
        let year_on = calendar.turn_on(may).unwrap();
        // On 18 May (across the gap: the first turn after it), or a turn later when a Member
        // State held it in COREPER.
        assert!(
            (year_on..=year_on + 1).contains(&review.turn),
            "reviewed on the next 18 May (turn {year_on}): turn {}",
            review.turn
        );
        assert_eq!(review.rule, Rule::Unanimity, "a review is a CFSP decision");
        let verdict = &fates
            .iter()
            .find(|(t, v, _)| *t == review.turn && !matches!(v, Verdict::Tabled { .. }))
            .unwrap()
            .1;
        assert!(
            matches!(verdict, Verdict::Renewed | Verdict::Lapsed { .. }),
            "the review renews or lapses: {verdict:?}"
        );
        assert_eq!(review.adopted, *verdict == Verdict::Renewed);
        return;
    }
    panic!("no listing adopted in 20 seeds");
}

#[test]
fn a_listing_takes_the_same_days_at_daily_and_weekly_turns() {
    // The listing is proposed at every turn until the Council adopts it; what must not depend on
    // the turn length is how many days pass from the decision to the listing taking effect.
    let days_to_effect = |turn_hours: u32, turns: u32| {
        let scenario = attack(turns, turn_hours, "borealia");
        for seed in 0..20 {
            let mut sim = demarche::Simulation::new(scenario.clone(), seed, Policy::Passive);
            let mut turn = 1;
            while sim.running() {
                sim.decide(turn, Decision::new("listing_persons", Some("attack")));
                sim.play_turn();
                // From the turn the file was tabled to the turn the listing took effect.
                let fates = fate(&sim, "listing_persons");
                if let Some(adopted) = fates.iter().position(|(_, v, _)| matches!(v, Verdict::Adopted { .. })) {
                    let Verdict::Adopted { effective } = fates[adopted].1 else {
                        unreachable!()
                    };
                    let tabled = fates[..adopted]
                        .iter()
                        .rev()
                        .find(|(_, v, _)| matches!(v, Verdict::Tabled { .. }))
                        .expect("tabled before adopted")
                        .0;
                    return f64::from((effective - tabled) * turn_hours) / 24.0;
                }
                turn += 1;
            }
        }
        panic!("no listing adopted at {turn_hours}-hour turns in 20 seeds");
    };
    let daily = days_to_effect(24, 180);
    let weekly = days_to_effect(168, 30);
    assert_eq!(daily, 145.0, "the Toolbox's D+145 at daily turns");
    assert!(
        (weekly - daily).abs() <= 7.0,
        "within one weekly turn: daily {daily} days, weekly {weekly} days"
    );
}

#[test]
fn an_osce_measure_towards_a_group_or_a_state_outside_the_osce_is_refused_with_the_reason() {
    for (perpetrator, says) in [
        ("sandstorm", "is a group, not a State"),
        ("meridia", "Meridia is not one"),
    ] {
        let scenario = attack(8, 24, perpetrator);
        let sim = play(
            &scenario,
            1,
            Policy::Passive,
            &[(4, Decision::new("osce_consultation", Some("attack")))],
        );
        let (_, verdict, by) = &fate(&sim, "osce_consultation")[0];
        let Verdict::Rejected(why) = verdict else {
            panic!("{perpetrator}: {verdict:?}")
        };
        assert!(
            why.contains("reach only OSCE participating States") && why.contains(says),
            "{why}"
        );
        assert_ne!(by, "High Representative", "a Member State uses the OSCE, not the EU");
    }
    // Towards Borealia, a participating State, the same consultation goes ahead.
    let sim = play(
        &attack(8, 24, "borealia"),
        1,
        Policy::Passive,
        &[(4, Decision::new("osce_consultation", Some("attack")))],
    );
    assert!(matches!(fate(&sim, "osce_consultation")[0].1, Verdict::Adopted { .. }));
}

/// The EU holds a cyber dialogue with China (Meridia, its analogue) and none with Russia
/// (Borealia): raising an attack in one with Borealia is refused with the reason, with Meridia
/// it goes ahead (model 7).
#[test]
fn a_cyber_dialogue_is_held_only_with_a_state_the_eu_holds_one_with() {
    let dialogue = |perpetrator: &str| {
        let sim = play(
            &attack(30, 24, perpetrator),
            1,
            Policy::Passive,
            &[(4, Decision::new("cyber_dialogue", Some("attack")))],
        );
        fate(&sim, "cyber_dialogue")[0].1.clone()
    };
    let Verdict::Rejected(why) = dialogue("borealia") else {
        panic!("a dialogue with Borealia goes ahead")
    };
    assert!(why.contains("the EU holds no cyber dialogue with Borealia"), "{why}");
    let with_meridia = dialogue("meridia");
    assert!(matches!(with_meridia, Verdict::Adopted { .. }), "{with_meridia:?}");
}

/// `demarche toolbox --json` for a scenario file.
fn catalogue(scenario: Option<&str>) -> Vec<serde_json::Value> {
    let dir = scratch_dir("toolbox");
    let mut args = vec!["toolbox", "--json"];
    let path = dir.join("s.ron");
    if let Some(text) = scenario {
        std::fs::write(&path, text).unwrap();
        args.extend(["--scenario", path.to_str().unwrap()]);
    }
    let out = demarche(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("a JSON array")
}

#[test]
fn the_catalogue_says_who_decides_by_which_rule_and_how_long_it_takes() {
    let entries = catalogue(None);
    let field = |e: &serde_json::Value, f: &str| e[f].as_str().unwrap_or_default().to_owned();
    for e in &entries {
        let kind = field(e, "kind");
        match kind.as_str() {
            "declaration" | "conclusions" | "solidarity_statement" => {
                assert_eq!(
                    (field(e, "decided_by"), field(e, "rule")),
                    ("council".into(), "consensus".into()),
                    "{e}"
                )
            }
            "listing" => {
                assert_eq!(field(e, "rule"), "unanimity", "{e}");
                assert!(e["lead_time_hours"].as_u64().unwrap() >= 30 * 24, "{e}");
            }
            "osce_cbm" => assert_eq!(field(e, "decided_by"), "member_state", "{e}"),
            "csirts_network" => assert_eq!(field(e, "decided_by"), "csirts_network", "{e}"),
            _ => {}
        }
        assert_eq!(e["available"].as_bool().unwrap(), e["why"].is_null(), "{e}");
    }
    for kind in [
        "declaration",
        "conclusions",
        "solidarity_statement",
        "listing",
        "osce_cbm",
        "csirts_network",
    ] {
        assert!(entries.iter().any(|e| field(e, "kind") == kind), "no {kind}");
    }
    // Every statement of who is responsible (a declaration naming, a listing) carries its ladder of wordings, lowest rung first,
    // each with its published formula and the shared confidence it needs.
    let statements = entries
        .iter()
        .filter(|e| e["names_perpetrator"] == true && (e["kind"] == "declaration" || e["kind"] == "listing"));
    for e in statements {
        let wordings = e["wordings"].as_array().unwrap_or_else(|| panic!("no wordings: {e}"));
        let needs: Vec<f64> = wordings.iter().map(|w| w["min_confidence"].as_f64().unwrap()).collect();
        assert!(needs.windows(2).all(|p| p[0] <= p[1]), "lowest rung first: {e}");
        assert!(
            wordings.iter().all(|w| w["id"].is_string() && w["text"].is_string()),
            "{e}"
        );
    }
    let declaration = entries
        .iter()
        .find(|e| e["id"] == "eu_declaration_attribution")
        .unwrap();
    let rungs: Vec<&str> = declaration["wordings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    assert_eq!(rungs, ["territory", "associated", "partner", "state"]);
    assert!(
        declaration["wordings"][0]["text"]
            .as_str()
            .unwrap()
            .contains("from the territory of {state}")
    );
    // In the ten days of the default scenario (June 2017), a file establishing a sanctions
    // regime can be begun although it takes seven months: it is still in the machinery at the
    // end. A measure one actor decides cannot be taken if it cannot take effect in time.
    let framework = entries.iter().find(|e| e["id"] == "sanctions_framework").unwrap();
    assert_eq!(framework["available"], true, "{framework}");
    let stages: Vec<&str> = framework["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["sounding", "HWPCI", "RELEX", "PSC", "COREPER II", "Council"]);
    let dialogue = entries.iter().find(|e| e["id"] == "cyber_dialogue").unwrap();
    assert!(
        field(dialogue, "why").contains("past the end of the exercise"),
        "{dialogue}"
    );
}

#[test]
fn before_17_may_2019_listings_do_not_exist_unless_the_scenario_assumes_them() {
    let in_2018 = r#"Scenario(id: "s", title: "2018", turns: 40, clock: (turn_hours: 168, start: "2018-10-18T09:00"),
        adversaries: ["borealia"], injects: [Inject(id: "a", at: Turn(1), title: "A")])"#;
    let listing =
        |entries: &[serde_json::Value]| entries.iter().find(|e| e["id"] == "listing_persons").cloned().unwrap();
    let entry = listing(&catalogue(Some(in_2018)));
    assert_eq!(entry["available"], false);
    let why = entry["why"].as_str().unwrap();
    assert!(why.contains("17 May 2019"), "{why}");
    let assumed = in_2018.replace("injects:", r#"assume_available: ["listing_persons"], injects:"#);
    assert_eq!(listing(&catalogue(Some(&assumed)))["available"], true);
    // The framework itself can be established then, as the European Council asked that day.
    let framework = catalogue(Some(in_2018))
        .into_iter()
        .find(|e| e["id"] == "sanctions_framework")
        .unwrap();
    assert_eq!(framework["available"], true);
}

/// Two attacks at once by Borealia on different Member States: two files of the same kind.
fn two_attacks() -> demarche::scenario::Scenario {
    let text = r#"Scenario(
    id: "two", title: "Two attacks", turns: 6,
    clock: (turn_hours: 24, start: "2021-03-01T09:00"),
    adversaries: ["borealia"],
    initial: (cohesion: 0.85, shared_awareness: 0.95),
    injects: [
        Inject(id: "wiper", at: Turn(1), title: "A wiper hits Baltic ports",
            incident: Some(IncidentSpec(perpetrator: "borealia", victims: ["EE", "LV"],
                severity: (scope: 3, scale: 3, duration: 5, intensity: 4, complexity: 1, sophistication: 0, impact: 4)))),
        Inject(id: "leak", at: Turn(1), title: "Ministry e-mails leaked",
            incident: Some(IncidentSpec(perpetrator: "borealia", victims: ["DE"],
                severity: (scope: 2, scale: 2, duration: 5, intensity: 2, complexity: 1, sophistication: 0, impact: 2)))),
    ],
)"#;
    parse_scenario("two", text, &demarche::actors::ActorsData::embedded()).expect("the test scenario is valid")
}

#[test]
fn a_held_member_state_is_asked_on_each_file_before_the_council_decides_from_the_first_turn() {
    let scenario = std::sync::Arc::new(two_attacks());
    let seats = Seats(vec![Role::HighRepresentative, Role::MemberState("HU".into())]);
    let mut ex = Exercise::new(scenario, "two.ron", 3, Policy::Proportional, seats);
    // The High Representative tables the same declaration on both incidents in turn 1.
    for incident in ["wiper", "leak"] {
        ex.propose(Decision::new("eu_declaration", Some(incident))).unwrap();
    }
    // Turn 1 is tabled, and nothing is decided before Hungary has been asked.
    let files = match ex.advance().unwrap() {
        Step::Consulting(files) => files,
        Step::Played(record) => panic!("turn {} was decided without asking Hungary", record.turn),
    };
    assert!(ex.simulation().records().is_empty(), "no turn decided yet");
    assert_eq!(ex.next_turn(), 1, "the first turn is on the table");
    let declarations: Vec<&Decision> = files.iter().filter(|f| f.measure == "eu_declaration").collect();
    assert_eq!(declarations.len(), 2, "two files of the same kind: {files:?}");
    for (_, answers) in ex.consultation() {
        assert_eq!(answers, [("HU".to_owned(), Ballot::Silence)], "asked, not yet answered");
    }
    // Hungary objects to the declaration on the wiper and agrees to the one on the leak, and may
    // change its mind while the file is on the table.
    let wiper = Decision::new("eu_declaration", Some("wiper"));
    let leak = Decision::new("eu_declaration", Some("leak"));
    ex.answer("HU", &wiper, Ballot::Abstain).unwrap();
    ex.answer(
        "HU",
        &wiper,
        Ballot::Object(demarche::council::Reason::NotProportionate),
    )
    .unwrap();
    ex.answer("HU", &leak, Ballot::For).unwrap();
    assert!(ex.answer("FR", &leak, Ballot::For).is_err(), "France is the engine's");
    let record = ex.advance().unwrap().record().expect("the go-ahead decides").clone();
    assert_eq!(record.turn, 1);
    // The files go through the machinery; Hungary keeps its line when asked again about the
    // file it holds, and the Council decides both.
    while ex.running()
        && ex
            .simulation()
            .records()
            .iter()
            .flat_map(|r| &r.votes)
            .filter(|v| v.measure == "eu_declaration")
            .count()
            < 2
    {
        ex.advance().unwrap();
    }
    let votes: Vec<demarche::council::VoteRecord> =
        ex.simulation().records().iter().flat_map(|r| r.votes.clone()).collect();
    let vote = |incident: &str| {
        votes
            .iter()
            .find(|v| v.measure == "eu_declaration" && v.incident.as_deref() == Some(incident))
            .unwrap_or_else(|| panic!("no vote on the declaration on {incident}"))
            .clone()
    };
    let (on_wiper, on_leak) = (vote("wiper"), vote("leak"));
    let hungary = |v: &demarche::council::VoteRecord| v.ballots.iter().find(|(c, _)| &**c == "HU").unwrap().1.clone();
    assert!(matches!(hungary(&on_wiper), Ballot::Object(_)));
    assert!(
        !on_wiper.adopted,
        "Hungary's objection stops the declaration on the wiper"
    );
    assert_eq!(hungary(&on_leak), Ballot::For);
    assert!(on_leak.adopted, "the declaration on the leak is adopted: {on_leak:?}");
    // Every Council file the engine tabled went through the same tour: a file Hungary did not
    // answer shows its silence, recorded as such.
    for v in &votes {
        if v.measure != "eu_declaration" {
            assert_eq!(hungary(v), Ballot::Silence, "{}", v.measure);
        }
    }
    // The answers are in the replay, per file, and the run verifies.
    let replay = ex.to_replay();
    assert!(
        replay
            .positions
            .iter()
            .any(|p| p.incident.as_deref() == Some("leak") && p.ballot == Ballot::For)
    );
    while ex.running() {
        ex.advance().unwrap();
    }
    let replay = ex.to_replay();
    assert!(matches!(
        demarche::replay::verify(&replay, two_attacks()),
        demarche::replay::Verdict::Verified { turns: 6, .. }
    ));
}

#[test]
fn without_held_member_states_a_turn_is_played_in_one_step() {
    let scenario = std::sync::Arc::new(two_attacks());
    let mut ex = Exercise::new(
        scenario,
        "two.ron",
        3,
        Policy::Proportional,
        Seats(vec![Role::Presidency]),
    );
    assert!(matches!(ex.advance().unwrap(), Step::Played(_)));
}

#[test]
fn a_2018_scenario_plays_with_the_28_including_the_united_kingdom() {
    let scenario = demarche::scenario::load_scenario(
        std::path::Path::new("scenarios/close_access_the_hague.ron"),
        &demarche::actors::ActorsData::embedded(),
    )
    .unwrap();
    // The delegations put a declaration to the Council on the day the car is spotted (the
    // engine's EU waits for a party named in public, and then the institutions speak without a
    // vote).
    let declaration = [(3, Decision::new("eu_declaration", Some("car_spotted")))];
    let sim = play(&scenario, 1, Policy::Proportional, &declaration);
    let votes: Vec<_> = sim.records().iter().flat_map(|t| &t.votes).collect();
    assert!(!votes.is_empty(), "the Council voted");
    for vote in votes {
        assert_eq!(vote.ballots.len(), 28, "the EU of 28 in April 2018");
        assert!(vote.ballots.iter().any(|(code, _)| &**code == "UK"));
    }
    let now = play(&attack(4, 24, "borealia"), 1, Policy::Proportional, &[]);
    for vote in now.records().iter().flat_map(|t| &t.votes) {
        assert_eq!(vote.ballots.len(), 27, "the EU of 27 in 2021");
    }
}

#[test]
fn a_scenario_spanning_years_jumps_the_clock_between_phases_and_reports_the_real_dates() {
    // The Bundestag case in eight turns: the intrusion of May 2015, then, five years on, the
    // arrest warrant of 5 May 2020 and the German request for sanctions.
    let text = r#"Scenario(
    id: "bundestag", title: "Five years on", turns: 8,
    clock: (turn_hours: 24, start: "2015-05-04T09:00"),
    adversaries: ["borealia"],
    initial: (shared_awareness: 0.9),
    phases: [
        Phase(name: "The intrusion", module: Technical, from: 1, to: 4),
        Phase(name: "The warrant and the request", module: Strategic, from: 5, to: 8, gap: Some("D+1824")),
    ],
    injects: [
        Inject(id: "intrusion", at: Turn(1), title: "Parliament's network compromised",
            incident: Some(IncidentSpec(perpetrator: "borealia", victims: ["DE"],
                severity: (scope: 2, scale: 2, duration: 5, intensity: 2, complexity: 3, sophistication: 3, impact: 3)))),
        Inject(id: "warrant", at: Offset("D+1825"), title: "Arrest warrant for a GRU officer"),
    ],
)"#;
    let dir = scratch_dir("bundestag");
    let file = dir.join("bundestag.ron");
    std::fs::write(&file, text).unwrap();
    // Five years on, the United Kingdom has left: the checker says the Council of 2015 is kept.
    let checked = demarche(&["check", file.to_str().unwrap()]);
    let findings = String::from_utf8_lossy(&checked.stdout);
    assert!(
        findings.contains("council-change") && findings.contains("United Kingdom"),
        "{findings}"
    );
    // ...and that in 2015 the Toolbox did not exist yet: the exercise assumes it.
    assert!(findings.contains("before-toolbox"), "{findings}");
    assert!(findings.contains("2 problems found"), "only those warnings: {findings}");
    let run = dir.join("run.ron");
    let played = demarche(&["run", file.to_str().unwrap(), "--record", run.to_str().unwrap()]);
    assert!(played.status.success(), "{}", String::from_utf8_lossy(&played.stderr));
    let report = demarche(&["report", run.to_str().unwrap(), "--format", "md"]);
    assert!(report.status.success(), "{}", String::from_utf8_lossy(&report.stderr));
    let md = String::from_utf8(report.stdout).unwrap();
    assert!(md.contains("D+0 H+0 · Mon 4 May 2015 09:00"), "{md}");
    // The warrant, timed five years after the start, opens the second phase on its real day.
    let warrant = md
        .lines()
        .find(|l| l.contains("Arrest warrant"))
        .expect("the warrant is in the timeline");
    assert!(warrant.contains("Tue 5 May 2020"), "{warrant}");
    // The listing exists in 2020 and takes its months from there.
    let scenario = parse_scenario("bundestag", text, &demarche::actors::ActorsData::embedded()).unwrap();
    let calendar = demarche::scenario::Calendar::of(&scenario);
    assert_eq!(calendar.time(5).1, "Tue 5 May 2020 09:00");
}

#[test]
fn daily_and_weekly_turns_tell_the_same_story_at_different_resolutions() {
    // The same four weeks at 24-hour and at 7-day turns, with no measure taken (the CSIRTs
    // network, which every policy runs on each new incident, is withheld: a measure's lead time
    // counts from its turn, so its effect would come up to a week later at weekly turns): where
    // the EU's assessment and the crisis stand at each week's end should not depend on the turn
    // length.
    let scenario_at = |turn_hours: u32, turns: u32| {
        let text = format!(
            r#"Scenario(
    id: "pace", title: "Pace", turns: {turns},
    clock: (turn_hours: {turn_hours}, start: "2021-03-01T09:00"),
    adversaries: ["borealia", "sandstorm"],
    initial: (escalation: 2.0, cohesion: 0.8, shared_awareness: 0.6),
    adversary_overrides: {{ "borealia": (activity: 0.5) }},
    toolbox: {{ "csirts_network": (available: false) }},
    injects: [
        Inject(id: "attack", at: Turn(1), title: "Disruptive attack on energy traders",
            incident: Some(IncidentSpec(perpetrator: "borealia", victims: ["DE", "FR", "NL"],
                severity: (scope: 2, scale: 3, duration: 3, intensity: 3, complexity: 2, sophistication: 3, impact: 2)))),
    ],
)"#
        );
        parse_scenario("pace", &text, &demarche::actors::ActorsData::embedded()).unwrap()
    };
    let seeds = 150;
    // (mean EU probability on Borealia for the attack, mean escalation, mean cohesion) at the
    // end of each week.
    let weeks = |turn_hours: u32, turns: u32, per_week: usize| {
        let scenario = scenario_at(turn_hours, turns);
        let mut sums = vec![(0.0, 0.0, 0.0); 4];
        for seed in 0..seeds {
            let sim = play(&scenario, seed, Policy::Passive, &[]);
            for (week, sum) in sums.iter_mut().enumerate() {
                let record = &sim.records()[(week + 1) * per_week - 1];
                let probability = record
                    .assessments
                    .iter()
                    .find(|a| &*a.incident == "attack")
                    .map_or(0.0, |a| if &*a.suspect == "Borealia" { a.probability } else { 0.0 });
                sum.0 += probability / seeds as f64;
                sum.1 += record.escalation / seeds as f64;
                sum.2 += record.cohesion / seeds as f64;
            }
        }
        sums
    };
    let daily = weeks(24, 28, 7);
    let weekly = weeks(168, 4, 1);
    for (week, (d, w)) in daily.iter().zip(&weekly).enumerate() {
        let week = week + 1;
        assert!(
            (d.0 - w.0).abs() < 0.05,
            "week {week}: EU confidence in Borealia {:.2} daily, {:.2} weekly",
            d.0,
            w.0
        );
        assert!(
            (d.1 - w.1).abs() < 0.5,
            "week {week}: escalation {:.2} daily, {:.2} weekly",
            d.1,
            w.1
        );
        assert!(
            (d.2 - w.2).abs() < 0.05,
            "week {week}: cohesion {:.2} daily, {:.2} weekly",
            d.2,
            w.2
        );
    }
    // The assessment keeps being shown after the attack's technical phase (four days): the EU has
    // not answered it, so it stays in political play.
    assert!(
        weekly[3].0 > 0.0 && daily[3].0 > 0.0,
        "the attack is still assessed in week 4"
    );
}

#[test]
fn a_real_case_casts_real_states_with_their_real_osce_membership_and_names_third_countries() {
    // Viasat, 24 February 2022: Russia's wiper hits modems across the EU and in Ukraine.
    let text = r#"Scenario(
    id: "viasat", title: "AcidRain", turns: 8,
    clock: (turn_hours: 24, start: "2022-02-24T04:00"),
    adversaries: ["russia", "china"],
    initial: (shared_awareness: 0.9),
    injects: [
        Inject(id: "acidrain", at: Turn(1), title: "Satellite modems wiped across Europe",
            partners: ["US", "UK"],
            incident: Some(IncidentSpec(perpetrator: "russia", victims: ["DE", "FR", "IT"], third_countries: ["UA"],
                severity: (scope: 3, scale: 4, duration: 3, intensity: 4, complexity: 3, sophistication: 3, impact: 4)))),
        Inject(id: "exchange", at: Turn(1), title: "Mail servers exploited en masse",
            incident: Some(IncidentSpec(perpetrator: "china", victims: ["DE"],
                severity: (scope: 3, scale: 3, duration: 3, intensity: 2, complexity: 2, sophistication: 2, impact: 3)))),
    ],
)"#;
    let actors = demarche::actors::ActorsData::embedded();
    let scenario = parse_scenario("viasat", text, &actors).expect("real States and third countries are accepted");
    let report =
        demarche::scenario::check::check_text("viasat.ron", text, &actors, &demarche::toolbox::Toolbox::embedded());
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    // Once the EU assessment points at each, an OSCE consultation reaches Russia, a participating
    // State, and not China, which is not one.
    let mut reached = (false, false);
    for seed in 0..30 {
        let sim = play(
            &scenario,
            seed,
            Policy::Passive,
            &[
                (5, Decision::new("osce_consultation", Some("acidrain"))),
                (5, Decision::new("osce_consultation", Some("exchange"))),
            ],
        );
        let records = sim.records();
        let assessed = |incident: &str| {
            records[3]
                .assessments
                .iter()
                .find(|a| &*a.incident == incident)
                .map(|a| a.suspect.clone())
        };
        if assessed("acidrain").as_deref() != Some("Russia") || assessed("exchange").as_deref() != Some("China") {
            continue;
        }
        let verdicts: Vec<&demarche::council::DecisionRecord> = records[4]
            .decisions
            .iter()
            .filter(|d| d.decision.measure == "osce_consultation")
            .collect();
        let on = |incident: &str| {
            verdicts
                .iter()
                .find(|d| d.decision.incident.as_deref() == Some(incident))
                .map(|d| d.verdict.clone())
                .unwrap()
        };
        assert!(
            matches!(on("acidrain"), Verdict::Adopted { .. }),
            "{:?}",
            on("acidrain")
        );
        let Verdict::Rejected(why) = on("exchange") else {
            panic!("{:?}", on("exchange"))
        };
        assert!(why.contains("China is not one"), "{why}");
        reached = (true, true);
        break;
    }
    assert_eq!(reached, (true, true), "no seed where the assessments pointed at both");
    // The board names Ukraine as hit outside the EU, and the partners.
    let mut sim = demarche::Simulation::new(scenario.clone(), 1, Policy::Passive);
    sim.play_turn();
    let board = demarche::exercise::Board::read(&sim, &scenario);
    let card = board.incidents.iter().find(|c| c.id == "acidrain").unwrap();
    assert_eq!(card.also_hit, ["Ukraine"]);
    assert_eq!(card.partners, ["the United States", "the United Kingdom"]);
}

#[test]
fn a_delegation_changes_its_position_while_the_file_is_drafted_and_holds_it() {
    let scenario = std::sync::Arc::new(attack(12, 24, "borealia"));
    let seats = Seats(vec![Role::HighRepresentative, Role::MemberState("HU".into())]);
    let mut ex = Exercise::new(scenario, "rules.ron", 3, Policy::Passive, seats);
    assert!(
        matches!(ex.advance().unwrap(), Step::Played(_)),
        "turn 1: nothing for the Council"
    );
    let declaration = Decision::new("eu_declaration", Some("attack"));
    ex.propose(declaration.clone()).unwrap();
    assert!(
        matches!(ex.advance().unwrap(), Step::Consulting(_)),
        "turn 2: Hungary is asked"
    );
    ex.answer("HU", &declaration, Ballot::For).unwrap();
    assert!(matches!(ex.advance().unwrap(), Step::Played(_)));
    // Between turns the file is in the Presidency's sounding: still open to positions.
    let open: Vec<Decision> = ex.consultation().into_iter().map(|(file, _)| file).collect();
    assert_eq!(
        open,
        std::slice::from_ref(&declaration),
        "the file being drafted is on the tour"
    );
    ex.answer(
        "HU",
        &declaration,
        Ballot::Object(demarche::council::Reason::WeakAttribution),
    )
    .unwrap();
    // A file being drafted does not hold up the turn; at the end of the sounding Hungary holds it.
    assert!(
        matches!(ex.advance().unwrap(), Step::Played(_)),
        "turn 3 is not held up"
    );
    let file = ex
        .simulation()
        .files()
        .iter()
        .find(|f| f.decision == declaration)
        .expect("still in the machinery");
    let hold = file.hold.as_ref().expect("Hungary holds it");
    assert_eq!(hold.by[0].0.as_ref(), "HU");
    assert!(hold.by[0].1.to_string().contains("attribution"), "{:?}", hold.by);
}

#[test]
fn one_member_state_refusing_the_extension_ends_the_regime_and_its_listings() {
    // May 2020: the regime expires on 18 May unless the Council extends it. A listing (compressed
    // to five days) is in force; Hungary, held at the table, refuses the extension.
    let text = r#"Scenario(
    id: "expiry", title: "The regime expires", turns: 26,
    clock: (turn_hours: 24, start: "2020-05-01T09:00"),
    adversaries: ["russia", "china", "sandstorm"],
    initial: (escalation: 1.0, cohesion: 0.85, shared_awareness: 0.95),
    adversary_overrides: { "russia": (activity: 0.05, intent: 0.1), "china": (activity: 0.05, intent: 0.1),
        "sandstorm": (activity: 0.05, intent: 0.1) },
    toolbox: { "listing_persons": (lead_time: "D+5") },
    injects: [
        Inject(id: "attack", at: Turn(1), title: "Disruptive attack on energy traders",
            incident: Some(IncidentSpec(perpetrator: "russia", victims: ["DE", "FR", "NL"],
                severity: (scope: 3, scale: 3, duration: 5, intensity: 3, complexity: 1, sophistication: 0, impact: 4)))),
    ],
)"#;
    let scenario = parse_scenario("expiry", text, &demarche::actors::ActorsData::embedded()).unwrap();
    let calendar = demarche::scenario::Calendar::of(&scenario);
    let expiry = calendar
        .turn_on(demarche::scenario::date_days("2020-05-18").unwrap())
        .unwrap();
    let listing = |turn: u32| (turn, Decision::new("listing_persons", Some("attack")));
    for seed in 0..30 {
        let mut sim = demarche::Simulation::new(scenario.clone(), seed, Policy::Passive);
        sim.set_seats(Seats(vec![Role::MemberState("HU".into())]));
        sim.take_position(Position {
            turn: 1,
            state: "HU".into(),
            measure: "framework_extension".into(),
            incident: None,
            ballot: Ballot::Object(demarche::council::Reason::NotProportionate),
        });
        for (turn, d) in (2..=8).map(listing) {
            sim.decide(turn, d);
        }
        sim.decide(expiry + 2, listing(0).1);
        sim.play_to_end();
        let fates = fate(&sim, "listing_persons");
        if !fates
            .iter()
            .any(|(t, v, _)| *t < expiry && matches!(v, Verdict::Adopted { .. }))
        {
            continue;
        }
        // The extension came to the Council by itself and Hungary's refusal ended the regime.
        let extension = fate(&sim, "framework_extension");
        assert!(
            extension
                .iter()
                .any(|(t, v, _)| *t == expiry && matches!(v, Verdict::Lapsed { .. })),
            "{extension:?}"
        );
        // The listing in force lapsed with it, and a new one is refused with the reason.
        assert!(
            fates
                .iter()
                .any(|(t, v, _)| *t == expiry && matches!(v, Verdict::Lapsed { .. })),
            "{fates:?}"
        );
        let (_, after, _) = fates.iter().find(|(t, _, _)| *t == expiry + 2).expect("proposed again");
        let Verdict::Rejected(why) = after else {
            panic!("{after:?}")
        };
        assert!(why.contains("lapsed"), "{why}");
        return;
    }
    panic!("no listing adopted before the expiry in 30 seeds");
}

#[test]
fn an_extension_the_story_jumps_over_is_not_voted_after_the_jump() {
    // The Estonia case jumps from December 2020 to January 2022 and on to September 2024: the
    // Council extended the cyber sanctions framework on 17 May 2021 and 16 May 2022, inside the
    // jumps. Until model 8 both came to the Council at the first turn after each jump (January
    // 2022 under the French Presidency, September 2024 under the Hungarian one).
    let scenario = demarche::scenario::load_scenario(
        std::path::Path::new("scenarios/estonia_gru_29155.ron"),
        &demarche::actors::ActorsData::embedded(),
    )
    .unwrap();
    for seed in 0..5 {
        let sim = play(&scenario, seed, Policy::Proportional, &[]);
        let extension = fate(&sim, "framework_extension");
        assert!(extension.is_empty(), "seed {seed}: {extension:?}");
    }
    // Without the jumps, the same dates come to the Council on their turns: a weekly clock from
    // 1 December 2020 reaches 18 May 2021 in turn 25.
    let text = std::fs::read_to_string("scenarios/estonia_gru_29155.ron")
        .unwrap()
        .replace("gap: \"D+387\",", "")
        .replace("gap: \"D+952\",", "")
        .replace("gap: \"D+102\",", "")
        .replace("turns: 13,", "turns: 30,");
    let unjumped = parse_scenario("estonia", &text, &demarche::actors::ActorsData::embedded()).unwrap();
    let sim = play(&unjumped, 0, Policy::Proportional, &[]);
    let extension = fate(&sim, "framework_extension");
    assert!(extension.iter().any(|(t, _, _)| *t == 25), "{extension:?}");
}
