//! The 27 Member States as a stylised map: a tile grid laid out roughly as Europe is, coloured
//! by exposure, by firmness towards the suspect, or by the last Council vote.

use crate::council::Ballot;
use crate::exercise::{Board, StateCell};
use crate::ui::theme;
use bevy_egui::egui::{self, Color32, RichText};

/// What the tiles are coloured by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lens {
    /// Exposure to malicious cyber activity.
    #[default]
    Exposure,
    /// Firmness towards the suspect of the worst active incident.
    Stance,
    /// The last Council vote.
    Vote,
}

/// Tile positions (column, row) of the Member States, past and present (the United Kingdom until
/// 31 January 2020): a cartogram of Europe. Only the scenario's members are drawn.
const LAYOUT: [(&str, u8, u8); 28] = [
    ("FI", 6, 0),
    ("SE", 5, 0),
    ("EE", 6, 1),
    ("LV", 6, 2),
    ("LT", 6, 3),
    ("IE", 0, 2),
    ("UK", 1, 2),
    ("DK", 4, 1),
    ("NL", 2, 2),
    ("BE", 2, 3),
    ("LU", 3, 4),
    ("DE", 3, 3),
    ("PL", 5, 3),
    ("FR", 2, 4),
    ("CZ", 4, 4),
    ("SK", 5, 4),
    ("AT", 4, 5),
    ("HU", 5, 5),
    ("RO", 6, 5),
    ("PT", 0, 6),
    ("ES", 1, 6),
    ("IT", 3, 6),
    ("SI", 4, 6),
    ("HR", 5, 6),
    ("BG", 6, 6),
    ("MT", 3, 7),
    ("EL", 5, 7),
    ("CY", 7, 7),
];

/// The map with its lens selector.
pub fn map(ui: &mut egui::Ui, board: &Board, lens: &mut Lens) {
    ui.heading("Member States");
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new("colour by").small());
        ui.selectable_value(lens, Lens::Exposure, "exposure");
        ui.selectable_value(lens, Lens::Stance, "stance");
        ui.selectable_value(lens, Lens::Vote, "last vote");
    });
    let legend = match lens {
        Lens::Exposure => "green: resilient · red: exposed · ring: hit by an unfolding incident",
        Lens::Stance => "pale: accommodating · deep blue: firm, towards the main suspect",
        Lens::Vote => "green: for · grey: abstained · red: objected · white: no vote this turn",
    };
    ui.label(RichText::new(legend).small());
    let tile = (ui.available_width() / 8.0).clamp(30.0, 58.0);
    let (rect, _) = ui.allocate_exact_size(egui::vec2(tile * 8.0, tile * 0.78 * 8.0), egui::Sense::hover());
    for (code, col, row) in LAYOUT {
        let Some(state) = board.states.iter().find(|s| s.code == code) else {
            continue;
        };
        let min = rect.min + egui::vec2(f32::from(col) * tile, f32::from(row) * tile * 0.78);
        let cell = egui::Rect::from_min_size(min, egui::vec2(tile - 3.0, tile * 0.78 - 3.0));
        let fill = fill(state, *lens);
        ui.painter().rect_filled(cell, 4, fill);
        // Rings would read as objections through the red of the vote lens.
        if state.hit && *lens != Lens::Vote {
            ui.painter()
                .rect_stroke(cell, 4, egui::Stroke::new(2.5, theme::DANGER), egui::StrokeKind::Inside);
        }
        if state.held {
            ui.painter()
                .circle_filled(cell.right_top() + egui::vec2(-6.0, 6.0), 3.5, theme::EU_BLUE);
        }
        ui.painter().text(
            cell.center(),
            egui::Align2::CENTER_CENTER,
            code,
            egui::FontId::proportional(13.0),
            theme::ink_on(fill),
        );
        let response = ui.interact(cell, ui.id().with(code), egui::Sense::hover());
        response.on_hover_text(describe(state));
    }
}

fn fill(state: &StateCell, lens: Lens) -> Color32 {
    match lens {
        Lens::Exposure => theme::heat(state.exposure),
        Lens::Stance => theme::firmness(state.stance),
        Lens::Vote => match &state.ballot {
            Some(Ballot::For | Ballot::Silence) => theme::GOOD,
            Some(Ballot::Abstain) => Color32::from_gray(160),
            Some(Ballot::Object(_)) => theme::DANGER,
            None => Color32::WHITE,
        },
    }
}

fn describe(state: &StateCell) -> String {
    let mut text = format!(
        "{} ({})\nexposure {:.0}% · stance {:+.2}",
        state.name,
        state.code,
        state.exposure * 100.0,
        state.stance
    );
    if state.hit {
        text.push_str("\nhit by an unfolding incident");
    }
    if state.held {
        text.push_str("\nheld by a player");
    }
    match &state.ballot {
        Some(Ballot::For) => text.push_str("\nlast vote: for"),
        Some(Ballot::Silence) => text.push_str("\nlast vote: silent (assent)"),
        Some(Ballot::Abstain) => text.push_str("\nlast vote: constructive abstention"),
        Some(Ballot::Object(why)) => text.push_str(&format!("\nlast vote: objected ({why})")),
        None => {}
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_member_state_has_its_own_tile() {
        let actors = crate::actors::ActorsData::embedded_ref();
        let mut tiles: Vec<(u8, u8)> = super::LAYOUT.iter().map(|(_, c, r)| (*c, *r)).collect();
        tiles.sort();
        tiles.dedup();
        assert_eq!(tiles.len(), 28, "two Member States share a tile");
        for state in &actors.member_states {
            assert!(
                super::LAYOUT.iter().any(|(code, _, _)| *code == state.code),
                "{} is missing from the map",
                state.code
            );
        }
    }
}
