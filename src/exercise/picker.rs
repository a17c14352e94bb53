//! The Toolbox measure picker: every measure by family, and for each whether it can be proposed
//! for the next turn and, when not, why, in the words of the eligibility rules the Council
//! procedure itself applies.

use crate::Simulation;
use crate::actors::{Council, Roster};
use crate::council::{Moment, acting_state, eligibility};
use crate::decisions::{History, Seats, Survey};
use crate::scenario::StoryTime;
use crate::toolbox::{Decider, Family, Rule, Toolbox};
use crate::turn::TurnClock;

/// One measure as the picker shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MeasureOption {
    /// Measure id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Family.
    pub family: Family,
    /// Who decides, in words.
    pub decided_by: String,
    /// The rule it is decided by.
    pub rule: Rule,
    /// Story time from tabling to effect.
    pub lead_time: StoryTime,
    /// Turns that is at this scenario's turn length.
    pub lead_turns: u32,
    /// What it is.
    pub description: String,
    /// Legal basis.
    pub legal_basis: String,
    /// The Member State that would act, for national measures.
    pub acting: Option<String>,
    /// `None` when it can be proposed now (at one rung at least, for a statement), else why not.
    pub blocked: Option<String>,
    /// For a statement of who is responsible, its ladder of wordings, lowest rung first.
    pub rungs: Vec<RungOption>,
}

/// One rung of a statement's wording as the picker shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RungOption {
    /// Rung id (`territory`, `state`...).
    pub id: String,
    /// The text as it would be published, naming the EU assessment's suspect.
    pub text: String,
    /// The shared confidence it needs, 0 to 1.
    pub min_confidence: f64,
    /// The real statement that used it.
    pub precedent: String,
    /// `None` when it can be proposed now, else why not.
    pub blocked: Option<String>,
}

impl RungOption {
    /// The rung in a few words, as the picker's buttons name it: "from the territory of".
    pub fn label(&self) -> &str {
        crate::toolbox::wording_label(&self.id)
    }

    /// What it needs, for its button: "needs 55%", or "needs no attribution" for a rung that
    /// names no one.
    pub fn needs(&self) -> String {
        if self.min_confidence <= 0.0 {
            "needs no attribution".to_owned()
        } else {
            format!("needs {:.0}%", self.min_confidence * 100.0)
        }
    }
}

impl MeasureOption {
    /// What the picker says under the name: who decides, what it needs, when it bites.
    pub fn terms(&self) -> String {
        let who = match (&self.acting, self.rule) {
            (Some(code), _) => format!("decided by {code}"),
            (None, Rule::Consensus) => "needs the consensus of all Member States (one objection stops it)".to_owned(),
            (None, Rule::Unanimity) => "needs unanimity in the Council (constructive abstention possible)".to_owned(),
            (None, _) => format!("decided by the {}", self.decided_by),
        };
        let when = match self.lead_turns {
            0 => format!("takes effect within the turn ({})", self.lead_time),
            1 => format!("takes effect after 1 turn ({})", self.lead_time),
            n => format!("takes effect after {n} turns ({})", self.lead_time),
        };
        format!("{who}; {when}")
    }
}

/// The measures for a proposal answering `incident` (an incident id) at the next turn, with
/// `acting` the Member State that would act for national measures (else the victim most
/// confident in its own attribution, as the procedure chooses).
pub fn options(sim: &Simulation, incident: Option<&str>, acting: Option<&str>) -> Vec<MeasureOption> {
    let world = sim.world();
    let toolbox = world.resource::<Toolbox>();
    let roster = world.resource::<Roster>();
    let survey = world.resource::<Survey>();
    let history = world.resource::<History>();
    let clock = world.resource::<TurnClock>();
    let presidency = roster
        .council
        .and_then(|c| world.entity(c).get::<Council>())
        .map_or(0, |c| c.presidency);
    let seats = world.resource::<Seats>();
    let view = incident.and_then(|id| survey.0.iter().find(|v| &*v.id == id));
    // National measures are taken by the Member State named, else by a State people hold (one
    // hit by the incident first), else by the victim most confident in its own attribution.
    let held: Vec<usize> = roster
        .codes
        .iter()
        .enumerate()
        .filter(|(_, code)| seats.holds_state(code))
        .map(|(i, _)| i)
        .collect();
    let named = acting.and_then(|code| roster.state_index(code)).or_else(|| {
        held.iter()
            .find(|i| view.is_some_and(|v| v.victims.contains(i)))
            .or(held.first())
            .copied()
    });
    let acting_index = acting_state(named, view, presidency);
    let acting_code = &roster.codes[acting_index];
    // The proposal will be decided in the next turn.
    let moment = Moment::at(clock, clock.turn + 1, history);
    let mut out: Vec<MeasureOption> = toolbox
        .measures
        .iter()
        .map(|m| {
            // What stops the measure whatever its wording, then what stops a given rung.
            let incident_id = incident.unwrap_or_default();
            let barred = if !clock.running() {
                Some("the exercise is over".to_owned())
            } else if !seats.0.is_empty() && !seats.may_table(m, acting_code) {
                Some(not_held(m.decided_by, acting_code))
            } else if history.tried(incident_id, &m.id) {
                // A measure that answers no incident (a framework) was tried as such.
                let this = if incident.is_some() { " for this incident" } else { "" };
                Some(match history.adopted.get(incident_id) {
                    Some(set) if set.contains(&m.id) => format!("already adopted{this}"),
                    _ if history.in_machinery(incident_id, &m.id) => {
                        format!("already on its way through the Council machinery{this}")
                    }
                    _ => format!("the Council already blocked it{this}"),
                })
            } else {
                None
            };
            let at_rung = |rung: Option<&crate::toolbox::Wording>| {
                barred.clone().or_else(|| {
                    if rung.is_some_and(|w| history.tried_at(incident_id, &m.id, Some(&w.id))) {
                        return Some("the Council already refused this wording for this incident".to_owned());
                    }
                    eligibility(m, rung, view, acting_index, acting_code, roster.candidates(), &moment)
                        .err()
                        .map(|why| why.to_string())
                })
            };
            let blocked = at_rung(toolbox.wording(m, None).ok().flatten());
            // A Member State speaking for itself names whom its own assessment points at.
            let national = m.decided_by == Decider::MemberState;
            let suspect = view.map_or("those responsible", |v| {
                let candidate = if national {
                    v.nationals().nth(acting_index).map_or(v.assessment.candidate, |n| n.0)
                } else {
                    v.assessment.candidate
                };
                if candidate + 1 < roster.candidates() {
                    roster.adversary_name(candidate)
                } else {
                    "those responsible"
                }
            });
            let speaker = national
                .then(|| roster.state_names.get(acting_index))
                .flatten()
                .map(String::as_str);
            let partners = view.map_or(String::new(), |v| crate::toolbox::enumerate(&v.partners));
            let rungs: Vec<RungOption> = toolbox
                .rungs(m)
                .map(|w| {
                    let rung_blocked = at_rung(Some(w));
                    RungOption {
                        id: w.id.to_string(),
                        text: w.published(
                            suspect,
                            if partners.is_empty() { "our partners" } else { &partners },
                            crate::toolbox::Speaker::of(m.decided_by, speaker),
                        ),
                        min_confidence: w.min_confidence,
                        precedent: w.precedent.clone(),
                        blocked: rung_blocked,
                    }
                })
                .collect();
            // A statement can be proposed if one of its rungs can.
            let blocked = if rungs.iter().any(|r| r.blocked.is_none()) {
                None
            } else {
                blocked
            };
            MeasureOption {
                id: m.id.clone(),
                name: m.name.clone(),
                family: m.family,
                decided_by: m.decided_by.label().to_owned(),
                rule: m.rule,
                lead_time: m.lead_time,
                lead_turns: clock.calendar.due(clock.turn + 1, m.lead_time) - (clock.turn + 1),
                description: m.description.clone(),
                legal_basis: m.legal_basis.clone(),
                acting: (m.decided_by == Decider::MemberState).then(|| acting_code.to_string()),
                blocked,
                rungs,
            }
        })
        .collect();
    out.sort_by_key(|o| o.family);
    out
}

/// Why people at the table cannot table a measure: the seat that tables it is the engine's.
fn not_held(decider: Decider, acting: &str) -> String {
    match decider {
        Decider::Council => {
            "Council files are tabled by the High Representative or the Presidency; the engine holds both here"
                .to_owned()
        }
        Decider::HighRepresentative => {
            "the High Representative takes it, and the engine holds that seat here".to_owned()
        }
        Decider::Presidency => "the Presidency takes it, and the engine holds that seat here".to_owned(),
        Decider::Commission => "the Commission takes it, and the engine holds that seat here".to_owned(),
        Decider::MemberState => format!("{acting} would take it, and the engine plays {acting} here"),
        Decider::CsirtsNetwork | Decider::EuCyclone => {
            "the Member States' agencies take it; hold a Member State or the Presidency to table it".to_owned()
        }
    }
}
