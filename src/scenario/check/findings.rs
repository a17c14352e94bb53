//! Findings and the report of one file.

use crate::scenario::Scenario;
use serde::Serialize;
use std::ops::Range;

/// How serious a finding is. Both make `check` exit 1; only errors stop a scenario from playing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The scenario cannot be played as written.
    Error,
    /// The scenario plays, but not as its author probably meant.
    Warning,
}

/// One problem, where it is, and what to do about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable kebab-case code, for tools and tests.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in plain language.
    pub message: String,
    /// What to do about it.
    pub hint: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte range of the fault in the file.
    #[serde(skip)]
    pub span: Range<usize>,
}

impl Finding {
    /// An error at a byte range.
    pub fn error(code: &'static str, message: impl Into<String>, span: Range<usize>) -> Self {
        Self {
            code,
            severity: Severity::Error,
            message: message.into(),
            hint: String::new(),
            line: 0,
            column: 0,
            span,
        }
    }

    /// A warning at a byte range.
    pub fn warning(code: &'static str, message: impl Into<String>, span: Range<usize>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message, span)
        }
    }

    /// Adds the hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }
}

/// Everything `check` found in one file.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// The file as named on the command line.
    pub path: String,
    /// Its text.
    pub text: String,
    /// Every finding, in file order.
    pub findings: Vec<Finding>,
    /// The scenario, when the file parsed.
    pub scenario: Option<Scenario>,
    line_starts: Vec<usize>,
}

impl CheckReport {
    pub(super) fn new(path: &str, text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            path: path.to_owned(),
            text: text.to_owned(),
            findings: Vec::new(),
            scenario: None,
            line_starts,
        }
    }

    /// Files a finding, computing its line and column.
    pub fn push(&mut self, mut finding: Finding) {
        let start = finding.span.start.min(self.text.len());
        let start = (0..=start).rev().find(|i| self.text.is_char_boundary(*i)).unwrap_or(0);
        finding.span = start..finding.span.end.clamp(start, self.text.len());
        let line = self.line_starts.partition_point(|s| *s <= start);
        let line_start = self.line_starts[line - 1];
        finding.line = line;
        finding.column = self.text[line_start..start].chars().count() + 1;
        self.findings.push(finding);
    }

    pub(super) fn sort(&mut self) {
        self.findings
            .sort_by(|a, b| (a.span.start, a.code).cmp(&(b.span.start, b.code)));
        self.findings
            .dedup_by(|a, b| a.span == b.span && a.code == b.code && a.message == b.message);
    }

    /// Whether the scenario can be played: it parsed and has no errors.
    pub fn playable(&self) -> bool {
        self.scenario.is_some() && !self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}
