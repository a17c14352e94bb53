//! Taking each proposal through the procedure its measure requires.

use super::eligibility::{Moment, acting_state, eligibility};
use super::vote::{Ballot, VoteLog, VoteRecord, VoteWeights, cast_ballot, passes};
use crate::actors::{Attitudes, Council, Exposure, PlayerSeat, Roster};
use crate::decisions::{Decision, History, IncidentView, Proposals, Situation};
use crate::dynamics::Crisis;
use crate::outcome::TurnLog;
use crate::toolbox::{Decider, MeasureId, Toolbox};
use crate::turn::{Stream, Streams, TurnClock};
use bevy::prelude::*;
use serde::{Deserialize, Serialize};

/// Tolerance above the incident's severity within which a response still counts as proportionate.
pub const PROPORTIONALITY_TOLERANCE: f64 = 0.15;
/// Cohesion lost when the Council fails to agree.
const BLOCKED_COHESION_LOSS: f64 = 0.06;

/// A measure decided and waiting for its lead time to run out.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingMeasure {
    /// The measure.
    pub measure: MeasureId,
    /// Incident it answers.
    pub incident: Option<String>,
    /// Adversary it names, if it names one.
    pub named: Option<usize>,
    /// Confidence in the named party at decision time, 0 to 1.
    pub confidence: f64,
    /// How united the EU was behind it, 0 to 1.
    pub unity: f64,
    /// How far it exceeded a proportionate response, 0 to 1.
    pub disproportion: f64,
    /// Member State acting, for national measures.
    pub acting: Option<usize>,
    /// Turn at which it takes effect.
    pub due: u32,
}

/// Measures decided and not yet in effect, in order of decision.
#[derive(Resource, Debug, Clone, Default)]
pub struct PendingMeasures(pub Vec<PendingMeasure>);

/// What became of a proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Verdict {
    /// Decided; takes effect at the given turn.
    Adopted {
        /// Turn of effect.
        effective: u32,
    },
    /// The Council did not agree.
    Blocked,
    /// It could not be taken, and why.
    Rejected(String),
}

/// One proposal and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionRecord {
    /// The proposal.
    pub decision: Decision,
    /// Who decided.
    pub decided_by: String,
    /// The outcome.
    pub verdict: Verdict,
}

impl DecisionRecord {
    /// The proposal and its fate in one line, as tables and reports print it:
    /// `eu_declaration on outbreak: adopted by Council (consensus), effective turn 4`.
    pub fn describe(&self) -> String {
        self.describe_as(&self.decision.measure, self.decision.incident.as_deref())
    }

    /// The same line with the measure and the incident called by the names players read (the
    /// measure's name in the Toolbox, the incident's headline).
    pub fn describe_as(&self, name: &str, incident: Option<&str>) -> String {
        let what = match &self.verdict {
            Verdict::Adopted { effective } => format!("adopted by {}, effective turn {effective}", self.decided_by),
            Verdict::Blocked => format!("blocked in the {}", self.decided_by),
            Verdict::Rejected(why) => format!("not possible: {why}"),
        };
        let on = incident.map(|i| format!(" on {i}")).unwrap_or_default();
        format!("{name}{on}: {what}")
    }
}

/// Resolves one proposal's measure and incident, with the acting Member State.
struct Resolved<'a> {
    id: MeasureId,
    view: Option<&'a IncidentView>,
    acting: usize,
}

fn resolve<'a>(
    decision: &Decision,
    toolbox: &Toolbox,
    views: &'a [IncidentView],
    roster: &Roster,
    presidency: usize,
) -> Result<Resolved<'a>, String> {
    let id = toolbox
        .find(&decision.measure)
        .ok_or_else(|| format!("no measure \"{}\" in the Toolbox", decision.measure))?;
    let view = match &decision.incident {
        Some(incident) => Some(
            views
                .iter()
                .find(|v| &v.id == incident)
                .ok_or_else(|| format!("no incident \"{incident}\" so far"))?,
        ),
        None => None,
    };
    let named = match &decision.by {
        Some(code) => Some(
            roster
                .state_index(code)
                .ok_or_else(|| format!("no Member State \"{code}\""))?,
        ),
        None => None,
    };
    Ok(Resolved {
        id,
        view,
        acting: acting_state(named, view, presidency),
    })
}

/// Every proposal of the turn goes through its procedure, in order.
pub(super) fn decide(
    clock: Res<TurnClock>,
    toolbox: Res<Toolbox>,
    situation: Situation,
    proposals: Res<Proposals>,
    councils: Query<&Council>,
    states: Query<(&Attitudes, &Exposure, Has<PlayerSeat>)>,
    positions: Res<super::Positions>,
    mut history: ResMut<History>,
    mut pending: ResMut<PendingMeasures>,
    mut votes: ResMut<VoteLog>,
    mut log: ResMut<TurnLog>,
    mut crisis: ResMut<Crisis>,
    mut streams: ResMut<Streams>,
) {
    let roster = situation.roster();
    let Some(council) = roster.council.and_then(|c| councils.get(c).ok()) else {
        return;
    };
    let views = situation.views();
    for decision in &proposals.0 {
        let resolved = match resolve(decision, &toolbox, views, roster, council.presidency) {
            Ok(r) => r,
            Err(why) => {
                log.decisions.push(DecisionRecord {
                    decision: decision.clone(),
                    decided_by: "nobody".into(),
                    verdict: Verdict::Rejected(why),
                });
                continue;
            }
        };
        let measure = toolbox.get(resolved.id);
        let decided_by = match measure.decided_by {
            Decider::MemberState => roster.codes[resolved.acting].to_string(),
            Decider::Council => format!("Council ({})", measure.rule.code()),
            other => other.label().to_owned(),
        };
        let moment = Moment::at(&clock, clock.turn, &history);
        let candidates = roster.candidates();
        let acting_code = &roster.codes[resolved.acting];
        if let Err(why) = eligibility(
            measure,
            resolved.view,
            resolved.acting,
            acting_code,
            candidates,
            &moment,
        ) {
            log.decisions.push(DecisionRecord {
                decision: decision.clone(),
                decided_by,
                verdict: Verdict::Rejected(why.to_string()),
            });
            continue;
        }
        let (candidate, confidence) = match resolved.view {
            Some(v) if measure.decided_by == Decider::MemberState => v.national[resolved.acting],
            Some(v) => (v.assessment.candidate, v.assessment.probability),
            None => (candidates - 1, 0.0),
        };
        let severity = resolved
            .view
            .map_or(0.0, |v| crate::decisions::campaign_severity(views, v, clock.turn));
        let disproportion = (measure.intensity - severity - PROPORTIONALITY_TOLERANCE).max(0.0);
        let adversary = (candidate + 1 < candidates).then_some(candidate);
        let mut unity = match measure.decided_by {
            Decider::Council => 1.0,
            Decider::HighRepresentative => 0.7,
            Decider::Presidency | Decider::Commission | Decider::CsirtsNetwork | Decider::EuCyclone => 0.6,
            Decider::MemberState => 0.45,
        };
        if measure.rule.voted() {
            let ballots: Vec<(std::sync::Arc<str>, Ballot)> = roster
                .member_states
                .iter()
                .enumerate()
                .map(|(index, entity)| {
                    let Ok((attitudes, exposure, player)) = states.get(*entity) else {
                        return (roster.codes[index].clone(), Ballot::For);
                    };
                    // A Member State held by people votes as they decided when the file was
                    // tabled (or as their standing line on the measure); silence is assent.
                    if player {
                        let ballot = positions.ballot(
                            clock.turn,
                            &roster.codes[index],
                            &measure.id,
                            decision.incident.as_deref(),
                        );
                        return (roster.codes[index].clone(), ballot);
                    }
                    let weights = VoteWeights {
                        stance: adversary.map_or(0.5, |a| attitudes.stance[a]),
                        exposure: exposure.0,
                        victim: resolved.view.is_some_and(|v| v.victims.contains(&index)),
                        own_confidence: resolved
                            .view
                            .filter(|_| measure.names_perpetrator)
                            .and_then(|v| adversary.map(|_| v.national_probability(index, candidate))),
                        required: measure.attribution.map_or(0.0, |c| c.threshold()),
                        ties: adversary.map_or(0.0, |a| attitudes.ties[a]),
                        cost: measure.cost,
                        disproportion,
                        cohesion: crisis.cohesion,
                        adversary: adversary
                            .map_or("the perpetrators".to_owned(), |a| roster.adversary_names[a].clone()),
                    };
                    let noise = streams.normal(Stream::Votes);
                    (roster.codes[index].clone(), cast_ballot(&weights, noise))
                })
                .collect();
            let adopted = passes(measure.rule, &ballots, &roster.populations);
            let record = VoteRecord {
                turn: clock.turn,
                measure: measure.id.clone(),
                incident: decision.incident.clone(),
                rule: measure.rule,
                adopted,
                ballots,
            };
            let (_, abstained, _) = record.tally();
            let abstain_share = abstained as f64 / roster.member_states.len() as f64;
            votes.0.push(record.clone());
            log.votes.push(record);
            if !adopted {
                crisis.cohesion_shift -= BLOCKED_COHESION_LOSS;
                if let Some(incident) = &decision.incident {
                    history.block(incident, &measure.id);
                }
                log.decisions.push(DecisionRecord {
                    decision: decision.clone(),
                    decided_by,
                    verdict: Verdict::Blocked,
                });
                continue;
            }
            // Abstainers stand aside (under unanimity they need not apply the decision; under
            // consensus they stayed silent), and the signal carries less weight for it.
            unity -= 0.5 * abstain_share;
        }
        let due = clock.calendar.due(clock.turn, measure.lead_time);
        pending.0.push(PendingMeasure {
            measure: resolved.id,
            incident: decision.incident.clone(),
            named: adversary.filter(|_| measure.names_perpetrator),
            confidence,
            unity,
            disproportion,
            acting: (measure.decided_by == Decider::MemberState).then_some(resolved.acting),
            due,
        });
        history.adopt(decision.incident.as_deref().unwrap_or_default(), &measure.id);
        log.decisions.push(DecisionRecord {
            decision: decision.clone(),
            decided_by,
            verdict: Verdict::Adopted { effective: due },
        });
    }
}
