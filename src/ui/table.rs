//! What the window holds between frames, and what the user's intents do to it.
//!
//! Panels never change the exercise: they return [`Intent`]s, and [`Table::apply`] carries them
//! out, saving the run after every change so that nothing played is ever lost. All of this runs
//! without a window, which is how `tests/window_logic.rs` tests it.

use super::Screen;
use crate::actors::ActorsData;
use crate::decisions::{Decision, Policy, Role, Seats};
use crate::exercise::{Exercise, ReplayViewer};
use crate::files::write_atomically;
use crate::report::{ReportFacts, html};
use crate::scenario::{PostureShift, Scenario};
use bevy::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a scenario comes from: the library's one way of naming it.
pub use crate::scenario::ScenarioSource as Source;

/// Something the user asked for.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum Intent {
    /// Choose a scenario and go to the seats.
    ChooseScenario(Source),
    /// Read the chosen scenario file again (the facilitator edited it), before the first turn.
    Reload,
    /// Open a replay in the viewer.
    OpenReplay(PathBuf),
    /// Start the exercise with these seats and seed; go to the briefing.
    Start {
        /// Roles people hold.
        seats: Vec<Role>,
        /// Run seed.
        seed: u64,
    },
    /// Put a proposal on the table for the next turn.
    Propose(Decision),
    /// Take a proposal off the table.
    Withdraw(usize),
    /// Play the next turn: table it (and stop for the tour de table when held Member States
    /// are consulted), or decide the turn on the table. `from` is how far the exercise had gone
    /// ([`Exercise::progress`]) on the board the player pressed: a press made on a board that has
    /// moved on since (a double or triple click) plays nothing.
    Advance {
        /// The exercise's progress when pressed.
        from: u32,
    },
    /// Reopen a saved run exactly where it was, to play on in the same file.
    Continue(PathBuf),
    /// A held Member State answers on one Council file of the tour de table.
    Answer {
        /// The Member State, by code.
        state: String,
        /// The file: the measure and the incident it answers.
        file: Decision,
        /// Its answer.
        ballot: crate::council::Ballot,
    },
    /// A Member State held at the table takes a position on a Council measure.
    Position {
        /// The Member State, by code.
        state: String,
        /// The Council measure, by id.
        measure: String,
        /// How it will vote.
        ballot: crate::council::Ballot,
    },
    /// Fire a pool inject.
    Fire(String),
    /// Change an adversary's campaign.
    Shift(PostureShift),
    /// Pause the exercise.
    Pause,
    /// Resume it.
    Resume,
    /// Write in the facilitator's journal.
    Note(String),
    /// Write the after-action report of the run.
    WriteReport,
    /// Open the written report in the system's web browser.
    OpenReport(PathBuf),
    /// Open the run just played in the replay viewer.
    ReviewRun,
    /// Continue the replay being viewed from the end of this turn, with people at the table.
    Branch(u32),
    /// An evaluator's note about a turn of the replay being viewed, saved into its file.
    EvaluatorNote {
        /// The turn it is about.
        turn: u32,
        /// What it says.
        text: String,
    },
    /// Go to a screen.
    Goto(Screen),
    /// Close the window.
    Quit,
}

/// A line for the status bar: what just happened, or what went wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    /// The message.
    pub text: String,
    /// Whether it reports a problem.
    pub error: bool,
}

/// The window's state: the scenario chosen, the exercise or the replay open, and where runs go.
pub struct Table {
    /// The scenario chosen, with where it came from (`default` for the embedded one).
    pub scenario: Option<(Arc<Scenario>, String)>,
    /// The exercise being played.
    pub exercise: Option<Exercise>,
    /// The replay being viewed.
    pub viewer: Option<ReplayViewer>,
    /// The file the replay being viewed was read from (where evaluators' notes go).
    pub viewer_file: Option<PathBuf>,
    /// What just happened.
    pub status: Option<Status>,
    /// Folder where runs are saved as replays.
    pub runs_dir: PathBuf,
    /// Where the current run is saved (after every change).
    pub saved_to: Option<PathBuf>,
    /// Where the last report was written.
    pub report_to: Option<PathBuf>,
    /// Policy that plays the seats nobody holds.
    pub policy: Policy,
}

impl Table {
    /// An empty table saving runs in `runs_dir`.
    pub fn new(runs_dir: PathBuf) -> Self {
        Self {
            scenario: None,
            exercise: None,
            viewer: None,
            viewer_file: None,
            status: None,
            runs_dir,
            saved_to: None,
            report_to: None,
            policy: Policy::Proportional,
        }
    }

    /// The default folder for runs: `$DEMARCHE_RUNS`, else `~/.local/share/demarche/runs`, else
    /// `demarche-runs` in the working folder.
    pub fn default_runs_dir() -> PathBuf {
        crate::files::runs_dir()
    }

    /// The window title: it names the scenario.
    pub fn title(&self) -> String {
        match (&self.viewer, &self.scenario) {
            (Some(v), _) => format!("Démarche: replay of {} ({})", v.scenario.title, v.name),
            (None, Some((s, _))) => format!("Démarche: {}", s.title),
            (None, None) => "Démarche".to_owned(),
        }
    }

    /// Carries out an intent and says which screen to show next, if it changes. `now` is the
    /// wall-clock time for the journal.
    pub fn apply(&mut self, intent: Intent, now: &str) -> Option<Screen> {
        match intent {
            Intent::ChooseScenario(source) => match read_source(&source) {
                Ok(loaded) => {
                    self.scenario = Some(loaded);
                    self.exercise = None;
                    self.viewer = None;
                    self.status = None;
                    // The last run's file and report are not this one's.
                    self.saved_to = None;
                    self.report_to = None;
                    Some(Screen::Seats)
                }
                Err(why) => self.fail(why),
            },
            Intent::Reload => {
                self.reload();
                None
            }
            Intent::OpenReplay(path) => match open_replay(&path) {
                Ok(viewer) => {
                    self.scenario = Some((Arc::clone(&viewer.scenario), viewer.replay.scenario.source.clone()));
                    self.status = viewer.diverged_at.map(|t| Status {
                        text: format!(
                            "This replay does not reproduce from turn {t} on: the engine or the file changed. Boards from turn {t} show the re-run."
                        ),
                        error: true,
                    });
                    self.viewer = Some(viewer);
                    self.viewer_file = Some(path);
                    Some(Screen::Replay)
                }
                Err(why) => self.fail(why),
            },
            Intent::Start { seats, seed } => {
                let (scenario, source) = self.scenario.clone()?;
                let mut ex = Exercise::new(scenario, &source, seed, self.policy, Seats(seats));
                ex.date(now);
                self.exercise = Some(ex);
                self.viewer = None;
                self.saved_to = None;
                self.report_to = None;
                self.save();
                Some(Screen::Briefing)
            }
            Intent::Continue(path) => match continue_run(&path) {
                Ok(ex) => {
                    let turn = ex.board().turn;
                    let running = ex.running();
                    self.scenario = Some((Arc::clone(ex.scenario()), ex.source().to_owned()));
                    self.exercise = Some(ex);
                    self.viewer = None;
                    self.viewer_file = None;
                    self.saved_to = Some(path.clone());
                    self.report_to = None;
                    let name = path
                        .file_name()
                        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
                    self.done(if running {
                        format!("Continued {name} after turn {turn}: the table plays on in the same file.")
                    } else {
                        format!("{name} is a finished run: its debrief and report.")
                    });
                    Some(if running { Screen::Board } else { Screen::Debrief })
                }
                Err(why) => self.fail(why),
            },
            Intent::Propose(decision) => {
                let ex = self.exercise.as_mut()?;
                match ex.propose(decision) {
                    Ok(()) => {
                        self.status = None;
                        None
                    }
                    Err(why) => self.fail(why.to_string()),
                }
            }
            Intent::Withdraw(index) => {
                self.exercise.as_mut()?.withdraw(index);
                None
            }
            Intent::Advance { from } => {
                let ex = self.exercise.as_mut()?;
                if from != ex.progress() {
                    return None;
                }
                match ex.advance() {
                    Ok(crate::exercise::Step::Consulting(files)) => {
                        let turn = ex.next_turn();
                        self.status = Some(Status {
                            text: format!(
                                "Turn {turn} is on the table: {} Council file(s). Each delegation says whether it can agree; Decide when ready (silence is assent).",
                                files.len()
                            ),
                            error: false,
                        });
                        self.save();
                        None
                    }
                    Ok(crate::exercise::Step::Played(record)) => {
                        let turn = record.turn;
                        let votes = record.votes.len();
                        let blocked = record.votes.iter().filter(|v| !v.adopted).count();
                        self.status = Some(Status {
                            text: match votes {
                                0 => format!("Turn {turn} played."),
                                _ => format!("Turn {turn} played: {votes} Council vote(s), {blocked} blocked."),
                            },
                            error: false,
                        });
                        self.save();
                        None
                    }
                    Err(why) => self.fail(why.to_string()),
                }
            }
            Intent::Answer { state, file, ballot } => {
                let ex = self.exercise.as_mut()?;
                match ex.answer(&state, &file, ballot) {
                    Ok(()) => {
                        let name = ex.board().measure_name(&file.measure).to_owned();
                        self.done(format!("{state} has answered on {name}."));
                        self.save();
                        None
                    }
                    Err(why) => self.fail(why.to_string()),
                }
            }
            Intent::Position { state, measure, ballot } => {
                let ex = self.exercise.as_mut()?;
                let turn = ex.next_turn();
                match ex.take_position(&state, &measure, ballot) {
                    Ok(()) => {
                        let name = ex.board().measure_name(&measure).to_owned();
                        self.done(format!("{state}'s vote on {name} holds from turn {turn}."));
                        self.save();
                        None
                    }
                    Err(why) => self.fail(why.to_string()),
                }
            }
            Intent::Fire(id) => {
                let ex = self.exercise.as_mut()?;
                let turn = ex.next_turn();
                match ex.fire(&id) {
                    Ok(()) => {
                        let title = super::screens::inject_title(ex.scenario(), &id);
                        self.done(format!("{title} will open turn {turn}."));
                        self.save();
                        None
                    }
                    Err(why) => self.fail(why.to_string()),
                }
            }
            Intent::Shift(shift) => {
                let ex = self.exercise.as_mut()?;
                let turn = ex.next_turn();
                let who = ex.board().adversary_name(&shift.adversary).to_owned();
                match ex.shift_posture(shift) {
                    Ok(()) => {
                        self.done(format!("{who}'s posture changes at the start of turn {turn}."));
                        self.save();
                        None
                    }
                    Err(why) => self.fail(why.to_string()),
                }
            }
            Intent::Pause => {
                self.exercise.as_mut()?.pause(now);
                self.save();
                None
            }
            Intent::Resume => {
                self.exercise.as_mut()?.resume(now);
                self.save();
                None
            }
            Intent::Note(text) => {
                self.exercise.as_mut()?.note("facilitator", &text, now);
                self.save();
                None
            }
            Intent::WriteReport => {
                match self.write_report() {
                    Ok(path) => {
                        self.done(format!("Report written to {}.", path.display()));
                        self.report_to = Some(path);
                    }
                    Err(why) => {
                        self.fail(why);
                    }
                }
                None
            }
            Intent::OpenReport(path) => {
                match open::that_detached(&path) {
                    Ok(()) => self.done(format!("Opening {} in the web browser.", path.display())),
                    Err(e) => {
                        self.fail(format!(
                            "cannot open a web browser here ({e}); open {} yourself",
                            path.display()
                        ));
                    }
                }
                None
            }
            Intent::ReviewRun => {
                let ex = self.exercise.as_ref()?;
                let name = self
                    .saved_to
                    .as_ref()
                    .and_then(|p| p.file_name())
                    .map_or("this run".to_owned(), |n| n.to_string_lossy().into_owned());
                match ReplayViewer::open(ex.to_replay(), &name, Arc::clone(ex.scenario())) {
                    Ok(viewer) => {
                        self.viewer = Some(viewer);
                        self.viewer_file = self.saved_to.clone();
                        Some(Screen::Replay)
                    }
                    Err(why) => self.fail(why),
                }
            }
            Intent::Branch(turn) => {
                let viewer = self.viewer.as_ref()?;
                match viewer.branch(turn) {
                    Ok(mut ex) => {
                        ex.date(now);
                        self.scenario = Some((Arc::clone(&viewer.scenario), viewer.replay.scenario.source.clone()));
                        self.exercise = Some(ex);
                        self.viewer = None;
                        self.saved_to = None;
                        self.report_to = None;
                        self.save();
                        self.done(format!("Branched after turn {turn}: the table plays on from here."));
                        Some(Screen::Board)
                    }
                    Err(why) => self.fail(why),
                }
            }
            Intent::EvaluatorNote { turn, text } => {
                self.evaluator_note(turn, &text, now);
                None
            }
            Intent::Goto(screen) => Some(screen),
            Intent::Quit => None,
        }
    }

    /// Reads the scenario file again if it changed: a good version replaces the one chosen (and
    /// restarts an exercise not yet begun, with the same seats and seed); a broken one leaves the
    /// last good version in place and shows what is wrong. Once a turn is played the version
    /// the run started with stays: a run is (scenario, seed, decisions).
    fn reload(&mut self) {
        let Some((current, label)) = &self.scenario else { return };
        let path = PathBuf::from(label);
        if label == "default" || !path.is_file() {
            return;
        }
        if self.exercise.as_ref().is_some_and(|ex| ex.board().turn > 0) {
            return;
        }
        match read_source(&Source::File(path)) {
            Ok((fresh, label)) => {
                if crate::replay::scenario_hash(&fresh) == crate::replay::scenario_hash(current) {
                    if self.status.as_ref().is_some_and(|s| s.error) {
                        self.status = None;
                    }
                    return;
                }
                if let Some(ex) = &self.exercise {
                    let (seats, seed) = (ex.seats().clone(), ex.seed());
                    let mut ex = Exercise::new(Arc::clone(&fresh), &label, seed, self.policy, seats);
                    ex.date(&crate::scenario::utc_now());
                    self.exercise = Some(ex);
                    self.saved_to = None;
                    self.save();
                }
                self.done(format!("{label} changed: reloaded."));
                self.scenario = Some((fresh, label));
            }
            Err(why) => {
                self.fail(format!(
                    "The file changed and now has problems; the last good version stays.\n{why}"
                ));
            }
        }
    }

    /// Adds an evaluator's note to the replay being viewed and to its file. The notes do not
    /// change the run: the replay still verifies. When the replay is the exercise in progress,
    /// the note joins its journal, which is saved with it.
    fn evaluator_note(&mut self, turn: u32, text: &str, now: &str) {
        let text = text.trim();
        let Some(viewer) = self.viewer.as_mut() else { return };
        if text.is_empty() {
            return;
        }
        let note = crate::replay::Note {
            turn,
            author: "evaluator".to_owned(),
            text: text.to_owned(),
            time: Some(now.to_owned()),
        };
        viewer.replay.notes.push(note.clone());
        let live = self.viewer_file.is_some() && self.viewer_file == self.saved_to;
        if live && let Some(ex) = self.exercise.as_mut() {
            ex.add_note(note);
            self.save();
            self.done(format!("Note on turn {turn} saved with the run."));
            return;
        }
        let Some(path) = self.viewer_file.clone() else {
            self.fail("this replay has no file to save notes into".to_owned());
            return;
        };
        // Merged into the notes the file holds now: notes added meanwhile stay.
        match crate::replay::add_note(&path, Some(&viewer.replay.identity()), note) {
            Ok(notes) => {
                viewer.replay.notes = notes;
                self.done(format!("Note on turn {turn} saved in {}.", path.display()));
            }
            Err(e) => {
                self.fail(format!("cannot save the note in {}: {e}", path.display()));
            }
        }
    }

    /// Saves the run in progress as a replay, atomically; a failure is reported, never fatal.
    pub fn save(&mut self) {
        let Some(ex) = &self.exercise else { return };
        let path = self.saved_to.clone().unwrap_or_else(|| fresh_name(&self.runs_dir, ex));
        let result =
            std::fs::create_dir_all(&self.runs_dir).and_then(|()| write_atomically(&path, &ex.to_replay().to_ron()));
        match result {
            Ok(()) => self.saved_to = Some(path),
            Err(e) => {
                self.fail(format!(
                    "cannot save the run to {}: {e} (the exercise goes on; set DEMARCHE_RUNS to another folder)",
                    path.display()
                ));
            }
        }
    }

    /// Writes the after-action report beside the saved run.
    fn write_report(&mut self) -> Result<PathBuf, String> {
        let ex = self.exercise.as_ref().ok_or("no exercise has been played")?;
        let outcome = ex
            .simulation()
            .outcome()
            .ok_or("the report is written once the exercise is over")?;
        let replay = ex.to_replay();
        let facts = ReportFacts::gather(&replay, ex.scenario(), ex.simulation().records(), outcome, None);
        let path = match &self.saved_to {
            Some(p) => {
                let name = p.file_name().map_or("run".into(), |n| n.to_string_lossy().into_owned());
                p.with_file_name(format!("{}.report.html", name.trim_end_matches(".replay.ron")))
            }
            None => self
                .runs_dir
                .join(format!("{}-seed{}.report.html", ex.scenario().id, ex.seed())),
        };
        std::fs::create_dir_all(&self.runs_dir)
            .and_then(|()| write_atomically(&path, &html(&facts)))
            .map_err(|e| format!("cannot write the report to {}: {e}", path.display()))?;
        Ok(path)
    }

    fn done(&mut self, text: String) {
        self.status = Some(Status { text, error: false });
    }

    fn fail(&mut self, text: String) -> Option<Screen> {
        self.status = Some(Status { text, error: true });
        None
    }
}

/// A file name for a new run that no other run has: scenario, seed, time, and for a branch the
/// turn it branched after.
fn fresh_name(dir: &Path, ex: &Exercise) -> PathBuf {
    let branch = ex.fork().map(|f| format!("-branch{}", f.at_turn)).unwrap_or_default();
    crate::files::fresh_run_file(dir, &ex.scenario().id, ex.seed(), &branch)
}

/// Reads and checks a scenario; a broken file brings the checker's full report.
pub fn read_source(source: &Source) -> Result<(Arc<Scenario>, String), String> {
    source
        .load(ActorsData::embedded_ref())
        .map(|s| (Arc::new(s), source.label()))
        .map_err(|e| e.explain())
}

/// A replay file with the scenario it carries, and its name for messages.
fn read_with_scenario(path: &Path) -> Result<(crate::replay::Replay, Arc<Scenario>, String), String> {
    let name = path.display().to_string();
    let replay = crate::replay::read_replay(path)?;
    let scenario = Arc::new(
        replay
            .scenario(&name)
            .map_err(|e| format!("the scenario {name} carries cannot be read:\n{}", e.explain()))?,
    );
    Ok((replay, scenario, name))
}

/// Reopens a saved run where it was, with the scenario it carries.
pub fn continue_run(path: &Path) -> Result<Exercise, String> {
    let (replay, scenario, name) = read_with_scenario(path)?;
    Exercise::reopen(&replay, scenario).map_err(|why| format!("{name} cannot be continued: {why}"))
}

/// Opens a replay with the scenario it carries.
pub fn open_replay(path: &Path) -> Result<ReplayViewer, String> {
    let (replay, scenario, name) = read_with_scenario(path)?;
    let file = path
        .file_name()
        .map_or(name.clone(), |n| n.to_string_lossy().into_owned());
    ReplayViewer::open(replay, &file, scenario)
}
