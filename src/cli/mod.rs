//! Subcommands of the `demarche` binary.

/// Prints a line of the command's output (as `println!` does, without its panic when standard
/// output cannot be written). A reader that went away (`| head`) ends the output quietly; any
/// other failure is told once on standard error and makes the command end with exit status 2
/// ([`output_failed`]).
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::say_line(format_args!($($arg)*))
    };
}

mod batch;
mod check;
#[cfg(feature = "net")]
mod network;
mod play;
mod replay;
mod report;
mod run;
mod toolbox;

use clap::{Parser, Subcommand};
use demarche::actors::ActorsData;
use demarche::decisions::Policy;
use demarche::scenario::{Scenario, ScenarioError, ScenarioSource};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit status for bad input: a missing, unreadable or malformed file or argument.
pub const EXIT_BAD_INPUT: u8 = 2;

/// Whether a line of output could not be written (see [`say!`]).
static OUTPUT_FAILED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether a failed write to standard output is a failure: a reader that went away (`| head`)
/// is not; anything else (a full disk, a closed stream) is, told once on standard error and
/// remembered for the exit status ([`output_failed`]).
pub fn output_error(e: &std::io::Error) -> bool {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return false;
    }
    if !OUTPUT_FAILED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        demarche::tell!("error: cannot write to standard output: {e}");
    }
    true
}

/// The body of [`say!`].
pub fn say_line(args: std::fmt::Arguments) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        output_error(&e);
    }
}

/// Whether some output could not be written, or what is still buffered cannot be: the command
/// then ends with exit status 2 whatever it found.
pub fn output_failed() -> bool {
    use std::io::Write as _;
    if let Err(e) = std::io::stdout().lock().flush() {
        output_error(&e);
    }
    OUTPUT_FAILED.load(std::sync::atomic::Ordering::Relaxed)
}

/// Writes the command's output to standard output. A reader that went away (`| head`) is not an
/// error; any other failure to write (a full disk, a closed stream) is one, exit status 2: a
/// truncated summary or report must not pass for a whole one (the shards of a batch are merged
/// from what they printed).
pub fn print(text: &str) -> Result<(), ExitCode> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if output_error(&e) => Err(ExitCode::from(EXIT_BAD_INPUT)),
        _ => Ok(()),
    }
}

/// Why a run cannot be recorded to `path`: it is already there. A new run never replaces a file,
/// whatever it holds (a scenario, another run and its evaluators' notes): nothing a user made is
/// lost to a mistyped name. Continuing a run in its own file is `play --continue` or
/// `host --resume`.
pub fn taken_record_file(path: &std::path::Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    let what = if meta.is_dir() { "a folder" } else { "a file" };
    Some(format!(
        "--record {}: there is already {what} there, and a new run never replaces one (a scenario, \
         another run and its notes): give a new name, or move it away first",
        path.display()
    ))
}

/// Démarche: a tabletop crisis-exercise simulator for the EU Cyber Diplomacy Toolbox.
#[derive(Parser, Debug)]
#[command(name = "demarche", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Open the desktop window (what `demarche` alone does).
    Play(play::Request),
    /// Host a networked exercise on this machine (the facilitator's): each delegation joins
    /// from its own desk with its seat's join code.
    #[cfg(feature = "net")]
    Host(network::HostRequest),
    /// Join a hosted exercise with a join code, as the seat the code is for.
    #[cfg(feature = "net")]
    Join(network::JoinRequest),
    /// Host a networked exercise (not in this build: it was made without the `net` feature).
    #[cfg(not(feature = "net"))]
    Host {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        args: Vec<String>,
    },
    /// Join a hosted exercise (not in this build: it was made without the `net` feature).
    #[cfg(not(feature = "net"))]
    Join {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        args: Vec<String>,
    },
    /// Play a whole exercise headless, with a scripted policy holding every seat.
    Run {
        /// Scenario file; `default` (or nothing) plays the embedded default scenario.
        scenario: Option<PathBuf>,
        /// Run seed: the same seed, scenario and decisions always give the same run.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Scripted policy standing in for the players.
        #[arg(long, value_enum, default_value_t = Policy::Proportional)]
        policy: Policy,
        /// Print one JSON object instead of the table.
        #[arg(long)]
        json: bool,
        /// Fire a pool inject at a turn, as a facilitator would: `--fire 4:press_leak` (repeatable; the scenario's pool lists what it holds).
        #[arg(long, value_name = "TURN:INJECT", value_parser = parse_fire)]
        fire: Vec<(u32, String)>,
        /// Save the run as a replay file.
        #[arg(long, value_name = "FILE")]
        record: Option<PathBuf>,
    },
    /// Verify a replay (re-run it and compare every turn's checksum), or fork it at a turn.
    Replay {
        /// The replay file.
        file: PathBuf,
        /// Re-run and compare every turn: exit 0 when all match, 1 naming the first turn that differs.
        #[arg(long, conflicts_with = "until")]
        verify: bool,
        /// Fork: keep the recorded run up to this turn...
        #[arg(long, requires_all = ["then_policy", "record"])]
        until: Option<u32>,
        /// ...then let this policy play the rest...
        #[arg(long, value_enum)]
        then_policy: Option<Policy>,
        /// ...and save the new run here (never over the original).
        #[arg(long, value_name = "FILE")]
        record: Option<PathBuf>,
        /// Fork without the facilitator's injects and posture changes of the original's later
        /// turns (by default the fork keeps them, so that only the policy differs).
        #[arg(long, requires = "until")]
        without_facilitator: bool,
        /// With --verify, for a fork: the original it branched from, to check the turns they
        /// share (by default the file the fork names, if it is still there and still that run).
        #[arg(long, value_name = "REPLAY", requires = "verify")]
        parent: Option<PathBuf>,
        /// Check the replay against this scenario file rather than the scenario it carries.
        #[arg(long, value_name = "FILE")]
        scenario: Option<PathBuf>,
    },
    /// Add an evaluator's note to a replay (notes do not change the run or its checksums).
    Note {
        /// The replay file.
        replay: PathBuf,
        /// The turn the note is about.
        #[arg(long)]
        turn: u32,
        /// Who writes it.
        #[arg(long, default_value = "evaluator")]
        author: String,
        /// The note.
        text: String,
    },
    /// Write the after-action report of a replay (verified first).
    Report {
        /// The replay file.
        replay: PathBuf,
        /// Where to write it (standard output when absent); for `--format csv`, a folder that
        /// receives one file per kind of fact (turns.csv, decisions.csv, votes.csv...).
        #[arg(short, long, value_name = "FILE|DIR")]
        output: Option<PathBuf>,
        /// Report format.
        #[arg(long, value_enum, default_value_t = report::Format::Html)]
        format: report::Format,
        /// Another run of the same scenario (a fork, or the run a fork came from) to tell beside
        /// this one.
        #[arg(long, value_name = "REPLAY")]
        compare: Option<PathBuf>,
        /// The real date of the exercise, from which the improvement plan's dates count (by
        /// default the day the run was recorded).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        exercise_date: Option<String>,
        /// Check the replay against this scenario file rather than the scenario it carries.
        #[arg(long, value_name = "FILE")]
        scenario: Option<PathBuf>,
    },
    /// Play many seeded runs per policy on every core and summarise them: per policy, the mean
    /// of each reading with its 95% interval and how often each outcome occurred; per pair of
    /// policies, their paired difference on the same seeds.
    Batch {
        /// Scenario file; `default` (or nothing) plays the embedded default scenario.
        scenario: Option<PathBuf>,
        /// Number of seeds (every policy plays each of them).
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
        seeds: u64,
        /// First seed: the batch plays seeds S to S+N-1.
        #[arg(long, value_name = "S", default_value_t = 0)]
        seed_start: u64,
        /// Policies to compare (repeatable, each once); all four when none is given.
        #[arg(long = "policy", value_enum)]
        policies: Vec<Policy>,
        /// Play only the I-th of N contiguous blocks of the seeds (1-based), for a job array on
        /// many machines; `--json` prints a summary that `--merge` adds up.
        #[arg(long, value_name = "I/N", value_parser = batch::parse_shard)]
        shard: Option<(u64, u64)>,
        /// Add up the `--json` summaries of a batch's shards into the figures one machine would
        /// print.
        #[arg(long, value_name = "SUMMARY", num_args = 1.., conflicts_with_all = ["scenario", "shard", "csv", "policies", "seeds", "seed_start"])]
        merge: Vec<PathBuf>,
        /// Print the summary and its figures as JSON (mergeable).
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print one CSV row per run, as the runs finish (every policy on a seed, seed after seed).
        #[arg(long)]
        csv: bool,
    },
    /// The Toolbox as the engine plays it for a scenario: who decides each measure, by which
    /// rule, how long it takes, and whether it exists on the scenario's date.
    Toolbox {
        /// Scenario file (`default`, or nothing, for the embedded default scenario).
        #[arg(long, value_name = "FILE")]
        scenario: Option<PathBuf>,
        /// Print a JSON array instead of the table.
        #[arg(long)]
        json: bool,
    },
    /// Check scenario files and report every problem at once: exit 0 when clean, 1 when
    /// problems were found, 2 when a file cannot be read.
    Check {
        /// Scenario files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = check::Format::Human)]
        format: check::Format,
    },
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    // `demarche` alone is `demarche play` with every default.
    let command = cli.command.unwrap_or_else(|| Command::Play(play::Request::default()));
    match command {
        Command::Play(request) => play::play(request),
        #[cfg(feature = "net")]
        Command::Host(request) => network::host(request),
        #[cfg(feature = "net")]
        Command::Join(request) => network::join(request),
        #[cfg(not(feature = "net"))]
        Command::Host { .. } | Command::Join { .. } => {
            demarche::tell!(
                "error: this build of demarche cannot host or join a networked exercise (it was built without the \
                 `net` feature); build it with the default features: `cargo build --release`"
            );
            ExitCode::from(EXIT_BAD_INPUT)
        }
        Command::Run {
            scenario,
            seed,
            policy,
            json,
            fire,
            record,
        } => match scenario_from(scenario.as_deref()) {
            Ok(loaded) => run::run(
                loaded,
                seed,
                policy,
                json,
                &fire,
                record.as_deref(),
                &source_name(scenario.as_deref()),
            ),
            Err(e) => {
                demarche::tell_raw!("{}", e.explain());
                ExitCode::from(EXIT_BAD_INPUT)
            }
        },
        Command::Check { files, format } => check::check(&files, format),
        Command::Toolbox { scenario, json } => match scenario_from(scenario.as_deref()) {
            Ok(loaded) => toolbox::toolbox(&loaded, json),
            Err(e) => {
                demarche::tell_raw!("{}", e.explain());
                ExitCode::from(EXIT_BAD_INPUT)
            }
        },
        Command::Note {
            replay,
            turn,
            author,
            text,
        } => replay::note(&replay, turn, &author, &text),
        Command::Report {
            replay,
            output,
            format,
            compare,
            exercise_date,
            scenario,
        } => report::report(report::Request {
            file: &replay,
            scenario: scenario.as_deref(),
            compare: compare.as_deref(),
            exercise_date: exercise_date.as_deref(),
            format,
            output: output.as_deref(),
        }),
        Command::Replay {
            file,
            verify,
            until,
            then_policy,
            record,
            without_facilitator,
            parent,
            scenario,
        } => {
            let task = match (verify, until, then_policy, record) {
                (true, None, _, _) => replay::Task::Verify { parent },
                (false, Some(until), Some(policy), Some(record)) => replay::Task::Fork {
                    until,
                    policy,
                    record,
                    keep_facilitator: !without_facilitator,
                },
                _ => {
                    demarche::tell!("error: say what to do: --verify, or --until TURN --then-policy P --record NEW");
                    return ExitCode::from(EXIT_BAD_INPUT);
                }
            };
            replay::replay(&file, scenario.as_deref(), task)
        }
        Command::Batch {
            scenario,
            seeds,
            seed_start,
            policies,
            shard,
            merge,
            json,
            csv,
        } => {
            let output = if json {
                batch::Output::Json
            } else if csv {
                batch::Output::Csv
            } else {
                batch::Output::Table
            };
            if !merge.is_empty() {
                return batch::merge(&merge, output);
            }
            match scenario_from(scenario.as_deref()) {
                Ok(scenario) => {
                    let plan = batch::Plan {
                        policies,
                        seed_start,
                        seeds,
                        shard,
                    };
                    batch::batch(scenario, plan, output)
                }
                Err(e) => {
                    demarche::tell_raw!("{}", e.explain());
                    ExitCode::from(EXIT_BAD_INPUT)
                }
            }
        }
    }
}

/// Loads the scenario named on the command line, or the embedded default.
pub(crate) fn scenario_from(path: Option<&std::path::Path>) -> Result<Scenario, ScenarioError> {
    let source = path.map_or(ScenarioSource::Shipped(0), ScenarioSource::named);
    source.load(ActorsData::embedded_ref())
}

/// Reads `TURN:INJECT`.
fn parse_date(text: &str) -> Result<String, String> {
    match demarche::scenario::date_days(text) {
        Some(_) if text.len() == 10 => Ok(text.to_owned()),
        _ => Err(format!(
            "\"{text}\" is not a date: write it YYYY-MM-DD, e.g. 2026-12-03"
        )),
    }
}

fn parse_fire(text: &str) -> Result<(u32, String), String> {
    let (turn, id) = text
        .split_once(':')
        .ok_or_else(|| format!("\"{text}\" is not TURN:INJECT, such as 4:press_leak"))?;
    let turn = turn
        .trim()
        .parse::<u32>()
        .map_err(|_| format!("\"{turn}\" is not a turn number"))?;
    if id.trim().is_empty() {
        return Err("the inject id is missing after the colon".to_owned());
    }
    Ok((turn, id.trim().to_owned()))
}

/// How a scenario named on the command line is recorded in a replay.
fn source_name(path: Option<&std::path::Path>) -> String {
    path.map_or_else(|| "default".to_owned(), |p| p.display().to_string())
}
