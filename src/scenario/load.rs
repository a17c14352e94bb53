//! Reading a scenario file: syntax errors name the file, line and column and say what was
//! expected; meaning errors (an unknown Member State, an inject after the last turn) name the
//! inject and field at fault.

use super::Scenario;
use super::check::{CheckReport, Finding, MAX_SCENARIO_BYTES, Severity, check_text};
use crate::actors::ActorsData;
use crate::toolbox::Toolbox;
use std::path::Path;

/// The embedded default scenario: a self-spreading wiper through a software supply chain.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/supply_chain_wiper.ron");

/// The scenarios that ship with Démarche, embedded so the window offers them wherever it runs:
/// (file name, text), the default first.
pub const SHIPPED: [(&str, &str); 6] = [
    ("supply_chain_wiper.ron", DEFAULT_SCENARIO),
    (
        "close_access_the_hague.ron",
        include_str!("../../scenarios/close_access_the_hague.ron"),
    ),
    (
        "managed_service_providers.ron",
        include_str!("../../scenarios/managed_service_providers.ron"),
    ),
    (
        "hospital_ransomware.ron",
        include_str!("../../scenarios/hospital_ransomware.ron"),
    ),
    ("exchange_2021.ron", include_str!("../../scenarios/exchange_2021.ron")),
    (
        "estonia_gru_29155.ron",
        include_str!("../../scenarios/estonia_gru_29155.ron"),
    ),
];

/// Why a scenario could not be used.
#[derive(Debug)]
pub enum ScenarioError {
    /// The file is missing, unreadable, too large or not text.
    Unreadable {
        /// The file asked for.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// The file was read, and the checker found errors in it.
    Invalid(Box<CheckReport>),
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScenarioError::Unreadable { path, reason } => write!(f, "cannot read scenario {path}: {reason}"),
            ScenarioError::Invalid(report) => {
                let errors: Vec<&Finding> = report
                    .findings
                    .iter()
                    .filter(|x| x.severity == Severity::Error)
                    .collect();
                match errors.first() {
                    Some(first) => {
                        write!(f, "{}:{}:{}: {}", report.path, first.line, first.column, first.message)?;
                        if errors.len() > 1 {
                            write!(f, " (and {} more errors)", errors.len() - 1)?;
                        }
                        Ok(())
                    }
                    None => write!(f, "{}: invalid scenario", report.path),
                }
            }
        }
    }
}

impl std::error::Error for ScenarioError {}

impl ScenarioError {
    /// The full explanation for a person: every finding with its snippet.
    pub fn explain(&self) -> String {
        match self {
            ScenarioError::Unreadable { .. } => format!("error: {self}\n"),
            ScenarioError::Invalid(report) => super::check::render::human(report),
        }
    }

    /// The checker's findings, when the file was read.
    pub fn findings(&self) -> &[Finding] {
        match self {
            ScenarioError::Unreadable { .. } => &[],
            ScenarioError::Invalid(report) => &report.findings,
        }
    }
}

/// Reads a scenario file as text, refusing what cannot be a scenario.
pub fn read_scenario_text(path: &Path) -> Result<String, ScenarioError> {
    crate::files::read_text(path, MAX_SCENARIO_BYTES as u64, "scenario").map_err(|reason| ScenarioError::Unreadable {
        path: path.display().to_string(),
        reason,
    })
}

/// Reads and checks a scenario file.
pub fn load_scenario(path: &Path, actors: &ActorsData) -> Result<Scenario, ScenarioError> {
    let text = read_scenario_text(path)?;
    parse_scenario(&path.display().to_string(), &text, actors)
}

/// Where a scenario comes from: the one way the command line, the window and replays name one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScenarioSource {
    /// A scenario shipped with Démarche, by its place in [`SHIPPED`] (0 is the default).
    Shipped(usize),
    /// A file.
    File(std::path::PathBuf),
}

impl ScenarioSource {
    /// What a user typed: `default`; a path; or, when there is no such file here, a shipped
    /// scenario's name (`exchange_2021`, `scenarios/exchange_2021.ron`), so that the shipped
    /// scenarios play from any directory, after `cargo install` too.
    pub fn named(name: &Path) -> Self {
        if name.as_os_str() == "default" {
            return ScenarioSource::Shipped(0);
        }
        let bare = name
            .parent()
            .is_none_or(|dir| dir.as_os_str().is_empty() || dir == Path::new("scenarios"));
        if bare
            && !name.exists()
            && let Some(i) = SHIPPED
                .iter()
                .position(|(file, _)| Path::new(file).file_stem() == name.file_stem())
        {
            return ScenarioSource::Shipped(i);
        }
        ScenarioSource::File(name.to_path_buf())
    }

    /// How it is named in messages and replays: `default`, `scenarios/<file>` or the path.
    pub fn label(&self) -> String {
        match self {
            ScenarioSource::Shipped(0) => "default".to_owned(),
            ScenarioSource::Shipped(i) => SHIPPED.get(*i).map_or_else(
                || format!("shipped scenario {i}"),
                |(file, _)| format!("scenarios/{file}"),
            ),
            ScenarioSource::File(path) => path.display().to_string(),
        }
    }

    /// Reads and checks the scenario.
    pub fn load(&self, actors: &ActorsData) -> Result<Scenario, ScenarioError> {
        match self {
            ScenarioSource::Shipped(i) => match SHIPPED.get(*i) {
                Some((_, text)) => parse_scenario(&self.label(), text, actors),
                None => Err(ScenarioError::Unreadable {
                    path: self.label(),
                    reason: format!("Démarche ships {} scenarios", SHIPPED.len()),
                }),
            },
            ScenarioSource::File(path) => load_scenario(path, actors),
        }
    }
}

/// Parses and checks scenario text; `name` is how the source is named in messages. Warnings do
/// not stop a scenario from playing; errors do.
pub fn parse_scenario(name: &str, text: &str, actors: &ActorsData) -> Result<Scenario, ScenarioError> {
    let mut report = check_text(name, text, actors, Toolbox::embedded_ref());
    if report.playable()
        && let Some(mut scenario) = report.scenario.take()
    {
        scenario.text = Some(text.into());
        Ok(scenario)
    } else {
        Err(ScenarioError::Invalid(Box::new(report)))
    }
}

/// The RON dialect of scenario files: optional fields may be written without `Some(...)`,
/// and nesting is limited so that hostile input cannot exhaust the stack.
pub fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(64)
}

/// A RON error in the words of the file's author: the parser's own words, except where they
/// advise the program's developers (the nesting limit).
pub fn ron_message(code: &ron::Error) -> String {
    match code {
        ron::Error::ExceededRecursionLimit => {
            "nested too deeply (more than 64 levels of brackets and parentheses)".to_owned()
        }
        other => other.to_string(),
    }
}

/// Where a RON syntax error is, as a byte offset on the faulty token.
pub(crate) fn syntax_offset(text: &str, e: &ron::error::SpannedError) -> usize {
    let raw = byte_offset(text, e.span.start.line.max(1), e.span.start.col.max(1));
    let offset = skip_blanks(text, raw);
    // A missing field is noticed at the closing parenthesis; the fault is the record that lacks it.
    if let ron::Error::MissingStructField { .. } = e.code
        && let Some(root) = super::check::spans::read(text)
        && let Some(start) = record_closed_at(&root, raw)
    {
        return start;
    }
    // The parser reports a negative number after its sign.
    if offset > 0 && text.as_bytes().get(offset - 1) == Some(&b'-') {
        return offset - 1;
    }
    offset
}

/// The start of the innermost record whose closing parenthesis is at `close`.
fn record_closed_at(node: &super::check::spans::Node, close: usize) -> Option<usize> {
    use super::check::spans::Kind;
    if !node.span.contains(&close) {
        return None;
    }
    let children: Vec<&super::check::spans::Node> = match &node.kind {
        Kind::Group { fields, items, .. } => fields.iter().map(|(_, _, v)| v).chain(items).collect(),
        Kind::List(items) => items.iter().collect(),
        Kind::Map(entries) => entries.iter().flat_map(|(k, v)| [k, v]).collect(),
        _ => Vec::new(),
    };
    children
        .into_iter()
        .find_map(|c| record_closed_at(c, close))
        .or_else(|| (matches!(node.kind, Kind::Group { .. }) && node.span.end == close + 1).then_some(node.span.start))
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
        let finding = &err.findings()[0];
        assert_eq!((finding.code, finding.line, finding.column), ("syntax", 3, 10));
        assert!(finding.message.contains("string"), "{}", finding.message);
    }

    #[test]
    fn byte_offsets_count_characters_not_bytes() {
        assert_eq!(byte_offset("é\nab", 2, 2), 4);
        assert_eq!(byte_offset("ab", 9, 9), 2);
    }
}
