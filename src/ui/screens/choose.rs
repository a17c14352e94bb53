//! Choosing what to play: a shipped scenario, any scenario file, or a recorded run to review.

use crate::actors::ActorsData;
use crate::replay::RunSummary;
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
    mut recent: Local<Option<(std::time::Instant, Vec<RecentRun>)>>,
    mut summaries: Local<std::collections::BTreeMap<PathBuf, (std::time::SystemTime, Option<RunSummary>)>>,
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
        *recent = Some((std::time::Instant::now(), recent_runs(&table.runs_dir, &mut summaries)));
    }
    let recent: &[RecentRun] = recent.as_ref().map(|(_, r)| r.as_slice()).unwrap_or_default();
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
                ui.add_space(8.0);
                ui.label(egui::RichText::new(format!("Recent runs in {}", table.runs_dir.display())).small());
                egui::ScrollArea::vertical().id_salt("recent").show(ui, |ui| {
                    for run in recent.iter() {
                        recent_row(ui, run, &mut out);
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

/// A saved run in the list: its file, and what it holds when it can be read.
pub(super) struct RecentRun {
    path: PathBuf,
    summary: Option<RunSummary>,
}

/// One saved run: finished or not, scenario, seats, last turn and date, with "Continue" for an
/// unfinished one and "Review" for any.
fn recent_row(ui: &mut egui::Ui, run: &RecentRun, out: &mut Vec<Intent>) {
    let name = run
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    ui.group(|ui| {
        ui.set_width(ui.available_width());
        ui.label(egui::RichText::new(&name).small().strong());
        match &run.summary {
            Some(s) => {
                let seats: Vec<String> = s.seats.iter().map(crate::report::seat_name).collect();
                let state = if s.ended {
                    egui::RichText::new("finished").color(theme::GOOD)
                } else {
                    egui::RichText::new(format!("unfinished, after turn {}", s.turns)).color(theme::DANGER)
                };
                ui.horizontal_wrapped(|ui| {
                    ui.label(state.small());
                    ui.label(
                        egui::RichText::new(format!(
                            "· {} · {} turns · seats: {} · {}",
                            s.scenario,
                            s.turns,
                            if seats.is_empty() {
                                "none".to_owned()
                            } else {
                                seats.join(", ")
                            },
                            s.recorded.as_deref().unwrap_or("date not recorded")
                        ))
                        .small(),
                    );
                });
                ui.horizontal(|ui| {
                    if !s.ended
                        && ui
                            .button("Continue")
                            .on_hover_text("Play on where it was, in the same file")
                            .clicked()
                    {
                        out.push(Intent::Continue(run.path.clone()));
                    }
                    if ui
                        .button("Review")
                        .on_hover_text("Open it in the replay viewer")
                        .clicked()
                    {
                        out.push(Intent::OpenReplay(run.path.clone()));
                    }
                });
            }
            None => {
                ui.label(egui::RichText::new("another version's replay, or not a replay").small());
                if ui.button("Review").clicked() {
                    out.push(Intent::OpenReplay(run.path.clone()));
                }
            }
        }
    });
}

/// The ten most recent replays in the runs folder, each summarised once per change of the file.
fn recent_runs(
    dir: &std::path::Path,
    cache: &mut std::collections::BTreeMap<PathBuf, (std::time::SystemTime, Option<RunSummary>)>,
) -> Vec<RecentRun> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut runs: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".replay.ron"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    runs.sort_by_key(|r| std::cmp::Reverse(r.0));
    runs.truncate(10);
    cache.retain(|path, _| runs.iter().any(|(_, p)| p == path));
    runs.into_iter()
        .map(|(modified, path)| {
            let summary = match cache.get(&path) {
                Some((when, summary)) if *when == modified => summary.clone(),
                _ => {
                    let summary = RunSummary::read(&path);
                    cache.insert(path.clone(), (modified, summary.clone()));
                    summary
                }
            };
            RecentRun { path, summary }
        })
        .collect()
}
