//! The real window, drawn by Mesa's software renderer under Xvfb, photographed and looked at:
//! the picture must be the board, not a blank or black frame.
#![cfg(feature = "gui")]

mod common;

use common::scratch_dir;
use std::process::{Command, Output};

/// What to install when the window cannot be tested here.
const SETUP: &str = "install the system packages with scripts/setup.sh \
    (Debian/Ubuntu: apt install xvfb xauth mesa-vulkan-drivers libvulkan1; \
    Fedora: dnf install xorg-x11-server-Xvfb xorg-x11-xauth mesa-vulkan-drivers vulkan-loader)";

/// `xvfb-run` with its own display number. `xvfb-run -a` takes the first number without a lock
/// file, and two started at once (these tests run in parallel) can take the same one: the second
/// server fails, and its window knocks on the first server with the wrong cookie (CI, stop 27).
/// Each start here searches from its own number instead.
fn xvfb_run() -> Command {
    static STARTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let start = STARTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let number = 300 + (std::process::id() % 64) * 16 + start % 16;
    let mut command = Command::new("xvfb-run");
    command.args(["-a", "-n", &number.to_string(), "-s", "-screen 0 1366x768x24"]);
    command
}

/// Runs demarche with `args` on a virtual X display of a laptop's size, or fails the test with
/// what is missing.
fn under_xvfb(args: &[&std::ffi::OsStr], runs: &std::path::Path, env: &[(&str, &str)]) -> Output {
    let mut command = xvfb_run();
    command
        .arg(env!("CARGO_BIN_EXE_demarche"))
        .args(args)
        .env("DEMARCHE_RUNS", runs);
    for (key, value) in env {
        command.env(key, value);
    }
    match command.output() {
        Ok(output) => output,
        Err(why) => panic!("xvfb-run cannot be started ({why}): the window tests need it; {SETUP}"),
    }
}

/// The same, asserting that the window came up and exited cleanly; a machine without Mesa's
/// Vulkan driver is told so by demarche itself, and the test says what to install.
fn window(args: &[&std::ffi::OsStr], runs: &std::path::Path) -> Output {
    let output = under_xvfb(args, runs, &[]);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        !err.contains("No graphics driver"),
        "no Vulkan driver on this machine: {SETUP}\n{err}"
    );
    assert!(output.status.success(), "the window failed: {}\n{err}", output.status);
    output
}

fn os<'a>(args: &[&'a str]) -> Vec<&'a std::ffi::OsStr> {
    args.iter().map(|a| std::ffi::OsStr::new(*a)).collect()
}

/// The window's picture as RGB pixels, with its size.
fn read_png(path: &std::path::Path) -> (u32, u32, Vec<[u8; 3]>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(path).expect("the picture exists"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a sane size")];
    let info = reader.next_frame(&mut buf).expect("one frame");
    let channels = info.color_type.samples();
    let pixels = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    (info.width, info.height, pixels)
}

#[test]
fn the_board_after_three_turns_is_drawn_in_a_real_window() {
    let dir = scratch_dir("window-shot");
    let picture = dir.join("board.png");
    let mut args = os(&["play", "default", "--seed", "2", "--after-turns", "3", "--screenshot"]);
    args.push(picture.as_os_str());
    window(&args, &dir.join("runs"));
    let (width, height, pixels) = read_png(&picture);
    assert_eq!((width, height), (1280, 720), "the window's size");
    // Not blank: many colours, and most of the picture is not one flat colour.
    let mut colours: Vec<[u8; 3]> = pixels.clone();
    colours.sort_unstable();
    colours.dedup();
    assert!(colours.len() > 200, "only {} colours: a blank window", colours.len());
    let mut counts = std::collections::BTreeMap::new();
    for p in &pixels {
        *counts.entry(*p).or_insert(0usize) += 1;
    }
    let flat = counts.values().max().copied().unwrap_or(0) as f64 / pixels.len() as f64;
    assert!(flat < 0.8, "{:.0}% of the picture is one colour", flat * 100.0);
    // It is the board: the EU-blue "Play turn" button and the red escalation line are there.
    let near = |p: &[u8; 3], c: [u8; 3]| p.iter().zip(c).all(|(a, b)| a.abs_diff(b) <= 6);
    let blue = pixels.iter().filter(|p| near(p, [0, 51, 153])).count();
    assert!(
        blue > 500,
        "the EU-blue button and cohesion gauge are missing ({blue} pixels)"
    );
    let red = pixels.iter().filter(|p| near(p, [192, 57, 43])).count();
    assert!(red > 100, "the escalation chart is missing ({red} pixels)");
    // The run the picture shows was saved, as every run is.
    let saved = std::fs::read_dir(dir.join("runs")).expect("the runs folder").count();
    assert_eq!(saved, 1);
}

#[test]
fn a_recorded_run_opens_in_the_replay_viewer_window() {
    let dir = scratch_dir("window-viewer");
    let replay = dir.join("run.replay.ron");
    let recorded = common::demarche(&["run", "default", "--seed", "4", "--record", replay.to_str().unwrap()]);
    assert!(recorded.status.success());
    let picture = dir.join("viewer.png");
    let mut args = os(&["play", "--replay"]);
    args.extend([replay.as_os_str(), "--screenshot".as_ref(), picture.as_os_str()]);
    window(&args, &dir.join("runs"));
    let (width, height, pixels) = read_png(&picture);
    assert_eq!((width, height), (1280, 720));
    let near = |p: &[u8; 3], c: [u8; 3]| p.iter().zip(c).all(|(a, b)| a.abs_diff(b) <= 6);
    // The mark is green text in the top bar (its anti-aliased letters are mostly not the exact
    // colour, so count the pixels where green dominates); a replay that did not reproduce would
    // show its mismatch there instead.
    let top_bar = &pixels[..24 * width as usize];
    let green = top_bar
        .iter()
        .filter(|p| p[1] > p[0].saturating_add(40) && p[1] > p[2].saturating_add(25))
        .count();
    assert!(
        green > 30,
        "the viewer's \"reproduces\" mark is missing ({green} pixels)"
    );
    let red = pixels.iter().filter(|p| near(p, [192, 57, 43])).count();
    assert!(red > 100, "the escalation chart is missing ({red} pixels)");
}

#[test]
fn a_bad_seat_or_picture_path_is_refused_before_any_window_opens() {
    let out = common::demarche(&["play", "--seat", "GR", "--screenshot", "x.png"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Greece is EL"), "{err}");
    let out = common::demarche(&["play", "--screenshot", "board.jpg"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PNG"));
    let out = common::demarche(&["play", "missing.ron", "--screenshot", "x.png"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.ron"));
    let out = common::demarche(&["play", "--replay", "nowhere.replay.ron", "--screenshot", "x.png"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read nowhere.replay.ron"));
    let out = common::demarche(&["play", "--after-turns", "99", "--screenshot", "x.png"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("lasts 10 turns"));
}

/// A first start where no window can open is told what is missing and what to do, with exit
/// status 2 and no backtrace; `demarche` alone is what a newcomer types.
fn assert_explains(output: &Output, missing: &str, fix: &str) {
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains(missing), "does not say {missing:?}:\n{err}");
    assert!(err.contains(fix), "does not say {fix:?}:\n{err}");
    assert!(err.contains("demarche run default"), "no headless way out:\n{err}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "a panic:\n{err}"
    );
}

#[test]
fn with_no_display_demarche_says_so_and_how_to_play_without_one() {
    let dir = scratch_dir("no-display");
    let output = Command::new(env!("CARGO_BIN_EXE_demarche"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("DEMARCHE_RUNS", dir.join("runs"))
        .output()
        .expect("demarche starts");
    assert_explains(&output, "No display", "xvfb-run");
    // A display that was set but has gone away (Xvfb closed) is not "no display".
    let output = Command::new(env!("CARGO_BIN_EXE_demarche"))
        .env("DISPLAY", ":64997")
        .env_remove("WAYLAND_DISPLAY")
        .env("DEMARCHE_RUNS", dir.join("runs"))
        .output()
        .expect("demarche starts");
    assert_explains(&output, "no X server answers", "xvfb-run");
    // A display that answers but refuses us (no cookie for it): named, where winit would panic.
    let output = xvfb_run()
        .args(["env", "XAUTHORITY=/nonexistent/.Xauthority"])
        .arg(env!("CARGO_BIN_EXE_demarche"))
        .env("DEMARCHE_RUNS", dir.join("runs"))
        .output()
        .unwrap_or_else(|why| panic!("xvfb-run cannot be started ({why}); {SETUP}"));
    assert_explains(&output, "refuses this program", "XAUTHORITY");
    assert!(!dir.join("runs").exists(), "nothing was saved: no exercise began");
}

#[test]
fn with_no_vulkan_driver_demarche_names_the_package_to_install() {
    let dir = scratch_dir("no-vulkan");
    // The Vulkan loader looks only where these say: nowhere, as on a machine with no driver.
    let none = dir.join("no-driver.json");
    let none = none.to_str().expect("a UTF-8 path");
    let output = under_xvfb(
        &os(&["play", "default"]),
        &dir.join("runs"),
        &[("VK_ICD_FILENAMES", none), ("VK_DRIVER_FILES", none)],
    );
    assert_explains(&output, "No graphics driver", "mesa-vulkan-drivers");
}

/// The pid of the `demarche` process `xvfb-run` (pid `parent`) started.
fn child_demarche(parent: u32) -> Option<i32> {
    std::fs::read_dir("/proc")
        .ok()?
        .filter_map(Result::ok)
        .find_map(|entry| {
            let pid: i32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            // "pid (comm) state ppid ...": the name may hold spaces, so read after the last ')'.
            let (name, rest) = stat.split_once(" (")?.1.rsplit_once(") ")?;
            let ppid: u32 = rest.split_whitespace().nth(1)?.parse().ok()?;
            (name == "demarche" && ppid == parent).then_some(pid)
        })
}

#[test]
fn a_window_killed_mid_exercise_leaves_every_turn_it_played_on_disk() {
    // Hungary is held by people (so each Council file goes round the table) and "Play turn" is
    // pressed once a second through the window's own queue, as a click would. The window is
    // killed without warning once three turns are saved; the run on disk has every turn it had
    // acknowledged, and they verify checksum for checksum.
    let runs = scratch_dir("window-killed");
    let mut child = xvfb_run()
        .arg(env!("CARGO_BIN_EXE_demarche"))
        .args(["play", "default", "--seat", "HU", "--seed", "5", "--autoplay", "30"])
        .env("DEMARCHE_RUNS", &runs)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|why| panic!("xvfb-run cannot be started ({why}); {SETUP}"));
    let saved = || {
        std::fs::read_dir(&runs)
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().ends_with(".replay.ron"))
    };
    let started = std::time::Instant::now();
    let (file, acknowledged) = loop {
        if let Some(file) = saved()
            && let Ok(replay) = demarche::replay::read_replay(&file)
            && replay.turns.len() >= 3
        {
            break (file, replay);
        }
        if let Ok(Some(status)) = child.try_wait() {
            let mut err = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
            panic!("the window ended before three turns were saved ({status}): {err}");
        }
        assert!(
            started.elapsed().as_secs() < 240,
            "three turns were not saved within 4 minutes"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let pid = child_demarche(child.id()).expect("the window's process");
    let killed = Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap();
    assert!(killed.success());
    let _ = child.wait();
    let after = demarche::replay::read_replay(&file).expect("the run on disk is whole");
    assert!(after.turns.len() >= acknowledged.turns.len());
    assert_eq!(
        after.turns[..acknowledged.turns.len()],
        acknowledged.turns[..],
        "the acknowledged turns are kept as they were"
    );
    assert!(after.positions.len() >= acknowledged.positions.len());
    let scenario = after.scenario("killed run").unwrap();
    match demarche::replay::verify(&after, scenario) {
        demarche::replay::Verdict::Verified { turns, ended } => {
            assert_eq!(turns, after.turns.len());
            assert!(!ended, "the run was killed before its end");
        }
        other => panic!("the run left by a killed window does not verify: {other:?}"),
    }
    let leftovers: Vec<_> = std::fs::read_dir(&runs)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(
        leftovers.len() <= 1,
        "at most the write under way when killed: {leftovers:?}"
    );
}

/// A virtual X display of a laptop's size that this test owns (its number is known, so the test
/// can talk to the window as a desktop would); stopped when dropped.
struct Display {
    server: std::process::Child,
    name: String,
}

impl Display {
    fn start() -> Display {
        let free = (140..240)
            .find(|n| !std::path::Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
            .expect("a free display number");
        let name = format!(":{free}");
        let server = Command::new("Xvfb")
            .args([name.as_str(), "-screen", "0", "1366x768x24", "-nolisten", "tcp"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|why| panic!("Xvfb cannot be started ({why}); {SETUP}"));
        let started = std::time::Instant::now();
        while x11rb::connect(Some(&name)).is_err() {
            assert!(started.elapsed().as_secs() < 30, "Xvfb did not come up");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Display { server, name }
    }

    /// Asks every window that takes it to close, as a window manager's close button does (the
    /// ICCCM's WM_DELETE_WINDOW message): the window's own way out, not a kill. Returns how many.
    fn close_windows(&self) -> usize {
        use x11rb::connection::Connection;
        use x11rb::protocol::xproto::{AtomEnum, ClientMessageEvent, ConnectionExt, EventMask};
        let (conn, screen) = x11rb::connect(Some(&self.name)).expect("the display");
        let root = conn.setup().roots[screen].root;
        let atom = |name: &[u8]| conn.intern_atom(false, name).unwrap().reply().unwrap().atom;
        let (protocols, delete) = (atom(b"WM_PROTOCOLS"), atom(b"WM_DELETE_WINDOW"));
        let mut closed = 0;
        for window in conn.query_tree(root).unwrap().reply().unwrap().children {
            let Ok(reply) = conn
                .get_property(false, window, protocols, AtomEnum::ATOM, 0, 16)
                .unwrap()
                .reply()
            else {
                continue;
            };
            if !reply.value32().is_some_and(|mut atoms| atoms.any(|a| a == delete)) {
                continue;
            }
            let event = ClientMessageEvent::new(32, window, protocols, [delete, 0, 0, 0, 0]);
            conn.send_event(false, window, EventMask::NO_EVENT, event).unwrap();
            closed += 1;
        }
        // A round trip, so that the server has handled the messages before this connection
        // closes (a server may drop the requests of a client that has gone).
        conn.get_input_focus().unwrap().reply().unwrap();
        closed
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

#[test]
fn a_window_closed_mid_exercise_continues_where_it_was() {
    // The engine plays every seat and "Play turn" is pressed once a second through the window's
    // own queue. After two turns the window is closed as a desktop closes it; "Continue" (the
    // same intent as the button in the list of recent runs) reopens the run in the same file,
    // and the next turn is the one an uninterrupted run plays, checksum for checksum.
    let display = Display::start();
    let runs = scratch_dir("window-closed");
    let launch = |args: &[&std::ffi::OsStr]| {
        Command::new(env!("CARGO_BIN_EXE_demarche"))
            .args(args)
            .env("DISPLAY", &display.name)
            .env("DEMARCHE_RUNS", &runs)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("demarche starts")
    };
    let saved = || {
        std::fs::read_dir(&runs)
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().ends_with(".replay.ron"))
    };
    // Waits until the saved run has `turns` turns, then closes the window and waits for the
    // program to end by itself.
    let close_after = |mut child: std::process::Child, turns: usize| -> std::path::PathBuf {
        let started = std::time::Instant::now();
        let file = loop {
            if let Some(file) = saved()
                && demarche::replay::read_replay(&file).is_ok_and(|r| r.turns.len() >= turns)
            {
                break file;
            }
            if let Ok(Some(status)) = child.try_wait() {
                let mut err = String::new();
                std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
                panic!("the window ended before turn {turns} was saved ({status}): {err}");
            }
            assert!(
                started.elapsed().as_secs() < 240,
                "turn {turns} was not saved within 4 minutes"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        };
        assert_eq!(display.close_windows(), 1, "one window to close");
        let closing = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if closing.elapsed().as_secs() >= 60 {
                let _ = child.kill();
                let _ = child.wait();
                let mut err = String::new();
                std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
                panic!("the window did not close within a minute of being asked (turn {turns}): {err}");
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        };
        assert!(status.success(), "closing the window is a clean exit: {status}");
        file
    };
    let first = launch(&os(&["play", "default", "--seed", "5", "--autoplay", "30"]));
    let file = close_after(first, 2);
    let left = demarche::replay::read_replay(&file).expect("the closed run on disk is whole");
    let played = left.turns.len();
    assert!(!left.ended, "closed mid-exercise");
    let mut args = os(&["play", "--continue"]);
    args.extend([file.as_os_str(), "--autoplay".as_ref(), "1".as_ref()]);
    let second = launch(&args);
    let again = close_after(second, played + 1);
    assert_eq!(again, file, "played on in the same file");
    let files = std::fs::read_dir(&runs).unwrap().filter_map(Result::ok).count();
    assert_eq!(files, 1, "no second file");
    let continued = demarche::replay::read_replay(&file).unwrap();
    let straight = common::play(
        &common::default_scenario(),
        5,
        demarche::decisions::Policy::Proportional,
        &[],
    );
    assert_eq!(
        continued.turns[played].checksum,
        format!("{:016x}", straight.records()[played].checksum),
        "turn {} after Continue is the uninterrupted run's",
        played + 1
    );
    assert_eq!(continued.turns[..played], left.turns[..], "the turns before are kept");
}
