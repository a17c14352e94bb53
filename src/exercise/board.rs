//! The exercise board as the table sees it at the end of a turn: plain data read from the
//! simulation, so that the window only draws it and the replay viewer can keep one per turn.
//!
//! The board shows what the EU knows. The true perpetrator, false flags and the adversaries'
//! hidden beliefs are never on it.

use crate::Simulation;
use crate::actors::{Attitudes, Exposure, MemberState, Roster};
use crate::council::{Ballot, DecisionRecord, PendingMeasures, VoteRecord};
use crate::decisions::{Seats, Survey};
use crate::dynamics::rung_label;
pub use crate::incidents::DIMENSION_NAMES;
use crate::incidents::{Incident, Severity};
use crate::outcome::{InjectRecord, Outcome, ReactionRecord};
use crate::scenario::Scenario;
use crate::state::Crisis;
use crate::toolbox::{Confidence, Toolbox};
use crate::turn::TurnClock;
use serde::{Deserialize, Serialize};

/// One Member State's reading of who did an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NationalView {
    /// Member State code.
    pub code: String,
    /// Who it thinks did it.
    pub suspect: String,
    /// Its probability.
    pub probability: f64,
    /// The same in estimative language.
    pub confidence: Confidence,
}

/// One incident on the feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentCard {
    /// Id (the inject that revealed it).
    pub id: String,
    /// Headline.
    pub title: String,
    /// What players were told.
    pub description: String,
    /// Turn it surfaced.
    pub turn: u32,
    /// Whether its technical phase is still under way.
    pub active: bool,
    /// Whether it is still in political play (the EU can be expected to answer it).
    pub in_play: bool,
    /// Third countries hit as well, by name ("Ukraine").
    pub also_hit: Vec<String>,
    /// Third countries joining what the inject tells, by name.
    pub partners: Vec<String>,
    /// Overall severity, 0 to 1.
    pub severity: f64,
    /// The seven dimensions, 0 to 5, in the Council's order (see [`DIMENSION_NAMES`]).
    pub dimensions: [u8; 7],
    /// Member States hit, by code.
    pub victims: Vec<String>,
    /// Who the EU's shared assessment points at.
    pub suspect: String,
    /// Its pooled probability.
    pub probability: f64,
    /// The same in estimative language.
    pub confidence: Confidence,
    /// Each Member State's own reading, in protocol order.
    pub national: Vec<NationalView>,
}

/// One Member State on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateCell {
    /// Code.
    pub code: String,
    /// Short name.
    pub name: String,
    /// Exposure to malicious cyber activity, 0 to 1.
    pub exposure: f64,
    /// Firmness towards the suspect of the most severe active incident, -1 to 1.
    pub stance: f64,
    /// Hit by an incident still unfolding.
    pub hit: bool,
    /// Its ballot in the last Council vote of the turn, if one was held.
    pub ballot: Option<Ballot>,
    /// Whether a person holds its seat.
    pub held: bool,
}

/// A decided measure waiting for its lead time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingCard {
    /// Measure name.
    pub measure: String,
    /// Incident it answers.
    pub incident: Option<String>,
    /// Turn it takes effect.
    pub due: u32,
}

/// A Council file on its way through the machinery: where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileCard {
    /// Measure name.
    pub measure: String,
    /// Incident it answers.
    pub incident: Option<String>,
    /// Its stages, each with the turn it ends (holds not counted), and the index of the one
    /// it is in.
    pub stages: Vec<(crate::toolbox::Stage, u32)>,
    /// Index of the stage it is in.
    pub stage: usize,
    /// Where it stands, in words: `PSC (until turn 9)`, or who holds it and until when.
    pub whereabouts: String,
    /// Whether a Member State holds it.
    pub held: bool,
    /// Whether it is a review of a decision in force.
    pub review: bool,
    /// Turn it is expected to be adopted; `None` for a text drafted for partners' public day,
    /// adopted when they speak.
    pub adoption: Option<u32>,
}

/// A third country's name from its code, as the actors file gives it ("Ukraine").
fn third_country_name(sim: &Simulation, code: &str) -> String {
    sim.actors()
        .third_countries
        .iter()
        .find(|c| c.code == code)
        .map_or_else(|| code.to_owned(), |c| c.name.clone())
}

/// One thing that surfaced: an inject or an adversary's answer, with its turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryItem {
    /// The turn it surfaced.
    pub turn: u32,
    /// Its headline.
    pub headline: String,
    /// For an adversary's answer to an EU measure, the answer.
    pub reaction: Option<ReactionRecord>,
}

/// Everything on the board after a turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Board {
    /// Scenario title.
    pub title: String,
    /// Turns played so far (0 before the first).
    pub turn: u32,
    /// The scenario's last turn.
    pub last_turn: u32,
    /// Exercise time at the start of the turn just played (or of turn 1), as `D+n H+m`.
    pub clock: String,
    /// The same as a real date.
    pub date: String,
    /// The Member State holding the Council Presidency, by name.
    pub presidency: String,
    /// Escalation, 0 to 9.
    pub escalation: f64,
    /// The rung it stands on (not sent over the network: a delegation's desk reads it off the
    /// escalation, see [`Board::with_rung`]).
    #[serde(skip)]
    pub rung: &'static str,
    /// Misperception (how far the adversaries misread the EU's intent), 0 to 1.
    pub misperception: f64,
    /// The adversaries' perceived resolve of the EU, 0 to 1.
    pub perceived_resolve: f64,
    /// EU cohesion, 0 to 1.
    pub cohesion: f64,
    /// Shared situational awareness, 0 to 1.
    pub awareness: f64,
    /// (turn, escalation, misperception, perceived resolve, cohesion) from the start (turn 0) to
    /// now.
    pub series: Vec<(u32, f64, f64, f64, f64)>,
    /// Every incident so far, newest first.
    pub incidents: Vec<IncidentCard>,
    /// The 27 Member States in protocol order.
    pub states: Vec<StateCell>,
    /// Injects that fired in the turn just played.
    pub injects: Vec<InjectRecord>,
    /// Proposals of the turn just played and what became of them.
    pub decisions: Vec<DecisionRecord>,
    /// Council votes of the turn just played.
    pub votes: Vec<VoteRecord>,
    /// How the adversaries answered the EU's measures in the turn just played.
    pub reactions: Vec<ReactionRecord>,
    /// Everything that surfaced so far, newest first: each turn's injects and the adversaries'
    /// answers, with the turn each surfaced, so that a turn played in a hurry loses nothing.
    pub story: Vec<StoryItem>,
    /// Statements the Presidency redrafted a rung lower in the turn just played.
    pub amendments: Vec<crate::outcome::AmendmentRecord>,
    /// Measures decided and not yet in effect.
    pub pending: Vec<PendingCard>,
    /// Council files in the machinery, in the order tabled.
    pub files: Vec<FileCard>,
    /// The phase of the exercise the next turn belongs to, with its questions.
    pub phase: Option<(String, Vec<String>)>,
    /// How it ended, once it has.
    pub outcome: Option<Outcome>,
    /// What players read in place of ids (measures and incidents).
    pub names: crate::outcome::Names,
    /// The adversaries of the scenario: (id, name).
    pub adversaries: Vec<(String, String)>,
}

impl Board {
    /// The board as received from the host: the rung named again from the escalation.
    pub fn with_rung(mut self) -> Self {
        self.rung = rung_label(self.escalation);
        self
    }

    /// A measure's name in the Toolbox (its id when unknown).
    pub fn measure_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.names.measure(id)
    }

    /// An incident as players name it: its headline in quotes (its id when unknown).
    pub fn incident_name(&self, id: &str) -> String {
        self.names.incident(id)
    }

    /// An adversary's name (its id when unknown).
    pub fn adversary_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.adversaries
            .iter()
            .find(|(i, _)| i == id)
            .map_or(id, |(_, name)| name.as_str())
    }

    /// A measure's name with the rung of the ladder of wordings it is drafted at, when one is
    /// named: `Declaration ... naming those responsible (from the territory of)`.
    pub fn worded_name(&self, measure: &str, wording: Option<&str>) -> String {
        self.names.worded(measure, wording)
    }

    /// A decision as players read it: names, not ids, and the wording it was drafted at.
    pub fn describe(&self, d: &DecisionRecord) -> String {
        let incident = d.decision.incident.as_deref().map(|i| self.incident_name(i));
        let name = self.worded_name(&d.decision.measure, d.decision.wording.as_deref());
        d.describe_as(&name, incident.as_deref())
    }
}

impl Board {
    /// Reads the board off a simulation of `scenario`.
    pub fn read(sim: &Simulation, scenario: &Scenario) -> Board {
        let world = sim.world();
        let clock = world.resource::<TurnClock>();
        let crisis = world.resource::<Crisis>();
        let roster = world.resource::<Roster>();
        let survey = world.resource::<Survey>();
        let seats = world.resource::<Seats>();
        let toolbox = world.resource::<Toolbox>();
        let records = sim.records();
        let shown_turn = clock.turn.max(1);
        let (relative, date) = clock.calendar.time(shown_turn);
        let (misperception, perceived_resolve) = sim.start_readings();
        let mut series = vec![(
            0,
            scenario.initial.escalation,
            misperception,
            perceived_resolve,
            scenario.initial.cohesion,
        )];
        series.extend(
            records
                .iter()
                .map(|r| (r.turn, r.escalation, r.misperception, r.perceived_resolve, r.cohesion)),
        );
        // Headlines and dimensions live on the incident entities: read them in one pass.
        let entities: std::collections::BTreeMap<&str, (&str, [u8; 7])> = world
            .iter_entities()
            .filter_map(|e| Some((e.get::<Incident>()?, e.get::<Severity>()?)))
            .map(|(i, s)| (&*i.id, (i.title.as_str(), s.0)))
            .collect();
        let mut incidents: Vec<IncidentCard> = survey
            .0
            .iter()
            .map(|view| {
                let spec = scenario
                    .injects
                    .iter()
                    .chain(&scenario.pool)
                    .find(|i| *i.id == *view.id);
                let (title, dimensions) = entities.get(&*view.id).copied().unwrap_or((&view.id, [0; 7]));
                IncidentCard {
                    id: view.id.to_string(),
                    title: title.to_owned(),
                    description: spec.map(|s| s.description.clone()).unwrap_or_default(),
                    turn: view.turn,
                    active: view.active(clock.turn),
                    in_play: view.in_play(clock.turn),
                    also_hit: spec
                        .and_then(|s| s.incident.as_ref())
                        .map(|i| i.third_countries.iter().map(|c| third_country_name(sim, c)).collect())
                        .unwrap_or_default(),
                    partners: spec
                        .map(|s| s.partners.iter().map(|c| third_country_name(sim, c)).collect())
                        .unwrap_or_default(),
                    severity: view.severity,
                    dimensions,
                    victims: view.victims.iter().map(|v| roster.codes[*v].to_string()).collect(),
                    suspect: view.suspect_name.clone(),
                    probability: view.assessment.probability,
                    confidence: view.confidence(),
                    national: view
                        .nationals()
                        .enumerate()
                        .map(|(state, (candidate, p))| NationalView {
                            code: roster.codes[state].to_string(),
                            suspect: roster.candidate_name(candidate).to_owned(),
                            probability: p,
                            confidence: Confidence::of(p),
                        })
                        .collect(),
                }
            })
            .collect();
        incidents.reverse();
        // The suspect of the most severe active incident is whom stances are read towards.
        let focus = survey
            .0
            .iter()
            .filter(|v| v.active(clock.turn))
            .max_by(|a, b| a.severity.total_cmp(&b.severity))
            .map(|v| v.assessment.candidate)
            .filter(|c| *c + 1 < roster.candidates());
        let last_votes: &[VoteRecord] = records.last().map_or(&[], |r| r.votes.as_slice());
        let states = roster
            .member_states
            .iter()
            .enumerate()
            .map(|(index, entity)| {
                let e = world.entity(*entity);
                let code = roster.codes[index].to_string();
                StateCell {
                    name: e.get::<MemberState>().map_or_else(|| code.clone(), |m| m.name.clone()),
                    exposure: e.get::<Exposure>().map_or(0.0, |x| x.0),
                    stance: match (e.get::<Attitudes>(), focus) {
                        (Some(a), Some(f)) => a.stance[f],
                        (Some(a), None) => a.stance.iter().sum::<f64>() / a.stance.len().max(1) as f64,
                        _ => 0.0,
                    },
                    hit: survey
                        .0
                        .iter()
                        .any(|v| v.active(clock.turn) && v.victims.contains(&index)),
                    ballot: last_votes
                        .last()
                        .and_then(|v| v.ballots.get(index))
                        .map(|(_, b)| b.clone()),
                    held: seats.holds_state(&code),
                    code,
                }
            })
            .collect();
        let pending = world
            .resource::<PendingMeasures>()
            .0
            .iter()
            .map(|p| PendingCard {
                measure: toolbox.get(p.measure).name.clone(),
                incident: p.incident.clone(),
                due: p.due,
            })
            .collect();
        let files = sim
            .files()
            .iter()
            .map(|f| FileCard {
                measure: toolbox.get(f.measure).name.clone(),
                incident: f.decision.incident.clone(),
                stages: f.steps.clone(),
                stage: f.stage,
                // A review waits for its day; it is not at COREPER until the week before.
                whereabouts: if f.review && !f.held() && clock.turn < f.steps[0].1 {
                    let (_, date) = clock.calendar.time(f.adoption());
                    format!("comes back to the Council for review on turn {} ({date})", f.adoption())
                } else {
                    f.whereabouts()
                },
                held: f.held(),
                review: f.review,
                adoption: (!f.embargo).then(|| f.adoption()),
            })
            .collect();
        let next = clock.turn + 1;
        let phase = scenario
            .phases
            .iter()
            .find(|p| (p.from..=p.to).contains(&next.min(clock.last_turn)))
            .map(|p| (format!("{} ({:?} module)", p.name, p.module), p.questions.clone()));
        let last = records.last();
        Board {
            title: scenario.title.clone(),
            turn: clock.turn,
            last_turn: clock.last_turn,
            clock: relative,
            presidency: roster
                .council
                .and_then(|c| world.get::<crate::actors::Council>(c))
                .and_then(|c| roster.member_states.get(c.presidency))
                .and_then(|e| world.get::<MemberState>(*e))
                .map(|m| m.name.clone())
                .unwrap_or_default(),
            date,
            escalation: crisis.escalation,
            rung: rung_label(crisis.escalation),
            misperception: crisis.misperception,
            perceived_resolve: crisis.perceived_resolve,
            cohesion: crisis.cohesion,
            awareness: crisis.shared_awareness,
            series,
            incidents,
            states,
            injects: last.map(|r| r.injects.clone()).unwrap_or_default(),
            decisions: last.map(|r| r.decisions.clone()).unwrap_or_default(),
            votes: last_votes.to_vec(),
            reactions: last.map(|r| r.reactions.clone()).unwrap_or_default(),
            story: records
                .iter()
                .rev()
                .flat_map(|r| {
                    let injects = r.injects.iter().map(|i| StoryItem {
                        turn: r.turn,
                        headline: i.title.clone(),
                        reaction: None,
                    });
                    let reactions = r.reactions.iter().map(|a| StoryItem {
                        turn: r.turn,
                        headline: a.headline.clone(),
                        reaction: Some(a.clone()),
                    });
                    injects.chain(reactions).collect::<Vec<_>>()
                })
                .collect(),
            amendments: last.map(|r| r.amendments.clone()).unwrap_or_default(),
            pending,
            files,
            phase,
            outcome: sim.outcome().cloned(),
            names: crate::outcome::Names::of(toolbox, sim.records()),
            adversaries: roster
                .adversary_ids
                .iter()
                .cloned()
                .zip(roster.candidate_names.iter().map(|name| name.to_string()))
                .collect(),
        }
    }
}
