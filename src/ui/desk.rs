//! A delegation's window (`demarche join CODE`): the board as its seat sees it, drawn from what
//! the host sends, with a "ready" button and who is still deliberating. Everything the
//! delegation does goes to the host, which checks it and decides; nothing is decided here.

use super::panels::{HeldState, centre, council, feed, follow_incident, picker, top_bar, tour};
use super::{Intent, Lens, Styled, root_ui, theme};
use crate::council::ballot_of;
use crate::decisions::Role;
use crate::exercise::SeatAction;
use crate::network::FromDesk;
use crate::network::join::{DeskState, JoinPlan, add_desk};
use bevy::prelude::*;
use bevy::winit::{UpdateMode, WinitSettings};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use std::path::PathBuf;
use std::time::Duration;

/// What the delegation is choosing on screen.
#[derive(Resource, Default)]
struct DeskDrafts {
    incident: Option<String>,
    incident_pinned: bool,
    acting: Option<String>,
    lens: Lens,
}

/// Opens a delegation's window on the exercise its code joins, until it is closed.
pub fn run(plan: JoinPlan, size: (u32, u32), screenshot: Option<PathBuf>) -> Result<AppExit, String> {
    let mut app = super::window_app(format!("Démarche: {} (joining)", plan.code.seat), size);
    crate::network::network_plugins(&mut app);
    add_desk(&mut app, plan, false)?;
    // The host's messages arrive without input: the desk looks for them five times a second,
    // which costs a laptop little; a message received redraws the board at once.
    app.insert_resource(WinitSettings {
        focused_mode: UpdateMode::reactive(Duration::from_millis(200)),
        unfocused_mode: UpdateMode::reactive_low_power(Duration::from_millis(500)),
    })
    .init_resource::<DeskDrafts>()
    .add_systems(Update, (redraw_on_news, name_window))
    .add_systems(EguiPrimaryContextPass, draw.after(Styled));
    if let Some(path) = screenshot {
        // The picture is taken once the host's board has arrived.
        app.insert_resource(super::capture::Ready(false))
            .add_systems(
                Update,
                |desk: Res<DeskState>, mut ready: ResMut<super::capture::Ready>| {
                    ready.0 = desk.view.is_some() || desk.refused.is_some();
                },
            )
            .add_plugins(super::capture::plugin(path));
    }
    Ok(app.run())
}

fn redraw_on_news(desk: Res<DeskState>, mut redraw: MessageWriter<bevy::window::RequestRedraw>) {
    if desk.is_changed() {
        redraw.write(bevy::window::RequestRedraw);
    }
}

fn name_window(desk: Res<DeskState>, mut windows: Query<&mut Window, With<bevy::window::PrimaryWindow>>) {
    if !desk.is_changed() {
        return;
    }
    let who = match (&desk.seat, &desk.view) {
        (Some(role), _) => crate::report::seat_name(role),
        (None, Some(_)) => "observer".to_owned(),
        (None, None) => return,
    };
    let title = desk.view.as_ref().map(|v| v.board.title.clone()).unwrap_or_default();
    for mut window in &mut windows {
        let name = format!("Démarche: {who}, {title}");
        if window.title != name {
            window.title = name;
        }
    }
}

fn draw(
    mut contexts: EguiContexts,
    mut desk: ResMut<DeskState>,
    mut drafts: ResMut<DeskDrafts>,
    mut to_host: MessageWriter<FromDesk>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = root_ui(ctx);
    let Some(view) = desk.view.clone() else {
        egui::CentralPanel::default().show(&mut root, |ui| {
            ui.add_space(60.0);
            ui.vertical_centered(|ui| {
                ui.heading(format!("Joining as {}", desk.code.seat));
                ui.add_space(8.0);
                match &desk.refused {
                    Some(why) => {
                        ui.label(egui::RichText::new(why).color(theme::DANGER).strong());
                    }
                    None => {
                        ui.label(format!("Connecting to the host at {}...", desk.code.host));
                        ui.spinner();
                    }
                }
            });
        });
        return Ok(());
    };
    let board = view.board.clone().with_rung();
    let state = match &view.seat {
        Some(Role::MemberState(code)) => Some(code.clone()),
        _ => None,
    };
    let DeskDrafts {
        incident,
        incident_pinned,
        ..
    } = &mut *drafts;
    follow_incident(&board, incident, incident_pinned);
    let open = view.running && !view.paused;
    let ready = desk.ready_at == Some(view.progress);
    let mut out: Vec<Intent> = Vec::new();
    egui::Panel::top("desk-top").show(&mut root, |ui| {
        ui.add_space(2.0);
        top_bar(ui, &board);
        ui.add_space(2.0);
        ui.horizontal(|ui| {
            let who = view
                .seat
                .as_ref()
                .map_or_else(|| "Observer".to_owned(), crate::report::seat_name);
            ui.label(egui::RichText::new(who).strong().color(theme::EU_BLUE));
            ui.separator();
            if !view.running {
                let kind = board.outcome.as_ref().map_or("", |o| o.kind.label());
                ui.label(egui::RichText::new(format!("The exercise is over: {kind}.")).strong());
            } else if view.paused {
                ui.label(
                    egui::RichText::new("⏸ Paused by the facilitator")
                        .strong()
                        .color(theme::DANGER),
                );
            } else if view.seat.is_some() {
                let what = if view.consulting {
                    format!("the Council's decision on turn {}", view.next_turn)
                } else {
                    format!("turn {}", view.next_turn)
                };
                let label = if ready {
                    format!("✔ Ready for {what}: waiting for the others")
                } else {
                    format!("Ready for {what}")
                };
                let button = egui::Button::new(egui::RichText::new(label).strong().color(egui::Color32::WHITE))
                    .fill(if ready { theme::GOOD } else { theme::EU_BLUE });
                if ui
                    .add_enabled(!ready, button)
                    .on_hover_text("Tell the facilitator your delegation has finished deliberating")
                    .clicked()
                {
                    to_host.write(FromDesk::Ready { at: view.progress });
                    desk.ready_at = Some(view.progress);
                }
            }
            ui.separator();
            let deliberating: Vec<&str> = desk
                .roll
                .iter()
                .filter(|a| a.connected && !a.ready)
                .map(|a| a.seat.as_str())
                .collect();
            let away: Vec<&str> = desk
                .roll
                .iter()
                .filter(|a| !a.connected)
                .map(|a| a.seat.as_str())
                .collect();
            if !deliberating.is_empty() {
                ui.label(format!("Still deliberating: {}", deliberating.join(", ")));
            }
            if !away.is_empty() {
                ui.label(egui::RichText::new(format!("Not connected: {}", away.join(", "))).weak());
            }
        });
        ui.add_space(2.0);
    });
    egui::Panel::bottom("desk-status").show(&mut root, |ui| {
        ui.horizontal(|ui| match (&desk.refused, desk.notices.last()) {
            (Some(why), _) => {
                ui.colored_label(theme::DANGER, why);
            }
            (None, Some(notice)) => {
                ui.colored_label(theme::DANGER, notice);
            }
            (None, None) => {
                ui.label(
                    egui::RichText::new(format!(
                        "Connected to the host at {}: every move is checked there.",
                        desk.code.host
                    ))
                    .weak(),
                );
            }
        });
    });
    egui::Panel::left("desk-feed")
        .default_size(320.0)
        .show(&mut root, |ui| {
            let before = drafts.incident.clone();
            feed(ui, &board, Some(&mut drafts.incident), None);
            if drafts.incident != before {
                drafts.incident_pinned = true;
            }
        });
    let options = view
        .options
        .iter()
        .find(|(i, _)| *i == drafts.incident.as_deref().unwrap_or(""))
        .map(|(_, o)| o.clone())
        .unwrap_or_default();
    if view.seat.is_some() {
        egui::Panel::right("desk-toolbox")
            .default_size(340.0)
            .size_range(300.0..=420.0)
            .show(&mut root, |ui| {
                let held: Vec<HeldState> = state
                    .iter()
                    .map(|code| HeldState {
                        code: code.clone(),
                        votes: options
                            .iter()
                            .filter(|o| o.rule.voted())
                            .map(|o| {
                                let ballot = ballot_of(&view.positions, view.next_turn, code, &o.id, None);
                                (o.id.clone(), o.name.clone(), ballot)
                            })
                            .collect(),
                    })
                    .collect();
                // An empty list is not the end of the exercise (the picker would read it so).
                if options.is_empty() && view.running {
                    ui.heading("Toolbox");
                    ui.label("Nothing your seat can table on this incident.");
                    return;
                }
                let DeskDrafts { incident, acting, .. } = &mut *drafts;
                picker(
                    ui,
                    &board,
                    &options,
                    incident.as_deref(),
                    acting,
                    &view.proposals,
                    &held,
                    open,
                    &mut out,
                );
            });
    }
    egui::CentralPanel::default().show(&mut root, |ui| {
        centre(ui, &board, &mut drafts.lens, "desk", |ui| {
            let files: Vec<_> = match &state {
                Some(code) => view
                    .consultation
                    .iter()
                    .map(|(file, ballot)| (file.clone(), vec![(code.clone(), ballot.clone())]))
                    .collect(),
                None => Vec::new(),
            };
            let rules = |id: &str| -> &'static str {
                view.options
                    .iter()
                    .flat_map(|(_, o)| o)
                    .find(|o| o.id == id)
                    .map_or("", |o| o.rule.label())
            };
            tour(ui, &board, &files, &rules, &mut out);
            council(ui, &board, None);
        });
    });
    for intent in out {
        let message = match intent {
            Intent::Propose(decision) => Some(FromDesk::Act(SeatAction::Propose(decision))),
            Intent::Withdraw(index) => view
                .proposals
                .get(index)
                .map(|d| FromDesk::Act(SeatAction::Withdraw(d.clone()))),
            Intent::Answer { file, ballot, .. } => Some(FromDesk::Act(SeatAction::Answer { file, ballot })),
            Intent::Position { measure, ballot, .. } => Some(FromDesk::Act(SeatAction::Position {
                measure,
                incident: None,
                ballot,
            })),
            Intent::Note(text) => Some(FromDesk::Note(text)),
            _ => None,
        };
        if let Some(message) = message {
            // A change of mind after "ready" un-readies the desk until it says so again.
            desk.ready_at = None;
            to_host.write(message);
        }
    }
    Ok(())
}
