//! The Toolbox measure picker, by family. A measure that cannot be taken now is greyed and says
//! why, in the words of the rule that stops it; the table's proposals for the next turn are
//! listed at the foot, each with a button to withdraw it.

use crate::council::{Ballot, OBJECTION_REASONS};
use crate::decisions::Decision;
use crate::exercise::{Board, MeasureOption};
use crate::toolbox::Family;
use crate::ui::table::Intent;
use crate::ui::theme;
use bevy_egui::egui::{self, RichText};

/// The picker. `incident` is the incident the proposals answer; `acting` the Member State for
/// national measures (automatic when `None`).
pub fn picker(
    ui: &mut egui::Ui,
    board: &Board,
    options: &[MeasureOption],
    incident: Option<&str>,
    acting: &mut Option<String>,
    queued: &[Decision],
    held: &[HeldState],
    open: bool,
    intents: &mut Vec<Intent>,
) {
    ui.heading("Toolbox");
    if options
        .iter()
        .all(|o| o.blocked.as_deref() == Some("the exercise is over"))
    {
        ui.label("The exercise is over: no more measures can be proposed. The debrief rates what was done.");
        return;
    }
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new("National measures taken by").small());
        egui::ComboBox::from_id_salt("acting")
            .selected_text(acting.clone().unwrap_or_else(|| "automatic".to_owned()))
            .show_ui(ui, |ui| {
                ui.selectable_value(
                    acting,
                    None,
                    "automatic: a State held here (one hit first), else the victim most sure",
                );
                for state in &board.states {
                    ui.selectable_value(
                        acting,
                        Some(state.code.clone()),
                        format!("{} {}", state.code, state.name),
                    );
                }
            });
    });
    ui.add(
        egui::Label::new(
            RichText::new(match incident {
                Some(id) => format!("Proposals answer {}", board.incident_name(id)),
                None => "Select an incident in the feed to answer it; measures with no incident stay open.".to_owned(),
            })
            .small(),
        )
        .truncate(),
    );
    // The table's proposals sit in a box of fixed height, so that adding one never moves the
    // buttons under the pointer.
    ui.label(RichText::new(format!("On the table for turn {}", board.turn + 1)).strong());
    egui::Frame::new()
        .fill(egui::Color32::WHITE)
        .corner_radius(3)
        .inner_margin(4)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            egui::ScrollArea::vertical()
                .id_salt("table-queue")
                .min_scrolled_height(54.0)
                .max_height(54.0)
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    if queued.is_empty() {
                        ui.weak("Nothing yet: click a measure below to propose it.");
                    }
                    for (i, d) in queued.iter().enumerate() {
                        ui.horizontal(|ui| {
                            if ui.small_button("withdraw").clicked() {
                                intents.push(Intent::Withdraw(i));
                            }
                            let on = d
                                .incident
                                .as_deref()
                                .map(|i| format!(" on {}", board.incident_name(i)))
                                .unwrap_or_default();
                            ui.add(
                                egui::Label::new(
                                    RichText::new(format!("{}{on}", board.measure_name(&d.measure)))
                                        .color(theme::EU_BLUE),
                                )
                                .truncate(),
                            );
                        });
                    }
                });
        });
    egui::ScrollArea::vertical()
        .id_salt("toolbox")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if !held.is_empty() {
                positions(ui, held, open, intents);
            }
            for family in Family::ALL {
                let in_family: Vec<&MeasureOption> = options.iter().filter(|o| o.family == family).collect();
                let available = in_family.iter().filter(|o| o.blocked.is_none()).count();
                egui::CollapsingHeader::new(format!(
                    "{} ({available} of {} open)",
                    capitalise(family.label()),
                    in_family.len()
                ))
                .id_salt(("family", family.label()))
                .default_open(available > 0)
                .show(ui, |ui| {
                    for option in in_family {
                        measure(ui, option, incident, open, intents);
                    }
                });
            }
        });
}

/// A Member State people hold, with its vote on each Council measure in the next turn.
pub struct HeldState {
    /// Its code.
    pub code: String,
    /// (measure id, measure name, how it will vote).
    pub votes: Vec<(String, String, Ballot)>,
}

/// How the Member States held at the table will vote in the Council: support unless they say
/// otherwise, for any proposal of the measure, the table's or the engine's.
fn positions(ui: &mut egui::Ui, held: &[HeldState], open: bool, intents: &mut Vec<Intent>) {
    let codes: Vec<&str> = held.iter().map(|h| h.code.as_str()).collect();
    egui::CollapsingHeader::new(format!("Council votes of {}", codes.join(", ")))
        .id_salt("positions")
        .default_open(false)
        .show(ui, |ui| {
            ui.label(
                egui::RichText::new(
                    "How the Member States held here vote, from the next turn on, whoever tables the measure.",
                )
                .small(),
            );
            for state in held {
                ui.label(egui::RichText::new(&state.code).strong());
                for (measure, name, ballot) in &state.votes {
                    ui.horizontal(|ui| {
                        let mut chosen = ballot.clone();
                        egui::ComboBox::from_id_salt(("position", &state.code, measure))
                            .width(90.0)
                            .selected_text(ballot_label(&chosen))
                            .show_ui(ui, |ui| {
                                ui.add_enabled_ui(open, |ui| {
                                    ui.selectable_value(&mut chosen, Ballot::Silence, "silent (assent)");
                                    ui.selectable_value(&mut chosen, Ballot::For, "for");
                                    ui.selectable_value(&mut chosen, Ballot::Abstain, "abstain");
                                    for reason in OBJECTION_REASONS {
                                        ui.selectable_value(
                                            &mut chosen,
                                            Ballot::Object(reason.to_owned()),
                                            format!("object: {reason}"),
                                        );
                                    }
                                });
                            })
                            .response
                            .on_hover_text(match ballot {
                                Ballot::Object(why) => format!("{} objects: {why}", state.code),
                                Ballot::Abstain => format!("{} abstains (constructive abstention)", state.code),
                                Ballot::For => format!("{} votes for", state.code),
                                Ballot::Silence => {
                                    format!("{} has said nothing: under the silence procedure, assent", state.code)
                                }
                            });
                        ui.add(egui::Label::new(egui::RichText::new(name).small()).truncate());
                        if chosen != *ballot {
                            intents.push(Intent::Position {
                                state: state.code.clone(),
                                measure: measure.clone(),
                                ballot: chosen,
                            });
                        }
                    });
                }
            }
        });
}

fn ballot_label(ballot: &Ballot) -> String {
    match ballot {
        Ballot::For => "for".to_owned(),
        Ballot::Abstain => "abstain".to_owned(),
        Ballot::Object(_) => "object…".to_owned(),
        Ballot::Silence => "silent".to_owned(),
    }
}

fn measure(ui: &mut egui::Ui, option: &MeasureOption, incident: Option<&str>, open: bool, intents: &mut Vec<Intent>) {
    let possible = option.blocked.is_none() && open;
    {
        // Long names wrap rather than widen the panel past the window.
        let button = egui::Button::new(RichText::new(&option.name).color(if option.blocked.is_none() {
            theme::EU_BLUE
        } else {
            theme::MUTED
        }))
        .wrap();
        let response = ui.add_enabled(possible, button);
        let help = format!("{}\n{}\n{}", option.description, option.legal_basis, option.terms());
        let response = response
            .on_hover_text(help.clone())
            .on_disabled_hover_text(match &option.blocked {
                Some(why) => format!("Cannot be proposed now: {why}\n\n{help}"),
                None => format!("The facilitator has paused the exercise.\n\n{help}"),
            });
        if response.clicked() {
            intents.push(Intent::Propose(Decision {
                measure: option.id.clone(),
                incident: incident.map(str::to_owned),
                // Who acts is fixed when the measure is proposed, as the picker showed it.
                by: option.acting.clone(),
            }));
        }
    }
    let line = match &option.blocked {
        Some(why) => RichText::new(format!("  {why}")).color(theme::MUTED).small(),
        None => RichText::new(format!("  {}", option.terms())).small(),
    };
    ui.label(line);
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}
