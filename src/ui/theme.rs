//! A calm, legible look: light panels, a readable default size, and colours that carry meaning
//! (amber and red for danger, blue for the EU, grey for what cannot be done).

use bevy_egui::egui::{self, Color32, FontFamily, FontId, TextStyle};

/// EU blue, for the Union's own figures (cohesion, the table's proposals).
pub const EU_BLUE: Color32 = Color32::from_rgb(0, 51, 153);
/// For escalation.
pub const DANGER: Color32 = Color32::from_rgb(192, 57, 43);
/// For misperception.
pub const AMBER: Color32 = Color32::from_rgb(211, 132, 0);
/// For perceived resolve: teal, apart from the red, amber and blue lines beside it (also for
/// the colour-blind) and at least 3.6:1 against the light panels and plots and egui's dark ones.
pub const RESOLVE: Color32 = Color32::from_rgb(0, 128, 128);
/// For what went well.
pub const GOOD: Color32 = Color32::from_rgb(39, 130, 72);
/// For what cannot be done now.
pub const MUTED: Color32 = Color32::from_rgb(120, 120, 120);

/// Sets fonts and colours once, at start-up.
pub fn apply(ctx: &egui::Context) {
    ctx.set_theme(egui::ThemePreference::Light);
    ctx.all_styles_mut(|style| {
        // egui's defaults (12.5 px body) are small on a laptop; diplomats read long texts here.
        style.text_styles = [
            (TextStyle::Heading, FontId::new(22.0, FontFamily::Proportional)),
            (TextStyle::Body, FontId::new(15.0, FontFamily::Proportional)),
            (TextStyle::Button, FontId::new(15.0, FontFamily::Proportional)),
            (TextStyle::Small, FontId::new(12.5, FontFamily::Proportional)),
            (TextStyle::Monospace, FontId::new(14.0, FontFamily::Monospace)),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
    });
    ctx.style_mut_of(egui::Theme::Light, |style| {
        style.visuals.panel_fill = Color32::from_rgb(246, 247, 250);
        // egui's light theme writes in mid grey; long briefings need darker ink.
        style.visuals.widgets.noninteractive.fg_stroke.color = Color32::from_gray(30);
        style.visuals.widgets.inactive.fg_stroke.color = Color32::from_gray(25);
        style.visuals.widgets.inactive.bg_stroke = egui::Stroke::new(1.0, Color32::from_gray(170));
    });
}

/// A colour from green (0) through amber to red (1).
pub fn heat(x: f64) -> Color32 {
    let x = x.clamp(0.0, 1.0) as f32;
    let (r, g, b) = if x < 0.5 {
        let t = x * 2.0;
        (39.0 + t * (230.0 - 39.0), 150.0 + t * (170.0 - 150.0), 72.0 - t * 50.0)
    } else {
        let t = (x - 0.5) * 2.0;
        (230.0 - t * 38.0, 170.0 - t * 113.0, 22.0 + t * 21.0)
    };
    Color32::from_rgb(r as u8, g as u8, b as u8)
}

/// A colour from accommodating (-1, pale) to firm (1, deep blue).
pub fn firmness(x: f64) -> Color32 {
    let t = ((x + 1.0) / 2.0).clamp(0.0, 1.0) as f32;
    let lerp = |a: f32, b: f32| (a + t * (b - a)) as u8;
    Color32::from_rgb(lerp(235.0, 20.0), lerp(225.0, 60.0), lerp(200.0, 160.0))
}

/// Text colour readable on `fill`.
pub fn ink_on(fill: Color32) -> Color32 {
    let luma = 0.299 * f32::from(fill.r()) + 0.587 * f32::from(fill.g()) + 0.114 * f32::from(fill.b());
    if luma > 150.0 { Color32::BLACK } else { Color32::WHITE }
}
