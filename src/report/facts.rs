//! The facts of a run that every rendering of the report shares.

use super::rating::Rating;
use crate::council::{DecisionRecord, Verdict, VoteRecord};
use crate::outcome::{Names, Outcome, TurnRecord};
use crate::replay::{Note, Replay, Seat};
use crate::scenario::time::civil_from_days;
use crate::scenario::{Facts, Scenario, holds};
use crate::toolbox::Toolbox;
use serde::Serialize;

/// One line of the timeline, in the MSEL's columns.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineRow {
    /// Turn.
    pub turn: u32,
    /// Exercise time and the story's date: `D+n H+m · Tue 27 Jun 2017 09:00`.
    pub time: String,
    /// Inject, facilitator, decision, statement (an adopted statement as published) or reaction
    /// (an adversary's answer to an EU measure).
    pub kind: String,
    /// Who it came from (an inject's `from`, the seat that decided, who published a statement, the
    /// adversary that answered).
    pub from: String,
    /// What happened.
    pub description: String,
    /// What evaluators expected (injects only).
    pub expected_action: String,
}

/// One objective and its rating.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveRating {
    /// Objective id.
    pub id: String,
    /// The objective.
    pub text: String,
    /// HSEEP rating.
    pub rating: Rating,
    /// Why, in one sentence.
    pub evidence: String,
}

/// One line of the improvement plan.
#[derive(Debug, Clone, Serialize)]
pub struct ImprovementAction {
    /// The objective it serves, by id (the scenario's).
    pub objective_id: String,
    /// The objective it serves, in words.
    pub objective: String,
    /// The corrective action.
    pub action: String,
    /// Who owns it.
    pub owner: String,
    /// When it is due.
    pub due: String,
}

/// One turn's readings, for the table of turns.
#[derive(Debug, Clone, Serialize)]
pub struct TurnRow {
    /// Turn.
    pub turn: u32,
    /// Exercise time and the story's date.
    pub time: String,
    /// The Member State holding the Council Presidency, by name.
    pub presidency: String,
    /// Escalation at the end of the turn, 0-9.
    pub escalation: f64,
    /// The rung of the escalation ladder it stands on.
    pub rung: String,
    /// Misperception, 0-1.
    pub misperception: f64,
    /// Perceived resolve, 0-1.
    pub perceived_resolve: f64,
    /// EU cohesion, 0-1.
    pub cohesion: f64,
}

/// One proposal or decision, for the table of decisions.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionRow {
    /// Turn.
    pub turn: u32,
    /// Exercise time and the story's date.
    pub time: String,
    /// Who: `players (High Representative)`, `engine (proportional policy)` or `Council
    /// machinery` for a file concluded on its path.
    pub by: String,
    /// The measure's name, with its wording for a statement.
    pub measure: String,
    /// The incident's headline, when it answers one.
    pub incident: String,
    /// What became of it.
    pub outcome: String,
}

/// Another run told beside this one: a fork of it, the run it was forked from, or another run
/// of the same scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The other run's file name.
    pub name: String,
    /// What it is to this run, in words.
    pub relation: String,
    /// The first turn told side by side (the one after the fork).
    pub from_turn: u32,
    /// The first turn the two runs played differently, if they did.
    pub first_difference: Option<u32>,
    /// The other run's facts.
    pub other: ReportFacts,
}

/// Everything the report says.
#[derive(Debug, Clone, Serialize)]
pub struct ReportFacts {
    /// Scenario title.
    pub title: String,
    /// Scenario id.
    pub scenario: String,
    /// Run seed.
    pub seed: u64,
    /// Who played the seats no human held, in words (a fork names both policies and their turns).
    pub policy: String,
    /// For a fork, where it branched, in words.
    pub fork: Option<String>,
    /// The story's start date.
    pub start: String,
    /// The real date of the exercise (`YYYY-MM-DD`), from which the plan's dates count.
    pub exercise_date: String,
    /// The outcome.
    pub outcome: Outcome,
    /// (turn, escalation, misperception, perceived resolve, cohesion) at the end of each turn.
    pub curves: Vec<(u32, f64, f64, f64, f64)>,
    /// Each turn's readings.
    pub turns: Vec<TurnRow>,
    /// Every proposal and decision.
    pub decisions: Vec<DecisionRow>,
    /// Another run told beside this one, when asked.
    pub compare: Option<Box<Comparison>>,
    /// Each adversary at the end of the run, in cast order.
    pub adversaries: Vec<AdversaryRow>,
    /// The timeline.
    pub timeline: Vec<TimelineRow>,
    /// Every vote, with when, under which Presidency and on what.
    pub votes: Vec<VoteRow>,
    /// What each seat people held did, and what it cost.
    pub conduct: Vec<SeatConduct>,
    /// The Council files still in the machinery when the exercise ended: what was tabled and
    /// when, and the turn its adoption was expected.
    pub unfinished: Vec<String>,
    /// How many of those were held by objections at the end (not merely still on their way).
    pub held_at_end: usize,
    /// Every objective, rated.
    pub objectives: Vec<ObjectiveRating>,
    /// Evaluators' notes.
    pub notes: Vec<Note>,
    /// The improvement plan.
    pub plan: Vec<ImprovementAction>,
    /// What ties the report to its run, for anyone to check it.
    pub provenance: Provenance,
}

/// What ties a report to the run it tells: enough to find the replay, check it is the same and
/// re-run it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    /// The identity of the run: BLAKE3 of the replay without its notes (64 hex digits).
    pub replay: String,
    /// The scenario's id and BLAKE3 content hash.
    pub scenario: (String, String),
    /// The model version that played it, the replay format and the engine's version.
    pub versions: (u32, u32, String),
    /// The seed.
    pub seed: u64,
    /// The policy that played the seats no human held.
    pub policy: String,
    /// The roles people held.
    pub seats: Vec<String>,
    /// Turns recorded.
    pub turns: usize,
    /// The checksum of the last turn (16 hex digits).
    pub final_checksum: String,
}

impl Provenance {
    fn of(replay: &Replay) -> Self {
        Self {
            replay: replay.identity(),
            scenario: (replay.scenario.id.clone(), replay.scenario.hash.clone()),
            versions: (replay.model, replay.version, replay.engine.clone()),
            seed: replay.seed,
            policy: policy_words(replay),
            seats: replay.seats.iter().map(seat_name).collect(),
            turns: replay.turns.len(),
            final_checksum: replay.turns.last().map(|t| t.checksum.clone()).unwrap_or_default(),
        }
    }

    /// The facts as (label, value) lines, in the order every rendering prints them.
    pub fn lines(&self) -> Vec<(&'static str, String)> {
        vec![
            ("Replay identity (BLAKE3, notes excluded)", self.replay.clone()),
            ("Scenario", format!("{} (BLAKE3 {})", self.scenario.0, self.scenario.1)),
            ("Seed", self.seed.to_string()),
            (
                "Seats held by people",
                if self.seats.is_empty() {
                    "none".to_owned()
                } else {
                    self.seats.join(", ")
                },
            ),
            ("Seats not held, played by", self.policy.clone()),
            ("Turns recorded", self.turns.to_string()),
            ("Final checksum", self.final_checksum.clone()),
            (
                "Model, replay format, engine",
                format!(
                    "model {}, format {}, Démarche {}",
                    self.versions.0, self.versions.1, self.versions.2
                ),
            ),
            (
                "How to check it",
                "demarche replay FILE --verify (exit 0: every turn reproduces)".to_owned(),
            ),
        ]
    }
}

/// One adversary at the end of the run: how it reads the EU, and what it does.
#[derive(Debug, Clone, Serialize)]
pub struct AdversaryRow {
    /// Adversary id.
    pub id: String,
    /// Its name as the exercise shows it (its id when the cast does not know it).
    pub name: String,
    /// How far it misreads the EU's intent, 0 to 1 (lower is better).
    pub misreading: f64,
    /// Its belief that the EU will impose costs, 0 to 1 (what deterrence needs).
    pub perceived_resolve: f64,
    /// The intensity of its campaign, 0 to 1.
    pub activity: f64,
}

/// What one seat people held did in the run: what it proposed, how it stood in the Council, what
/// it blocked or held up, and what that cost the EU.
#[derive(Debug, Clone, Serialize)]
pub struct SeatConduct {
    /// The seat, by name.
    pub seat: String,
    /// Its proposals and what became of them, one line each.
    pub proposed: Vec<String>,
    /// Council votes it supported (for, or silent assent).
    pub supported: usize,
    /// Council votes it abstained on, one line each.
    pub abstained: Vec<String>,
    /// Council votes that failed on its objection: the file, its reason, what it cost.
    pub blocked: Vec<String>,
    /// Files it held at a stage of the machinery: where, why, until when.
    pub held: Vec<String>,
    /// The cohesion the votes it blocked cost the EU, 0 to 1.
    pub cohesion_cost: f64,
}

impl SeatConduct {
    /// Its record in one sentence: `Hungary blocked 2 Council votes (6.0 points of cohesion) and
    /// held 1 file; supported 4; proposed nothing.`
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if !self.proposed.is_empty() {
            parts.push(format!("proposed {}", plural(self.proposed.len(), "measure")));
        }
        if !self.blocked.is_empty() {
            parts.push(format!(
                "blocked {} ({:.1} points of cohesion)",
                plural(self.blocked.len(), "Council vote"),
                self.cohesion_cost * 100.0
            ));
        }
        if !self.held.is_empty() {
            parts.push(format!("held {} at a stage", plural(self.held.len(), "file")));
        }
        if self.supported > 0 {
            parts.push(format!("supported {}", plural(self.supported, "Council vote")));
        }
        if !self.abstained.is_empty() {
            parts.push(format!(
                "stood aside on {} (abstained, or joined or kept silent with reservations)",
                plural(self.abstained.len(), "vote")
            ));
        }
        if parts.is_empty() {
            parts.push("took no part in any decision".to_owned());
        }
        format!("{} {}.", self.seat, parts.join("; "))
    }
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// What each seat people held did (the facilitator's aside: it decides nothing for the EU).
fn conduct(
    replay: &Replay,
    records: &[TurnRecord],
    decisions: &[DecisionRow],
    votes: &[VoteRow],
    names: &Names,
) -> Vec<SeatConduct> {
    let resolve_at = |turn: u32| {
        records
            .iter()
            .find(|t| t.turn == turn)
            .map_or(0.0, |t| t.perceived_resolve)
    };
    replay
        .seats
        .iter()
        .filter(|r| **r != crate::decisions::Role::Facilitator)
        .map(|role| {
            let seat = seat_name(role);
            let by = format!("{} ({seat})", Seat::Players.words());
            let proposed = decisions
                .iter()
                .filter(|d| d.by == by)
                .map(|d| {
                    let on = if d.incident.is_empty() {
                        String::new()
                    } else {
                        format!(" on {}", d.incident)
                    };
                    format!("Turn {}: {}{on}: {}", d.turn, d.measure, d.outcome)
                })
                .collect();
            let mut conduct = SeatConduct {
                seat,
                proposed,
                supported: 0,
                abstained: Vec::new(),
                blocked: Vec::new(),
                held: Vec::new(),
                cohesion_cost: 0.0,
            };
            let crate::decisions::Role::MemberState(code) = role else {
                return conduct;
            };
            for row in votes {
                let v = &row.vote;
                let Some((_, ballot)) = v.ballots.iter().find(|(c, _)| &**c == code) else {
                    continue;
                };
                match ballot {
                    crate::council::Ballot::For | crate::council::Ballot::Silence => conduct.supported += 1,
                    crate::council::Ballot::Abstain => {
                        conduct
                            .abstained
                            .push(format!("Turn {}: {} ({})", v.turn, row.what, v.standing_aside()))
                    }
                    crate::council::Ballot::Object(why) if !v.adopted => {
                        conduct.cohesion_cost += v.cohesion_cost;
                        conduct.blocked.push(format!(
                            "Turn {}: {} ({why}): {}; it cost the EU {:.1} points of cohesion; the adversaries' reading of EU resolve went from {:.2} to {:.2}",
                            v.turn,
                            row.what,
                            v.result(),
                            v.cohesion_cost * 100.0,
                            resolve_at(v.turn.saturating_sub(1)),
                            resolve_at(v.turn)
                        ));
                    }
                    crate::council::Ballot::Object(_) => {}
                }
            }
            for t in records {
                for h in t.holds.iter().filter(|h| h.by.iter().any(|(c, _)| &**c == code)) {
                    let why: Vec<String> = h
                        .by
                        .iter()
                        .filter(|(c, _)| &**c == code)
                        .map(|(_, why)| why.to_string())
                        .collect();
                    conduct.held.push(format!(
                        "Turn {}: held {} in the {} ({}); withdrawn at turn {} unless lifted",
                        t.turn,
                        names.measure(&h.measure),
                        h.stage,
                        why.join("; "),
                        h.until
                    ));
                }
            }
            conduct
        })
        .collect()
}

/// A Council vote as a ministry reads it: when, under which Presidency, on what.
#[derive(Debug, Clone, Serialize)]
pub struct VoteRow {
    /// The story's time of the turn.
    pub time: String,
    /// The Member State holding the Presidency, by code.
    pub presidency: String,
    /// The measure's name, and the incident's headline when it answers one.
    pub what: String,
    /// The vote.
    pub vote: VoteRecord,
}

impl VoteRow {
    /// What the vote cost the EU's cohesion, in points ("5 points"; empty when nothing).
    pub fn cost(&self) -> String {
        if self.vote.cohesion_cost > 0.0 {
            format!("{:.1} points", self.vote.cohesion_cost * 100.0)
        } else {
            String::new()
        }
    }
}

/// Who played the seats no human held, in words: one policy, or for a fork the policies of the
/// turns it shares with its parent and its own from the turn after.
pub fn policy_words(replay: &Replay) -> String {
    let Some(fork) = &replay.fork else {
        return format!("the {} policy", replay.policy.name());
    };
    let mut spans: Vec<String> = Vec::new();
    for (i, (from, policy)) in fork.policies.iter().enumerate() {
        let to = fork.policies.get(i + 1).map_or(fork.at_turn, |(next, _)| next - 1);
        let turns = if *from == to {
            format!("turn {from}")
        } else {
            format!("turns {from}\u{2013}{to}")
        };
        spans.push(format!("the {} policy in {turns} (the original's)", policy.name()));
    }
    spans.push(format!(
        "the {} policy from turn {}",
        replay.policy.name(),
        fork.at_turn + 1
    ));
    spans.join(", then ")
}

/// A seat as a ministry reads it: Member States by name (`HR` is Croatia), the High
/// Representative spelled out.
pub fn seat_name(role: &crate::decisions::Role) -> String {
    match role {
        crate::decisions::Role::MemberState(code) => crate::actors::state_name(code).to_owned(),
        crate::decisions::Role::HighRepresentative => "High Representative (EEAS)".to_owned(),
        other => other.to_string(),
    }
}

/// Who made a proposal, in the words the window uses too: `players (High Representative)` for
/// a seat people held, `engine (proportional policy)` for one the engine played.
fn proposer(replay: &Replay, toolbox: &Toolbox, turn: u32, decision: &crate::decisions::Decision) -> String {
    let recorded = replay
        .decisions
        .iter()
        .find(|r| r.turn == turn && r.decision == *decision);
    let seat = recorded.map_or(Seat::Players, |r| r.seat);
    if seat == Seat::Policy {
        return format!("{} ({} policy)", Seat::Policy.words(), replay.policy_at(turn).name());
    }
    // The seat that proposed it, where recorded (a delegation at its own desk).
    if let Some(role) = recorded.and_then(|r| r.by.as_ref()) {
        return format!("{} ({})", Seat::Players.words(), seat_name(role));
    }
    let held = toolbox.find(&decision.measure).and_then(|id| {
        let measure = toolbox.get(id);
        let acting = decision.by.as_deref().unwrap_or_default();
        replay
            .seats
            .iter()
            .find(|role| crate::decisions::Seats(vec![(*role).clone()]).may_table(measure, acting))
    });
    match held {
        Some(role) => format!("{} ({})", Seat::Players.words(), seat_name(role)),
        None => Seat::Players.words().to_owned(),
    }
}

/// A vote's objections with their reasons, then who abstained, Member States by name.
pub fn positions_named(vote: &VoteRecord) -> String {
    let mut parts: Vec<String> = vote
        .objections()
        .map(|(c, why)| format!("{} objects: {why}", crate::actors::state_name(c)))
        .collect();
    let abstainers = abstainers_named(vote);
    if !abstainers.is_empty() {
        parts.push(format!("{}: {abstainers}", vote.standing_aside()));
    }
    parts.join("; ")
}

/// The Member States that abstained, by name.
pub fn abstainers_named(vote: &VoteRecord) -> String {
    let names: Vec<&str> = vote.abstainers().into_iter().map(crate::actors::state_name).collect();
    names.join(", ")
}

/// The Member States that objected, by name, with their reasons.
pub fn objectors_named(vote: &VoteRecord) -> String {
    let names: Vec<String> = vote
        .objections()
        .map(|(c, why)| format!("{} ({why})", crate::actors::state_name(c)))
        .collect();
    names.join("; ")
}

/// The files tabled and never concluded (adopted, blocked, withdrawn) by the end of the run.
fn unfinished(records: &[TurnRecord], names: &Names) -> (Vec<String>, usize) {
    let mut open: Vec<(u32, &DecisionRecord)> = Vec::new();
    for t in records {
        for d in &t.decisions {
            match &d.verdict {
                Verdict::Tabled { .. } => open.push((t.turn, d)),
                // A file is its measure on its incident: the Presidency may have redrafted its
                // wording on the way.
                _ if !d.proposal => open.retain(|(_, o)| {
                    o.decision.measure != d.decision.measure || o.decision.incident != d.decision.incident
                }),
                _ => {}
            }
        }
    }
    let mut held_at_end = 0;
    let files = open
        .into_iter()
        .map(|(turn, d)| {
            let Verdict::Tabled { adoption, partners_day } = d.verdict else {
                unreachable!("only tabled files are kept")
            };
            let what = match &d.decision.incident {
                Some(i) => format!("{} on {}", names.measure(&d.decision.measure), names.incident(i)),
                None => names.measure(&d.decision.measure).to_owned(),
            };
            // Held at a stage and still held at the end, or still on its way.
            let last = records.last().map_or(0, |r| r.turn);
            let held = records
                .iter()
                .flat_map(|r| r.holds.iter().map(move |h| (r.turn, h)))
                .rfind(|(_, h)| h.measure == d.decision.measure && h.incident == d.decision.incident);
            match held {
                Some((since, h)) if h.until > last || !partners_day && adoption <= last => {
                    held_at_end += 1;
                    let by: Vec<String> =
                        h.by.iter()
                            .map(|(c, why)| format!("{} ({why})", crate::actors::state_name(c)))
                            .collect();
                    format!(
                        "{what}: tabled turn {turn}, held in the {} by {} since turn {since}",
                        h.stage,
                        by.join(", ")
                    )
                }
                // Drafted for partners' public day, ready, and waiting for it.
                _ if partners_day && adoption <= last => format!(
                    "{what}: tabled turn {turn} for partners' public day, ready from turn {adoption}; nobody had named the party in public by the end"
                ),
                _ => format!("{what}: tabled turn {turn}, adoption expected turn {adoption} (after the last turn)"),
            }
        })
        .collect();
    (files, held_at_end)
}

fn curves(records: &[TurnRecord]) -> Vec<(u32, f64, f64, f64, f64)> {
    records
        .iter()
        .map(|t| (t.turn, t.escalation, t.misperception, t.perceived_resolve, t.cohesion))
        .collect()
}

/// The adversaries as the last turn left them, by the names the exercise gave them: the
/// scenario's own name for one, else the cast's, else its id.
fn adversaries(scenario: &Scenario, records: &[TurnRecord]) -> Vec<AdversaryRow> {
    let Some(last) = records.last() else {
        return Vec::new();
    };
    let actors = crate::actors::ActorsData::embedded_ref();
    last.adversaries
        .iter()
        .map(|a| AdversaryRow {
            id: a.id.to_string(),
            name: adversary_name(scenario, actors, &a.id),
            misreading: a.misreading,
            perceived_resolve: a.perceived_resolve,
            activity: a.activity,
        })
        .collect()
}

/// An adversary by the name the exercise gave it: the scenario's own name for one, else the
/// cast's, else its id.
fn adversary_name(scenario: &Scenario, actors: &crate::actors::ActorsData, id: &str) -> String {
    scenario
        .adversary_overrides
        .get(id)
        .and_then(|o| o.name.clone())
        .or_else(|| actors.adversaries.iter().find(|d| d.id == id).map(|d| d.name.clone()))
        .unwrap_or_else(|| id.to_owned())
}

/// `D+n H+m · Tue 27 Jun 2017 09:00` at the start of a turn, on the story's calendar (a phase's
/// gap included): the date is what ties the timeline to the real case.
fn exercise_time(scenario: &Scenario, turn: u32) -> String {
    let (relative, date) = crate::scenario::Calendar::of(scenario).time(turn);
    joined_time(relative, date)
}

/// When a scripted inject happened in the story: at its own `Offset` when it has one, no jitter
/// and the offset falls within the hours of the turn it fired in (the partners' attribution of
/// 10 May inside the week that starts on 5 May); otherwise at the start of that turn.
fn inject_time(scenario: &Scenario, inject: Option<&crate::scenario::Inject>, turn: u32) -> String {
    let calendar = crate::scenario::Calendar::of(scenario);
    let own = inject.and_then(|i| match &i.at {
        Some(crate::scenario::When::Offset(text)) if i.jitter == 0 => crate::scenario::parse_offset(text).ok(),
        _ => None,
    });
    // Inside the turn's own hours: an offset that falls in the gap before a phase fires when the
    // phase opens, and is dated then.
    let starts = calendar.hours_at(turn);
    match own {
        Some(offset) if (starts..starts + u64::from(calendar.turn_hours)).contains(&offset.total_hours()) => {
            let (relative, date) = calendar.time_at(offset.total_hours());
            joined_time(relative, date)
        }
        _ => exercise_time(scenario, turn),
    }
}

fn joined_time(relative: String, date: String) -> String {
    if date.is_empty() {
        relative
    } else {
        format!("{relative} · {date}")
    }
}

/// The outcome's figures as (what, value) lines, in the order every rendering prints them.
pub fn outcome_lines(o: &Outcome) -> Vec<(&'static str, String)> {
    vec![
        ("Outcome", format!("the crisis {}", o.kind.predicate())),
        ("Turns played", o.turns_played.to_string()),
        ("Final escalation (0-9)", format!("{:.2}", o.final_escalation)),
        ("Peak escalation (0-9)", format!("{:.2}", o.peak_escalation)),
        ("Final misperception (0-1)", format!("{:.2}", o.final_misperception)),
        (
            "Final perceived resolve (0-1)",
            format!("{:.2}", o.final_perceived_resolve),
        ),
        ("Final cohesion (0-1)", format!("{:.2}", o.final_cohesion)),
        (
            "The EU ended",
            if o.eu_united { "united" } else { "divided" }.to_owned(),
        ),
        ("Measures adopted", o.measures_adopted.to_string()),
        ("Council votes held", o.votes.0.to_string()),
        ("Council votes blocked", o.votes.1.to_string()),
    ]
}

impl Comparison {
    /// The two outcomes side by side: (what, this run, the other).
    pub fn outcomes(&self, this: &ReportFacts) -> Vec<(&'static str, String, String)> {
        outcome_lines(&this.outcome)
            .into_iter()
            .zip(outcome_lines(&self.other.outcome))
            .map(|((what, a), (_, b))| (what, a, b))
            .collect()
    }

    /// Each objective's rating in both runs: (objective, this run's, the other's), each as
    /// `S: evidence`.
    pub fn ratings(&self, this: &ReportFacts) -> Vec<(String, String, String)> {
        let rated = |o: &ObjectiveRating| format!("{} ({}): {}", o.rating.label(), o.rating.letter(), o.evidence);
        this.objectives
            .iter()
            .map(|o| {
                let other = self
                    .other
                    .objectives
                    .iter()
                    .find(|x| x.id == o.id)
                    .map(rated)
                    .unwrap_or_default();
                (o.text.clone(), rated(o), other)
            })
            .collect()
    }

    /// Turn by turn from the first turn told side by side: (turn, what this run decided and
    /// voted, what the other did), each a list of lines.
    pub fn turns(&self, this: &ReportFacts) -> Vec<(u32, Vec<String>, Vec<String>)> {
        let last = this.turns.len().max(self.other.turns.len()) as u32;
        (self.from_turn..=last)
            .map(|turn| (turn, this.story_of(turn), self.other.story_of(turn)))
            .collect()
    }
}

impl ReportFacts {
    /// The objectives' ratings in one sentence, worst first, for the report's opening beside the
    /// outcome: a crisis contained does not mean the exercise met its objectives, and the reader
    /// of the first lines must not take it so.
    pub fn ratings_line(&self) -> Option<String> {
        use super::rating::Rating;
        if self.objectives.is_empty() {
            return None;
        }
        let parts: Vec<String> = [
            Rating::Unable,
            Rating::MajorChallenges,
            Rating::SomeChallenges,
            Rating::Performed,
        ]
        .into_iter()
        .filter_map(|r| {
            let n = self.objectives.iter().filter(|o| o.rating == r).count();
            (n > 0).then(|| format!("{n} {} ({})", r.label().to_lowercase(), r.letter()))
        })
        .collect();
        Some(format!("Objectives: {}.", parts.join(", ")))
    }

    /// When and how the run was played, for the report's first line: an exercise people held
    /// seats in, or a run the engine played alone (a scripted policy in every seat), which no
    /// one should read as an exercise held that day.
    pub fn occasion(&self) -> (String, String) {
        if self.provenance.seats.is_empty() {
            (
                format!("a run with no seat held by people, recorded on {}", self.exercise_date),
                format!("every seat played by the {} policy", self.policy),
            )
        } else {
            (
                format!("exercise held on {}", self.exercise_date),
                format!("seats not held by people played by {}", self.policy),
            )
        }
    }

    /// What the EU decided and voted in a turn, one line each: `players (High Representative):
    /// EU statement on …: adopted …`, `vote on …: blocked (Hungary objects: …)`.
    pub fn story_of(&self, turn: u32) -> Vec<String> {
        let decisions = self.decisions.iter().filter(|d| d.turn == turn).map(|d| {
            let on = if d.incident.is_empty() {
                String::new()
            } else {
                format!(" on {}", d.incident)
            };
            format!("{}: {}{on}: {}", d.by, d.measure, d.outcome)
        });
        let votes = self.votes.iter().filter(|v| v.vote.turn == turn).map(|v| {
            let positions = positions_named(&v.vote);
            if positions.is_empty() {
                format!("vote on {}: {}", v.what, v.vote.result())
            } else {
                format!("vote on {}: {} ({positions})", v.what, v.vote.result())
            }
        });
        decisions.chain(votes).collect()
    }

    /// Tells another run beside this one.
    pub fn compared_with(mut self, comparison: Comparison) -> Self {
        self.compare = Some(Box::new(comparison));
        self
    }

    /// What blocking cost: how many votes failed, and the cohesion they cost the EU in all, 0 to
    /// 1 (the adversary reads the division).
    pub fn blocking_cost(&self) -> (usize, f64) {
        let failed = self.votes.iter().filter(|r| !r.vote.adopted);
        failed.fold((0, 0.0), |(n, cost), r| (n + 1, cost + r.vote.cohesion_cost))
    }

    /// What blocking cost over the run, in one sentence.
    pub fn blocking(&self) -> String {
        match self.blocking_cost() {
            (0, _) if self.held_at_end > 0 => format!(
                "No vote failed, but {} still held by objections when the exercise ended: the EU had not answered, and a veto \
                 in the end would cost it cohesion.",
                if self.held_at_end == 1 {
                    "one file was".to_owned()
                } else {
                    format!("{} files were", self.held_at_end)
                }
            ),
            (0, _) => "No vote failed: blocking cost the EU nothing.".to_owned(),
            (n, cost) => {
                // A text that dies in the soundings or the working party stays among diplomats.
                let public = self.votes.iter().any(|r| !r.vote.adopted && !r.vote.stage.drafting());
                format!(
                    "{n} vote{} failed; blocking cost the EU {:.1} points of cohesion in all (of 100){}.",
                    if n == 1 { "" } else { "s" },
                    cost * 100.0,
                    if public {
                        ", and the adversary reads division"
                    } else {
                        ", among diplomats: the adversary did not see it"
                    }
                )
            }
        }
    }

    /// Gathers the facts of a replayed run. `exercise_date` is the real date of the exercise
    /// (`YYYY-MM-DD`), from which the improvement plan's dates count: by default the day the run
    /// was recorded, else today.
    pub fn gather(
        replay: &Replay,
        scenario: &Scenario,
        records: &[TurnRecord],
        outcome: &Outcome,
        exercise_date: Option<&str>,
    ) -> Self {
        // The Toolbox as this scenario plays it, read once.
        let mut toolbox = Toolbox::embedded();
        toolbox.fit(scenario);
        let names = crate::outcome::Names::of(&toolbox, records);
        let actors = crate::actors::ActorsData::embedded_ref();
        let mut timeline = Vec::new();
        let mut decisions = Vec::new();
        for t in records {
            let time = exercise_time(scenario, t.turn);
            for inject in &t.injects {
                let scripted = scenario
                    .injects
                    .iter()
                    .chain(&scenario.pool)
                    .find(|i| i.id == inject.id);
                timeline.push(TimelineRow {
                    turn: t.turn,
                    time: inject_time(scenario, scripted, t.turn),
                    kind: "inject".into(),
                    from: scripted.map_or_else(|| "adversary operation".to_owned(), |i| i.from.clone()),
                    description: inject.title.clone(),
                    expected_action: scripted.map(|i| i.expected_action.clone()).unwrap_or_default(),
                });
            }
            for action in replay.facilitator.iter().filter(|a| a.turn == t.turn) {
                let description = match &action.action {
                    // A fired inject has its own line, as it fired.
                    crate::replay::Action::Fire(_) => continue,
                    crate::replay::Action::Posture(shift) => format!(
                        "changed {}'s campaign: intensity {:+.2}, intent {:+.2}",
                        adversary_name(scenario, actors, &shift.adversary),
                        shift.activity,
                        shift.intent
                    ),
                    crate::replay::Action::Pause(at) => format!("paused the exercise at {at}"),
                    crate::replay::Action::Resume(at) => format!("resumed the exercise at {at}"),
                };
                timeline.push(TimelineRow {
                    turn: t.turn,
                    time: time.clone(),
                    kind: "facilitator".into(),
                    from: "facilitator".into(),
                    description,
                    expected_action: String::new(),
                });
            }
            for d in &t.decisions {
                let by = if d.proposal {
                    proposer(replay, &toolbox, t.turn, &d.decision)
                } else {
                    "Council machinery".to_owned()
                };
                let measure = names.worded(&d.decision.measure, d.decision.wording.as_deref());
                let incident = d.decision.incident.as_deref().map(|i| names.incident(i));
                let description = d.describe_as(&measure, incident.as_deref());
                decisions.push(DecisionRow {
                    turn: t.turn,
                    time: time.clone(),
                    by: by.clone(),
                    measure: match &d.decision.by {
                        Some(code) => format!("{measure} ({})", crate::actors::state_name(code)),
                        None => measure.clone(),
                    },
                    incident: incident.unwrap_or_default(),
                    outcome: d.fate(),
                });
                timeline.push(TimelineRow {
                    turn: t.turn,
                    time: time.clone(),
                    kind: "decision".into(),
                    from: by,
                    description,
                    expected_action: String::new(),
                });
                // An adopted statement as it was published, the words the adversary reads.
                if let Some(text) = &d.published {
                    timeline.push(TimelineRow {
                        turn: t.turn,
                        time: time.clone(),
                        kind: "statement".into(),
                        // A Member State speaking alone is recorded by its code.
                        from: crate::actors::state_name(&d.decided_by).to_owned(),
                        description: format!("\u{201c}{text}\u{201d}"),
                        expected_action: String::new(),
                    });
                }
            }
            // A text redrafted a rung lower for the delegations that objected: how the EU agreed.
            for a in &t.amendments {
                let what = match &a.incident {
                    Some(i) => format!("{} on {}", names.measure(&a.measure), names.incident(i)),
                    None => names.measure(&a.measure).to_owned(),
                };
                timeline.push(TimelineRow {
                    turn: t.turn,
                    time: time.clone(),
                    kind: "redraft".into(),
                    from: "Presidency".into(),
                    description: format!("{what}: {}", a.summary()),
                    expected_action: String::new(),
                });
            }
            // A file held at a stage by delegations' objections: the veto points a diplomat
            // watches, named as they happen rather than only when the file dies.
            for h in &t.holds {
                let what = match &h.incident {
                    Some(i) => format!("{} on {}", names.measure(&h.measure), names.incident(i)),
                    None => names.measure(&h.measure).to_owned(),
                };
                let holders: Vec<&str> = h.by.iter().map(|(c, _)| crate::actors::state_name(c)).collect();
                timeline.push(TimelineRow {
                    turn: t.turn,
                    time: time.clone(),
                    kind: "hold".into(),
                    from: holders.join(", "),
                    description: format!("{what}: {}", h.summary()),
                    expected_action: String::new(),
                });
            }
            for r in &t.reactions {
                timeline.push(TimelineRow {
                    turn: t.turn,
                    time: time.clone(),
                    kind: "reaction".into(),
                    from: adversary_name(scenario, actors, &r.adversary),
                    description: format!("{}, answering: {}", r.headline, names.measure(&r.measure)),
                    expected_action: String::new(),
                });
            }
        }
        let adopted = |m: &str| {
            records
                .iter()
                .flat_map(|t| &t.decisions)
                .any(|d| d.decision.measure == m && matches!(d.verdict, Verdict::Adopted { .. }))
        };
        let failed = |m: &str| {
            records
                .iter()
                .flat_map(|t| &t.decisions)
                .filter(|d| {
                    d.decision.measure == m && (d.verdict.stopped() || matches!(d.verdict, Verdict::Rejected(_)))
                })
                .count()
        };
        let last = records.last();
        let end_facts = Facts {
            turn: last.map_or(0, |t| t.turn),
            escalation: outcome.final_escalation,
            misperception: outcome.final_misperception,
            perceived_resolve: outcome.final_perceived_resolve,
            cohesion: outcome.final_cohesion,
            measures: records
                .iter()
                .flat_map(|t| &t.decisions)
                .filter(|d| matches!(d.verdict, Verdict::Adopted { .. }))
                .map(|d| d.decision.measure.clone())
                .collect(),
            opened: records
                .iter()
                .flat_map(|t| &t.decisions)
                .filter(|d| matches!(d.verdict, Verdict::Tabled { .. }))
                .map(|d| d.decision.measure.clone())
                .collect(),
            measures_on: records
                .iter()
                .flat_map(|t| &t.decisions)
                .filter(|d| matches!(d.verdict, Verdict::Adopted { .. }))
                .filter_map(|d| d.decision.incident.clone().map(|i| (i, d.decision.measure.clone())))
                .collect(),
            fired: records
                .iter()
                .flat_map(|t| t.injects.iter().map(|i| i.id.clone()))
                .collect(),
            // Each incident's latest EU assessment, whenever it was last recorded: an assessment
            // stands once its analysis is over and the turn's record stops listing it (until
            // model 8 the report read the last turn's only, and the Hague case's assessment of
            // the car park operation, moderate from day 7, read as never reached).
            attribution: records
                .iter()
                .flat_map(|t| &t.assessments)
                .map(|a| {
                    (
                        a.incident.to_string(),
                        crate::scenario::AttributionFacts {
                            eu: a.probability,
                            most_confident: a.probability,
                            least_confident: a.probability,
                        },
                    )
                })
                .collect(),
        };
        let (unfinished, held_at_end) = unfinished(records, &names);
        let mut objectives = Vec::new();
        let mut plan = Vec::new();
        let exercise_date = exercise_date
            .map(str::to_owned)
            .or_else(|| replay.recorded.clone())
            .unwrap_or_else(crate::replay::today);
        let due = due_date(&exercise_date);
        let measure_name = |m: &str| {
            toolbox
                .find(m)
                .map_or_else(|| m.to_owned(), |id| toolbox.get(id).name.clone())
        };
        // Conditions by the names players read: measures by name, incidents and injects by
        // their headlines.
        let event = |id: &str| {
            scenario
                .injects
                .iter()
                .chain(&scenario.pool)
                .find(|i| i.id == id)
                .map_or_else(|| names.incident(id), |i| format!("\u{201c}{}\u{201d}", i.title))
        };
        let named = |c: &crate::scenario::Condition| c.describe_with(&measure_name, &event);
        // Each turn's end-of-turn readings, for the objectives' readings that must hold
        // throughout ("escalation stays below ..."), not only at the end.
        let turn_facts: Vec<Facts> = records
            .iter()
            .map(|t| Facts {
                turn: t.turn,
                escalation: t.escalation,
                misperception: t.misperception,
                perceived_resolve: t.perceived_resolve,
                cohesion: t.cohesion,
                ..Facts::default()
            })
            .collect();
        for o in &scenario.objectives {
            let success = o.success.as_ref().map(|c| holds(c, &end_facts));
            let lapsed = o
                .success
                .as_ref()
                .map(|c| crate::scenario::lapses(c, &end_facts, &turn_facts))
                .unwrap_or_default();
            let got: Vec<&String> = o.measures.iter().filter(|m| adopted(m)).collect();
            let failures: usize = o.measures.iter().map(|m| failed(m)).sum();
            let mut rating = Rating::of(success, got.len(), o.measures.len(), failures);
            if !lapsed.is_empty() {
                // Met in the end, but what it asked to keep was lost on the way: achieved with
                // a negative impact, the HSEEP's "major challenges".
                rating = rating.max(Rating::MajorChallenges);
            }
            let missing: Vec<String> = o
                .measures
                .iter()
                .filter(|m| !adopted(m))
                .map(|m| measure_name(m))
                .collect();
            let evidence = format!(
                "{} of {} expected measures adopted{}{}{}",
                got.len(),
                o.measures.len(),
                if missing.is_empty() {
                    String::new()
                } else {
                    format!(" (not adopted: {})", missing.join("; "))
                },
                if failures > 0 {
                    format!(", {failures} proposals of them failed")
                } else {
                    String::new()
                },
                match (success, &o.success) {
                    (Some(true), Some(c)) if !lapsed.is_empty() => format!(
                        "; the success condition ({}) held at the end, but not at the end of {}",
                        named(c),
                        turns_in_words(&lapsed)
                    ),
                    (Some(true), Some(c)) => format!("; the success condition ({}) held at the end", named(c)),
                    (Some(false), Some(c)) => {
                        format!("; the success condition ({}) did not hold at the end", named(c))
                    }
                    _ => String::new(),
                }
            );
            if rating != Rating::Performed {
                let missing_ids: Vec<&String> = o.measures.iter().filter(|m| !adopted(m)).collect();
                let blocked_by = objections_for(records, &o.measures.iter().collect::<Vec<_>>());
                let objections = if blocked_by.is_empty() {
                    String::new()
                } else {
                    let names: Vec<&str> = blocked_by.iter().map(|c| crate::actors::state_name(c)).collect();
                    format!(", addressing the objections of {}", names.join(", "))
                };
                let action = if !missing.is_empty() {
                    // What became of each: never proposed is a decision the table did not take;
                    // proposed and not adopted is a file that needed preparing.
                    let proposed = |id: &str| {
                        records
                            .iter()
                            .flat_map(|t| &t.decisions)
                            .any(|d| d.proposal && d.decision.measure == id)
                    };
                    let fates: Vec<String> = missing_ids
                        .iter()
                        .map(|id| {
                            let fate = if proposed(id) {
                                "proposed, not adopted"
                            } else {
                                "never proposed"
                            };
                            format!("{} ({fate})", measure_name(id))
                        })
                        .collect();
                    format!(
                        "Decide in time whether to take, and prepare the support for: {}{objections}",
                        fates.join("; ")
                    )
                } else if !lapsed.is_empty() {
                    format!(
                        "Review why \"{}\" was lost in {} before it was regained: what the EU did, and did not do, before then",
                        o.text,
                        turns_in_words(&lapsed)
                    )
                } else if success == Some(false) {
                    format!(
                        "Review why \"{}\" was not achieved although its measures were adopted: their timing, wording and the support behind them",
                        o.text
                    )
                } else {
                    format!("Prepare the consensus before tabling, so that proposals do not fail{objections}")
                };
                plan.push(ImprovementAction {
                    objective_id: o.id.clone(),
                    objective: o.text.clone(),
                    action,
                    owner: owner(&toolbox, &missing_ids),
                    due: due.clone(),
                });
            }
            objectives.push(ObjectiveRating {
                id: o.id.clone(),
                text: o.text.clone(),
                rating,
                evidence,
            });
        }
        let votes: Vec<VoteRow> = records
            .iter()
            .flat_map(|t| {
                let time = exercise_time(scenario, t.turn);
                let names = &names;
                t.votes.iter().map(move |v| {
                    // The wording the file was drafted at, from the decision the vote made.
                    let wording = t
                        .decisions
                        .iter()
                        .find(|d| !d.proposal && d.decision.measure == v.measure && d.decision.incident == v.incident)
                        .and_then(|d| d.decision.wording.as_deref());
                    let name = names.worded(&v.measure, wording);
                    VoteRow {
                        time: time.clone(),
                        presidency: crate::actors::state_name(&t.presidency).to_owned(),
                        what: match &v.incident {
                            Some(i) => format!("{name} on {}", names.incident(i)),
                            None => name,
                        },
                        vote: v.clone(),
                    }
                })
            })
            .collect();
        let conduct = conduct(replay, records, &decisions, &votes, &names);
        ReportFacts {
            provenance: Provenance::of(replay),
            title: scenario.title.clone(),
            scenario: scenario.id.clone(),
            seed: replay.seed,
            policy: policy_words(replay),
            fork: replay
                .fork
                .as_ref()
                .map(|f| format!("a fork of {} after turn {}", f.from, f.at_turn)),
            start: scenario.clock.start.clone(),
            exercise_date,
            outcome: outcome.clone(),
            curves: curves(records),
            turns: records
                .iter()
                .map(|t| TurnRow {
                    turn: t.turn,
                    time: exercise_time(scenario, t.turn),
                    presidency: crate::actors::state_name(&t.presidency).to_owned(),
                    escalation: t.escalation,
                    rung: crate::dynamics::rung_label(t.escalation).to_owned(),
                    misperception: t.misperception,
                    perceived_resolve: t.perceived_resolve,
                    cohesion: t.cohesion,
                })
                .collect(),
            decisions,
            compare: None,
            adversaries: adversaries(scenario, records),
            timeline,
            unfinished,
            held_at_end,
            votes,
            conduct,
            objectives,
            notes: replay.notes.clone(),
            plan,
        }
    }
}

/// The Member States that objected to any of these measures.
fn objections_for(records: &[TurnRecord], measures: &[&String]) -> Vec<String> {
    let mut codes: Vec<String> = records
        .iter()
        .flat_map(|t| &t.votes)
        .filter(|v| measures.iter().any(|m| **m == v.measure))
        .flat_map(|v| v.objections().map(|(code, _)| code.to_owned()))
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// Who owns a corrective action: whoever decides the measures concerned.
fn owner(toolbox: &Toolbox, measures: &[&String]) -> String {
    let mut owners: Vec<&str> = measures
        .iter()
        .filter_map(|m| toolbox.find(m))
        .map(|id| match toolbox.get(id).decided_by {
            crate::toolbox::Decider::Council => "Council Presidency",
            crate::toolbox::Decider::HighRepresentative => "High Representative / EEAS",
            crate::toolbox::Decider::Presidency => "Council Presidency",
            crate::toolbox::Decider::Commission => "Commission",
            crate::toolbox::Decider::MemberState => "Member States",
            crate::toolbox::Decider::CsirtsNetwork => "CSIRTs network (national CSIRTs, CERT-EU)",
            crate::toolbox::Decider::EuCyclone => "EU-CyCLONe (national cyber crisis authorities)",
        })
        .collect();
    owners.sort_unstable();
    owners.dedup();
    if owners.is_empty() {
        "Exercise planners".to_owned()
    } else {
        owners.join(", ")
    }
}

/// Ninety days after the exercise's real date (`YYYY-MM-DD`), the usual horizon of an
/// improvement plan; the date itself when it cannot be read.
fn due_date(exercise: &str) -> String {
    let Some(day) = crate::scenario::date_days(exercise) else {
        return exercise.to_owned();
    };
    let (y, m, d) = civil_from_days(day + 90);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Turns in words: "turn 6", "turns 6 and 7", "turns 2, 3 and 6".
fn turns_in_words(turns: &[u32]) -> String {
    match turns {
        [one] => format!("turn {one}"),
        [rest @ .., last] => {
            let rest: Vec<String> = rest.iter().map(u32::to_string).collect();
            format!("turns {} and {last}", rest.join(", "))
        }
        [] => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn improvement_plans_fall_due_ninety_days_after_the_exercise() {
        assert_eq!(due_date("2026-12-03"), "2027-03-03");
        assert_eq!(due_date("2024-02-28"), "2024-05-28");
        let leap = crate::scenario::time::days_from_civil(2024, 2, 29);
        assert_eq!(civil_from_days(leap), (2024, 2, 29));
    }

    #[test]
    fn exercise_time_counts_from_d_plus_0() {
        let s = crate::scenario::parse_scenario(
            "d",
            crate::scenario::DEFAULT_SCENARIO,
            &crate::actors::ActorsData::embedded(),
        )
        .unwrap();
        assert_eq!(exercise_time(&s, 1), "D+0 H+0 · Tue 27 Jun 2017 09:00");
        assert_eq!(exercise_time(&s, 3), "D+2 H+0 · Thu 29 Jun 2017 09:00");
    }
}
