//! Choosing what to play: a shipped scenario, any scenario file, or a recorded run to review.

use crate::actors::ActorsData;
use crate::scenario::{SHIPPED, parse_scenario};
use crate::ui::table::{Intent, Source, Table};
use crate::ui::{Drafts, root_ui, status_bar, submit, theme};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};
use std::path::PathBuf;

/// A shipped scenario as the list shows it.
pub(super) struct Entry {
    title: String,
    turns: u32,
    briefing: String,
}

pub(super) fn draw(
    mut contexts: EguiContexts,
    table: NonSend<Table>,
    mut drafts: ResMut<Drafts>,
    mut shipped: Local<Option<Vec<Entry>>>,
    mut recent: Local<Option<(std::time::Instant, Vec<PathBuf>)>>,
    mut intents: MessageWriter<Intent>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let shipped = shipped.get_or_insert_with(|| {
        let actors = ActorsData::embedded_ref();
        SHIPPED
            .iter()
            .filter_map(|(name, text)| parse_scenario(name, text, actors).ok())
            .map(|s| Entry {
                title: s.title,
                turns: s.turns,
                briefing: s.briefing,
            })
            .collect()
    });
    // The runs folder changes as exercises are played: look again every few seconds.
    if recent.as_ref().is_none_or(|(at, _)| at.elapsed().as_secs() >= 2) {
        *recent = Some((std::time::Instant::now(), recent_runs(&table.runs_dir)));
    }
    let recent: &[PathBuf] = recent.as_ref().map(|(_, r)| r.as_slice()).unwrap_or_default();
    let mut out = Vec::new();
    let mut root = root_ui(ctx);
    status_bar(&mut root, &table);
    egui::Panel::right("open-files")
        .default_size(420.0)
        .show(&mut root, |ui| {
            ui.heading("Open a scenario file");
            ui.label(egui::RichText::new("Type a path, or drop a .ron file onto the window.").small());
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut drafts.scenario_path).hint_text("scenarios/my_exercise.ron"));
                if ui.button("Open").clicked() && !drafts.scenario_path.trim().is_empty() {
                    out.push(Intent::ChooseScenario(Source::File(PathBuf::from(
                        drafts.scenario_path.trim(),
                    ))));
                }
            });
            ui.add_space(12.0);
            ui.heading("Review a recorded run");
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut drafts.replay_path).hint_text("run.replay.ron"));
                if ui.button("Open").clicked() && !drafts.replay_path.trim().is_empty() {
                    out.push(Intent::OpenReplay(PathBuf::from(drafts.replay_path.trim())));
                }
            });
            if !recent.is_empty() {
                ui.label(egui::RichText::new(format!("Recent runs in {}", table.runs_dir.display())).small());
                egui::ScrollArea::vertical().id_salt("recent").show(ui, |ui| {
                    for path in recent.iter() {
                        let name = path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        if ui.link(egui::RichText::new(name).small()).clicked() {
                            out.push(Intent::OpenReplay(path.clone()));
                        }
                    }
                });
            }
        });
    egui::CentralPanel::default().show(&mut root, |ui| {
        if let Some(status) = table.status.as_ref().filter(|s| s.error && s.text.lines().count() > 1) {
            ui.label(
                egui::RichText::new("This file cannot be played:")
                    .strong()
                    .color(theme::DANGER),
            );
            egui::ScrollArea::vertical()
                .id_salt("diagnostics")
                .max_height(260.0)
                .show(ui, |ui| {
                    ui.label(egui::RichText::new(&status.text).monospace().size(13.0));
                });
            ui.separator();
        }
        ui.heading("Démarche: choose an exercise");
        ui.label("A tabletop exercise of the EU Cyber Diplomacy Toolbox. Pick a scenario to assign seats.");
        ui.add_space(8.0);
        egui::ScrollArea::vertical().id_salt("shipped").show(ui, |ui| {
            for (i, entry) in shipped.iter().enumerate() {
                egui::Frame::new()
                    .fill(egui::Color32::WHITE)
                    .stroke(egui::Stroke::new(1.0, egui::Color32::from_gray(210)))
                    .corner_radius(4)
                    .inner_margin(10)
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.horizontal(|ui| {
                            ui.label(egui::RichText::new(&entry.title).strong().color(theme::EU_BLUE));
                            if i == 0 {
                                ui.label(egui::RichText::new("default").small());
                            }
                        });
                        ui.label(egui::RichText::new(format!("{} turns", entry.turns)).small());
                        ui.label(egui::RichText::new(&entry.briefing).small());
                        if ui.button("Play this scenario").clicked() {
                            out.push(Intent::ChooseScenario(Source::Shipped(i)));
                        }
                    });
                ui.add_space(6.0);
            }
        });
    });
    submit(ctx, &mut intents, out);
    Ok(())
}

/// The ten most recent replays in the runs folder.
fn recent_runs(dir: &std::path::Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut runs: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".replay.ron"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    runs.sort_by_key(|r| std::cmp::Reverse(r.0));
    runs.into_iter().take(10).map(|(_, p)| p).collect()
}
