//! Fuzzing on stable Rust: structure-aware mutations of the shipped scenarios and of recorded
//! replays, driven by proptest. The rule: whatever the checker accepts, the engine plays to the
//! end without a panic, in debug and in release; every number at the extremes of its type is
//! either a located error or plays; a replay, however altered, is refused with a message or
//! verified, never a panic; whatever people at the table do, in whatever order, the run they
//! made verifies.
//!
//! `cargo test` runs each target briefly. A long campaign (the README gives the figures):
//!
//! ```sh
//! DEMARCHE_FUZZ_CASES_CHECK=9000000 DEMARCHE_FUZZ_CASES_PLAY=500000 DEMARCHE_FUZZ_CASES_REPLAY=500000 \
//!     DEMARCHE_FUZZ_CASES_TABLE=400000 cargo test --release --no-default-features --test fuzz
//! ```
//!
//! Every input that ever failed is kept in `tests/fuzz/` and replayed by
//! `every_input_that_ever_failed_stays_fixed`.

mod common;

use demarche::Simulation;
use demarche::actors::ActorsData;
use demarche::decisions::Policy;
use demarche::replay::{Replay, verify};
use demarche::scenario::{SHIPPED, check::check_text};
use demarche::toolbox::Toolbox;
use proptest::prelude::*;
use std::sync::LazyLock;

/// Cases per target: a few in `cargo test`, as many as asked in a campaign
/// (`DEMARCHE_FUZZ_CASES`, or `DEMARCHE_FUZZ_CASES_CHECK`, `_PLAY`, `_REPLAY`, `_TABLE` for one
/// target).
fn cases(target: &str) -> u32 {
    let read = |name: String| std::env::var(name).ok().and_then(|v| v.parse().ok());
    read(format!("DEMARCHE_FUZZ_CASES_{target}"))
        .or_else(|| read("DEMARCHE_FUZZ_CASES".to_owned()))
        .unwrap_or(48)
}

/// Numbers at the extremes of every type a field may have, and the ones just past them.
const EXTREMES: [&str; 18] = [
    "0",
    "-1",
    "-0.0",
    "1",
    "255",
    "256",
    "65536",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "-9223372036854775808",
    "1e308",
    "-1e308",
    "1e-320",
    "NaN",
    "inf",
    "-inf",
    "0.999999999999",
];

/// Byte ranges of the numeric literals of a RON text (not inside words).
fn numbers(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit()
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b'.'));
        if starts {
            let start = if i > 0 && bytes[i - 1] == b'-' { i - 1 } else { i };
            let mut end = i;
            while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
                end += 1;
            }
            out.push(start..end);
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// One mutation of a text: a numeric literal set to an extreme, or a cut with an insertion.
#[derive(Debug, Clone)]
enum Mutation {
    Number { which: usize, extreme: usize },
    Edit { at: usize, cut: usize, insert: String },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<usize>(), 0..EXTREMES.len()).prop_map(|(which, extreme)| Mutation::Number { which, extreme }),
        1 => (any::<usize>(), 0usize..24, "[\\[\\](){}\":,a-zA-Z0-9_ .+-]{0,10}")
            .prop_map(|(at, cut, insert)| Mutation::Edit { at, cut, insert }),
    ]
}

fn apply(text: &str, mutation: &Mutation) -> String {
    match mutation {
        Mutation::Number { which, extreme } => {
            let found = numbers(text);
            if found.is_empty() {
                return text.to_owned();
            }
            let range = found[which % found.len()].clone();
            format!("{}{}{}", &text[..range.start], EXTREMES[*extreme], &text[range.end..])
        }
        Mutation::Edit { at, cut, insert } => {
            let at = at % (text.len() + 1);
            let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            let end = (at + cut).min(text.len());
            let end = (end..=text.len())
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(text.len());
            format!("{}{}{}", &text[..at], insert, &text[end..])
        }
    }
}

static ACTORS: LazyLock<ActorsData> = LazyLock::new(ActorsData::embedded);
static TOOLBOX: LazyLock<Toolbox> = LazyLock::new(Toolbox::embedded);

/// The scenario target: check the text; if it is playable, play it to the end under two policies.
fn scenario_target(text: &str) {
    let report = check_text("fuzz", text, &ACTORS, &TOOLBOX);
    for f in &report.findings {
        assert!(f.line >= 1 && f.column >= 1, "a finding without a place: {f:?}");
        assert!(f.span.end <= text.len());
    }
    if report.playable()
        && let Ok(scenario) = demarche::scenario::parse_scenario("fuzz", text, &ACTORS)
    {
        for policy in [Policy::Proportional, Policy::Hawkish] {
            let mut sim = Simulation::new(scenario.clone(), 1, policy);
            let outcome = sim.play_to_end().clone();
            assert!(
                outcome.final_escalation.is_finite(),
                "escalation {}",
                outcome.final_escalation
            );
            assert!(outcome.final_cohesion.is_finite());
        }
    }
}

/// Recorded runs to alter: the default scenario under two policies, and the Exchange case.
static REPLAYS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut out = Vec::new();
    for (index, policy) in [
        (0, Policy::Proportional),
        (0, Policy::Hawkish),
        (5, Policy::Proportional),
    ] {
        let (name, text) = SHIPPED[index % SHIPPED.len()];
        let scenario = demarche::scenario::parse_scenario(name, text, &ACTORS).unwrap();
        let mut sim = Simulation::new(scenario.clone(), 4, policy);
        sim.play_to_end();
        out.push(Replay::record(&sim, &scenario, name, 4, policy).to_ron());
    }
    out
});

/// The replay target: read the text; if it is a replay, verify it (on the scenario it carries).
fn replay_target(text: &str) {
    if let Ok(replay) = Replay::from_ron("fuzz", text)
        && let Ok(scenario) = replay.scenario("fuzz")
    {
        let _ = verify(&replay, scenario);
    }
}

fn config(target: &str) -> ProptestConfig {
    ProptestConfig {
        cases: cases(target),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config("PLAY"))]

    #[test]
    fn a_shipped_scenario_with_numbers_at_their_extremes_is_refused_or_plays(
        index in 0..SHIPPED.len(),
        first in mutation(),
        second in proptest::option::of(mutation()),
    ) {
        let mut text = apply(SHIPPED[index].1, &first);
        if let Some(second) = &second {
            text = apply(&text, second);
        }
        scenario_target(&text);
    }
}

proptest! {
    #![proptest_config(config("CHECK"))]

    #[test]
    fn any_edit_of_a_shipped_scenario_is_checked_without_panic(
        index in 0..SHIPPED.len(),
        edits in proptest::collection::vec(mutation(), 1..4),
    ) {
        // The checker alone, cheap enough for millions of inputs in a campaign.
        let text = edits.iter().fold(SHIPPED[index].1.to_owned(), |text, m| apply(&text, m));
        let report = check_text("fuzz", &text, &ACTORS, &TOOLBOX);
        for f in &report.findings {
            prop_assert!(f.line >= 1 && f.column >= 1);
            prop_assert!(f.span.end <= text.len());
        }
    }

}

proptest! {
    #![proptest_config(config("REPLAY"))]

    #[test]
    fn an_altered_replay_is_refused_or_verified(
        index in 0usize..3,
        first in mutation(),
        second in proptest::option::of(mutation()),
    ) {
        let mut text = apply(&REPLAYS[index], &first);
        if let Some(second) = &second {
            text = apply(&text, second);
        }
        replay_target(&text);
    }
}

/// One thing the people at the table do, as the window's intents do it (through
/// `demarche::exercise::Exercise`, the table without a window).
#[derive(Debug, Clone)]
enum Act {
    Propose {
        measure: usize,
        incident: usize,
        wording: usize,
    },
    Withdraw(usize),
    Advance,
    Answer {
        file: usize,
        ballot: usize,
    },
    Position {
        measure: usize,
        ballot: usize,
    },
    Fire(usize),
    Shift {
        adversary: usize,
        activity: usize,
        intent: usize,
    },
    Pause,
    Resume,
    Note(String),
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        4 => (any::<usize>(), any::<usize>(), any::<usize>())
            .prop_map(|(measure, incident, wording)| Act::Propose { measure, incident, wording }),
        1 => any::<usize>().prop_map(Act::Withdraw),
        4 => Just(Act::Advance),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(file, ballot)| Act::Answer { file, ballot }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(measure, ballot)| Act::Position { measure, ballot }),
        1 => any::<usize>().prop_map(Act::Fire),
        1 => (any::<usize>(), 0..EXTREMES.len(), 0..EXTREMES.len())
            .prop_map(|(adversary, activity, intent)| Act::Shift { adversary, activity, intent }),
        1 => Just(Act::Pause),
        1 => Just(Act::Resume),
        1 => "\\PC{0,40}".prop_map(Act::Note),
    ]
}

/// The table target: a shipped scenario with Hungary, the High Representative and the
/// facilitator held by people, whatever they do in whatever order; then the run they made,
/// recorded, must verify.
fn table_target(index: usize, acts: &[Act]) {
    use demarche::council::Ballot;
    use demarche::decisions::{Decision, Role, Seats};
    let (name, text) = SHIPPED[index % SHIPPED.len()];
    let scenario = std::sync::Arc::new(demarche::scenario::parse_scenario(name, text, &ACTORS).unwrap());
    let seats = Seats(vec![
        Role::MemberState("HU".into()),
        Role::HighRepresentative,
        Role::Facilitator,
    ]);
    let mut ex =
        demarche::exercise::Exercise::new(std::sync::Arc::clone(&scenario), name, 3, Policy::Proportional, seats);
    let ballots = |i: usize| match i % 4 {
        0 => Ballot::For,
        1 => Ballot::Abstain,
        2 => Ballot::Silence,
        _ => Ballot::Object(demarche::council::OBJECTION_REASONS[i % 5].clone()),
    };
    for act in acts {
        match act {
            Act::Propose {
                measure,
                incident,
                wording,
            } => {
                let options = ex.options(None, None);
                let incidents: Vec<String> = ex.board().incidents.iter().map(|c| c.id.clone()).collect();
                if options.is_empty() {
                    continue;
                }
                let option = &options[measure % options.len()];
                let incident = (!incidents.is_empty()).then(|| incidents[incident % incidents.len()].clone());
                let mut decision = Decision::new(&option.id, incident.as_deref());
                if !option.rungs.is_empty() {
                    decision = decision.worded(&option.rungs[wording % option.rungs.len()].id);
                }
                let _ = ex.propose(decision);
            }
            Act::Withdraw(i) => ex.withdraw(*i),
            Act::Advance => {
                let _ = ex.advance();
            }
            Act::Answer { file, ballot } => {
                let files: Vec<Decision> = ex.consultation().into_iter().map(|(d, _)| d).collect();
                if !files.is_empty() {
                    let _ = ex.answer("HU", &files[file % files.len()], ballots(*ballot));
                }
            }
            Act::Position { measure, ballot } => {
                let measures = &TOOLBOX.measures;
                let _ = ex.take_position("HU", &measures[measure % measures.len()].id, ballots(*ballot));
            }
            Act::Fire(i) => {
                let pool = &scenario.pool;
                let id = if pool.is_empty() {
                    "no-such-inject".to_owned()
                } else {
                    pool[i % pool.len()].id.clone()
                };
                let _ = ex.fire(&id);
            }
            Act::Shift {
                adversary,
                activity,
                intent,
            } => {
                let number = |i: usize| EXTREMES[i].parse::<f64>().unwrap_or(0.5);
                let _ = ex.shift_posture(demarche::scenario::PostureShift {
                    adversary: scenario.adversaries[adversary % scenario.adversaries.len()].clone(),
                    activity: number(*activity),
                    intent: number(*intent),
                });
            }
            Act::Pause => ex.pause("2026-12-02T23:00:00Z"),
            Act::Resume => ex.resume("2026-12-02T23:01:00Z"),
            Act::Note(text) => ex.note("facilitator", text, "2026-12-02T23:02:00Z"),
        }
    }
    let replay = ex.to_replay();
    let verdict = verify(&replay, (*scenario).clone());
    assert!(
        matches!(verdict, demarche::replay::Verdict::Verified { .. }),
        "the table's run does not verify: {verdict:?}"
    );
}

proptest! {
    #![proptest_config(config("TABLE"))]

    #[test]
    fn whatever_the_table_does_the_run_it_made_verifies(
        index in 0..SHIPPED.len(),
        acts in proptest::collection::vec(act(), 0..40),
    ) {
        table_target(index, &acts);
    }
}

#[test]
fn every_input_that_ever_failed_stays_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/fuzz holds the inputs that failed") {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        match path.extension().and_then(|e| e.to_str()) {
            Some("scenario") => scenario_target(&text),
            Some("replay") => replay_target(&text),
            _ => continue,
        }
        count += 1;
    }
    assert!(count > 0, "no regression input found in {}", dir.display());
}

#[test]
fn the_mutations_reach_the_numbers_of_every_shipped_scenario() {
    for (name, text) in SHIPPED {
        assert!(numbers(text).len() > 20, "{name}");
        let changed = apply(text, &Mutation::Number { which: 3, extreme: 14 });
        assert!(changed.contains("NaN"), "{name}");
    }
}
