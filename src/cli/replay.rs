//! `demarche replay`: verify a recorded run, or fork it at a turn with another policy.

use super::{EXIT_BAD_INPUT, scenario_from};
use demarche::decisions::Policy;
use demarche::files::write_atomically;
use demarche::replay::{
    ForkOrigin, NoteError, Replay, ResumeError, Verdict, add_note, read_replay, short_hash, verify,
};
use demarche::scenario::Scenario;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit status when a replay does not reproduce.
const EXIT_DIVERGED: u8 = 1;

/// What to do with the replay.
pub enum Task {
    /// Re-run it and compare every turn.
    Verify,
    /// Continue it from a turn with another policy, saving the new run.
    Fork {
        /// Last turn shared with the original.
        until: u32,
        /// Policy for the turns after it.
        policy: Policy,
        /// Where to save the fork.
        record: PathBuf,
    },
}

fn bad(message: String) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_BAD_INPUT)
}

/// The scenario a replay is played against: the one given with `--scenario` (to check the
/// replay against a given file), else the one the replay carries. When it cannot be loaded, its
/// problems are printed and the message says what to do about it. Returns the scenario and its
/// label.
pub(super) fn scenario_of(name: &str, replay: &Replay, given: Option<&Path>) -> Result<(Scenario, String), ExitCode> {
    let Some(given) = given else {
        return match replay.scenario(name) {
            Ok(s) => Ok((s, replay.scenario.source.clone())),
            Err(e) => {
                eprint!("{}", e.explain());
                Err(bad(format!(
                    "the scenario {name} carries cannot be read by this engine (above); give one with --scenario"
                )))
            }
        };
    };
    match scenario_from(Some(given)) {
        Ok(s) => Ok((s, given.display().to_string())),
        Err(e) => {
            eprint!("{}", e.explain());
            Err(bad(format!(
                "the scenario given with --scenario ({}) cannot be loaded (above); fix it, or leave --scenario out to use the one {name} carries",
                given.display()
            )))
        }
    }
}

/// A replay that cannot be used: malformed (exit status 2) or of another model version (3).
pub(super) fn refused(e: &demarche::replay::ReplayError) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(e.exit_status())
}

pub fn replay(file: &Path, scenario_path: Option<&Path>, task: Task) -> ExitCode {
    let name = file.display().to_string();
    let replay = match read_replay(file) {
        Ok(r) => r,
        Err(e) => return refused(&e),
    };
    let (scenario, source) = match scenario_of(&name, &replay, scenario_path) {
        Ok(found) => found,
        Err(code) => return code,
    };
    match task {
        Task::Verify => verify_task(&name, &replay, scenario, scenario_path.is_some()),
        Task::Fork { until, policy, record } => fork_task(&name, &replay, scenario, &source, until, policy, &record),
    }
}

fn verify_task(name: &str, replay: &Replay, scenario: Scenario, given: bool) -> ExitCode {
    match verify(replay, scenario) {
        Verdict::Verified { turns, ended } => {
            println!(
                "{name}: verified: all {turns} turns reproduce, checksum for checksum (seed {}).",
                replay.seed
            );
            if !ended {
                println!("The run was saved at turn {turns}, before the exercise ended.");
            }
            ExitCode::SUCCESS
        }
        Verdict::ScenarioChanged { recorded, current } => {
            let (recorded, current) = (short_hash(&recorded), short_hash(&current));
            if given {
                println!(
                    "{name}: the scenario given with --scenario is not the one this run was recorded on (content hash {recorded}… then, {current}… given): \
                     the replay cannot be verified against it. Leave --scenario out to use the scenario the replay carries."
                );
            } else {
                println!(
                    "{name}: the scenario the replay carries does not match the hash recorded with it ({recorded}… recorded, {current}… carried): \
                     the replay has been altered."
                );
            }
            ExitCode::from(EXIT_DIVERGED)
        }
        Verdict::Diverged(d) => {
            println!("{name}: does not reproduce: turn {} is the first to differ.", d.turn);
            for w in d.what {
                println!("  {w}");
            }
            ExitCode::from(EXIT_DIVERGED)
        }
    }
}

fn fork_task(
    name: &str,
    original: &Replay,
    scenario: Scenario,
    source: &str,
    until: u32,
    policy: Policy,
    record: &Path,
) -> ExitCode {
    let last = original.turns.len() as u32;
    if until == 0 || until > last {
        return bad(format!("--until {until}: {name} records turns 1 to {last}"));
    }
    let mut sim = match original.resume(scenario.clone(), until) {
        Ok(sim) => sim,
        Err(ResumeError::ScenarioChanged) => {
            println!(
                "{name}: the scenario has changed since this run was recorded: a fork would not start from the same run."
            );
            return ExitCode::from(EXIT_DIVERGED);
        }
        Err(ResumeError::DoesNotReproduce(turn)) => {
            println!("{name}: does not reproduce at turn {turn} before the fork point; verify it first.");
            return ExitCode::from(EXIT_DIVERGED);
        }
    };
    sim.set_policy(policy);
    sim.play_to_end();
    let mut fork = Replay::record(&sim, &scenario, source, original.seed, policy);
    // The shared turns keep the seats the original recorded.
    for (new, old) in fork
        .decisions
        .iter_mut()
        .zip(original.decisions.iter().filter(|d| d.turn <= until))
    {
        new.seat = old.seat;
    }
    fork.notes = original.notes.iter().filter(|n| n.turn <= until).cloned().collect();
    fork.fork = Some(ForkOrigin {
        from: name.to_owned(),
        at_turn: until,
    });
    if let Err(e) = write_atomically(record, &fork.to_ron()) {
        return bad(format!("cannot write {}: {e}", record.display()));
    }
    print!("{}", side_by_side(original, &fork, until, policy));
    println!("Fork saved to {}.", record.display());
    ExitCode::SUCCESS
}

/// The original and the fork, turn by turn.
fn side_by_side(original: &Replay, fork: &Replay, until: u32, policy: Policy) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Fork after turn {until}: the original ({}) against {} from turn {}\n",
        original.policy.name(),
        policy.name(),
        until + 1
    );
    // Each quantity in a column pair, the figures right under "original" and "fork".
    let quantities: [(&str, fn(&demarche::replay::TurnMark) -> f64); 4] = [
        ("escalation", |m| m.escalation),
        ("misperception", |m| m.misperception),
        ("perceived resolve", |m| m.perceived_resolve),
        ("cohesion", |m| m.cohesion),
    ];
    out.push_str("turn  ");
    for (name, _) in &quantities {
        let _ = write!(out, "{name:>19}");
    }
    out.push_str("\n      ");
    out.push_str(&"     original  fork".repeat(quantities.len()));
    out.push('\n');
    let n = original.turns.len().max(fork.turns.len());
    for i in 0..n {
        let _ = write!(out, "{:>4}{}", i + 1, if i as u32 + 1 > until { " *" } else { "  " });
        for (_, pick) in &quantities {
            let cell = |r: &Replay| r.turns.get(i).map_or("-".to_owned(), |m| format!("{:.2}", pick(m)));
            let _ = write!(out, "     {:>8}{:>6}", cell(original), cell(fork));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "\n* turns played differently");
    out
}

/// Adds an evaluator's note to a replay file, merged into the notes it holds (see
/// [`add_note`]).
pub fn note(file: &Path, turn: u32, author: &str, text: &str) -> ExitCode {
    let name = file.display().to_string();
    let replay = match read_replay(file) {
        Ok(r) => r,
        Err(e) => return refused(&e),
    };
    let last = replay.turns.len() as u32;
    if turn == 0 || turn > last {
        return bad(format!("--turn {turn}: {name} records turns 1 to {last}"));
    }
    if text.trim().is_empty() {
        return bad("the note is empty".to_owned());
    }
    let note = demarche::replay::Note {
        turn,
        author: author.to_owned(),
        text: text.to_owned(),
        time: Some(demarche::scenario::utc_stamp(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        )),
    };
    match add_note(file, Some(&replay.identity()), note) {
        Ok(notes) => {
            println!("{name}: note added at turn {turn} ({} notes).", notes.len());
            ExitCode::SUCCESS
        }
        Err(NoteError::Replay(e)) => refused(&e),
        Err(e) => bad(format!("{name}: {e}")),
    }
}
