//! A verified replay carries nothing made up: every way of altering one (an added proposal that
//! changes nothing, a relabelled seat, another policy, a fork's parentage removed, an invented
//! inject, another scenario id, a turn record deleted or moved, another voter or reason) is
//! refused with exit status 1, naming the turn and the field that differ.

mod common;

use common::{default_scenario, demarche, scratch_dir};
use demarche::decisions::{Decision, Policy, Role, Seats};
use demarche::replay::{Action, FacilitatorAction, RecordedDecision, Replay, Seat};
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    scratch_dir("tampering")
}

fn read(path: &Path) -> Replay {
    Replay::from_ron("r", &std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A run of the default scenario by the command line (the policy holds every seat).
fn recorded(name: &str, extra: &[&str]) -> (PathBuf, Replay) {
    let path = dir().join(name);
    let mut args = vec!["run", "--record", path.to_str().unwrap()];
    if !extra.contains(&"--seed") {
        args.extend(["--seed", "7"]);
    }
    args.extend_from_slice(extra);
    let out = demarche(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let replay = read(&path);
    (path, replay)
}

/// Verifies a replay written to `name`: its exit status and what it printed.
fn verify(name: &str, replay: &Replay) -> (Option<i32>, String) {
    let path = dir().join(name);
    std::fs::write(&path, replay.to_ron()).unwrap();
    let out = demarche(&["replay", path.to_str().unwrap(), "--verify"]);
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Asserts the replay is refused at `place` (`at turn 3 (proposals)`), saying `why`.
fn refused(name: &str, replay: &Replay, place: &str, why: &str) {
    let (code, said) = verify(name, replay);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains(&format!("the first difference is {place}")), "{said}");
    assert!(said.contains(why), "expected \"{why}\" in: {said}");
}

/// Inserts a decision first among those of its turn, where people's proposals go.
fn insert(replay: &mut Replay, decision: RecordedDecision) {
    let at = replay
        .decisions
        .iter()
        .position(|d| d.turn >= decision.turn)
        .unwrap_or(replay.decisions.len());
    replay.decisions.insert(at, decision);
}

#[test]
fn an_untouched_run_verifies() {
    let (path, _) = recorded("untouched.ron", &[]);
    let out = demarche(&["replay", path.to_str().unwrap(), "--verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_proposal_added_that_changes_nothing_is_named() {
    let (_, replay) = recorded("noop.ron", &[]);
    let mut forged = replay.clone();
    // A proposal on an incident that does not exist: the engine refuses it and nothing changes.
    insert(
        &mut forged,
        RecordedDecision {
            turn: 3,
            seat: Seat::Players,
            by: None,
            decision: Decision::new("hr_statement", Some("nowhere")),
        },
    );
    refused(
        "noop-forged.ron",
        &forged,
        "at turn 3 (proposals)",
        "hr_statement on nowhere as the players': it was added to the record",
    );
}

#[test]
fn the_engines_proposal_relabelled_as_the_players_is_named() {
    let (_, replay) = recorded("relabel.ron", &[]);
    let (i, d) = replay
        .decisions
        .iter()
        .enumerate()
        .find(|(_, d)| d.seat == Seat::Policy)
        .expect("the policy proposes something");
    let turn = d.turn;
    let mut forged = replay.clone();
    forged.decisions[i].seat = Seat::Players;
    refused(
        "relabel-forged.ron",
        &forged,
        &format!("at turn {turn}"),
        "the engine's, relabelled as the players'",
    );
}

/// A run with the High Representative held by people, who table a statement at turn 2.
fn with_people() -> Replay {
    let scenario = std::sync::Arc::new(default_scenario());
    let seats = Seats(vec![Role::HighRepresentative]);
    let mut ex = demarche::exercise::Exercise::new(scenario, "default", 7, Policy::Proportional, seats);
    ex.advance().unwrap();
    let incident = ex
        .board()
        .incidents
        .first()
        .map(|c| c.id.clone())
        .expect("an incident at turn 1");
    let option = ex
        .options(Some(&incident), None)
        .into_iter()
        .find(|o| o.blocked.is_none() && o.rungs.is_empty())
        .expect("a measure the High Representative can table");
    ex.propose(Decision::new(&option.id, Some(&incident))).unwrap();
    while ex.running() {
        ex.advance().unwrap();
    }
    ex.to_replay()
}

#[test]
fn the_players_proposal_relabelled_as_the_engines_is_named() {
    let replay = with_people();
    let (code, said) = verify("people.ron", &replay);
    assert_eq!(code, Some(0), "{said}");
    let i = replay
        .decisions
        .iter()
        .position(|d| d.seat == Seat::Players)
        .expect("people proposed");
    let mut forged = replay.clone();
    forged.decisions[i].seat = Seat::Policy;
    refused(
        "people-forged.ron",
        &forged,
        "at turn 2 (proposals)",
        "(the engine's), which is not proposed when re-run (the proportional policy does not propose it)",
    );
}

#[test]
fn another_policy_is_named() {
    let (_, replay) = recorded("policy.ron", &["--policy", "proportional"]);
    let mut forged = replay.clone();
    forged.policy = Policy::Hawkish;
    let (code, said) = verify("policy-forged.ron", &forged);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("(policy)"), "{said}");
    assert!(
        said.contains("the proportional policy holding the engine's seats, not the hawkish policy"),
        "{said}"
    );
}

#[test]
fn a_fork_whose_parentage_is_removed_is_refused() {
    let (original, _) = recorded("parent.ron", &["--policy", "proportional"]);
    let fork = dir().join("child.ron");
    let out = demarche(&[
        "replay",
        original.to_str().unwrap(),
        "--until",
        "3",
        "--then-policy",
        "hawkish",
        "--record",
        fork.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let child = read(&fork);
    let mut orphan = child.clone();
    orphan.fork = None;
    let (code, said) = verify("orphan.ron", &orphan);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("at turn 1 (policy)"), "{said}");
    assert!(
        said.contains("not the hawkish policy the replay names (a changed policy, or a fork whose record of its parent was removed)"),
        "{said}"
    );
    // The turns it claims to share are checked against the parent when it is given.
    let (other, _) = recorded("not-parent.ron", &["--policy", "restraint", "--seed", "8"]);
    let out = demarche(&[
        "replay",
        fork.to_str().unwrap(),
        "--verify",
        "--parent",
        other.to_str().unwrap(),
    ]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("is not the run it was forked from"), "{said}");
    let out = demarche(&[
        "replay",
        fork.to_str().unwrap(),
        "--verify",
        "--parent",
        original.to_str().unwrap(),
    ]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(said.contains("first 3 turns are those of its parent"), "{said}");
}

#[test]
fn an_invented_inject_is_named() {
    let scenario = default_scenario();
    let inject = scenario
        .pool
        .first()
        .expect("the default scenario has a pool")
        .id
        .clone();
    let (_, replay) = recorded("inject.ron", &[]);
    // In the facilitator's actions only: the re-run fires it and the record does not have it.
    let mut forged = replay.clone();
    forged.facilitator.push(FacilitatorAction {
        turn: 4,
        action: Action::Fire(inject.clone()),
    });
    refused(
        "inject-forged.ron",
        &forged,
        "at turn 4 (facilitator)",
        &format!("inject \"{inject}\" fires when re-run, but the replay does not record it"),
    );
    // In the record too: the checksum does not cover it.
    forged.turns[3].injects.insert(0, inject.clone());
    let (code, said) = verify("inject-forged-both.ron", &forged);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("at turn 4"), "{said}");
    assert!(
        said.contains(&format!(
            "without the facilitator's action \"fired inject {inject}\": it was added"
        )),
        "{said}"
    );
}

#[test]
fn another_scenario_id_is_named() {
    let (_, replay) = recorded("id.ron", &[]);
    let mut forged = replay.clone();
    forged.scenario.id = "exchange_2021".into();
    refused(
        "id-forged.ron",
        &forged,
        "in the replay's scenario id",
        "names scenario \"exchange_2021\"",
    );
}

#[test]
fn a_deleted_last_turn_is_not_passed_off_as_an_unfinished_run() {
    let (_, replay) = recorded("last.ron", &[]);
    assert!(replay.ended);
    let last = replay.turns.len() as u32;
    let mut forged = replay.clone();
    forged.turns.pop();
    forged.votes.retain(|v| v.turn < last);
    forged.decisions.retain(|d| d.turn < last);
    refused(
        "last-forged.ron",
        &forged,
        &format!("at turn {last} (turn records)"),
        &format!("the record of turn {last} is missing"),
    );
    // With the last turn's proposals left in the file, those are named.
    let mut forged = replay.clone();
    forged.turns.pop();
    if replay.decisions.iter().any(|d| d.turn == last) {
        refused(
            "last-forged-kept.ron",
            &forged,
            &format!("at turn {last} (turn records)"),
            "the record of turn",
        );
    }
}

#[test]
fn a_deleted_or_swapped_turn_record_is_named_at_its_turn() {
    let (_, replay) = recorded("turns.ron", &[]);
    let mut deleted = replay.clone();
    deleted.turns.remove(3);
    refused(
        "turn-deleted.ron",
        &deleted,
        "at turn 4 (turn records)",
        "the record of turn 4 is missing: the file goes from turn 3 to turn 5",
    );
    let mut swapped = replay.clone();
    swapped.turns.swap(2, 3);
    refused(
        "turn-swapped.ron",
        &swapped,
        "at turn 3 (turn records)",
        "turn records out of order: the record in the place of turn 3 is turn 4's",
    );
}

#[test]
fn another_voter_or_reason_is_named_with_the_member_state() {
    // Hungary objects in some seed of the Exchange case played by the hawkish policy (the
    // proportional one tables only the text for the coordinated day, which the soundings make
    // acceptable to all, model 5).
    let (path, replay) = (1..40)
        .find_map(|seed| {
            let path = dir().join(format!("votes-{seed}.ron"));
            let out = demarche(&[
                "run",
                "exchange_2021",
                "--policy",
                "hawkish",
                "--seed",
                &seed.to_string(),
                "--record",
                path.to_str().unwrap(),
            ]);
            assert!(out.status.success());
            let replay = read(&path);
            replay
                .votes
                .iter()
                .any(|v| v.objections().any(|(c, _)| c == "HU"))
                .then_some((path, replay))
        })
        .expect("Hungary objects in some seed");
    let _ = path;
    let (v, b) = replay
        .votes
        .iter()
        .enumerate()
        .find_map(|(v, vote)| {
            vote.ballots
                .iter()
                .position(|(c, ballot)| &**c == "HU" && matches!(ballot, demarche::council::Ballot::Object(_)))
                .map(|b| (v, b))
        })
        .unwrap();
    let turn = replay.votes[v].turn;
    // Hungary's objection moved to its neighbour in the tour de table.
    let mut voter = replay.clone();
    let ballots = &mut voter.votes[v].ballots;
    let other = if b + 1 < ballots.len() { b + 1 } else { b - 1 };
    let (hu, next) = (ballots[b].1.clone(), ballots[other].1.clone());
    ballots[b].1 = next;
    ballots[other].1 = hu;
    let (code, said) = verify("voter-forged.ron", &voter);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains(&format!("at turn {turn} (votes)")), "{said}");
    assert!(said.contains("with HU"), "{said}");
    // Another reason for the same objection.
    let mut reason = replay.clone();
    reason.votes[v].ballots[b].1 = demarche::council::Ballot::Object(demarche::council::Reason::National);
    let (code, said) = verify("reason-forged.ron", &reason);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains(&format!("at turn {turn} (votes)")), "{said}");
    assert!(
        said.contains("recorded with HU objects (national considerations"),
        "{said}"
    );
}

#[test]
fn a_position_for_a_state_nobody_held_is_refused() {
    let (_, replay) = recorded("position.ron", &[]);
    let mut forged = replay.clone();
    forged.seats = vec![Role::HighRepresentative];
    forged.positions.push(demarche::council::Position {
        turn: 2,
        state: "FR".into(),
        measure: "listing_persons".into(),
        incident: None,
        ballot: demarche::council::Ballot::Abstain,
    });
    refused(
        "position-forged.ron",
        &forged,
        "at turn 2 (positions)",
        "no person held FR",
    );
}
