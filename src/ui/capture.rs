//! `--screenshot FILE`: renders the window for a few frames, saves a picture of it and exits.
//! This is how the window is tested the way a person sees it, under Xvfb in CI.

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use bevy::winit::WinitSettings;
use std::path::PathBuf;

/// Frames drawn before the picture: egui lays out text on the first frames and fonts load once.
const SETTLE_FRAMES: u32 = 20;
/// Frames after which the capture is abandoned as failed.
const GIVE_UP_FRAMES: u32 = 900;

/// Whether what the picture is for is on screen yet (when present: a desk waits for the host's
/// board); frames are counted from then.
#[derive(Resource)]
pub struct Ready(pub bool);

/// Where the picture goes.
#[derive(Resource)]
struct CaptureTo(PathBuf);

/// Adds the capture to the app.
pub fn plugin(path: PathBuf) -> impl Fn(&mut App) {
    move |app: &mut App| {
        // Frames must follow one another without input for the capture to happen.
        app.insert_resource(WinitSettings::continuous())
            .insert_resource(CaptureTo(path.clone()))
            .add_systems(Update, capture);
    }
}

fn capture(
    mut commands: Commands,
    to: Res<CaptureTo>,
    ready: Option<Res<Ready>>,
    mut frames: Local<u32>,
    mut waited: Local<u32>,
    mut exit: MessageWriter<AppExit>,
) {
    *waited += 1;
    if ready.is_some_and(|r| !r.0) && *waited < GIVE_UP_FRAMES {
        return;
    }
    *frames += 1;
    if *frames == SETTLE_FRAMES {
        commands
            .spawn(Screenshot::primary_window())
            .observe(save_to_disk(to.0.clone()))
            .observe(|_: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| {
                exit.write(AppExit::Success);
            });
    }
    if *frames == GIVE_UP_FRAMES {
        error!("no picture of the window after {GIVE_UP_FRAMES} frames");
        exit.write(AppExit::from_code(3));
    }
}
