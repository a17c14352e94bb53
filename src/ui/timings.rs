//! How quick the window is, measured from inside it (`DEMARCHE_TIMINGS=1`, read by
//! `scripts/window_timings.sh`): the time from launch to the first frame on screen, the time a
//! frame takes to draw (what a click waits for before its effect shows), and the time from
//! "Play turn" to the frame that shows the turn. Printed to standard error when the window
//! closes; nothing is measured otherwise.
//!
//! Rendering is pipelined: the frame the schedule prepares is drawn while the next one is
//! prepared, so a change is on screen at the end of the frame after the one that made it.

use super::table::Intent;
use bevy::prelude::*;
use std::time::{Duration, Instant};

/// What was measured so far.
#[derive(Resource, Debug)]
pub struct Timings {
    /// When the program started.
    launched: Instant,
    /// When the last frame ended.
    last_frame: Option<Instant>,
    /// Frames ended so far.
    frames: u32,
    /// From launch to the first frame on screen.
    first_frame: Option<Duration>,
    /// Each frame's duration, the first ones (start-up) left out.
    frame_times: Vec<Duration>,
    /// A "Play turn" pressed: when, and how many frames have ended since.
    turn_pressed: Option<(Instant, u32)>,
    /// From "Play turn" to the frame that shows the turn.
    turn_times: Vec<Duration>,
}

impl Timings {
    /// Starts measuring from `launched`, the program's start.
    pub fn new(launched: Instant) -> Self {
        Self {
            launched,
            last_frame: None,
            frames: 0,
            first_frame: None,
            frame_times: Vec::new(),
            turn_pressed: None,
            turn_times: Vec::new(),
        }
    }
}

impl Timings {
    /// Whether no turn is waiting to be shown.
    pub fn settled(&self) -> bool {
        self.turn_pressed.is_none()
    }
}

/// Notes a "Play turn" as it is read, before it is carried out.
pub(super) fn note_presses(mut intents: MessageReader<Intent>, timings: Option<ResMut<Timings>>) {
    let Some(mut timings) = timings else { return };
    if intents.read().any(|i| matches!(i, Intent::Advance { .. })) && timings.turn_pressed.is_none() {
        timings.turn_pressed = Some((Instant::now(), 0));
    }
}

/// Ends a frame: its duration, the first frame, and a turn that is now on screen.
pub(super) fn end_frame(timings: Option<ResMut<Timings>>) {
    let Some(mut timings) = timings else { return };
    let now = Instant::now();
    timings.frames += 1;
    // The second frame to end is the first one drawn on screen.
    if timings.frames == 2 {
        timings.first_frame = Some(now - timings.launched);
    }
    if let Some(last) = timings.last_frame
        && timings.frames > 5
    {
        timings.frame_times.push(now - last);
    }
    timings.last_frame = Some(now);
    if let Some((pressed, frames)) = timings.turn_pressed {
        if frames + 1 >= 2 {
            timings.turn_times.push(now - pressed);
            timings.turn_pressed = None;
        } else {
            timings.turn_pressed = Some((pressed, frames + 1));
        }
    }
}

/// Prints what was measured when the window closes.
pub(super) fn report(mut exits: MessageReader<AppExit>, timings: Option<Res<Timings>>) {
    let Some(timings) = timings else { return };
    if exits.read().next().is_none() {
        return;
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = |v: &[Duration]| {
        let mut v: Vec<f64> = v.iter().map(|d| ms(*d)).collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied()
    };
    crate::tell!(
        "timings: first frame {} ms after launch; a frame (what a click waits for) median {} ms over {}; a turn median {} ms over {}",
        timings.first_frame.map_or("-".to_owned(), |d| format!("{:.0}", ms(d))),
        median(&timings.frame_times).map_or("-".to_owned(), |v| format!("{v:.1}")),
        timings.frame_times.len(),
        median(&timings.turn_times).map_or("-".to_owned(), |v| format!("{v:.0}")),
        timings.turn_times.len()
    );
}
