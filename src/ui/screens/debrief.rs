//! The debrief: how it ended, each objective rated on the HSEEP scale, the Council's votes (who
//! blocked what, and what blocking cost) and the improvement plan, with the after-action report
//! one click away (the same report as `demarche report`).

use crate::report::ReportFacts;
use crate::ui::panels::charts;
use crate::ui::table::{Intent, Table};
use crate::ui::{Screen, nothing_open, root_ui, status_bar, submit, theme};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};

/// What the debrief's report was built from: the run (scenario, seed, turns, last checksum) and
/// its notes. The report is built once for them, not every frame.
type DebriefKey = (String, u64, usize, u64, usize);

pub(super) fn draw(
    mut contexts: EguiContexts,
    table: NonSend<Table>,
    mut intents: MessageWriter<Intent>,
    mut built: Local<Option<(DebriefKey, ReportFacts)>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(ex) = &table.exercise else {
        nothing_open(ctx, &mut intents);
        return Ok(());
    };
    let board = ex.board();
    let mut out = Vec::new();
    let mut root = root_ui(ctx);
    status_bar(&mut root, &table);
    let records = ex.simulation().records();
    let key: DebriefKey = (
        ex.scenario().id.clone(),
        ex.seed(),
        records.len(),
        records.last().map_or(0, |t| t.checksum),
        ex.journal().len(),
    );
    if built.as_ref().is_none_or(|(k, _)| *k != key) {
        *built = ex.simulation().outcome().map(|outcome| {
            (
                key,
                ReportFacts::gather(&ex.to_replay(), ex.scenario(), records, outcome, None),
            )
        });
    }
    let facts = built.as_ref().map(|(_, facts)| facts);
    egui::Panel::right("plan").exact_size(480.0).show(&mut root, |ui| {
        let Some(facts) = &facts else {
            ui.label("The exercise has not ended yet.");
            if ui.button("◀ Back to the board").clicked() {
                out.push(Intent::Goto(Screen::Board));
            }
            return;
        };
        egui::ScrollArea::vertical().id_salt("debrief-plan").show(ui, |ui| {
            // Each held seat's own conduct first: what a delegation comes to the debrief for.
            for c in &facts.conduct {
                ui.heading(&c.seat);
                ui.label(egui::RichText::new(c.summary()).strong());
                for (title, lines, colour) in [
                    ("Proposed", &c.proposed, theme::EU_BLUE),
                    ("Blocked", &c.blocked, theme::DANGER),
                    ("Held at a stage", &c.held, theme::DANGER),
                    ("Abstained", &c.abstained, theme::MUTED),
                ] {
                    for line in lines {
                        ui.label(egui::RichText::new(format!("{title}: {line}")).small().color(colour));
                    }
                }
                ui.separator();
            }
            ui.heading("Objectives (HSEEP)");
            if facts.objectives.is_empty() {
                ui.weak("This scenario sets no objectives.");
            }
            for o in &facts.objectives {
                ui.label(egui::RichText::new(&o.text).strong());
                ui.label(egui::RichText::new(format!("{}: {}", o.rating.label(), o.evidence)).small());
                ui.add_space(4.0);
            }
            ui.separator();
            ui.heading("Improvement plan");
            if facts.plan.is_empty() {
                ui.weak("Every objective was performed without challenges.");
            }
            for a in &facts.plan {
                ui.label(egui::RichText::new(&a.action));
                ui.label(
                    egui::RichText::new(format!("Owner: {} · due {}", a.owner, a.due))
                        .small()
                        .color(theme::MUTED),
                );
                ui.add_space(3.0);
            }
            ui.separator();
            ui.heading("Council votes");
            if facts.votes.is_empty() {
                ui.weak("No Council vote was held.");
            } else {
                let (failed, _) = facts.blocking_cost();
                let colour = if failed == 0 { theme::GOOD } else { theme::DANGER };
                ui.label(egui::RichText::new(facts.blocking()).strong().color(colour));
            }
            for row in &facts.votes {
                let vote = &row.vote;
                ui.add_space(2.0);
                let text = egui::RichText::new(format!(
                    "Turn {} ({}, Presidency {}): {}: {}",
                    vote.turn,
                    row.time,
                    row.presidency,
                    row.what,
                    vote.summary()
                ));
                ui.label(if vote.adopted { text } else { text.color(theme::DANGER) });
                // Who blocked it and why, in the words each Member State gave (a file held before
                // the Council already says who held it).
                for (code, why) in vote.objections().filter(|_| vote.stage.adopts()) {
                    ui.label(
                        egui::RichText::new(format!("    {} objected: {why}", crate::actors::state_name(code)))
                            .small()
                            .color(theme::DANGER),
                    );
                }
            }
        });
    });
    egui::CentralPanel::default().show(&mut root, |ui| {
        ui.heading(format!("Debrief: {}", board.title));
        if let Some(outcome) = &board.outcome {
            ui.label(egui::RichText::new(outcome.summary()).size(18.0).strong());
        }
        ui.label(format!(
            "Seed {} · {} turns played · escalation {:.1} ({}) · misperception {:.0}% · perceived resolve {:.0}% · cohesion {:.0}%",
            ex.seed(),
            board.turn,
            board.escalation,
            board.rung,
            board.misperception * 100.0,
            board.perceived_resolve * 100.0,
            board.cohesion * 100.0
        ));
        ui.add_space(8.0);
        ui.horizontal_wrapped(|ui| {
            let write = egui::Button::new(
                egui::RichText::new("Write the after-action report")
                    .strong()
                    .color(egui::Color32::WHITE),
            )
            .fill(theme::EU_BLUE);
            if ui.add(write).clicked() {
                out.push(Intent::WriteReport);
            }
            if let Some(path) = &table.report_to
                && ui
                    .button("Open the report")
                    .on_hover_text("In the system's web browser; print it from there for a clean PDF")
                    .clicked()
            {
                out.push(Intent::OpenReport(path.clone()));
            }
            if ui.button("Review the run turn by turn").clicked() {
                out.push(Intent::ReviewRun);
            }
            if ui.button("New exercise").clicked() {
                out.push(Intent::Goto(Screen::Choose));
            }
            if ui.button("Quit").clicked() {
                out.push(Intent::Quit);
            }
        });
        if let Some(path) = &table.report_to {
            ui.label(egui::RichText::new(format!("Report: {}", path.display())).color(theme::GOOD));
        }
        if let Some(path) = &table.saved_to {
            ui.label(
                egui::RichText::new(format!(
                    "Replay: {} (verify it with `demarche replay FILE --verify`)",
                    path.display()
                ))
                .small(),
            );
        }
        ui.add_space(8.0);
        charts(ui, board, "debrief");
        ui.separator();
        ui.heading("Timeline");
        egui::ScrollArea::vertical().id_salt("debrief-timeline").show(ui, |ui| {
            for note in ex.journal() {
                ui.label(
                    egui::RichText::new(format!(
                        "Journal, turn {} ({}): {}",
                        note.turn,
                        note.time.as_deref().unwrap_or("-"),
                        note.text
                    ))
                    .italics(),
                );
            }
            for row in facts.iter().flat_map(|f| &f.timeline) {
                ui.label(
                    egui::RichText::new(format!(
                        "T{} {} · {} · {}",
                        row.turn, row.time, row.kind, row.description
                    ))
                    .small(),
                );
            }
        });
    });
    submit(ctx, &mut intents, out);
    Ok(())
}
