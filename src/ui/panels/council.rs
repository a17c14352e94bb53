//! The Council as it decides: each proposal of the turn and what became of it (an adopted
//! statement with its text as published), each vote with its tally and every objection with the
//! reason the Member State gave.

use crate::council::{Ballot, Verdict};
use crate::exercise::Board;
use crate::ui::theme;
use bevy_egui::egui::{self, RichText};

/// Proposals, votes and measures waiting for their lead time, as of the end of the board's turn.
/// `revealed` counts the ballots shown so far (the live board reveals the vote as it is cast,
/// Member State by Member State); `None` shows everything at once. Returns whether every ballot
/// is shown.
pub fn council(ui: &mut egui::Ui, board: &Board, revealed: Option<usize>) -> bool {
    let mut left = revealed.unwrap_or(usize::MAX);
    let (turn, decisions, votes, pending) = (board.turn, &board.decisions, &board.votes, &board.pending);
    ui.heading(format!("Decisions of turn {turn}"));
    // The Presidency's compromise texts: what was redrafted, and for whom.
    for a in &board.amendments {
        ui.label(
            RichText::new(format!(
                "Presidency: {} {}",
                board.measure_name(&a.measure),
                a.summary()
            ))
            .color(theme::MUTED),
        );
    }
    for vote in votes {
        ui.add_space(4.0);
        let shown = left.min(vote.ballots.len());
        left -= shown;
        let cast = &vote.ballots[..shown];
        let count = |f: fn(&Ballot) -> bool| cast.iter().filter(|(_, b)| f(b)).count();
        let (yes, abstain, no) = (
            count(|b| *b == Ballot::For),
            count(|b| *b == Ballot::Abstain),
            count(|b| matches!(b, Ballot::Object(_))),
        );
        let result = if shown == vote.ballots.len() {
            vote.result()
        } else {
            "voting…".to_owned()
        };
        let what = if vote.review { "review of" } else { "on" };
        let (for_, abstaining) = if vote.stage.adopts() {
            ("for", "abstaining")
        } else {
            ("agreeing", "with reservations")
        };
        ui.label(
            RichText::new(format!(
                "{}, by {}, {what} {}: {yes} {for_}, {abstain} {abstaining}, {no} objecting: {result}",
                capitalised(vote.stage.label()),
                vote.rule.code(),
                board.measure_name(&vote.measure)
            ))
            .strong(),
        );
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing = egui::vec2(2.0, 2.0);
            for (i, (code, ballot)) in vote.ballots.iter().enumerate() {
                if i >= shown {
                    // Not yet cast: an empty cell with the code.
                    let (rect, _) = ui.allocate_exact_size(egui::vec2(27.0, 18.0), egui::Sense::hover());
                    ui.painter().rect_stroke(
                        rect,
                        2,
                        egui::Stroke::new(1.0, egui::Color32::from_gray(190)),
                        egui::StrokeKind::Inside,
                    );
                    ui.painter().text(
                        rect.center(),
                        egui::Align2::CENTER_CENTER,
                        &**code,
                        egui::FontId::proportional(10.5),
                        egui::Color32::from_gray(150),
                    );
                    continue;
                }
                let (fill, help) = match ballot {
                    Ballot::For => (theme::GOOD, format!("{code}: for")),
                    Ballot::Abstain => (
                        egui::Color32::from_gray(160),
                        format!("{code}: constructive abstention"),
                    ),
                    Ballot::Object(why) => (theme::DANGER, format!("{code} objects: {why}")),
                    Ballot::Silence => (
                        theme::GOOD.gamma_multiply(0.6),
                        format!("{code}: silent when consulted (assent)"),
                    ),
                };
                let (rect, response) = ui.allocate_exact_size(egui::vec2(27.0, 18.0), egui::Sense::hover());
                ui.painter().rect_filled(rect, 2, fill);
                ui.painter().text(
                    rect.center(),
                    egui::Align2::CENTER_CENTER,
                    &**code,
                    egui::FontId::proportional(10.5),
                    theme::ink_on(fill),
                );
                response.on_hover_text(help);
            }
        });
        for (code, why) in cast.iter().filter_map(|(code, b)| match b {
            Ballot::Object(why) => Some((&**code, why)),
            _ => None,
        }) {
            ui.label(
                RichText::new(format!("{code} objects: {why}"))
                    .color(theme::DANGER)
                    .small(),
            );
        }
    }
    // Where each file stands comes before the turn's decisions: it is what the table watches.
    machinery(ui, board);
    if decisions.is_empty() {
        ui.weak(format!("No measure was proposed in turn {turn}."));
    }
    for d in decisions {
        let (mark, color) = match &d.verdict {
            Verdict::Adopted { .. } | Verdict::Renewed => ("✔", theme::GOOD),
            Verdict::Tabled { .. } => ("→", theme::MUTED),
            Verdict::Blocked { .. } | Verdict::Lapsed { .. } => ("✖", theme::DANGER),
            Verdict::Rejected(_) | Verdict::Shelved => ("–", theme::MUTED),
        };
        ui.label(RichText::new(format!("{mark} {}", board.describe(d))).color(color));
        // An adopted statement as it is published.
        if let Some(text) = &d.published {
            ui.indent(("published", &d.decision.measure, &d.decision.incident), |ui| {
                ui.label(RichText::new(format!("\u{201c}{text}\u{201d}")).italics().small());
            });
        }
    }
    if !pending.is_empty() {
        ui.add_space(4.0);
        ui.label(RichText::new("Decided, taking effect later:").small().strong());
        for p in pending {
            let on = p
                .incident
                .as_deref()
                .map(|i| format!(" on {}", board.incident_name(i)))
                .unwrap_or_default();
            ui.label(RichText::new(format!("{}{on}: turn {}", p.measure, p.due)).small());
        }
    }
    let total: usize = votes.iter().map(|v| v.ballots.len()).sum();
    revealed.is_none_or(|r| r >= total)
}

/// The files in the Council machinery, each with its path and where it stands: the stages
/// passed, the one it is in (held in red), those to come.
fn machinery(ui: &mut egui::Ui, board: &Board) {
    if board.files.is_empty() {
        return;
    }
    ui.add_space(4.0);
    ui.label(RichText::new("In the Council machinery:").small().strong());
    for file in &board.files {
        let on = file
            .incident
            .as_deref()
            .map(|i| format!(" on {}", board.incident_name(i)))
            .unwrap_or_default();
        let review = if file.review { "Review of " } else { "" };
        ui.label(RichText::new(format!("{review}{}{on}", file.measure)).small());
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing = egui::vec2(3.0, 2.0);
            for (i, (stage, ends)) in file.stages.iter().enumerate() {
                let text = RichText::new(stage.short()).small();
                let text = match i.cmp(&file.stage) {
                    std::cmp::Ordering::Less => text.color(theme::MUTED),
                    std::cmp::Ordering::Equal if file.held => text.color(theme::DANGER).strong(),
                    std::cmp::Ordering::Equal => text.color(theme::GOOD).strong(),
                    std::cmp::Ordering::Greater => text,
                };
                ui.label(text)
                    .on_hover_text(format!("{}: ends turn {ends}", stage.label()));
                if i + 1 < file.stages.len() {
                    ui.label(RichText::new("›").small().color(theme::MUTED));
                }
            }
        });
        let color = if file.held { theme::DANGER } else { theme::MUTED };
        let when = match file.adoption {
            Some(turn) => format!("adoption expected turn {turn}"),
            None => "adopted on partners' public day, once they name the party in public".to_owned(),
        };
        ui.label(
            RichText::new(format!("{}; {when}", file.whereabouts))
                .small()
                .color(color),
        );
    }
}

/// A label with its first letter in capitals.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
