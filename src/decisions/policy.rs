//! Scripted policies that stand in for the players in headless runs and batch comparisons.
//!
//! Under every policy the CSIRTs network works on each new incident: technical cooperation is
//! not a political choice.
//!
//! - `passive`: no other measure (the baseline "doing nothing").
//! - `restraint`: cooperative and preventive measures only: OSCE channels, an HR statement, a
//!   démarche and a cyber dialogue, once on a campaign. Never names, never sanctions.
//! - `proportional`: shares information, opens channels, takes a criminal group's infrastructure
//!   down with Europol, lets the Member State hit name the party with its partners, then answers
//!   each incident with the strongest measure whose intensity fits the campaign's severity and
//!   whose attribution threshold is met, preferring a unanimous Council decision, a statement at
//!   the highest rung of wording the assessment supports (a rung lower once the Council refuses
//!   one), naming a State only once partners or a Member State hit have named it (or in a
//!   Council text drafted on partners' confidential briefing, adopted on their public day), and
//!   speaking once on a campaign (one text, and a second only if it names those responsible).
//! - `hawkish`: the strongest measure the rules allow, national ones included, as early as
//!   attribution allows; no channels, no regard for proportionality.

use super::situation::campaign_severity;
use super::{Decision, History, IncidentView, Naming, Proposals, Situation};
use crate::actors::{Channel, Council};
use crate::council::{Moment, acting_state, eligibility};
use crate::state::Crisis;
use crate::toolbox::{Confidence, Decider, Family, Kind, Toolbox};
use crate::turn::TurnClock;
use bevy::prelude::*;
use serde::{Deserialize, Serialize};

/// Which scripted policy holds the seats no human holds.
#[derive(
    Resource, Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    /// No measure at all.
    Passive,
    /// Cooperative and preventive measures only.
    Restraint,
    /// Measured, attributed, unanimous responses.
    #[default]
    Proportional,
    /// The strongest response the rules allow.
    Hawkish,
}

impl Policy {
    /// Every policy.
    pub const ALL: [Policy; 4] = [
        Policy::Passive,
        Policy::Restraint,
        Policy::Proportional,
        Policy::Hawkish,
    ];

    /// Lower-case name, as on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Policy::Passive => "passive",
            Policy::Restraint => "restraint",
            Policy::Proportional => "proportional",
            Policy::Hawkish => "hawkish",
        }
    }
}

/// The CSIRTs network's technical cooperation, which every policy runs on each new incident.
const CSIRTS_NETWORK: &str = "csirts_network";
/// Willingness to attribute publicly from which a Member State hit names the party itself once it
/// is sure (the Netherlands, Estonia, Lithuania, Latvia, Czechia, Poland, Germany, the Nordic
/// Member States; not France, Italy or Hungary): capability to attribute is not willingness to.
const NAMES_READILY: f64 = 0.75;
/// How much a Member State's economic ties with a party (0 to 1) take from its willingness to
/// name it alone (model 5): Germany, which names readily (0.8) but has ties of 0.6 with China,
/// did not name China for the Exchange compromise in 2021; the Netherlands (0.95, ties 0.55 with
/// China) named China's Ministry of State Security for Cloud Hopper on 20 December 2018.
/// Calibrated on those two cases, not measured.
const TIES_RELUCTANCE: f64 = 0.3;
/// Channel strength below which the policies that use confidence-building measures open one.
const CHANNEL_FLOOR: f64 = 0.3;
/// The rung of an incident (serious disruption) from which the High Representative speaks on it
/// at once, before the EU knows who did it.
const DISRUPTIVE: f64 = 3.0;
/// The share of confidence building an era must let reach a State for the policies to try it
/// (Russia from 24 February 2022 lets a tenth through).
const TALKS_REACH: f64 = 0.5;
/// Shared awareness below which the proportional policy asks for a shared assessment.
const AWARENESS_FLOOR: f64 = 0.5;

/// The scripted policy proposes its measures for this turn.
pub(super) fn policy_decides(
    policy: Res<Policy>,
    clock: Res<TurnClock>,
    toolbox: Res<Toolbox>,
    history: Res<History>,
    crisis: Res<Crisis>,
    situation: Situation,
    channels: Query<&Channel>,
    councils: Query<&Council>,
    seats: Res<super::Seats>,
    states: Query<&crate::actors::Attitudes>,
    mut proposals: ResMut<Proposals>,
) {
    let roster = situation.roster();
    let presidency = roster
        .council
        .and_then(|c| councils.get(c).ok())
        .map_or(0, |c| c.presidency);
    let views = situation.views();
    let turn = clock.turn;
    let candidates = roster.candidates();
    let moment = Moment::at(&clock, turn, &history);
    // Tables a decision on an incident unless it repeats one, is not the engine's to make (a
    // seat people hold), would not take effect in time or is not eligible.
    let mut offer = |decision: Decision, incident: &IncidentView| {
        let acting = acting_state(None, Some(incident), presidency);
        let repeat = history.tried_at(&incident.id, &decision.measure, decision.wording.as_deref())
            || proposals.0.iter().any(|p| p == &decision);
        // A seat people hold is theirs to play: the policy never speaks for it.
        let possible = toolbox.find(&decision.measure).is_some_and(|id| {
            let m = toolbox.get(id);
            let Ok(wording) = toolbox.wording(m, decision.wording.as_deref()) else {
                return false;
            };
            !seats.proposes(m, &roster.codes[acting])
                && in_time(m, &moment)
                && eligibility(
                    m,
                    wording,
                    Some(incident),
                    acting,
                    &roster.codes[acting],
                    candidates,
                    &moment,
                )
                .is_ok()
        });
        if !repeat && possible {
            proposals.0.push(decision);
        }
    };
    // Technical cooperation is not a political choice: under every policy, doing nothing
    // included, the Member States' CSIRTs and CERT-EU compare notes on each new incident.
    for incident in views.iter().filter(|v| v.turn == turn) {
        offer(Decision::new(CSIRTS_NETWORK, Some(&incident.id)), incident);
    }
    if *policy == Policy::Passive {
        return;
    }
    let Some(focus) = focus_incident(views, clock.turn, &history) else {
        return;
    };
    let suspect = (focus.assessment.candidate + 1 < candidates).then_some(focus.assessment.candidate);
    let channel = suspect.map_or(1.0, |a| channels.get(roster.adversaries[a]).map_or(0.0, |c| c.0));
    let fresh = focus.turn == turn;
    // No reflex condemnation (model 5). A text all 27 must agree needs a political occasion: a
    // party named in public by partners or a Member State hit, or named to the Member States in
    // confidence for a coordinated day (the text then waits for it). In the record the EU said
    // nothing on Microsoft Exchange from March to 19 July 2021, on the Estonian ministries from
    // 2020 to September 2024, on Cloud Hopper before the partners' day: its declarations came
    // with a national or partners' attribution (Viasat, APT28, Ghostwriter) or a victim's call
    // for solidarity (Albania), never on the first week's forensics, however confident. Before
    // that, only an attack that seriously disrupts or destroys (`DISRUPTIVE`) gets a word at
    // once, in the High Representative's own name (WhisperGate, 14 January 2022).
    let naming = focus.naming(&history);
    let occasion = suspect.is_some() && naming != Naming::No;
    // Raising the matter with the State concerned (a démarche, a dialogue, OSCE consultations)
    // waits until the party is named in public: a démarche on a confidential briefing would tip
    // off the State before the partners' day.
    let exposed = suspect.is_some() && naming == Naming::Free;
    // What the EU has already said on this campaign: it speaks once (see `says_nothing_new`).
    let spoken = spoken_on_the_campaign(views, focus, &moment, &history, &toolbox);
    // A measure not yet taken on the campaign: channels and démarches come once, not on every
    // intrusion.
    let untaken = |measure: &&str| !taken_on_the_campaign(views, focus, &moment, &history, measure);
    // Confidence building with a State whose era leaves little of it reaching it is not tried:
    // no capital activated the OSCE's points of contact with Russia on 24 February 2022, or
    // asked it for consultations on Viasat (model 8; until then the proportional EU did both,
    // and the era's reach only damped what they did).
    let today = clock.calendar.midday_of(turn);
    let talks = suspect.is_none_or(|a| {
        roster
            .era_of(a, today)
            .is_none_or(|e| e.confidence_building >= TALKS_REACH)
    });
    let mut plan: Vec<&str> = Vec::new();
    match *policy {
        Policy::Passive => {}
        Policy::Restraint => {
            if fresh && !spoken.said {
                plan.push("hr_statement");
            }
            if channel < CHANNEL_FLOOR && exposed && talks {
                plan.extend(["osce_consultation"].into_iter().filter(untaken));
            }
            // Raised with the State concerned once on the campaign, not on every intrusion, once
            // the party is named in public.
            if !fresh && exposed {
                plan.extend(["demarche"].into_iter().filter(untaken));
                if talks {
                    plan.extend(["cyber_dialogue"].into_iter().filter(untaken));
                }
            }
        }
        Policy::Proportional => {
            if fresh && crisis.shared_awareness < AWARENESS_FLOOR {
                plan.push("shared_assessment");
            }
            // A statement is followed by a démarche to the State concerned, once on the campaign,
            // once the party is named in public.
            if spoken.said && exposed {
                plan.extend(["demarche"].into_iter().filter(untaken));
            }
            // The OSCE channels are opened once on a campaign, not on every intrusion: the points
            // of contact at once (CBM 8 exists to clarify an ambiguous incident before anyone
            // attributes it), consultations with the State concerned once the party is named in
            // public.
            if channel < CHANNEL_FLOOR && talks {
                plan.extend(["osce_points_of_contact"].into_iter().filter(untaken));
                if exposed {
                    plan.extend(["osce_consultation"].into_iter().filter(untaken));
                }
            }
            // Against a criminal group, law enforcement is the main lever: the Member State hit
            // takes its infrastructure down with Europol and Eurojust.
            if focus.suspect_kind == Some(crate::actors::AdversaryKind::Criminal) {
                plan.push("takedown");
            }
        }
        Policy::Hawkish => {}
    }
    let mut out: Vec<Decision> = plan.into_iter().map(|m| Decision::new(m, Some(&focus.id))).collect();
    let severity = campaign_severity(views, focus, turn);
    // Hawks take the strongest measure of a kind on the focus, naming whoever the rules allow.
    let hawks_take = |fits: &dyn Fn(&crate::toolbox::MeasureData) -> bool| {
        strongest(
            &toolbox,
            &history,
            focus,
            roster,
            presidency,
            &moment,
            Naming::Free,
            fits,
        )
    };
    let mut national = None;
    if *policy == Policy::Proportional {
        // How readily a Member State names this party: its willingness to attribute publicly,
        // less what its economic ties with the party make it reluctant to say.
        let willingness = |state: usize, party: usize| {
            states.get(roster.member_states[state]).map_or(0.0, |a| {
                a.candour - TIES_RELUCTANCE * a.ties.get(party).copied().unwrap_or(0.0)
            })
        };
        national = national_attribution(views, &moment, &history, presidency, willingness);
    }
    // A Member State hit naming the party this very turn is the EU's occasion to name it too, not
    // to condemn without a name first: its word waits a turn, so that it can echo what the Member
    // State said (on 4 October 2018 the Presidents of the European Council and the Commission and
    // the High Representative named the GRU the day the Netherlands exposed the OPCW operation;
    // model 8).
    let named_today = national.as_ref().is_some_and(|(_, v)| v.id == focus.id);
    let main = match *policy {
        Policy::Proportional => {
            // The EU acting together, no harder than the campaign warrants; one Member State
            // speaks alone only once the Council has failed to agree on this incident.
            // The EU names a State only once partners have attributed publicly (a coordinated
            // day: Exchange 2021, Viasat 2022) or a Member State hit has done so itself (Estonia
            // 2024, Germany 2020): in the record it never named first.
            // Partners' confidential briefing lets the Council draft a naming text for their
            // public day (it is adopted on it: `File::embargo`), not the High Representative
            // speak first.
            let may_name = naming;
            // A party named on another incident of the campaign is not named again on this one.
            let named_elsewhere = named_on_the_campaign(views, focus, &moment, &history, &toolbox, Elsewhere);
            // Once the Council has refused a text on the incident, the fallback for saying the same
            // thing is the High Representative's statement in her or his own name, not another
            // text needing every Member State.
            let council_failed = history.council_failed(&focus.id);
            // Of the listings, the one that costs the Member States least (the persons
            // responsible): listing the units and front companies as well weighs on those with
            // ties with the party, and on 27 January 2025 the Council listed three officers and
            // no entity (model 7).
            let cheapest_listing = toolbox
                .measures
                .iter()
                .filter(|m| m.kind == Kind::Listing)
                .map(|m| m.cost)
                .fold(f64::INFINITY, f64::min);
            let eu_level = strongest(&toolbox, &history, focus, roster, presidency, &moment, may_name, |m| {
                in_proportion(m, severity, may_name)
                    && (m.kind != Kind::Listing || m.cost <= cheapest_listing)
                    && matches!(m.decided_by, Decider::Council | Decider::HighRepresentative)
                    && matches!(m.family, Family::Stabilising | Family::Restrictive | Family::Support)
                    && m.kind != Kind::Conclusions
                    && (occasion || !m.kind.is_statement() || m.kind == Kind::HrStatement && focus.rung >= DISRUPTIVE)
                    && !(named_today && m.kind.is_statement())
                    && !says_nothing_new(m, spoken)
                    && !(named_elsewhere && names_in_a_statement(m))
                    && !(council_failed
                        && m.kind.is_statement()
                        && m.decided_by == Decider::Council
                        && !m.names_perpetrator)
            });
            // A Member State names the party alone only once the Council has refused to name it
            // together.
            let refused_to_name = refused_to_name(&history, &toolbox, &focus.id);
            eu_level.or_else(|| {
                refused_to_name.then(|| Decision::new(crate::toolbox::NATIONAL_ATTRIBUTION, Some(&focus.id)))
            })
        }
        Policy::Hawkish => {
            hawks_take(&|m| matches!(m.family, Family::Stabilising | Family::Restrictive | Family::Support))
        }
        _ => None,
    };
    out.extend(main);
    let mut follow_up = None;
    if *policy == Policy::Proportional {
        // The party the answer to the focus names this turn, if it names one: not named twice.
        let names_now = out
            .iter()
            .any(|d| {
                toolbox
                    .find(&d.measure)
                    .is_some_and(|m| names_in_a_statement(toolbox.get(m)))
            })
            .then_some(focus.assessment.candidate);
        follow_up = naming_follow_up(&toolbox, &history, views, focus, names_now, roster, presidency, &moment);
    }
    if *policy == Policy::Hawkish {
        // Hawks also act nationally whatever the Council does (its own responses and the
        // Treaty clauses, not the OSCE's channels, which hawks do not open).
        out.extend(hawks_take(&|m| {
            matches!(m.kind, Kind::NationalMeasure | Kind::TreatyClause)
        }));
    }
    for (decision, incident) in out.into_iter().map(|d| (d, focus)).chain(follow_up).chain(national) {
        offer(decision, incident);
    }
}

/// The Member State hit names the party itself with its partners, if it is sure and one that names
/// readily: attribution is a sovereign decision, taken with allies on a day prepared together (the
/// Netherlands with the United Kingdom and the United States on the OPCW operation, 4 October
/// 2018; Estonia with the United States' indictments, 5 September 2024), not on the first week's
/// forensics. The most severe incident whose political window is open and that partners have
/// named publicly, once on the campaign; the Member State acting is the victim surest of who did
/// it.
fn national_attribution<'a>(
    views: &'a [IncidentView],
    moment: &Moment,
    history: &History,
    presidency: usize,
    willingness: impl Fn(usize, usize) -> f64,
) -> Option<(Decision, &'a IncidentView)> {
    let named = |v: &IncidentView| {
        v.assessment.candidate + 1 < v.candidates
            && !v.partners.is_empty()
            && moment.turn < super::situation::political_window_end(v.ends, moment.calendar)
    };
    let v = most_severe(views.iter().filter(|v| named(v)))?;
    if taken_on_the_campaign(views, v, moment, history, crate::toolbox::NATIONAL_ATTRIBUTION) {
        return None;
    }
    let hit = acting_state(None, Some(v), presidency);
    let (leading, probability) = v.national(hit);
    (leading == v.assessment.candidate && probability >= Confidence::HIGH && willingness(hit, leading) >= NAMES_READILY)
        .then(|| (Decision::new(crate::toolbox::NATIONAL_ATTRIBUTION, Some(&v.id)), v))
}

/// Naming after condemning stays open. An incident the EU answered without naming anyone leaves
/// political play at the end of its technical phase, but once partners or a Member State hit
/// name the party behind it within [`super::POLITICAL_DAYS`] of that, the EU names it too:
/// Viasat was condemned at once and named with partners 75 days later (10 May 2022). The most
/// severe such incident gets the strongest naming statement the assessment supports, unless the
/// EU has already named that party on the campaign, has a text naming it in the machinery, or
/// names it this turn (`names_now`): it speaks once.
#[allow(clippy::too_many_arguments)]
fn naming_follow_up<'a>(
    toolbox: &Toolbox,
    history: &History,
    views: &'a [IncidentView],
    focus: &IncidentView,
    names_now: Option<usize>,
    roster: &crate::actors::Roster,
    presidency: usize,
    moment: &Moment,
) -> Option<(Decision, &'a IncidentView)> {
    let turn = moment.turn;
    most_severe(views.iter().filter(|v| {
        v.id != focus.id
            && names_now != Some(v.assessment.candidate)
            && !v.in_play(turn)
            && turn < super::situation::political_window_end(v.ends, moment.calendar)
            && v.naming(history) != Naming::No
            && !named_on_the_campaign(views, v, moment, history, toolbox, Anywhere)
    }))
    .and_then(|v| {
        let spoken = spoken_on_the_campaign(views, v, moment, history, toolbox);
        let severity = campaign_severity(views, v, turn);
        let naming = v.naming(history);
        strongest(toolbox, history, v, roster, presidency, moment, naming, |m| {
            names_in_a_statement(m)
                && in_proportion(m, severity, naming)
                && matches!(m.decided_by, Decider::Council | Decider::HighRepresentative)
                && !says_nothing_new(m, spoken)
        })
        .map(|decision| (decision, v))
    })
}

/// Whether each statement the EU has adopted, or has in the machinery, on this incident or on
/// another whose political window is still open and that the EU assessment ascribes to the same
/// party, named that party. The EU speaks once on a campaign and says more only by saying
/// something else (naming those responsible after condemning, a listing), not by a new
/// declaration on every intrusion (model 3: the one declaration on Exchange, 19 July 2021, and on
/// Viasat, 10 May 2022). A listing adopted or in the machinery speaks for the EU and names those
/// responsible (model 5): the Council listed the Bundestag hackers (22 October 2020) and the GRU
/// officers Estonia named (27 January 2025) without a declaration beside the listing.
fn spoken_on_the_campaign<'a>(
    views: &'a [IncidentView],
    focus: &'a IncidentView,
    moment: &'a Moment,
    history: &'a History,
    toolbox: &'a Toolbox,
) -> Spoken {
    let said = |v: &'a IncidentView| taken_on(v, history, toolbox);
    let on_the_campaign = the_campaign(views, focus, moment)
        .flat_map(said)
        .filter(|m| speaks(m))
        .fold(Spoken::default(), |spoken, m| Spoken {
            said: true,
            named: spoken.named || m.names_perpetrator,
            listed: spoken.listed || m.kind == Kind::Listing,
        });
    // A statement that names no one speaks of the malicious activity, not of a party: while its
    // incident is in its political window it covers the others too, whoever the assessment
    // points at (the EU does not condemn twice in a week because its guess about the culprit of
    // the second attack differs, model 5).
    let unnamed_elsewhere = || {
        views
            .iter()
            .filter(|v| moment.turn < super::situation::political_window_end(v.ends, moment.calendar))
            .flat_map(said)
            .any(|m| m.kind.is_statement() && !m.names_perpetrator)
    };
    Spoken {
        said: on_the_campaign.said || unnamed_elsewhere(),
        named: on_the_campaign.named,
        listed: on_the_campaign.listed,
    }
}

/// The measures adopted on an incident or in the machinery for it.
fn taken_on<'a>(
    v: &'a IncidentView,
    history: &'a History,
    toolbox: &'a Toolbox,
) -> impl Iterator<Item = &'a crate::toolbox::MeasureData> + 'a {
    [&history.adopted, &history.tabled]
        .into_iter()
        .filter_map(|map| map.get(&*v.id))
        .flatten()
        .filter_map(|id| toolbox.find(id).map(|m| toolbox.get(m)))
}

/// What the EU has said on a campaign.
#[derive(Clone, Copy, Default)]
struct Spoken {
    /// Whether it has adopted a statement, or has one in the machinery.
    said: bool,
    /// Whether one of them names those responsible.
    named: bool,
    /// Whether one of them is a listing.
    listed: bool,
}

/// Whether a statement would add nothing to what the EU has said on the campaign: any statement
/// after another unless it names those responsible where the other did not. A declaration,
/// Council conclusions, a statement of solidarity and an HR statement are ways of saying the
/// same thing, not successive answers. Nor does a second listing on a campaign: the Council lists
/// those responsible for a campaign in one act (30 July 2020, six persons and three entities;
/// 22 October 2020, two persons and unit 26165; 27 January 2025, three officers), not in one act
/// for the persons and another for the units weeks later (model 7).
fn says_nothing_new(m: &crate::toolbox::MeasureData, spoken: Spoken) -> bool {
    m.kind.is_statement() && spoken.said && (spoken.named || !m.names_perpetrator)
        || m.kind == Kind::Listing && spoken.listed
}

/// Which incidents of a campaign [`named_on_the_campaign`] looks at.
#[derive(Clone, Copy, PartialEq)]
enum Where {
    /// Every one, and the texts the Council refused as well as those it adopted or has in the
    /// machinery: a follow-up is not tabled again on another intrusion after a refusal.
    Anywhere,
    /// The others only, adopted or in the machinery: the incident itself keeps its own path (a
    /// text refused at one rung comes back a rung lower).
    Elsewhere,
}
use Where::{Anywhere, Elsewhere};

/// Whether the EU has named the party the assessment of `incident` points at, or has a text
/// naming it in the machinery (or, `Anywhere`, has seen the Council refuse one), on an incident of
/// the campaign whose political window is still open: once named, a party is not named again on
/// each intrusion of the campaign.
fn named_on_the_campaign(
    views: &[IncidentView],
    incident: &IncidentView,
    moment: &Moment,
    history: &History,
    toolbox: &Toolbox,
    scope: Where,
) -> bool {
    views
        .iter()
        .filter(|v| {
            v.assessment.candidate == incident.assessment.candidate
                && (scope == Anywhere || v.id != incident.id)
                && moment.turn < super::situation::political_window_end(v.ends, moment.calendar)
        })
        .flat_map(|v| {
            let refused = history.refused.get(&*v.id).into_iter().flatten().map(|(m, _)| m);
            let blocked = (scope == Anywhere).then_some(&history.blocked);
            [Some(&history.adopted), Some(&history.tabled), blocked]
                .into_iter()
                .flatten()
                .filter_map(|map| map.get(&*v.id))
                .flatten()
                .chain(refused.filter(move |_| scope == Anywhere))
        })
        .filter_map(|id| toolbox.find(id).map(|m| toolbox.get(m)))
        .any(|m| speaks(m) && (m.names_perpetrator || m.kind == Kind::Listing))
}

/// The incident and the others of its campaign: those the EU assessment ascribes to the same
/// party whose political window is still open.
fn the_campaign<'a>(
    views: &'a [IncidentView],
    focus: &'a IncidentView,
    moment: &'a Moment<'_>,
) -> impl Iterator<Item = &'a IncidentView> {
    views.iter().filter(move |v| {
        v.id == focus.id
            || v.assessment.candidate == focus.assessment.candidate
                && moment.turn < super::situation::political_window_end(v.ends, moment.calendar)
    })
}

/// Whether the measure was adopted, or is in the machinery, on this incident or on another of the
/// campaign (the same party in the EU assessment) whose political window is still open.
fn taken_on_the_campaign(
    views: &[IncidentView],
    focus: &IncidentView,
    moment: &Moment,
    history: &History,
    measure: &str,
) -> bool {
    the_campaign(views, focus, moment).any(|v| history.adopted_or_tabled(&v.id, measure))
}

/// Whether the Council blocked or refused, on this incident, a text naming those responsible.
fn refused_to_name(history: &History, toolbox: &Toolbox, incident: &str) -> bool {
    let blocked = history.blocked.get(incident).into_iter().flatten();
    let refused = history.refused.get(incident).into_iter().flatten().map(|(m, _)| m);
    blocked
        .chain(refused)
        .filter_map(|id| toolbox.find(id).map(|m| toolbox.get(m)))
        .any(|m| m.names_perpetrator)
}

/// Whether a measure is the EU's word on an incident: a statement of the Council, the High
/// Representative or the institutions, or a listing, which speaks for the EU and names those
/// responsible without a declaration beside it (model 5). A Member State's own attribution is
/// not the EU's word: until model 8 it counted as the EU having named the party, and after the
/// Netherlands named the GRU for the OPCW operation the EU never did, where on 4 October 2018 the
/// Presidents and the High Representative named it the same day.
fn speaks(m: &crate::toolbox::MeasureData) -> bool {
    m.kind.is_statement() && m.decided_by != Decider::MemberState || m.kind == Kind::Listing
}

/// Whether a measure is within proportion to an incident of this severity. Once a party is named
/// in public, saying so with the victim and partners is not measured against the harm (model 5):
/// on 4 October 2018 the EU named the GRU for an operation against the OPCW that had failed.
/// Proportionality bounds what the EU does, not whether it says who did it.
fn in_proportion(m: &crate::toolbox::MeasureData, severity: f64, naming: Naming) -> bool {
    m.intensity <= severity || naming == Naming::Free && names_in_a_statement(m)
}

/// Whether a measure is a statement that names those responsible.
fn names_in_a_statement(m: &crate::toolbox::MeasureData) -> bool {
    m.kind.is_statement() && m.names_perpetrator
}

/// Whether a measure would take effect before the exercise ends. People may begin a Council file
/// the exercise cannot see through; the engine's seats do not start what the exercise will not see
/// finished, so the run's lessons are not read off files nobody could judge.
fn in_time(measure: &crate::toolbox::MeasureData, moment: &Moment) -> bool {
    moment.calendar.due(moment.turn, measure.lead_time) <= moment.last_turn
}

/// The incident to answer: the most severe one still in political play on which the EU has an
/// occasion to speak (a party named in public by partners or a Member State hit, or in confidence
/// for a coordinated day), else the most severe one in play; the earliest on ties. The EU's
/// political answer goes to what has been exposed: in January 2025 it listed the officers
/// Estonia and its partners had named in September 2024, not the ministries breached in 2020.
fn focus_incident<'a>(views: &'a [IncidentView], turn: u32, history: &History) -> Option<&'a IncidentView> {
    let in_play = || views.iter().filter(move |v| v.in_play(turn));
    most_severe(in_play().filter(|v| v.naming(history) != Naming::No)).or_else(|| most_severe(in_play()))
}

/// The most severe of some incidents, the earliest on ties.
fn most_severe<'a>(views: impl Iterator<Item = &'a IncidentView>) -> Option<&'a IncidentView> {
    views.fold(None, |best: Option<&IncidentView>, v| match best {
        Some(b) if b.severity >= v.severity => Some(b),
        _ => Some(v),
    })
}

/// The strongest eligible measure not yet tried on the incident among those `fits` accepts;
/// on equal intensity, a Council decision (the whole EU) beats a narrower one. A statement is
/// drafted at the highest rung of its wording the assessment supports and the Council has not
/// refused: blocked at one rung, it comes back a rung lower.
fn strongest(
    toolbox: &Toolbox,
    history: &History,
    focus: &IncidentView,
    roster: &crate::actors::Roster,
    presidency: usize,
    moment: &Moment,
    may_name: Naming,
    fits: impl Fn(&crate::toolbox::MeasureData) -> bool,
) -> Option<Decision> {
    let acting = acting_state(None, Some(focus), presidency);
    let code = &roster.codes[acting];
    let candidates = roster.candidates();
    toolbox
        .measures
        .iter()
        .filter(|m| fits(m) && in_time(m, moment))
        .filter_map(|m| {
            // The rungs to try, highest first; a measure that is not worded is its own rung.
            let fits_at = |rung: Option<&crate::toolbox::Wording>| {
                let names = m.names_at(rung);
                (!names || may_name.allows(m))
                    && !history.tried_at(&focus.id, &m.id, rung.map(|r| &*r.id))
                    && eligibility(m, rung, Some(focus), acting, code, candidates, moment).is_ok()
            };
            if m.wordings.is_empty() {
                fits_at(None).then_some((m, None))
            } else {
                toolbox.rungs(m).rev().find(|r| fits_at(Some(r))).map(|r| (m, Some(r)))
            }
        })
        .max_by(|(a, _), (b, _)| {
            let council = |m: &crate::toolbox::MeasureData| m.decided_by == Decider::Council;
            a.intensity
                .total_cmp(&b.intensity)
                .then(council(a).cmp(&council(b)))
                .then(b.id.cmp(&a.id))
        })
        .map(|(m, rung)| {
            let decision = Decision::new(&m.id, Some(&focus.id));
            match rung {
                // The highest rung is what an unworded proposal means: say so only below it.
                Some(r) if toolbox.rungs(m).next_back().is_some_and(|top| top.id != r.id) => decision.worded(&r.id),
                _ => decision,
            }
        })
}
