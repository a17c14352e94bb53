//! What players read in place of ids: the one source of names for measures and incidents, for
//! the board, the replay viewer and the report alike.

use super::TurnRecord;
use crate::toolbox::Toolbox;
use std::collections::BTreeMap;

/// Measures by their Toolbox names, incidents by their headlines.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Names {
    measures: BTreeMap<String, String>,
    incidents: BTreeMap<String, String>,
}

impl Names {
    /// The names of a run: the measures of its Toolbox, the incidents that surfaced in its
    /// records so far (scripted injects and adversary operations alike).
    pub fn of(toolbox: &Toolbox, records: &[TurnRecord]) -> Self {
        Self {
            measures: toolbox
                .measures
                .iter()
                .map(|m| (m.id.clone(), m.name.clone()))
                .collect(),
            incidents: records
                .iter()
                .flat_map(|t| &t.injects)
                .map(|i| (i.id.clone(), i.title.clone()))
                .collect(),
        }
    }

    /// A measure's name in the Toolbox (its id when unknown).
    pub fn measure<'a>(&'a self, id: &'a str) -> &'a str {
        self.measures.get(id).map_or(id, String::as_str)
    }

    /// A measure's name with the rung of the ladder of wordings it is drafted at, when one is
    /// named: `Declaration ... naming those responsible (from the territory of)`.
    pub fn worded(&self, id: &str, wording: Option<&str>) -> String {
        match wording {
            Some(rung) => format!("{} ({})", self.measure(id), crate::toolbox::wording_label(rung)),
            None => self.measure(id).to_owned(),
        }
    }

    /// An incident as players name it: its headline in quotes (its id when unknown).
    pub fn incident(&self, id: &str) -> String {
        self.incidents
            .get(id)
            .map_or_else(|| id.to_owned(), |title| format!("\u{201c}{title}\u{201d}"))
    }
}
