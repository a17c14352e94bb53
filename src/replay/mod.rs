//! Replays: a run saved as (scenario, seed, every decision, every facilitator action) with the
//! checksum of every turn, so that anyone can re-run it and prove it reproduces, or fork it at a
//! turn to ask what would have happened otherwise.
//!
//! A replay feeds back the decisions it recorded, the scripted policy's included, instead of
//! letting the policy decide again: an altered decision therefore changes the run and is caught.

mod verify;

pub use verify::{Divergence, Verdict, verify};

use crate::Simulation;
use crate::council::VoteRecord;
use crate::decisions::{Decision, Policy};
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// The replay format's version; files of another version are refused with a clear message.
/// 2: measures carry their decision rule (consensus or unanimity), lead times are story time,
/// measures exist from their real dates, the Presidency rotates with the story's date, the
/// Council is the EU of the story's date (28 before February 2020), positions are taken per file
/// in a tour de table and a held State's silence is recorded as such.
/// 3: a Council file goes through the machinery (sounding, working party, RELEX, PSC, COREPER,
/// the Council or a written or silence procedure), can be held at each stage and is adopted at
/// the end of its path; listings and the framework come back for review; votes record where they
/// were taken; rates are per story day, scaled by the turn length.
/// 4: misperception and perceived resolve are two readings, the adversaries answer EU measures,
/// statements are worded on a ladder of rungs, partners attribute, escalation follows each
/// adversary's ceiling.
/// 5: the Presidency redrafts a statement a rung lower when delegations object while it is
/// drafted, the checksum covers each file's wording, the "associated" rung needs a Member State's
/// own attribution.
/// 6: a replay carries the text of its scenario and the version of the model that played it;
/// scenarios are identified by a BLAKE3 hash.
/// 7: each turn's checksum covers the turn's whole record (proposals and their fate, votes ballot
/// by ballot, injects) and its inputs (the policy, the seats, people's proposals and positions,
/// the facilitator's actions); the engine's decisions are re-derived from the policy rather than
/// fed back; a replay says whether the exercise ended; a fork names its parent by identity and
/// the policies that played the turns it shares.
/// 8: a proposal made by a delegation at its own desk records its seat (`by`), and the turn's
/// checksum covers it. Version 7 files are read as they are: they have no such proposals, and
/// their checksums are unchanged.
pub const REPLAY_VERSION: u32 = 8;

/// Whether this engine reads a replay of this format version.
pub fn readable_version(version: u32) -> bool {
    version == REPLAY_VERSION || version == 7
}

/// What each earlier version of the format was, for the message that refuses it.
fn version_history(version: u32) -> &'static str {
    match version {
        1 => "recorded by an engine that voted every Council file by unanimity and counted lead times in turns",
        2 => "recorded by an engine that decided a Council file the turn it was tabled, with rates counted per turn",
        3 => {
            "recorded by an engine whose misperception mixed the adversaries' distrust with the EU's doubts over who attacked, and whose adversaries never answered EU measures"
        }
        4 => {
            "recorded by an engine in which a statement objected to while it was drafted was held rather than redrafted a rung lower"
        }
        5 => {
            "recorded by an engine whose replays named their scenario by its path instead of carrying it, and did not record their model version"
        }
        6 => {
            "recorded by an engine whose turn checksums covered the state only, not the turn's proposals, votes and inputs"
        }
        7 => "recorded by an engine that did not record which seat proposed a measure at a networked exercise",
        _ => "not a version this engine knows",
    }
}

/// Why a replay cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplayError {
    /// The file is not a readable replay (exit status 2).
    Malformed(String),
    /// A replay of another version of the model: it cannot be played back here (exit status 3).
    Incompatible(String),
}

impl ReplayError {
    /// The exit status the command line gives it.
    pub fn exit_status(&self) -> u8 {
        match self {
            ReplayError::Malformed(_) => 2,
            ReplayError::Incompatible(_) => 3,
        }
    }
}

impl std::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplayError::Malformed(m) | ReplayError::Incompatible(m) => f.write_str(m),
        }
    }
}

impl From<ReplayError> for String {
    fn from(e: ReplayError) -> String {
        e.to_string()
    }
}

/// A recorded run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replay {
    /// Format version.
    pub version: u32,
    /// Version of the model that played it ([`crate::MODEL_VERSION`]).
    pub model: u32,
    /// Version of the engine that recorded it.
    pub engine: String,
    /// The day it was recorded (`YYYY-MM-DD`, UTC): when the exercise took place, for the dates of
    /// the report's improvement plan. Not part of the run's identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded: Option<String>,
    /// The scenario played.
    pub scenario: ScenarioRef,
    /// The run seed.
    pub seed: u64,
    /// The scripted policy that held the seats no human held.
    pub policy: Policy,
    /// Every decision, by every seat, in the order the procedure took them.
    pub decisions: Vec<RecordedDecision>,
    /// The roles people held; the engine played the others.
    #[serde(default)]
    pub seats: Vec<crate::decisions::Role>,
    /// Every position a Member State held by people took on a Council measure.
    #[serde(default)]
    pub positions: Vec<crate::council::Position>,
    /// Every facilitator action.
    #[serde(default)]
    pub facilitator: Vec<FacilitatorAction>,
    /// Proposals people put on the table for the next turn and had not yet played when the run
    /// was saved: "Continue" puts them back on the table. Not part of any played turn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<Decision>,
    /// The seat that put each pending proposal on the table, where known (a delegation at its
    /// own desk): a hosted exercise resumed gives each desk back its own proposals.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending_by: Vec<Option<crate::decisions::Role>>,
    /// Every Council vote.
    #[serde(default)]
    pub votes: Vec<VoteRecord>,
    /// Evaluators' notes.
    #[serde(default)]
    pub notes: Vec<Note>,
    /// The state at the end of every turn.
    pub turns: Vec<TurnMark>,
    /// Whether the exercise had ended at the last turn recorded (a run saved while it was being
    /// played has not).
    pub ended: bool,
    /// Where this run branched off another, if it is a fork.
    #[serde(default)]
    pub fork: Option<ForkOrigin>,
}

/// Which scenario, and which version of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioRef {
    /// The scenario's id.
    pub id: String,
    /// Where it was loaded from (`default` for the embedded one): a label; the run is played
    /// on `text`.
    pub source: String,
    /// BLAKE3 hash of its content (64 hex digits, [`scenario_hash`]): any change to what it
    /// says changes the hash; comments and layout do not.
    pub hash: String,
    /// Its text as written.
    pub text: String,
}

/// Who took a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Seat {
    /// People at the table.
    Players,
    /// The scripted policy.
    Policy,
}

impl Seat {
    /// Who it was, in the words the window, the report and `verify` all use.
    pub fn words(self) -> &'static str {
        match self {
            Seat::Players => "players",
            Seat::Policy => "engine",
        }
    }
}

/// One decision and when it was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedDecision {
    /// Turn it was taken in.
    pub turn: u32,
    /// Who took it.
    pub seat: Seat,
    /// The seat that proposed it, when people played from their own desks (a networked
    /// exercise); at one desk, none (the report names a held seat that tables the measure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<crate::decisions::Role>,
    /// What it was.
    pub decision: Decision,
}

/// Something the facilitator did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacilitatorAction {
    /// Turn it happened in.
    pub turn: u32,
    /// What it was.
    pub action: Action,
}

impl FacilitatorAction {
    /// Queues the action in a simulation at its turn: a pool inject or a posture change steers
    /// the run; a pause or a resumption is wall-clock time and changes nothing in it.
    pub fn queue(&self, sim: &mut Simulation) {
        match &self.action {
            Action::Fire(id) => sim.fire(self.turn, id),
            Action::Posture(shift) => sim.shift_posture(self.turn, shift.clone()),
            Action::Pause(_) | Action::Resume(_) => {}
        }
    }
}

/// A facilitator's action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Action {
    /// Fired an inject from the pool.
    Fire(String),
    /// Changed an adversary's campaign intensity or intent, from this turn on.
    Posture(crate::scenario::PostureShift),
    /// Paused the exercise (wall-clock time); the run itself is unchanged.
    Pause(String),
    /// Resumed the exercise (wall-clock time).
    Resume(String),
}

/// An evaluator's note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// Turn it refers to.
    pub turn: u32,
    /// Who wrote it.
    pub author: String,
    /// What it says.
    pub text: String,
    /// When it was written (wall-clock, UTC), for the facilitator's journal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
}

/// The state at the end of one turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TurnMark {
    /// Turn number.
    pub turn: u32,
    /// Checksum of the whole state, 16 hex digits.
    pub checksum: String,
    /// Escalation.
    pub escalation: f64,
    /// Misperception.
    pub misperception: f64,
    /// The adversaries' perceived resolve of the EU.
    pub perceived_resolve: f64,
    /// Cohesion.
    pub cohesion: f64,
    /// Injects fired.
    pub injects: Vec<String>,
}

/// Where a fork branched. A fork carries the turns it shares with its parent (their inputs and
/// records), so it verifies alone; with the parent at hand, those turns are checked against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForkOrigin {
    /// The replay it branched from, as named when forking: a label, for people.
    pub from: String,
    /// The parent's identity ([`Replay::identity`]): what the fork is checked against.
    pub parent: String,
    /// The last turn it shares with it.
    pub at_turn: u32,
    /// The policies that held the engine's seats in the shared turns, each from a turn on (the
    /// first from turn 1): the parent's, not the fork's.
    pub policies: Vec<(u32, Policy)>,
}

impl ForkOrigin {
    /// The origin of a fork of `parent` (named `from`) after turn `at`.
    pub fn of(parent: &Replay, from: &str, at: u32) -> Self {
        let mut policies: Vec<(u32, Policy)> = Vec::new();
        let spans = match &parent.fork {
            Some(f) => {
                let mut spans = f.policies.clone();
                spans.push((f.at_turn + 1, parent.policy));
                spans
            }
            None => vec![(1, parent.policy)],
        };
        for (from_turn, policy) in spans.into_iter().filter(|(t, _)| *t <= at) {
            if policies.last().is_none_or(|(_, p)| *p != policy) {
                policies.push((from_turn, policy));
            }
        }
        ForkOrigin {
            from: from.to_owned(),
            parent: parent.identity(),
            at_turn: at,
            policies,
        }
    }
}

/// Why a recorded run cannot be resumed at a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResumeError {
    /// The scenario is not the version the run was recorded on.
    ScenarioChanged,
    /// The re-run differs from the recording at this turn.
    DoesNotReproduce(u32),
}

/// The pool injects fired and the posture changes made in a simulation, in turn order, up to
/// turn `last` when given (actions queued past the end of a run never happened).
pub fn facilitator_actions(sim: &Simulation, last: Option<u32>) -> Vec<FacilitatorAction> {
    let fires = sim.facilitator_fires().iter().flat_map(|(turn, ids)| {
        ids.iter().map(|id| FacilitatorAction {
            turn: *turn,
            action: Action::Fire(id.clone()),
        })
    });
    let shifts = sim.facilitator_shifts().iter().flat_map(|(turn, shifts)| {
        shifts.iter().map(|shift| FacilitatorAction {
            turn: *turn,
            action: Action::Posture(shift.clone()),
        })
    });
    let mut actions: Vec<FacilitatorAction> = fires
        .chain(shifts)
        .filter(|a| last.is_none_or(|l| a.turn <= l))
        .collect();
    actions.sort_by_key(|a| a.turn);
    actions
}

/// A turn's proposals, each with who made it: people made those they were given for the turn
/// (matched in order), with the seat that proposed it where the simulation knows it, the policy
/// the others. What the machinery made of earlier files is the engine's to replay, not a
/// proposal.
pub fn proposals(turn: &crate::outcome::TurnRecord, sim: &Simulation) -> Vec<RecordedDecision> {
    let mut by_people: Vec<&Decision> = sim
        .player_decisions()
        .get(&turn.turn)
        .map(|d| d.iter().collect())
        .unwrap_or_default();
    let mut seats: Vec<&(Decision, crate::decisions::Role)> = sim
        .proposers()
        .get(&turn.turn)
        .map(|d| d.iter().collect())
        .unwrap_or_default();
    turn.decisions
        .iter()
        .filter(|d| d.proposal)
        .map(|d| {
            let (seat, by) = match by_people.iter().position(|p| **p == d.decision) {
                Some(i) => {
                    by_people.remove(i);
                    let by = seats
                        .iter()
                        .position(|(p, _)| *p == d.decision)
                        .map(|j| seats.remove(j).1.clone());
                    (Seat::Players, by)
                }
                None => (Seat::Policy, None),
            };
            RecordedDecision {
                turn: turn.turn,
                seat,
                by,
                decision: d.decision.clone(),
            }
        })
        .collect()
}

/// The identity of a scenario: the BLAKE3 hash of its canonical serialisation (64 hex digits),
/// so that comments and layout do not count and any change to what it says changes every digit.
pub fn scenario_hash(scenario: &Scenario) -> String {
    let canonical = ron::to_string(scenario).unwrap_or_default();
    blake3::hash(canonical.as_bytes()).to_hex().to_string()
}

/// The first 16 digits of a hash, for people to compare at a glance.
pub fn short_hash(hash: &str) -> &str {
    hash.get(..16).unwrap_or(hash)
}

impl Replay {
    /// Records a finished (or stopped) run: every proposal with who made it (people's are those
    /// the simulation was given, the rest the policy's), every input and every turn's mark.
    pub fn record(sim: &Simulation, scenario: &Scenario, source: &str, seed: u64, policy: Policy) -> Self {
        let decisions = sim.records().iter().flat_map(|turn| proposals(turn, sim)).collect();
        let facilitator = facilitator_actions(sim, Some(sim.records().len() as u32));
        Replay {
            version: REPLAY_VERSION,
            model: crate::MODEL_VERSION,
            engine: env!("CARGO_PKG_VERSION").to_owned(),
            recorded: None,
            scenario: ScenarioRef {
                id: scenario.id.clone(),
                source: source.to_owned(),
                hash: scenario_hash(scenario),
                // A scenario made in code has no text: its canonical serialisation stands in.
                text: scenario
                    .text
                    .as_deref()
                    .map_or_else(|| ron::to_string(scenario).unwrap_or_default(), str::to_owned),
            },
            seed,
            policy,
            decisions,
            seats: sim.seats().0.clone(),
            positions: sim
                .positions()
                .iter()
                .filter(|p| p.turn <= sim.records().len() as u32)
                .cloned()
                .collect(),
            facilitator,
            pending: Vec::new(),
            pending_by: Vec::new(),
            votes: sim.records().iter().flat_map(|t| t.votes.iter().cloned()).collect(),
            notes: Vec::new(),
            turns: sim
                .records()
                .iter()
                .map(|t| TurnMark {
                    turn: t.turn,
                    checksum: format!("{:016x}", t.checksum),
                    escalation: t.escalation,
                    misperception: t.misperception,
                    perceived_resolve: t.perceived_resolve,
                    cohesion: t.cohesion,
                    injects: t.injects.iter().map(|i| i.id.clone()).collect(),
                })
                .collect(),
            ended: !sim.running() && !sim.tabled(),
            fork: None,
        }
    }

    /// The scenario the run was played on, read from the text the replay carries (`name` is
    /// the replay's, for messages): the same wherever the replay is opened.
    pub fn scenario(&self, name: &str) -> Result<Scenario, crate::scenario::ScenarioError> {
        let label = format!("{name} (its scenario, {})", self.scenario.source);
        crate::scenario::parse_scenario(&label, &self.scenario.text, crate::actors::ActorsData::embedded_ref())
    }

    /// The policy that held the engine's seats in turn `turn`: a fork's parent's in the turns
    /// they share, else the run's own.
    pub fn policy_at(&self, turn: u32) -> Policy {
        match &self.fork {
            Some(f) if turn <= f.at_turn => f
                .policies
                .iter()
                .rev()
                .find(|(from, _)| *from <= turn)
                .or(f.policies.first())
                .map_or(self.policy, |(_, p)| *p),
            _ => self.policy,
        }
    }

    /// A simulation primed with this replay's inputs up to turn `until` (every turn when
    /// `None`): the seats, people's proposals and positions, the facilitator's actions, and the
    /// policy of turn 1. The engine's own proposals are not fed back: the policy takes them
    /// again, so that a decision claimed for it is checked against what it decides.
    pub fn prime(&self, scenario: Scenario, until: Option<u32>) -> Simulation {
        let mut sim = Simulation::new(scenario, self.seed, self.policy_at(1));
        sim.set_seats(crate::decisions::Seats(self.seats.clone()));
        let keep = |turn: u32| until.is_none_or(|u| turn <= u);
        for d in self
            .decisions
            .iter()
            .filter(|d| d.seat == Seat::Players && keep(d.turn))
        {
            sim.decide_as(d.turn, d.decision.clone(), d.by.clone());
        }
        for p in self.positions.iter().filter(|p| keep(p.turn)) {
            sim.take_position(p.clone());
        }
        for a in self.facilitator.iter().filter(|a| keep(a.turn)) {
            a.queue(&mut sim);
        }
        sim
    }

    /// Plays the recorded run again from its inputs, turn by turn, up to turn `until` (every
    /// recorded turn when `None`): the one walk over a replay, for `verify`, the report, the
    /// viewer and every fork. The simulation is primed with the recorded inputs and each turn is
    /// played by the policy that held the engine's seats then; `each` sees each turn as re-run
    /// beside what was recorded, and may stop the walk. Returns the simulation where the walk
    /// stopped, and the first recorded turn the re-run could not play, if it ended before.
    pub fn walk(
        &self,
        scenario: Scenario,
        until: Option<u32>,
        mut each: impl FnMut(&Simulation, &TurnMark, &crate::outcome::TurnRecord) -> std::ops::ControlFlow<()>,
    ) -> (Simulation, Option<u32>) {
        let mut sim = self.prime(scenario, until);
        let mut policy = self.policy_at(1);
        for mark in self.turns.iter().filter(|m| until.is_none_or(|u| m.turn <= u)) {
            let turn = sim.records().len() as u32 + 1;
            if self.policy_at(turn) != policy {
                policy = self.policy_at(turn);
                sim.set_policy(policy);
            }
            if sim.play_turn().is_none() {
                return (sim, Some(mark.turn));
            }
            let Some(record) = sim.records().last() else {
                return (sim, Some(mark.turn));
            };
            if each(&sim, mark, record).is_break() {
                break;
            }
        }
        (sim, None)
    }

    /// The recorded run played again up to the end of turn `at`, checksum for checksum: the
    /// common start of every fork (`replay --until`, and "branch from here" in the window). The
    /// simulation returned has the recorded seats and no policy of its own yet.
    pub fn resume(&self, scenario: Scenario, at: u32) -> Result<Simulation, ResumeError> {
        if scenario_hash(&scenario) != self.scenario.hash {
            return Err(ResumeError::ScenarioChanged);
        }
        let mut differs = None;
        let (sim, ended) = self.walk(scenario, Some(at), |_, mark, record| {
            if format!("{:016x}", record.checksum) == mark.checksum {
                std::ops::ControlFlow::Continue(())
            } else {
                differs = Some(mark.turn);
                std::ops::ControlFlow::Break(())
            }
        });
        match differs.or(ended) {
            Some(turn) => Err(ResumeError::DoesNotReproduce(turn)),
            None => Ok(sim),
        }
    }

    /// The replay as RON text.
    pub fn to_ron(&self) -> String {
        let config = ron::ser::PrettyConfig::new().depth_limit(4);
        ron::ser::to_string_pretty(self, config).expect("a replay serialises")
    }

    /// Reads a replay, explaining what is wrong and where when it cannot. The version is read
    /// first, so that a replay of another version of the model is told so rather than failing
    /// on a field that version did not have.
    pub fn from_ron(name: &str, text: &str) -> Result<Self, ReplayError> {
        /// Just the versions, whatever the rest holds (the model's from format 6 on).
        #[derive(Deserialize)]
        #[serde(rename = "Replay")]
        struct Header {
            version: u32,
            #[serde(default)]
            model: Option<u32>,
        }
        if let Ok(header) = crate::scenario::ron_options().from_str::<Header>(text) {
            if !readable_version(header.version) {
                return Err(ReplayError::Incompatible(format!(
                    "{name}: replay format version {} ({}); this engine reads version {REPLAY_VERSION}. \
                     The run cannot be played back by this version of the model: open it with the \
                     Démarche version that recorded it (its \"engine\" field), or play the scenario again",
                    header.version,
                    version_history(header.version)
                )));
            }
            if let Some(model) = header.model
                && model != crate::MODEL_VERSION
            {
                let which = if model < crate::MODEL_VERSION {
                    "an older"
                } else {
                    "a newer"
                };
                return Err(ReplayError::Incompatible(format!(
                    "{name}: played by model version {model} ({which} model than this engine's, version {}). \
                     The same decisions play differently under another model, so the run cannot be \
                     checked or reported here: open it with the Démarche version that recorded it (its \
                     \"engine\" field), or play the scenario again",
                    crate::MODEL_VERSION
                )));
            }
        }
        let mut replay: Replay = crate::scenario::ron_options().from_str(text).map_err(|e| {
            ReplayError::Malformed(format!(
                "{name}:{}:{}: {} (is this a replay written by `demarche run --record`?)",
                e.span.start.line,
                e.span.start.col,
                crate::scenario::ron_message(&e.code)
            ))
        })?;
        for mark in &replay.turns {
            if mark.checksum.len() != 16 || !mark.checksum.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(ReplayError::Malformed(format!(
                    "{name}: turn {}: checksum \"{}\" is not 16 hex digits",
                    mark.turn, mark.checksum
                )));
            }
        }
        // The day it was recorded dates the report's action plan: a real date or nothing. (A
        // run begun with `play --seat` before 3 December 2026 recorded an empty one: no date.)
        if replay.recorded.as_deref() == Some("") {
            replay.recorded = None;
        }
        if let Some(day) = &replay.recorded
            && crate::scenario::date_days(day).is_none_or(|_| day.len() != 10)
        {
            return Err(ReplayError::Malformed(format!(
                "{name}: recorded: \"{}\" is not a date (YYYY-MM-DD)",
                day.escape_debug()
            )));
        }
        // A facilitator's change to a campaign is a number the model adds: a real one.
        for action in &replay.facilitator {
            if let Action::Posture(shift) = &action.action
                && !(shift.activity.is_finite() && shift.intent.is_finite())
            {
                return Err(ReplayError::Malformed(format!(
                    "{name}: facilitator, turn {}: the change to {}'s campaign is not a number (activity {}, intent {})",
                    action.turn, shift.adversary, shift.activity, shift.intent
                )));
            }
        }
        Ok(replay)
    }
}

/// Today's date (UTC), as a replay records the day it was made.
pub fn today() -> String {
    crate::scenario::utc_now().chars().take(10).collect()
}

/// What a list of saved runs shows of one: its scenario, seats, how far it went, whether it
/// ended and when it was recorded, read without re-running it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename = "Replay")]
pub struct RunSummary {
    /// The scenario, by id.
    #[serde(deserialize_with = "scenario_id")]
    pub scenario: String,
    /// The roles people held.
    #[serde(default)]
    pub seats: Vec<crate::decisions::Role>,
    /// Turns recorded.
    #[serde(deserialize_with = "count")]
    pub turns: usize,
    /// Whether the exercise ended.
    #[serde(default)]
    pub ended: bool,
    /// The day it was recorded.
    #[serde(default)]
    pub recorded: Option<String>,
}

fn scenario_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    Id::deserialize(d).map(|s| s.id)
}

fn count<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    Vec::<serde::de::IgnoredAny>::deserialize(d).map(|v| v.len())
}

impl RunSummary {
    /// Reads a saved run's summary; `None` when the file is not a replay of this engine's format
    /// (the list then shows the file without it).
    pub fn read(path: &std::path::Path) -> Option<Self> {
        let text = crate::files::read_text(path, MAX_REPLAY_BYTES, "replay").ok()?;
        #[derive(Deserialize)]
        #[serde(rename = "Replay")]
        struct Version {
            version: u32,
        }
        let version: Version = crate::scenario::ron_options().from_str(&text).ok()?;
        if !readable_version(version.version) {
            return None;
        }
        crate::scenario::ron_options().from_str(&text).ok()
    }
}

/// Largest replay file read: a replay carries its scenario (at most 32 MiB) and its records.
pub const MAX_REPLAY_BYTES: u64 = 64 << 20;

/// Reads a replay file: the one way the command line and the window open one. Too large,
/// unreadable or malformed files are refused (exit status 2) with what is wrong and where;
/// another format or model version is incompatible (exit status 3).
pub fn read_replay(path: &std::path::Path) -> Result<Replay, ReplayError> {
    let name = path.display().to_string();
    let text = crate::files::read_text(path, MAX_REPLAY_BYTES, "replay")
        .map_err(|why| ReplayError::Malformed(format!("cannot read {name}: {why}")))?;
    Replay::from_ron(&name, &text)
}

impl Replay {
    /// Whether turn `turn` went the same way in both runs: the same injects, proposals, votes
    /// and readings (who held the engine's seats aside: a fork whose policy decides as the
    /// original's did plays the same turn).
    pub fn same_turn(&self, other: &Replay, turn: u32) -> bool {
        let mark = |r: &Replay| r.turns.iter().find(|m| m.turn == turn).cloned();
        let (Some(a), Some(b)) = (mark(self), mark(other)) else {
            return false;
        };
        let proposals = |r: &Replay| -> Vec<Decision> {
            r.decisions
                .iter()
                .filter(|d| d.turn == turn)
                .map(|d| d.decision.clone())
                .collect()
        };
        let votes = |r: &Replay| -> Vec<VoteRecord> { r.votes.iter().filter(|v| v.turn == turn).cloned().collect() };
        let readings =
            |m: &TurnMark| [m.escalation, m.misperception, m.perceived_resolve, m.cohesion].map(f64::to_bits);
        readings(&a) == readings(&b)
            && a.injects == b.injects
            && proposals(self) == proposals(other)
            && votes(self) == votes(other)
    }

    /// The first turn the two runs played differently, if any within the turns both recorded;
    /// a run that ends sooner differs at the turn after its last.
    pub fn first_difference(&self, other: &Replay) -> Option<u32> {
        let both = self.turns.len().min(other.turns.len()) as u32;
        (1..=both)
            .find(|t| !self.same_turn(other, *t))
            .or_else(|| (self.turns.len() != other.turns.len()).then_some(both + 1))
    }

    /// The identity of the run: the BLAKE3 hash (64 hex digits) of the replay without its notes
    /// and its recording date, so that adding a note does not change what a report cites.
    pub fn identity(&self) -> String {
        let mut bare = self.clone();
        bare.notes.clear();
        bare.recorded = None;
        blake3::hash(bare.to_ron().as_bytes()).to_hex().to_string()
    }
}

/// Why a note could not be added.
#[derive(Debug)]
pub enum NoteError {
    /// The file cannot be read as a replay.
    Replay(ReplayError),
    /// The file now holds another run than the one the note is about.
    AnotherRun,
    /// Writing failed; the file is as it was.
    Write(std::io::Error),
    /// With the note the replay would be larger than a replay may be (and could no longer be
    /// read); the file is as it was.
    TooLarge(usize),
}

impl std::fmt::Display for NoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoteError::Replay(e) => write!(f, "{e}"),
            NoteError::AnotherRun => f.write_str("the file now holds another run; the note was not added"),
            NoteError::Write(e) => write!(f, "cannot write it ({e}); the file is as it was"),
            NoteError::TooLarge(size) => write!(
                f,
                "with this note the replay would be {size} bytes, more than the {MAX_REPLAY_BYTES} a replay may have; \
                 the note was not added and the file is as it was (keep long texts in a file of their own)"
            ),
        }
    }
}

/// Adds a note to a replay file: the file is read again and the note merged into the notes it
/// holds now, so that notes added meanwhile by someone else (`demarche note`, another window)
/// are kept, never overwritten. `run` is the identity of the run the note is about
/// ([`Replay::identity`]), when known: a file that now holds another run is left alone. A note
/// already there is not added twice. Returns the notes the file holds.
pub fn add_note(path: &std::path::Path, run: Option<&str>, note: Note) -> Result<Vec<Note>, NoteError> {
    let mut replay = read_replay(path).map_err(NoteError::Replay)?;
    if run.is_some_and(|id| id != replay.identity()) {
        return Err(NoteError::AnotherRun);
    }
    if !replay.notes.contains(&note) {
        replay.notes.push(note);
        let text = replay.to_ron();
        if text.len() as u64 > MAX_REPLAY_BYTES {
            return Err(NoteError::TooLarge(text.len()));
        }
        crate::files::write_atomically(path, &text).map_err(NoteError::Write)?;
    }
    Ok(replay.notes)
}
