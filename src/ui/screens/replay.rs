//! The replay viewer: a recorded run turn by turn, the board as it was at the end of each turn,
//! with the decisions (and who took them), the votes and the facilitator's actions that led
//! there, and "branch from here" to play on differently.

use crate::replay::{Action, Seat};
use crate::ui::panels::{charts, council, feed, map, top_bar};
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
    let Some(viewer) = &table.viewer else {
        nothing_open(ctx, &mut intents);
        return Ok(());
    };
    let last = viewer.last_turn();
    let mut out = Vec::new();
    if !ctx.egui_wants_keyboard_input() {
        ctx.input(|i| {
            if i.key_pressed(egui::Key::ArrowRight) {
                drafts.viewer_turn = (drafts.viewer_turn + 1).min(last);
            }
            if i.key_pressed(egui::Key::ArrowLeft) {
                drafts.viewer_turn = drafts.viewer_turn.saturating_sub(1);
            }
            if i.key_pressed(egui::Key::Home) {
                drafts.viewer_turn = 0;
            }
            if i.key_pressed(egui::Key::End) {
                drafts.viewer_turn = last;
            }
            if i.key_pressed(egui::Key::B) && drafts.viewer_turn < viewer.scenario.turns {
                out.push(Intent::Branch(drafts.viewer_turn));
            }
        });
    }
    let turn = drafts.viewer_turn.min(last);
    let board = viewer.board(turn);
    let mut root = root_ui(ctx);
    egui::Panel::top("viewer-bar").show(&mut root, |ui| {
        ui.add_space(2.0);
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new(format!("Replay: {}", viewer.name)).strong());
            match viewer.diverged_at {
                None => ui.label(egui::RichText::new("✔ reproduces turn by turn").color(theme::GOOD)),
                Some(t) => ui.label(egui::RichText::new(format!("✖ differs from turn {t}")).color(theme::DANGER)),
            };
            ui.label(
                egui::RichText::new(format!(
                    "seed {} · model {} (Démarche {}) · {}",
                    viewer.replay.seed,
                    viewer.replay.model,
                    viewer.replay.engine,
                    match &viewer.replay.fork {
                        Some(f) => format!("a fork of {} after turn {}", f.from, f.at_turn),
                        None => "an original run".to_owned(),
                    }
                ))
                .small(),
            );
        });
        ui.horizontal(|ui| {
            if ui.button("◀").on_hover_text("Previous turn (←)").clicked() {
                drafts.viewer_turn = turn.saturating_sub(1);
            }
            let mut shown = turn;
            ui.spacing_mut().slider_width = 260.0;
            ui.add(egui::Slider::new(&mut shown, 0..=last).text("turn"));
            if shown != turn {
                drafts.viewer_turn = shown;
            }
            if ui.button("▶").on_hover_text("Next turn (→)").clicked() {
                drafts.viewer_turn = (turn + 1).min(last);
            }
            let branch = egui::Button::new(
                egui::RichText::new(format!("Branch from here (B): play on after turn {turn}"))
                    .color(egui::Color32::WHITE),
            )
            .fill(theme::EU_BLUE);
            let can_branch =
                viewer.diverged_at.is_none_or(|d| d > turn) && turn < viewer.scenario.turns && board.outcome.is_none();
            if ui
                .add_enabled(can_branch, branch)
                .on_disabled_hover_text(
                    "Nothing is left to play after this turn, or the recording does not reproduce here",
                )
                .clicked()
            {
                out.push(Intent::Branch(turn));
            }
            // An unfinished run saved in a file plays on where it stopped, in that file.
            let live = table.viewer_file.is_some() && table.viewer_file == table.saved_to;
            if let Some(file) = table.viewer_file.as_ref().filter(|_| !viewer.replay.ended && !live)
                && ui
                    .button(format!("Continue this run (after turn {last})"))
                    .on_hover_text("Reopen it where it stopped, with its pending proposals, positions and journal, and play on in the same file")
                    .clicked()
            {
                out.push(Intent::Continue(file.clone()));
            }
            if ui.button("Back").clicked() {
                out.push(Intent::Goto(if table.exercise.is_some() {
                    Screen::Board
                } else {
                    Screen::Choose
                }));
            }
        });
        top_bar(ui, board);
        ui.add_space(2.0);
    });
    status_bar(&mut root, &table);
    egui::Panel::left("viewer-feed")
        .default_size(350.0)
        .show(&mut root, |ui| {
            feed(ui, board, None, None);
        });
    egui::Panel::right("viewer-decisions")
        .default_size(380.0)
        .show(&mut root, |ui| {
            egui::ScrollArea::vertical().id_salt("viewer-decisions").show(ui, |ui| {
                ui.heading(format!("What led to turn {turn}"));
                let mut any = false;
                for d in viewer.decisions(turn) {
                    any = true;
                    let who = match d.seat {
                        Seat::Players => "the table",
                        Seat::Policy => "the engine",
                    };
                    let on = d
                        .decision
                        .incident
                        .as_deref()
                        .map(|i| format!(" on {}", board.incident_name(i)))
                        .unwrap_or_default();
                    ui.label(format!(
                        "{}{on}, proposed by {who}",
                        board.worded_name(&d.decision.measure, d.decision.wording.as_deref())
                    ));
                }
                if !any {
                    ui.weak("No proposal in this turn.");
                }
                for a in viewer.facilitator(turn) {
                    let text = match &a.action {
                        Action::Fire(id) => format!("The facilitator fired {}", inject_title(&viewer.scenario, id)),
                        Action::Posture(s) => format!(
                            "The facilitator changed {}: intensity {:+.2}, intent {:+.2}",
                            s.adversary, s.activity, s.intent
                        ),
                        Action::Pause(at) => format!("Paused at {at}"),
                        Action::Resume(at) => format!("Resumed at {at}"),
                    };
                    ui.label(egui::RichText::new(text).color(theme::AMBER));
                }
                for p in viewer.positions(turn) {
                    let vote = match &p.ballot {
                        crate::council::Ballot::For => "votes for".to_owned(),
                        crate::council::Ballot::Silence => "stays silent (assent) on".to_owned(),
                        crate::council::Ballot::Abstain => "abstains on".to_owned(),
                        crate::council::Ballot::Object(why) => format!("objects ({why}) to"),
                    };
                    ui.label(
                        egui::RichText::new(format!(
                            "{} (held at the table) {vote} {}",
                            p.state,
                            board.measure_name(&p.measure)
                        ))
                        .color(theme::EU_BLUE),
                    );
                }
                for n in viewer.notes(turn) {
                    ui.label(
                        egui::RichText::new(format!(
                            "{} ({}): {}",
                            n.author,
                            n.time.as_deref().unwrap_or("-"),
                            n.text
                        ))
                        .italics(),
                    );
                }
                ui.add_space(4.0);
                ui.label(egui::RichText::new(format!("Evaluator's note on turn {turn}")).strong());
                ui.add(
                    egui::TextEdit::multiline(&mut drafts.evaluator_note)
                        .desired_rows(2)
                        .hint_text("What went well, what did not; saved into the replay"),
                );
                if ui.button("Add the note").clicked() && !drafts.evaluator_note.trim().is_empty() {
                    out.push(Intent::EvaluatorNote {
                        turn,
                        text: std::mem::take(&mut drafts.evaluator_note),
                    });
                }
                ui.separator();
                council(ui, board, None);
            });
        });
    egui::CentralPanel::default().show(&mut root, |ui| {
        map(ui, board, &mut drafts.lens);
        ui.separator();
        charts(ui, board, "viewer");
    });
    submit(ctx, &mut intents, out);
    Ok(())
}

/// A pool inject's headline in quotes (its id when unknown).
pub(crate) fn inject_title(scenario: &crate::scenario::Scenario, id: &str) -> String {
    scenario
        .pool
        .iter()
        .chain(&scenario.injects)
        .find(|i| i.id == id)
        .map_or_else(|| id.to_owned(), |i| format!("\u{201c}{}\u{201d}", i.title))
}
