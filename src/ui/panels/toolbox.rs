//! The Toolbox measure picker, by family. A measure that cannot be taken now is greyed and says
//! why, in the words of the rule that stops it; a statement of who is responsible shows its
//! ladder of wordings, one button per rung from condemning without a name to naming the State,
//! each with the confidence it needs and, on hover, the text as it would be published and the
//! real statement that used it. The table's proposals for the next turn are listed at the top,
//! each with a button to withdraw it.

use crate::council::{Ballot, OBJECTION_REASONS};
use crate::decisions::Decision;
use crate::exercise::{Board, IncidentCard, MeasureOption, RungOption};
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
                            // The wording first: the measure's name is long and is cut short.
                            let wording = d
                                .wording
                                .as_deref()
                                .map(|w| format!("[{}] ", crate::toolbox::wording_label(w)))
                                .unwrap_or_default();
                            ui.add(
                                egui::Label::new(
                                    RichText::new(format!("{wording}{}{on}", board.measure_name(&d.measure)))
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
            let proposing = Proposing {
                incident,
                card: incident.and_then(|id| board.incidents.iter().find(|c| c.id == id)),
                queued,
                open,
            };
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
                        measure(ui, option, &proposing, intents);
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
                                            Ballot::Object(reason.clone()),
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

/// What the measures are proposed against: the incident, the EU's assessment of it, what is
/// already on the table and whether proposals are open (not paused).
struct Proposing<'a> {
    incident: Option<&'a str>,
    /// The incident answered, with the EU's and each Member State's assessment of it.
    card: Option<&'a IncidentCard>,
    queued: &'a [Decision],
    open: bool,
}

impl Proposing<'_> {
    /// The proposal of `option` at `wording` (its highest rung when `None`), as the picker shows
    /// it: who acts is fixed when the measure is proposed.
    fn propose(&self, option: &MeasureOption, wording: Option<&str>) -> Intent {
        Intent::Propose(Decision {
            measure: option.id.clone(),
            incident: self.incident.map(str::to_owned),
            by: option.acting.clone(),
            wording: wording.map(str::to_owned),
        })
    }

    /// The assessment a rung's confidence is measured against, in a few words: the EU's, or the
    /// acting Member State's own for a national measure ("FR's own: Borealia, 75%").
    fn assessment(&self, option: &MeasureOption) -> Option<String> {
        let card = self.card?;
        Some(match &option.acting {
            Some(code) => {
                let own = card.national.iter().find(|v| &v.code == code)?;
                format!("{code}'s own: {}, {:.0}%", own.suspect, own.probability * 100.0)
            }
            None => format!("EU assessment: {}, {:.0}%", card.suspect, card.probability * 100.0),
        })
    }

    /// Whether `option` is on the table at `rung` for this incident (an unworded proposal of a
    /// statement is drafted at its highest rung).
    fn queued_at(&self, option: &MeasureOption, rung: &RungOption) -> bool {
        let highest = option.rungs.last().map(|r| r.id.as_str());
        self.queued.iter().any(|d| {
            d.measure == option.id
                && d.incident.as_deref() == self.incident
                && d.wording.as_deref().or(highest) == Some(rung.id.as_str())
        })
    }
}

fn measure(ui: &mut egui::Ui, option: &MeasureOption, at: &Proposing, intents: &mut Vec<Intent>) {
    if option.rungs.len() > 1 {
        ladder(ui, option, at, intents);
        return;
    }
    let possible = option.blocked.is_none() && at.open;
    // A statement with a single wording (a condemnation, a listing) says it under its name.
    let single = option.rungs.first();
    {
        // Long names wrap rather than widen the panel past the window.
        let button = egui::Button::new(RichText::new(&option.name).color(if option.blocked.is_none() {
            theme::EU_BLUE
        } else {
            theme::MUTED
        }))
        .wrap();
        let response = ui.add_enabled(possible, button);
        let mut help = format!("{}\n{}\n{}", option.description, option.legal_basis, option.terms());
        if let Some(rung) = single {
            help.push_str(&format!("\n\n{}", published(rung)));
        }
        let response = response
            .on_hover_text(help.clone())
            .on_disabled_hover_text(match &option.blocked {
                Some(why) => format!("Cannot be proposed now: {why}\n\n{help}"),
                None => format!("The facilitator has paused the exercise.\n\n{help}"),
            });
        if response.clicked() {
            intents.push(at.propose(option, None));
        }
    }
    let wording = single.map(|r| format!("; wording: {}", r.label())).unwrap_or_default();
    let line = match &option.blocked {
        Some(why) => RichText::new(format!("  {why}")).color(theme::MUTED).small(),
        None => RichText::new(format!("  {}{wording}", option.terms())).small(),
    };
    ui.label(line);
}

/// A statement of who is responsible with its ladder of wordings: its name, its terms, then one
/// button per rung, the weakest first, each with the confidence it needs; a rung that cannot be
/// proposed now is greyed and says why on hover.
fn ladder(ui: &mut egui::Ui, option: &MeasureOption, at: &Proposing, intents: &mut Vec<Intent>) {
    let help = format!("{}\n{}\n{}", option.description, option.legal_basis, option.terms());
    let colour = if option.blocked.is_none() {
        theme::EU_BLUE
    } else {
        theme::MUTED
    };
    ui.add(egui::Label::new(RichText::new(&option.name).color(colour).strong()).wrap())
        .on_hover_text(help);
    // When no rung is open, the weakest rung's reason is the one nearest to being met.
    let line = match option.rungs.first().and_then(|r| r.blocked.as_ref()) {
        Some(why) if option.blocked.is_some() => RichText::new(format!("  {why}")).color(theme::MUTED).small(),
        _ => RichText::new(format!("  {}", option.terms())).small(),
    };
    ui.label(line);
    ui.label(
        RichText::new(match at.assessment(option) {
            Some(assessment) => format!("  Wording ({assessment}):"),
            None => "  Wording:".to_owned(),
        })
        .small(),
    );
    ui.indent(("ladder", &option.id), |ui| {
        ui.spacing_mut().item_spacing.y = 2.0;
        for rung in &option.rungs {
            let open = rung.blocked.is_none();
            let button =
                egui::Button::new(RichText::new(rung.label()).color(if open { theme::EU_BLUE } else { theme::MUTED }))
                    .right_text(RichText::new(rung.needs()).small())
                    .selected(at.queued_at(option, rung))
                    .min_size(egui::vec2(ui.available_width(), 0.0));
            let text = published(rung);
            let response = ui
                .add_enabled(open && at.open, button)
                .on_hover_text(&text)
                .on_disabled_hover_text(match &rung.blocked {
                    Some(why) => format!("Cannot be proposed at this wording now: {why}\n\n{text}"),
                    None => format!("The facilitator has paused the exercise.\n\n{text}"),
                });
            if response.clicked() {
                intents.push(at.propose(option, Some(&rung.id)));
            }
        }
    });
    ui.add_space(2.0);
}

/// A rung's text as it would be published, and the real statement that used it.
fn published(rung: &RungOption) -> String {
    format!(
        "Published as:\n\u{201c}{}\u{201d}\n\nPrecedent: {}",
        rung.text, rung.precedent
    )
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}
