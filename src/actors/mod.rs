//! The cast of an exercise: the 27 Member States, the High Representative and the EEAS, the
//! Commission, the Council's decision procedure, and the adversaries. Each is an entity.

mod adversary;
mod data;
mod institutions;
mod member_state;
mod roster;

pub use adversary::{Adversary, AdversaryKind, Beliefs, Campaign, Channel, Posture, lower_to};
pub use data::{ActorsData, AdversaryData, CouncilData, EraData, MemberStateData, ThirdCountryData};
pub use institutions::{Commission, Council, HighRepresentative};
pub use member_state::{Attitudes, AttributionCapability, Before, Exposure, MemberState, PlayerSeat};
pub use roster::{Era, Roster, presidency_of, refresh_cast, spawn_cast};

/// The name players see for an adversary id of the cast (`china` → `China`); the id itself when
/// the cast has no such adversary. Records keep ids; words are made when they are shown.
pub fn adversary_name(id: &str) -> &str {
    ActorsData::embedded_ref()
        .adversaries
        .iter()
        .find(|a| a.id == id)
        .map_or(id, |a| a.name.as_str())
}

/// The name of a Member State by its code (`HR` → `Croatia`, `EL` → `Greece`), as reports and
/// the board print it; the code itself when the cast has no such Member State.
pub fn state_name(code: &str) -> &str {
    ActorsData::embedded_ref()
        .member_states
        .iter()
        .find(|m| m.code == code)
        .map_or(code, |m| m.name.as_str())
}

use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Roster>();
    app.add_systems(
        crate::turn::Tabling,
        roster::follow_the_calendar.in_set(crate::turn::TurnSet::Calendar),
    );
}
