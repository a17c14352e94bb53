//! One seat's share of the exercise: what a delegation playing from its own desk may do, and
//! what it may see. The networked exercise (`demarche host`, `demarche join`) carries these over
//! the wire, but the rules are here, in the headless exercise, so that a delegation at its own
//! desk is held to exactly the rules and messages of one played at the facilitator's desk.
//!
//! What a seat sees is the public picture (the board every player sees at one desk: incidents as
//! surfaced, the Council's files and votes, the readings), plus its own: its proposals, its
//! standing lines, its answers in the tour de table and, for a Member State, its own services'
//! attribution. Never the scenario itself (injects not yet surfaced, the facilitator's pool),
//! the adversaries' postures and beliefs, another delegation's proposals before they are tabled,
//! or another Member State's positions before they are voted.

use super::{Board, Exercise, Refusal};
use crate::council::{Ballot, Position};
use crate::decisions::{Decision, Role, Seats};
use crate::toolbox::Toolbox;
use serde::{Deserialize, Serialize};

/// Something a seat does at its desk. Who does it is never part of it: the host knows which
/// seat a connection holds and checks the action against that seat alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SeatAction {
    /// Puts a proposal on the table for the next turn.
    Propose(Decision),
    /// Takes one of its own proposals off the table before the turn is played.
    Withdraw(Decision),
    /// A Member State's answer in the tour de table on one Council file.
    Answer {
        /// The file (measure and incident, as tabled).
        file: Decision,
        /// Its answer.
        ballot: Ballot,
    },
    /// A Member State's standing line on a Council measure from the turn being prepared on: on
    /// every file of the measure, or on the one answering an incident.
    Position {
        /// The measure, by id.
        measure: String,
        /// The incident, or every file of the measure.
        incident: Option<String>,
        /// How it will vote.
        ballot: Ballot,
    },
}

/// The exercise as one seat sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeatView {
    /// The seat (none for an observer).
    pub seat: Option<Role>,
    /// The public board, with only this seat's own national attribution.
    pub board: Board,
    /// The turn the table is preparing (or being consulted on).
    pub next_turn: u32,
    /// How far the exercise has gone, in steps: a "ready" names the step it is ready at.
    pub progress: u32,
    /// Whether turns remain.
    pub running: bool,
    /// Whether the facilitator has paused the exercise.
    pub paused: bool,
    /// Whether the turn is tabled and the Member States held at the table are being consulted.
    pub consulting: bool,
    /// For a Member State: the Council files of the tour de table, with its answer so far.
    pub consultation: Vec<(Decision, Ballot)>,
    /// Its own proposals for the next turn, in the order they will be taken.
    pub proposals: Vec<Decision>,
    /// For a Member State: its standing lines and answers, in the order taken.
    pub positions: Vec<Position>,
    /// Each turn played with its checksum, oldest first: every desk can say which run it saw.
    pub checksums: Vec<(u32, u64)>,
    /// The measures this seat may table on each incident in play (by id; `""` before any is),
    /// for its picker: those it cannot table at all are left out, those it cannot table now
    /// say why.
    pub options: Vec<(String, Vec<super::MeasureOption>)>,
}

impl SeatView {
    /// The turn's checksum as printed by `demarche join --headless`.
    pub fn checksum_line(turn: u32, checksum: u64) -> String {
        format!("turn {turn} checksum {checksum:016x}")
    }
}

impl Exercise {
    /// Does `action` for `seat`, with the rules and messages of the facilitator's desk, after
    /// checking that the seat may: a delegation proposes only what its seat tables, answers and
    /// takes positions only for its own Member State, and withdraws only its own proposals.
    pub fn act(&mut self, seat: &Role, action: SeatAction) -> Result<(), Refusal> {
        if !self.seats().holds(seat) {
            return Err(Refusal::Invalid(format!(
                "nobody holds the seat of {seat} in this exercise"
            )));
        }
        match action {
            SeatAction::Propose(mut decision) => {
                let toolbox = self.sim.world().resource::<Toolbox>();
                let Some(id) = toolbox.find(&decision.measure) else {
                    return Err(Refusal::Invalid(format!(
                        "no measure \"{}\" in the Toolbox",
                        decision.measure
                    )));
                };
                let measure = toolbox.get(id);
                // A Member State acts for itself: what the message claims about who acts is not
                // trusted, the seat is.
                if let Role::MemberState(code) = seat {
                    match decision.by.as_deref() {
                        Some(other) if other != code => {
                            return Err(Refusal::Invalid(format!(
                                "{} acts only for itself, not for {}",
                                crate::actors::state_name(code),
                                crate::actors::state_name(other)
                            )));
                        }
                        _ if measure.decided_by == crate::toolbox::Decider::MemberState => {
                            decision.by = Some(code.clone());
                        }
                        _ => {}
                    }
                }
                let acting = decision.by.clone().unwrap_or_default();
                if !Seats(vec![seat.clone()]).may_table(measure, &acting) {
                    let whose = match measure.decided_by {
                        crate::toolbox::Decider::MemberState => "each Member State takes it for itself".to_owned(),
                        crate::toolbox::Decider::Council => {
                            "the High Representative or the Presidency tables it in the Council".to_owned()
                        }
                        other => format!("it is for the {}", other.label()),
                    };
                    return Err(Refusal::Invalid(format!(
                        "{}: the seat of {seat} does not table it ({whose})",
                        measure.name
                    )));
                }
                self.propose_as(Some(seat), decision)
            }
            SeatAction::Withdraw(decision) => {
                let own = self
                    .queued
                    .iter()
                    .zip(&self.proposers)
                    .position(|(d, by)| *d == decision && by.as_ref() == Some(seat));
                match own {
                    Some(index) => {
                        self.open()?;
                        self.withdraw(index);
                        Ok(())
                    }
                    None => Err(Refusal::Invalid(format!(
                        "\"{}\" is not one of the proposals of {seat} on the table",
                        decision.measure
                    ))),
                }
            }
            SeatAction::Answer { file, ballot } => {
                let state = own_state(seat)?;
                self.answer(&state, &file, ballot)
            }
            SeatAction::Position {
                measure,
                incident,
                ballot,
            } => {
                let state = own_state(seat)?;
                self.take_position_on(&state, &measure, incident.as_deref(), ballot)
            }
        }
    }

    /// The exercise as `seat` sees it (`None`: an observer, who sees the public picture only).
    pub fn view_for(&self, seat: Option<&Role>) -> SeatView {
        self.view_with(seat, &mut OptionsCache::new())
    }

    /// The exercise as each of these seats sees it, the measures open on each incident worked
    /// out once for all of them (a full table of desks asks for thirty views at once).
    pub fn views_for(&self, seats: &[Option<&Role>]) -> Vec<SeatView> {
        let mut cache = OptionsCache::new();
        seats.iter().map(|seat| self.view_with(*seat, &mut cache)).collect()
    }

    fn view_with(&self, seat: Option<&Role>, cache: &mut OptionsCache) -> SeatView {
        let state = match seat {
            Some(Role::MemberState(code)) => Some(code.as_str()),
            _ => None,
        };
        let mut board = self.board.clone();
        for incident in &mut board.incidents {
            incident.national.retain(|view| Some(view.code.as_str()) == state);
        }
        let consultation = match state {
            Some(code) => self
                .consultation()
                .into_iter()
                .filter_map(|(file, answers)| {
                    let ballot = answers.into_iter().find(|(s, _)| s == code)?.1;
                    Some((file, ballot))
                })
                .collect(),
            None => Vec::new(),
        };
        SeatView {
            seat: seat.cloned(),
            board,
            next_turn: self.next_turn(),
            progress: self.progress(),
            running: self.running(),
            paused: self.paused,
            consulting: self.sim.tabled(),
            consultation,
            proposals: self
                .queued
                .iter()
                .zip(&self.proposers)
                .filter(|(_, by)| seat.is_some() && by.as_ref() == seat)
                .map(|(d, _)| d.clone())
                .collect(),
            positions: state
                .map(|code| {
                    self.sim
                        .positions()
                        .iter()
                        .filter(|p| p.state == code)
                        .cloned()
                        .collect()
                })
                .unwrap_or_default(),
            checksums: self.sim.records().iter().map(|r| (r.turn, r.checksum)).collect(),
            options: self.seat_options(seat, state, cache),
        }
    }
}

impl Exercise {
    /// The measures `seat` may table on each incident in play ([`SeatView::options`]).
    fn seat_options(
        &self,
        seat: Option<&Role>,
        state: Option<&str>,
        cache: &mut OptionsCache,
    ) -> Vec<(String, Vec<super::MeasureOption>)> {
        let Some(seat) = seat.filter(|s| **s != Role::Facilitator) else {
            return Vec::new();
        };
        if !self.running() {
            return Vec::new();
        }
        let toolbox = self.sim.world().resource::<Toolbox>();
        let alone = Seats(vec![seat.clone()]);
        // Before any incident is in play, the measures that answer none (keyed "").
        let mut incidents: Vec<&str> = self
            .board
            .incidents
            .iter()
            .filter(|i| i.in_play)
            .map(|i| i.id.as_str())
            .collect();
        if incidents.is_empty() {
            incidents.push("");
        }
        incidents
            .into_iter()
            .map(|incident| {
                let on = Some(incident).filter(|i| !i.is_empty());
                let key = (incident.to_owned(), state.map(str::to_owned));
                let all = cache.entry(key).or_insert_with(|| self.options(on, state));
                let options = all
                    .iter()
                    .filter(|o| {
                        toolbox
                            .find(&o.id)
                            .is_some_and(|id| alone.may_table(toolbox.get(id), state.unwrap_or_default()))
                    })
                    .cloned()
                    .collect();
                (incident.to_owned(), options)
            })
            .collect()
    }
}

/// The measures open on an incident for a Member State acting (or none), worked out once per
/// round of views.
type OptionsCache = std::collections::BTreeMap<(String, Option<String>), Vec<super::MeasureOption>>;

/// The Member State a seat speaks for in the Council, or why it speaks for none.
fn own_state(seat: &Role) -> Result<String, Refusal> {
    match seat {
        Role::MemberState(code) => Ok(code.clone()),
        other => Err(Refusal::Invalid(format!(
            "only a Member State answers in the Council, and {other} is not one"
        ))),
    }
}
