//! `demarche host`: the one authoritative exercise, on the facilitator's machine.
//!
//! The host admits a desk only with its seat's code, checks everything the desk sends against
//! that seat, sends each desk the exercise as its seat sees it whenever that changes, and saves
//! the run after every change. It never waits on a desk: a connection that dies is shown as
//! disconnected and the facilitator may play on (the engine holds nothing for a held seat: its
//! silence is assent, as at one desk).

use super::{Attendance, FromDesk, FromHost, HostKeys, JoinCode, seat_token};
use crate::decisions::Role;
use crate::exercise::{Exercise, Step};
use bevy::prelude::*;
use bevy_quinnet::server::certificate::CertificateRetrievalMode;
use bevy_quinnet::server::{EndpointAddrConfiguration, QuinnetServer, ServerEndpointConfiguration};
use bevy_replicon::prelude::*;
use bevy_replicon::shared::backend::connected_client::NetworkId;
use bevy_replicon_quinnet::ChannelsConfigurationExt;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Everything the host needs, checked by the command line.
pub struct HostPlan {
    /// The exercise (new, or reopened from its replay).
    pub exercise: Exercise,
    /// The rest.
    pub setup: HostSetup,
}

/// How the exercise is hosted, whoever holds the exercise itself ([`HostedExercise`]).
pub struct HostSetup {
    /// Where the run is saved after every change.
    pub record: PathBuf,
    /// The exercise's id and key, and where its certificate is kept.
    pub keys: HostKeys,
    /// The seats handed out to desks, in the order given.
    pub remote: Vec<Role>,
    /// How many observers' codes to make.
    pub observers: u32,
    /// The host's name or address in the codes (without the port).
    pub address: String,
    /// The port to listen on (0: any free one).
    pub port: u16,
    /// Where the codes are written.
    pub codes: PathBuf,
    /// Play the next step as soon as every seat is connected and ready.
    pub turn_when_ready: bool,
}

/// What sits at one connection.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Holder {
    /// A delegation's seat.
    Seat(Role),
    /// An observer (numbered from 1): the public picture, no action.
    Observer(u32),
}

impl Holder {
    fn token(&self) -> String {
        match self {
            Holder::Seat(role) => seat_token(role),
            Holder::Observer(k) => format!("observer-{k}"),
        }
    }

    fn words(&self) -> String {
        match self {
            Holder::Seat(role) => crate::report::seat_name(role),
            Holder::Observer(k) => format!("Observer {k}"),
        }
    }

    fn role(&self) -> Option<&Role> {
        match self {
            Holder::Seat(role) => Some(role),
            Holder::Observer(_) => None,
        }
    }
}

/// A desk connected and admitted.
struct Desk {
    holder: Holder,
}

/// The host's state: the exercise and who sits where (on the main thread: a simulation is a
/// Bevy app of its own).
pub struct Hosting {
    /// Where the run is saved (for the facilitator's messages).
    record: PathBuf,
    keys: HostKeys,
    remote: Vec<Role>,
    observers: u32,
    turn_when_ready: bool,
    desks: BTreeMap<Entity, Desk>,
    /// Seats ready at step `ready_at`.
    ready: BTreeSet<String>,
    ready_at: u32,
    /// The last view each desk was sent, so that only changes are sent.
    sent: BTreeMap<Entity, crate::exercise::SeatView>,
    roll_sent: Vec<Attendance>,
    /// Something changed since the desks were last sent their views.
    dirty: bool,
    /// Desks refused, and when: closed if they do not go by themselves.
    refused: BTreeMap<Entity, Instant>,
    /// When the exercise ended (the host stays a moment so that every desk gets the end).
    ended: Option<Instant>,
    /// Whether the host stops once the exercise is over (without a window; the facilitator's
    /// window stays open for the debrief).
    stop_at_end: bool,
    /// The step at which every seat was last announced ready.
    announced: Option<u32>,
    /// Lines typed by the facilitator on the host's terminal.
    console: Arc<Mutex<VecDeque<String>>>,
    /// Print when each step was played and what each desk was sent (`DEMARCHE_NET_TIMINGS=1`).
    timings: bool,
    /// Whether the terminal has shown the turn table's column heads.
    table_shown: bool,
    /// The codes handed out: (seat, code), for the facilitator's window.
    pub codes: Vec<(String, String)>,
    /// What the exercise looked like when the desks were last sent their views (a change made
    /// in the facilitator's window shows here).
    seen: Option<(u32, bool, usize, usize)>,
}

/// Where the hosted exercise lives: on its own (a host without a window) or in the
/// facilitator's window, which plays turns and fires injects on it too.
pub trait HostedExercise: 'static {
    /// The exercise, once there is one.
    fn exercise(&self) -> Option<&Exercise>;
    /// The same, to change it.
    fn exercise_mut(&mut self) -> Option<&mut Exercise>;
    /// Saves the run after a change; a failure is reported, never fatal.
    fn save_run(&mut self);
}

/// A hosted exercise on its own, saved to its replay after every change.
pub struct Alone {
    exercise: Exercise,
    record: PathBuf,
}

impl HostedExercise for Alone {
    fn exercise(&self) -> Option<&Exercise> {
        Some(&self.exercise)
    }

    fn exercise_mut(&mut self) -> Option<&mut Exercise> {
        Some(&mut self.exercise)
    }

    fn save_run(&mut self) {
        let text = self.exercise.to_replay().to_ron();
        if let Err(e) = crate::files::write_atomically(&self.record, &text) {
            crate::tell!("warning: cannot save the run to {}: {e}", self.record.display());
        }
    }
}

/// Runs a host without a window until the exercise ends (exit status 0), the facilitator types
/// `quit` (0, the run saved and resumable) or the port cannot be opened (2).
pub fn run_headless(plan: HostPlan) -> u8 {
    let mut app = App::new();
    super::headless_plugins(&mut app, Duration::from_millis(2));
    let console = Arc::new(Mutex::new(VecDeque::new()));
    read_console(Arc::clone(&console));
    let HostPlan { exercise, setup } = plan;
    app.insert_non_send(Alone {
        exercise,
        record: setup.record.clone(),
    });
    add_host::<Alone>(&mut app, setup, console, true);
    interrupted_exits(&mut app);
    match app.run() {
        AppExit::Success => 0,
        AppExit::Error(code) => code.get(),
    }
}

/// Ctrl-C stops the host with status 130; the run was saved at its last change.
fn interrupted_exits(app: &mut App) {
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let _ = ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::SeqCst));
    app.add_systems(Update, move |mut exit: MessageWriter<AppExit>| {
        if stop.load(std::sync::atomic::Ordering::SeqCst) {
            crate::tell!("Interrupted: the exercise is saved; `demarche host --resume` continues it.");
            exit.write(AppExit::from_code(130));
        }
    });
}

/// The host's systems and state on an app that has the network plugins, for an exercise that
/// lives in `H` (a non-send resource the app already has).
pub fn add_host<H: HostedExercise>(
    app: &mut App,
    plan: HostSetup,
    console: Arc<Mutex<VecDeque<String>>>,
    stop_at_end: bool,
) {
    let start = Start {
        address: plan.address.clone(),
        port: plan.port,
        codes: plan.codes.clone(),
    };
    let hosting = Hosting {
        record: plan.record,
        keys: plan.keys,
        remote: plan.remote,
        observers: plan.observers,
        turn_when_ready: plan.turn_when_ready,
        desks: BTreeMap::new(),
        ready: BTreeSet::new(),
        ready_at: 0,
        sent: BTreeMap::new(),
        roll_sent: Vec::new(),
        dirty: true,
        ended: None,
        refused: BTreeMap::new(),
        announced: None,
        stop_at_end,
        console,
        timings: std::env::var_os("DEMARCHE_NET_TIMINGS").is_some(),
        table_shown: false,
        codes: Vec::new(),
        seen: None,
    };
    app.insert_non_send(hosting)
        .insert_resource(start)
        .add_systems(Startup, open_endpoint::<H>)
        .add_observer(desk_left)
        .add_systems(
            Update,
            (track::<H>, receive::<H>, facilitate::<H>, broadcast::<H>, finish::<H>)
                .chain()
                .run_if(in_state(ServerState::Running)),
        );
}

/// Where to listen and what to write, used once at start.
#[derive(Resource)]
struct Start {
    address: String,
    port: u16,
    codes: PathBuf,
}

/// A certificate file the TLS library can read: its reader stops the program on a damaged one.
fn readable_pem(path: &std::path::Path, label: &str) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| text.contains("-----BEGIN") && text.contains(label))
}

fn open_endpoint<H: HostedExercise>(
    mut server: ResMut<QuinnetServer>,
    channels: Res<RepliconChannels>,
    start: Res<Start>,
    mut hosting: NonSendMut<Hosting>,
    mut held: NonSendMut<H>,
    mut exit: MessageWriter<AppExit>,
) {
    let certificate = hosting.keys.certificate();
    let private_key = hosting.keys.private_key();
    let kept = certificate.exists() || private_key.exists();
    if kept && !(readable_pem(&certificate, "CERTIFICATE") && readable_pem(&private_key, "PRIVATE KEY")) {
        crate::tell!(
            "warning: the host's certificate in {} is damaged: a new one is made, and the codes handed out before no longer work",
            hosting.keys.folder.display()
        );
        let _ = std::fs::remove_file(&certificate);
        let _ = std::fs::remove_file(&private_key);
    }
    let bind: std::net::IpAddr = if start.address.contains(':') {
        std::net::Ipv6Addr::UNSPECIFIED.into()
    } else {
        std::net::Ipv4Addr::UNSPECIFIED.into()
    };
    // The transport's own error for a port in use says only "I/O error".
    if let Err(e) = std::net::UdpSocket::bind((bind, start.port)) {
        let why = if e.kind() == std::io::ErrorKind::AddrInUse {
            format!(
                "port {} is already in use on this machine (another host running?): choose another with --port",
                start.port
            )
        } else {
            format!("cannot listen on port {}: {e}", start.port)
        };
        crate::tell!("error: {why}");
        exit.write(AppExit::from_code(2));
        return;
    }
    let started = server.start_endpoint(ServerEndpointConfiguration {
        addr_config: EndpointAddrConfiguration::from_ip(bind, start.port),
        cert_mode: CertificateRetrievalMode::LoadFromFileOrGenerateSelfSigned {
            cert_file: certificate.to_string_lossy().into_owned(),
            key_file: private_key.to_string_lossy().into_owned(),
            save_on_disk: true,
            server_hostname: start.address.clone(),
        },
        defaultables: bevy_quinnet::server::ServerEndpointConfigurationDefaultables {
            send_channels_cfg: channels.server_configs(),
        },
    });
    let certificate = match started {
        Ok(c) => c,
        Err(e) => {
            crate::tell!("error: cannot listen on port {}: {e}", start.port);
            exit.write(AppExit::from_code(2));
            return;
        }
    };
    let Some(fingerprint) = fingerprint_of(&certificate.fingerprint.to_base64()) else {
        crate::tell!("error: the host's certificate has no usable fingerprint");
        exit.write(AppExit::from_code(2));
        return;
    };
    let port = server.endpoint().local_addr().port();
    hosting.keys.remember_address(&start.address, port);
    let host = if start.address.contains(':') {
        format!("[{}]:{port}", start.address)
    } else {
        format!("{}:{port}", start.address)
    };
    let seats: Vec<String> = hosting
        .remote
        .iter()
        .map(seat_token)
        .chain((1..=hosting.observers).map(|k| format!("observer-{k}")))
        .collect();
    if let Err(e) = std::fs::create_dir_all(&start.codes) {
        crate::tell!(
            "error: cannot create the folder for the codes, {}: {e}",
            start.codes.display()
        );
        exit.write(AppExit::from_code(2));
        return;
    }
    say!(
        "Hosting \u{201c}{}\u{201d} on {host}, exercise {}; the run is saved in {}.",
        held.exercise()
            .map(|ex| ex.scenario().title.clone())
            .unwrap_or_default(),
        hosting.keys.exercise,
        hosting.record.display()
    );
    say!("Join codes (one per seat, in {}):", start.codes.display());
    for seat in &seats {
        let code: JoinCode = hosting.keys.code(seat, &host, fingerprint);
        let file = start.codes.join(format!("{seat}.code"));
        if let Err(e) = std::fs::write(&file, format!("{code}\n")) {
            crate::tell!("error: cannot write {}: {e}", file.display());
            exit.write(AppExit::from_code(2));
            return;
        }
        say!("  {seat:<12} {code}");
        hosting.codes.push((seat.clone(), code.to_string()));
    }
    if hosting.turn_when_ready {
        say!("Each turn is played as soon as every seat is connected and ready; type `play` to play on without them.");
    } else {
        say!("Type `play` to play the next turn, `status` to see who is connected and ready, `quit` to stop.");
    }
    held.save_run();
}

/// The 32 bytes of a certificate fingerprint printed in standard base64.
pub(super) fn fingerprint_of(base64_text: &str) -> Option<[u8; 32]> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(base64_text)
        .ok()?
        .try_into()
        .ok()
}

impl Hosting {
    /// The seat a code names, if it is one of this exercise's.
    fn holder_of(&self, token: &str) -> Option<Holder> {
        if let Some(k) = token.strip_prefix("observer-").and_then(|k| k.parse::<u32>().ok()) {
            return (1..=self.observers).contains(&k).then_some(Holder::Observer(k));
        }
        self.remote
            .iter()
            .find(|r| seat_token(r) == token)
            .cloned()
            .map(Holder::Seat)
    }

    /// Whether a code admits a desk, or why not.
    fn admit(&self, running: bool, version: u32, exercise: &str, token: &str, secret: &[u8]) -> Result<Holder, String> {
        if version != super::PROTOCOL_VERSION {
            return Err(format!(
                "this desk speaks version {version} of the exercise's messages and the host version {}: use the same version of Démarche",
                super::PROTOCOL_VERSION
            ));
        }
        if exercise != self.keys.exercise {
            return Err("this code is for another exercise".to_owned());
        }
        let holder = self.holder_of(token);
        if holder.is_none() || !self.keys.admits(exercise, token, secret) {
            return Err("this code is not valid for this exercise (forged or altered)".to_owned());
        }
        if !running {
            return Err("the exercise has ended: its codes no longer work".to_owned());
        }
        Ok(holder.expect("checked above"))
    }

    /// Every seat and observer with a desk, and whether it is ready.
    pub fn roll(&self) -> Vec<Attendance> {
        let connected: BTreeSet<String> = self.desks.values().map(|d| d.holder.token()).collect();
        self.remote
            .iter()
            .map(|r| Holder::Seat(r.clone()))
            .chain((1..=self.observers).map(Holder::Observer))
            .map(|h| Attendance {
                seat: h.words(),
                connected: connected.contains(&h.token()),
                ready: self.ready.contains(&h.token()),
            })
            .collect()
    }

    /// Whether every seat handed out has a desk that is ready for this step.
    fn all_ready(&self) -> bool {
        !self.remote.is_empty() && self.remote.iter().all(|r| self.ready.contains(&seat_token(r)))
    }

    /// Plays the next step, as the facilitator's "Play turn" does (the caller saves the run).
    fn play(&mut self, exercise: &mut Exercise) {
        let timings = self.timings.then(unix_millis);
        let mut played = false;
        match exercise.advance() {
            Ok(Step::Played(record)) => {
                let line = crate::exercise::SeatView::checksum_line(record.turn, record.checksum);
                say!("{line}");
                if let Some(at) = timings {
                    say!("timing: turn {} played after the last ready at {at} ms", record.turn);
                }
                played = true;
            }
            Ok(Step::Consulting(files)) => {
                say!(
                    "turn {} tabled: the Member States held are consulted on {} Council file(s)",
                    exercise.next_turn(),
                    files.len()
                );
            }
            Err(refusal) => say!("not played: {refusal}"),
        }
        // Without a window, the facilitator follows the exercise on the host's terminal, turn by
        // turn as `demarche run` prints it: injects, proposals and their fate, votes, readings.
        if played && self.stop_at_end {
            let records = exercise.simulation().records();
            if let Some((last, before)) = records.split_last() {
                let mut text = String::new();
                if !self.table_shown {
                    text.push_str(crate::outcome::table::HEADER);
                    text.push('\n');
                    self.table_shown = true;
                }
                crate::outcome::table::render_turn(&mut text, last, before.last());
                say!("{}", text.trim_end());
            }
        }
        // Readiness was for the step just played: a "ready" for the new step may come in the
        // very next message, and must not be wiped.
        self.ready.clear();
        self.ready_at = exercise.progress();
        self.dirty = true;
    }
}

fn unix_millis() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

/// A desk's connection address, for the host's log.
fn address_of(server: &QuinnetServer, networks: &Query<&NetworkId>, client: Entity) -> String {
    networks
        .get(client)
        .ok()
        .and_then(|id| server.get_endpoint()?.connection(id.get()))
        .map_or_else(|| "an unknown address".to_owned(), |c| c.remote_addr().to_string())
}

/// Readiness is for one step: when the exercise moved on (here or in the facilitator's window),
/// it is cleared and the desks are sent the new state, before this frame's messages are read.
fn track<H: HostedExercise>(mut hosting: NonSendMut<Hosting>, held: NonSend<H>) {
    let Some(ex) = held.exercise() else { return };
    let progress = ex.progress();
    if hosting.ready_at != progress {
        hosting.ready.clear();
        hosting.ready_at = progress;
        hosting.dirty = true;
    }
    let seen = (progress, ex.paused(), ex.queued().len(), ex.journal().len());
    if hosting.seen != Some(seen) {
        hosting.seen = Some(seen);
        hosting.dirty = true;
    }
}

/// What desks sent since the last frame.
fn receive<H: HostedExercise>(
    mut held: NonSendMut<H>,
    mut commands: Commands,
    mut from_desks: MessageReader<FromClient<FromDesk>>,
    mut to_desks: MessageWriter<ToClients<FromHost>>,
    mut disconnects: MessageWriter<DisconnectRequest>,
    mut hosting: NonSendMut<Hosting>,
    protocol: Res<ProtocolHash>,
    server: Res<QuinnetServer>,
    networks: Query<&NetworkId>,
) {
    let Some(exercise) = held.exercise_mut() else { return };
    let exercise_title = exercise.scenario().title.clone();
    let overdue: Vec<Entity> = hosting
        .refused
        .iter()
        .filter(|(_, at)| at.elapsed() > Duration::from_secs(5))
        .map(|(e, _)| *e)
        .collect();
    for client in overdue {
        hosting.refused.remove(&client);
        disconnects.write(DisconnectRequest { client });
    }
    let mut changed = false;
    for message in from_desks.read() {
        let Some(client) = message.client_id.entity() else {
            continue;
        };
        let send = |to: &mut MessageWriter<ToClients<FromHost>>, what: FromHost| {
            to.write(ToClients {
                targets: SendTargets::Single(ClientId::Client(client)),
                message: what,
            });
        };
        match &message.message {
            FromDesk::Hello {
                protocol: theirs,
                version,
                exercise: id,
                seat,
                secret,
            } => {
                let exercise_running = exercise.running();
                let exercise = id;
                if hosting.desks.contains_key(&client) || hosting.refused.contains_key(&client) {
                    continue;
                }
                let admitted = if theirs != &*protocol {
                    Err("this desk's version of Démarche does not speak the host's (the messages differ): use the same version".to_owned())
                } else {
                    hosting.admit(exercise_running, *version, exercise, seat, secret)
                };
                let address = address_of(&server, &networks, client);
                match admitted {
                    Err(why) => {
                        crate::tell!("refused a desk from {address} (code for \"{seat}\"): {why}");
                        send(&mut to_desks, FromHost::Refused(why));
                        // The desk closes the connection once it has read why; one that does
                        // not is closed a few seconds later.
                        hosting.refused.insert(client, Instant::now());
                    }
                    Ok(holder) => {
                        // The same code used again (a laptop restarted, another network):
                        // the newer desk takes the seat.
                        let older: Vec<Entity> = hosting
                            .desks
                            .iter()
                            .filter(|(_, d)| d.holder == holder)
                            .map(|(e, _)| *e)
                            .collect();
                        for old in older {
                            hosting.desks.remove(&old);
                            hosting.sent.remove(&old);
                            to_desks.write(ToClients {
                                targets: SendTargets::Single(ClientId::Client(old)),
                                message: FromHost::Replaced,
                            });
                            disconnects.write(DisconnectRequest { client: old });
                        }
                        say!("{} joined from {address}", holder.words());
                        commands.entity(client).insert(AuthorizedClient);
                        send(
                            &mut to_desks,
                            FromHost::Welcome {
                                seat: holder.role().cloned(),
                                title: exercise_title.clone(),
                            },
                        );
                        hosting.desks.insert(client, Desk { holder });
                        hosting.dirty = true;
                    }
                }
            }
            other => {
                // Nothing is taken from a desk that has not shown a good code.
                let Some(holder) = hosting.desks.get(&client).map(|d| d.holder.clone()) else {
                    continue;
                };
                match (other, holder) {
                    (FromDesk::Ready { at }, holder) => {
                        // Only the roll changes: the views stay as they are.
                        if *at == exercise.progress() {
                            hosting.ready.insert(holder.token());
                        }
                    }
                    (FromDesk::Note(text), Holder::Seat(role)) => {
                        let text: String = text.chars().take(super::NOTE_LIMIT).collect();
                        let author = crate::report::seat_name(&role);
                        exercise.note(&author, &text, &crate::scenario::utc_now());
                        changed = true;
                    }
                    (FromDesk::Act(action), Holder::Seat(role)) => {
                        let described = describe(action);
                        match exercise.act(&role, action.clone()) {
                            Ok(()) => {
                                // A delegation that changes its mind is deliberating again.
                                hosting.ready.remove(&seat_token(&role));
                                hosting.dirty = true;
                                changed = true;
                            }
                            Err(why) => send(
                                &mut to_desks,
                                FromHost::Rejected {
                                    action: described.to_owned(),
                                    why: why.to_string(),
                                },
                            ),
                        }
                    }
                    (FromDesk::Act(_) | FromDesk::Note(_), Holder::Observer(_)) => send(
                        &mut to_desks,
                        FromHost::Rejected {
                            action: "an action".to_owned(),
                            why: "an observer watches; it takes no part".to_owned(),
                        },
                    ),
                    (FromDesk::Hello { .. }, _) => {}
                }
            }
        }
    }
    if changed {
        held.save_run();
    }
}

/// An action in words, for a refusal (the reason names the measure).
fn describe(action: &crate::exercise::SeatAction) -> &'static str {
    use crate::exercise::SeatAction;
    match action {
        SeatAction::Propose(_) => "your proposal",
        SeatAction::Withdraw(_) => "withdrawing your proposal",
        SeatAction::Answer { .. } => "your answer",
        SeatAction::Position { .. } => "your position",
    }
}

/// A desk's connection closed (or was closed): its seat is shown disconnected.
fn desk_left(gone: On<Remove, ConnectedClient>, mut hosting: NonSendMut<Hosting>) {
    hosting.refused.remove(&gone.entity);
    if let Some(desk) = hosting.desks.remove(&gone.entity) {
        say!("{}'s desk disconnected", desk.holder.words());
        hosting.sent.remove(&gone.entity);
        hosting.dirty = true;
    }
}

/// The facilitator's commands typed on the host's terminal, and turn-when-ready.
fn facilitate<H: HostedExercise>(
    mut hosting: NonSendMut<Hosting>,
    mut held: NonSendMut<H>,
    mut exit: MessageWriter<AppExit>,
) {
    let Some(exercise) = held.exercise_mut() else { return };
    let mut changed = false;
    let lines: Vec<String> = hosting
        .console
        .lock()
        .map(|mut q| q.drain(..).collect())
        .unwrap_or_default();
    for line in lines {
        match line.trim() {
            "play" | "p" => {
                hosting.play(exercise);
                changed = true;
            }
            "status" | "s" => {
                for a in hosting.roll() {
                    let state = match (a.connected, a.ready) {
                        (false, _) => "not connected",
                        (true, false) => "deliberating",
                        (true, true) => "ready",
                    };
                    say!("  {:<32} {state}", a.seat);
                }
            }
            "quit" | "q" => {
                changed = true;
                say!("Stopped; the run is saved in {}.", hosting.record.display());
                exit.write(AppExit::Success);
            }
            "" => {}
            other => say!("\"{other}\": type play, status or quit"),
        }
    }
    let progress = exercise.progress();
    if exercise.running() && hosting.all_ready() && hosting.announced != Some(progress) {
        hosting.announced = Some(progress);
        say!("All seats are ready at step {progress}.");
        if hosting.turn_when_ready {
            hosting.play(exercise);
            changed = true;
        }
    }
    if changed {
        held.save_run();
    }
}

/// Sends each desk its view when it changed, and everyone the roll.
fn broadcast<H: HostedExercise>(
    mut hosting: NonSendMut<Hosting>,
    held: NonSend<H>,
    mut to_desks: MessageWriter<ToClients<FromHost>>,
) {
    let Some(exercise) = held.exercise() else { return };
    let roll = hosting.roll();
    let roll_changed = roll != hosting.roll_sent;
    if !hosting.dirty && !roll_changed {
        return;
    }
    let desks: Vec<(Entity, Holder)> = hosting.desks.iter().map(|(e, d)| (*e, d.holder.clone())).collect();
    // The views are worked out only when the exercise changed (or a desk joined), not when a
    // seat says it is ready: that is the roll's news alone.
    if hosting.dirty {
        hosting.dirty = false;
        let seats: Vec<Option<&Role>> = desks.iter().map(|(_, h)| h.role()).collect();
        let views = exercise.views_for(&seats);
        for ((client, _), view) in desks.iter().zip(views) {
            let first = !hosting.sent.contains_key(client);
            if hosting.sent.get(client) != Some(&view) {
                hosting.sent.insert(*client, view.clone());
                to_desks.write(ToClients {
                    targets: SendTargets::Single(ClientId::Client(*client)),
                    message: FromHost::View(Box::new(view)),
                });
            }
            if first && !roll_changed {
                to_desks.write(ToClients {
                    targets: SendTargets::Single(ClientId::Client(*client)),
                    message: FromHost::Roll(roll.clone()),
                });
            }
        }
    }
    if roll_changed {
        for (client, _) in &desks {
            to_desks.write(ToClients {
                targets: SendTargets::Single(ClientId::Client(*client)),
                message: FromHost::Roll(roll.clone()),
            });
        }
    }
    hosting.roll_sent = roll;
}

/// Once the exercise is over, every desk has been sent the end: the host stops a moment later.
fn finish<H: HostedExercise>(
    mut hosting: NonSendMut<Hosting>,
    held: NonSend<H>,
    mut exit: MessageWriter<AppExit>,
    server: Res<QuinnetServer>,
    networks: Query<&NetworkId>,
) {
    let Some(exercise) = held.exercise() else { return };
    if exercise.running() || !hosting.stop_at_end {
        return;
    }
    let turns = exercise.simulation().records().len().max(1) as u64;
    let ended = *hosting.ended.get_or_insert_with(Instant::now);
    if ended.elapsed() >= Duration::from_secs(2) {
        report_bytes(&hosting, turns, &server, &networks);
        if let Some(outcome) = exercise.simulation().outcome() {
            say!("\nOutcome: {}", outcome.summary());
        }
        say!(
            "The exercise is over; the run is saved in {}. `demarche report {}` writes its after-action report.",
            hosting.record.display(),
            hosting.record.display()
        );
        exit.write(AppExit::Success);
    }
}

/// Prints the bytes sent to each desk so far (`DEMARCHE_NET_TIMINGS=1`).
fn report_bytes(hosting: &Hosting, turns: u64, server: &QuinnetServer, networks: &Query<&NetworkId>) {
    if !hosting.timings {
        return;
    }
    let Some(endpoint) = server.get_endpoint() else { return };
    for (client, desk) in &hosting.desks {
        let Some(bytes) = networks
            .get(*client)
            .ok()
            .and_then(|id| endpoint.connection(id.get()))
            .map(|c| c.quinn_connection_stats().udp_tx.bytes)
        else {
            continue;
        };
        say!(
            "timing: {} was sent {bytes} bytes in {turns} turns ({} bytes a turn)",
            desk.holder.words(),
            bytes / turns
        );
    }
}

/// Reads the facilitator's commands from the terminal on a thread of its own (the host never
/// waits for them).
fn read_console(queue: Arc<Mutex<VecDeque<String>>>) {
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut line = String::new();
        while stdin.read_line(&mut line).is_ok_and(|n| n > 0) {
            if let Ok(mut q) = queue.lock() {
                q.push_back(line.clone());
            }
            line.clear();
        }
    });
}
