//! The situation as the EU sees it: what a policy, the window and the eligibility rules read.

use crate::actors::Roster;
use crate::attribution::{Attribution, EuAssessment};
use crate::incidents::{Incident, Severity};
use crate::toolbox::Confidence;
use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

/// One incident as the EU sees it (the true perpetrator is not part of it).
#[derive(Debug, Clone)]
pub struct IncidentView {
    /// Incident id.
    pub id: std::sync::Arc<str>,
    /// Turn it surfaced.
    pub turn: u32,
    /// Overall severity, 0 to 1.
    pub severity: f64,
    /// The first turn after its technical phase.
    pub ends: u32,
    /// The first turn it is no longer in political play (see [`in_play`]), as of the last survey.
    pub in_play_until: u32,
    /// Member States hit.
    pub victims: Vec<usize>,
    /// The EU's shared assessment.
    pub assessment: EuAssessment,
    /// Each Member State's full posterior over the candidates, row after row (`candidates` wide).
    pub posteriors: Vec<f64>,
    /// Number of candidates, the width of a posterior row.
    pub candidates: usize,
    /// What sort of actor the EU assessment points at, if a known one.
    pub suspect_kind: Option<crate::actors::AdversaryKind>,
    /// Its name, or "another actor".
    pub suspect_name: String,
    /// Whether the suspect is an OSCE participating State.
    pub suspect_osce: bool,
    /// Its severity alone, 0 to 1 (the weight above also counts data theft): what the Treaty
    /// clauses' thresholds read, since stolen data is not an armed aggression or a disaster.
    pub harm: f64,
    /// Its rung on the escalation ladder, 0 to 6: what it does (3 serious disruption, 4
    /// destruction), not how much it matters.
    pub rung: f64,
    /// The id of the adversary the assessment points at, if a known one.
    pub suspect_id: Option<String>,
    /// Partners that have published their assessment of who is responsible, by name.
    pub partners: Vec<String>,
    /// Whether partners have briefed the Member States in confidence that the party the EU
    /// assessment points at is responsible, and none has said so in public yet: a coordinated
    /// day is being prepared, for which the EU may draft a text naming the party (adopted only on
    /// the day, see [`crate::council::File::embargo`]).
    pub briefed: bool,
}

/// Who has named the party the EU assessment of an incident points at, and so where the EU may
/// name it: the policies decide by it what to table, and the Council procedure when a text drafted
/// for partners' public day is adopted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// In any text: partners have named it in public, or a Member State hit has.
    Free,
    /// Only in a Council statement drafted for the partners' public day, which they have briefed
    /// the Member States on in confidence: it is adopted on that day, not before.
    ForThePartnersDay,
    /// Not yet: in the record the EU never named a State first.
    No,
}

impl Naming {
    /// Whether a text of this measure may name the party.
    pub fn allows(self, m: &crate::toolbox::MeasureData) -> bool {
        match self {
            Naming::Free => true,
            Naming::ForThePartnersDay => m.rule.voted() && m.kind.is_statement(),
            Naming::No => false,
        }
    }
}

impl IncidentView {
    /// Who has named the party behind it: partners in public (a coordinated day: Exchange 2021,
    /// Viasat 2022) or a Member State hit (Estonia 2024, Germany 2020); else partners in
    /// confidence, for their day; else nobody.
    pub fn naming(&self, history: &super::History) -> Naming {
        if !self.partners.is_empty() || history.attributed_nationally(&self.id) {
            Naming::Free
        } else if self.briefed {
            Naming::ForThePartnersDay
        } else {
            Naming::No
        }
    }

    /// Whether the incident's technical phase is still under way at this turn.
    pub fn active(&self, turn: u32) -> bool {
        turn < self.ends
    }

    /// Whether it is still in political play: the EU can be expected to answer it.
    pub fn in_play(&self, turn: u32) -> bool {
        turn < self.in_play_until
    }

    /// A Member State's leading candidate and its probability, from its posterior (read for a
    /// few Member States a turn, not worked out for all of them on every incident).
    pub fn national(&self, state: usize) -> (usize, f64) {
        crate::attribution::leading(&self.posteriors[state * self.candidates..(state + 1) * self.candidates])
    }

    /// Every Member State's leading candidate and its probability, in protocol order.
    pub fn nationals(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.posteriors
            .chunks_exact(self.candidates.max(1))
            .map(crate::attribution::leading)
    }

    /// A Member State's probability that `candidate` did it.
    pub fn national_probability(&self, state: usize, candidate: usize) -> f64 {
        self.posteriors[state * self.candidates + candidate]
    }

    /// The EU's estimative confidence.
    pub fn confidence(&self) -> Confidence {
        self.assessment.confidence()
    }
}

/// Story days an incident the EU has not answered stays in political play after its technical
/// phase: the EU's answers come late (the declaration on Viasat, 75 days after the attack; a
/// listing, months).
pub const POLITICAL_DAYS: u32 = 90;

/// The first turn an incident is no longer in political play: the end of its technical phase if
/// the EU has answered it politically (a statement, a declaration, conclusions, a listing, a
/// measure naming those responsible) and no Council file on it is in the
/// machinery; otherwise [`POLITICAL_DAYS`] of play after its technical phase (a phase's gap does
/// not count), or later while a file on it is still on its way.
pub fn in_play_until(incident: &Incident, calendar: &crate::scenario::Calendar, history: &super::History) -> u32 {
    if history.tabled.contains_key(&*incident.id) {
        return u32::MAX;
    }
    if history.answered.contains(&*incident.id) {
        return incident.ends;
    }
    political_window_end(incident.ends, calendar)
}

/// The first turn after the [`POLITICAL_DAYS`] of play that follow a technical phase ending at
/// turn `ends`: how long the EU has to answer an incident, or to name who it condemned. Counted in
/// played turns: a phase's gap jumps to when the case comes back, it does not use up the time
/// the EU has (the Bundestag hack of 2015, the listing of 2020).
pub fn political_window_end(ends: u32, calendar: &crate::scenario::Calendar) -> u32 {
    ends.saturating_add(crate::scenario::StoryTime::days(POLITICAL_DAYS).turns(calendar.turn_hours))
}

/// The incidents as the EU sees them, surveyed once per turn at the end of the perception stage,
/// in order of appearance: what policies, the decision procedure and the window read.
#[derive(Resource, Debug, Clone, Default)]
pub struct Survey(pub Vec<IncidentView>);

/// Brings the survey up to date after attribution has moved. Incidents are only ever added and
/// are numbered 1, 2, 3... in order of appearance, so each view is updated in place at index
/// `seq - 1` and new ones are appended: no reallocation turn after turn.
pub(crate) fn survey(
    roster: Res<Roster>,
    clock: Res<crate::turn::TurnClock>,
    history: Res<super::History>,
    adversaries: Query<&crate::actors::Adversary>,
    incidents: Query<(
        &Incident,
        &Severity,
        Ref<Attribution>,
        &EuAssessment,
        &crate::incidents::PartnerAttributions,
        &crate::incidents::Theft,
    )>,
    mut survey: ResMut<Survey>,
) {
    let k = roster.candidates();
    let mut fresh: Vec<(u32, IncidentView)> = Vec::new();
    for (incident, severity, attribution, assessment, notes, theft) in &incidents {
        // The partners who have publicly named the party the EU's assessment points at, and
        // whether any has named it in confidence.
        let mut partners: Vec<String> = Vec::new();
        let mut confided = false;
        for note in notes.0.iter().filter(|n| n.names == assessment.candidate) {
            confided |= !note.public;
            for p in note.partners.iter().filter(|_| note.public) {
                if !partners.contains(p) {
                    partners.push(p.clone());
                }
            }
        }
        let briefed = confided && partners.is_empty();
        let suspect = roster
            .adversaries
            .get(assessment.candidate)
            .and_then(|e| adversaries.get(*e).ok());
        let suspect_kind = suspect.map(|a| a.kind);
        let suspect_osce = suspect.is_some_and(|a| a.osce);
        match survey.0.get_mut(incident.seq as usize - 1) {
            Some(view) => {
                view.in_play_until = in_play_until(incident, &clock.calendar, &history);
                view.assessment = *assessment;
                // Once an incident's analysis is over its posteriors rest: nothing to copy.
                if attribution.is_changed() {
                    view.posteriors.copy_from_slice(attribution.flat());
                }
                view.suspect_kind = suspect_kind;
                view.suspect_osce = suspect_osce;
                view.suspect_name.clear();
                view.suspect_name.push_str(roster.candidate_name(assessment.candidate));
                view.partners = partners;
                view.briefed = briefed;
                if view.suspect_id.as_deref() != suspect.map(|a| a.id.as_str()) {
                    view.suspect_id = suspect.map(|a| a.id.clone());
                }
            }
            None => fresh.push((
                incident.seq,
                IncidentView {
                    id: incident.id.clone(),
                    turn: incident.turn,
                    severity: crate::incidents::weight(severity, *theft),
                    harm: severity.level(),
                    rung: severity.rung(),
                    ends: incident.ends,
                    in_play_until: in_play_until(incident, &clock.calendar, &history),
                    victims: incident.victims.clone(),
                    assessment: *assessment,
                    posteriors: attribution.flat().to_vec(),
                    candidates: k,
                    suspect_kind,
                    suspect_name: roster.candidate_name(assessment.candidate).to_owned(),
                    suspect_osce,
                    suspect_id: suspect.map(|a| a.id.clone()),
                    partners,
                    briefed,
                },
            )),
        }
    }
    fresh.sort_by_key(|(seq, _)| *seq);
    for (seq, view) in fresh {
        debug_assert_eq!(seq as usize, survey.0.len() + 1, "incidents are numbered without gaps");
        survey.0.push(view);
    }
}

/// Read access to the survey and the roster.
#[derive(SystemParam)]
pub struct Situation<'w> {
    roster: Res<'w, Roster>,
    survey: Res<'w, Survey>,
}

impl Situation<'_> {
    /// Every incident, in order of appearance.
    pub fn views(&self) -> &[IncidentView] {
        &self.survey.0
    }

    /// The roster.
    pub fn roster(&self) -> &Roster {
        &self.roster
    }
}

/// Severity of the campaign an incident belongs to: the worst active incident the EU ascribes to
/// the same candidate, plus a little for each other one (a sustained campaign weighs more than
/// its worst incident alone).
pub fn campaign_severity(views: &[IncidentView], focus: &IncidentView, turn: u32) -> f64 {
    let same = views
        .iter()
        .filter(|v| v.active(turn) && v.assessment.candidate == focus.assessment.candidate);
    let (worst, count) = same.fold((focus.severity, 0_usize), |(worst, count), v| {
        (f64::max(worst, v.severity), count + 1)
    });
    (worst + 0.05 * count.saturating_sub(1) as f64).min(1.0)
}
