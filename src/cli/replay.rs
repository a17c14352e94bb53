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
    /// Re-derive it and compare every field; a fork is also checked against its parent.
    Verify {
        /// The parent of a fork, when given.
        parent: Option<PathBuf>,
    },
    /// Continue it from a turn with another policy, saving the new run.
    Fork {
        /// Last turn shared with the original.
        until: u32,
        /// Policy for the turns after it.
        policy: Policy,
        /// Where to save the fork.
        record: PathBuf,
        /// Whether the facilitator's later actions are kept.
        keep_facilitator: bool,
    },
}

fn bad(message: String) -> ExitCode {
    demarche::tell!("error: {message}");
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
                demarche::tell_raw!("{}", e.explain());
                Err(bad(format!(
                    "the scenario {name} carries cannot be read by this engine (above); give one with --scenario"
                )))
            }
        };
    };
    match scenario_from(Some(given)) {
        Ok(s) => Ok((s, given.display().to_string())),
        Err(e) => {
            demarche::tell_raw!("{}", e.explain());
            Err(bad(format!(
                "the scenario given with --scenario ({}) cannot be loaded (above); fix it, or leave --scenario out to use the one {name} carries",
                given.display()
            )))
        }
    }
}

/// A replay that cannot be used: malformed (exit status 2) or of another model version (3).
pub(super) fn refused(e: &demarche::replay::ReplayError) -> ExitCode {
    demarche::tell!("error: {e}");
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
        Task::Verify { parent } => verify_task(
            &name,
            file,
            &replay,
            scenario,
            scenario_path.is_some(),
            parent.as_deref(),
        ),
        Task::Fork {
            until,
            policy,
            record,
            keep_facilitator,
        } => {
            let fork = Fork {
                until,
                policy,
                record: &record,
                keep_facilitator,
            };
            fork_task(&name, file, &replay, scenario, &source, fork)
        }
    }
}

fn verify_task(
    name: &str,
    file: &Path,
    replay: &Replay,
    scenario: Scenario,
    given: bool,
    parent: Option<&Path>,
) -> ExitCode {
    match verify(replay, scenario) {
        Verdict::Verified { turns, ended } => {
            say!(
                "{name}: verified: all {turns} turns re-derived from its inputs, every field and checksum as recorded (seed {}).",
                replay.seed
            );
            if !ended {
                say!(
                    "The run was saved at turn {turns}, before the exercise ended. {}",
                    how_to_go_on(name, file, turns)
                );
            }
            match &replay.fork {
                Some(origin) => against_parent(name, file, replay, origin, parent),
                None if parent.is_some() => {
                    demarche::tell!("error: --parent: {name} is not a fork");
                    ExitCode::from(EXIT_BAD_INPUT)
                }
                None => ExitCode::SUCCESS,
            }
        }
        Verdict::ScenarioChanged { recorded, current } => {
            let (recorded, current) = (short_hash(&recorded), short_hash(&current));
            if given {
                say!(
                    "{name}: the scenario given with --scenario is not the one this run was recorded on (content hash {recorded}… then, {current}… given): \
                     the replay cannot be verified against it. Leave --scenario out to use the scenario the replay carries."
                );
            } else {
                say!(
                    "{name}: the scenario the replay carries does not match the hash recorded with it ({recorded}… recorded, {current}… carried): \
                     the replay has been altered."
                );
            }
            ExitCode::from(EXIT_DIVERGED)
        }
        Verdict::Diverged(d) => {
            say!("{name}: does not verify: the first difference is {}.", d.place());
            for w in d.what {
                say!("  {w}");
            }
            ExitCode::from(EXIT_DIVERGED)
        }
    }
}

/// A verified fork against its parent: the parent given, else the file the fork names if it is
/// still there. The turns they share must be the same turns, checksum for checksum (each
/// checksum covers the state, the turn's record and its inputs). The name a fork records is the
/// file's word, not the user's: only a replay file (`.ron`) is looked for under it, and a file
/// there that is not a readable replay is passed over without a word of its content.
fn against_parent(name: &str, file: &Path, fork: &Replay, origin: &ForkOrigin, given: Option<&Path>) -> ExitCode {
    let named = Path::new(&origin.from);
    let beside = file.parent().map(|dir| dir.join(named));
    let is_replay_name = named.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron"));
    let path = match given {
        Some(p) => p.to_path_buf(),
        None => match [Some(named.to_path_buf()), beside]
            .into_iter()
            .flatten()
            .filter(|_| is_replay_name)
            .find(|p| p.is_file())
        {
            Some(p) => p,
            None => {
                say!(
                    "It is a fork of {} after turn {}, which is not at hand: the shared turns verified as part of the fork (give the original with --parent to check them against it).",
                    origin.from,
                    origin.at_turn
                );
                return ExitCode::SUCCESS;
            }
        },
    };
    let parent = match read_replay(&path) {
        Ok(r) => r,
        Err(e) if given.is_some() => return refused(&e),
        Err(_) => {
            say!(
                "It is a fork of {} after turn {}; {} is not a replay this engine reads, so the shared turns were not compared with it.",
                origin.from,
                origin.at_turn,
                path.display()
            );
            return ExitCode::SUCCESS;
        }
    };
    let shown = path.display();
    if parent.identity() != origin.parent {
        if given.is_some() {
            say!(
                "{name}: {shown} is not the run it was forked from (its identity is {}…, the fork's parent {}…).",
                short_hash(&parent.identity()),
                short_hash(&origin.parent)
            );
            return ExitCode::from(EXIT_DIVERGED);
        }
        say!(
            "It is a fork of {} after turn {}; {shown} now holds another run, so the shared turns were not compared with it.",
            origin.from,
            origin.at_turn
        );
        return ExitCode::SUCCESS;
    }
    for (mine, theirs) in fork.turns.iter().zip(&parent.turns).take(origin.at_turn as usize) {
        if mine.checksum != theirs.checksum {
            say!(
                "{name}: does not verify: turn {}, fork: the fork's turn {} is not its parent's (checksum {}, the parent's {}).",
                mine.turn,
                mine.turn,
                mine.checksum,
                theirs.checksum
            );
            return ExitCode::from(EXIT_DIVERGED);
        }
    }
    if parent.turns.len() < origin.at_turn as usize {
        say!(
            "{name}: does not verify: the fork says it shares {} turns with {shown}, which records {}.",
            origin.at_turn,
            parent.turns.len()
        );
        return ExitCode::from(EXIT_DIVERGED);
    }
    say!(
        "Its first {} turns are those of its parent {shown}, checksum for checksum.",
        origin.at_turn
    );
    ExitCode::SUCCESS
}

/// A fork to make.
struct Fork<'a> {
    until: u32,
    policy: Policy,
    record: &'a Path,
    keep_facilitator: bool,
}

/// Whether two paths name the same file, the second perhaps not written yet.
fn same_file(a: &Path, b: &Path) -> bool {
    let canonical = |p: &Path| -> Option<PathBuf> {
        if let Ok(c) = p.canonicalize() {
            return Some(c);
        }
        let dir = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.canonicalize().ok()?,
            _ => std::env::current_dir().ok()?,
        };
        Some(dir.join(p.file_name()?))
    };
    matches!((canonical(a), canonical(b)), (Some(x), Some(y)) if x == y)
}

fn fork_task(name: &str, file: &Path, original: &Replay, scenario: Scenario, source: &str, fork: Fork) -> ExitCode {
    let Fork {
        until,
        policy,
        record,
        keep_facilitator,
    } = fork;
    let last = original.turns.len() as u32;
    if until == 0 || until > last {
        return bad(format!("--until {until}: {name} records turns 1 to {last}"));
    }
    if until == last && original.ended {
        return bad(format!(
            "--until {until}: the exercise ended at turn {last}, so a fork from there has no turn left to play; fork from an earlier turn (1 to {})",
            last.saturating_sub(1)
        ));
    }
    if same_file(file, record) {
        return bad(format!(
            "--record {}: that is the original; a fork is saved beside it, never over it",
            record.display()
        ));
    }
    if let Some(why) = super::taken_record_file(record) {
        return bad(why);
    }
    let mut sim = match original.resume(scenario.clone(), until) {
        Ok(sim) => sim,
        Err(ResumeError::ScenarioChanged) => {
            say!(
                "{name}: the scenario has changed since this run was recorded: a fork would not start from the same run."
            );
            return ExitCode::from(EXIT_DIVERGED);
        }
        Err(ResumeError::DoesNotReproduce(turn)) => {
            say!("{name}: does not reproduce at turn {turn} before the fork point; verify it first.");
            return ExitCode::from(EXIT_DIVERGED);
        }
    };
    // The facilitator's later injects and posture changes stay, so that the policy is the only
    // difference, unless the fork is asked without them.
    if keep_facilitator {
        for a in original.facilitator.iter().filter(|a| a.turn > until) {
            a.queue(&mut sim);
        }
    }
    sim.set_policy(policy);
    sim.play_to_end();
    let mut made = Replay::record(&sim, &scenario, source, original.seed, policy);
    made.notes = original.notes.iter().filter(|n| n.turn <= until).cloned().collect();
    made.fork = Some(ForkOrigin::of(original, name, until));
    made.recorded = Some(demarche::replay::today());
    if let Err(e) = write_atomically(record, &made.to_ron()) {
        return bad(format!("cannot write {}: {e}", record.display()));
    }
    print!("{}", side_by_side(original, &made, until));
    say!("Fork saved to {}.", record.display());
    ExitCode::SUCCESS
}

/// The original and the fork, turn by turn.
fn side_by_side(original: &Replay, fork: &Replay, until: u32) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Fork after turn {until}: the original ({}) against {} from turn {}\n",
        original.policy_at(until + 1).name(),
        fork.policy.name(),
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
        let differs = !original.same_turn(fork, i as u32 + 1);
        let _ = write!(out, "{:>4}{}", i + 1, if differs { " *" } else { "  " });
        for (_, pick) in &quantities {
            let cell = |r: &Replay| r.turns.get(i).map_or("-".to_owned(), |m| format!("{:.2}", pick(m)));
            let _ = write!(out, "     {:>8}{:>6}", cell(original), cell(fork));
        }
        out.push('\n');
    }
    match original.first_difference(fork) {
        Some(turn) => {
            let _ = writeln!(out, "\n* turns played differently (the first: turn {turn})");
        }
        None => {
            let _ = writeln!(
                out,
                "\nThe fork reproduces the original turn for turn: the {} policy decides as the {} policy did.",
                fork.policy.name(),
                original.policy_at(until + 1).name()
            );
        }
    }
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
        time: Some(demarche::scenario::utc_now()),
    };
    match add_note(file, Some(&replay.identity()), note) {
        Ok(notes) => {
            let plural = if notes.len() == 1 { "" } else { "s" };
            say!("{name}: note added at turn {turn} ({} note{plural}).", notes.len());
            ExitCode::SUCCESS
        }
        Err(NoteError::Replay(e)) => refused(&e),
        Err(e) => bad(format!("{name}: {e}")),
    }
}

/// How to play on a run saved before the exercise ended: a hosted exercise (its host's keys
/// beside it) is continued by its host, so that the delegations' codes work again; a run played
/// at one desk reopens where it was in the window.
pub(super) fn how_to_go_on(name: &str, file: &Path, turns: usize) -> String {
    if demarche::files::host_folder(file).is_dir() {
        format!(
            "To finish it, continue the hosted exercise with `demarche host --resume {name}` (the delegations' codes work again)."
        )
    } else {
        format!(
            "To finish it, reopen it where it was with `demarche play --continue {name}`, or open it with \
             `demarche play --replay {name}` and branch from turn {turns} to play on in a new file."
        )
    }
}
