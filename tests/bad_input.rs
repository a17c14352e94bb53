//! Bad scenarios get one clear message with the file, line and column, exit status 2, and never
//! a panic or a backtrace.

use std::path::PathBuf;
use std::process::Command;

fn run_on(path: &std::path::Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_demarche"))
        .args(["run".as_ref(), path.as_os_str()])
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(!stderr.contains("stack backtrace"), "backtrace: {stderr}");
    assert!(out.stdout.is_empty(), "nothing on stdout for a bad scenario");
    (out.status.code().unwrap_or(-1), stderr)
}

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("demarche-bad-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_missing_scenario_names_the_file() {
    let (code, err) = run_on(std::path::Path::new("no/such/scenario.ron"));
    assert_eq!(code, 2);
    assert!(err.contains("no/such/scenario.ron"), "{err}");
}

#[test]
fn a_syntax_error_names_file_line_and_column_and_what_was_expected() {
    let path = write(
        "syntax.ron",
        b"Scenario(\n    id: \"x\",\n    title: \"t\",\n    turns: ten,\n)",
    );
    let (code, err) = run_on(&path);
    assert_eq!(code, 2);
    let shown = format!("{}:4:", path.display());
    assert!(err.contains(&shown), "expected {shown} in: {err}");
    assert!(err.to_lowercase().contains("expected"), "{err}");
}

#[test]
fn a_missing_field_is_named() {
    let path = write(
        "missing.ron",
        b"Scenario(id: \"x\", title: \"t\", adversaries: [\"borealia\"], injects: [])",
    );
    let (code, err) = run_on(&path);
    assert_eq!(code, 2);
    assert!(err.contains("turns"), "{err}");
}

#[test]
fn binary_garbage_and_empty_files_are_refused_cleanly() {
    for (name, bytes) in [
        ("garbage.ron", &[0xff_u8, 0xfe, 0x00, 0x42, 0x9c][..]),
        ("empty.ron", &b""[..]),
    ] {
        let (code, err) = run_on(&write(name, bytes));
        assert_eq!(code, 2, "{name}");
        assert!(err.contains(name), "{name}: {err}");
    }
}

#[test]
fn deep_nesting_is_refused_without_a_stack_overflow() {
    let text = format!("Scenario(id: {}1{})", "[".repeat(100_000), "]".repeat(100_000));
    let (code, _) = run_on(&write("deep.ron", text.as_bytes()));
    assert_eq!(code, 2);
}

#[test]
fn an_unknown_member_state_is_named_with_its_inject() {
    let path = write(
        "unknown.ron",
        br#"Scenario(id: "x", title: "t", turns: 3, adversaries: ["borealia"],
            injects: [Inject(id: "i1", turn: 1, title: "t",
                incident: Some(IncidentSpec(perpetrator: "borealia", victims: ["XX"],
                    severity: (scope: 1, scale: 1, duration: 1, intensity: 1, complexity: 1, sophistication: 1, impact: 1))))])"#,
    );
    let (code, err) = run_on(&path);
    assert_eq!(code, 2);
    assert!(err.contains("i1") && err.contains("XX"), "{err}");
}

#[test]
fn an_unknown_policy_is_refused_with_the_choices() {
    let out = Command::new(env!("CARGO_BIN_EXE_demarche"))
        .args(["run", "--policy", "reckless"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("proportional"), "{err}");
}

#[test]
fn a_replay_checked_against_a_broken_scenario_says_the_scenario_given_is_at_fault() {
    let demarche = |args: &[&std::ffi::OsStr]| {
        Command::new(env!("CARGO_BIN_EXE_demarche"))
            .args(args)
            .output()
            .expect("the binary runs")
    };
    // A run is recorded under a free name only (see the next test).
    let run = write("recorded.ron", b"");
    std::fs::remove_file(&run).unwrap();
    let out = demarche(&["run".as_ref(), "--record".as_ref(), run.as_os_str()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let broken = write(
        "broken-copy.ron",
        b"Scenario(\n    id: \"x\",\n    title: \"t\",\n    turns: ten,\n)",
    );
    let out = demarche(&[
        "replay".as_ref(),
        run.as_os_str(),
        "--verify".as_ref(),
        "--scenario".as_ref(),
        broken.as_os_str(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("the scenario given with --scenario"), "{err}");
    assert!(!err.contains("give it with --scenario"), "{err}");
}

#[test]
fn a_run_is_never_recorded_over_a_file_a_user_made() {
    let demarche = |args: &[&std::ffi::OsStr]| {
        Command::new(env!("CARGO_BIN_EXE_demarche"))
            .args(args)
            .output()
            .expect("the binary runs")
    };
    // A facilitator's scenario, played and recorded by mistake under its own name.
    let text = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/exchange_2021.ron")).unwrap();
    let scenario = write("my-scenario.ron", &text);
    let out = demarche(&[
        "run".as_ref(),
        scenario.as_os_str(),
        "--record".as_ref(),
        scenario.as_os_str(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("my-scenario.ron") && err.contains("never replaces"),
        "{err}"
    );
    assert_eq!(std::fs::read(&scenario).unwrap(), text, "the scenario is as it was");
    // Another run, with an evaluator's note: kept too, by `run` and by a fork.
    let first = write("first.ron", b"");
    std::fs::remove_file(&first).unwrap();
    assert!(
        demarche(&["run".as_ref(), "--record".as_ref(), first.as_os_str()])
            .status
            .success()
    );
    let note = demarche(&[
        "note".as_ref(),
        first.as_os_str(),
        "--turn".as_ref(),
        "2".as_ref(),
        "The Presidency waited too long".as_ref(),
    ]);
    assert!(note.status.success(), "{}", String::from_utf8_lossy(&note.stderr));
    let noted = std::fs::read(&first).unwrap();
    let again = demarche(&[
        "run".as_ref(),
        "--seed".as_ref(),
        "9".as_ref(),
        "--record".as_ref(),
        first.as_os_str(),
    ]);
    assert_eq!(again.status.code(), Some(2));
    let other = write("other.ron", b"");
    std::fs::remove_file(&other).unwrap();
    assert!(
        demarche(&["run".as_ref(), "--record".as_ref(), other.as_os_str()])
            .status
            .success()
    );
    let fork = demarche(&[
        "replay".as_ref(),
        other.as_os_str(),
        "--until".as_ref(),
        "3".as_ref(),
        "--then-policy".as_ref(),
        "hawkish".as_ref(),
        "--record".as_ref(),
        first.as_os_str(),
    ]);
    assert_eq!(fork.status.code(), Some(2), "{}", String::from_utf8_lossy(&fork.stderr));
    assert_eq!(std::fs::read(&first).unwrap(), noted, "the noted run is as it was");
}
