//! Scenarios: the scripted storyline of an exercise, written by facilitators as RON files.

mod format;
mod load;

pub mod check;
mod conditions;
pub mod synthetic;
pub(crate) mod time;

pub use conditions::{AttributionFacts, Facts, holds, lapses};
pub use format::{
    AdversaryOverride, Clock, Condition, IncidentSpec, Initial, Inject, Judge, MeasureOverride, MemberStateOverride,
    Module, Objective, PartnerAssessment, Phase, PostureShift, Scenario, SeverityData, When,
};
pub use load::{
    DEFAULT_SCENARIO, SHIPPED, ScenarioError, ScenarioSource, line_column, load_scenario, parse_scenario,
    read_scenario_text, ron_message, ron_options,
};
pub use time::{
    Calendar, Offset, StoryTime, date_days, long_date, next_anniversary, parse_offset, turn_time, utc_now, utc_stamp,
};
