//! The networked exercise, played for real on the loopback: a headless host and headless
//! delegations' desks as separate programs, as a facilitator and the delegations run them.

#![cfg(feature = "net")]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_demarche");

/// A folder of its own for each test, removed at the end.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("demarche-net-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running program whose standard output is read line by line as it comes.
struct Running {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    fn start(dir: &Path, args: &[&str]) -> Running {
        Self::spawn(dir, args, Stdio::null())
    }

    /// Started with a terminal the test types into (the facilitator's console).
    fn typed(dir: &Path, args: &[&str]) -> Running {
        Self::spawn(dir, args, Stdio::piped())
    }

    fn type_line(&mut self, line: &str) {
        use std::io::Write;
        let stdin = self.child.stdin.as_mut().expect("started with `typed`");
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
    }

    /// The facilitator plays each step once every seat is ready, until turn `until` is played.
    fn play_until(&mut self, until: u32) {
        let mut last: i64 = -1;
        let done = format!("turn {until} checksum");
        while !self.seen.iter().any(|l| l.starts_with(&done)) {
            let line = self.wait_for_after("All seats are ready at step ", last);
            last = line.trim_end_matches('.').rsplit(' ').next().unwrap().parse().unwrap();
            self.type_line("play");
            let deadline = Instant::now() + Duration::from_secs(60);
            // The step is played (or the turn is) before the next "ready" can come.
            while Instant::now() < deadline
                && !self.seen.iter().any(|l| {
                    l.starts_with(&done)
                        || l.contains(&format!("step {}", last + 1))
                        || l.contains(&format!("step {}", last + 2))
                })
            {
                if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(100)) {
                    self.seen.push(line);
                }
            }
        }
    }

    /// Waits for a line `prefix K` with K greater than `after`.
    fn wait_for_after(&mut self, prefix: &str, after: i64) -> String {
        let newer = |l: &String| {
            l.starts_with(prefix)
                && l[prefix.len()..]
                    .trim_end_matches('.')
                    .parse::<i64>()
                    .is_ok_and(|k| k > after)
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(line) = self.seen.iter().find(|l| newer(l)) {
                return line.clone();
            }
            assert!(
                Instant::now() < deadline,
                "no \"{prefix}\" after {after}; saw:\n{}",
                self.seen.join("\n")
            );
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(100)) {
                self.seen.push(line);
            }
        }
    }

    fn spawn(dir: &Path, args: &[&str], stdin: Stdio) -> Running {
        let mut child = Command::new(BIN)
            .args(args)
            .current_dir(dir)
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the program starts");
        let (send, lines) = channel();
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        let send_err = send.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = send_err.send(format!("stderr: {line}"));
            }
        });
        Running {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a line containing `text` (at most a minute), and returns it.
    fn wait_for(&mut self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        if let Some(line) = self.seen.iter().find(|l| l.contains(text)) {
            return line.clone();
        }
        while Instant::now() < deadline {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(100)) {
                self.seen.push(line.clone());
                if line.contains(text) {
                    return line;
                }
            }
        }
        panic!(
            "no line with \"{text}\" within a minute; saw:\n{}",
            self.seen.join("\n")
        );
    }

    /// Waits for the program to end (at most two minutes) and returns its status and output.
    fn finish(mut self) -> (i32, Vec<String>) {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The reader threads end with the program's output.
                std::thread::sleep(Duration::from_millis(100));
                self.seen.extend(self.lines.try_iter());
                return (status.code().unwrap_or(-1), self.seen);
            }
            self.seen.extend(self.lines.try_iter());
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!(
                    "the program did not end within two minutes; saw:\n{}",
                    self.seen.join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `turn N checksum X` lines of a program's output.
fn checksums(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| l.starts_with("turn ") && l.contains(" checksum "))
        .cloned()
        .collect()
}

/// Hosts the default scenario with the High Representative and Hungary at their own desks,
/// playing each step when both are ready.
fn host(dir: &Path, port: &str, extra: &[&str]) -> Running {
    let mut args = hosting(port);
    args.push("--turn-when-ready");
    args.extend_from_slice(extra);
    let mut host = Running::start(dir, &args);
    host.wait_for("  HU ");
    host
}

/// The host's command line, without `--turn-when-ready`.
fn hosting(port: &str) -> Vec<&str> {
    vec![
        "host",
        "--headless",
        "--seat",
        "hrvp",
        "--seat",
        "HU",
        "--port",
        port,
        "--address",
        "127.0.0.1",
        "--record",
        "run.replay.ron",
        "--codes",
        "codes",
    ]
}

/// The High Representative proposes a declaration on turn 2; Hungary objects to it from turn 1.
fn hrvp(dir: &Path) -> Running {
    Running::start(
        dir,
        &["join", "codes/hrvp.code", "--headless", "--propose", "2:eu_declaration"],
    )
}

fn hungary(dir: &Path, extra: &[&str]) -> Running {
    let mut args = vec![
        "join",
        "codes/HU.code",
        "--headless",
        "--position",
        "1:eu_declaration:object:cannot-support",
    ];
    args.extend_from_slice(extra);
    Running::start(dir, &args)
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).args(args).current_dir(dir).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn two_delegations_play_a_whole_exercise_and_the_objection_blocks_the_declaration() {
    let scratch = Scratch::new("whole");
    let dir = &scratch.0;
    let host = host(dir, "0", &[]);
    let hr = hrvp(dir);
    let hu = hungary(dir, &["--trace", "hu.trace"]);
    let (hr_status, hr_lines) = hr.finish();
    let (hu_status, hu_lines) = hu.finish();
    let (host_status, host_lines) = host.finish();
    assert_eq!(
        (host_status, hr_status, hu_status),
        (0, 0, 0),
        "host:\n{}\nhrvp:\n{}\nHU:\n{}",
        host_lines.join("\n"),
        hr_lines.join("\n"),
        hu_lines.join("\n")
    );
    let played = checksums(&host_lines);
    assert_eq!(played.len(), 10, "ten turns: {host_lines:?}");
    assert_eq!(
        checksums(&hr_lines),
        played,
        "the High Representative's desk saw the host's run"
    );
    assert_eq!(checksums(&hu_lines), played, "Hungary's desk saw the host's run");
    // Without a window, the facilitator follows the exercise on the host's terminal: each
    // turn's proposals and their fate, and the outcome.
    let terminal = host_lines.join("\n");
    assert!(
        terminal.contains("measure  eu_declaration") && terminal.contains("Outcome: "),
        "the host's terminal shows the exercise:\n{terminal}"
    );

    // The run the host recorded verifies, and tells who did what.
    let (verified, out, err) = run(dir, &["replay", "run.replay.ron", "--verify"]);
    assert_eq!(verified, 0, "{out}{err}");
    let recorded = std::fs::read_to_string(dir.join("run.replay.ron")).unwrap();
    assert!(
        recorded.contains("by: Some(HighRepresentative)"),
        "the proposal records its seat"
    );
    let (status, report, err) = run(dir, &["report", "run.replay.ron", "--format", "md"]);
    assert_eq!(status, 0, "{err}");
    assert!(
        report.contains("players (High Representative (EEAS))"),
        "the proposal is the High Representative's:\n{report}"
    );
    assert!(report.contains("Hungary blocked"), "Hungary's conduct:\n{report}");
    // The Presidency's sounding meets Hungary's objection: the declaration is held, then withdrawn.
    let line = report
        .lines()
        .find(|l| l.contains("Declaration") && l.contains("Hungary objects"))
        .unwrap_or_else(|| panic!("Hungary's objection to the declaration:\n{report}"));
    assert!(line.contains("its government cannot support it"), "{line}");
    assert!(
        line.contains("withdrawn"),
        "the objection blocks the declaration: {line}"
    );

    // What Hungary's desk received: never the facilitator's pool, never the true perpetrator.
    let trace = std::fs::read_to_string(dir.join("hu.trace")).unwrap();
    assert!(trace.contains("View("), "the trace holds what was received");
    for secret in [
        "press_leak",
        "A newspaper publishes a leaked national assessment",
        "copycat",
        // The scenario's fields for who really did it (the Toolbox's own words may say that a
        // statement "names a perpetrator").
        "perpetrator: ",
        "false_flag",
        "expected_action",
        "Agree a common line",
    ] {
        assert!(!trace.contains(secret), "Hungary's desk was sent \"{secret}\"");
    }
}

#[test]
fn forged_and_foreign_codes_are_refused_and_the_exercise_goes_on() {
    let scratch = Scratch::new("forged");
    let dir = &scratch.0;
    let mut host = host(dir, "0", &[]);
    let good = std::fs::read_to_string(dir.join("codes/hrvp.code")).unwrap();
    let good = good.trim();

    // Hungary's code with the High Representative's seat written in: the secret gives it away.
    let hu = std::fs::read_to_string(dir.join("codes/HU.code")).unwrap();
    let altered = hu.trim().replacen("/HU/", "/hrvp/", 1);
    let (status, _, err) = run(dir, &["join", &altered, "--headless"]);
    assert_eq!(status, 3, "{err}");
    assert!(err.contains("forged or altered"), "{err}");
    host.wait_for("refused a desk");

    // A made-up secret.
    let (head, _) = good.rsplit_once('/').unwrap();
    let forged = format!("{head}/AAAAAAAAAAAAAAAAAAAAAA");
    let (status, _, err) = run(dir, &["join", &forged, "--headless"]);
    assert_eq!((status, err.contains("forged or altered")), (3, true), "{err}");

    // A code of another exercise (another host's), sent to this host: refused as such.
    let other_dir = dir.join("other");
    std::fs::create_dir_all(&other_dir).unwrap();
    let other = {
        let mut other_host = Running::start(
            &other_dir,
            &[
                "host",
                "--headless",
                "--seat",
                "hrvp",
                "--port",
                "0",
                "--address",
                "127.0.0.1",
                "--record",
                "other.replay.ron",
                "--codes",
                "codes",
            ],
        );
        other_host.wait_for("  hrvp ");
        let text = std::fs::read_to_string(other_dir.join("codes/hrvp.code")).unwrap();
        other_host.kill();
        text.trim().to_owned()
    };
    // Its exercise and secret, with this host's address and certificate (as someone holding
    // one code of each would write it).
    let mine: Vec<&str> = good.split('/').collect();
    let theirs: Vec<&str> = other.split('/').collect();
    let foreign = [mine[0], mine[1], mine[2], theirs[3], mine[4], theirs[5]].join("/");
    let (status, _, err) = run(dir, &["join", &foreign, "--headless"]);
    assert_eq!((status, err.contains("another exercise")), (3, true), "{err}");
    // And as written: the other host's certificate is not this one's, wherever it points.
    let misdirected = [theirs[0], theirs[1], mine[2], theirs[3], theirs[4], theirs[5]].join("/");
    let (status, _, err) = run(dir, &["join", &misdirected, "--headless"]);
    assert_eq!(
        (status, err.contains("not the one this code was made for")),
        (3, true),
        "{err}"
    );

    // The exercise goes on with the real delegations.
    let (hr, hu) = (hrvp(dir), hungary(dir, &[]));
    let (hr_status, hr_lines) = hr.finish();
    let (hu_status, _) = hu.finish();
    let (host_status, host_lines) = host.finish();
    assert_eq!((host_status, hr_status, hu_status), (0, 0, 0), "{host_lines:?}");
    assert_eq!(checksums(&hr_lines).len(), 10);
}

#[test]
fn a_desk_killed_mid_run_rejoins_and_a_restarted_host_resumes_with_the_same_checksums() {
    // The run without incident, for reference.
    let scratch = Scratch::new("faults");
    let reference = {
        let dir = scratch.0.join("reference");
        std::fs::create_dir_all(&dir).unwrap();
        let host = host(&dir, "0", &[]);
        let (hr, hu) = (hrvp(&dir), hungary(&dir, &[]));
        let (_, _) = hr.finish();
        let (_, _) = hu.finish();
        let (status, lines) = host.finish();
        assert_eq!(status, 0);
        checksums(&lines)
    };
    assert_eq!(reference.len(), 10);

    let dir = &scratch.0;
    // The facilitator plays each step from the host's terminal.
    let mut host1 = Running::typed(dir, &hosting("0"));
    host1.wait_for("  HU ");
    let code = std::fs::read_to_string(dir.join("codes/HU.code")).unwrap();
    let port = code.split('/').nth(2).unwrap().rsplit_once(':').unwrap().1.to_owned();
    let mut hr = hrvp(dir);
    let mut hu = hungary(dir, &[]);
    // Hungary's laptop dies after turn 2; its desk is opened again with the same code.
    host1.play_until(2);
    hu.wait_for("turn 2 checksum");
    hu.kill();
    host1.wait_for("Hungary's desk disconnected");
    let mut hu = hungary(dir, &[]);
    hu.wait_for("Joined");
    // The host is closed after turn 5 and started again on its replay.
    host1.play_until(5);
    hr.wait_for("turn 5 checksum");
    host1.kill();
    let mut host2 = Running::start(
        dir,
        &[
            "host",
            "--headless",
            "--resume",
            "run.replay.ron",
            "--port",
            &port,
            "--address",
            "127.0.0.1",
            "--codes",
            "codes",
            "--turn-when-ready",
        ],
    );
    host2.wait_for("Join codes");
    let (hr_status, hr_lines) = hr.finish();
    let (hu_status, hu_lines) = hu.finish();
    let (host_status, host_lines) = host2.finish();
    assert_eq!(
        (host_status, hr_status, hu_status),
        (0, 0, 0),
        "{host_lines:?}\n{hr_lines:?}\n{hu_lines:?}"
    );
    assert_eq!(
        checksums(&hr_lines),
        reference,
        "the High Representative saw the uninterrupted run"
    );
    assert_eq!(checksums(&hu_lines), reference, "Hungary's second desk saw it too");
    let resumed = checksums(&host_lines);
    assert_eq!(
        resumed[..],
        reference[5..],
        "the restarted host played turns 6 to 10 as the run without incident"
    );
    let (verified, out, err) = run(dir, &["replay", "run.replay.ron", "--verify"]);
    assert_eq!(verified, 0, "{out}{err}");
}
