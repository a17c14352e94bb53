//! Showing findings: rustc-style snippets for people (through miette), JSON for tools.

use super::findings::{CheckReport, Finding, Severity};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};
use std::fmt;

/// One finding with its source, as miette wants it.
struct Shown<'a> {
    finding: &'a Finding,
    source: &'a NamedSource<String>,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.finding.message)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.finding.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl Diagnostic for Shown<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.finding.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.finding.hint.is_empty()).then(|| Box::new(&self.finding.hint) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = &self.finding.span;
        let label = LabeledSpan::new(Some("here".to_owned()), span.start, span.len());
        Some(Box::new(std::iter::once(label)))
    }
}

/// Every finding of a report as rustc-style text: the file, line and column, the source line
/// with a marker under the fault, and the hint.
pub fn human(report: &CheckReport) -> String {
    // The source lines are quoted with their control characters made visible, byte for byte (an
    // escape sequence quoted as it is would act on the terminal); offsets stay where they were.
    if report.findings.is_empty() {
        return String::new();
    }
    let hidden = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    let shown: String = if report.text.contains(hidden) {
        report
            .text
            .chars()
            .flat_map(|c| {
                let width = if hidden(c) { c.len_utf8() } else { 0 };
                std::iter::repeat_n('?', width).chain((!hidden(c)).then_some(c))
            })
            .collect()
    } else {
        report.text.clone()
    };
    let source = NamedSource::new(&report.path, shown);
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    let mut out = String::new();
    for finding in &report.findings {
        out.push_str(&plain(report, finding));
        let shown = Shown {
            finding,
            source: &source,
        };
        // Without a snippet the plain line above still says everything.
        let _ = handler.render_report(&mut out, &shown);
        out.push('\n');
    }
    out
}

/// `path:line:column: severity[code]: message`, one line.
pub fn plain(report: &CheckReport, f: &Finding) -> String {
    let severity = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!(
        "{}:{}:{}: {severity}[{}]: {}\n",
        report.path, f.line, f.column, f.code, f.message
    )
}

/// The findings of several files as one JSON document.
pub fn json(reports: &[CheckReport]) -> String {
    #[derive(serde::Serialize)]
    struct File<'a> {
        path: &'a str,
        findings: &'a [Finding],
    }
    let files: Vec<File<'_>> = reports
        .iter()
        .map(|r| File {
            path: &r.path,
            findings: &r.findings,
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&serde_json::json!({ "files": files })).expect("findings serialise");
    s.push('\n');
    s
}
