//! Reading a scenario file: syntax errors name the file, line and column and say what was
//! expected; meaning errors (an unknown Member State, an inject after the last turn) name the
//! inject and field at fault.

use super::Scenario;
use crate::actors::ActorsData;
use miette::{Diagnostic, NamedSource, SourceSpan};
use std::path::Path;

/// The embedded default scenario: a self-spreading wiper through a software supply chain.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/supply_chain_wiper.ron");

/// Why a scenario could not be used.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ScenarioError {
    /// The file is missing or unreadable.
    #[error("cannot read scenario {path}: {reason}")]
    #[diagnostic(code(demarche::scenario::unreadable))]
    Unreadable {
        /// The file asked for.
        path: String,
        /// What the operating system said.
        reason: String,
    },
    /// The file is not valid scenario RON.
    #[error("{path}:{line}:{column}: {message}")]
    #[diagnostic(
        code(demarche::scenario::syntax),
        help("see docs/scenario-format.md for every field")
    )]
    Syntax {
        /// The file.
        path: String,
        /// 1-based line of the fault.
        line: usize,
        /// 1-based column of the fault.
        column: usize,
        /// What the parser expected.
        message: String,
        /// The text, for the snippet.
        #[source_code]
        source_code: NamedSource<String>,
        /// Where the fault is.
        #[label("here")]
        span: SourceSpan,
    },
    /// The file parses but refers to things that do not exist or cannot happen.
    #[error("{path}: {}", problems.join("; "))]
    #[diagnostic(code(demarche::scenario::meaning), help("run `demarche check` for a full report"))]
    Meaning {
        /// The file.
        path: String,
        /// Each problem, naming the inject and field.
        problems: Vec<String>,
    },
}

/// Reads and validates a scenario file.
pub fn load_scenario(path: &Path, actors: &ActorsData) -> Result<Scenario, ScenarioError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ScenarioError::Unreadable {
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| ScenarioError::Unreadable {
        path: shown.clone(),
        reason: format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })?;
    parse_scenario(&shown, &text, actors)
}

/// Parses and validates scenario text; `name` is how the source is named in messages.
pub fn parse_scenario(name: &str, text: &str, actors: &ActorsData) -> Result<Scenario, ScenarioError> {
    let scenario: Scenario = ron_options().from_str(text).map_err(|e| {
        let offset = skip_blanks(
            text,
            byte_offset(text, e.span.start.line.max(1), e.span.start.col.max(1)),
        );
        let (line, column) = line_column(text, offset);
        ScenarioError::Syntax {
            path: name.to_owned(),
            line,
            column,
            message: e.code.to_string(),
            source_code: NamedSource::new(name, text.to_owned()),
            span: (offset, 0).into(),
        }
    })?;
    let problems = meaning_problems(&scenario, actors);
    if problems.is_empty() {
        Ok(scenario)
    } else {
        Err(ScenarioError::Meaning {
            path: name.to_owned(),
            problems,
        })
    }
}

/// The RON dialect of scenario files: optional fields may be written without `Some(...)`,
/// and nesting is limited so that hostile input cannot exhaust the stack.
pub fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(64)
}

/// The offset of the first non-blank character at or after `offset`: the parser reports the
/// position before the blanks that precede the faulty token.
fn skip_blanks(text: &str, offset: usize) -> usize {
    let rest = &text[offset..];
    offset + rest.len() - rest.trim_start().len()
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Byte offset of a 1-based (line, column in characters) position, clamped to the text.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(line - 1).map(str::len).sum();
    let rest = &text[line_start.min(text.len())..];
    let within: usize = rest.chars().take(column - 1).map(char::len_utf8).sum();
    (line_start + within).min(text.len())
}

/// The problems that stop a scenario from being played, in file order.
fn meaning_problems(scenario: &Scenario, actors: &ActorsData) -> Vec<String> {
    let mut problems = Vec::new();
    let known_adversary = |id: &str| actors.adversaries.iter().any(|a| a.id == id);
    let cast = |id: &str| scenario.adversaries.iter().any(|a| a == id);
    let known_state = |code: &str| actors.member_states.iter().any(|m| m.code == code);
    if scenario.turns == 0 || scenario.turns > 200 {
        problems.push(format!("turns is {}, expected 1 to 200", scenario.turns));
    }
    if scenario.adversaries.is_empty() {
        problems.push("adversaries is empty: cast at least one adversary".to_owned());
    }
    for id in &scenario.adversaries {
        if !known_adversary(id) {
            problems.push(format!("adversaries: unknown adversary \"{id}\""));
        }
    }
    if let Some(code) = &scenario.presidency
        && !known_state(code)
    {
        problems.push(format!("presidency: unknown Member State \"{code}\""));
    }
    for code in scenario.member_states.keys() {
        if !known_state(code) {
            problems.push(format!("member_states: unknown Member State \"{code}\""));
        }
    }
    for id in scenario.adversary_overrides.keys() {
        if !cast(id) {
            problems.push(format!("adversary_overrides: \"{id}\" is not cast in adversaries"));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for inject in &scenario.injects {
        let at = format!("inject \"{}\"", inject.id);
        if !seen.insert(inject.id.as_str()) {
            problems.push(format!("{at}: duplicate id"));
        }
        if inject.turn == 0 || inject.turn > scenario.turns {
            problems.push(format!(
                "{at}: turn {} is outside the exercise (1 to {})",
                inject.turn, scenario.turns
            ));
        }
        if let Some(incident) = &inject.incident {
            if !cast(&incident.perpetrator) {
                problems.push(format!(
                    "{at}: perpetrator \"{}\" is not cast in adversaries",
                    incident.perpetrator
                ));
            }
            if let Some(flag) = &incident.false_flag
                && !cast(flag)
            {
                problems.push(format!("{at}: false_flag \"{flag}\" is not cast in adversaries"));
            }
            if incident.victims.is_empty() {
                problems.push(format!("{at}: victims is empty"));
            }
            for victim in &incident.victims {
                if !known_state(victim) {
                    problems.push(format!("{at}: unknown victim Member State \"{victim}\""));
                }
            }
            if incident.severity.dimensions().iter().any(|d| *d > 5) {
                problems.push(format!("{at}: severity dimensions run from 0 to 5"));
            }
        }
        if let Some(shift) = &inject.posture
            && !cast(&shift.adversary)
        {
            problems.push(format!(
                "{at}: posture adversary \"{}\" is not cast in adversaries",
                shift.adversary
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_scenario_is_valid() {
        parse_scenario("default", DEFAULT_SCENARIO, &ActorsData::embedded()).unwrap();
    }

    #[test]
    fn a_syntax_error_names_line_and_column() {
        let text = "Scenario(\n  id: \"x\",\n  title: 12,\n)";
        let err = parse_scenario("bad.ron", text, &ActorsData::embedded()).unwrap_err();
        match err {
            ScenarioError::Syntax {
                line, column, message, ..
            } => {
                assert_eq!(line, 3);
                assert_eq!(column, 10);
                assert!(message.contains("string"), "{message}");
            }
            other => panic!("expected a syntax error, got {other}"),
        }
    }

    #[test]
    fn byte_offsets_count_characters_not_bytes() {
        assert_eq!(byte_offset("é\nab", 2, 2), 4);
        assert_eq!(byte_offset("ab", 9, 9), 2);
    }
}
