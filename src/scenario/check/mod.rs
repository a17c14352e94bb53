//! `demarche check`: every problem in a scenario at once, each at its line and column with a
//! plain-language hint, in the style of rustc's diagnostics.

mod findings;
mod graph;
pub mod render;
mod rules;
pub mod spans;

pub use findings::{CheckReport, Finding, Severity};

use crate::actors::ActorsData;
use crate::scenario::{Scenario, ron_options};
use crate::toolbox::Toolbox;

/// Largest scenario accepted, in bytes: a 5,000-inject scenario is about 2 MB.
pub const MAX_SCENARIO_BYTES: usize = 32 * 1024 * 1024;

/// Checks scenario text: syntax first, then meaning. Never panics, whatever the text.
pub fn check_text(path: &str, text: &str, actors: &ActorsData, toolbox: &Toolbox) -> CheckReport {
    let mut report = CheckReport::new(path, text);
    let scenario: Scenario = match ron_options().from_str(text) {
        Ok(s) => s,
        Err(e) => {
            let offset = super::load::syntax_offset(text, &e);
            let curly = text[offset..].starts_with(['\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}']);
            let message = super::load::ron_message(&e.code);
            if message.starts_with(super::time::TURN_COUNT_REFUSED) {
                // The old format counted turns: name the field, never reinterpret the number.
                let line = &text[text[..offset].rfind('\n').map_or(0, |i| i + 1)..offset];
                let field: String = line
                    .trim_end()
                    .trim_end_matches(':')
                    .trim_end()
                    .chars()
                    .rev()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                report.push(
                    Finding::error("turn-count", format!("{field}: {message}"), offset..offset)
                        .hint("scenarios written before story time counted turns here; write the real duration in days or hours"),
                );
                return report;
            }
            let hint = if curly {
                "these are curly quotes from a word processor; write straight double quotes (\")"
            } else {
                "the file must follow the scenario format in docs/scenario-format.md; a missing comma or quote is the usual cause"
            };
            report.push(Finding::error("syntax", message, offset..offset).hint(hint));
            return report;
        }
    };
    let root = spans::read(text);
    rules::check(&scenario, root.as_ref(), actors, toolbox, &mut report);
    report.sort();
    report.scenario = Some(scenario);
    report
}
