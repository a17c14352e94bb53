//! The Cyber Diplomacy Toolbox as data: five families of measures, each with who decides, what
//! attribution it needs, its lead time, its cost and its effects (`assets/toolbox.ron`).

mod measure;

pub use measure::{
    Confidence, Dated, Decider, Effects, Family, Kind, MeasureData, MeasureId, Reaction, Rule, Speaker, Stage, Step,
    Toolbox, Wording, enumerate, wording_label,
};

use bevy::prelude::*;

/// The id of a Member State's own public attribution, which the engine looks for by name: a
/// statement reporting Member States' attributions needs one, and the proportional policy names
/// a State only after one (or after partners).
pub const NATIONAL_ATTRIBUTION: &str = "national_attribution";

pub(super) fn plugin(app: &mut App) {
    app.insert_resource(Toolbox::embedded());
}
