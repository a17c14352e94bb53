//! The window's logic without a window: every screen's intents, from choosing a scenario to the
//! debrief's report and a branch from the replay viewer, as the buttons send them.
#![cfg(feature = "gui")]

mod common;

use common::scratch_dir;
use demarche::decisions::{Decision, Role};
use demarche::replay::{Replay, Verdict, verify};
use demarche::ui::{Intent, Screen, Source, Table};
use std::path::PathBuf;

const NOW: &str = "2026-11-23 10:00 UTC";

/// "Play turn" pressed on the board as it stands.
fn press(table: &mut Table) -> Option<Screen> {
    let from = table.exercise.as_ref().map_or(0, |ex| ex.progress());
    table.apply(Intent::Advance { from }, NOW)
}

fn table(name: &str) -> (Table, PathBuf) {
    let dir = scratch_dir(name);
    (Table::new(dir.clone()), dir)
}

#[test]
fn a_whole_exercise_by_the_buttons_is_saved_after_every_turn_and_debriefed() {
    let (mut table, dir) = table("window-whole");
    assert_eq!(
        table.apply(Intent::ChooseScenario(Source::Shipped(0)), NOW),
        Some(Screen::Seats)
    );
    assert!(table.title().contains("Shattered Ledger"), "{}", table.title());
    let screen = table.apply(
        Intent::Start {
            seats: vec![
                Role::HighRepresentative,
                Role::Presidency,
                Role::Commission,
                Role::Facilitator,
            ],
            seed: 3,
        },
        NOW,
    );
    assert_eq!(screen, Some(Screen::Briefing));
    let saved = table.saved_to.clone().expect("the run is saved from the start");
    assert!(saved.starts_with(&dir));
    assert_eq!(table.apply(Intent::Goto(Screen::Board), NOW), Some(Screen::Board));
    press(&mut table);
    let incident = table.exercise.as_ref().unwrap().board().incidents[0].id.clone();
    table.apply(Intent::Propose(Decision::new("csirts_network", Some(&incident))), NOW);
    assert_eq!(table.status, None, "an open measure goes on the table");
    table.apply(
        Intent::Propose(Decision::new("eu_declaration_attribution", Some(&incident))),
        NOW,
    );
    let status = table.status.clone().expect("a measure that cannot be taken says why");
    assert!(
        status.error && status.text.contains("needs 70% confidence"),
        "{}",
        status.text
    );
    // A rung of the ladder of wordings is judged at its own threshold.
    table.apply(
        Intent::Propose(Decision::new("eu_declaration_attribution", Some(&incident)).worded("territory")),
        NOW,
    );
    let status = table.status.clone().expect("a wording that cannot be used says why");
    assert!(
        status.error && status.text.contains("the wording \"territory\" needs 55% confidence"),
        "{}",
        status.text
    );
    table.apply(Intent::Fire("copycat".into()), NOW);
    table.apply(Intent::Note("The table wants the CSIRTs' timeline first.".into()), NOW);
    table.apply(Intent::Pause, NOW);
    press(&mut table);
    assert!(table.status.as_ref().unwrap().text.contains("paused"));
    table.apply(Intent::Resume, NOW);
    while table.exercise.as_ref().unwrap().running() {
        press(&mut table);
    }
    // What is on disk is the whole run, and it verifies.
    let text = std::fs::read_to_string(&saved).unwrap();
    let replay = Replay::from_ron("saved", &text).unwrap();
    assert_eq!(replay.turns.len(), 10);
    assert_eq!(replay.notes.len(), 1);
    assert!(matches!(
        verify(&replay, common::default_scenario()),
        Verdict::Verified { turns: 10, ended: true }
    ));
    // The debrief writes the same report as `demarche report`.
    table.apply(Intent::WriteReport, NOW);
    let report = table.report_to.clone().expect("report written");
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(
        html.contains("<svg") && html.contains("Improvement plan"),
        "a full report"
    );
    assert!(
        html.contains("The table wants the CSIRTs"),
        "the journal is in the report"
    );
}

#[test]
fn the_run_can_be_reviewed_and_branched_from_the_window() {
    let (mut table, _dir) = table("window-branch");
    table.apply(Intent::ChooseScenario(Source::Shipped(0)), NOW);
    table.apply(Intent::Start { seats: vec![], seed: 5 }, NOW);
    for _ in 0..6 {
        press(&mut table);
    }
    assert_eq!(table.apply(Intent::ReviewRun, NOW), Some(Screen::Replay));
    let viewer = table.viewer.as_ref().unwrap();
    assert_eq!(viewer.last_turn(), 6);
    assert_eq!(viewer.diverged_at, None);
    let first = table.saved_to.clone().unwrap();
    assert_eq!(table.apply(Intent::Branch(3), NOW), Some(Screen::Board));
    let ex = table.exercise.as_ref().unwrap();
    assert_eq!(ex.board().turn, 3, "the branch starts after turn 3");
    assert_ne!(
        table.saved_to.as_ref(),
        Some(&first),
        "the branch is saved apart from the original"
    );
    assert!(first.exists(), "the original run is kept");
}

#[test]
fn bad_files_are_refused_with_where_and_why_and_nothing_is_lost() {
    let (mut table, dir) = table("window-bad");
    table.apply(Intent::ChooseScenario(Source::Shipped(0)), NOW);
    table.apply(Intent::Start { seats: vec![], seed: 1 }, NOW);
    press(&mut table);
    let broken = dir.join("broken.ron");
    std::fs::write(
        &broken,
        "Scenario(id: \"x\", title: \"x\", turns: 0, adversaries: [\"nobody\"], injects: [])",
    )
    .unwrap();
    assert_eq!(
        table.apply(Intent::ChooseScenario(Source::File(broken.clone())), NOW),
        None
    );
    let status = table.status.clone().unwrap();
    assert!(status.error && status.text.contains("broken.ron:1:"), "{}", status.text);
    assert!(
        table.exercise.is_some(),
        "a bad file does not end the exercise in progress"
    );
    let garbage = dir.join("garbage.replay.ron");
    std::fs::write(&garbage, "not a replay").unwrap();
    assert_eq!(table.apply(Intent::OpenReplay(garbage), NOW), None);
    assert!(table.status.clone().unwrap().text.contains("garbage.replay.ron:1:"));
    assert_eq!(table.apply(Intent::OpenReplay(dir.join("missing.ron")), NOW), None);
    assert!(table.status.clone().unwrap().text.contains("cannot read"));
}

#[test]
fn a_run_saved_in_the_middle_of_the_exercise_verifies_as_far_as_it_went() {
    let (mut table, _dir) = table("window-partial");
    table.apply(Intent::ChooseScenario(Source::Shipped(0)), NOW);
    table.apply(Intent::Start { seats: vec![], seed: 9 }, NOW);
    for _ in 0..4 {
        press(&mut table);
    }
    let saved = table.saved_to.clone().unwrap();
    let out = common::demarche(&["replay", saved.to_str().unwrap(), "--verify"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("all 4 turns re-derived") && text.contains("before the exercise ended"),
        "{text}"
    );
    // No report rates turns nobody played.
    let out = common::demarche(&["report", saved.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(err.contains("saved at turn 4, before the exercise ended"), "{err}");
    // It says how to finish it: reopened where it was, in the same file.
    assert!(
        err.contains(&format!("demarche play --continue {}", saved.display())),
        "{err}"
    );
    // A hosted exercise (its host's keys beside it) is finished by its host, so that the
    // delegations' codes work again.
    std::fs::create_dir_all(demarche::files::host_folder(&saved)).unwrap();
    let out = common::demarche(&["report", saved.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        err.contains(&format!("demarche host --resume {}", saved.display())),
        "{err}"
    );
    let out = common::demarche(&["replay", saved.to_str().unwrap(), "--verify"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("host --resume"));
}

#[test]
fn an_edited_scenario_is_reloaded_before_the_first_turn_and_a_broken_edit_keeps_the_last_good() {
    let (mut table, dir) = table("window-reload");
    let file = dir.join("edited.ron");
    let original = demarche::scenario::DEFAULT_SCENARIO;
    std::fs::write(&file, original).unwrap();
    table.apply(Intent::ChooseScenario(Source::File(file.clone())), NOW);
    table.apply(
        Intent::Start {
            seats: vec![Role::Facilitator],
            seed: 2,
        },
        NOW,
    );
    // The facilitator retitles the exercise and comes back to the window.
    std::fs::write(&file, original.replacen("Shattered Ledger", "Broken Ledger", 1)).unwrap();
    table.apply(Intent::Reload, NOW);
    assert!(table.title().contains("Broken Ledger"), "{}", table.title());
    let ex = table.exercise.as_ref().unwrap();
    assert_eq!(
        ex.scenario().title,
        table.scenario.as_ref().unwrap().0.title,
        "the exercise restarts on it"
    );
    assert_eq!((ex.seed(), ex.seats().0.clone()), (2, vec![Role::Facilitator]));
    // A broken save shows its problems and keeps the last good version.
    std::fs::write(&file, "Scenario(").unwrap();
    table.apply(Intent::Reload, NOW);
    let status = table.status.clone().unwrap();
    assert!(status.error && status.text.contains("edited.ron"), "{}", status.text);
    assert!(table.title().contains("Broken Ledger"));
    // Once a turn is played, the run keeps the version it started with.
    std::fs::write(&file, original).unwrap();
    table.apply(Intent::Reload, NOW);
    press(&mut table);
    std::fs::write(&file, original.replacen("Shattered Ledger", "Third Ledger", 1)).unwrap();
    table.apply(Intent::Reload, NOW);
    assert!(table.title().contains("Shattered Ledger"), "{}", table.title());
    assert_eq!(table.exercise.as_ref().unwrap().board().turn, 1);
}

#[test]
fn an_evaluator_writes_notes_in_the_replay_viewer_and_the_run_still_verifies() {
    let (mut table, dir) = table("window-notes");
    let file = dir.join("recorded.replay.ron");
    let out = common::demarche(&["run", "default", "--seed", "6", "--record", file.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(table.apply(Intent::OpenReplay(file.clone()), NOW), Some(Screen::Replay));
    table.apply(
        Intent::EvaluatorNote {
            turn: 4,
            text: "The Presidency waited for the shared assessment: good.".into(),
        },
        NOW,
    );
    let replay = Replay::from_ron("recorded", &std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(replay.notes.len(), 1);
    assert_eq!(
        (replay.notes[0].turn, replay.notes[0].author.as_str()),
        (4, "evaluator")
    );
    assert!(matches!(
        verify(&replay, common::default_scenario()),
        Verdict::Verified { turns: 10, ended: true }
    ));
}

#[test]
fn a_rapid_triple_click_plays_one_turn() {
    let (mut table, _dir) = table("window-triple");
    table.apply(Intent::ChooseScenario(Source::Shipped(0)), NOW);
    table.apply(Intent::Start { seats: vec![], seed: 2 }, NOW);
    // Three presses made on the same board before it was drawn again.
    let from = table.exercise.as_ref().unwrap().progress();
    for _ in 0..3 {
        table.apply(Intent::Advance { from }, NOW);
    }
    assert_eq!(table.exercise.as_ref().unwrap().simulation().records().len(), 1);
    // The next press, made on the new board, plays the next turn.
    press(&mut table);
    assert_eq!(table.exercise.as_ref().unwrap().simulation().records().len(), 2);
}

#[test]
fn continue_reopens_a_closed_run_exactly_where_it_was_in_the_same_file() {
    // Hungary and the High Representative held, with the facilitator: two turns played, a
    // proposal on the table, Hungary's standing line, a note and a pause; then the window closes.
    let steps = |table: &mut Table| {
        table.apply(Intent::ChooseScenario(Source::Shipped(0)), NOW);
        table.apply(
            Intent::Start {
                seats: vec![
                    Role::HighRepresentative,
                    Role::MemberState("HU".into()),
                    Role::Facilitator,
                ],
                seed: 6,
            },
            NOW,
        );
        for _ in 0..2 {
            press(table);
            // Council files go round the table first: the second press decides the turn.
            if table.exercise.as_ref().unwrap().simulation().tabled() {
                press(table);
            }
        }
        let ex = table.exercise.as_ref().unwrap();
        let incident = ex.board().incidents.iter().find(|c| c.active).map(|c| c.id.clone());
        let option = ex
            .options(incident.as_deref(), None)
            .into_iter()
            .find(|o| o.blocked.is_none() && o.rungs.is_empty())
            .expect("a measure the table can take");
        table.apply(Intent::Propose(Decision::new(&option.id, incident.as_deref())), NOW);
        table.apply(
            Intent::Position {
                state: "HU".into(),
                measure: "listing_persons".into(),
                ballot: demarche::council::Ballot::Abstain,
            },
            NOW,
        );
        table.apply(Intent::Note("Hungary asks for the legal basis.".into()), NOW);
        table.apply(Intent::Pause, NOW);
    };
    let (mut first, _dir) = table("window-continue");
    steps(&mut first);
    let saved = first.saved_to.clone().unwrap();
    let before = first.exercise.as_ref().unwrap().to_replay();
    let played = before.turns.len();
    drop(first);
    let (mut again, _) = table("window-continue-again");
    assert_eq!(again.apply(Intent::Continue(saved.clone()), NOW), Some(Screen::Board));
    let ex = again.exercise.as_ref().unwrap();
    assert_eq!(
        ex.queued(),
        before.pending.as_slice(),
        "the proposal is back on the table"
    );
    assert!(!ex.queued().is_empty());
    assert_eq!(ex.journal().len(), 1, "the journal");
    assert!(ex.paused(), "still paused, as the facilitator left it");
    assert_eq!(
        ex.position("HU", "listing_persons"),
        demarche::council::Ballot::Abstain,
        "Hungary's newer line, not an older one"
    );
    assert_eq!(again.saved_to.as_ref(), Some(&saved), "the same file");
    // Play on: the next turn is the one an uninterrupted table would have played.
    again.apply(Intent::Resume, NOW);
    let (mut straight, _) = table("window-continue-straight");
    steps(&mut straight);
    straight.apply(Intent::Resume, NOW);
    for t in [&mut again, &mut straight] {
        while t.exercise.as_ref().unwrap().simulation().records().len() == played {
            press(t);
        }
    }
    let next = |t: &Table| t.exercise.as_ref().unwrap().simulation().records()[played].checksum;
    assert_eq!(next(&again), next(&straight));
    let on_disk = demarche::replay::read_replay(&saved).unwrap();
    assert_eq!(on_disk.turns.len(), played + 1, "saved in the same file");
    assert!(matches!(
        verify(&on_disk, on_disk.scenario("continued").unwrap()),
        Verdict::Verified { .. }
    ));
}

#[test]
fn a_held_hungary_sees_no_facilitator_control_and_its_debrief_lists_its_blocks() {
    let (mut table, _dir) = table("window-hungary");
    // The Exchange case: the engine tables the declaration for the coordinated day (in the
    // default scenario's ten days the EU never knows enough to table a Council text, model 5).
    table.apply(Intent::ChooseScenario(Source::Shipped(4)), NOW);
    table.apply(
        Intent::Start {
            seats: vec![Role::MemberState("HU".into())],
            seed: 4,
        },
        NOW,
    );
    let ex = table.exercise.as_ref().unwrap();
    assert!(!ex.facilitator_seated(), "Hungary alone does not steer the exercise");
    // The facilitator's controls are refused to it, whatever reaches the table.
    table.apply(Intent::Pause, NOW);
    assert!(
        !table.exercise.as_ref().unwrap().paused(),
        "no pause without the facilitator"
    );
    table.apply(Intent::Fire("copycat".into()), NOW);
    assert!(
        table
            .status
            .as_ref()
            .is_some_and(|s| s.error && s.text.contains("facilitator"))
    );
    // Hungary objects to every Council file that goes round the table.
    while table.exercise.as_ref().unwrap().running() {
        press(&mut table);
        let files: Vec<Decision> = table
            .exercise
            .as_ref()
            .unwrap()
            .consultation()
            .into_iter()
            .map(|(file, _)| file)
            .collect();
        for file in files {
            table.apply(
                Intent::Answer {
                    state: "HU".into(),
                    file,
                    ballot: demarche::council::Ballot::Object(demarche::council::Reason::CannotSupport),
                },
                NOW,
            );
        }
        if table.exercise.as_ref().unwrap().simulation().tabled() {
            press(&mut table);
        }
    }
    let ex = table.exercise.as_ref().unwrap();
    let facts = demarche::report::ReportFacts::gather(
        &ex.to_replay(),
        ex.scenario(),
        ex.simulation().records(),
        ex.simulation().outcome().unwrap(),
        None,
    );
    let hungary = facts
        .conduct
        .iter()
        .find(|c| c.seat == "Hungary")
        .expect("Hungary's conduct");
    assert!(!hungary.blocked.is_empty(), "{hungary:?}");
    assert!(
        hungary.summary().starts_with("Hungary blocked"),
        "{}",
        hungary.summary()
    );
    assert!(
        hungary.blocked.iter().all(|b| b.contains("points of cohesion")),
        "{hungary:?}"
    );
    assert!(hungary.summary().contains("points of cohesion"));
}
