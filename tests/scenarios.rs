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

/// The Exchange case reads like its record under the policy closest to what the EU did: on the
/// coordinated day the EU declares the activity "undertaken from the territory of China", as on
/// 19 July 2021, because the Presidency redrafts the text for the Member States that will not
/// hold the Chinese State responsible; it does not name China before its partners do.
#[test]
fn the_exchange_declaration_locates_the_activity_on_chinas_territory() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/exchange_2021.ron");
    let scenario = load_scenario(&path, &ActorsData::embedded()).unwrap_or_else(|e| panic!("{}", e.explain()));
    let (mut territory, mut state, mut early, mut redrafted) = (0, 0, 0, 0);
    let seeds = 200;
    for seed in 0..seeds {
        let mut sim = Simulation::new(scenario.clone(), seed, Policy::Proportional);
        sim.play_to_end();
        for record in sim.records() {
            redrafted += record.amendments.iter().filter(|a| a.to == "territory").count();
            for d in &record.decisions {
                let Some(text) = &d.published else { continue };
                if d.decision.measure != "eu_declaration_attribution" {
                    continue;
                }
                // The partners' coordinated day, 19 July 2021, is turn 10.
                early += usize::from(record.turn < 10);
                territory += usize::from(text.contains("from the territory of China"));
                state += usize::from(text.contains("hold China responsible"));
            }
        }
    }
    eprintln!(
        "{seeds} runs: territory {territory}, naming the State {state}, before the day {early}, redrafted {redrafted}"
    );
    // Model 3: 176 of seeds 0 to 199 (88%); model 2 had 191.
    assert!(
        territory as f64 >= 0.85 * seeds as f64,
        "territory in {territory} of {seeds} runs"
    );
    assert!(
        state as f64 <= 0.15 * seeds as f64,
        "the State named in {state} of {seeds} runs"
    );
    assert_eq!(early, 0, "the EU named China before its partners");
    assert!(
        redrafted >= territory / 2,
        "the territory text comes from the Presidency's redraft"
    );
}

/// Naming after condemning stays open (docs/model.md, section 13). In the Viasat case the
/// proportional policy condemns the attack on KA-SAT at once; the attack's technical phase is then
/// long over when the partners name Russia (turn 11, 10 May 2022), and the EU must still be able
/// to name it: once, on that day or the next turn, never before the partners.
#[test]
fn the_eu_names_russia_for_the_attack_on_ka_sat_after_its_partners_and_once() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/viasat_ka_sat_2022.ron");
    let scenario = load_scenario(&path, &ActorsData::embedded()).unwrap_or_else(|e| panic!("{}", e.explain()));
    let seeds = 30;
    let (mut named, mut early, mut twice) = (0, 0, 0);
    for seed in 0..seeds {
        let mut sim = Simulation::new(scenario.clone(), seed, Policy::Proportional);
        sim.play_to_end();
        let naming: Vec<u32> = sim
            .records()
            .iter()
            .flat_map(|record| {
                record
                    .decisions
                    .iter()
                    .filter(|d| {
                        d.decision.measure == "eu_declaration_attribution"
                            && matches!(d.verdict, demarche::council::Verdict::Adopted { .. })
                    })
                    .map(move |_| record.turn)
            })
            .collect();
        named += usize::from(!naming.is_empty());
        // The partners name Russia in public at turn 11.
        early += naming.iter().filter(|turn| **turn < 11).count();
        twice += usize::from(naming.len() > 1);
    }
    eprintln!("{seeds} runs: Russia named in {named}, before the partners {early}, twice {twice}");
    assert!(
        named as f64 >= 0.9 * seeds as f64,
        "Russia named in {named} of {seeds} runs"
    );
    assert_eq!(early, 0, "the EU named Russia before its partners");
    assert_eq!(twice, 0, "the EU named Russia twice for one campaign");
}

/// Channels and reassurance do not dissolve the distrust of an adversary that pursues a campaign
/// against the EU: under proportional play in the Estonia case, whose Member States open OSCE
/// consultations with Russia on each new intrusion, Russia still misreads the EU's intent at the
/// end of every run (its trust stays at or below 1 - 0.5 * intent), while a State that answers
/// nothing but talks is not read as more hostile than one that does nothing.
#[test]
fn talking_does_not_make_a_campaigning_adversary_trust_the_eu_fully() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/estonia_gru_29155.ron");
    let scenario = load_scenario(&path, &ActorsData::embedded()).unwrap_or_else(|e| panic!("{}", e.explain()));
    for seed in 0..30 {
        let mut sim = Simulation::new(scenario.clone(), seed, Policy::Proportional);
        sim.play_to_end();
        let russia = sim.adversary("russia").expect("Russia is in the cast");
        assert!(
            1.0 - russia.trust >= 0.29,
            "seed {seed}: Russia's misreading of the EU fell to {:.2}",
            1.0 - russia.trust
        );
    }
}

/// The EU speaks once on a campaign (docs/model.md, section 13; model 3). In the record it issued
/// one declaration on Microsoft Exchange (19 July 2021) and one on Viasat (10 May 2022), not a
/// text on every further intrusion, nor a declaration, Council conclusions, a statement of
/// solidarity and an HR statement on the same attack. Under proportional play, in every shipped
/// scenario and the Viasat fixture, each campaign as the EU assesses it gets at most one text
/// naming no one and one naming those responsible, and never Council conclusions. A campaign is
/// an adversary's, or "another actor"'s: an incident the assessment cannot yet ascribe to a known
/// party is not known to belong to one (the OPCW case: a later intrusion first read as another
/// actor's gets its own condemnation).
#[test]
fn the_eu_speaks_once_on_a_campaign() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(root.join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    files.push(root.join("tests/fixtures/viasat_ka_sat_2022.ron"));
    for path in &files {
        let scenario = load_scenario(path, &ActorsData::embedded()).unwrap_or_else(|e| panic!("{}", e.explain()));
        let campaigns = scenario.adversaries.len() + 1;
        let (mut unnamed_total, mut runs) = (0, 0);
        for seed in 0..10 {
            let mut sim = Simulation::new(scenario.clone(), seed, Policy::Proportional);
            sim.play_to_end();
            let adopted: Vec<&str> = sim
                .records()
                .iter()
                .flat_map(|r| &r.decisions)
                .filter(|d| matches!(d.verdict, demarche::council::Verdict::Adopted { .. }))
                .map(|d| d.decision.measure.as_str())
                .collect();
            let unnamed = adopted
                .iter()
                .filter(|m| matches!(**m, "hr_statement" | "eu_declaration" | "solidarity_statement"))
                .count();
            let naming = adopted.iter().filter(|m| **m == "eu_declaration_attribution").count();
            let name = path.display();
            assert!(
                !adopted.contains(&"council_conclusions"),
                "{name} seed {seed}: Council conclusions answer an incident: {adopted:?}"
            );
            assert!(
                unnamed <= campaigns && naming <= campaigns,
                "{name} seed {seed}: {unnamed} texts naming no one and {naming} naming, for {campaigns} campaigns: {adopted:?}"
            );
            unnamed_total += unnamed;
            runs += 1;
        }
        // It still speaks: a campaign is not left without a word.
        assert!(
            unnamed_total >= runs / 2,
            "{}: {unnamed_total} texts in {runs} runs",
            path.display()
        );
    }
}

/// A listing is negotiated to consensus: the Member States the engine plays never abstain
/// formally on one (constructive abstention has never been used for a listing; docs/model.md,
/// section 7). In the Estonia case, where the EU lists the unit's officers, no listing vote of
/// seeds 0 to 19 records an abstention, and the listing is still adopted in most runs.
#[test]
fn no_member_state_abstains_formally_on_a_listing() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/estonia_gru_29155.ron");
    let scenario = load_scenario(&path, &ActorsData::embedded()).unwrap_or_else(|e| panic!("{}", e.explain()));
    let (mut votes, mut adopted) = (0, 0);
    for seed in 0..20 {
        let mut sim = Simulation::new(scenario.clone(), seed, Policy::Proportional);
        sim.play_to_end();
        for vote in sim.records().iter().flat_map(|r| &r.votes) {
            if !vote.measure.starts_with("listing_") {
                continue;
            }
            votes += 1;
            adopted += usize::from(vote.adopted);
            let abstaining: Vec<&str> = vote
                .ballots
                .iter()
                .filter(|(_, b)| *b == demarche::council::Ballot::Abstain)
                .map(|(code, _)| &**code)
                .collect();
            assert!(
                abstaining.is_empty(),
                "seed {seed}: {abstaining:?} abstained on {}",
                vote.measure
            );
        }
    }
    assert!(
        votes > 0 && adopted * 2 > votes,
        "{adopted} of {votes} listing votes adopted"
    );
}
