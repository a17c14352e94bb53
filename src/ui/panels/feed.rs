//! The incident feed: what the turn brought (injects, and the adversaries' answers to the EU's
//! measures), then each incident with its seven proportionality dimensions, the EU's shared
//! assessment and each Member State's own confidence, in estimative language.

use crate::exercise::{Board, DIMENSION_NAMES, IncidentCard};
use crate::toolbox::{Confidence, Reaction};
use crate::ui::theme;
use bevy_egui::egui::{self, Color32, RichText};

/// Colour of a confidence level.
pub fn confidence_color(c: Confidence) -> Color32 {
    match c {
        Confidence::Low => Color32::from_rgb(220, 220, 214),
        Confidence::Moderate => Color32::from_rgb(120, 160, 215),
        Confidence::High => Color32::from_rgb(0, 51, 153),
    }
}

/// The feed, newest first: everything that surfaced so far, each with the turn it surfaced and
/// what came since the table last pressed "Play turn" (`seen`: the turn the board showed then)
/// marked new, then each incident. Clicking an incident pins it as the one proposals answer; with
/// `selected` absent (the replay viewer) the feed only shows.
pub fn feed(ui: &mut egui::Ui, board: &Board, mut selected: Option<&mut Option<String>>, seen: Option<u32>) {
    ui.heading("Incidents");
    egui::ScrollArea::vertical()
        .id_salt("feed")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if !board.story.is_empty() {
                // The latest turn (and whatever is new since the last press) in full; earlier
                // turns one click away, so that the incidents stay in view.
                let since = seen
                    .unwrap_or(board.turn.saturating_sub(1))
                    .min(board.turn.saturating_sub(1));
                story(ui, board, seen, |turn| turn > since);
                if board.story.iter().any(|item| item.turn <= since) {
                    egui::CollapsingHeader::new(RichText::new("Earlier turns").small())
                        .id_salt("story")
                        .default_open(false)
                        .show(ui, |ui| story(ui, board, seen, |turn| turn <= since));
                }
                ui.separator();
            }
            if board.incidents.is_empty() {
                ui.weak("No malicious cyber incident has surfaced yet.");
            }
            for card in &board.incidents {
                incident(ui, card, selected.as_deref_mut());
                ui.add_space(4.0);
            }
        });
}

/// The injects and adversary answers of the turns `shown` picks, by turn, the newest first;
/// those since `seen` marked new.
fn story(ui: &mut egui::Ui, board: &Board, seen: Option<u32>, shown: impl Fn(u32) -> bool) {
    let mut shown_turn = None;
    for item in board.story.iter().filter(|item| shown(item.turn)) {
        if shown_turn != Some(item.turn) {
            shown_turn = Some(item.turn);
            let new = seen.is_some_and(|s| item.turn > s);
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("Turn {}", item.turn)).small().strong());
                if new {
                    ui.label(
                        RichText::new("new since your last turn")
                            .small()
                            .color(Color32::WHITE)
                            .background_color(theme::EU_BLUE),
                    );
                }
            });
        }
        match &item.reaction {
            None => {
                ui.label(RichText::new(format!("• {}", item.headline)).small());
            }
            Some(r) => {
                // What the adversary did: red when it hits back, green when it backs off.
                let colour = match r.reaction {
                    Reaction::CounterSanctions | Reaction::Expulsions | Reaction::HarsherCampaign => theme::DANGER,
                    Reaction::QuietRestraint => theme::GOOD,
                    Reaction::Denial => theme::MUTED,
                };
                ui.label(RichText::new(format!("• {}", item.headline)).small().color(colour))
                    .on_hover_text(format!(
                        "{}'s answer to the EU's measure: {}",
                        board.adversary_name(&r.adversary),
                        board.measure_name(&r.measure)
                    ));
            }
        }
    }
}

fn incident(ui: &mut egui::Ui, card: &IncidentCard, selected: Option<&mut Option<String>>) {
    let is_selected = selected
        .as_ref()
        .is_some_and(|s| s.as_deref() == Some(card.id.as_str()));
    let stroke = if is_selected {
        egui::Stroke::new(2.0, theme::EU_BLUE)
    } else {
        egui::Stroke::new(1.0, Color32::from_gray(200))
    };
    egui::Frame::new()
        .fill(Color32::WHITE)
        .stroke(stroke)
        .corner_radius(4)
        .inner_margin(8)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let status = match (card.active, card.in_play) {
                    (true, _) => "unfolding",
                    (false, true) => "over, still to be answered",
                    (false, false) => "over",
                };
                ui.label(RichText::new(format!("Turn {} · {status}", card.turn)).small());
                if let Some(selected) = selected
                    && ui
                        .selectable_label(is_selected, if is_selected { "answering this" } else { "answer this" })
                        .on_hover_text("Proposals in the Toolbox panel will answer this incident")
                        .clicked()
                {
                    *selected = Some(card.id.clone());
                }
            });
            ui.label(RichText::new(&card.title).strong());
            if !card.description.is_empty() {
                ui.label(RichText::new(&card.description).small());
            }
            ui.label(RichText::new(format!("Hit: {}", card.victims.join(", "))).small());
            if !card.also_hit.is_empty() {
                ui.label(RichText::new(format!("Also hit, outside the EU: {}", card.also_hit.join(", "))).small());
            }
            if !card.partners.is_empty() {
                ui.label(RichText::new(format!("With partners: {}", card.partners.join(", "))).small());
            }
            ui.horizontal(|ui| {
                ui.label(RichText::new("Severity").small());
                ui.add(
                    egui::ProgressBar::new(card.severity as f32)
                        .desired_width(120.0)
                        .fill(theme::heat(card.severity))
                        .text(RichText::new(format!("{:.0}%", card.severity * 100.0)).small()),
                );
            });
            egui::CollapsingHeader::new(RichText::new("Seven dimensions (0-5)").small())
                .id_salt(("dims", &card.id))
                .default_open(true)
                .show(ui, |ui| dimensions(ui, &card.dimensions));
            ui.label(
                RichText::new(format!(
                    "EU assessment: {}, {} confidence ({:.0}%)",
                    card.suspect,
                    card.confidence.label(),
                    card.probability * 100.0
                ))
                .color(theme::EU_BLUE),
            );
            national(ui, card);
        });
}

fn dimensions(ui: &mut egui::Ui, dims: &[u8; 7]) {
    egui::Grid::new(ui.next_auto_id())
        .num_columns(2)
        .spacing([6.0, 2.0])
        .show(ui, |ui| {
            for (name, value) in DIMENSION_NAMES.iter().zip(dims) {
                ui.label(RichText::new(*name).small());
                ui.horizontal(|ui| {
                    for i in 0..5u8 {
                        let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 9.0), egui::Sense::hover());
                        let fill = if i < *value {
                            theme::heat(f64::from(*value) / 5.0)
                        } else {
                            Color32::from_gray(225)
                        };
                        ui.painter().rect_filled(rect, 2, fill);
                    }
                    ui.label(RichText::new(value.to_string()).small());
                });
                ui.end_row();
            }
        });
}

/// Each Member State's own confidence: a strip of 27 cells, hover for who and how sure.
fn national(ui: &mut egui::Ui, card: &IncidentCard) {
    ui.label(RichText::new("Member States' own attribution (low · moderate · high):").small());
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing = egui::vec2(2.0, 2.0);
        for view in &card.national {
            let fill = confidence_color(view.confidence);
            let (rect, response) = ui.allocate_exact_size(egui::vec2(27.0, 18.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2, fill);
            ui.painter().text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                &view.code,
                egui::FontId::proportional(10.5),
                theme::ink_on(fill),
            );
            response.on_hover_text(format!(
                "{}: {} ({} confidence, {:.0}%)",
                view.code,
                view.suspect,
                view.confidence.label(),
                view.probability * 100.0
            ));
        }
    });
}

/// The incident proposals answer: the one the player pinned while it is on the board, else the
/// newest still unfolding (a new incident takes the proposals with it).
pub fn follow_incident(board: &Board, incident: &mut Option<String>, pinned: &mut bool) {
    let on_board = incident
        .as_ref()
        .is_some_and(|id| board.incidents.iter().any(|c| &c.id == id));
    if !(*pinned && on_board) {
        *pinned = false;
        // The board lists incidents newest first.
        *incident = board
            .incidents
            .iter()
            .find(|c| c.active)
            .or(board.incidents.first())
            .map(|c| c.id.clone());
    }
}
