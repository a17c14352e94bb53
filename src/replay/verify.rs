//! Verifying a replay: re-derive the whole run from its inputs and compare every field.
//!
//! The inputs are the scenario the replay carries, the seed, the policies, the seats people held,
//! people's proposals and positions and the facilitator's actions. Everything else (the engine's
//! proposals, every turn's injects, votes ballot by ballot, readings and checksum) is derived
//! again and compared with what the file claims; the checksum of each turn also covers that
//! turn's inputs, so an input that changes nothing visible (an added proposal that the Council
//! refuses, a relabelled seat, another policy) is caught too. Inputs are first checked for
//! consistency: what is recorded as people's must come from a seat people held.

use super::{Action, Replay, Seat, TurnMark};
use crate::council::VoteRecord;
use crate::decisions::{Decision, Policy, Seats};
use crate::outcome::TurnRecord;
use crate::scenario::Scenario;
use std::ops::ControlFlow;

/// The first thing that differs between a replay and its re-run.
#[derive(Debug, Clone, PartialEq)]
pub struct Divergence {
    /// The turn where it differs; `None` for what concerns the replay as a whole.
    pub turn: Option<u32>,
    /// The field that differs, as the file names it: `proposals`, `votes`, `checksum`...
    pub field: String,
    /// What differs, in plain words, first line first.
    pub what: Vec<String>,
}

impl Divergence {
    fn at(turn: u32, field: &str, what: impl Into<String>) -> Self {
        Divergence {
            turn: Some(turn),
            field: field.to_owned(),
            what: vec![what.into()],
        }
    }

    fn whole(field: &str, what: impl Into<String>) -> Self {
        Divergence {
            turn: None,
            field: field.to_owned(),
            what: vec![what.into()],
        }
    }

    /// Where it differs, in words: `at turn 4 (proposals)` or `in the replay's scenario id`.
    pub fn place(&self) -> String {
        match self.turn {
            Some(turn) => format!("at turn {turn} ({})", self.field),
            None => format!("in the replay's {}", self.field),
        }
    }
}

/// The result of a verification.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Every field of every turn matched its re-derivation.
    Verified {
        /// Turns compared.
        turns: usize,
        /// Whether the exercise had ended at the last recorded turn; a run saved while it was
        /// still being played (the window saves after every turn) verifies as far as it went.
        ended: bool,
    },
    /// The scenario is not the one recorded: nothing else can be trusted.
    ScenarioChanged {
        /// Hash recorded in the replay.
        recorded: String,
        /// Hash of the scenario given now.
        current: String,
    },
    /// The re-run differs, or the replay contradicts itself.
    Diverged(Divergence),
}

/// Re-derives a replay on `scenario` and compares every field, turn by turn.
pub fn verify(replay: &Replay, scenario: Scenario) -> Verdict {
    let current = super::scenario_hash(&scenario);
    if current != replay.scenario.hash {
        return Verdict::ScenarioChanged {
            recorded: replay.scenario.hash.clone(),
            current,
        };
    }
    if let Err(d) = consistent(replay, &scenario) {
        return Verdict::Diverged(d);
    }
    let mut divergence = None;
    let (sim, ended_early) = replay.walk(scenario.clone(), None, |sim, mark, run| {
        match compare_turn(replay, sim, mark, run) {
            Ok(()) => ControlFlow::Continue(()),
            Err(mut d) => {
                // When one altered input explains it, that input is the field that differs.
                if let Some((field, cause)) = explain(replay, &scenario, mark) {
                    d.field = field.to_owned();
                    d.what.push(cause);
                }
                divergence = Some(d);
                ControlFlow::Break(())
            }
        }
    });
    if let Some(d) = divergence {
        return Verdict::Diverged(d);
    }
    let last = replay.turns.len() as u32;
    if let Some(turn) = ended_early {
        return Verdict::Diverged(Divergence::at(
            turn,
            "turn records",
            format!(
                "the exercise ends after turn {} when re-run, but the replay records turn {turn}",
                turn - 1
            ),
        ));
    }
    let goes_on = sim.running();
    if replay.ended && goes_on {
        return Verdict::Diverged(Divergence::at(
            last + 1,
            "turn records",
            format!(
                "the replay says the exercise ended after turn {last}, but it goes on when re-run: the record of turn {} is missing",
                last + 1
            ),
        ));
    }
    if !replay.ended && !goes_on {
        return Verdict::Diverged(Divergence::whole(
            "ended",
            format!("the replay says it was saved before the exercise ended, but the exercise ends at turn {last}"),
        ));
    }
    Verdict::Verified {
        turns: replay.turns.len(),
        ended: !goes_on,
    }
}

/// What the replay says of itself that must hold before anything is re-run: the scenario it
/// names is the one it carries, its turns follow one another, nothing is recorded for a turn
/// it does not have, and what is recorded as people's comes from a seat people held.
fn consistent(replay: &Replay, scenario: &Scenario) -> Result<(), Divergence> {
    if replay.scenario.id != scenario.id {
        return Err(Divergence::whole(
            "scenario id",
            format!(
                "the replay names scenario \"{}\", but the scenario it was played on is \"{}\"",
                replay.scenario.id, scenario.id
            ),
        ));
    }
    let numbers: Vec<u32> = replay.turns.iter().map(|m| m.turn).collect();
    let listed = || {
        let shown: Vec<String> = numbers.iter().take(40).map(u32::to_string).collect();
        shown.join(", ")
    };
    for (i, mark) in replay.turns.iter().enumerate() {
        let expected = i as u32 + 1;
        if mark.turn == expected {
            continue;
        }
        let what = if numbers[i..].contains(&expected) {
            format!(
                "turn records out of order: the record in the place of turn {expected} is turn {}'s (the file records turns {})",
                mark.turn,
                listed()
            )
        } else if mark.turn > expected {
            format!(
                "the record of turn {expected} is missing: the file goes from turn {} to turn {}",
                expected - 1,
                mark.turn
            )
        } else {
            format!(
                "turn {} is recorded twice (the file records turns {})",
                mark.turn,
                listed()
            )
        };
        return Err(Divergence::at(expected, "turn records", what));
    }
    let last = replay.turns.len() as u32;
    // A run saved while it was being played carries what the facilitator and the held States
    // did for the turns not yet played (the one on the table, and the one after it for an
    // inject fired during a tour de table); nothing else may come after the last turn recorded.
    let open = if replay.ended { last } else { last + 2 };
    let beyond = |what: &str, turn: u32, limit: u32| {
        (turn == 0 || turn > limit).then(|| {
            if turn == 0 {
                Divergence::whole(what, format!("{what} recorded for turn 0; turns count from 1"))
            } else if turn == last + 1 {
                Divergence::at(
                    turn,
                    "turn records",
                    format!(
                        "the replay holds {what} of turn {turn} but no record of that turn: the record of turn {turn} was removed"
                    ),
                )
            } else {
                Divergence::at(
                    turn,
                    what,
                    format!("{what} recorded for turn {turn}, after the last turn recorded ({last})"),
                )
            }
        })
    };
    for d in &replay.decisions {
        if let Some(e) = beyond("proposals", d.turn, last) {
            return Err(e);
        }
    }
    for v in &replay.votes {
        if let Some(e) = beyond("votes", v.turn, last) {
            return Err(e);
        }
    }
    for p in &replay.positions {
        if let Some(e) = beyond("positions", p.turn, open) {
            return Err(e);
        }
    }
    for a in &replay.facilitator {
        // The facilitator may pause before the first turn is played.
        let before_start = a.turn == 0 && matches!(a.action, Action::Pause(_) | Action::Resume(_));
        if let Some(e) = beyond("facilitator", a.turn, open).filter(|_| !before_start) {
            return Err(e);
        }
    }
    if let Some(w) = replay.decisions.windows(2).find(|w| w[1].turn < w[0].turn) {
        return Err(Divergence::at(
            w[1].turn,
            "proposals",
            format!(
                "a proposal of turn {} is recorded after one of turn {}: proposals are recorded in the order they were made",
                w[1].turn, w[0].turn
            ),
        ));
    }
    let seats = Seats(replay.seats.clone());
    let held = || {
        if seats.0.is_empty() {
            "none".to_owned()
        } else {
            let names: Vec<String> = seats.0.iter().map(|r| r.to_string()).collect();
            names.join(", ")
        }
    };
    let toolbox = crate::toolbox::Toolbox::embedded_ref();
    // A proposal's seat, where recorded, is a seat people held that tables the measure, and only
    // people's proposals have one.
    for d in replay.decisions.iter() {
        let Some(role) = &d.by else { continue };
        let acting = d.decision.by.as_deref().unwrap_or_default();
        let tables = toolbox
            .find(&d.decision.measure)
            .is_some_and(|id| crate::decisions::Seats(vec![role.clone()]).may_table(toolbox.get(id), acting));
        if d.seat != Seat::Players || !seats.holds(role) || !tables {
            return Err(Divergence::at(
                d.turn,
                "proposals",
                format!(
                    "{} is recorded as proposed by the seat of {role}, which {}",
                    describe(&d.decision),
                    if d.seat != Seat::Players {
                        "people did not hold: it is the engine's".to_owned()
                    } else if !seats.holds(role) {
                        format!("nobody held ({})", held())
                    } else {
                        "does not table it".to_owned()
                    }
                ),
            ));
        }
    }
    for d in replay.decisions.iter().filter(|d| d.seat == Seat::Players) {
        // With no seat held (a solo rehearsal) people may table anything; otherwise only what
        // a seat they hold tables.
        if seats.0.is_empty() {
            continue;
        }
        let Some(measure) = toolbox.find(&d.decision.measure).map(|id| toolbox.get(id)) else {
            continue;
        };
        let tables = match d.decision.by.as_deref() {
            Some(code) => seats.may_table(measure, code),
            None => {
                seats.may_table(measure, "")
                    || measure.decided_by == crate::toolbox::Decider::MemberState
                        && seats
                            .0
                            .iter()
                            .any(|r| matches!(r, crate::decisions::Role::MemberState(_)))
            }
        };
        if !tables {
            return Err(Divergence::at(
                d.turn,
                "proposals",
                format!(
                    "{} is recorded as the players', but no seat people held ({}) tables it",
                    describe(&d.decision),
                    held()
                ),
            ));
        }
    }
    for p in &replay.positions {
        if !seats.holds_state(&p.state) {
            return Err(Divergence::at(
                p.turn,
                "positions",
                format!(
                    "a position of {} on {} is recorded, but no person held {} (seats held: {})",
                    p.state,
                    p.measure,
                    p.state,
                    held()
                ),
            ));
        }
    }
    let facilitator_seated = seats.0.is_empty() || seats.holds(&crate::decisions::Role::Facilitator);
    if let Some(a) = replay.facilitator.first().filter(|_| !facilitator_seated) {
        return Err(Divergence::at(
            a.turn,
            "facilitator",
            format!(
                "{} is recorded, but nobody held the facilitator's seat (seats held: {})",
                action_words(&a.action),
                held()
            ),
        ));
    }
    Ok(())
}

/// One re-run turn against its record: injects, proposals with their seats, votes ballot by
/// ballot, the readings to the last bit, then the checksum that covers all of it and the turn's
/// inputs.
fn compare_turn(replay: &Replay, sim: &crate::Simulation, mark: &TurnMark, run: &TurnRecord) -> Result<(), Divergence> {
    let turn = mark.turn;
    let injects: Vec<String> = run.injects.iter().map(|i| i.id.clone()).collect();
    if injects != mark.injects {
        let missing: Vec<&String> = mark.injects.iter().filter(|i| !injects.contains(i)).collect();
        let extra: Vec<&String> = injects.iter().filter(|i| !mark.injects.contains(i)).collect();
        let what = match (missing.first(), extra.first()) {
            (Some(m), _) => format!("the replay records inject \"{m}\", which does not fire when re-run"),
            (None, Some(e)) => format!("inject \"{e}\" fires when re-run, but the replay does not record it"),
            (None, None) => format!(
                "recorded in the order {:?}, re-run in the order {injects:?}",
                mark.injects
            ),
        };
        return Err(Divergence::at(turn, "injects", what));
    }
    let rerun = super::proposals(run, sim);
    let recorded: Vec<&super::RecordedDecision> = replay.decisions.iter().filter(|d| d.turn == turn).collect();
    let n = recorded.len().max(rerun.len());
    for i in 0..n {
        let what = match (recorded.get(i), rerun.get(i)) {
            (Some(r), Some(now)) if r.decision == now.decision && r.seat == now.seat => continue,
            (Some(r), Some(now)) if r.decision == now.decision => format!(
                "{} is recorded as {}, but it was {} when re-run",
                describe(&r.decision),
                seat_words(r.seat),
                seat_words(now.seat)
            ),
            (Some(r), Some(now)) => format!(
                "proposal {}: recorded {} ({}), re-run {} ({})",
                i + 1,
                describe(&r.decision),
                seat_words(r.seat),
                describe(&now.decision),
                seat_words(now.seat)
            ),
            (Some(r), None) => format!(
                "the replay records {} ({}), which is not proposed when re-run{}",
                describe(&r.decision),
                seat_words(r.seat),
                if r.seat == Seat::Policy {
                    format!(" (the {} policy does not propose it)", replay.policy_at(turn).name())
                } else {
                    String::new()
                }
            ),
            (None, Some(now)) => format!(
                "{} ({}) is proposed when re-run, but the replay does not record it",
                describe(&now.decision),
                seat_words(now.seat)
            ),
            (None, None) => continue,
        };
        return Err(Divergence::at(turn, "proposals", what));
    }
    let votes: Vec<&VoteRecord> = replay.votes.iter().filter(|v| v.turn == turn).collect();
    for i in 0..votes.len().max(run.votes.len()) {
        let what = match (votes.get(i), run.votes.get(i)) {
            (Some(r), Some(now)) if *r == now => continue,
            (Some(r), Some(now)) => format!("the vote on {} {}", vote_name(now), vote_difference(r, now)),
            (Some(r), None) => format!(
                "the replay records a vote on {} that is not held when re-run",
                vote_name(r)
            ),
            (None, Some(now)) => format!(
                "a vote on {} is held when re-run, but the replay does not record it",
                vote_name(now)
            ),
            (None, None) => continue,
        };
        return Err(Divergence::at(turn, "votes", what));
    }
    for (name, recorded, now) in [
        ("escalation", mark.escalation, run.escalation),
        ("misperception", mark.misperception, run.misperception),
        ("perceived resolve", mark.perceived_resolve, run.perceived_resolve),
        ("cohesion", mark.cohesion, run.cohesion),
    ] {
        if recorded.to_bits() != now.to_bits() {
            // Rust prints the shortest decimal that reads back as the same number: two different
            // numbers never print alike.
            return Err(Divergence::at(turn, name, format!("recorded {recorded}, re-run {now}")));
        }
    }
    let checksum = format!("{:016x}", run.checksum);
    if checksum != mark.checksum {
        return Err(Divergence {
            turn: Some(turn),
            field: "checksum".to_owned(),
            what: vec![
                format!("recorded {}, re-run {checksum}", mark.checksum),
                format!(
                    "the turn's injects, proposals, votes and readings re-run as recorded, so what differs is what the checksum also covers: the state, or the turn's inputs ({})",
                    inputs_of(replay, turn)
                ),
            ],
        });
    }
    Ok(())
}

/// Finds, when it can, the one change to the turn's inputs under which the recorded checksum
/// is reproduced: which proposal was added or relabelled, which position or facilitator action
/// was added, which policy really played. Runs are cheap, so each candidate is re-run.
fn explain(replay: &Replay, scenario: &Scenario, mark: &TurnMark) -> Option<(&'static str, String)> {
    let turn = mark.turn;
    let reproduces = |candidate: &Replay| {
        let mut found = false;
        candidate.walk(scenario.clone(), Some(turn), |_, m, run| {
            if m.turn == turn {
                found = format!("{:016x}", run.checksum) == mark.checksum;
            }
            ControlFlow::Continue(())
        });
        found
    };
    for (i, d) in replay.decisions.iter().enumerate().filter(|(_, d)| d.turn == turn) {
        let mut candidate = replay.clone();
        match d.seat {
            Seat::Players => {
                candidate.decisions.remove(i);
                if reproduces(&candidate) {
                    return Some((
                        "proposals",
                        format!(
                            "the recorded checksum is reproduced without {} as the players': it was {}",
                            describe(&d.decision),
                            if engine_proposes(&candidate, scenario, turn, &d.decision) {
                                "the engine's, relabelled as the players'"
                            } else {
                                "added to the record, never proposed in the run"
                            }
                        ),
                    ));
                }
            }
            Seat::Policy => {
                candidate.decisions[i].seat = Seat::Players;
                if reproduces(&candidate) {
                    return Some((
                        "proposals",
                        format!(
                            "the recorded checksum is reproduced with {} as the players': it was relabelled as the engine's",
                            describe(&d.decision)
                        ),
                    ));
                }
            }
        }
    }
    for (i, p) in replay.positions.iter().enumerate().filter(|(_, p)| p.turn == turn) {
        let mut candidate = replay.clone();
        candidate.positions.remove(i);
        if reproduces(&candidate) {
            return Some((
                "positions",
                format!(
                    "the recorded checksum is reproduced without {}'s position on {}: it was added to the record",
                    p.state, p.measure
                ),
            ));
        }
    }
    for (i, a) in replay.facilitator.iter().enumerate().filter(|(_, a)| a.turn == turn) {
        let mut candidate = replay.clone();
        candidate.facilitator.remove(i);
        if reproduces(&candidate) {
            return Some((
                "facilitator",
                format!(
                    "the recorded checksum is reproduced without the facilitator's action \"{}\": it was added to the record",
                    action_words(&a.action)
                ),
            ));
        }
    }
    let recorded = replay.policy_at(turn);
    for policy in Policy::ALL.into_iter().filter(|p| *p != recorded) {
        let mut candidate = replay.clone();
        match &mut candidate.fork {
            Some(f) if turn <= f.at_turn => {
                for (from, p) in f.policies.iter_mut() {
                    if *from <= turn && *p == recorded {
                        *p = policy;
                    }
                }
            }
            _ => candidate.policy = policy,
        }
        if reproduces(&candidate) {
            let fork = if replay.fork.is_none() {
                " (a changed policy, or a fork whose record of its parent was removed)"
            } else {
                ""
            };
            return Some((
                "policy",
                format!(
                    "the recorded checksum is reproduced with the {} policy holding the engine's seats, not the {} policy the replay names{fork}",
                    policy.name(),
                    recorded.name()
                ),
            ));
        }
    }
    None
}

/// Whether the engine proposes `decision` at `turn` in this (candidate) run.
fn engine_proposes(replay: &Replay, scenario: &Scenario, turn: u32, decision: &Decision) -> bool {
    let mut proposes = false;
    replay.walk(scenario.clone(), Some(turn), |sim, m, run| {
        if m.turn == turn {
            proposes = super::proposals(run, sim)
                .iter()
                .any(|p| p.seat == Seat::Policy && p.decision == *decision);
        }
        ControlFlow::Continue(())
    });
    proposes
}

/// The turn's inputs in a line, for a checksum that differs.
fn inputs_of(replay: &Replay, turn: u32) -> String {
    let people: Vec<String> = replay
        .decisions
        .iter()
        .filter(|d| d.turn == turn && d.seat == Seat::Players)
        .map(|d| describe(&d.decision))
        .collect();
    let positions: Vec<String> = replay
        .positions
        .iter()
        .filter(|p| p.turn == turn)
        .map(|p| format!("{} on {}", p.state, p.measure))
        .collect();
    let actions: Vec<String> = replay
        .facilitator
        .iter()
        .filter(|a| a.turn == turn)
        .map(|a| action_words(&a.action))
        .collect();
    let list = |items: Vec<String>| {
        if items.is_empty() {
            "none".to_owned()
        } else {
            items.join("; ")
        }
    };
    format!(
        "the policy {}; people's proposals: {}; positions: {}; the facilitator's actions: {}",
        replay.policy_at(turn).name(),
        list(people),
        list(positions),
        list(actions)
    )
}

/// A proposal in words: `eu_statement on ddos_1, worded "state", by EE`.
fn describe(d: &Decision) -> String {
    let mut out = d.measure.clone();
    if let Some(incident) = &d.incident {
        out.push_str(&format!(" on {incident}"));
    }
    if let Some(rung) = &d.wording {
        out.push_str(&format!(", worded \"{rung}\""));
    }
    if let Some(by) = &d.by {
        out.push_str(&format!(", by {by}"));
    }
    out
}

fn seat_words(seat: Seat) -> String {
    match seat {
        Seat::Players => format!("the {}'", seat.words()),
        Seat::Policy => format!("the {}'s", seat.words()),
    }
}

fn action_words(action: &Action) -> String {
    match action {
        Action::Fire(id) => format!("fired inject {id}"),
        Action::Posture(shift) => format!(
            "shifted {}'s campaign (activity {:+}, intent {:+})",
            shift.adversary, shift.activity, shift.intent
        ),
        Action::Pause(at) => format!("paused the exercise at {at}"),
        Action::Resume(at) => format!("resumed the exercise at {at}"),
    }
}

fn vote_name(v: &VoteRecord) -> String {
    match &v.incident {
        Some(incident) => format!("{} on {incident}", v.measure),
        None => v.measure.clone(),
    }
}

/// What differs between a recorded vote and its re-run, in words: the first ballot that differs
/// (the Member State, both ballots and their reasons), else the first other field.
fn vote_difference(recorded: &VoteRecord, rerun: &VoteRecord) -> String {
    use crate::council::Ballot;
    let ballot = |b: &Ballot| match b {
        Ballot::For => "for".to_owned(),
        Ballot::Abstain => "abstains".to_owned(),
        Ballot::Silence => "silent".to_owned(),
        Ballot::Object(why) => format!("objects ({why}; code {why:?})"),
    };
    for (i, ((code, was), (code_now, now))) in recorded.ballots.iter().zip(&rerun.ballots).enumerate() {
        if code != code_now {
            return format!(
                "lists {code} in place {} of its ballots; the re-run lists {code_now}",
                i + 1
            );
        }
        if was != now {
            return format!(
                "was recorded with {code} {} and re-runs with {code} {}",
                ballot(was),
                ballot(now)
            );
        }
    }
    if recorded.ballots.len() != rerun.ballots.len() {
        return format!(
            "was recorded with {} ballots and re-runs with {}",
            recorded.ballots.len(),
            rerun.ballots.len()
        );
    }
    if recorded.measure != rerun.measure || recorded.incident != rerun.incident {
        return format!(
            "was recorded as a vote on {} and re-runs as a vote on {}",
            vote_name(recorded),
            vote_name(rerun)
        );
    }
    if recorded.adopted != rerun.adopted {
        return format!(
            "was recorded as {} and re-runs as {}",
            recorded.result(),
            rerun.result()
        );
    }
    if recorded.stage != rerun.stage || recorded.rule != rerun.rule || recorded.review != rerun.review {
        return format!(
            "was recorded at {:?} by {:?} (review {}) and re-runs at {:?} by {:?} (review {})",
            recorded.stage, recorded.rule, recorded.review, rerun.stage, rerun.rule, rerun.review
        );
    }
    format!(
        "was recorded costing cohesion {} and re-runs costing {}",
        recorded.cohesion_cost, rerun.cohesion_cost
    )
}
