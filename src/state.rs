//! The state every domain shares: the crisis as it stands and the scenario in play. Every domain
//! may import this module and it imports none of them, so that no domain imports another for
//! them (the attribution, the Council, the effects and the record all read the crisis; the
//! injects read the scenario).

use crate::scenario::Scenario;
use bevy::prelude::*;

/// The crisis at the end of the last turn.
#[derive(Resource, Debug, Clone, Default)]
pub struct Crisis {
    /// Rung on the escalation ladder, 0 (peacetime competition) to 9 (armed conflict threshold).
    pub escalation: f64,
    /// Highest escalation reached so far.
    pub peak_escalation: f64,
    /// How far the adversaries misread the EU's intent (mean distrust of a security-seeking EU),
    /// 0 to 1: what breeds spirals.
    pub misperception: f64,
    /// How far the adversaries perceive the EU's resolve to impose costs (mean belief), 0 to 1:
    /// what deterrence needs.
    pub perceived_resolve: f64,
    /// Unity of the Member States, 0 (split) to 1 (fully united).
    pub cohesion: f64,
    /// Shared situational awareness among Member States, 0 to 1.
    pub shared_awareness: f64,
    /// Cohesion gained or lost during this turn, applied in the dynamics stage.
    pub cohesion_shift: f64,
}

/// The scenario being played, shared rather than copied between the runs of a batch.
#[derive(Resource, Debug, Clone)]
pub struct ScenarioRes(pub std::sync::Arc<Scenario>);
