//! Panels: functions that draw what they are given and return the user's intents.

use bevy_egui::egui;

mod console;
mod council;
mod feed;
mod map;
mod situation;
mod toolbox;
mod tour;

pub use console::{ConsoleDraft, console};
pub use council::council;
pub use feed::{feed, follow_incident};
pub use map::{Lens, map};
pub use situation::{charts, top_bar};
pub use toolbox::{HeldState, picker};
pub use tour::tour;

/// Width of the map of the Member States in the centre of the board.
const MAP_WIDTH: f32 = 264.0;

/// The centre of a board: the map, and beside it what `beside_map` draws (the tour de table, the
/// Council's decisions) in what is left of the width, scrolling within the upper part; the charts
/// below. The exercise board and a delegation's desk draw it alike.
pub fn centre(
    ui: &mut egui::Ui,
    board: &crate::exercise::Board,
    lens: &mut Lens,
    id: &str,
    beside_map: impl FnOnce(&mut egui::Ui),
) {
    let height = (ui.available_height() * 0.55).max(240.0);
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(MAP_WIDTH);
            map(ui, board, lens);
        });
        ui.add_space(10.0);
        // What is beside the map takes the width left and wraps in it: nothing runs under the
        // Toolbox.
        let rest = ui.available_width().max(200.0);
        ui.vertical(|ui| {
            ui.set_width(rest);
            egui::ScrollArea::vertical()
                .id_salt(format!("{id}-beside-map"))
                .max_height(height)
                .auto_shrink([false, true])
                .show(ui, beside_map);
        });
    });
    ui.separator();
    charts(ui, board, id);
}
