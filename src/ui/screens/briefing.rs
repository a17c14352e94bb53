//! The briefing: the situation as the players learn it, the clock, the phases and the objectives.

use crate::ui::table::{Intent, Table};
use crate::ui::{Screen, nothing_open, root_ui, status_bar, submit, theme};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};

pub(super) fn draw(mut contexts: EguiContexts, table: NonSend<Table>, mut intents: MessageWriter<Intent>) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(ex) = &table.exercise else {
        nothing_open(ctx, &mut intents);
        return Ok(());
    };
    let scenario = ex.scenario();
    let mut out = Vec::new();
    let mut root = root_ui(ctx);
    status_bar(&mut root, &table);
    egui::CentralPanel::default().show(&mut root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading(&scenario.title);
            let (_, start) = crate::scenario::Calendar::of(scenario).time(1);
            ui.label(
                egui::RichText::new(format!(
                    "{} turns of {} hours from {start} · seed {}",
                    scenario.turns,
                    scenario.clock.turn_hours,
                    ex.seed()
                ))
                .small(),
            );
            let actors = crate::actors::ActorsData::embedded_ref();
            let presidency = crate::actors::presidency_of(actors, scenario);
            let presidency = actors
                .member_states
                .iter()
                .find(|m| m.code == presidency)
                .map_or(presidency, |m| m.name.as_str());
            let assumed = if scenario.presidency.is_some() { " (assumed by the scenario)" } else { "" };
            ui.label(egui::RichText::new(format!("Council Presidency: {presidency}{assumed}")).small());
            if !scenario.assume_available.is_empty() {
                ui.label(
                    egui::RichText::new(format!(
                        "The scenario assumes, before they existed: {}",
                        scenario.assume_available.join(", ")
                    ))
                    .small(),
                );
            }
            ui.add_space(8.0);
            ui.label(egui::RichText::new(&scenario.briefing).size(17.0));
            ui.add_space(12.0);
            ui.label(egui::RichText::new("At the table").strong());
            let seats = ex.seats();
            if !seats.any_player() {
                ui.label(
                    "No decision seat is held: the engine plays every role, and the table may table any measure alongside it.",
                );
            } else {
                let names: Vec<String> = seats.0.iter().map(ToString::to_string).collect();
                ui.label(format!("{}; the engine plays every other seat.", names.join(", ")));
                // What each seat held can put forward, so that nobody looks for a button that
                // belongs to the engine.
                let toolbox = ex.simulation().world().resource::<crate::toolbox::Toolbox>();
                for role in &seats.0 {
                    let code = match role {
                        crate::decisions::Role::MemberState(code) => code.as_str(),
                        _ => "",
                    };
                    let mut own: Vec<&str> = toolbox
                        .measures
                        .iter()
                        .filter(|m| m.available && crate::decisions::Seats(vec![role.clone()]).may_table(m, code))
                        .map(|m| m.name.as_str())
                        .collect();
                    own.dedup();
                    let text = match (role, own.is_empty()) {
                        (crate::decisions::Role::Facilitator, _) => {
                            "Facilitator: steers the exercise from the console (F)".to_owned()
                        }
                        (crate::decisions::Role::MemberState(code), _) => format!(
                            "{code}: its own national measures ({}), and its vote in the Council",
                            own.join(", ")
                        ),
                        (_, true) => format!("{role}: nothing in this scenario's Toolbox"),
                        (_, false) => format!("{role} tables: {}", own.join(", ")),
                    };
                    ui.label(egui::RichText::new(format!("• {text}")).small());
                }
            }
            if !scenario.phases.is_empty() {
                ui.add_space(12.0);
                ui.label(egui::RichText::new("Phases").strong());
                for phase in &scenario.phases {
                    ui.label(format!(
                        "Turns {}-{}: {} ({:?} module)",
                        phase.from, phase.to, phase.name, phase.module
                    ));
                }
            }
            if !scenario.objectives.is_empty() {
                ui.add_space(12.0);
                ui.label(egui::RichText::new("Objectives the evaluators will rate").strong());
                for objective in &scenario.objectives {
                    ui.label(format!("• {}", objective.text));
                }
            }
            ui.add_space(16.0);
            if ui
                .add(
                    egui::Button::new(
                        egui::RichText::new("Begin the exercise (Enter)")
                            .strong()
                            .color(egui::Color32::WHITE),
                    )
                    .fill(theme::EU_BLUE),
                )
                .clicked()
                || ui.input(|i| i.key_pressed(egui::Key::Enter))
            {
                out.push(Intent::Goto(Screen::Board));
            }
        });
    });
    submit(ctx, &mut intents, out);
    Ok(())
}
