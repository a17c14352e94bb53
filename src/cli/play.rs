//! `demarche play` (and `demarche` alone): checks what it was given, then opens the window.

use super::EXIT_BAD_INPUT;
use demarche::decisions::Policy;
use std::path::PathBuf;
use std::process::ExitCode;

/// What `play` was asked to do.
#[derive(clap::Args, Debug)]
#[cfg_attr(not(feature = "gui"), allow(dead_code))]
pub struct Request {
    /// Scenario file; `default` (or nothing) opens the embedded default scenario.
    pub scenario: Option<PathBuf>,
    /// Run seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// A role people hold (repeatable): hrvp (the High Representative), presidency, commission, facilitator, or a Member
    /// State code such as EE (HR is Croatia). Given, the seat screen is skipped.
    #[arg(long = "seat", value_name = "ROLE")]
    pub seats: Vec<String>,
    /// Policy that plays the seats nobody holds.
    #[arg(long, value_enum, default_value_t = Policy::Proportional)]
    pub policy: Policy,
    /// Open a recorded run in the replay viewer instead.
    #[arg(long, value_name = "REPLAY", conflicts_with = "scenario")]
    pub replay: Option<PathBuf>,
    /// Reopen a saved run exactly where it was and play on in the same file (the window's
    /// "Continue").
    #[arg(long = "continue", value_name = "REPLAY", conflicts_with_all = ["scenario", "replay"])]
    pub continue_run: Option<PathBuf>,
    /// Save a PNG picture of the board to FILE and exit.
    #[arg(long, value_name = "FILE.png")]
    pub screenshot: Option<PathBuf>,
    /// With --screenshot: turns played by the engine before the picture.
    #[arg(long, default_value_t = 0, requires = "screenshot")]
    pub after_turns: u32,
    /// The window's size in logical pixels, WIDTHxHEIGHT (from 640x400; the board scrolls what
    /// does not fit).
    #[arg(long, value_name = "WxH", default_value = "1280x720", value_parser = parse_size)]
    pub window_size: (u32, u32),
    /// Press "Play turn" N times by itself, one press a second, as a click would (an
    /// unattended demonstration; the run is saved after each press like any other).
    #[arg(long, value_name = "N", default_value_t = 0, conflicts_with_all = ["screenshot", "replay"])]
    pub autoplay: u32,
}

impl Default for Request {
    /// The defaults the command line gives, so that `demarche` alone and `demarche play` agree.
    fn default() -> Self {
        #[derive(clap::Parser)]
        struct Only {
            #[command(flatten)]
            request: Request,
        }
        <Only as clap::Parser>::parse_from(["demarche"]).request
    }
}

pub(super) fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("\"{text}\" is not a size: write it WIDTHxHEIGHT, e.g. 1366x768"))?;
    let number = |t: &str| t.trim().parse::<u32>().ok();
    match (number(w), number(h)) {
        (Some(w), Some(h)) if (640..=7680).contains(&w) && (400..=4320).contains(&h) => Ok((w, h)),
        (Some(_), Some(_)) => Err(format!("{text}: the window is from 640x400 to 7680x4320")),
        _ => Err(format!(
            "\"{text}\" is not a size: write it WIDTHxHEIGHT, e.g. 1366x768"
        )),
    }
}

/// Exit status when the window could not take its picture.
#[cfg(feature = "gui")]
const EXIT_NO_PICTURE: u8 = 3;

fn bad(message: String) -> ExitCode {
    demarche::tell!("error: {message}");
    ExitCode::from(EXIT_BAD_INPUT)
}

#[cfg(not(feature = "gui"))]
pub fn play(_request: Request) -> ExitCode {
    bad("this build of demarche has no window (it was built without the `gui` feature); use `demarche run`".to_owned())
}

#[cfg(feature = "gui")]
pub fn play(request: Request) -> ExitCode {
    let launched = std::time::Instant::now();
    use demarche::actors::ActorsData;
    use demarche::decisions::Role;
    use demarche::ui::{Drafts, Intent, PlayOptions, Screen, Source, Table, table};

    let actors = ActorsData::embedded();
    let codes: Vec<std::sync::Arc<str>> = actors
        .member_states
        .iter()
        .map(|m| std::sync::Arc::from(m.code.as_str()))
        .collect();
    let mut seats = Vec::new();
    for text in &request.seats {
        match Role::parse(text, &codes) {
            Ok(role) if !seats.contains(&role) => seats.push(role),
            Ok(_) => {}
            Err(why) => return bad(format!("--seat {why}")),
        }
    }
    if let Some(path) = &request.screenshot {
        if path.extension().is_none_or(|x| !x.eq_ignore_ascii_case("png")) {
            return bad(format!(
                "--screenshot {}: the picture is saved as PNG; name it FILE.png",
                path.display()
            ));
        }
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        if parent.is_some_and(|p| !p.is_dir()) {
            return bad(format!(
                "--screenshot {}: folder {} does not exist",
                path.display(),
                parent.map(|p| p.display().to_string()).unwrap_or_default()
            ));
        }
    }
    let mut table = Table::new(Table::default_runs_dir());
    table.policy = request.policy;
    let mut drafts = Drafts {
        seed: request.seed,
        seats: seats.clone(),
        ..Default::default()
    };
    let start = if let Some(path) = &request.continue_run {
        if let Err(e) = demarche::replay::read_replay(path) {
            demarche::tell!("error: {e}");
            return ExitCode::from(e.exit_status());
        }
        match table.apply(Intent::Continue(path.clone()), &demarche::scenario::utc_now()) {
            Some(screen) => screen,
            None => {
                let why = table.status.as_ref().map(|s| s.text.clone()).unwrap_or_default();
                return bad(why);
            }
        }
    } else if let Some(path) = &request.replay {
        match table::open_replay(path) {
            Ok(viewer) => {
                drafts.viewer_turn = viewer.last_turn();
                table.scenario = Some((
                    std::sync::Arc::clone(&viewer.scenario),
                    viewer.replay.scenario.source.clone(),
                ));
                table.viewer = Some(viewer);
                Screen::Replay
            }
            Err(why) => return bad(why),
        }
    } else {
        // The same reading of a scenario's name as every other command's.
        let source = request.scenario.as_deref().map_or(Source::Shipped(0), Source::named);
        match table::read_source(&source) {
            Ok(loaded) => table.scenario = Some(loaded),
            Err(why) => {
                demarche::tell_raw!("{why}");
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        }
        // A Member State's seat must be one of the scenario's Council (the EU of 28 before
        // February 2020, of 27 after).
        if let Some((scenario, _)) = &table.scenario {
            let day = demarche::scenario::date_days(&scenario.clock.start);
            for role in &seats {
                if let Role::MemberState(code) = role
                    && let Some(state) = actors.member_states.iter().find(|m| &m.code == code)
                    && let Some(why) = state.not_member_because(day)
                {
                    return bad(format!(
                        "--seat {code}: {why}, and this scenario starts on {}",
                        scenario.clock.start.get(..10).unwrap_or_default()
                    ));
                }
            }
        }
        let turns = table.scenario.as_ref().map_or(0, |(s, _)| s.turns);
        if request.after_turns > turns {
            return bad(format!(
                "--after-turns {}: the scenario lasts {turns} turns",
                request.after_turns
            ));
        }
        if request.screenshot.is_some() || !request.seats.is_empty() || request.autoplay > 0 {
            table.apply(
                Intent::Start {
                    seats,
                    seed: request.seed,
                },
                &demarche::scenario::utc_now(),
            );
            for _ in 0..request.after_turns {
                let from = table.exercise.as_ref().map_or(0, |ex| ex.progress());
                table.apply(Intent::Advance { from }, &demarche::scenario::utc_now());
            }
            if request.screenshot.is_some() || request.autoplay > 0 {
                Screen::Board
            } else {
                Screen::Briefing
            }
        } else {
            Screen::Seats
        }
    };
    // Last, so that bad input is reported as such even on a machine that cannot open a window.
    if let Err(missing) = demarche::ui::preflight::check() {
        demarche::tell!("error: the window cannot open here.\n{missing}");
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let options = PlayOptions {
        screenshot: request.screenshot.clone(),
        autoplay: request.autoplay,
        size: request.window_size,
        timings: std::env::var_os("DEMARCHE_TIMINGS").is_some().then_some(launched),
    };
    let exit = demarche::ui::run(table, start, drafts, &options);
    if let Some(path) = &request.screenshot {
        let written = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if !exit.is_success() || written == 0 {
            demarche::tell!("error: the window's picture could not be saved to {}", path.display());
            return ExitCode::from(EXIT_NO_PICTURE);
        }
        demarche::tell!("Picture of the board saved to {}.", path.display());
    }
    if exit.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
