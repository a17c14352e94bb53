//! `demarche host` and `demarche join`: the networked exercise's command lines, checked before
//! anything is opened.

use super::EXIT_BAD_INPUT;
use demarche::decisions::{Policy, Role};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit status for a refusal: a replay that cannot be hosted again, a desk the host refused.
const EXIT_REFUSED: u8 = 3;

/// What `host` was asked to do.
#[derive(clap::Args, Debug)]
pub struct HostRequest {
    /// Scenario file; `default` (or nothing) hosts the embedded default scenario.
    pub scenario: Option<PathBuf>,
    /// Run seed.
    #[arg(long, default_value_t = 1, conflicts_with = "resume")]
    pub seed: u64,
    /// The UDP port to listen on (0: any free port; the codes name the one taken).
    /// (By default 5757, or the port the exercise's codes name when resuming.)
    #[arg(long)]
    pub port: Option<u16>,
    /// A seat a delegation plays from its own desk (repeatable): hrvp, presidency, commission
    /// or a Member State code such as EE (HR is Croatia). Each gets a join code.
    #[arg(long = "seat", value_name = "ROLE", conflicts_with = "resume")]
    pub seats: Vec<String>,
    /// Where to write the join codes, one file per seat (`DIR/EE.code`, `DIR/observer-1.code`);
    /// by default a folder beside the replay.
    #[arg(long, value_name = "DIR")]
    pub codes: Option<PathBuf>,
    /// The host's name or address as the desks reach it (by default this machine's own
    /// address on its network).
    #[arg(long, value_name = "HOST")]
    pub address: Option<String>,
    /// Observers' codes to make: they see the public picture and take no part.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=50))]
    pub observers: u32,
    /// Where the run is saved after every change (by default a new file in the runs folder).
    #[arg(long, value_name = "FILE", conflicts_with = "resume")]
    pub record: Option<PathBuf>,
    /// Run without a window: the facilitator types `play`, `status` or `quit` in the terminal.
    #[arg(long)]
    pub headless: bool,
    /// Save a PNG picture of the facilitator's window and exit (a moment after it opens).
    #[arg(long, value_name = "FILE.png", conflicts_with = "headless")]
    pub screenshot: Option<PathBuf>,
    /// The window's size in logical pixels, WIDTHxHEIGHT.
    #[arg(long, value_name = "WxH", default_value = "1280x720", value_parser = super::play::parse_size)]
    pub window_size: (u32, u32),
    /// Play the next step as soon as every seat is connected and ready.
    #[arg(long)]
    pub turn_when_ready: bool,
    /// Policy that plays the seats nobody holds.
    #[arg(long, value_enum, default_value_t = Policy::Proportional, conflicts_with = "resume")]
    pub policy: Policy,
    /// Continue a hosted exercise from its replay, where it was: the same codes work again.
    #[arg(long, value_name = "REPLAY", conflicts_with = "scenario")]
    pub resume: Option<PathBuf>,
}

/// What `join` was asked to do.
#[derive(clap::Args, Debug)]
pub struct JoinRequest {
    /// The join code the facilitator handed out: its text, or the path of its .code file.
    pub code: String,
    /// Play without a window: the scripted moves below, "ready" each turn, one line per turn
    /// (`turn N checksum X`); exits when the exercise ends.
    #[arg(long)]
    pub headless: bool,
    /// A proposal for a turn (repeatable): `TURN:MEASURE[@INCIDENT]`; without an incident it
    /// answers the latest one.
    #[arg(long, value_name = "TURN:MEASURE[@INCIDENT]", requires = "headless", value_parser = demarche::network::join::ScriptedProposal::parse)]
    pub propose: Vec<demarche::network::join::ScriptedProposal>,
    /// A Member State's position from a turn on (repeatable):
    /// `TURN:MEASURE[@INCIDENT]:for|abstain|object[:REASON]`. REASON is cannot-support,
    /// weak-attribution, not-proportionate, economic-cost, too-early, no-naming, national or
    /// reservations, or the delegation's own words (recorded as "other", the words in the
    /// journal).
    #[arg(long, value_name = "TURN:MEASURE[@INCIDENT]:VOTE[:REASON]", requires = "headless", value_parser = demarche::network::join::ScriptedPosition::parse)]
    pub position: Vec<demarche::network::join::ScriptedPosition>,
    /// How long to keep trying to reach the host, in seconds.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub patience: u64,
    /// Save a PNG picture of the delegation's window once the host's board is on it, and exit.
    #[arg(long, value_name = "FILE.png", conflicts_with = "headless")]
    pub screenshot: Option<PathBuf>,
    /// The window's size in logical pixels, WIDTHxHEIGHT.
    #[arg(long, value_name = "WxH", default_value = "1280x720", value_parser = super::play::parse_size)]
    pub window_size: (u32, u32),
    /// Write every message received from the host to FILE, one per line.
    #[arg(long, value_name = "FILE", hide = true)]
    pub trace: Option<PathBuf>,
}

fn bad(message: String) -> ExitCode {
    demarche::tell!("error: {message}");
    ExitCode::from(EXIT_BAD_INPUT)
}

/// This machine's address on its network (the one a route out would use), else the loopback.
fn own_address() -> String {
    std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| {
            s.connect("192.0.2.1:9")?;
            s.local_addr()
        })
        .map(|a| a.ip())
        .ok()
        .filter(|ip| !ip.is_unspecified())
        .map_or_else(|| "127.0.0.1".to_owned(), |ip| ip.to_string())
}

/// `demarche host`.
pub fn host(request: HostRequest) -> ExitCode {
    use demarche::exercise::Exercise;
    use demarche::network::HostKeys;
    use demarche::network::host::{HostPlan, run_headless};
    let resumed_at = request
        .resume
        .as_deref()
        .and_then(|path| HostKeys::load(&HostKeys::folder_for(path)).ok())
        .and_then(|keys| keys.remembered_address());
    let address = request
        .address
        .clone()
        .or_else(|| resumed_at.as_ref().map(|(a, _)| a.clone()))
        .unwrap_or_else(own_address);
    let port = request
        .port
        .or(resumed_at.as_ref().map(|(_, p)| *p))
        .unwrap_or(demarche::network::DEFAULT_PORT);
    if address.trim().is_empty() || address.contains('/') || address.contains(char::is_whitespace) {
        return bad(format!("--address \"{address}\" is not a host name or address"));
    }
    let (exercise, record, keys, remote) = if let Some(path) = &request.resume {
        let replay = match demarche::replay::read_replay(path) {
            Ok(r) => r,
            Err(e) => {
                demarche::tell!("error: {e}");
                return ExitCode::from(e.exit_status());
            }
        };
        if replay.ended {
            demarche::tell!(
                "error: {} is an exercise that has ended: it cannot be hosted again (`demarche report` writes its report)",
                path.display()
            );
            return ExitCode::from(EXIT_REFUSED);
        }
        let scenario = match replay.scenario(&path.display().to_string()) {
            Ok(s) => std::sync::Arc::new(s),
            Err(e) => {
                demarche::tell_raw!("{}", e.explain());
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        };
        let exercise = match Exercise::reopen(&replay, scenario) {
            Ok(ex) => ex,
            Err(why) => return bad(format!("{}: {why}", path.display())),
        };
        let folder = HostKeys::folder_for(path);
        let keys = match HostKeys::load(&folder) {
            Ok(k) => k,
            Err(why) => {
                demarche::tell!(
                    "warning: the host's keys for this exercise are not usable ({why}): new codes are made, and the old ones no longer work"
                );
                match HostKeys::create(&folder) {
                    Ok(k) => k,
                    Err(why) => return bad(why),
                }
            }
        };
        let remote: Vec<Role> = replay
            .seats
            .iter()
            .filter(|r| **r != Role::Facilitator)
            .cloned()
            .collect();
        (exercise, path.clone(), keys, remote)
    } else {
        let scenario = match super::scenario_from(request.scenario.as_deref()) {
            Ok(s) => std::sync::Arc::new(s),
            Err(e) => {
                demarche::tell_raw!("{}", e.explain());
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        };
        let actors = demarche::actors::ActorsData::embedded();
        let codes: Vec<std::sync::Arc<str>> = actors
            .member_states
            .iter()
            .map(|m| std::sync::Arc::from(m.code.as_str()))
            .collect();
        let day = demarche::scenario::date_days(&scenario.clock.start);
        let mut remote = Vec::new();
        for text in &request.seats {
            let role = match Role::parse(text, &codes) {
                Ok(r) => r,
                Err(why) => return bad(format!("--seat {why}")),
            };
            if role == Role::Facilitator {
                continue; // the host is the facilitator's desk
            }
            if let Role::MemberState(code) = &role
                && let Some(state) = actors.member_states.iter().find(|m| &m.code == code)
                && let Some(why) = state.not_member_because(day)
            {
                return bad(format!(
                    "--seat {code}: {why}, and this scenario starts on {}",
                    &scenario.clock.start[..10.min(scenario.clock.start.len())]
                ));
            }
            if !remote.contains(&role) {
                remote.push(role);
            }
        }
        if remote.is_empty() && request.observers == 0 {
            return bad("nobody to host: give a --seat for each delegation that joins (hrvp, presidency, commission, a Member State code), or --observers".to_owned());
        }
        let record = match &request.record {
            Some(p) => p.clone(),
            None => {
                let dir = demarche::files::runs_dir();
                if let Err(e) = std::fs::create_dir_all(&dir) {
                    return bad(format!("cannot create the runs folder {}: {e}", dir.display()));
                }
                demarche::files::fresh_run_file(&dir, &scenario.id, request.seed, "-hosted")
            }
        };
        let parent = record.parent().filter(|p| !p.as_os_str().is_empty());
        if parent.is_some_and(|p| !p.is_dir()) {
            return bad(format!("--record {}: its folder does not exist", record.display()));
        }
        if let Some(why) = super::taken_record_file(&record) {
            return bad(format!(
                "{why} (`--resume` continues a hosted exercise in its own file)"
            ));
        }
        let mut seats = remote.clone();
        seats.push(Role::Facilitator);
        let mut exercise = Exercise::new(
            std::sync::Arc::clone(&scenario),
            &super::source_name(request.scenario.as_deref()),
            request.seed,
            request.policy,
            demarche::decisions::Seats(seats),
        );
        exercise.date(&demarche::replay::today());
        let keys = match HostKeys::create(&HostKeys::folder_for(&record)) {
            Ok(k) => k,
            Err(why) => return bad(why),
        };
        (exercise, record, keys, remote)
    };
    let codes = request.codes.clone().unwrap_or_else(|| {
        let mut name = record.file_name().unwrap_or_default().to_os_string();
        name.push(".codes");
        record.with_file_name(name)
    });
    let plan = HostPlan {
        exercise,
        setup: demarche::network::host::HostSetup {
            record,
            keys,
            remote,
            observers: request.observers,
            address,
            port,
            codes,
            turn_when_ready: request.turn_when_ready,
        },
    };
    if request.headless {
        return ExitCode::from(run_headless(plan));
    }
    host_window(plan, request.window_size, request.screenshot)
}

#[cfg(not(feature = "gui"))]
fn host_window(_plan: demarche::network::host::HostPlan, _size: (u32, u32), _screenshot: Option<PathBuf>) -> ExitCode {
    bad("this build of demarche has no window (built without the `gui` feature): add --headless".to_owned())
}

/// The facilitator's window, hosting.
#[cfg(feature = "gui")]
fn host_window(plan: demarche::network::host::HostPlan, size: (u32, u32), screenshot: Option<PathBuf>) -> ExitCode {
    use demarche::ui::{PlayOptions, Table};
    if let Err(missing) = demarche::ui::preflight::check() {
        demarche::tell!("error: the window cannot open here.\n{missing}");
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let demarche::network::host::HostPlan { exercise, setup } = plan;
    let mut table = Table::new(Table::default_runs_dir());
    table.scenario = Some((std::sync::Arc::clone(exercise.scenario()), exercise.source().to_owned()));
    table.saved_to = Some(setup.record.clone());
    table.exercise = Some(exercise);
    let options = PlayOptions {
        screenshot: screenshot.clone(),
        autoplay: 0,
        size,
        timings: None,
    };
    let exit = demarche::ui::run_hosting(table, setup, &options);
    if let Some(failed) = screenshot.and_then(|path| picture_failed(&path, "host's")) {
        return failed;
    }
    if exit.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// After a window asked for a picture: the failure when none was saved (else says where it is).
#[cfg(feature = "gui")]
fn picture_failed(path: &std::path::Path, whose: &str) -> Option<ExitCode> {
    if std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) == 0 {
        demarche::tell!("error: the window's picture could not be saved to {}", path.display());
        return Some(ExitCode::from(EXIT_REFUSED));
    }
    demarche::tell!("Picture of the {whose} board saved to {}.", path.display());
    None
}

/// `demarche join`.
pub fn join(request: JoinRequest) -> ExitCode {
    use demarche::network::JoinCode;
    use demarche::network::join::{JoinPlan, Script, run_headless};
    let code = match JoinCode::from_argument(&request.code) {
        Ok(c) => c,
        Err(why) => return bad(why),
    };
    let toolbox = demarche::toolbox::Toolbox::embedded();
    let named = request
        .propose
        .iter()
        .map(|p| &p.decision.measure)
        .chain(request.position.iter().map(|p| &p.measure));
    for measure in named {
        if toolbox.find(measure).is_none() {
            return bad(format!(
                "no measure \"{measure}\" in the Toolbox (`demarche toolbox` lists them)"
            ));
        }
    }
    let plan = JoinPlan {
        code,
        script: Script {
            proposals: request.propose,
            positions: request.position,
        },
        trace: request.trace,
        patience: std::time::Duration::from_secs(request.patience.max(1)),
    };
    if request.headless {
        return ExitCode::from(run_headless(plan));
    }
    window(plan, request.window_size, request.screenshot)
}

#[cfg(not(feature = "gui"))]
fn window(_plan: demarche::network::join::JoinPlan, _size: (u32, u32), _screenshot: Option<PathBuf>) -> ExitCode {
    bad("this build of demarche has no window (built without the `gui` feature): add --headless".to_owned())
}

/// The delegation's window.
#[cfg(feature = "gui")]
fn window(plan: demarche::network::join::JoinPlan, size: (u32, u32), screenshot: Option<PathBuf>) -> ExitCode {
    if let Err(missing) = demarche::ui::preflight::check() {
        demarche::tell!("error: the window cannot open here.\n{missing}");
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let wanted = screenshot.clone();
    match demarche::ui::desk::run(plan, size, screenshot) {
        Err(why) => bad(why),
        Ok(exit) if !exit.is_success() => ExitCode::from(1),
        Ok(_) => wanted
            .and_then(|path| picture_failed(&path, "delegation's"))
            .unwrap_or(ExitCode::SUCCESS),
    }
}
