//! Firing the scenario's scripted injects.

use super::{Incident, IncidentCounter, Perpetrator, Severity};
use crate::actors::{Campaign, Posture, Roster};
use crate::attribution::{Attribution, EuAssessment, Evidence};
use crate::outcome::TurnLog;
use crate::simulation::ScenarioRes;
use crate::turn::TurnClock;
use bevy::prelude::*;

/// Fires every inject scheduled for this turn, in file order.
pub(super) fn fire_injects(
    mut commands: Commands,
    clock: Res<TurnClock>,
    scenario: Res<ScenarioRes>,
    roster: Res<Roster>,
    mut counter: ResMut<IncidentCounter>,
    mut log: ResMut<TurnLog>,
    mut adversaries: Query<(&mut Campaign, &mut Posture)>,
) {
    for inject in scenario.0.injects.iter().filter(|i| i.turn == clock.turn) {
        log.injects.push(crate::outcome::InjectRecord {
            id: inject.id.clone(),
            title: inject.title.clone(),
        });
        if let Some(spec) = &inject.incident {
            let Some(adversary) = roster.adversary_index(&spec.perpetrator) else {
                continue;
            };
            let victims: Vec<usize> = spec.victims.iter().filter_map(|v| roster.state_index(v)).collect();
            counter.0 += 1;
            commands.spawn((
                Incident {
                    seq: counter.0,
                    id: inject.id.clone(),
                    title: inject.title.clone(),
                    turn: clock.turn,
                    victims,
                },
                Severity::from(spec.severity),
                Perpetrator {
                    adversary,
                    false_flag: spec.false_flag.as_ref().and_then(|f| roster.adversary_index(f)),
                },
                Attribution::uniform(roster.member_states.len(), roster.candidates()),
                EuAssessment::unknown(roster.candidates()),
                Evidence::default(),
            ));
            if let Ok((mut campaign, _)) = adversaries.get_mut(roster.adversaries[adversary]) {
                campaign.operations += 1;
            }
        }
        if let Some(shift) = &inject.posture
            && let Some(index) = roster.adversary_index(&shift.adversary)
            && let Ok((mut campaign, mut posture)) = adversaries.get_mut(roster.adversaries[index])
        {
            campaign.activity = (campaign.activity + shift.activity).clamp(0.0, 1.0);
            posture.intent = (posture.intent + shift.intent).clamp(0.0, 1.0);
        }
    }
}
