//! The record of each turn, as the table, the JSON output and replays show it.

use super::checksum::StateView;
use crate::council::{DecisionRecord, VoteRecord};
use bevy::prelude::*;
use serde::{Deserialize, Serialize};

/// An inject that fired, or an adversary operation that surfaced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InjectRecord {
    /// Inject or incident id.
    pub id: String,
    /// Headline.
    pub title: String,
}

/// The EU's shared assessment of one active incident at the end of a turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentRecord {
    /// Incident id.
    pub incident: std::sync::Arc<str>,
    /// Who the EU assessment points at.
    pub suspect: std::sync::Arc<str>,
    /// Its pooled probability.
    pub probability: f64,
    /// In estimative language: low, moderate or high.
    pub confidence: std::borrow::Cow<'static, str>,
}

/// One adversary at the end of a turn: how it reads the EU, and what it does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdversaryReading {
    /// Adversary id.
    pub id: std::sync::Arc<str>,
    /// How far it misreads the EU's intent (1 - its trust), 0 to 1.
    pub misreading: f64,
    /// Its belief that the EU will impose costs, 0 to 1.
    pub perceived_resolve: f64,
    /// The intensity of its campaign, 0 to 1.
    pub activity: f64,
}

/// What is happening in the turn being played.
#[derive(Resource, Debug, Clone, Default)]
pub struct TurnLog {
    /// Injects fired and operations surfaced.
    pub injects: Vec<InjectRecord>,
    /// Proposals and what became of them.
    pub decisions: Vec<DecisionRecord>,
    /// Council votes held.
    pub votes: Vec<VoteRecord>,
    /// Ids of measures that took effect.
    pub effects: Vec<String>,
    /// How the adversaries answered the measures aimed at them.
    pub reactions: Vec<ReactionRecord>,
    /// Council files held at a stage this turn for the first time.
    pub holds: Vec<HoldRecord>,
    /// Statements the Presidency redrafted at a lower rung of their wording this turn.
    pub amendments: Vec<AmendmentRecord>,
}

/// A Council file held at a stage of its path: it stays there until the objection is lifted, or
/// is withdrawn when the hold has lasted the stage's length.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoldRecord {
    /// The measure, by id.
    pub measure: String,
    /// The incident it answers, by id.
    pub incident: Option<String>,
    /// Where it is held: `sounding`, `HWPCI`, `RELEX`, `PSC`...
    pub stage: String,
    /// Who holds it, with the reason each gave.
    pub by: Vec<(std::sync::Arc<str>, crate::council::Reason)>,
    /// The turn it is withdrawn unless the objection is lifted.
    pub until: u32,
}

impl HoldRecord {
    /// In the words of the procedure: `held in the RELEX by Hungary (economic ties with Russia); withdrawn at turn 13 unless lifted`.
    pub fn summary(&self) -> String {
        let by: Vec<String> = self
            .by
            .iter()
            .map(|(c, why)| format!("{} ({why})", crate::actors::state_name(c)))
            .collect();
        format!(
            "held in the {} by {}; withdrawn at turn {} unless lifted",
            self.stage,
            by.join(", "),
            self.until
        )
    }
}

/// A statement the Presidency redrafted in the soundings or the working party, a rung lower on
/// the ladder of wordings, so that the delegations that objected to the draft could accept it:
/// how the EU's declarations are agreed (the declaration of 19 July 2021 located the Exchange
/// compromise "on the territory of China" because not every Member State would name the State).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AmendmentRecord {
    /// The measure, by id.
    pub measure: String,
    /// The incident it answers, by id.
    pub incident: Option<String>,
    /// Where the text was redrafted: `sounding` or `HWPCI`.
    pub stage: String,
    /// The rung of the draft, by id.
    pub from: String,
    /// The rung of the new text, by id.
    pub to: String,
    /// The delegations that objected to the draft, with the reason each gave.
    pub by: Vec<(std::sync::Arc<str>, crate::council::Reason)>,
}

impl AmendmentRecord {
    /// In the words of the procedure: `redrafted in the sounding from "naming the State" to "from
    /// the territory of", for Hungary (prefers a wording that names no State)`.
    pub fn summary(&self) -> String {
        let by: Vec<String> = self
            .by
            .iter()
            .map(|(c, why)| format!("{} ({why})", crate::actors::state_name(c)))
            .collect();
        format!(
            "redrafted in the {} from \"{}\" to \"{}\", for {}",
            self.stage,
            crate::toolbox::wording_label(&self.from),
            crate::toolbox::wording_label(&self.to),
            by.join(", ")
        )
    }
}

/// How an adversary answered an EU measure that took effect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReactionRecord {
    /// Adversary id.
    pub adversary: String,
    /// The measure it answered, by id.
    pub measure: String,
    /// What it did.
    pub reaction: crate::toolbox::Reaction,
    /// As a headline: "Russia denies any involvement".
    pub headline: String,
}

/// One finished turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurnRecord {
    /// Turn number, 1-based.
    pub turn: u32,
    /// The Member State holding the Council Presidency during the turn, by code.
    pub presidency: String,
    /// Injects fired and operations surfaced.
    pub injects: Vec<InjectRecord>,
    /// Proposals and what became of them.
    pub decisions: Vec<DecisionRecord>,
    /// Council votes held.
    pub votes: Vec<VoteRecord>,
    /// Ids of measures that took effect.
    pub effects: Vec<String>,
    /// How the adversaries answered the measures aimed at them.
    pub reactions: Vec<ReactionRecord>,
    /// Council files held at a stage this turn for the first time.
    #[serde(default)]
    pub holds: Vec<HoldRecord>,
    /// Statements the Presidency redrafted a rung lower this turn.
    #[serde(default)]
    pub amendments: Vec<AmendmentRecord>,
    /// The EU assessment of each incident still active, in order of appearance.
    pub assessments: Vec<AssessmentRecord>,
    /// Escalation at the end of the turn, 0 to 9.
    pub escalation: f64,
    /// Misperception at the end of the turn: how far the adversaries misread the EU's intent, 0 to 1.
    pub misperception: f64,
    /// How far the adversaries perceive the EU's resolve at the end of the turn, 0 to 1.
    pub perceived_resolve: f64,
    /// Each adversary's readings of the EU and its campaign, in cast order.
    pub adversaries: Vec<AdversaryReading>,
    /// EU cohesion at the end of the turn, 0 to 1.
    pub cohesion: f64,
    /// Checksum of the whole simulation state at the end of the turn.
    #[serde(with = "hex_checksum")]
    pub checksum: u64,
}

/// Every finished turn of the run (under [`Recording::LastTurn`], the last one only).
#[derive(Resource, Debug, Clone, Default)]
pub struct RunLog(pub Vec<TurnRecord>);

/// Which turns a run keeps the record of.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Recording {
    /// Every turn, each with its checksum: what the table, replays and reports read.
    #[default]
    EveryTurn,
    /// The last turn only, with its checksum: all a batch keeps of a run besides its outcome.
    /// The other turns are tallied for the outcome ([`RunTally`]) but neither recorded nor
    /// checksummed, which was a tenth of a batch run; the last turn's record and checksum are
    /// the very ones a run recording every turn ends with (a turn's checksum covers the state,
    /// the turn's record and its inputs, not the turns before it).
    LastTurn,
}

/// What the outcome counts over the whole run, tallied turn by turn whether or not the turn is
/// recorded.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunTally {
    /// Proposals and files adopted.
    pub measures_adopted: usize,
    /// Council votes held.
    pub votes_held: usize,
    /// Council votes that did not adopt.
    pub votes_blocked: usize,
}

impl RunTally {
    /// Adds a turn's adoptions and votes.
    fn add(&mut self, log: &TurnLog) {
        self.measures_adopted += log
            .decisions
            .iter()
            .filter(|d| matches!(d.verdict, crate::council::Verdict::Adopted { .. }))
            .count();
        self.votes_held += log.votes.len();
        self.votes_blocked += log.votes.iter().filter(|v| !v.adopted).count();
    }
}

impl TurnLog {
    /// Empties the log in place, keeping its memory for the next turn (a turn that is not
    /// recorded hands its vectors back rather than into a record).
    fn clear(&mut self) {
        let Self {
            injects,
            decisions,
            votes,
            effects,
            reactions,
            holds,
            amendments,
        } = self;
        injects.clear();
        decisions.clear();
        votes.clear();
        effects.clear();
        reactions.clear();
        holds.clear();
        amendments.clear();
    }
}

pub(super) fn begin_turn(mut log: ResMut<TurnLog>) {
    log.clear();
}

/// What was put into the turn from outside the engine, and who played it: the checksum covers
/// it, so that a replay cannot claim another input (an added proposal, a relabelled seat, another
/// policy, an invented inject) for a turn whose state it does not change.
#[derive(bevy::ecs::system::SystemParam)]
pub(super) struct TurnInputs<'w> {
    policy: Res<'w, crate::decisions::Policy>,
    seats: Res<'w, crate::decisions::Seats>,
    people: Res<'w, crate::decisions::PlayerDecisions>,
    proposers: Res<'w, crate::decisions::Proposers>,
    positions: Res<'w, crate::council::Positions>,
    fires: Res<'w, crate::incidents::FacilitatorFires>,
    shifts: Res<'w, crate::incidents::FacilitatorShifts>,
}

impl TurnInputs<'_> {
    /// Feeds this turn's inputs: the policy holding the engine's seats, the seats people hold,
    /// the proposals people made, the positions they took from this turn, the facilitator's pool
    /// injects and posture changes.
    fn feed(&self, turn: u32, h: &mut super::Fnv64) {
        h.record(&*self.policy);
        h.record(&self.seats.0);
        h.record(&self.people.0.get(&turn));
        // Who proposed what, where it is known (a networked exercise); a run at one desk feeds
        // nothing here, so its checksums are those of format 7.
        if let Some(by) = self.proposers.0.get(&turn) {
            h.record(by);
        }
        let positions = self.positions.0.iter().filter(|p| p.turn == turn);
        h.u64(positions.clone().count() as u64);
        positions.for_each(|p| h.record(p));
        h.record(&self.fires.0.get(&turn));
        h.record(&self.shifts.0.get(&turn));
    }
}

/// Closes the turn: checksums the state, the turn's record and its inputs, and files the record.
pub(super) fn record_turn(
    view: StateView,
    inputs: TurnInputs,
    recording: Res<Recording>,
    mut log: ResMut<TurnLog>,
    mut run: ResMut<RunLog>,
    mut tally: ResMut<RunTally>,
) {
    tally.add(&log);
    if *recording == Recording::LastTurn && !super::verdict::ends(view.clock(), view.crisis()) {
        log.clear();
        return;
    }
    let log = std::mem::take(&mut *log);
    let crisis = view.crisis();
    let mut record = TurnRecord {
        turn: view.turn(),
        presidency: view.presidency(),
        injects: log.injects,
        decisions: log.decisions,
        votes: log.votes,
        effects: log.effects,
        reactions: log.reactions,
        holds: log.holds,
        amendments: log.amendments,
        assessments: view.assessments(),
        escalation: crisis.escalation,
        misperception: crisis.misperception,
        perceived_resolve: crisis.perceived_resolve,
        adversaries: view.adversary_readings(),
        cohesion: crisis.cohesion,
        checksum: 0,
    };
    let mut h = super::Fnv64::default();
    h.u64(view.checksum());
    h.record(&record);
    inputs.feed(record.turn, &mut h);
    record.checksum = h.finish();
    run.0.push(record);
}

/// Checksums travel as 16-digit lower-case hex strings, so that no JSON reader rounds them.
mod hex_checksum {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    /// Sixteen lower-case hex digits, written without a heap allocation (every turn of a batch
    /// run is serialised into its checksum).
    pub fn serialize<S: Serializer>(value: &u64, s: S) -> Result<S::Ok, S::Error> {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut text = [0u8; 16];
        for (i, digit) in text.iter_mut().enumerate() {
            *digit = DIGITS[((value >> (60 - 4 * i)) & 0xf) as usize];
        }
        s.serialize_str(std::str::from_utf8(&text).expect("hex digits are ASCII"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let text = String::deserialize(d)?;
        if text.len() != 16 {
            return Err(D::Error::custom(format!("checksum \"{text}\" is not 16 hex digits")));
        }
        u64::from_str_radix(&text, 16).map_err(|_| D::Error::custom(format!("checksum \"{text}\" is not hexadecimal")))
    }
}
