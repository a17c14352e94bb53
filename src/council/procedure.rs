//! Taking each proposal through the procedure its measure requires.

use super::eligibility::{Moment, acting_state, eligibility};
use super::machinery::{File, Files, Hold};
use super::vote::{Ballot, Reason, VoteLog, VoteRecord, VoteWeights, cast_ballot, passes};
use crate::actors::{Attitudes, Council, Exposure, PlayerSeat, Roster};
use crate::decisions::{Decision, History, IncidentView, Naming, Proposals, Situation};
use crate::outcome::TurnLog;
use crate::state::Crisis;
use crate::toolbox::{Decider, Kind, MeasureData, MeasureId, Stage, Toolbox};
use crate::turn::{Stream, Streams, TurnClock};
use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Tolerance above the incident's severity within which a response still counts as proportionate.
pub const PROPORTIONALITY_TOLERANCE: f64 = 0.15;
/// Cohesion lost when the Council fails to agree: a lone veto is public and costs the others'
/// goodwill.
const BLOCKED_COHESION_LOSS: f64 = 0.06;
/// Cohesion lost for each further Member State objecting: a split is worse than a lone veto.
const SPLIT_COHESION_LOSS: f64 = 0.02;
/// Share of the price a file withdrawn in the Presidency's soundings or the working party costs:
/// the disagreement stays among diplomats.
const DISCREET_SHARE: f64 = 0.3;
/// Share of its belief in EU resolve the adversary behind the incident loses when the Council
/// fails to agree on answering it: it reads division.
const DIVISION_READ: f64 = 0.1;

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
    /// The strength of its wording's rung, 0 to 1 (1 for a measure that is not worded).
    pub strength: f64,
    /// Partners who publicly named the same party: a coordinated, co-signed attribution.
    pub cosigners: usize,
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
    /// A Council file entered the machinery; its adoption is expected at the given turn.
    Tabled {
        /// Turn its path ends, holds not counted.
        adoption: u32,
        /// Whether it is drafted for partners' public day: adopted when they name the party in
        /// public, not at its path's end ([`File::embargo`]).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        partners_day: bool,
    },
    /// The Council did not agree: held at a stage and withdrawn, or refused at the decision.
    Blocked {
        /// The stage it stopped at.
        at: Stage,
    },
    /// A decision in force renewed at its review.
    Renewed,
    /// A decision in force that was not renewed at its review, and lapsed.
    Lapsed {
        /// The stage it stopped at.
        at: Stage,
    },
    /// It could not be taken, and why.
    Rejected(String),
    /// A text drafted for partners' public day, withdrawn without a vote because the day did
    /// not come before the incident left political play.
    Shelved,
}

/// Where an embargoed text stands against the partners' public day.
enum PartnersDay {
    /// The party has been named in public: the text goes to its decision.
    Come,
    /// Not yet: the text waits at its last stage.
    Awaited,
    /// The incident's political window closed first: the text is shelved.
    Passed,
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
    /// Whether it records a proposal of the turn (tabled, decided at once, or refused) rather
    /// than the outcome of a file in the Council machinery (adopted, blocked, renewed, lapsed at
    /// the end of its path): replays keep the proposals and let the machinery do the rest.
    pub proposal: bool,
    /// For a statement adopted at a rung of the ladder of wordings, the text as published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
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
        let on = incident.map(|i| format!(" on {i}")).unwrap_or_default();
        format!("{name}{on}: {}", self.fate())
    }

    /// What became of it, in words: `adopted by the Council (consensus), effective turn 4`; a
    /// Member State that decided is named (`adopted by Netherlands`), not coded.
    pub fn fate(&self) -> String {
        let by = crate::actors::state_name(&self.decided_by);
        let stopped = |at: &Stage| {
            if at.adopts() {
                format!("refused in the {by}")
            } else {
                format!("held in the {} and withdrawn ({by})", at.short())
            }
        };
        match &self.verdict {
            Verdict::Adopted { effective } => format!("adopted by {by}, effective turn {effective}"),
            Verdict::Tabled { partners_day: true, .. } => {
                "tabled in the Council machinery for partners' public day: adopted when they name the party in public"
                    .to_owned()
            }
            Verdict::Tabled { adoption, .. } => {
                format!("tabled in the Council machinery, adoption expected turn {adoption}")
            }
            Verdict::Blocked { at } => stopped(at),
            Verdict::Renewed => format!("renewed at its review by the {by}"),
            Verdict::Lapsed { at } => format!("lapsed at its review: {}", stopped(at)),
            Verdict::Rejected(why) => format!("not possible: {why}"),
            Verdict::Shelved => {
                "shelved without a vote: drafted for partners' public attribution, which did not come".to_owned()
            }
        }
    }
}

impl Verdict {
    /// Whether the Council stopped the file (blocked, or not renewed).
    pub fn stopped(&self) -> bool {
        matches!(self, Verdict::Blocked { .. } | Verdict::Lapsed { .. })
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
                .find(|v| *v.id == **incident)
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

/// The world a decision is taken in: the situation, the Member States, their positions and the
/// run's records.
#[derive(SystemParam)]
pub(super) struct Chamber<'w, 's> {
    clock: Res<'w, TurnClock>,
    toolbox: Res<'w, Toolbox>,
    situation: Situation<'w>,
    councils: Query<'w, 's, &'static Council>,
    states: Query<'w, 's, (&'static Attitudes, &'static Exposure, Has<PlayerSeat>)>,
    positions: Res<'w, super::Positions>,
    history: ResMut<'w, History>,
    pending: ResMut<'w, PendingMeasures>,
    files: ResMut<'w, Files>,
    votes: ResMut<'w, VoteLog>,
    log: ResMut<'w, TurnLog>,
    crisis: ResMut<'w, Crisis>,
    streams: ResMut<'w, Streams>,
    perpetrators: Query<
        'w,
        's,
        (
            &'static crate::incidents::Incident,
            &'static crate::incidents::Perpetrator,
        ),
    >,
    beliefs: Query<'w, 's, &'static mut crate::actors::Beliefs>,
}

/// What a measure says about the incident it answers, read when it is decided.
struct Reading {
    /// The candidate the assessment points at, `candidates - 1` for "another actor".
    candidate: usize,
    /// Confidence in it, 0 to 1.
    confidence: f64,
    /// The adversary it points at, if a known one.
    adversary: Option<usize>,
    /// How far the measure exceeds a proportionate response, 0 to 1.
    disproportion: f64,
}

fn read(
    measure: &MeasureData,
    view: Option<&IncidentView>,
    views: &[IncidentView],
    acting: usize,
    candidates: usize,
    turn: u32,
) -> Reading {
    let (candidate, confidence) = match view {
        Some(v) if measure.decided_by == Decider::MemberState => v.national(acting),
        Some(v) => (v.assessment.candidate, v.assessment.probability),
        None => (candidates - 1, 0.0),
    };
    let severity = view.map_or(0.0, |v| crate::decisions::campaign_severity(views, v, turn));
    Reading {
        candidate,
        confidence,
        adversary: (candidate + 1 < candidates).then_some(candidate),
        disproportion: (measure.intensity - severity - PROPORTIONALITY_TOLERANCE).max(0.0),
    }
}

/// What a statement says once adopted at its rung of the ladder of wordings.
struct Worded {
    /// The adversary it points at, if its rung names one.
    named: Option<usize>,
    /// The rung's strength (1 for a measure that is not worded).
    strength: f64,
    /// The text as published.
    published: Option<String>,
    /// Partners who publicly named the same party, when it names one.
    cosigners: usize,
}

impl Worded {
    fn of(
        wording: Option<&crate::toolbox::Wording>,
        measure: &MeasureData,
        reading: &Reading,
        view: Option<&IncidentView>,
        roster: &Roster,
        acting: Option<usize>,
    ) -> Self {
        let names = measure.names_at(wording);
        let state = reading
            .adversary
            .map_or("those responsible", |a| roster.adversary_name(a));
        let partners = view.map_or(String::new(), |v| crate::toolbox::enumerate(&v.partners));
        let named = reading.adversary.filter(|_| names);
        Self {
            cosigners: if named.is_some() {
                view.map_or(0, |v| v.partners.len())
            } else {
                0
            },
            named,
            strength: wording.map_or(1.0, |w| w.strength),
            published: wording.map(|w| {
                let who = acting.and_then(|a| roster.state_names.get(a)).map(String::as_str);
                w.published(state, &partners, crate::toolbox::Speaker::of(measure.decided_by, who))
            }),
        }
    }
}

/// Every proposal of the turn goes through its procedure, in order; then every Council file in
/// the machinery whose stage ends this turn meets its veto point.
pub(super) fn decide(proposals: Res<Proposals>, mut chamber: Chamber) {
    let Some(presidency) = chamber
        .situation
        .roster()
        .council
        .and_then(|c| chamber.councils.get(c).ok())
        .map(|c| c.presidency)
    else {
        return;
    };
    if chamber.clock.turn == 1 {
        chamber.open_scheduled();
    }
    for decision in &proposals.0 {
        chamber.take(decision, presidency);
    }
    let files = std::mem::take(&mut chamber.files.0);
    for mut file in files {
        if chamber.examine(&mut file) {
            chamber.files.0.push(file);
        }
    }
}

impl Chamber<'_, '_> {
    /// One proposal: refused, decided at once by whoever decides it alone, or tabled as a
    /// Council file.
    fn take(&mut self, decision: &Decision, presidency: usize) {
        let roster = self.situation.roster();
        let views = self.situation.views();
        let resolved = match resolve(decision, &self.toolbox, views, roster, presidency) {
            Ok(r) => r,
            Err(why) => {
                self.reject(decision, "nobody".into(), why);
                return;
            }
        };
        let measure = self.toolbox.get(resolved.id);
        let decided_by = decider(measure, roster, resolved.acting);
        let clock = &*self.clock;
        let moment = Moment::at(clock, clock.turn, &self.history);
        let candidates = roster.candidates();
        let wording = match self.toolbox.wording(measure, decision.wording.as_deref()) {
            Ok(w) => w,
            Err(rungs) => {
                let why = super::Ineligible::NotARung {
                    asked: decision.wording.clone().unwrap_or_default(),
                    rungs,
                };
                self.reject(decision, decided_by, why.to_string());
                return;
            }
        };
        if let Err(why) = eligibility(
            measure,
            wording,
            resolved.view,
            resolved.acting,
            &roster.codes[resolved.acting],
            candidates,
            &moment,
        ) {
            self.reject(decision, decided_by, why.to_string());
            return;
        }
        let incident = decision.incident.as_deref().unwrap_or_default();
        if measure.rule.voted() {
            // A Council file: each Member State the engine plays brings its own leaning to it.
            let leanings = leanings(roster, &self.states, &mut self.streams);
            let mut file = File::open(
                decision.clone(),
                (resolved.id, measure),
                resolved.acting,
                clock.turn,
                &clock.calendar,
                leanings,
            );
            // A statement naming the party that only partners' confidential briefing supports
            // waits for their public day.
            file.embargo = measure.kind.is_statement()
                && measure.names_at(wording)
                && resolved
                    .view
                    .is_some_and(|v| v.naming(&self.history) == Naming::ForThePartnersDay);
            self.history.table(incident, &measure.id);
            self.log.decisions.push(DecisionRecord {
                decision: decision.clone(),
                decided_by,
                verdict: Verdict::Tabled {
                    adoption: file.adoption(),
                    partners_day: file.embargo,
                },
                proposal: true,
                published: None,
            });
            self.files.0.push(file);
            return;
        }
        let reading = read(measure, resolved.view, views, resolved.acting, candidates, clock.turn);
        let unity = match measure.decided_by {
            Decider::HighRepresentative => 0.7,
            Decider::MemberState => 0.45,
            _ => 0.6,
        };
        let due = clock.calendar.due(clock.turn, measure.lead_time);
        let acting = (measure.decided_by == Decider::MemberState).then_some(resolved.acting);
        let worded = Worded::of(wording, measure, &reading, resolved.view, roster, acting);
        self.pending.0.push(PendingMeasure {
            measure: resolved.id,
            incident: decision.incident.clone(),
            named: worded.named,
            confidence: reading.confidence,
            unity,
            disproportion: reading.disproportion,
            strength: worded.strength,
            cosigners: worded.cosigners,
            acting: (measure.decided_by == Decider::MemberState).then_some(resolved.acting),
            due,
        });
        record_adoption(&mut self.history, incident, measure);
        self.log.decisions.push(DecisionRecord {
            decision: decision.clone(),
            decided_by,
            verdict: Verdict::Adopted { effective: due },
            proposal: true,
            published: worded.published,
        });
    }

    /// Takes a file through every veto point due this turn. Returns whether it stays in the
    /// machinery.
    fn examine(&mut self, file: &mut File) -> bool {
        let turn = self.clock.turn;
        if self.needs_lapsed_framework(file) {
            return self.drop_with_framework(file);
        }
        loop {
            if file.hold.is_none() && file.stage_ends() > turn {
                return true;
            }
            if file.at_decision() {
                if file.embargo {
                    match self.partners_day(file) {
                        PartnersDay::Come => file.embargo = false,
                        PartnersDay::Awaited => return true,
                        PartnersDay::Passed => {
                            self.shelve(file);
                            return false;
                        }
                    }
                }
                let ballots = self.ballots(file);
                self.conclude(file, ballots);
                return false;
            }
            // Before the last stage only objections count (and, while the text is drafted,
            // reservations): the full record is built only when the file stops.
            let mut objections: Vec<(Arc<str>, Reason)> = Vec::new();
            let mut reservations: Vec<(Arc<str>, Reason)> = Vec::new();
            let drafting = !file.review && file.current().drafting();
            let roster = self.situation.roster();
            self.each_ballot(file, |index, ballot| match ballot {
                Ballot::Object(why) => objections.push((roster.codes[index].clone(), why)),
                Ballot::Abstain if drafting => reservations.push((roster.codes[index].clone(), Reason::Reservations)),
                _ => {}
            });
            let redrafted = if objections.is_empty() {
                !reservations.is_empty() && self.redraft(file, &reservations, true)
            } else {
                self.redraft(file, &objections, false)
            };
            if redrafted {
                // The same stage again, on the new text.
                continue;
            }
            if !objections.is_empty() {
                match &mut file.hold {
                    Some(hold) if turn >= hold.until => {
                        let ballots = self.ballots(file);
                        self.stop(file, ballots);
                        return false;
                    }
                    Some(hold) => hold.by = objections,
                    None => {
                        let until = turn + file.stage_turns().max(1);
                        self.log.holds.push(crate::outcome::HoldRecord {
                            measure: self.toolbox.get(file.measure).id.clone(),
                            incident: file.decision.incident.clone(),
                            stage: file.current().short().to_owned(),
                            by: objections.clone(),
                            until,
                        });
                        file.hold = Some(Hold {
                            since: turn,
                            until,
                            by: objections,
                        });
                    }
                }
                return true;
            }
            if file.hold.take().is_some() {
                file.delay += turn.saturating_sub(file.stage_ends());
            }
            file.stage += 1;
        }
    }

    /// Whether the day an embargoed text waits for has come: partners (or a Member State hit)
    /// have named the party in public; or passed: the incident's political window closed first.
    fn partners_day(&self, file: &File) -> PartnersDay {
        let incident = file.decision.incident.as_deref().unwrap_or_default();
        let Some(view) = self.situation.views().iter().find(|v| &*v.id == incident) else {
            return PartnersDay::Passed;
        };
        if view.naming(&self.history) == Naming::Free {
            PartnersDay::Come
        } else if self.clock.turn >= crate::decisions::political_window_end(view.ends, &self.clock.calendar) {
            PartnersDay::Passed
        } else {
            PartnersDay::Awaited
        }
    }

    /// An embargoed text whose day never came is withdrawn without a vote: nobody refused it,
    /// and nothing was said.
    fn shelve(&mut self, file: &File) {
        let measure = self.toolbox.get(file.measure);
        let incident = file.decision.incident.as_deref().unwrap_or_default();
        self.history.shelve(incident, &measure.id);
        let decided_by = decider(measure, self.situation.roster(), file.acting);
        self.log.decisions.push(DecisionRecord {
            decision: file.decision.clone(),
            decided_by,
            verdict: Verdict::Shelved,
            proposal: false,
            published: None,
        });
    }

    /// The Presidency's compromise: a statement that meets objections while it is drafted (in the
    /// soundings or the working party) is redrafted at the next rung down its wording that the
    /// assessment supports and the Council has not refused on this incident, rather than held.
    /// That is how the EU's texts are agreed: the declaration of 19 July 2021 said the Exchange
    /// compromise was "undertaken from the territory of China" because not every Member State
    /// would hold the Chinese State responsible. Delegations with reservations (who would only
    /// stay silent) are accommodated the same way, but only when the lower rung wins every one of
    /// them over: a text all 27 can stand behind rather than one some merely let pass. Returns
    /// whether the text changed; a text already at its lowest acceptable rung is held as before.
    fn redraft(&mut self, file: &mut File, by: &[(Arc<str>, Reason)], reservations: bool) -> bool {
        if file.review || !file.current().drafting() {
            return false;
        }
        let measure = self.toolbox.get(file.measure);
        let Ok(Some(draft)) = self.toolbox.wording(measure, file.decision.wording.as_deref()) else {
            return false;
        };
        let roster = self.situation.roster();
        let incident = file.decision.incident.as_deref().unwrap_or_default();
        let view = self.situation.views().iter().find(|v| &*v.id == incident);
        let moment = Moment::at(&self.clock, self.clock.turn, &self.history);
        let refused = |rung: &str| {
            self.history
                .refused
                .get(incident)
                .is_some_and(|r| r.iter().any(|(m, w)| *m == measure.id && w == rung))
        };
        // The rungs below the draft that the assessment supports, highest first.
        let lower: Vec<String> = self
            .toolbox
            .rungs(measure)
            .rev()
            .skip_while(|r| r.id != draft.id)
            .skip(1)
            .filter(|r| {
                !refused(&r.id)
                    && super::eligibility::supports(
                        measure,
                        Some(r),
                        view,
                        file.acting,
                        &roster.codes[file.acting],
                        roster.candidates(),
                        &moment,
                    )
                    .is_ok()
            })
            .map(|r| r.id.to_string())
            .collect();
        let (measure_id, from) = (measure.id.clone(), draft.id.to_string());
        let previous = file.decision.wording.clone();
        // An objection: the next rung down, and the soundings go on from there. Reservations:
        // the highest rung that wins every reserving delegation over, or none.
        let to = if reservations {
            lower.into_iter().find(|rung| {
                file.decision.wording = Some(rung.clone());
                self.wins_over(file, by)
            })
        } else {
            lower.into_iter().next()
        };
        let Some(to) = to else {
            file.decision.wording = previous;
            return false;
        };
        file.decision.wording = Some(to.clone());
        self.log.amendments.push(crate::outcome::AmendmentRecord {
            measure: measure_id,
            incident: file.decision.incident.clone(),
            stage: file.current().short().to_owned(),
            from,
            to,
            by: by.to_vec(),
        });
        true
    }

    /// Whether every delegation in `reserving` supports the file as it now reads, and nobody
    /// objects to it.
    fn wins_over(&self, file: &File, reserving: &[(Arc<str>, Reason)]) -> bool {
        let codes = &self.situation.roster().codes;
        let mut won_over = true;
        self.each_ballot(file, |index, ballot| {
            let reserved = reserving.iter().any(|(code, _)| *code == codes[index]);
            won_over &= match ballot {
                Ballot::Object(_) => false,
                Ballot::Abstain => !reserved,
                Ballot::For | Ballot::Silence => true,
            };
        });
        won_over
    }

    /// Every Member State's ballot on a file now: the engine's from the situation and the
    /// State's leaning on the file, a held State's as its people said (silence is assent).
    fn ballots(&self, file: &File) -> Vec<(Arc<str>, Ballot)> {
        let codes = &self.situation.roster().codes;
        let mut ballots = Vec::with_capacity(codes.len());
        self.each_ballot(file, |index, ballot| ballots.push((codes[index].clone(), ballot)));
        ballots
    }

    /// Each Member State's ballot on a file now, in protocol order, handed to `cast`.
    fn each_ballot(&self, file: &File, mut cast: impl FnMut(usize, Ballot)) {
        let turn = self.clock.turn;
        let measure = self.toolbox.get(file.measure);
        let roster = self.situation.roster();
        let views = self.situation.views();
        let view = file
            .decision
            .incident
            .as_deref()
            .and_then(|id| views.iter().find(|v| &*v.id == id));
        let candidates = roster.candidates();
        let reading = read(measure, view, views, file.acting, candidates, turn);
        let adversary_id = reading.adversary.and_then(|a| roster.adversary_keys.get(a));
        // A statement is judged at the rung of its wording: what it needs and what it asks of
        // Member States unwilling to attribute publicly.
        let rung = self
            .toolbox
            .wording(measure, file.decision.wording.as_deref())
            .ok()
            .flatten();
        let names = measure.names_at(rung);
        let required = rung.map_or(measure.attribution.map_or(0.0, |c| c.threshold()), |w| w.min_confidence);
        let reluctance = rung.map_or(0.0, |w| w.reluctance);
        // Echoing partners' attribution asks a Member State to side with them, not to vouch for
        // the evidence itself: its own confidence weighs neither for nor against (SolarWinds,
        // April 2021: the EU stood with the United States without repeating its attribution).
        let judges_evidence = names && !rung.is_some_and(|w| w.needs_partner);
        for (index, entity) in roster.member_states.iter().enumerate() {
            let Ok((attitudes, exposure, held)) = self.states.get(*entity) else {
                cast(index, Ballot::For);
                continue;
            };
            if held {
                let code = &roster.codes[index];
                cast(
                    index,
                    self.positions
                        .ballot(turn, code, &measure.id, file.decision.incident.as_deref()),
                );
                continue;
            }
            let weights = VoteWeights {
                stance: reading.adversary.map_or(0.5, |a| attitudes.stance[a]),
                exposure: exposure.0,
                victim: view.is_some_and(|v| v.victims.contains(&index)),
                names,
                own_confidence: view.filter(|_| judges_evidence).and_then(|v| {
                    reading
                        .adversary
                        .map(|_| v.national_probability(index, reading.candidate))
                }),
                required,
                ties: reading.adversary.map_or(0.0, |a| attitudes.ties[a]),
                cost: measure.cost,
                disproportion: reading.disproportion,
                cohesion: self.crisis.cohesion,
                reluctance,
                candour: attitudes.candour,
                adversary: adversary_id,
            };
            let leaning = file.leanings.get(index).copied().unwrap_or(0.0);
            let ballot = match cast_ballot(&weights, leaning) {
                // A listing, or the cyber sanctions framework and its extensions, is negotiated
                // to consensus in RELEX and COREPER: a lukewarm Member State lets it pass rather
                // than abstain formally, and constructive abstention (Art. 31(1) TEU) has never
                // been used for either (the framework of 17 May 2019 and every extension were
                // adopted by all). People holding a seat may still abstain: the Treaty allows it.
                Ballot::Abstain if matches!(measure.kind, Kind::Listing | Kind::SanctionsFramework) => Ballot::For,
                ballot => ballot,
            };
            cast(index, ballot);
        }
    }

    /// The decision at the end of the path, by the measure's rule.
    fn conclude(&mut self, file: &File, ballots: Vec<(Arc<str>, Ballot)>) {
        let turn = self.clock.turn;
        let measure = self.toolbox.get(file.measure);
        let roster = self.situation.roster();
        if !passes(measure.rule, &ballots, &roster.populations) {
            self.stop(file, ballots);
            return;
        }
        let abstained = ballots.iter().filter(|(_, b)| *b == Ballot::Abstain).count();
        let abstain_share = abstained as f64 / roster.member_states.len().max(1) as f64;
        self.record_vote(file, ballots, true);
        let measure = self.toolbox.get(file.measure);
        let roster = self.situation.roster();
        let decided_by = decider(measure, roster, file.acting);
        let incident = file.decision.incident.as_deref().unwrap_or_default();
        if file.review {
            self.log.decisions.push(DecisionRecord {
                decision: file.decision.clone(),
                decided_by,
                verdict: Verdict::Renewed,
                proposal: false,
                published: None,
            });
            self.schedule_review(file, file.adoption());
            return;
        }
        let views = self.situation.views();
        let view = views.iter().find(|v| &*v.id == incident);
        let reading = read(measure, view, views, file.acting, roster.candidates(), turn);
        // Abstainers stand aside (under unanimity they need not apply the decision; under
        // consensus they stayed silent), and the signal carries less weight for it.
        let unity = 1.0 - 0.5 * abstain_share;
        let effective = file.effect.saturating_add(file.delay).max(turn);
        let wording = self
            .toolbox
            .wording(measure, file.decision.wording.as_deref())
            .ok()
            .flatten();
        let worded = Worded::of(wording, measure, &reading, view, roster, None);
        self.pending.0.push(PendingMeasure {
            measure: file.measure,
            incident: file.decision.incident.clone(),
            named: worded.named,
            confidence: reading.confidence,
            unity,
            disproportion: reading.disproportion,
            strength: worded.strength,
            cosigners: worded.cosigners,
            acting: None,
            due: effective,
        });
        record_adoption(&mut self.history, incident, measure);
        self.log.decisions.push(DecisionRecord {
            decision: file.decision.clone(),
            decided_by,
            verdict: Verdict::Adopted { effective },
            proposal: false,
            published: worded.published,
        });
        self.schedule_review(file, effective);
    }

    /// A decision that lapses unless renewed comes back for review a period after `in_force`.
    fn schedule_review(&mut self, file: &File, in_force: u32) {
        let measure = self.toolbox.get(file.measure);
        if measure.review_every.is_none() && measure.review_on.is_none() {
            return;
        }
        let leanings = leanings(self.situation.roster(), &self.states, &mut self.streams);
        if let Some(review) = File::review(
            file.decision.clone(),
            (file.measure, measure),
            file.acting,
            in_force,
            &self.clock.calendar,
            leanings,
        ) {
            self.files.0.push(review);
        }
    }

    /// The file stops: refused at the decision, or withdrawn after a hold; a decision under
    /// review lapses.
    fn stop(&mut self, file: &File, ballots: Vec<(Arc<str>, Ballot)>) {
        // The price of failing to agree: cohesion, more for a split than for a lone veto, and
        // the adversary behind the incident reads division. A text that dies in the Presidency's
        // soundings or the working party stays among diplomats: it costs a fraction, and the
        // adversary does not see it.
        let objectors = ballots.iter().filter(|(_, b)| matches!(b, Ballot::Object(_))).count();
        let discreet = file.current().drafting();
        let price = (BLOCKED_COHESION_LOSS + SPLIT_COHESION_LOSS * objectors.saturating_sub(1) as f64)
            * if discreet { DISCREET_SHARE } else { 1.0 };
        self.crisis.cohesion_shift -= price;
        let cohesion_cost = price * self.crisis.cohesion;
        let incident = file.decision.incident.as_deref().unwrap_or_default();
        let perpetrator = self
            .perpetrators
            .iter()
            .find(|(i, _)| *i.id == *incident)
            .map(|(_, p)| p.adversary);
        if !discreet
            && let Some(entity) = perpetrator.and_then(|a| self.situation.roster().adversaries.get(a))
            && let Ok(mut beliefs) = self.beliefs.get_mut(*entity)
        {
            beliefs.resolve *= 1.0 - DIVISION_READ;
        }
        self.record_vote_costing(file, ballots, false, cohesion_cost);
        let measure = self.toolbox.get(file.measure);
        let decided_by = decider(measure, self.situation.roster(), file.acting);
        let at = file.current();
        let verdict = if file.review {
            self.history.lapse(incident, &measure.id);
            if measure.kind == Kind::SanctionsFramework {
                self.framework_lapses();
            }
            Verdict::Lapsed { at }
        } else {
            // Blocked at this rung of its wording: it may come back a rung lower.
            let rung = self
                .toolbox
                .wording(measure, file.decision.wording.as_deref())
                .ok()
                .flatten();
            match rung {
                Some(r) => self.history.refuse(incident, &measure.id, &r.id),
                None => self.history.block(incident, &measure.id),
            }
            Verdict::Blocked { at }
        };
        self.log.decisions.push(DecisionRecord {
            decision: file.decision.clone(),
            decided_by,
            verdict,
            proposal: false,
            published: None,
        });
    }

    /// The Council takes up by itself, on their days, the measures it must decide within the
    /// run (the framework's extension before each expiry), if they exist by then.
    fn open_scheduled(&mut self) {
        let calendar = &self.clock.calendar;
        let last = self.clock.last_turn;
        let presidency = self.councils.iter().next().map_or(0, |c| c.presidency);
        for (index, measure) in self.toolbox.measures.iter().enumerate() {
            let since = measure.exists_from.as_ref().map(|d| d.days());
            if since.is_some_and(|s| calendar.day_of(1).is_none_or(|start| start < s)) {
                continue;
            }
            for day in measure.scheduled.iter().filter_map(|d| crate::scenario::date_days(d)) {
                // A date the story jumps over (a phase's gap) was decided in the jump, as it was
                // in the record: no turn is played then, and the first turn after the jump is
                // not when the Council took it (until model 8 the Estonia case renewed the cyber
                // sanctions framework of 17 May 2021 in January 2022).
                if calendar.turn_on(day).is_none_or(|t| !(1..=last).contains(&t)) || calendar.jumps_over(day) {
                    continue;
                }
                let leanings = leanings(self.situation.roster(), &self.states, &mut self.streams);
                let decision = Decision::new(&measure.id, None);
                if let Some(file) = File::on_day(
                    decision,
                    (MeasureId(index), measure),
                    presidency,
                    1,
                    day,
                    calendar,
                    leanings,
                ) {
                    self.files.0.push(file);
                }
            }
        }
    }

    /// A framework was not extended: it lapses, and so does everything in force under it
    /// (every listing); nothing under it can be tabled or adopted any more.
    fn framework_lapses(&mut self) {
        let frameworks: Vec<&MeasureData> = self
            .toolbox
            .measures
            .iter()
            .filter(|m| m.kind == Kind::SanctionsFramework)
            .collect();
        for framework in &frameworks {
            self.history.lapsed.insert(framework.id.clone());
        }
        let under: Vec<(String, String)> = self
            .history
            .adopted
            .iter()
            .flat_map(|(incident, measures)| measures.iter().map(move |m| (incident.clone(), m.clone())))
            .filter(|(_, m)| {
                self.toolbox
                    .find(m)
                    .and_then(|id| self.toolbox.get(id).enabled_by.as_deref())
                    .is_some_and(|f| self.history.lapsed.contains(f))
            })
            .collect();
        for (incident, measure) in under {
            self.history.lapse(&incident, &measure);
            self.log.decisions.push(DecisionRecord {
                decision: Decision::new(&measure, (!incident.is_empty()).then_some(incident.as_str())),
                decided_by: "Council (unanimity)".to_owned(),
                verdict: Verdict::Lapsed { at: Stage::Council },
                proposal: false,
                published: None,
            });
        }
    }

    /// Whether a file needs a framework that has lapsed (a listing once the regime is gone, or
    /// a later extension of it).
    fn needs_lapsed_framework(&self, file: &File) -> bool {
        let measure = self.toolbox.get(file.measure);
        let lapsed = &self.history.lapsed;
        measure.enabled_by.as_deref().is_some_and(|f| lapsed.contains(f))
            || (!measure.scheduled.is_empty() && lapsed.contains(&measure.id))
    }

    /// Takes a file off the agenda because its framework lapsed.
    fn drop_with_framework(&mut self, file: &File) -> bool {
        let measure = self.toolbox.get(file.measure);
        if !measure.scheduled.is_empty() {
            return false;
        }
        let incident = file.decision.incident.as_deref().unwrap_or_default();
        if !file.review {
            self.history.block(incident, &measure.id);
            self.log.decisions.push(DecisionRecord {
                decision: file.decision.clone(),
                decided_by: decider(measure, self.situation.roster(), file.acting),
                verdict: Verdict::Rejected("withdrawn: the framework it needs lapsed".to_owned()),
                proposal: false,
                published: None,
            });
        }
        false
    }

    fn record_vote(&mut self, file: &File, ballots: Vec<(Arc<str>, Ballot)>, adopted: bool) {
        self.record_vote_costing(file, ballots, adopted, 0.0);
    }

    /// Records a proposal refused before any procedure, with the reason.
    fn reject(&mut self, decision: &Decision, decided_by: String, why: String) {
        self.log.decisions.push(DecisionRecord {
            decision: decision.clone(),
            decided_by,
            verdict: Verdict::Rejected(why),
            proposal: true,
            published: None,
        });
    }

    /// Records a vote with the cohesion it cost.
    fn record_vote_costing(
        &mut self,
        file: &File,
        ballots: Vec<(Arc<str>, Ballot)>,
        adopted: bool,
        cohesion_cost: f64,
    ) {
        let measure = self.toolbox.get(file.measure);
        self.log.votes.push(VoteRecord {
            turn: self.clock.turn,
            measure: measure.id.clone(),
            incident: file.decision.incident.clone(),
            rule: measure.rule,
            stage: file.current(),
            review: file.review,
            adopted,
            ballots,
            cohesion_cost,
        });
        self.votes.0 += 1;
    }
}

/// A standard normal draw for each Member State the engine plays, 0 for those people hold.
fn leanings(
    roster: &Roster,
    states: &Query<(&Attitudes, &Exposure, Has<PlayerSeat>)>,
    streams: &mut Streams,
) -> Vec<f64> {
    roster
        .member_states
        .iter()
        .map(|entity| {
            let held = states.get(*entity).is_ok_and(|(_, _, held)| held);
            if held { 0.0 } else { streams.normal(Stream::Votes) }
        })
        .collect()
}

/// Records an adoption; an incident answered politically leaves political play at the end of
/// its technical phase.
fn record_adoption(history: &mut History, incident: &str, measure: &MeasureData) {
    history.adopt(incident, &measure.id);
    if answers_politically(measure) {
        history.answered.insert(incident.to_owned());
    }
}

/// Whether adopting the measure is the EU's political answer to an incident (a statement, a
/// declaration, conclusions, a listing, or naming those responsible), after which the incident
/// leaves political play at the end of its technical phase; technical and cooperative measures
/// (a shared assessment, an OSCE consultation) are not.
fn answers_politically(measure: &MeasureData) -> bool {
    use crate::toolbox::Family;
    (matches!(measure.family, Family::Stabilising | Family::Restrictive) && measure.kind != Kind::HrStatement)
        || measure.names_perpetrator
}

/// Who decides a measure, as the record names it: `Council (consensus)`, `FR`, `High
/// Representative`.
fn decider(measure: &MeasureData, roster: &Roster, acting: usize) -> String {
    match measure.decided_by {
        Decider::MemberState => roster.codes[acting].to_string(),
        // Named without formatting: every Council proposal and file is recorded with it.
        Decider::Council => match measure.rule {
            crate::toolbox::Rule::Consensus => "Council (consensus)".to_owned(),
            crate::toolbox::Rule::Unanimity => "Council (unanimity)".to_owned(),
            rule => format!("Council ({})", rule.code()),
        },
        other => other.label().to_owned(),
    }
}
