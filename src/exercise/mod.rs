//! A live exercise at the table: the simulation, the seats people hold, the proposals they are
//! preparing for the next turn, and everything the facilitator does, all recorded so that the
//! exercise can be saved at any moment as a replay that verifies.
//!
//! This is the whole logic of the desktop window without the window: the window draws a
//! [`Board`] and calls these methods, and the tests call the same ones.

mod board;
mod picker;
mod seat;
mod viewer;

pub use board::{Board, DIMENSION_NAMES, FileCard, IncidentCard, NationalView, PendingCard, StateCell, StoryItem};
pub use picker::{MeasureOption, RungOption, options};
pub use seat::{SeatAction, SeatView};
pub use viewer::ReplayViewer;

use crate::Simulation;
use crate::council::{Ballot, Position, ballot_of};
use crate::decisions::{Decision, Policy, Seats};
use crate::outcome::TurnRecord;
use crate::replay::{Action, FacilitatorAction, ForkOrigin, Note, Replay, ResumeError};
use crate::scenario::{PostureShift, Scenario};
use std::sync::Arc;

/// Why the exercise refused to do something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The facilitator has paused the exercise.
    Paused,
    /// The last turn has been played.
    Over,
    /// The request does not fit the scenario (an unknown inject, a proposal already queued...).
    Invalid(String),
}

/// What a step of the exercise did.
#[derive(Debug)]
pub enum Step<'a> {
    /// The turn is tabled, and the Member States held at the table are asked about these Council
    /// files (the tour de table) before anything is decided; the next step decides, counting
    /// silence as assent.
    Consulting(Vec<Decision>),
    /// The turn was decided and recorded.
    Played(&'a TurnRecord),
}

impl Step<'_> {
    /// The turn's record, once played.
    pub fn record(&self) -> Option<&TurnRecord> {
        match self {
            Step::Played(record) => Some(record),
            Step::Consulting(_) => None,
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Paused => write!(f, "the facilitator has paused the exercise"),
            Refusal::Over => write!(f, "the exercise is over"),
            Refusal::Invalid(why) => write!(f, "{why}"),
        }
    }
}

/// One exercise being played.
pub struct Exercise {
    sim: Simulation,
    scenario: Arc<Scenario>,
    source: String,
    seed: u64,
    policy: Policy,
    queued: Vec<Decision>,
    /// The seat that put each queued proposal on the table (none: the desk itself).
    proposers: Vec<Option<crate::decisions::Role>>,
    journal: Vec<Note>,
    pauses: Vec<FacilitatorAction>,
    paused: bool,
    fork: Option<ForkOrigin>,
    /// The day the exercise was played (`YYYY-MM-DD`), set by whoever runs it.
    recorded: Option<String>,
    board: Board,
}

/// The recorded run played again to the end of turn `at`, or why it cannot be.
fn resumed(replay: &Replay, scenario: &Scenario, at: u32) -> Result<Simulation, String> {
    replay.resume(scenario.clone(), at).map_err(|e| match e {
        ResumeError::ScenarioChanged => "the scenario has changed since this run was recorded".to_owned(),
        ResumeError::DoesNotReproduce(turn) => format!("the recorded run does not reproduce at turn {turn}"),
    })
}

impl Exercise {
    /// A new exercise of `scenario` (loaded from `source`, `default` for the embedded one):
    /// `policy` plays the seats nobody holds.
    pub fn new(scenario: Arc<Scenario>, source: &str, seed: u64, policy: Policy, seats: Seats) -> Self {
        let mut sim = Simulation::new((*scenario).clone(), seed, policy);
        sim.set_seats(seats);
        let board = Board::read(&sim, &scenario);
        Self {
            sim,
            scenario,
            source: source.to_owned(),
            seed,
            policy,
            queued: Vec::new(),
            proposers: Vec::new(),
            journal: Vec::new(),
            pauses: Vec::new(),
            paused: false,
            fork: None,
            recorded: None,
            board,
        }
    }

    /// Continues a recorded run from the end of turn `at` with people at the table: "branch from
    /// here". Decisions, facilitator actions and notes up to `at` are kept; the recorded run must
    /// reproduce up to there.
    pub fn branch(replay: &Replay, from: &str, scenario: Arc<Scenario>, at: u32) -> Result<Self, String> {
        let mut sim = resumed(replay, &scenario, at)?;
        sim.set_policy(replay.policy);
        let board = Board::read(&sim, &scenario);
        Ok(Self {
            sim,
            scenario,
            source: replay.scenario.source.clone(),
            seed: replay.seed,
            policy: replay.policy,
            queued: Vec::new(),
            proposers: Vec::new(),
            journal: replay.notes.iter().filter(|n| n.turn <= at).cloned().collect(),
            pauses: replay
                .facilitator
                .iter()
                .filter(|a| a.turn <= at && matches!(a.action, Action::Pause(_) | Action::Resume(_)))
                .cloned()
                .collect(),
            paused: false,
            fork: Some(ForkOrigin::of(replay, from, at)),
            recorded: None,
            board,
        })
    }

    /// Reopens a saved run exactly where it was, to play on in the same file ("Continue"): every
    /// recorded turn is played again and must reproduce checksum for checksum; the positions and
    /// facilitator actions already taken for the turns to come, the proposals on the table, the
    /// journal and a pause are all back as they were.
    pub fn reopen(replay: &Replay, scenario: Arc<Scenario>) -> Result<Self, String> {
        let at = replay.turns.len() as u32;
        let mut sim = resumed(replay, &scenario, at)?;
        sim.set_policy(replay.policy_at(at + 1));
        // What was already said and done for the turns not yet played.
        for p in replay.positions.iter().filter(|p| p.turn > at) {
            sim.take_position(p.clone());
        }
        for a in replay.facilitator.iter().filter(|a| a.turn > at) {
            a.queue(&mut sim);
        }
        let pauses: Vec<FacilitatorAction> = replay
            .facilitator
            .iter()
            .filter(|a| matches!(a.action, Action::Pause(_) | Action::Resume(_)))
            .cloned()
            .collect();
        let paused = pauses.last().is_some_and(|a| matches!(a.action, Action::Pause(_)));
        let board = Board::read(&sim, &scenario);
        Ok(Self {
            sim,
            scenario,
            source: replay.scenario.source.clone(),
            seed: replay.seed,
            policy: replay.policy,
            queued: replay.pending.clone(),
            proposers: if replay.pending_by.len() == replay.pending.len() {
                replay.pending_by.clone()
            } else {
                vec![None; replay.pending.len()]
            },
            journal: replay.notes.clone(),
            pauses,
            paused,
            fork: replay.fork.clone(),
            recorded: replay.recorded.clone(),
            board,
        })
    }

    /// How far the exercise has gone, in steps (each turn tabled, each turn decided): a "Play
    /// turn" pressed on the board as it stood at one step is not pressed again at the next.
    pub fn progress(&self) -> u32 {
        2 * self.sim.records().len() as u32 + u32::from(self.sim.tabled())
    }

    /// Dates the exercise (`YYYY-MM-DD`, the day it is played): its replay records it, and the
    /// report's improvement plan counts from it. The first date given stays; what is not a date
    /// is not recorded (a replay refuses a `recorded` that is not one).
    pub fn date(&mut self, day: &str) {
        let day: String = day.chars().take(10).collect();
        if day.len() == 10 && crate::scenario::date_days(&day).is_some() {
            self.recorded.get_or_insert(day);
        }
    }

    /// The board as it stands.
    pub fn board(&self) -> &Board {
        &self.board
    }

    /// The scenario.
    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
    }

    /// Where the scenario was loaded from (`default` for the embedded one).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The run seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Where this run branched off a recorded one, if it did.
    pub fn fork(&self) -> Option<&ForkOrigin> {
        self.fork.as_ref()
    }

    /// The seats people hold.
    pub fn seats(&self) -> &Seats {
        self.sim.seats()
    }

    /// The simulation, to read state.
    pub fn simulation(&self) -> &Simulation {
        &self.sim
    }

    /// The turn the table is preparing: the one on the table during a tour de table, else the
    /// next one to be played.
    pub fn next_turn(&self) -> u32 {
        let turn = self.sim.world().resource::<crate::turn::TurnClock>().turn;
        if self.sim.tabled() { turn } else { turn + 1 }
    }

    /// The first turn not yet tabled: where an inject fired or a posture changed now takes effect.
    fn upcoming_turn(&self) -> u32 {
        self.sim.world().resource::<crate::turn::TurnClock>().turn + 1
    }

    /// Whether turns remain (a turn on the table still has to be decided).
    pub fn running(&self) -> bool {
        self.sim.running() || self.sim.tabled()
    }

    /// The Council files of the turn on the table on which the Member States held at the table
    /// are being consulted, each with every held State's answer so far (silence until it
    /// speaks). Empty when no turn is tabled, nobody holds a Member State, or nothing goes to the
    /// Council.
    pub fn consultation(&self) -> Vec<(Decision, Vec<(String, Ballot)>)> {
        let held: Vec<String> = self
            .seats()
            .0
            .iter()
            .filter_map(|r| match r {
                crate::decisions::Role::MemberState(code) => Some(code.clone()),
                _ => None,
            })
            .collect();
        if held.is_empty() {
            return Vec::new();
        }
        let turn = self.next_turn();
        self.sim
            .council_files()
            .into_iter()
            .map(|file| {
                let answers = held
                    .iter()
                    .map(|state| {
                        let ballot = ballot_of(
                            self.sim.positions(),
                            turn,
                            state,
                            &file.measure,
                            file.incident.as_deref(),
                        );
                        (state.clone(), ballot)
                    })
                    .collect();
                (file, answers)
            })
            .collect()
    }

    /// Whether people hold any Member State.
    fn holds_any_state(&self) -> bool {
        self.seats()
            .0
            .iter()
            .any(|r| matches!(r, crate::decisions::Role::MemberState(_)))
    }

    /// Whether the facilitator has paused the exercise.
    pub fn paused(&self) -> bool {
        self.paused
    }

    /// The proposals prepared for the next turn, in the order they will be taken.
    pub fn queued(&self) -> &[Decision] {
        &self.queued
    }

    /// The measures the table can choose from for a proposal on `incident`.
    pub fn options(&self, incident: Option<&str>, acting: Option<&str>) -> Vec<MeasureOption> {
        options(&self.sim, incident, acting)
    }

    /// Adds a proposal for the next turn. A measure that cannot be taken is refused with the
    /// reason the picker shows, so the table learns why before the turn rather than after.
    pub fn propose(&mut self, decision: Decision) -> Result<(), Refusal> {
        self.propose_as(None, decision)
    }

    /// [`Exercise::propose`] for a seat (none: the desk), remembered so that the seat sees and
    /// withdraws its own proposals only.
    fn propose_as(&mut self, seat: Option<&crate::decisions::Role>, decision: Decision) -> Result<(), Refusal> {
        self.open()?;
        if self.queued.contains(&decision) {
            return Err(Refusal::Invalid("this proposal is already on the table".to_owned()));
        }
        // One statement per incident goes to the Council: another rung is a redraft of it.
        if let Some(same) = self
            .queued
            .iter()
            .find(|q| q.measure == decision.measure && q.incident == decision.incident && q.by == decision.by)
        {
            let worded = same
                .wording
                .as_deref()
                .map(|w| format!(", worded \u{201c}{}\u{201d}", crate::toolbox::wording_label(w)))
                .unwrap_or_default();
            return Err(Refusal::Invalid(format!(
                "this measure is already on the table for this incident{worded}: withdraw it to redraft it"
            )));
        }
        let options = self.options(decision.incident.as_deref(), decision.by.as_deref());
        let Some(option) = options.iter().find(|o| o.id == decision.measure) else {
            return Err(Refusal::Invalid(format!(
                "no measure \"{}\" in the Toolbox",
                decision.measure
            )));
        };
        // A statement is judged at the rung it is drafted at (its highest when none is named):
        // what stops it at another rung is not the table's concern.
        if option.rungs.is_empty()
            && let Some(why) = &option.blocked
        {
            return Err(Refusal::Invalid(format!("{}: {why}", option.name)));
        }
        if !option.rungs.is_empty() {
            let rung = match decision.wording.as_deref() {
                Some(asked) => option.rungs.iter().find(|r| r.id == asked).ok_or_else(|| {
                    let ladder: Vec<&str> = option.rungs.iter().map(|r| r.id.as_str()).collect();
                    Refusal::Invalid(format!(
                        "{}: \"{asked}\" is not one of its wordings ({})",
                        option.name,
                        ladder.join(", ")
                    ))
                })?,
                None => option.rungs.last().expect("rungs is not empty"),
            };
            if let Some(why) = &rung.blocked {
                return Err(Refusal::Invalid(format!("{}: {why}", option.name)));
            }
        } else if let Some(asked) = &decision.wording {
            return Err(Refusal::Invalid(format!(
                "{}: it is not a statement of who is responsible, so it has no wording \"{asked}\"",
                option.name
            )));
        }
        self.queued.push(decision);
        self.proposers.push(seat.cloned());
        Ok(())
    }

    /// Takes a proposal off the table before the turn is played.
    pub fn withdraw(&mut self, index: usize) {
        if index < self.queued.len() {
            self.queued.remove(index);
            self.proposers.remove(index);
        }
    }

    /// The next step of the exercise. With no turn on the table, tables the next one with the
    /// table's proposals first (the engine plays the other seats); if Council files are tabled
    /// and people hold Member States, it stops there for the tour de table
    /// ([`Step::Consulting`]). Otherwise, or on the next call (the facilitator's go-ahead),
    /// decides the turn: a held State that said nothing is silent, which is assent.
    pub fn advance(&mut self) -> Result<Step<'_>, Refusal> {
        self.open()?;
        if !self.sim.tabled() {
            let turn = self.next_turn();
            for (decision, seat) in self.queued.drain(..).zip(self.proposers.drain(..)) {
                self.sim.decide_as(turn, decision, seat);
            }
            self.sim.table_turn();
            self.board = Board::read(&self.sim, &self.scenario);
            // The tour stops for new files and held ones; files still being drafted are listed
            // and can be answered, but do not hold up the turn.
            let holding_up = self.sim.files_to_consult();
            if self.holds_any_state() && !holding_up.is_empty() {
                let files: Vec<Decision> = self.consultation().into_iter().map(|(file, _)| file).collect();
                return Ok(Step::Consulting(files));
            }
        }
        self.sim.decide_turn();
        self.board = Board::read(&self.sim, &self.scenario);
        Ok(Step::Played(self.sim.records().last().expect("a turn was just played")))
    }

    /// A held Member State's answer on one file of the tour de table (this measure on this
    /// incident), from the turn on the table (or the next one); it can change its answer until
    /// the turn is decided, and on a file still being drafted until the file moves on.
    pub fn answer(&mut self, state: &str, file: &Decision, ballot: Ballot) -> Result<(), Refusal> {
        self.open()?;
        if !self.seats().holds_state(state) {
            return Err(Refusal::Invalid(format!(
                "{state} is played by the engine: only a Member State held at the table answers"
            )));
        }
        if !self.sim.council_files().contains(file) {
            return Err(Refusal::Invalid(format!(
                "\"{}\" is not a Council file on the table or being drafted",
                file.measure
            )));
        }
        let turn = self.next_turn();
        self.sim.take_position(Position {
            turn,
            state: state.to_owned(),
            measure: file.measure.clone(),
            incident: file.incident.clone(),
            ballot,
        });
        self.board = Board::read(&self.sim, &self.scenario);
        Ok(())
    }

    /// Whether the facilitator's controls (the pool, postures, pause) are someone's to use: the
    /// facilitator's seat is held, or no seat is (a solo rehearsal). A delegation never steers
    /// the exercise.
    pub fn facilitator_seated(&self) -> bool {
        let seats = self.seats();
        seats.0.is_empty() || seats.holds(&crate::decisions::Role::Facilitator)
    }

    fn facilitating(&self) -> Result<(), Refusal> {
        if self.facilitator_seated() {
            Ok(())
        } else {
            Err(Refusal::Invalid(
                "only the facilitator's seat steers the exercise, and nobody holds it".to_owned(),
            ))
        }
    }

    /// Fires an unscheduled inject from the pool: it opens the next turn, before anything else.
    pub fn fire(&mut self, inject: &str) -> Result<(), Refusal> {
        self.facilitating()?;
        self.running_or_over()?;
        if !self.scenario.pool.iter().any(|p| p.id == inject) {
            return Err(Refusal::Invalid(format!("\"{inject}\" is not in the scenario's pool")));
        }
        if self.pool_fired(inject) {
            return Err(Refusal::Invalid(format!("\"{inject}\" has already been fired")));
        }
        let turn = self.upcoming_turn();
        self.sim.fire(turn, inject);
        Ok(())
    }

    /// Whether a pool inject has been fired already (or is queued to open the next turn).
    pub fn pool_fired(&self, inject: &str) -> bool {
        self.sim.facilitator_fires().values().flatten().any(|id| id == inject)
    }

    /// Changes an adversary's campaign intensity and intent from the next turn on.
    pub fn shift_posture(&mut self, shift: PostureShift) -> Result<(), Refusal> {
        self.facilitating()?;
        self.running_or_over()?;
        if !self.scenario.adversaries.contains(&shift.adversary) {
            return Err(Refusal::Invalid(format!(
                "\"{}\" takes no part in this scenario",
                shift.adversary
            )));
        }
        let turn = self.upcoming_turn();
        self.sim.shift_posture(turn, shift);
        Ok(())
    }

    /// The position a Member State people hold takes on a Council measure from the next turn
    /// on: how it will vote whoever proposes the measure.
    pub fn take_position(&mut self, state: &str, measure: &str, ballot: Ballot) -> Result<(), Refusal> {
        self.take_position_on(state, measure, None, ballot)
    }

    /// [`Exercise::take_position`] on the files of a measure answering one incident (`None`:
    /// every file of the measure).
    pub fn take_position_on(
        &mut self,
        state: &str,
        measure: &str,
        incident: Option<&str>,
        ballot: Ballot,
    ) -> Result<(), Refusal> {
        self.open()?;
        if !self.seats().holds_state(state) {
            return Err(Refusal::Invalid(format!(
                "{state} is played by the engine: only a Member State held at the table takes positions"
            )));
        }
        let toolbox = self.sim.world().resource::<crate::toolbox::Toolbox>();
        let decided_by_council = toolbox.find(measure).is_some_and(|id| toolbox.get(id).rule.voted());
        if !decided_by_council {
            return Err(Refusal::Invalid(format!(
                "\"{measure}\" is not decided by the Council: there is no vote to take a position in"
            )));
        }
        let turn = self.next_turn();
        self.sim.take_position(Position {
            turn,
            state: state.to_owned(),
            measure: measure.to_owned(),
            incident: incident.map(str::to_owned),
            ballot,
        });
        Ok(())
    }

    /// How a Member State people hold stands on a measure in the next turn: its standing line
    /// on every file of the measure (silence when it has none).
    pub fn position(&self, state: &str, measure: &str) -> Ballot {
        ballot_of(self.sim.positions(), self.next_turn(), state, measure, None)
    }

    /// Pauses the exercise: no turn can be played until it resumes. `now` is the wall-clock time.
    /// Only the facilitator pauses.
    pub fn pause(&mut self, now: &str) {
        if !self.paused && self.facilitator_seated() {
            self.paused = true;
            self.pauses.push(FacilitatorAction {
                turn: self.board.turn,
                action: Action::Pause(now.to_owned()),
            });
        }
    }

    /// Resumes a paused exercise.
    pub fn resume(&mut self, now: &str) {
        if self.paused {
            self.paused = false;
            self.pauses.push(FacilitatorAction {
                turn: self.board.turn,
                action: Action::Resume(now.to_owned()),
            });
        }
    }

    /// Writes a note in the facilitator's journal, stamped with the turn and wall-clock time.
    pub fn note(&mut self, author: &str, text: &str, now: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        self.journal.push(Note {
            turn: self.board.turn,
            author: author.to_owned(),
            text: text.to_owned(),
            time: Some(now.to_owned()),
        });
    }

    /// Adds a note written elsewhere (an evaluator's, in the replay viewer) to the run's notes.
    pub fn add_note(&mut self, note: Note) {
        self.journal.push(note);
    }

    /// The journal, oldest first.
    pub fn journal(&self) -> &[Note] {
        &self.journal
    }

    /// The facilitator's actions so far (pool injects, posture changes, pauses), by turn.
    pub fn facilitator_actions(&self) -> Vec<FacilitatorAction> {
        // Injects fired and postures changed for the turn not yet played belong to the run too:
        // a saved exercise resumes with them.
        let mut actions = crate::replay::facilitator_actions(&self.sim, None);
        actions.extend(self.pauses.iter().cloned());
        actions.sort_by_key(|a| a.turn);
        actions
    }

    /// The run so far as a replay: it verifies, and `demarche report` reads it.
    pub fn to_replay(&self) -> Replay {
        let mut replay = Replay::record(&self.sim, &self.scenario, &self.source, self.seed, self.policy);
        replay.facilitator = self.facilitator_actions();
        // Positions taken for the turn not yet played belong to the run too.
        replay.positions = self.sim.positions().to_vec();
        replay.notes = self.journal.clone();
        replay.fork = self.fork.clone();
        replay.recorded = self.recorded.clone();
        // The proposals of a turn on the table (not yet decided), then those being prepared.
        let tabled = if self.sim.tabled() {
            self.sim
                .player_decisions()
                .get(&self.next_turn())
                .cloned()
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        // Each with its seat where a desk proposed it.
        let mut seats: Vec<(Decision, crate::decisions::Role)> = if self.sim.tabled() {
            self.sim.proposers().get(&self.next_turn()).cloned().unwrap_or_default()
        } else {
            Vec::new()
        };
        let tabled_by: Vec<Option<crate::decisions::Role>> = tabled
            .iter()
            .map(|d| seats.iter().position(|(p, _)| p == d).map(|i| seats.remove(i).1))
            .collect();
        replay.pending = tabled.into_iter().chain(self.queued.iter().cloned()).collect();
        let pending_by: Vec<_> = tabled_by.into_iter().chain(self.proposers.iter().cloned()).collect();
        if pending_by.iter().any(Option::is_some) {
            replay.pending_by = pending_by;
        }
        replay
    }

    fn open(&self) -> Result<(), Refusal> {
        if self.paused {
            return Err(Refusal::Paused);
        }
        self.running_or_over()
    }

    fn running_or_over(&self) -> Result<(), Refusal> {
        if self.running() { Ok(()) } else { Err(Refusal::Over) }
    }
}
