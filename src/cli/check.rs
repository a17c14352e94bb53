//! `demarche check FILE...`: every problem in every file, at once.

use super::EXIT_BAD_INPUT;
use demarche::actors::ActorsData;
use demarche::scenario::check::{CheckReport, check_text, render};
use demarche::scenario::read_scenario_text;
use demarche::toolbox::Toolbox;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit status when problems were found.
const EXIT_PROBLEMS: u8 = 1;

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style snippets for people.
    Human,
    /// One JSON document for tools.
    Json,
}

pub fn check(given: &[PathBuf], format: Format) -> ExitCode {
    let actors = ActorsData::embedded();
    let toolbox = Toolbox::embedded();
    let mut reports: Vec<CheckReport> = Vec::new();
    let mut unreadable = 0;
    let mut stderr = String::new();
    let files = with_folders_opened(given, &mut unreadable, &mut stderr);
    for path in &files {
        match read_scenario_text(path) {
            Ok(text) => reports.push(check_text(&path.display().to_string(), &text, &actors, &toolbox)),
            Err(e) => {
                unreadable += 1;
                stderr.push_str(&format!("error: {e}\n"));
            }
        }
    }
    let findings: usize = reports.iter().map(|r| r.findings.len()).sum();
    let out = match format {
        Format::Json => render::json(&reports),
        Format::Human => {
            let mut s: String = reports.iter().map(render::human).collect();
            let clean = reports.iter().filter(|r| r.findings.is_empty()).count();
            s.push_str(&format!(
                "{} file{} checked: {clean} clean, {findings} problem{} found{}\n",
                files.len(),
                if files.len() == 1 { "" } else { "s" },
                if findings == 1 { "" } else { "s" },
                if unreadable > 0 {
                    format!(", {unreadable} unreadable")
                } else {
                    String::new()
                }
            ));
            s
        }
    };
    let _ = std::io::stderr().lock().write_all(stderr.as_bytes());
    if let Err(code) = super::print(&out) {
        return code;
    }
    if unreadable > 0 {
        ExitCode::from(EXIT_BAD_INPUT)
    } else if findings > 0 {
        ExitCode::from(EXIT_PROBLEMS)
    } else {
        ExitCode::SUCCESS
    }
}

/// The files to check: a folder given stands for the scenario files (`*.ron`, not the replays
/// `*.replay.ron`) in it, in name
/// order, as a facilitator checking a folder of scenarios expects; one that cannot be listed, or
/// holds none, is reported.
fn with_folders_opened(given: &[PathBuf], unreadable: &mut usize, stderr: &mut String) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in given {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let listed = std::fs::read_dir(path).map(|entries| {
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                // Replays (`*.replay.ron`) kept beside the scenarios are runs, not scenarios.
                .filter(|p| {
                    p.is_file()
                        && p.extension().is_some_and(|x| x == "ron")
                        && !p.to_string_lossy().ends_with(".replay.ron")
                })
                .collect();
            found.sort();
            found
        });
        match listed {
            Ok(found) if !found.is_empty() => files.extend(found),
            Ok(_) => {
                *unreadable += 1;
                stderr.push_str(&format!(
                    "error: {}: a folder with no scenario file (*.ron) in it\n",
                    path.display()
                ));
            }
            Err(e) => {
                *unreadable += 1;
                stderr.push_str(&format!("error: cannot list the folder {}: {e}\n", path.display()));
            }
        }
    }
    files
}
