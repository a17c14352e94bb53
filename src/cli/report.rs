//! `demarche report REPLAY`: the after-action report of a verified run.

use super::EXIT_BAD_INPUT;
use demarche::files::write_atomically;
use demarche::replay::{Replay, Verdict, verify};
use demarche::report::{ReportFacts, csv, html, markdown};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// The report's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A self-contained HTML page with inline SVG charts.
    Html,
    /// Markdown.
    Md,
    /// CSV, one row per fact.
    Csv,
}

fn bad(message: String) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_BAD_INPUT)
}

/// Loads a replay and re-runs it after verifying it, returning its records and outcome.
fn replayed(
    file: &Path,
    scenario: Option<&Path>,
) -> Result<
    (
        Replay,
        demarche::scenario::Scenario,
        Vec<demarche::outcome::TurnRecord>,
        demarche::outcome::Outcome,
    ),
    ExitCode,
> {
    let name = file.display().to_string();
    let replay = demarche::replay::read_replay(file).map_err(|e| super::replay::refused(&e))?;
    let (loaded, _) = super::replay::scenario_of(&name, &replay, scenario)?;
    match verify(&replay, loaded.clone()) {
        Verdict::Verified { ended: true, .. } => {}
        Verdict::Verified { turns, ended: false } => {
            // Playing on would report turns nobody played.
            return Err(bad(format!(
                "{name} was saved at turn {turns}, before the exercise ended: a report rates a finished exercise. \
                 Open it with `demarche play --replay {name}` and branch from turn {turns} to finish it."
            )));
        }
        _ => {
            eprintln!(
                "error: {name} does not verify (run `demarche replay {name} --verify`): no report from a run that does not reproduce"
            );
            return Err(ExitCode::from(1));
        }
    }
    let (mut sim, _) = replay.walk(loaded.clone(), None, |_, _, _| std::ops::ControlFlow::Continue(()));
    let outcome = sim.play_to_end().clone();
    Ok((replay, loaded, sim.records().to_vec(), outcome))
}

pub fn report(
    file: &Path,
    scenario: Option<&Path>,
    compare: Option<&Path>,
    format: Format,
    output: Option<&Path>,
) -> ExitCode {
    let (replay, loaded, records, outcome) = match replayed(file, scenario) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let other = match compare {
        Some(path) => match replayed(path, scenario) {
            Ok((_, _, records, _)) => Some((
                path.file_name()
                    .map_or("fork".into(), |n| n.to_string_lossy().into_owned()),
                records,
            )),
            Err(code) => return code,
        },
        None => None,
    };
    let facts = ReportFacts::gather(
        &replay,
        &loaded,
        &records,
        &outcome,
        other.as_ref().map(|(n, r)| (n.clone(), r.as_slice())),
    );
    let text = match format {
        Format::Html => html(&facts),
        Format::Md => markdown(&facts),
        Format::Csv => csv(&facts),
    };
    match output {
        Some(path) => {
            if let Err(e) = write_atomically(path, &text) {
                return bad(format!("cannot write {}: {e}", path.display()));
            }
            eprintln!("Report written to {}.", path.display());
        }
        None => {
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
        }
    }
    ExitCode::SUCCESS
}
