//! Malicious cyber incidents: what the scenario's injects reveal and what adversaries' campaigns
//! add. Each incident is an entity carrying the Council's seven proportionality dimensions, the
//! Member States hit, its hidden true perpetrator, and each Member State's attribution view.

mod injects;
mod operations;
mod severity;

pub use injects::{FacilitatorFires, FacilitatorShifts, InjectBook};
pub use severity::{DIMENSION_NAMES, Severity};

use crate::turn::{Tabling, TurnSet};
use bevy::prelude::*;

/// One malicious cyber incident.
#[derive(Component, Debug, Clone)]
pub struct Incident {
    /// Order of appearance in the run: the order every system visits incidents in.
    pub seq: u32,
    /// Identifier: the inject id for scripted incidents, `op-N` for adversary operations.
    /// Shared, not copied, by the records that name the incident every turn.
    pub id: std::sync::Arc<str>,
    /// Headline shown to players.
    pub title: String,
    /// Turn it surfaced.
    pub turn: u32,
    /// The first turn after its technical phase (the malware runs, services are down): its
    /// duration in story days on the calendar, at least one turn.
    pub ends: u32,
    /// The story hour its technical phase ends.
    pub ends_hours: u64,
    /// Roster indices of the Member States hit.
    pub victims: Vec<usize>,
}

impl Incident {
    /// Whether its technical phase is still under way at `turn`.
    pub fn unfolding(&self, turn: u32) -> bool {
        turn < self.ends
    }

    /// The share of `turn` its technical phase covers, 0 to 1: with 24-hour turns and whole-day
    /// durations 1 while it unfolds and 0 after; with 7-day turns, 4/7 of the week for a four-day
    /// attack. What the escalation and cohesion of a turn weigh its severity by.
    pub fn unfolding_share(&self, turn: u32, calendar: &crate::scenario::Calendar) -> f64 {
        if !self.unfolding(turn) {
            return 0.0;
        }
        let start = calendar.hours_at(turn);
        let left = self.ends_hours.saturating_sub(start) as f64;
        (left / f64::from(calendar.turn_hours)).clamp(0.0, 1.0)
    }

    /// Everything an incident entity starts with: the incident surfacing at the clock's turn,
    /// its severity, its hidden perpetrator, and Member States who know nothing yet. Scripted
    /// injects and adversary operations spawn the same bundle.
    pub fn bundle(
        seq: u32,
        (id, title): (String, String),
        (severity, theft): (Severity, Theft),
        perpetrator: Perpetrator,
        victims: Vec<usize>,
        clock: &crate::turn::TurnClock,
        roster: &crate::actors::Roster,
    ) -> impl Bundle {
        let days = severity.technical_days();
        (
            Self::new(seq, id, title, clock.turn, days, &clock.calendar, victims),
            severity,
            theft,
            perpetrator,
            crate::attribution::Attribution::uniform(roster.member_states.len(), roster.candidates()),
            crate::attribution::EuAssessment::unknown(roster.candidates()),
            crate::attribution::Evidence::default(),
            PartnerAttributions::default(),
        )
    }

    /// A new incident at `turn` whose technical phase lasts `days`.
    pub fn new(
        seq: u32,
        id: String,
        title: String,
        turn: u32,
        days: u32,
        calendar: &crate::scenario::Calendar,
        victims: Vec<usize>,
    ) -> Self {
        Self {
            seq,
            id: id.into(),
            title,
            turn,
            ends: calendar.after(turn, days),
            ends_hours: calendar.hours_at(turn) + u64::from(days) * 24,
            victims,
        }
    }
}

/// Who truly did it. Hidden from players; the engine uses it to generate forensic signals.
#[derive(Component, Debug, Clone, Copy)]
pub struct Perpetrator {
    /// Adversary index of the true perpetrator.
    pub adversary: usize,
    /// Adversary index whose traces were planted, if any.
    pub false_flag: Option<usize>,
}

/// The theft of sensitive or commercial data an incident carried out, and the economic loss, 0
/// to 5 (Art. 3 of Decision (CFSP) 2019/797).
#[derive(Component, Debug, Clone, Copy, Default, PartialEq)]
pub struct Theft(pub u8);

/// Below this, data theft adds nothing to the weight a response answers.
const THEFT_FLOOR: f64 = 0.2;
/// What each level of data theft adds to it.
const THEFT_STEP: f64 = 0.15;

/// The weight of an incident a response must be proportionate to, 0 to 1: its severity, or what
/// the data it stole and the economic loss weigh, whichever is higher (the regime's Art. 3
/// factors: scale, economic loss, the theft of sensitive data). A theft of level 3 weighs 0.65,
/// enough for a listing of persons (intensity 0.7) within the tolerance.
pub fn weight(severity: &Severity, theft: Theft) -> f64 {
    if theft.0 == 0 {
        return severity.level();
    }
    severity
        .level()
        .max((THEFT_FLOOR + THEFT_STEP * f64::from(theft.0)).min(1.0))
}

/// Partners' assessments of an incident, in the order they came. A public one is what the EU
/// may echo and what makes its own statement a coordinated, co-signed one; one briefed in
/// confidence is the start of a coordinated day: the EU drafts its text on it, for the day the
/// partners speak (the Exchange briefings of June 2021 before 19 July; docs/model.md, section 8).
#[derive(Component, Debug, Clone, Default)]
pub struct PartnerAttributions(pub Vec<PartnerNote>);

/// One assessment by partners, public or briefed in confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerNote {
    /// The partners, by name ("the United States", "NATO").
    pub partners: Vec<String>,
    /// The adversary they hold responsible.
    pub names: usize,
    /// Whether they said it in public (otherwise they briefed the Member States in confidence).
    pub public: bool,
}

/// A partners' assessment brought by an inject this turn, for attribution to take in.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerRelease {
    /// The incident assessed, by id.
    pub incident: String,
    /// The partners, by name.
    pub partners: Vec<String>,
    /// The adversary they hold responsible.
    pub names: usize,
    /// Intelligence released to the Member States, in days' worth of a near-certain signal.
    pub released: f64,
    /// Whether they attribute publicly.
    pub public: bool,
}

/// This turn's partners' assessments, in the order their injects fired.
#[derive(Resource, Debug, Clone, Default)]
pub struct PartnerReleases(pub Vec<PartnerRelease>);

/// Counts incidents so each gets its order of appearance.
#[derive(Resource, Debug, Clone, Default)]
pub struct IncidentCounter(pub u32);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<IncidentCounter>()
        .init_resource::<InjectBook>()
        .init_resource::<FacilitatorFires>()
        .init_resource::<FacilitatorShifts>()
        .init_resource::<PartnerReleases>()
        .add_systems(crate::turn::RunStart, start_run);
    app.add_systems(
        Tabling,
        (injects::fire_injects, operations::surface_operations)
            .chain()
            .in_set(TurnSet::Injects),
    );
}

/// A new run: incidents are numbered from 1 again, and the facilitator has fired nothing and
/// shifted no posture yet.
fn start_run(
    mut counter: ResMut<IncidentCounter>,
    mut fires: ResMut<FacilitatorFires>,
    mut shifts: ResMut<FacilitatorShifts>,
    mut releases: ResMut<PartnerReleases>,
) {
    counter.0 = 0;
    fires.0.clear();
    shifts.0.clear();
    releases.0.clear();
}
