//! The exercise board: where the crisis stands, the incidents, the Member States, the Toolbox,
//! the Council and the facilitator's console, with keyboard shortcuts for the frequent actions.

use crate::ui::panels::{HeldState, centre, console, council, feed, follow_incident, picker, top_bar, tour};
use crate::ui::table::{Intent, Table};
use crate::ui::{Drafts, Screen, nothing_open, root_ui, status_bar, submit, theme};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};

/// The board's help, one paragraph a line.
const HOW_TO_PLAY: &[&str] = &[
    "Each turn, read what fired in the incident feed, and pick the incident to answer (\"answer this\").",
    "Click measures in the Toolbox to put them on the table for the next turn. A greyed measure says why it cannot be taken now: attribution not yet at the confidence it needs, a seat the engine holds, a lead time past the end...",
    "Press Play turn (Enter). The engine plays every seat nobody holds; the Council agrees statements by consensus (one objection stops them) and sanctions by unanimity (constructive abstention possible); the outcome shows under \"Decisions\", on the map (colour by last vote) and in the charts.",
    "When you hold Member States, Play turn first tables the turn: the tour de table lists every file going to the Council, and each delegation says whether it agrees, abstains or objects. Decide turn (Enter) then decides it; a delegation that said nothing is silent, which is assent. One objection blocks the Council; a standing line on every file of a measure can be set in the Toolbox panel, under \"Council votes of ...\".",
    "The facilitator's console (F), with the facilitator's seat or in a solo rehearsal: pause and resume (P), fire an unscheduled inject, change an adversary's posture, keep the journal.",
    "After the last turn, the debrief (D) rates the objectives, writes the report and opens the run turn by turn.",
    "Everything is saved after every change: closing the window loses nothing.",
    "Keys: Enter or Space play a turn · P pause · F console · D debrief · H this help.",
];

/// Seconds between two ballots of the Council vote as the board reveals it.
const BALLOT_SECONDS: f64 = 0.06;

pub(super) fn draw(
    mut contexts: EguiContexts,
    table: NonSend<Table>,
    mut drafts: ResMut<Drafts>,
    mut intents: MessageWriter<Intent>,
    #[cfg(feature = "net")] hosting: Option<NonSend<crate::network::host::Hosting>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(ex) = &table.exercise else {
        nothing_open(ctx, &mut intents);
        return Ok(());
    };
    let board = ex.board();
    // A new run starts with every panel at the top and every section as first drawn.
    if drafts.drawn_run != drafts.run {
        ctx.memory_mut(|m| m.data = Default::default());
        drafts.drawn_run = drafts.run;
    }
    // The console is the facilitator's: it exists only with the facilitator's seat held, or
    // with no seat held (a solo rehearsal).
    let facilitator = ex.facilitator_seated();
    let mut console_shown = facilitator && *drafts.console_shown.get_or_insert(facilitator);
    let console_shown = &mut console_shown;
    // The incident proposals answer: the one the player pinned while it is on the board, else
    // the newest still unfolding (a new incident takes the proposals with it).
    let Drafts {
        incident,
        incident_pinned,
        ..
    } = &mut *drafts;
    follow_incident(board, incident, incident_pinned);
    let mut out = Vec::new();
    let open = ex.running() && !ex.paused();
    if !ctx.egui_wants_keyboard_input() {
        ctx.input(|i| {
            if (i.key_pressed(egui::Key::Enter) || i.key_pressed(egui::Key::Space)) && open && !drafts.revealing {
                out.push(Intent::Advance { from: ex.progress() });
            }
            if i.key_pressed(egui::Key::P) && facilitator {
                out.push(if ex.paused() { Intent::Resume } else { Intent::Pause });
            }
            if i.key_pressed(egui::Key::F) && facilitator {
                *console_shown = !*console_shown;
            }
            if i.key_pressed(egui::Key::H) || i.key_pressed(egui::Key::F1) {
                drafts.help_open = !drafts.help_open;
            }
            if i.key_pressed(egui::Key::D) && !ex.running() {
                out.push(Intent::Goto(Screen::Debrief));
            }
        });
    }
    // A turn's Council votes are revealed ballot by ballot when the turn has just been played;
    // a board opened on a played turn shows them whole.
    let now = ctx.input(|i| i.time);
    let (seen, start) = *drafts.vote_reveal.get_or_insert((board.turn, now - 1e6));
    let start = if seen == board.turn {
        start
    } else {
        drafts.vote_reveal = Some((board.turn, now));
        now
    };
    let consultation = ex.consultation();
    let consulting = !consultation.is_empty();
    let revealed = ((now - start) / BALLOT_SECONDS).max(0.0) as usize;
    let mut root = root_ui(ctx);
    egui::Panel::top("top-bar").show(&mut root, |ui| {
        ui.add_space(2.0);
        top_bar(ui, board);
        ui.add_space(2.0);
        ui.horizontal(|ui| {
            if ex.running() {
                if ex.paused() {
                    // A plain label, not a greyed button: a faded button is hard to read.
                    ui.label(
                        egui::RichText::new("⏸ Paused by the facilitator (P resumes)")
                            .strong()
                            .color(theme::DANGER),
                    );
                } else {
                    let label = if consulting {
                        format!("✔ Decide turn {} (Enter): silence is assent", ex.next_turn())
                    } else {
                        format!("▶ Play turn {} (Enter)", ex.next_turn())
                    };
                    let button = egui::Button::new(egui::RichText::new(label).strong().color(egui::Color32::WHITE))
                        .fill(theme::EU_BLUE);
                    // One deliberate act: not while the last turn's votes are still being revealed.
                    if ui
                        .add_enabled(!drafts.revealing, button)
                        .on_disabled_hover_text("The votes of the turn are being revealed")
                        .clicked()
                    {
                        out.push(Intent::Advance { from: ex.progress() });
                    }
                }
            } else {
                let summary = board.outcome.as_ref().map(|o| o.summary()).unwrap_or_default();
                let kind = board.outcome.as_ref().map_or("", |o| o.kind.label());
                ui.label(egui::RichText::new(format!("The exercise is over: {kind}.")).strong())
                    .on_hover_text(summary);
                let button = egui::Button::new(egui::RichText::new("Debrief (D)").strong().color(egui::Color32::WHITE))
                    .fill(theme::GOOD);
                if ui.add(button).clicked() {
                    out.push(Intent::Goto(Screen::Debrief));
                }
            }
            if let Some((phase, questions)) = &board.phase {
                ui.separator();
                ui.label(egui::RichText::new(phase).small())
                    .on_hover_text(format!("Questions for the table:\n• {}", questions.join("\n• ")));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Quit").clicked() {
                    out.push(Intent::Quit);
                }
                if ui.button("How to play (H)").clicked() {
                    drafts.help_open = !drafts.help_open;
                }
                if ui
                    .button("Review so far")
                    .on_hover_text("Open this run in the replay viewer")
                    .clicked()
                {
                    out.push(Intent::ReviewRun);
                }
                if facilitator {
                    ui.toggle_value(console_shown, "Console (F)");
                }
            });
        });
        ui.add_space(2.0);
    });
    status_bar(&mut root, &table);
    if *console_shown {
        egui::Panel::bottom("console").exact_size(140.0).show(&mut root, |ui| {
            console(ui, ex, &mut drafts.console, &mut out);
        });
    }
    egui::Panel::left("feed").default_size(320.0).show(&mut root, |ui| {
        let before = drafts.incident.clone();
        let seen = drafts.seen_turn;
        feed(ui, board, Some(&mut drafts.incident), seen);
        if drafts.incident != before {
            drafts.incident_pinned = true;
        }
    });
    egui::Panel::right("toolbox")
        .default_size(340.0)
        .size_range(300.0..=420.0)
        .show(&mut root, |ui| {
            let options = ex.options(drafts.incident.as_deref(), drafts.acting.as_deref());
            let held: Vec<HeldState> = board
                .states
                .iter()
                .filter(|s| s.held)
                .map(|s| HeldState {
                    code: s.code.clone(),
                    votes: options
                        .iter()
                        .filter(|o| o.rule.voted())
                        .map(|o| (o.id.clone(), o.name.clone(), ex.position(&s.code, &o.id)))
                        .collect(),
                })
                .collect();
            let Drafts { incident, acting, .. } = &mut *drafts;
            picker(
                ui,
                board,
                &options,
                incident.as_deref(),
                acting,
                ex.queued(),
                &held,
                open,
                &mut out,
            );
        });
    egui::CentralPanel::default().show(&mut root, |ui| {
        let Drafts { lens, revealing, .. } = &mut *drafts;
        centre(ui, board, lens, "board", |ui| {
            let rules = |id: &str| {
                let toolbox = ex.simulation().world().resource::<crate::toolbox::Toolbox>();
                toolbox.find(id).map_or("", |m| toolbox.get(m).rule.label())
            };
            tour(ui, board, &consultation, &rules, &mut out);
            *revealing = !council(ui, board, Some(revealed));
            if *revealing {
                // The vote is still being cast: draw the next ballot soon.
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_secs_f64(BALLOT_SECONDS));
                ui.ctx().request_repaint();
            }
        });
    });
    egui::Window::new("How to play")
        .open(&mut drafts.help_open)
        .default_width(520.0)
        .collapsible(false)
        .show(ctx, |ui| {
            for line in HOW_TO_PLAY {
                ui.label(*line);
            }
        });
    #[cfg(feature = "net")]
    if let Some(hosting) = hosting {
        delegations(ctx, &hosting);
    }
    drafts.console_shown = Some(*console_shown);
    submit(ctx, &mut intents, out);
    Ok(())
}

/// The facilitator's view of the delegations of a hosted exercise: each seat's join code to copy
/// or print, and whether its desk is connected and ready.
#[cfg(feature = "net")]
fn delegations(ctx: &egui::Context, hosting: &crate::network::host::Hosting) {
    let roll = hosting.roll();
    egui::Window::new("Delegations")
        .default_pos(egui::pos2(ctx.content_rect().width() - 560.0, 90.0))
        .default_width(520.0)
        .collapsible(true)
        .show(ctx, |ui| {
            let ready = roll.iter().filter(|a| a.ready).count();
            let connected = roll.iter().filter(|a| a.connected).count();
            ui.label(format!(
                "{connected} of {} desks connected, {ready} ready. Play turn plays for everyone; a seat not connected is silent.",
                roll.len()
            ));
            egui::Grid::new("delegations").striped(true).show(ui, |ui| {
                for (attendance, (_, code)) in roll.iter().zip(&hosting.codes) {
                    let (text, colour) = match (attendance.connected, attendance.ready) {
                        (false, _) => ("not connected", theme::DANGER),
                        (true, false) => ("deliberating", theme::EU_BLUE),
                        (true, true) => ("ready", theme::GOOD),
                    };
                    ui.label(&attendance.seat);
                    ui.colored_label(colour, text);
                    if ui.small_button("Copy code").on_hover_text(code).clicked() {
                        ui.ctx().copy_text(code.clone());
                    }
                    ui.end_row();
                }
            });
        });
}
