//! The tour de table: when a turn is tabled, each Member State held at the table says, file by
//! file, whether it can agree, before the Council decides. Silence is assent, as in the silence
//! procedure; on a consensus text, abstaining means not blocking.

use super::super::theme;
use crate::council::{Ballot, OBJECTION_REASONS};
use crate::decisions::Decision;
use crate::exercise::Board;
use crate::ui::Intent;
use bevy_egui::egui;

/// The files on the table and every held State's answer; returns nothing when there is no tour.
pub fn tour(
    ui: &mut egui::Ui,
    board: &Board,
    files: &[(Decision, Vec<(String, Ballot)>)],
    rules: &dyn Fn(&str) -> &'static str,
    intents: &mut Vec<Intent>,
) {
    if files.is_empty() {
        return;
    }
    ui.heading("Tour de table");
    ui.label(
        egui::RichText::new(
            "The files tabled this turn, held at a stage, or still being drafted (sounding, working party). Each \
             delegation held at the table says whether it can agree, and may change its answer while the file is \
             drafted; a new or held file waits for the go-ahead (Decide the turn). A delegation that says nothing is \
             silent: assent.",
        )
        .small(),
    );
    for (file, answers) in files {
        ui.add_space(4.0);
        let on = file
            .incident
            .as_deref()
            .map(|i| format!(" on {}", board.incident_name(i)))
            .unwrap_or_default();
        ui.label(
            egui::RichText::new(format!(
                "{}{on} ({})",
                board.measure_name(&file.measure),
                rules(&file.measure)
            ))
            .strong()
            .color(theme::EU_BLUE),
        );
        for (state, ballot) in answers {
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(state).strong());
                let mut chosen = ballot.clone();
                ui.selectable_value(&mut chosen, Ballot::Silence, "silent");
                ui.selectable_value(&mut chosen, Ballot::For, "agrees");
                ui.selectable_value(&mut chosen, Ballot::Abstain, "abstains");
                let objecting = matches!(chosen, Ballot::Object(_));
                egui::ComboBox::from_id_salt(("tour", &file.measure, &file.incident, state))
                    .selected_text(match &chosen {
                        Ballot::Object(why) => format!("objects: {why}"),
                        _ => "objects…".to_owned(),
                    })
                    // What is left of the row, at most 260: it wraps below the other answers
                    // rather than run under the Toolbox.
                    .width(ui.available_width().clamp(160.0, 260.0))
                    .show_ui(ui, |ui| {
                        for reason in OBJECTION_REASONS {
                            ui.selectable_value(&mut chosen, Ballot::Object(reason.clone()), reason.to_string());
                        }
                    });
                if objecting {
                    ui.label(egui::RichText::new("blocks").color(theme::DANGER));
                }
                if chosen != *ballot {
                    intents.push(Intent::Answer {
                        state: state.clone(),
                        file: file.clone(),
                        ballot: chosen,
                    });
                }
            });
        }
    }
    ui.separator();
}
