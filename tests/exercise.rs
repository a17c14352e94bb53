//! The exercise at the table, without a window: seats, proposals, the facilitator's console, and
//! the replay viewer, exactly as the desktop app drives them.

mod common;

use common::default_scenario;
use demarche::decisions::{Decision, Policy, Role, Seats};
use demarche::exercise::{Exercise, Refusal, ReplayViewer};
use demarche::replay::{Action, Seat, Verdict, verify};
use demarche::scenario::PostureShift;
use std::sync::Arc;

fn table(seats: Vec<Role>) -> Exercise {
    Exercise::new(
        Arc::new(default_scenario()),
        "default",
        7,
        Policy::Proportional,
        Seats(seats),
    )
}

const NOW: &str = "2026-11-23 09:00 UTC";

#[test]
fn the_engine_leaves_a_held_seat_to_the_people_holding_it() {
    // The High Representative is held: no Council or HR measure is proposed by the policy.
    let mut ex = table(vec![Role::HighRepresentative]);
    while ex.running() {
        ex.advance().unwrap();
    }
    let replay = ex.to_replay();
    let toolbox = demarche::toolbox::Toolbox::embedded();
    for d in &replay.decisions {
        let m = toolbox.get(toolbox.find(&d.decision.measure).unwrap());
        assert!(
            !matches!(
                m.decided_by,
                demarche::toolbox::Decider::Council | demarche::toolbox::Decider::HighRepresentative
            ),
            "the policy proposed {} although people hold the High Representative's seat",
            d.decision.measure
        );
    }
    // With nobody at the table, the same policy does propose them.
    let mut engine = table(vec![]);
    while engine.running() {
        engine.advance().unwrap();
    }
    assert!(
        engine
            .to_replay()
            .decisions
            .iter()
            .any(|d| d.decision.measure == "shared_assessment")
    );
}

#[test]
fn a_measure_that_cannot_be_taken_is_refused_before_the_turn_with_its_reason() {
    let mut ex = table(vec![Role::HighRepresentative, Role::Presidency]);
    ex.advance().unwrap();
    let incident = ex.board().incidents[0].id.clone();
    let options = ex.options(Some(&incident), None);
    let declaration = options.iter().find(|o| o.id == "eu_declaration_attribution").unwrap();
    let why = declaration
        .blocked
        .clone()
        .expect("turn 1: attribution is not yet at moderate confidence");
    assert!(
        why.contains("the wording \"state\" needs 70% confidence or more"),
        "{why}"
    );
    // The picker shows the whole ladder of wordings, each rung with what it needs.
    let rungs: Vec<&str> = declaration.rungs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(rungs, ["territory", "associated", "partner", "state"]);
    let territory = &declaration.rungs[0];
    assert!(territory.text.contains("from the territory of"), "{}", territory.text);
    assert!(
        territory
            .blocked
            .as_deref()
            .is_some_and(|b| b.contains("needs 55% confidence")),
        "{:?}",
        territory.blocked
    );
    assert!(
        declaration.rungs[2]
            .blocked
            .as_deref()
            .is_some_and(|b| b.contains("no partner has published")),
        "{:?}",
        declaration.rungs[2].blocked
    );
    assert!(
        declaration.terms().contains("needs the consensus of all Member States"),
        "{}",
        declaration.terms()
    );
    let refused = ex.propose(Decision::new("eu_declaration_attribution", Some(&incident)));
    assert!(
        matches!(&refused, Err(Refusal::Invalid(m)) if m.contains("needs 70% confidence")),
        "{refused:?}"
    );
    // A cooperative measure needs no attribution and goes on the table.
    ex.propose(Decision::new("shared_assessment", Some(&incident))).unwrap();
    assert_eq!(
        ex.propose(Decision::new("shared_assessment", Some(&incident))),
        Err(Refusal::Invalid("this proposal is already on the table".into()))
    );
    let record = played(&mut ex);
    assert!(
        record
            .decisions
            .iter()
            .any(|d| d.decision.measure == "shared_assessment"),
        "the table's proposal was taken in turn 2"
    );
    assert_eq!(ex.board().turn, 2);
    assert_eq!(ex.board().series.len(), 3, "turn 0 and two played turns");
    // The adversaries' readings of the EU start where the cast's beliefs put them, not at zero,
    // and the board shows the latest of both beside each other.
    let board = ex.board();
    let (_, _, misperception, resolve, _) = board.series[0];
    assert!(misperception > 0.0 && resolve > 0.0, "{:?}", board.series[0]);
    let (_, _, misperception, resolve, _) = board.series[2];
    assert_eq!((misperception, resolve), (board.misperception, board.perceived_resolve));
}

/// Plays the next turn of a table where nobody holds a Member State (no tour de table).
fn played(ex: &mut Exercise) -> demarche::outcome::TurnRecord {
    ex.advance()
        .unwrap()
        .record()
        .expect("no held Member State: the turn is played")
        .clone()
}

#[test]
fn the_facilitator_console_is_recorded_and_the_run_verifies() {
    let mut ex = table(vec![
        Role::Presidency,
        Role::MemberState("NL".into()),
        Role::Facilitator,
    ]);
    ex.advance().unwrap();
    ex.pause(NOW);
    assert_eq!(ex.advance().err(), Some(Refusal::Paused));
    ex.note("facilitator", "The table asks for the forensic timeline.", NOW);
    ex.resume(NOW);
    ex.fire("press_leak").unwrap();
    assert!(ex.fire("press_leak").is_err(), "a pool inject fires once");
    assert!(ex.fire("nonexistent").is_err());
    ex.shift_posture(PostureShift {
        adversary: "borealia".into(),
        activity: 0.2,
        intent: 0.1,
    })
    .unwrap();
    let record = played(&mut ex);
    assert!(
        record.injects.iter().any(|i| i.id == "press_leak"),
        "the pool inject opened turn 2"
    );
    while ex.running() {
        ex.advance().unwrap();
    }
    assert_eq!(ex.advance().err(), Some(Refusal::Over));
    let replay = ex.to_replay();
    assert_eq!(replay.seats.len(), 3);
    let kinds: Vec<&Action> = replay.facilitator.iter().map(|a| &a.action).collect();
    assert!(
        kinds
            .iter()
            .any(|a| matches!(a, Action::Fire(id) if id == "press_leak"))
    );
    assert!(
        kinds
            .iter()
            .any(|a| matches!(a, Action::Posture(s) if s.adversary == "borealia"))
    );
    assert!(kinds.iter().any(|a| matches!(a, Action::Pause(t) if t == NOW)));
    assert!(kinds.iter().any(|a| matches!(a, Action::Resume(_))));
    assert_eq!(replay.notes[0].time.as_deref(), Some(NOW));
    // Saved and read back, the run reproduces turn by turn, facilitator actions included.
    let text = replay.to_ron();
    let back = demarche::replay::Replay::from_ron("table.ron", &text).unwrap();
    assert_eq!(back, replay);
    assert!(matches!(
        verify(&back, default_scenario()),
        Verdict::Verified { turns: 10, ended: true }
    ));
    // And the posture change was real: without it the run differs.
    let mut tampered = back.clone();
    tampered.facilitator.retain(|a| !matches!(a.action, Action::Posture(_)));
    assert!(matches!(verify(&tampered, default_scenario()), Verdict::Diverged(_)));
}

#[test]
fn the_replay_viewer_shows_each_turn_as_it_was_and_branches_from_any() {
    let mut ex = table(vec![Role::HighRepresentative, Role::Commission]);
    ex.advance().unwrap();
    let incident = ex.board().incidents[0].id.clone();
    ex.propose(Decision::new("shared_assessment", Some(&incident))).unwrap();
    while ex.running() {
        ex.advance().unwrap();
    }
    let replay = ex.to_replay();
    let final_board = ex.board().clone();
    let viewer = ReplayViewer::open(replay.clone(), "table.ron", Arc::new(default_scenario())).unwrap();
    assert_eq!(viewer.diverged_at, None);
    assert_eq!(viewer.last_turn(), 10);
    assert_eq!(
        viewer.board(10),
        &final_board,
        "the last board is the one the table saw"
    );
    assert_eq!(viewer.board(0).turn, 0);
    assert!(viewer.board(0).incidents.is_empty());
    for turn in 1..=10 {
        let board = viewer.board(turn);
        assert_eq!(board.turn, turn);
        assert_eq!(
            board.escalation.to_bits(),
            replay.turns[turn as usize - 1].escalation.to_bits()
        );
    }
    assert!(
        viewer
            .decisions(2)
            .any(|d| d.decision.measure == "shared_assessment" && d.seat == Seat::Players)
    );
    // Branch after turn 4 and play on differently.
    let mut branch = viewer.branch(4).unwrap();
    assert_eq!(
        branch.board(),
        viewer.board(4),
        "the branch starts from the board as it was"
    );
    while branch.running() {
        branch.advance().unwrap();
    }
    let fork = branch.to_replay();
    assert_eq!(fork.fork.as_ref().map(|f| f.at_turn), Some(4));
    let shared: Vec<_> = fork.decisions.iter().filter(|d| d.turn <= 4).collect();
    let original: Vec<_> = replay.decisions.iter().filter(|d| d.turn <= 4).collect();
    assert_eq!(shared, original, "the shared turns keep who decided what");
    assert!(matches!(
        verify(&fork, default_scenario()),
        Verdict::Verified { turns: 10, ended: true }
    ));
}

#[test]
fn a_replay_of_another_scenario_version_is_refused_by_the_viewer() {
    let mut ex = table(vec![]);
    ex.advance().unwrap();
    let mut replay = ex.to_replay();
    replay.scenario.hash = "0000000000000000".into();
    let err = ReplayViewer::open(replay, "old.ron", Arc::new(default_scenario()))
        .err()
        .expect("refused");
    assert!(err.contains("another version"), "{err}");
}

#[test]
fn a_member_state_held_at_the_table_can_block_the_council_and_the_run_verifies() {
    use demarche::council::{Ballot, TABLE_OBJECTION};
    // The engine plays the High Representative and the Presidency and tables Council measures
    // (in the Exchange case, the declaration for the coordinated day: in the default scenario's
    // ten days the EU never knows enough to table one, model 5); people hold Hungary and refuse
    // every Council measure from turn 1.
    let exchange = || {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/exchange_2021.ron");
        demarche::scenario::load_scenario(&path, &demarche::actors::ActorsData::embedded())
            .unwrap_or_else(|e| panic!("{}", e.explain()))
    };
    let at_the_table = |seats| {
        Exercise::new(
            Arc::new(exchange()),
            "exchange_2021.ron",
            7,
            Policy::Proportional,
            Seats(seats),
        )
    };
    let mut ex = at_the_table(vec![Role::MemberState("HU".into())]);
    let toolbox = demarche::toolbox::Toolbox::embedded();
    let council_measures: Vec<String> = toolbox
        .measures
        .iter()
        .filter(|m| m.decided_by == demarche::toolbox::Decider::Council)
        .map(|m| m.id.clone())
        .collect();
    for m in &council_measures {
        ex.take_position("HU", m, Ballot::Object(TABLE_OBJECTION)).unwrap();
    }
    assert_eq!(ex.position("HU", &council_measures[0]), Ballot::Object(TABLE_OBJECTION));
    assert!(
        ex.take_position("FR", &council_measures[0], Ballot::Abstain).is_err(),
        "France is not held"
    );
    assert!(
        ex.take_position("HU", "hr_statement", Ballot::Abstain).is_err(),
        "no vote on an HR statement"
    );
    while ex.running() {
        ex.advance().unwrap();
    }
    let replay = ex.to_replay();
    assert!(!replay.votes.is_empty(), "the engine tabled Council measures");
    for vote in &replay.votes {
        assert!(!vote.adopted, "Hungary's objection blocks {}", vote.measure);
        assert!(
            vote.objections()
                .any(|(code, why)| code == "HU" && *why == TABLE_OBJECTION)
        );
    }
    assert!(matches!(
        verify(&replay, exchange()),
        Verdict::Verified { turns: 13, ended: true }
    ));
    // Without the positions the same seats let the Council decide.
    let mut backing = at_the_table(vec![Role::MemberState("HU".into())]);
    while backing.running() {
        backing.advance().unwrap();
    }
    assert!(backing.to_replay().votes.iter().any(|v| v.adopted));
}

#[test]
fn people_table_only_what_their_seats_can_table() {
    // People hold Hungary alone: the High Representative's and the Council's measures are the
    // engine's to table, and a national measure is Hungary's.
    let mut ex = table(vec![Role::MemberState("HU".into())]);
    ex.advance().unwrap();
    let incident = ex.board().incidents[0].id.clone();
    let options = ex.options(Some(&incident), None);
    let demarche = options.iter().find(|o| o.id == "demarche").unwrap();
    let why = demarche
        .blocked
        .clone()
        .expect("an HR measure is not Hungary's to take");
    assert!(why.contains("the engine holds that seat"), "{why}");
    let channel = options.iter().find(|o| o.id == "osce_protected_channel").unwrap();
    assert_eq!(
        channel.acting.as_deref(),
        Some("HU"),
        "OSCE measures are the participating States' own: Hungary's to take"
    );
    let declaration = options.iter().find(|o| o.id == "eu_declaration").unwrap();
    assert!(declaration.blocked.as_deref().is_some_and(|w| w.contains("Presidency")));
    let national = options.iter().find(|o| o.id == "national_attribution").unwrap();
    assert_eq!(
        national.acting.as_deref(),
        Some("HU"),
        "a national measure is taken by the State held"
    );
    assert!(ex.propose(Decision::new("demarche", Some(&incident))).is_err());
    // With nobody seated, the table may table anything (it plays alongside the engine).
    let mut free = table(vec![]);
    free.advance().unwrap();
    let options = free.options(Some(&incident), None);
    assert!(
        options
            .iter()
            .find(|o| o.id == "osce_protected_channel")
            .unwrap()
            .blocked
            .is_none()
    );
}

#[test]
fn a_statement_proposed_at_a_lower_rung_goes_on_the_table_with_its_wording() {
    // The High Representative and the Presidency are held, so the engine tables no statement of
    // its own: play until the EU assessment of an incident allows "from the territory of".
    let mut ex = table(vec![Role::HighRepresentative, Role::Presidency]);
    let rung_open = |ex: &Exercise, id: &str| {
        ex.options(Some(id), None)
            .into_iter()
            .find(|o| o.id == "eu_declaration_attribution")
            .and_then(|o| o.rungs.into_iter().find(|r| r.id == "territory"))
            .is_some_and(|r| r.blocked.is_none())
    };
    let incident = loop {
        played(&mut ex);
        assert!(ex.running(), "no incident reached 55% in the whole run");
        let ids: Vec<String> = ex.board().incidents.iter().map(|c| c.id.clone()).collect();
        if let Some(id) = ids.into_iter().find(|id| rung_open(&ex, id)) {
            break id;
        }
    };
    let proposal = Decision::new("eu_declaration_attribution", Some(&incident)).worded("territory");
    ex.propose(proposal.clone()).unwrap();
    assert_eq!(ex.queued(), std::slice::from_ref(&proposal), "queued with its wording");
    assert_eq!(ex.queued()[0].wording.as_deref(), Some("territory"));
    // Another rung of the same statement is a redraft: withdraw the first to make it.
    let redraft = ex.propose(Decision::new("eu_declaration_attribution", Some(&incident)).worded("associated"));
    assert!(
        matches!(&redraft, Err(Refusal::Invalid(m)) if m.contains("withdraw it to redraft")
            && m.contains("from the territory of")),
        "{redraft:?}"
    );
    // A rung the ladder does not have is refused with the ladder.
    ex.withdraw(0);
    let unknown = ex.propose(Decision::new("eu_declaration_attribution", Some(&incident)).worded("units"));
    assert!(
        matches!(&unknown, Err(Refusal::Invalid(m)) if m.contains("territory, associated, partner, state")),
        "{unknown:?}"
    );
    // Tabled, the Council file keeps the wording, and the board names it.
    ex.propose(proposal.clone()).unwrap();
    let record = played(&mut ex);
    let tabled = record
        .decisions
        .iter()
        .find(|d| d.decision == proposal)
        .expect("the table's statement was taken");
    assert!(
        ex.board().describe(tabled).contains("(from the territory of)"),
        "{}",
        ex.board().describe(tabled)
    );
}

#[test]
fn a_delegation_at_its_own_desk_acts_and_sees_for_its_seat_only() {
    use demarche::council::{Ballot, Reason};
    use demarche::exercise::SeatAction;
    let hu = Role::MemberState("HU".into());
    let mut ex = table(vec![Role::HighRepresentative, hu.clone(), Role::Facilitator]);
    ex.advance().unwrap();
    let incident = ex.board().incidents[0].id.clone();
    let declaration = Decision::new("eu_declaration", Some(&incident));

    // Hungary cannot table the High Representative's declaration, nor act for France.
    let refused = ex.act(&hu, SeatAction::Propose(declaration.clone())).unwrap_err();
    assert!(refused.to_string().contains("does not table it"), "{refused}");
    let mut for_france = Decision::new("national_attribution", Some(&incident));
    for_france.by = Some("FR".into());
    let refused = ex.act(&hu, SeatAction::Propose(for_france)).unwrap_err();
    assert!(refused.to_string().contains("acts only for itself"), "{refused}");
    // The High Representative cannot answer in the Council, and nobody holds Estonia's seat.
    let position = SeatAction::Position {
        measure: "eu_declaration".into(),
        incident: None,
        ballot: Ballot::Object(Reason::CannotSupport),
    };
    assert!(ex.act(&Role::HighRepresentative, position.clone()).is_err());
    assert!(ex.act(&Role::MemberState("EE".into()), position.clone()).is_err());

    ex.act(&Role::HighRepresentative, SeatAction::Propose(declaration.clone()))
        .unwrap();
    ex.act(&hu, position).unwrap();
    // Each sees its own draft only: Hungary's line is not the High Representative's to see
    // before the vote, nor the proposal Hungary's before it is tabled.
    let hr_view = ex.view_for(Some(&Role::HighRepresentative));
    let hu_view = ex.view_for(Some(&hu));
    assert_eq!(hr_view.proposals, vec![declaration.clone()]);
    assert!(hu_view.proposals.is_empty());
    assert!(hr_view.positions.is_empty());
    assert_eq!(hu_view.positions.len(), 1);
    // Hungary cannot withdraw the High Representative's proposal.
    assert!(ex.act(&hu, SeatAction::Withdraw(declaration)).is_err());
    // National attributions: Hungary sees its own services' reading only, the High
    // Representative none (the EU's pooled assessment is on every card).
    let national = |v: &demarche::exercise::SeatView| -> Vec<String> {
        v.board
            .incidents
            .iter()
            .flat_map(|i| i.national.iter().map(|n| n.code.clone()))
            .collect()
    };
    assert!(national(&hu_view).iter().all(|c| c == "HU") && !national(&hu_view).is_empty());
    assert!(national(&hr_view).is_empty());
    let observer = ex.view_for(None);
    assert!(observer.proposals.is_empty() && observer.positions.is_empty() && national(&observer).is_empty());
}

#[test]
fn a_proposal_from_a_delegations_desk_records_its_seat_and_verifies() {
    use demarche::exercise::SeatAction;
    // The High Representative and the Presidency both table Council files: the Presidency's
    // proposal must be recorded as the Presidency's, not as whichever held seat could table it.
    let mut ex = table(vec![Role::HighRepresentative, Role::Presidency, Role::Facilitator]);
    ex.advance().unwrap();
    let incident = ex.board().incidents[0].id.clone();
    let declaration = Decision::new("eu_declaration", Some(&incident));
    ex.act(&Role::Presidency, SeatAction::Propose(declaration.clone()))
        .unwrap();
    // Saved before the turn is played (a host stopped), the proposal comes back as the
    // Presidency's own: its desk sees it and may withdraw it.
    let saved = ex.to_replay();
    assert_eq!(saved.pending_by, vec![Some(Role::Presidency)]);
    let back = Exercise::reopen(&saved, Arc::new(default_scenario())).unwrap();
    assert_eq!(
        back.view_for(Some(&Role::Presidency)).proposals,
        vec![declaration.clone()]
    );
    assert!(back.view_for(Some(&Role::HighRepresentative)).proposals.is_empty());
    ex.advance().unwrap();
    let replay = ex.to_replay();
    let recorded = replay.decisions.iter().find(|d| d.decision == declaration).unwrap();
    assert_eq!(recorded.by, Some(Role::Presidency));
    let verdict = verify(&replay, default_scenario());
    assert!(matches!(verdict, Verdict::Verified { .. }), "{verdict:?}");
    // Relabelled as the Commission's (which does not table it), the file is refused.
    let mut forged = replay.clone();
    forged
        .decisions
        .iter_mut()
        .find(|d| d.decision == declaration)
        .unwrap()
        .by = Some(Role::Commission);
    assert!(matches!(verify(&forged, default_scenario()), Verdict::Diverged(_)));
    // Relabelled as the High Representative's (who could have), the checksum gives it away.
    let mut relabelled = replay.clone();
    relabelled
        .decisions
        .iter_mut()
        .find(|d| d.decision == declaration)
        .unwrap()
        .by = Some(Role::HighRepresentative);
    assert!(matches!(verify(&relabelled, default_scenario()), Verdict::Diverged(_)));
}
