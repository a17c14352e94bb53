//! The top bar and the charts: where the crisis stands and how it got there.

use crate::exercise::Board;
use crate::ui::theme;
use bevy_egui::egui::{self, RichText};
use egui_plot::{Line, Plot, PlotPoints};

/// Turn, exercise clock (relative and real), escalation on its ladder, misperception, perceived
/// resolve, cohesion.
pub fn top_bar(ui: &mut egui::Ui, board: &Board) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(&board.title).strong().size(17.0));
        ui.separator();
        if board.turn == 0 {
            ui.label(RichText::new(format!("Before turn 1 of {}", board.last_turn)).strong());
        } else {
            ui.label(RichText::new(format!("Turn {} of {}", board.turn, board.last_turn)).strong());
        }
        ui.label(format!("{}  ·  {}", board.clock, board.date)).on_hover_text(
            "Exercise time at the start of the turn: relative (D+days H+hours) and the date in the story",
        );
        if !board.presidency.is_empty() {
            ui.separator();
            ui.label(format!("Presidency: {}", board.presidency))
                .on_hover_text("The Member State chairing the Council; it rotates on 1 January and 1 July");
        }
    });
    // Four gauges and the rung's name fill a laptop's width: on a narrower window they wrap
    // rather than run off the edge.
    ui.horizontal_wrapped(|ui| {
        gauge(
            ui,
            "Escalation",
            board.escalation / 9.0,
            format!("{:.1} of 9: {}", board.escalation, board.rung),
            theme::heat(board.escalation / 9.0),
            110.0,
            "The escalation ladder, 0 (peacetime competition) to 9 (armed conflict threshold)",
        );
        gauge(
            ui,
            "Misperception",
            board.misperception,
            format!("{:.0}%", board.misperception * 100.0),
            theme::AMBER,
            75.0,
            "How far the adversaries misread the EU's intent, taking a security-seeking EU for a hostile one: \
             what breeds spirals. Ambiguous or disproportionate signals raise it; reassurance and channels lower it",
        );
        gauge(
            ui,
            "Perceived resolve",
            board.perceived_resolve,
            format!("{:.0}%", board.perceived_resolve * 100.0),
            theme::RESOLVE,
            75.0,
            "How far the adversaries believe the EU will impose costs: what deterrence needs. \
             Measures taken united, on a confident attribution, raise it; naming the wrong culprit lowers it",
        );
        gauge(
            ui,
            "EU cohesion",
            board.cohesion,
            format!("{:.0}%", board.cohesion * 100.0),
            theme::EU_BLUE,
            75.0,
            "Unity of the Member States: blocked votes and national solo acts lower it",
        );
    });
}

fn gauge(ui: &mut egui::Ui, name: &str, value: f64, text: String, color: egui::Color32, width: f32, help: &str) {
    ui.label(RichText::new(name).strong()).on_hover_text(help);
    ui.add(
        egui::ProgressBar::new(value.clamp(0.0, 1.0) as f32)
            .desired_width(width)
            .fill(color),
    )
    .on_hover_text(help);
    ui.label(text).on_hover_text(help);
    ui.add_space(8.0);
}

/// Escalation, misperception, perceived resolve and cohesion over the turns, with the ladder on
/// its own scale.
pub fn charts(ui: &mut egui::Ui, board: &Board, id: &str) {
    let series = |pick: fn(&(u32, f64, f64, f64, f64)) -> f64| -> PlotPoints<'static> {
        board.series.iter().map(|p| [f64::from(p.0), pick(p)]).collect()
    };
    // A caption instead of legends: at laptop heights a legend box would hide the curves.
    ui.horizontal(|ui| {
        ui.label(RichText::new("escalation (0-9)").color(theme::DANGER).small());
        ui.add_space(12.0);
        ui.label(RichText::new("misperception").color(theme::AMBER).small());
        ui.label(RichText::new("perceived resolve").color(theme::RESOLVE).small());
        ui.label(RichText::new("EU cohesion").color(theme::EU_BLUE).small());
        ui.label(RichText::new("(0-1), by turn").small());
    });
    let height = (ui.available_height() - 6.0).clamp(60.0, 220.0);
    ui.columns(2, |cols| {
        plot(&format!("{id}-escalation"), height, board.last_turn, 9.0).show(&mut cols[0], |plot| {
            plot.line(
                Line::new("escalation (0-9)", series(|p| p.1))
                    .color(theme::DANGER)
                    .width(2.5),
            );
        });
        plot(&format!("{id}-perception"), height, board.last_turn, 1.0).show(&mut cols[1], |plot| {
            plot.line(
                Line::new("misperception", series(|p| p.2))
                    .color(theme::AMBER)
                    .width(2.5),
            );
            plot.line(
                Line::new("perceived resolve", series(|p| p.3))
                    .color(theme::RESOLVE)
                    .width(2.5),
            );
            plot.line(
                Line::new("EU cohesion", series(|p| p.4))
                    .color(theme::EU_BLUE)
                    .width(2.5),
            );
        });
    });
}

/// A still chart over the whole exercise (turn 0 to the last), from 0 to `top`: the axes do not
/// move as turns are played, so the curves can be compared at a glance.
fn plot(id: &str, height: f32, last_turn: u32, top: f64) -> Plot<'static> {
    Plot::new(id.to_owned())
        .height(height)
        .include_x(0.0)
        .include_x(f64::from(last_turn))
        .include_y(0.0)
        .include_y(top)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show_crosshair(false)
}
