//! The desktop window: a thin egui front end on the headless exercise.
//!
//! Screens are states ([`Screen`]), one file each under `screens/`. Panels (under `panels/`) draw
//! what they are given and return the user's intents; [`table::Table::apply`] carries the intents
//! out. Nothing here changes the simulation directly, and everything the window does can be done
//! and tested without it.
//!
//! The window redraws only on input or change (Bevy's `desktop_app` update mode), so an idle
//! exercise costs almost no processor time on a laptop without a graphics card.

mod capture;
#[cfg(feature = "net")]
pub mod desk;
mod panels;
pub mod preflight;
mod screens;
pub mod table;
mod theme;
mod timings;

pub use panels::{ConsoleDraft, Lens};
pub use table::{Intent, Source, Status, Table};

use crate::decisions::Role;
use bevy::prelude::*;
use bevy::winit::{UpdateMode, WinitSettings};
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};
use std::path::PathBuf;
use std::time::Duration;

/// The screens of the window, in the order of an exercise.
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    /// Choose a scenario, or a replay to view.
    #[default]
    Choose,
    /// Who holds which seat, and the seed.
    Seats,
    /// The situation and the objectives, before the first turn.
    Briefing,
    /// The exercise board.
    Board,
    /// The outcome, the objectives rated, the report.
    Debrief,
    /// A recorded run, turn by turn.
    Replay,
}

/// How the window was asked to run.
#[derive(Debug, Clone)]
pub struct PlayOptions {
    /// Save a picture of the window to this file and exit.
    pub screenshot: Option<PathBuf>,
    /// Press "Play turn" this many times by itself, one press a second (`--autoplay`).
    pub autoplay: u32,
    /// The window's size in logical pixels.
    pub size: (u32, u32),
    /// When the program started, and whether to measure how quick the window is
    /// (`DEMARCHE_TIMINGS=1`, see `scripts/window_timings.sh`).
    pub timings: Option<std::time::Instant>,
}

/// "Play turn" pressed by itself (`--autoplay`): the same intent a click or the Enter key puts in
/// the window's queue, once a second, for an unattended demonstration or a test of the real
/// window (a run killed mid-exercise must be found intact).
#[derive(Resource, Debug, Clone)]
struct Autoplay {
    /// Presses still to make.
    presses: u32,
    /// When the last one was made (the window's real time).
    last: Option<Duration>,
}

fn autoplay(
    time: Res<Time<Real>>,
    mut auto: ResMut<Autoplay>,
    screen: Res<State<Screen>>,
    table: NonSend<Table>,
    mut intents: MessageWriter<Intent>,
    timings: Option<Res<timings::Timings>>,
    mut exit: MessageWriter<AppExit>,
) {
    let now = time.elapsed();
    // Measuring (`DEMARCHE_TIMINGS`): once the last press is on screen, the window closes itself
    // and prints what it measured.
    if auto.presses == 0
        && timings.is_some_and(|t| t.settled())
        && auto
            .last
            .is_some_and(|last| now.saturating_sub(last) >= Duration::from_secs(1))
    {
        exit.write(AppExit::Success);
        return;
    }
    if auto.presses == 0
        || *screen.get() != Screen::Board
        || auto
            .last
            .is_some_and(|last| now.saturating_sub(last) < Duration::from_secs(1))
    {
        return;
    }
    let Some(from) = table.exercise.as_ref().map(crate::exercise::Exercise::progress) else {
        return;
    };
    auto.last = Some(now);
    auto.presses -= 1;
    intents.write(Intent::Advance { from });
}

/// What the user is preparing on screen but has not committed: form fields, selections.
#[derive(Resource, Debug, Default)]
pub struct Drafts {
    /// Scenario file path being typed.
    pub scenario_path: String,
    /// Replay file path being typed.
    pub replay_path: String,
    /// Seats ticked.
    pub seats: Vec<Role>,
    /// Seed chosen.
    pub seed: u64,
    /// Incident the proposals answer.
    pub incident: Option<String>,
    /// Member State acting for national measures, when chosen.
    pub acting: Option<String>,
    /// What the map is coloured by.
    pub lens: Lens,
    /// The facilitator's console.
    pub console: ConsoleDraft,
    /// Turn shown in the replay viewer.
    pub viewer_turn: u32,
    /// The turn whose Council votes are being revealed, and when the reveal began (egui time).
    pub vote_reveal: Option<(u32, f64)>,
    /// Whether the last frame was still revealing the turn's votes ("Play turn" waits).
    pub revealing: bool,
    /// Whether the "how to play" window is open on the board.
    pub help_open: bool,
    /// The evaluator's note being written in the replay viewer.
    pub evaluator_note: String,
    /// Whether the facilitator's console is shown; by default only to a table with a
    /// facilitator's seat, or one where the engine holds every seat.
    pub console_shown: Option<bool>,
    /// Whether the player chose the incident proposals answer (else they follow the newest).
    pub incident_pinned: bool,
    /// The turn the board showed when "Play turn" was last pressed: what surfaced after it is
    /// marked new.
    pub seen_turn: Option<u32>,
    /// Counts the runs opened in this window: panels keep their scroll positions per run.
    pub run: u32,
    /// The run whose widgets' state (scroll positions, open sections) egui holds now.
    pub drawn_run: u32,
}

impl Drafts {
    /// A new run: nothing chosen, revealed or scrolled in the last one carries over.
    pub fn new_run(&mut self) {
        self.incident = None;
        self.incident_pinned = false;
        self.acting = None;
        self.console_shown = None;
        self.vote_reveal = None;
        self.revealing = false;
        self.seen_turn = None;
        self.help_open = false;
        self.console = ConsoleDraft::default();
        self.run += 1;
    }
}

/// The window's app: the window, egui with the project's style, zoomed to the window's size. The
/// exercise window and a delegation's desk window both start from it.
fn window_app(title: String, size: (u32, u32)) -> App {
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title,
                    resolution: size.into(),
                    ..default()
                }),
                ..default()
            })
            .set(bevy::log::LogPlugin {
                // Rendering chatter (software adapter warnings) is not for diplomats.
                filter: "warn,wgpu=error,naga=error,bevy_render=error".into(),
                ..default()
            }),
    )
    .add_plugins(EguiPlugin::default())
    .insert_resource(ClearColor(Color::srgb(0.96, 0.97, 0.98)))
    .add_systems(Startup, spawn_camera)
    .add_systems(
        PreUpdate,
        drop_unchanged_modifiers
            .after(bevy_egui::EguiPreUpdateSet::ProcessInput)
            .before(bevy_egui::EguiPreUpdateSet::BeginPass),
    )
    .add_systems(
        EguiPrimaryContextPass,
        (style_once, fit_to_window).chain().in_set(Styled),
    );
    app
}

/// The window is styled and zoomed for this frame: panels draw after this.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
struct Styled;

/// Opens the window and runs until it is closed. Bad input has been refused before this.
pub fn run(table: Table, start: Screen, drafts: Drafts, options: &PlayOptions) -> AppExit {
    exercise_app(table, start, drafts, options).run()
}

/// The facilitator's window hosting a networked exercise: the board with the console, and a
/// "Delegations" window with each seat's join code and who is connected and ready. The desks'
/// moves reach the exercise of this window; its "Play turn" plays for everyone.
#[cfg(feature = "net")]
pub fn run_hosting(table: Table, setup: crate::network::host::HostSetup, options: &PlayOptions) -> AppExit {
    let mut app = exercise_app(table, Screen::Board, Drafts::default(), options);
    crate::network::network_plugins(&mut app);
    let console = std::sync::Arc::new(std::sync::Mutex::new(std::collections::VecDeque::new()));
    crate::network::host::add_host::<Table>(&mut app, setup, console, false);
    if options.screenshot.is_some() {
        // The picture waits for every delegation's desk to be connected.
        app.insert_resource(capture::Ready(false)).add_systems(
            Update,
            |hosting: NonSend<crate::network::host::Hosting>, mut ready: ResMut<capture::Ready>| {
                ready.0 = hosting.roll().iter().all(|a| a.connected);
            },
        );
    } else {
        // The desks' messages arrive without input: look for them five times a second.
        app.insert_resource(WinitSettings {
            focused_mode: UpdateMode::reactive(Duration::from_millis(200)),
            unfocused_mode: UpdateMode::reactive_low_power(Duration::from_millis(200)),
        });
    }
    app.run()
}

#[cfg(feature = "net")]
impl crate::network::host::HostedExercise for Table {
    fn exercise(&self) -> Option<&crate::exercise::Exercise> {
        self.exercise.as_ref()
    }

    fn exercise_mut(&mut self) -> Option<&mut crate::exercise::Exercise> {
        self.exercise.as_mut()
    }

    fn save_run(&mut self) {
        self.save();
    }
}

/// The exercise window's app, ready to run.
fn exercise_app(table: Table, start: Screen, drafts: Drafts, options: &PlayOptions) -> App {
    let title = table.title();
    let mut app = window_app(title, options.size);
    app
        // Redraw on input or change only: an idle window must cost almost nothing. Nothing on the
        // board changes by itself, so without input one frame a minute is plenty.
        .insert_resource(WinitSettings {
            focused_mode: UpdateMode::reactive(Duration::from_secs(60)),
            unfocused_mode: UpdateMode::reactive_low_power(Duration::from_secs(60)),
        })
        .insert_non_send(table)
        .insert_resource(drafts)
        .insert_state(start)
        .add_message::<Intent>()
        .configure_sets(EguiPrimaryContextPass, Styled.before(screens::Drawn))
        .add_systems(
            Update,
            (follow_dropped_files, reload_on_focus, apply_intents, name_window).chain(),
        );
    app.add_plugins(screens::plugin);
    if let Some(path) = &options.screenshot {
        app.add_plugins(capture::plugin(path.clone()));
    }
    if let Some(launched) = options.timings {
        app.insert_resource(timings::Timings::new(launched))
            .add_systems(Update, timings::note_presses.before(apply_intents))
            .add_systems(Last, (timings::end_frame, timings::report).chain());
    }
    if options.autoplay > 0 {
        // Nobody touches the window: it must update by itself to press the button.
        app.insert_resource(WinitSettings::continuous())
            .insert_resource(Autoplay {
                presses: options.autoplay,
                last: None,
            })
            .add_systems(Update, autoplay.before(apply_intents));
    }
    app
}

fn spawn_camera(mut commands: Commands) {
    commands.spawn(Camera2d);
}

/// Fonts and colours, set on the first frame the egui context exists.
fn style_once(mut contexts: EguiContexts, mut done: Local<bool>) -> Result {
    if !*done {
        theme::apply(contexts.ctx_mut()?);
        *done = true;
    }
    Ok(())
}

/// The window size the board is laid out for at a zoom of 1, in logical pixels.
const DESIGN_SIZE: (f32, f32) = (1400.0, 790.0);

/// The zoom of the whole interface for a window of this logical size: the board laid out for
/// [`DESIGN_SIZE`] shrinks to fit a 1024×600 netbook and grows on a large screen, in steps of
/// 5% so that a window being dragged does not rebuild the fonts at every pixel. The window's own
/// scale factor (a high-density screen) comes on top, as egui applies it.
pub fn zoom_for(width: f32, height: f32) -> f32 {
    let fit = (width / DESIGN_SIZE.0).min(height / DESIGN_SIZE.1).clamp(0.7, 1.25);
    (fit * 20.0).floor() / 20.0
}

/// Zooms the interface to the window's size when it changes.
fn fit_to_window(mut contexts: EguiContexts, windows: Query<&Window, With<bevy::window::PrimaryWindow>>) -> Result {
    let Ok(window) = windows.single() else {
        return Ok(());
    };
    let zoom = zoom_for(window.width(), window.height());
    let ctx = contexts.ctx_mut()?;
    if (ctx.zoom_factor() - zoom).abs() > f32::EPSILON {
        ctx.set_zoom_factor(zoom);
    }
    Ok(())
}

/// Carries out the intents of this frame and moves to the screen they lead to.
fn apply_intents(
    mut intents: MessageReader<Intent>,
    mut table: NonSendMut<Table>,
    mut drafts: ResMut<Drafts>,
    mut next: ResMut<NextState<Screen>>,
    mut exit: MessageWriter<AppExit>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
) {
    if !intents.is_empty() {
        // The next screen, or the board after a turn, must be drawn without waiting for input.
        redraw.write(bevy::window::RequestRedraw);
    }
    let now = crate::scenario::utc_now();
    for intent in intents.read() {
        if *intent == Intent::Quit {
            table.save();
            exit.write(AppExit::Success);
            continue;
        }
        if let Intent::Branch(_) | Intent::Start { .. } | Intent::Continue(_) = intent {
            drafts.new_run();
        }
        if let Intent::Advance { .. } = intent {
            // What surfaces from here on is new to the table.
            drafts.seen_turn = table.exercise.as_ref().map(|ex| ex.board().turn);
        }
        if let Some(screen) = table.apply(intent.clone(), &now) {
            if screen == Screen::Replay {
                drafts.viewer_turn = table.viewer.as_ref().map_or(0, |v| v.last_turn());
            }
            next.set(screen);
        }
    }
}

/// A scenario or replay dropped onto the window is opened.
fn follow_dropped_files(mut dropped: MessageReader<bevy::window::FileDragAndDrop>, mut intents: MessageWriter<Intent>) {
    for event in dropped.read() {
        if let bevy::window::FileDragAndDrop::DroppedFile { path_buf, .. } = event {
            let name = path_buf.to_string_lossy();
            if name.ends_with(".replay.ron") {
                intents.write(Intent::OpenReplay(path_buf.clone()));
            } else {
                intents.write(Intent::ChooseScenario(Source::File(path_buf.clone())));
            }
        }
    }
}

/// Coming back to the window after editing the scenario file reloads it, while seats are being
/// chosen or the briefing read: a facilitator sees an edit without restarting anything.
fn reload_on_focus(
    mut focus: MessageReader<bevy::window::WindowFocused>,
    screen: Res<State<Screen>>,
    mut intents: MessageWriter<Intent>,
) {
    let regained = focus.read().any(|f| f.focused);
    if regained && matches!(screen.get(), Screen::Seats | Screen::Briefing) {
        intents.write(Intent::Reload);
    }
}

/// The window title names the scenario (or the replay) open.
fn name_window(table: NonSend<Table>, mut window: Single<&mut Window>) {
    let title = table.title();
    if window.title != title {
        window.title = title;
    }
}

/// Sends this frame's intents, and asks for the frames that carry them out: the window only
/// draws on input, and an intent's effect shows one frame later.
fn submit(ctx: &egui::Context, writer: &mut MessageWriter<Intent>, out: Vec<Intent>) {
    if !out.is_empty() {
        writer.write_batch(out);
        ctx.request_repaint();
    }
}

/// What a screen shows when what it needs is not open (for the frame between an intent that
/// closes it and the move to the next screen, or after a failure): a way back, never a jump.
fn nothing_open(ctx: &egui::Context, writer: &mut MessageWriter<Intent>) {
    let mut root = root_ui(ctx);
    let mut out = Vec::new();
    egui::CentralPanel::default().show(&mut root, |ui| {
        ui.label("Nothing is open on this screen.");
        if ui.button("Choose an exercise").clicked() {
            out.push(Intent::Goto(Screen::Choose));
        }
    });
    submit(ctx, writer, out);
}

/// The root area to lay panels in.
fn root_ui(ctx: &egui::Context) -> egui::Ui {
    egui::Ui::new(
        ctx.clone(),
        "root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    )
}

/// The status line at the bottom of every screen.
fn status_bar(ui: &mut egui::Ui, table: &Table) {
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| match &table.status {
            Some(status) if status.error => {
                // A checker's report runs to many lines: the first here, the whole on hover (and
                // in full on the scenario screen).
                let first = status.text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
                ui.label(egui::RichText::new(first).color(theme::DANGER))
                    .on_hover_text(egui::RichText::new(&status.text).monospace());
            }
            Some(status) => {
                ui.label(&status.text);
            }
            None => {
                let saved = table
                    .saved_to
                    .as_ref()
                    .map(|p| format!("Run saved after every change to {}", p.display()))
                    .unwrap_or_default();
                ui.label(egui::RichText::new(saved).small().color(theme::MUTED));
            }
        });
    });
}

/// bevy_egui 0.42 tells egui the keyboard modifiers on every frame, and egui takes any event as a
/// reason to draw the next frame at once: the window would redraw forever, at full processor
/// use. Only a real change of modifiers is passed on, so an idle window stays idle.
fn drop_unchanged_modifiers(mut inputs: Query<&mut bevy_egui::EguiInput>, mut last: Local<Option<egui::Modifiers>>) {
    for mut input in &mut inputs {
        input.events.retain(|event| match event {
            egui::Event::ModifiersChanged(now) if *last == Some(*now) => false,
            egui::Event::ModifiersChanged(now) => {
                *last = Some(*now);
                true
            }
            _ => true,
        });
    }
}
