//! Scenarios: the scripted storyline of an exercise, written by facilitators as RON files.

mod format;
mod load;

pub use format::{
    AdversaryOverride, Clock, IncidentSpec, Initial, Inject, MemberStateOverride, PostureShift, Scenario, SeverityData,
};
pub use load::{DEFAULT_SCENARIO, ScenarioError, line_column, load_scenario, parse_scenario, ron_options};
