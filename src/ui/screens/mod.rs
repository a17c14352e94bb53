//! The screens, one file each, in the order of an exercise.

mod board;
mod briefing;
mod choose;
mod debrief;
mod replay;
mod seats;

pub(crate) use replay::inject_title;

use super::Screen;
use bevy::prelude::*;
use bevy_egui::EguiPrimaryContextPass;

/// The set every screen draws in, after the style is set.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct Drawn;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        (
            choose::draw.run_if(in_state(Screen::Choose)),
            seats::draw.run_if(in_state(Screen::Seats)),
            briefing::draw.run_if(in_state(Screen::Briefing)),
            board::draw.run_if(in_state(Screen::Board)),
            debrief::draw.run_if(in_state(Screen::Debrief)),
            replay::draw.run_if(in_state(Screen::Replay)),
        )
            .in_set(Drawn),
    );
}
