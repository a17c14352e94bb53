//! The Cyber Diplomacy Toolbox as data: five families of measures, each with who decides, what
//! attribution it needs, its lead time, its cost and its effects (`assets/toolbox.ron`).

mod measure;

pub use measure::{Confidence, Decider, Effects, Family, MeasureData, MeasureId, Toolbox};

use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.insert_resource(Toolbox::embedded());
}
