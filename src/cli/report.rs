//! `demarche report REPLAY`: the after-action report of a verified run, alone or beside another
//! run of the same scenario.

use super::EXIT_BAD_INPUT;
use demarche::files::write_atomically;
use demarche::replay::{Replay, Verdict, short_hash, verify};
use demarche::report::{Comparison, ReportFacts, csv_files, html, markdown};
use std::path::Path;
use std::process::ExitCode;

/// Exit status when a replay cannot be compared with this one (another scenario).
const EXIT_REFUSED: u8 = 3;

/// The report's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A self-contained HTML page with inline SVG charts, printable to A4.
    Html,
    /// Markdown.
    Md,
    /// CSV: one file per kind of fact (into the folder given with -o), or all of them one after
    /// the other on standard output.
    Csv,
}

/// What to report.
pub struct Request<'a> {
    /// The replay.
    pub file: &'a Path,
    /// A scenario file to check it against, instead of the one it carries.
    pub scenario: Option<&'a Path>,
    /// Another run to tell beside it.
    pub compare: Option<&'a Path>,
    /// The exercise's real date.
    pub exercise_date: Option<&'a str>,
    /// The format.
    pub format: Format,
    /// Where to write it.
    pub output: Option<&'a Path>,
}

fn bad(message: String) -> ExitCode {
    demarche::tell!("error: {message}");
    ExitCode::from(EXIT_BAD_INPUT)
}

/// A verified, finished run: the replay, its scenario and its re-derived facts.
struct Run {
    replay: Replay,
    facts: ReportFacts,
}

/// Loads a replay, verifies it and gathers its facts from the re-derived run (never from what the
/// file claims).
fn replayed(file: &Path, scenario: Option<&Path>, exercise_date: Option<&str>) -> Result<Run, ExitCode> {
    let name = file.display().to_string();
    let replay = demarche::replay::read_replay(file).map_err(|e| super::replay::refused(&e))?;
    let (loaded, _) = super::replay::scenario_of(&name, &replay, scenario)?;
    match verify(&replay, loaded.clone()) {
        Verdict::Verified { ended: true, .. } => {}
        Verdict::Verified { turns, ended: false } => {
            // Playing on would report turns nobody played.
            return Err(bad(format!(
                "{name} was saved at turn {turns}, before the exercise ended: a report rates a finished exercise. {}",
                super::replay::how_to_go_on(&name, file, turns)
            )));
        }
        _ => {
            demarche::tell!(
                "error: {name} does not verify (run `demarche replay {name} --verify`): no report from a run that does not reproduce"
            );
            return Err(ExitCode::from(1));
        }
    }
    let (mut sim, _) = replay.walk(loaded.clone(), None, |_, _, _| std::ops::ControlFlow::Continue(()));
    let outcome = sim.play_to_end().clone();
    let facts = ReportFacts::gather(&replay, &loaded, sim.records(), &outcome, exercise_date);
    Ok(Run { replay, facts })
}

/// How the other run stands to this one, and from which turn they are told side by side.
fn relation(this: &Replay, other: &Replay) -> (String, u32) {
    let (mine, theirs) = (this.identity(), other.identity());
    match (&this.fork, &other.fork) {
        (_, Some(f)) if f.parent == mine => (
            format!(
                "a fork of this run after turn {}, played by {}",
                f.at_turn,
                demarche::report::policy_words(other)
            ),
            f.at_turn + 1,
        ),
        (Some(f), _) if f.parent == theirs => (
            format!(
                "the run this one was forked from after turn {}, played by {}",
                f.at_turn,
                demarche::report::policy_words(other)
            ),
            f.at_turn + 1,
        ),
        _ => (
            format!(
                "another run of the same scenario (seed {}, played by {})",
                other.seed,
                demarche::report::policy_words(other)
            ),
            1,
        ),
    }
}

pub fn report(request: Request) -> ExitCode {
    let Run { replay, mut facts } = match replayed(request.file, request.scenario, request.exercise_date) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if let Some(path) = request.compare {
        let other = match replayed(path, request.scenario, request.exercise_date) {
            Ok(r) => r,
            Err(code) => return code,
        };
        if other.replay.scenario.hash != replay.scenario.hash {
            demarche::tell!(
                "error: {} is a run of another scenario (\"{}\", {}…) than {} (\"{}\", {}…): runs are compared only on the same scenario",
                path.display(),
                other.replay.scenario.id,
                short_hash(&other.replay.scenario.hash),
                request.file.display(),
                replay.scenario.id,
                short_hash(&replay.scenario.hash)
            );
            return ExitCode::from(EXIT_REFUSED);
        }
        let (relation, from_turn) = relation(&replay, &other.replay);
        let name = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        facts = facts.compared_with(Comparison {
            name,
            relation,
            from_turn,
            first_difference: replay.first_difference(&other.replay),
            other: other.facts,
        });
    }
    match request.format {
        Format::Csv => csv_out(&facts, request.output),
        Format::Html => text_out(&html(&facts), request.output, &["html", "htm"]),
        Format::Md => text_out(&markdown(&facts), request.output, &["md", "markdown"]),
    }
}

/// The report into the file given (an earlier report of the same kind is replaced, nothing
/// else), or on standard output.
fn text_out(text: &str, output: Option<&Path>, extensions: &[&str]) -> ExitCode {
    match output {
        Some(path) => {
            if let Err(why) = demarche::files::report_target(path, extensions) {
                return bad(format!("-o {}: {why}", path.display()));
            }
            if let Err(e) = write_atomically(path, text) {
                return bad(format!("cannot write {}: {e}", path.display()));
            }
            demarche::tell!("Report written to {}.", path.display());
        }
        None => {
            if let Err(code) = super::print(text) {
                return code;
            }
        }
    }
    ExitCode::SUCCESS
}

/// The CSV files into a folder (made if needed), or one after the other on standard output, each
/// after a line naming it.
fn csv_out(facts: &ReportFacts, output: Option<&Path>) -> ExitCode {
    let files = csv_files(facts);
    let Some(dir) = output else {
        let mut all = String::new();
        for (i, (name, text)) in files.iter().enumerate() {
            let text = text.trim_start_matches('\u{feff}');
            all.push_str(&format!("{}# {name}\r\n{text}", if i == 0 { "" } else { "\r\n" }));
        }
        return match super::print(&all) {
            Ok(()) => ExitCode::SUCCESS,
            Err(code) => code,
        };
    };
    if dir.is_file() {
        return bad(format!(
            "-o {}: a CSV report is a folder of files (turns.csv, decisions.csv, votes.csv...), and this is a file",
            dir.display()
        ));
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        return bad(format!("cannot make the folder {}: {e}", dir.display()));
    }
    // Every file is checked before any is written: a refusal leaves the folder as it was.
    for (name, _) in &files {
        let path = dir.join(name);
        if let Err(why) = demarche::files::report_target(&path, &["csv"]) {
            return bad(format!("-o {}: {name}: {why}", dir.display()));
        }
    }
    for (name, text) in &files {
        let path = dir.join(name);
        if let Err(e) = write_atomically(&path, text) {
            return bad(format!("cannot write {}: {e}", path.display()));
        }
    }
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    demarche::tell!("Report written to {}: {}.", dir.display(), names.join(", "));
    ExitCode::SUCCESS
}
