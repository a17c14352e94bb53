//! The Cyber Diplomacy Toolbox as data: five families of measures, each with who decides, what
//! attribution it needs, its lead time, its cost and its effects (`assets/toolbox.ron`).

mod measure;

pub use measure::{
    Confidence, Dated, Decider, Effects, Family, Kind, MeasureData, MeasureId, Reaction, Rule, Stage, Step, Toolbox,
    Wording, enumerate, wording_label,
};

use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.insert_resource(Toolbox::embedded());
}
