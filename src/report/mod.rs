//! The after-action report: what happened in a run, turn by turn in MSEL form, the votes, the
//! curves of escalation, misperception, perceived resolve and cohesion with each adversary's
//! readings at the end, each objective rated on the HSEEP scale, evaluators' notes and an
//! improvement plan. One set of facts, three renderings: a
//! self-contained HTML page with inline SVG charts, Markdown, and CSV.

mod facts;
mod html;
mod markdown;
mod rating;
mod svg;

pub use facts::{
    AdversaryRow, Comparison, DecisionRow, ImprovementAction, ObjectiveRating, ReportFacts, TimelineRow, TurnRow,
    abstainers_named, objectors_named, outcome_lines, policy_words, positions_named, seat_name,
};
pub use html::html;
pub use markdown::{csv_files, markdown};
pub use rating::Rating;
