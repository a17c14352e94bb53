//! Decisions: what the players (or a scripted policy standing in for them) propose each turn.
//!
//! A decision names a Toolbox measure, the incident it answers, and for national measures the
//! Member State acting. Decisions are plain data, so the window, the tests and replays all feed
//! the same queue.

mod policy;
mod seats;
mod situation;

pub use policy::Policy;
pub use seats::{Role, Seats};
pub use situation::{
    IncidentView, Naming, POLITICAL_DAYS, Situation, Survey, campaign_severity, in_play_until, political_window_end,
};

use crate::turn::{Tabling, TurnClock, TurnSet};
use bevy::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One proposal of a Toolbox measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Id of the measure in the Toolbox.
    pub measure: String,
    /// Id of the incident it answers, if any.
    #[serde(default)]
    pub incident: Option<String>,
    /// Code of the Member State acting, for measures one Member State takes.
    #[serde(default)]
    pub by: Option<String>,
    /// The rung of the ladder of attribution wordings a statement is drafted at (`territory`,
    /// `state`...); none means the measure's highest rung.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wording: Option<String>,
}

impl Decision {
    /// A proposal answering an incident.
    pub fn new(measure: &str, incident: Option<&str>) -> Self {
        Self {
            measure: measure.to_owned(),
            incident: incident.map(str::to_owned),
            by: None,
            wording: None,
        }
    }

    /// The same proposal drafted at a rung of the ladder of wordings.
    pub fn worded(mut self, rung: &str) -> Self {
        self.wording = Some(rung.to_owned());
        self
    }
}

/// Decisions taken by people, by the turn they were taken in.
#[derive(Resource, Debug, Clone, Default)]
pub struct PlayerDecisions(pub BTreeMap<u32, Vec<Decision>>);

/// Which seat put each of people's proposals on the table, by turn, when it is known (a
/// networked exercise, where each delegation proposes from its own desk). At one desk it is not
/// recorded: the report names a held seat that tables the measure.
#[derive(Resource, Debug, Clone, Default)]
pub struct Proposers(pub BTreeMap<u32, Vec<(Decision, Role)>>);

/// This turn's proposals, in the order they go to the decision procedure.
#[derive(Resource, Debug, Clone, Default)]
pub struct Proposals(pub Vec<Decision>);

/// What has already been decided, so nobody proposes the same measure on the same incident twice.
/// Keyed by incident id ("" for measures that answer none), then measure id.
#[derive(Resource, Debug, Clone, Default)]
pub struct History {
    /// Measures adopted, by incident.
    pub adopted: BTreeMap<String, BTreeSet<String>>,
    /// Measures the Council blocked, by incident.
    pub blocked: BTreeMap<String, BTreeSet<String>>,
    /// Statements the Council refused at a rung of their wording, by incident: (measure, rung).
    pub refused: BTreeMap<String, Vec<(String, String)>>,
    /// Council files in the machinery, by incident.
    pub tabled: BTreeMap<String, BTreeSet<String>>,
    /// Every Council measure whose file has entered the machinery in the run.
    pub opened: BTreeSet<String>,
    /// Frameworks that lapsed in the run (a refused extension): what they enabled is no longer
    /// possible, and what was in force under them lapsed with them.
    pub lapsed: BTreeSet<String>,
    /// Incidents the EU has answered politically (a statement, a declaration, conclusions, a
    /// listing, or a measure naming those responsible).
    pub answered: BTreeSet<String>,
    /// Measures that have taken effect in the run: an enabling decision (the sanctions
    /// framework) makes others possible from then on.
    pub in_effect: BTreeSet<String>,
}

impl History {
    /// Whether the measure was already adopted, blocked or tabled for this incident.
    pub fn tried(&self, incident: &str, measure: &str) -> bool {
        self.adopted_or_tabled(incident, measure) || self.blocked.get(incident).is_some_and(|m| m.contains(measure))
    }

    /// Whether the measure, drafted at `rung` of its wording (or not worded), was already adopted
    /// or tabled for this incident, or refused at that rung: a statement refused at one rung may
    /// come back a rung lower.
    pub fn tried_at(&self, incident: &str, measure: &str, rung: Option<&str>) -> bool {
        let Some(rung) = rung else {
            return self.tried(incident, measure);
        };
        self.adopted_or_tabled(incident, measure)
            || self
                .refused
                .get(incident)
                .is_some_and(|r| r.iter().any(|(m, w)| m == measure && w == rung))
    }

    /// Whether the measure was adopted on the incident or is in the machinery for it.
    pub fn adopted_or_tabled(&self, incident: &str, measure: &str) -> bool {
        let has = |map: &BTreeMap<String, BTreeSet<String>>| map.get(incident).is_some_and(|m| m.contains(measure));
        has(&self.adopted) || has(&self.tabled)
    }

    /// Records a statement the Council refused at a rung of its wording.
    pub fn refuse(&mut self, incident: &str, measure: &str, rung: &str) {
        unmark(&mut self.tabled, incident, measure);
        self.refused
            .entry(incident.to_owned())
            .or_default()
            .push((measure.to_owned(), rung.to_owned()));
    }

    /// Whether a Member State has attributed this incident publicly (a national attribution
    /// adopted on it).
    pub fn attributed_nationally(&self, incident: &str) -> bool {
        self.adopted
            .get(incident)
            .is_some_and(|m| m.contains(crate::toolbox::NATIONAL_ATTRIBUTION))
    }

    /// Whether the Council refused anything on this incident.
    pub fn council_failed(&self, incident: &str) -> bool {
        self.blocked.get(incident).is_some_and(|m| !m.is_empty()) || self.refused.contains_key(incident)
    }

    /// Whether a Council file of the measure on this incident is in the machinery.
    pub fn in_machinery(&self, incident: &str, measure: &str) -> bool {
        self.tabled.get(incident).is_some_and(|m| m.contains(measure))
    }

    /// Records a Council file entering the machinery.
    pub fn table(&mut self, incident: &str, measure: &str) {
        mark(&mut self.tabled, incident, measure);
        self.opened.insert(measure.to_owned());
    }

    /// Records an adoption.
    pub fn adopt(&mut self, incident: &str, measure: &str) {
        unmark(&mut self.tabled, incident, measure);
        mark(&mut self.adopted, incident, measure);
    }

    /// Records a blocked file.
    pub fn block(&mut self, incident: &str, measure: &str) {
        unmark(&mut self.tabled, incident, measure);
        mark(&mut self.blocked, incident, measure);
    }

    /// Records a text shelved without a vote: out of the machinery, neither adopted nor refused.
    pub fn shelve(&mut self, incident: &str, measure: &str) {
        unmark(&mut self.tabled, incident, measure);
    }

    /// Records a decision that lapsed at its review: no longer in force, and open to a new file.
    pub fn lapse(&mut self, incident: &str, measure: &str) {
        unmark(&mut self.adopted, incident, measure);
        if !self.ever_adopted(measure) {
            self.in_effect.remove(measure);
        }
    }

    /// Whether the measure was adopted on any incident.
    pub fn ever_adopted(&self, measure: &str) -> bool {
        self.adopted.values().any(|m| m.contains(measure))
    }
}

fn mark(map: &mut BTreeMap<String, BTreeSet<String>>, incident: &str, measure: &str) {
    map.entry(incident.to_owned()).or_default().insert(measure.to_owned());
}

fn unmark(map: &mut BTreeMap<String, BTreeSet<String>>, incident: &str, measure: &str) {
    if let Some(measures) = map.get_mut(incident) {
        measures.remove(measure);
        if measures.is_empty() {
            map.remove(incident);
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<PlayerDecisions>()
        .init_resource::<Proposers>()
        .init_resource::<Proposals>()
        .init_resource::<History>()
        .init_resource::<Policy>()
        .init_resource::<Seats>()
        .init_resource::<Survey>()
        .add_systems(crate::turn::RunStart, start_run);
    app.add_systems(
        Tabling,
        situation::survey
            .in_set(TurnSet::Perception)
            .after(crate::attribution::Assessed),
    );
    app.add_systems(
        Tabling,
        (take_player_decisions, policy::policy_decides)
            .chain()
            .in_set(TurnSet::Decisions),
    );
}

/// The players' decisions for this turn go first, in the order they were taken.
fn take_player_decisions(clock: Res<TurnClock>, players: Res<PlayerDecisions>, mut proposals: ResMut<Proposals>) {
    proposals.0.clear();
    if let Some(decisions) = players.0.get(&clock.turn) {
        proposals.0.extend(decisions.iter().cloned());
    }
}

/// A new run: no decision queued or proposed, no history, no survey, and every seat the
/// engine's (a reused cast gives back the Member States people held).
fn start_run(
    mut decisions: ResMut<PlayerDecisions>,
    mut proposers: ResMut<Proposers>,
    mut proposals: ResMut<Proposals>,
    mut history: ResMut<History>,
    mut survey: ResMut<Survey>,
    mut seats: ResMut<Seats>,
    held: Query<Entity, With<crate::actors::PlayerSeat>>,
    mut commands: Commands,
) {
    decisions.0.clear();
    proposers.0.clear();
    proposals.0.clear();
    *history = History::default();
    survey.0.clear();
    if !seats.0.is_empty() {
        *seats = Seats::default();
    }
    for entity in &held {
        commands.entity(entity).remove::<crate::actors::PlayerSeat>();
    }
}
