//! `demarche join`: a delegation's desk. It trusts only the host its code names (by the host's
//! certificate fingerprint), proves its seat with the code's secret, and then shows the exercise
//! as its seat sees it. Headless, it plays the moves it was given on the command line and says
//! "ready" each turn; a connection that drops is opened again with the same code, from wherever
//! the desk now is.

use super::{FromDesk, FromHost, JoinCode};
use crate::council::Ballot;
use crate::decisions::Decision;
use crate::exercise::{SeatAction, SeatView};
use bevy::prelude::*;
use bevy_quinnet::client::certificate::{
    CertInteractionEvent, CertVerificationStatus, CertVerifierAction, CertVerifierBehaviour, KnownHosts,
    TrustOnFirstUseConfig,
};
use bevy_quinnet::client::connection::{ClientAddrConfiguration, ConnectionFailedEvent};
use bevy_quinnet::client::{
    ClientConnectionConfiguration, ClientConnectionConfigurationDefaultables, QuinnetClient,
    certificate::CertificateVerificationMode,
};
use bevy_replicon::prelude::*;
use bevy_replicon_quinnet::ChannelsConfigurationExt;
use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A scripted proposal: `TURN:MEASURE[@INCIDENT]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptedProposal {
    /// The turn it is proposed for.
    pub turn: u32,
    /// The proposal (no incident: the latest incident when the turn comes).
    pub decision: Decision,
}

/// A scripted position: `TURN:MEASURE[@INCIDENT]:for|abstain|object[:REASON]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptedPosition {
    /// The turn from which it holds.
    pub turn: u32,
    /// The measure.
    pub measure: String,
    /// The incident, or every file of the measure.
    pub incident: Option<String>,
    /// How the seat votes.
    pub ballot: Ballot,
    /// The reason in the delegation's own words, when it is not one of the engine's.
    pub said: Option<String>,
}

impl ScriptedProposal {
    /// Reads `TURN:MEASURE[@INCIDENT]`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (turn, rest) = split_turn(text, "TURN:MEASURE[@INCIDENT]")?;
        let (measure, incident) = split_incident(rest);
        if measure.is_empty() {
            return Err(format!("\"{text}\": the measure is missing"));
        }
        Ok(Self {
            turn,
            decision: Decision::new(measure, incident),
        })
    }
}

impl ScriptedPosition {
    /// Reads `TURN:MEASURE[@INCIDENT]:for|abstain|object[:REASON]`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let form = "TURN:MEASURE[@INCIDENT]:for|abstain|object[:REASON]";
        let (turn, rest) = split_turn(text, form)?;
        let mut parts = rest.splitn(3, ':');
        let target = parts.next().unwrap_or_default();
        let (measure, incident) = split_incident(target);
        let Some(stance) = parts.next() else {
            return Err(format!("\"{text}\" is not {form}: how does the seat vote?"));
        };
        let reason = parts.next().map(str::trim).filter(|r| !r.is_empty());
        if measure.is_empty() {
            return Err(format!("\"{text}\": the measure is missing"));
        }
        let (ballot, said) = match stance.trim().to_ascii_lowercase().as_str() {
            "for" => (Ballot::For, None),
            "abstain" => (Ballot::Abstain, None),
            "object" => {
                let reason_code = crate::council::Reason::given(reason.unwrap_or("cannot-support"));
                let said = (reason_code == crate::council::Reason::Other)
                    .then(|| reason.map(str::to_owned))
                    .flatten();
                (Ballot::Object(reason_code), said)
            }
            other => return Err(format!("\"{other}\" is not a vote: use for, abstain or object")),
        };
        if reason.is_some() && !matches!(ballot, Ballot::Object(_)) {
            return Err(format!("\"{text}\": only an objection gives a reason"));
        }
        Ok(Self {
            turn,
            measure: measure.to_owned(),
            incident: incident.map(str::to_owned),
            ballot,
            said,
        })
    }
}

fn split_turn<'a>(text: &'a str, form: &str) -> Result<(u32, &'a str), String> {
    let (turn, rest) = text
        .split_once(':')
        .ok_or_else(|| format!("\"{text}\" is not {form}"))?;
    let turn = turn
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|t| *t >= 1)
        .ok_or_else(|| format!("\"{turn}\" is not a turn number (1, 2, ...)"))?;
    Ok((turn, rest.trim()))
}

fn split_incident(text: &str) -> (&str, Option<&str>) {
    match text.split_once('@') {
        Some((measure, incident)) if !incident.trim().is_empty() => (measure.trim(), Some(incident.trim())),
        Some((measure, _)) => (measure.trim(), None),
        None => (text.trim(), None),
    }
}

/// What a headless desk was told to do.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// Proposals, by turn.
    pub proposals: Vec<ScriptedProposal>,
    /// Positions, by turn.
    pub positions: Vec<ScriptedPosition>,
}

/// How a desk was asked to run.
pub struct JoinPlan {
    /// The code.
    pub code: JoinCode,
    /// The scripted moves (headless).
    pub script: Script,
    /// Write every message received from the host to this file, one per line (for the tests
    /// that check what a seat is sent).
    pub trace: Option<PathBuf>,
    /// How long to keep trying to reach the host before giving up.
    pub patience: Duration,
}

/// The desk's state: what the host last sent, and what the desk has done.
#[derive(Resource)]
pub struct DeskState {
    /// The code the desk joined with.
    pub code: JoinCode,
    /// Without a window: plays the script, prints, exits when the exercise ends.
    headless: bool,
    /// The seat the host admitted the desk to (`None` before, or for an observer).
    pub seat: Option<crate::decisions::Role>,
    /// Who is at the table, as the host last said.
    pub roll: Vec<super::Attendance>,
    /// What the host refused or said, newest last (for the window's status line).
    pub notices: Vec<String>,
    /// The host refused the desk: why.
    pub refused: Option<String>,
    server: std::net::SocketAddr,
    script: Script,
    trace: Option<std::fs::File>,
    /// The exercise as the host last showed it.
    pub view: Option<SeatView>,
    /// The last turn whose checksum line was printed.
    printed: u32,
    /// Scripted proposals and positions already sent (by index).
    proposed: BTreeSet<usize>,
    positioned: BTreeSet<usize>,
    /// The step the desk last said it was ready at.
    pub ready_at: Option<u32>,
    /// Since when the desk has been without a connection (it tries again until `patience`).
    lost_since: Option<Instant>,
    last_attempt: Option<Instant>,
    patience: Duration,
    timings: bool,
}

/// Runs a headless desk until the exercise ends (0), the host refuses it (3) or cannot be
/// reached (2).
pub fn run_headless(plan: JoinPlan) -> u8 {
    let mut app = App::new();
    super::headless_plugins(&mut app, Duration::from_millis(10));
    if let Err(why) = add_desk(&mut app, plan, true) {
        crate::tell!("error: {why}");
        return 2;
    }
    match app.run() {
        AppExit::Success => 0,
        AppExit::Error(code) => code.get(),
    }
}

/// The desk's state and systems on an app with the network plugins (with a window or without).
pub fn add_desk(app: &mut App, plan: JoinPlan, headless: bool) -> Result<(), String> {
    let server = resolve(&plan.code.host)?;
    let trace = match &plan.trace {
        Some(path) => Some(std::fs::File::create(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?),
        None => None,
    };
    app.insert_resource(DeskState {
        code: plan.code,
        headless,
        seat: None,
        roll: Vec::new(),
        notices: Vec::new(),
        refused: None,
        server,
        script: plan.script,
        trace,
        view: None,
        printed: 0,
        proposed: BTreeSet::new(),
        positioned: BTreeSet::new(),
        ready_at: None,
        lost_since: Some(Instant::now()),
        last_attempt: None,
        patience: plan.patience,
        timings: std::env::var_os("DEMARCHE_NET_TIMINGS").is_some(),
    })
    .add_systems(OnEnter(ClientState::Connected), say_hello)
    .add_systems(OnExit(ClientState::Connected), connection_lost)
    .add_systems(Update, (connect, pin_certificate, failed, receive).chain());
    Ok(())
}

/// The host's address from the code's `name:port`.
fn resolve(host: &str) -> Result<std::net::SocketAddr, String> {
    use std::net::ToSocketAddrs;
    host.to_socket_addrs()
        .map_err(|e| format!("cannot find the host {host}: {e}"))?
        .next()
        .ok_or_else(|| format!("cannot find the host {host}"))
}

/// Opens (or opens again) the connection to the host, every two seconds while there is none.
fn connect(
    mut desk: ResMut<DeskState>,
    mut client: ResMut<QuinnetClient>,
    channels: Res<RepliconChannels>,
    state: Res<State<ClientState>>,
    mut exit: MessageWriter<AppExit>,
) {
    if desk.refused.is_some() || *state.get() == ClientState::Connected {
        return;
    }
    let Some(since) = desk.lost_since else { return };
    if since.elapsed() > desk.patience {
        let why = format!(
            "cannot reach the host at {} (tried for {} s): is it running, and is its port open to this machine?",
            desk.code.host,
            desk.patience.as_secs()
        );
        crate::tell!("error: {why}");
        desk.lost_since = None;
        if desk.headless {
            exit.write(AppExit::from_code(2));
        } else {
            desk.refused = Some(format!("Cannot join: {why}"));
        }
        return;
    }
    // A connection being made is given its time (QUIC gives up on a silent host by itself).
    if *state.get() != ClientState::Disconnected
        || desk.last_attempt.is_some_and(|t| t.elapsed() < Duration::from_secs(2))
    {
        return;
    }
    desk.last_attempt = Some(Instant::now());
    client.close_all_connections();
    let local: std::net::SocketAddr = if desk.server.is_ipv6() {
        (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
    } else {
        (std::net::Ipv4Addr::UNSPECIFIED, 0).into()
    };
    // The host's certificate is self-made: it is trusted when, and only when, its fingerprint
    // is the code's (see `pin_certificate`).
    let cert_mode = CertificateVerificationMode::TrustOnFirstUse(TrustOnFirstUseConfig {
        known_hosts: KnownHosts::Store(HashMap::new()),
        verifier_behaviour: HashMap::from([
            (
                CertVerificationStatus::UnknownCertificate,
                CertVerifierBehaviour::RequestClientAction,
            ),
            (
                CertVerificationStatus::UntrustedCertificate,
                CertVerifierBehaviour::ImmediateAction(CertVerifierAction::AbortConnection),
            ),
            (
                CertVerificationStatus::TrustedCertificate,
                CertVerifierBehaviour::RequestClientAction,
            ),
        ]),
    });
    let opened = client.open_connection(ClientConnectionConfiguration {
        addr_config: ClientAddrConfiguration::from_addrs(desk.server, local),
        cert_mode,
        defaultables: ClientConnectionConfigurationDefaultables {
            send_channels_cfg: channels.client_configs(),
        },
    });
    if let Err(e) = opened {
        crate::tell!("warning: cannot open a connection to {}: {e}", desk.code.host);
    }
}

/// Trusts the host's certificate only when its fingerprint is the one in the code.
fn pin_certificate(
    mut asked: MessageReader<CertInteractionEvent>,
    desk: Res<DeskState>,
    mut exit: MessageWriter<AppExit>,
) {
    for event in asked.read() {
        let theirs = super::host::fingerprint_of(&event.info.fingerprint.to_base64());
        let trusted = theirs == Some(desk.code.fingerprint);
        let action = if trusted {
            CertVerifierAction::TrustOnce
        } else {
            CertVerifierAction::AbortConnection
        };
        let _ = event.apply_cert_verifier_action(action);
        if !trusted {
            crate::tell!(
                "error: the host at {} is not the one this code was made for (its certificate differs): the code is for another exercise or another machine, or someone is in between",
                desk.code.host
            );
            exit.write(AppExit::from_code(3));
        }
    }
}

/// A connection attempt that failed is tried again by `connect` until the desk's patience ends.
fn failed(mut failures: MessageReader<ConnectionFailedEvent>, mut desk: ResMut<DeskState>) {
    for _ in failures.read() {
        desk.lost_since.get_or_insert_with(Instant::now);
    }
}

fn say_hello(mut desk: ResMut<DeskState>, protocol: Res<ProtocolHash>, mut to_host: MessageWriter<FromDesk>) {
    desk.lost_since = None;
    to_host.write(FromDesk::Hello {
        protocol: *protocol,
        version: super::PROTOCOL_VERSION,
        exercise: desk.code.exercise.clone(),
        seat: desk.code.seat.clone(),
        secret: desk.code.secret.to_vec(),
    });
}

fn connection_lost(mut desk: ResMut<DeskState>) {
    if desk.refused.is_some() || desk.view.as_ref().is_some_and(|v| !v.running) {
        return;
    }
    crate::tell!("The connection to the host was lost; trying again with the same code...");
    desk.lost_since = Some(Instant::now());
    desk.ready_at = None;
}

/// What the host sent.
fn receive(
    mut from_host: MessageReader<FromHost>,
    mut desk: ResMut<DeskState>,
    mut to_host: MessageWriter<FromDesk>,
    mut exit: MessageWriter<AppExit>,
) {
    for message in from_host.read() {
        if let Some(trace) = &mut desk.trace {
            let _ = writeln!(trace, "{message:?}");
        }
        match message {
            FromHost::Welcome { seat, title } => {
                desk.seat = seat.clone();
                let who = seat
                    .as_ref()
                    .map_or_else(|| "an observer".to_owned(), crate::report::seat_name);
                say!("Joined \u{201c}{title}\u{201d} as {who}.");
            }
            FromHost::Refused(why) => {
                crate::tell!("error: the host refused this desk: {why}");
                desk.refused = Some(format!("The host refused this desk: {why}"));
                desk.lost_since = None;
                if desk.headless {
                    exit.write(AppExit::from_code(3));
                }
            }
            FromHost::Replaced => {
                let why = "this seat's code was used from another desk, which now holds the seat";
                crate::tell!("error: {why}");
                desk.refused = Some(format!("Closed: {why}."));
                desk.lost_since = None;
                if desk.headless {
                    exit.write(AppExit::from_code(3));
                }
            }
            FromHost::Rejected { action, why } => {
                crate::tell!("refused: {action}: {why}");
                desk.notices.push(format!("Refused, {action}: {why}"));
            }
            FromHost::Roll(roll) => desk.roll = roll.clone(),
            FromHost::View(view) => {
                let view = (**view).clone();
                print_checksums(&mut desk, &view);
                if !desk.headless {
                    desk.view = Some(view);
                    continue;
                }
                if !view.running {
                    say!("The exercise is over.");
                    desk.view = Some(view);
                    exit.write(AppExit::Success);
                    return;
                }
                play_script(&mut desk, &view, &mut to_host);
                desk.view = Some(view);
            }
        }
    }
}

fn print_checksums(desk: &mut DeskState, view: &SeatView) {
    for (turn, checksum) in &view.checksums {
        if *turn > desk.printed {
            say!("{}", SeatView::checksum_line(*turn, *checksum));
            if desk.timings {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_millis());
                say!("timing: turn {turn} shown at {now} ms");
            }
            desk.printed = *turn;
        }
    }
}

/// The scripted moves due at this step, then "ready".
fn play_script(desk: &mut DeskState, view: &SeatView, to_host: &mut MessageWriter<FromDesk>) {
    if view.paused || desk.ready_at == Some(view.progress) {
        return;
    }
    let turn = view.next_turn;
    if !view.consulting {
        let latest = view.board.incidents.first().map(|i| i.id.clone());
        for (index, p) in desk.script.proposals.iter().enumerate() {
            if p.turn == turn && !desk.proposed.contains(&index) && !view.proposals.contains(&p.decision) {
                let mut decision = p.decision.clone();
                if decision.incident.is_none() {
                    decision.incident = latest.clone();
                }
                to_host.write(FromDesk::Act(SeatAction::Propose(decision)));
            }
        }
        let due: Vec<usize> = (0..desk.script.proposals.len())
            .filter(|i| desk.script.proposals[*i].turn == turn)
            .collect();
        desk.proposed.extend(due);
    }
    for (index, p) in desk.script.positions.iter().enumerate() {
        // A desk opened again finds its positions already taken: it does not take them twice.
        let in_force = view
            .positions
            .iter()
            .any(|q| q.measure == p.measure && q.incident == p.incident && q.ballot == p.ballot);
        if p.turn <= turn && !desk.positioned.contains(&index) && !in_force {
            to_host.write(FromDesk::Act(SeatAction::Position {
                measure: p.measure.clone(),
                incident: p.incident.clone(),
                ballot: p.ballot.clone(),
            }));
            if let Some(said) = &p.said {
                to_host.write(FromDesk::Note(format!("On {}: {said}", p.measure)));
            }
        }
    }
    let sent: Vec<usize> = (0..desk.script.positions.len())
        .filter(|i| desk.script.positions[*i].turn <= turn)
        .collect();
    desk.positioned.extend(sent);
    if view.consulting {
        for (file, ballot) in &view.consultation {
            let covered = desk.script.positions.iter().any(|p| {
                p.turn <= turn && p.measure == file.measure && (p.incident.is_none() || p.incident == file.incident)
            });
            if *ballot == Ballot::Silence && !covered {
                to_host.write(FromDesk::Act(SeatAction::Answer {
                    file: file.clone(),
                    ballot: Ballot::For,
                }));
            }
        }
    }
    to_host.write(FromDesk::Ready { at: view.progress });
    desk.ready_at = Some(view.progress);
}
