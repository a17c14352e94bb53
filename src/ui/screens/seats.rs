//! Seat assignment: which roles people hold (the engine plays the rest) and the run seed.

use crate::actors::ActorsData;
use crate::decisions::Role;
use crate::ui::table::{Intent, Table};
use crate::ui::{Drafts, Screen, nothing_open, root_ui, status_bar, submit, theme};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};

pub(super) fn draw(
    mut contexts: EguiContexts,
    table: NonSend<Table>,
    mut drafts: ResMut<Drafts>,
    mut intents: MessageWriter<Intent>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some((scenario, source)) = &table.scenario else {
        nothing_open(ctx, &mut intents);
        return Ok(());
    };
    let actors = ActorsData::embedded_ref();
    let presidency = crate::actors::presidency_of(actors, scenario).to_owned();
    let mut out = Vec::new();
    let mut root = root_ui(ctx);
    status_bar(&mut root, &table);
    egui::CentralPanel::default().show(&mut root, |ui| {
        ui.heading(format!("Seats: {}", scenario.title));
        ui.label("Tick the roles people hold at this table. The engine plays every other seat with the proportional policy, and a Member State held by a person votes as its holders set in the Toolbox panel (for, unless they object or abstain).");
        ui.add_space(8.0);
        ui.columns(2, |cols| {
            let ui = &mut cols[0];
            ui.label(egui::RichText::new("EU institutions").strong());
            toggle(ui, &mut drafts.seats, Role::HighRepresentative, "High Representative (with the EEAS): tables CFSP measures, speaks for the Union");
            toggle(ui, &mut drafts.seats, Role::Presidency, &format!("Council Presidency ({presidency}): chairs the Council, tables its files"));
            toggle(ui, &mut drafts.seats, Role::Commission, "Commission: operational support and funding");
            toggle(ui, &mut drafts.seats, Role::Facilitator, "Facilitator: steers the exercise, decides nothing for the EU");
            ui.add_space(8.0);
            ui.label(egui::RichText::new("Run seed").strong());
            ui.horizontal(|ui| {
                ui.add(egui::DragValue::new(&mut drafts.seed).speed(1.0));
                ui.label(egui::RichText::new("the same scenario, seed and decisions always give the same run").small());
            });
            let ui = &mut cols[1];
            ui.label(egui::RichText::new("Member States").strong());
            egui::Grid::new("member-state-seats").num_columns(3).show(ui, |ui| {
                for (i, state) in actors.members_of(scenario).enumerate() {
                    let role = Role::MemberState(state.code.clone());
                    let mut held = drafts.seats.contains(&role);
                    if ui.checkbox(&mut held, format!("{} {}", state.code, state.name)).changed() {
                        set(&mut drafts.seats, role, held);
                    }
                    if i % 3 == 2 {
                        ui.end_row();
                    }
                }
            });
        });
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            if ui.button("◀ Another scenario").clicked() {
                out.push(Intent::Goto(Screen::Choose));
            }
            // Only a scenario read from a file can change under the window.
            if std::path::Path::new(source).is_file()
                && ui
                    .button("Reload the file")
                .on_hover_text("Read the scenario file again after editing it (also done when the window regains focus)")
                .clicked()
            {
                out.push(Intent::Reload);
            }
            let label = if drafts.seats.is_empty() {
                "Start: the engine holds every seat".to_owned()
            } else {
                format!("Start with {} seat(s) held", drafts.seats.len())
            };
            if ui
                .add(egui::Button::new(egui::RichText::new(label).strong().color(egui::Color32::WHITE)).fill(theme::EU_BLUE))
                .clicked()
            {
                out.push(Intent::Start {
                    seats: drafts.seats.clone(),
                    seed: drafts.seed,
                });
            }
        });
    });
    submit(ctx, &mut intents, out);
    Ok(())
}

fn toggle(ui: &mut egui::Ui, seats: &mut Vec<Role>, role: Role, text: &str) {
    let mut held = seats.contains(&role);
    if ui.checkbox(&mut held, text).changed() {
        set(seats, role, held);
    }
}

fn set(seats: &mut Vec<Role>, role: Role, held: bool) {
    seats.retain(|r| *r != role);
    if held {
        seats.push(role);
        seats.sort();
    }
}
