//! The facilitator's console: pause and resume, fire an unscheduled inject from the pool (it
//! works while paused), change an adversary's posture, and keep a timestamped journal. All of it
//! is recorded with the run.

use crate::exercise::Exercise;
use crate::replay::Action;
use crate::scenario::PostureShift;
use crate::ui::table::Intent;
use crate::ui::theme;
use bevy_egui::egui::{self, RichText};

/// The console's drafts: what the facilitator is typing or setting before committing it.
#[derive(Debug, Clone, Default)]
pub struct ConsoleDraft {
    /// Journal entry being written.
    pub note: String,
    /// Adversary whose posture is being changed.
    pub adversary: String,
    /// Change in campaign intensity.
    pub activity: f64,
    /// Change in intent.
    pub intent: f64,
}

/// The console.
pub fn console(ui: &mut egui::Ui, ex: &Exercise, draft: &mut ConsoleDraft, intents: &mut Vec<Intent>) {
    ui.columns(3, |cols| {
        steering(&mut cols[0], ex, intents);
        posture(&mut cols[1], ex, draft, intents);
        journal(&mut cols[2], ex, draft, intents);
    });
}

/// Pause, resume and the pool.
fn steering(ui: &mut egui::Ui, ex: &Exercise, intents: &mut Vec<Intent>) {
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new("Facilitator").strong());
        if ex.paused() {
            if ui.button("▶ Resume (P)").clicked() {
                intents.push(Intent::Resume);
            }
            ui.label(RichText::new("paused").color(theme::DANGER).strong());
        } else if ui.button("⏸ Pause (P)").clicked() {
            intents.push(Intent::Pause);
        }
    });
    let scenario = ex.scenario();
    if !ex.running() {
        ui.label("The exercise is over; the journal stays open for the debrief.");
        return;
    }
    ui.label(RichText::new(format!("Pool: fire now, opens turn {}", ex.next_turn())).strong());
    if scenario.pool.is_empty() {
        ui.weak("This scenario has no unscheduled injects.");
    }
    for inject in &scenario.pool {
        let fired = ex.pool_fired(&inject.id);
        let response = ui
            .add_enabled(
                !fired && ex.running(),
                egui::Button::new(RichText::new(&inject.title).small()),
            )
            .on_hover_text(format!("{}\nExpected: {}", inject.description, inject.expected_action));
        if response.clicked() {
            intents.push(Intent::Fire(inject.id.clone()));
        }
    }
}

/// An adversary's campaign intensity and intent.
fn posture(ui: &mut egui::Ui, ex: &Exercise, draft: &mut ConsoleDraft, intents: &mut Vec<Intent>) {
    let scenario = ex.scenario();
    if !ex.running() {
        return;
    }
    ui.label(RichText::new("Adversary posture, from the next turn").strong());
    if draft.adversary.is_empty() {
        draft.adversary = scenario.adversaries.first().cloned().unwrap_or_default();
    }
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("posture-adversary")
            .selected_text(ex.board().adversary_name(&draft.adversary).to_owned())
            .show_ui(ui, |ui| {
                for id in &scenario.adversaries {
                    ui.selectable_value(&mut draft.adversary, id.clone(), ex.board().adversary_name(id));
                }
            });
        // What the engine knows and the players do not: for the facilitator's eyes.
        if let Some(state) = ex.simulation().adversary(&draft.adversary) {
            ui.label(RichText::new("engine's view").small().color(theme::MUTED))
                .on_hover_text(format!(
                    "Hidden from the players.\ncampaign intensity {:.2}\nbelief in EU resolve {:.2}\ntrust in the EU {:.2}\ncosts borne {:.2}",
                    state.activity, state.resolve, state.trust, state.costs
                ));
        }
        // On the same row as the adversary, to keep the console low on a laptop screen.
        let change = draft.activity != 0.0 || draft.intent != 0.0;
        if ui
            .add_enabled(change && ex.running(), egui::Button::new("Apply change"))
            .clicked()
        {
            intents.push(Intent::Shift(PostureShift {
                adversary: draft.adversary.clone(),
                activity: draft.activity,
                intent: draft.intent,
            }));
            draft.activity = 0.0;
            draft.intent = 0.0;
        }
    });
    ui.add(egui::Slider::new(&mut draft.activity, -0.5..=0.5).text("change in campaign intensity"))
        .on_hover_text("Added to how hard the adversary pushes its operations (0 to 1), from the next turn");
    ui.add(egui::Slider::new(&mut draft.intent, -0.5..=0.5).text("change in intent"))
        .on_hover_text("Added to the adversary's drive to pursue the campaign (0 to 1), from the next turn");
}

/// The timestamped journal and the log of the facilitator's actions.
fn journal(ui: &mut egui::Ui, ex: &Exercise, draft: &mut ConsoleDraft, intents: &mut Vec<Intent>) {
    ui.label(RichText::new("Journal").strong());
    let edit = ui.add(
        egui::TextEdit::multiline(&mut draft.note)
            .desired_rows(2)
            .hint_text("What the table said or decided; Ctrl+Enter to add"),
    );
    let submit = edit.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter) && i.modifiers.ctrl);
    if (ui.button("Add to journal").clicked() || submit) && !draft.note.trim().is_empty() {
        intents.push(Intent::Note(std::mem::take(&mut draft.note)));
    }
    egui::ScrollArea::vertical()
        .id_salt("journal")
        .max_height(90.0)
        .show(ui, |ui| {
            // Notes and actions in one list, newest turn first, so the journal reads as it
            // happened.
            let mut lines: Vec<(u32, String, bool)> = ex
                .journal()
                .iter()
                .map(|note| {
                    let text = format!(
                        "T{} · {} · {}",
                        note.turn,
                        note.time.as_deref().unwrap_or(""),
                        note.text
                    );
                    (note.turn, text, true)
                })
                .collect();
            lines.extend(ex.facilitator_actions().iter().map(|action| {
                let text = match &action.action {
                    Action::Fire(id) => format!(
                        "T{} · fired {}",
                        action.turn,
                        crate::ui::screens::inject_title(ex.scenario(), id)
                    ),
                    Action::Posture(s) => format!(
                        "T{} · {}: intensity {:+.2}, intent {:+.2}",
                        action.turn,
                        ex.board().adversary_name(&s.adversary),
                        s.activity,
                        s.intent
                    ),
                    Action::Pause(at) => format!("T{} · paused at {at}", action.turn),
                    Action::Resume(at) => format!("T{} · resumed at {at}", action.turn),
                };
                (action.turn, text, false)
            }));
            // Stable: within a turn, entries keep the order they were made in.
            lines.sort_by_key(|(turn, _, _)| std::cmp::Reverse(*turn));
            for (_, text, note) in lines {
                let text = RichText::new(text).small();
                ui.label(if note { text } else { text.color(theme::MUTED) });
            }
        });
}
