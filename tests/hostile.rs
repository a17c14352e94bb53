//! Hostile files and streams, as a hostile-input campaign found them: a summary whose numbers
//! overflow, a report written over a replay, a full disk behind standard output or standard
//! error, a replay that names a secret file as its parent, a link to a replay, a stream with no
//! end. Each gets a clear message and the documented exit status, never a panic, and nothing a
//! user made is lost.

mod common;

use common::{demarche, scratch_dir};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs the binary with `2>/dev/full` or `>/dev/full` through the shell.
fn shell(script: &str) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("DEMARCHE", env!("CARGO_BIN_EXE_demarche"))
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("sh runs")
}

#[test]
fn a_batch_summary_whose_counts_overflow_is_refused_not_a_panic() {
    let dir = scratch_dir("hostile-merge");
    let out = demarche(&["batch", "--seeds", "10", "--policy", "passive", "--json"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    // An outcome count at the largest number, and a block of seeds that runs past the last seed.
    let mut counts = doc.clone();
    let outcomes = &mut counts["tallies"]["policies"][0]["outcomes"];
    outcomes[0][1] = serde_json::json!(u64::MAX);
    let mut seeds = doc.clone();
    seeds["seeds"] = serde_json::json!([{"start": u64::MAX - 5, "count": 10}]);
    let mut outside = doc;
    outside["seeds"] = serde_json::json!([{"start": 1000, "count": 10}]);
    for (name, summary) in [("counts", counts), ("seeds", seeds), ("outside", outside)] {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, serde_json::to_string(&summary).unwrap()).unwrap();
        let out = demarche(&["batch", "--merge", path.to_str().unwrap()]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains("do not add up") && !err.contains("panicked"),
            "{name}: {err}"
        );
    }
}

#[test]
fn a_report_is_never_written_over_a_replay_a_scenario_or_a_device() {
    let dir = scratch_dir("hostile-report");
    let replay = dir.join("run.replay.ron");
    std::fs::copy(fixture("model-8-default.replay.ron"), &replay).unwrap();
    let before = std::fs::read(&replay).unwrap();
    let scenario = dir.join("mine.ron");
    std::fs::write(&scenario, "// a scenario being written\n").unwrap();
    let notes = dir.join("notes.txt");
    std::fs::write(&notes, "my notes\n").unwrap();
    for target in [&replay, &scenario, &notes] {
        let out = demarche(&["report", replay.to_str().unwrap(), "-o", target.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{}: {}", target.display(), stderr(&out));
    }
    assert_eq!(std::fs::read(&replay).unwrap(), before, "the replay is untouched");
    assert_eq!(
        std::fs::read_to_string(&scenario).unwrap(),
        "// a scenario being written\n"
    );
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes\n");
    let device = demarche(&["report", replay.to_str().unwrap(), "-o", "/dev/null"]);
    assert_eq!(device.status.code(), Some(2), "{}", stderr(&device));
    assert!(
        Path::new("/dev/null")
            .metadata()
            .unwrap()
            .file_type()
            .is_char_device_like()
    );
    // An earlier report is replaced, and a report through a link lands in the linked file.
    let report = dir.join("report.html");
    std::fs::write(&report, "old report").unwrap();
    let link = dir.join("latest.html");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(&report, &link).unwrap();
    let out = demarche(&["report", replay.to_str().unwrap(), "-o", link.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(),
        "the link stays a link"
    );
    assert!(std::fs::read_to_string(&report).unwrap().starts_with("<!DOCTYPE html>"));
}

/// What `std::fs::FileType` says of a character device, without the Unix extension trait in
/// every assertion.
trait DeviceLike {
    fn is_char_device_like(&self) -> bool;
}

impl DeviceLike for std::fs::FileType {
    fn is_char_device_like(&self) -> bool {
        use std::os::unix::fs::FileTypeExt;
        self.is_char_device()
    }
}

#[test]
fn output_that_cannot_be_written_is_an_error_and_a_full_stderr_is_no_panic() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    // A shard's summary on a full disk must not pass for a whole one.
    let out = shell(r#""$DEMARCHE" batch --seeds 20 --policy passive --json > /dev/full"#);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot write to standard output"),
        "{}",
        stderr(&out)
    );
    for command in ["run default --seed 1 > /dev/full", "toolbox > /dev/full"] {
        let out = shell(&format!(r#""$DEMARCHE" {command}"#));
        assert_eq!(out.status.code(), Some(2), "{command}: {}", stderr(&out));
    }
    // Standard error full: the messages are lost, the exit status is not, and nothing panics.
    let out = shell(r#""$DEMARCHE" batch --seeds 5 --policy passive > /dev/null 2> /dev/full"#);
    assert_eq!(out.status.code(), Some(0));
    let out = shell(r#""$DEMARCHE" run no/such/file.ron 2> /dev/full"#);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_replay_with_a_bad_recorded_date_or_a_change_that_is_not_a_number_is_refused() {
    let dir = scratch_dir("hostile-replay");
    let text = std::fs::read_to_string(fixture("model-8-default.replay.ron")).unwrap();
    let garbage = dir.join("garbage.replay.ron");
    std::fs::write(&garbage, text.replacen("recorded: Some(\"", "recorded: Some(\"x", 1)).unwrap();
    let out = demarche(&["report", garbage.to_str().unwrap(), "--format", "md"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is not a date"), "{}", stderr(&out));
    let nan = dir.join("nan.replay.ron");
    let facilitator =
        "facilitator: [(turn: 3, action: Posture((adversary: \"borealia\", activity: NaN, intent: inf)))],";
    std::fs::write(&nan, text.replacen("facilitator: [],", facilitator, 1)).unwrap();
    let out = demarche(&["replay", nan.to_str().unwrap(), "--verify"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("not a number"), "{}", stderr(&out));
}

#[test]
fn a_fork_naming_a_secret_file_as_its_parent_does_not_read_it_out() {
    let dir = scratch_dir("hostile-fork");
    let original = dir.join("original.replay.ron");
    std::fs::copy(fixture("model-8-default.replay.ron"), &original).unwrap();
    let fork = dir.join("fork.replay.ron");
    let _ = std::fs::remove_file(&fork);
    let out = demarche(&[
        "replay",
        original.to_str().unwrap(),
        "--until",
        "4",
        "--then-policy",
        "hawkish",
        "--record",
        fork.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let secret = dir.join("secret.ron");
    std::fs::write(&secret, "sk_live_TOKEN and more").unwrap();
    let text = std::fs::read_to_string(&fork).unwrap();
    std::fs::write(
        &fork,
        text.replacen("from: \"original.replay.ron\"", "from: \"secret.ron\"", 1),
    )
    .unwrap();
    let out = demarche(&["replay", fork.to_str().unwrap(), "--verify"]);
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(!all.contains("sk_live"), "the file's content was printed: {all}");
}

#[test]
fn a_note_through_a_link_reaches_the_replay_and_the_link_stays() {
    let dir = scratch_dir("hostile-note");
    let real = dir.join("real.replay.ron");
    std::fs::copy(fixture("model-8-default.replay.ron"), &real).unwrap();
    let link = dir.join("link.replay.ron");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let out = demarche(&["note", link.to_str().unwrap(), "--turn", "2", "kept through the link"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("kept through the link")
    );
}

#[test]
fn a_stream_longer_than_a_replay_may_be_is_refused_without_reading_it_all() {
    // Standard input has no size to check beforehand: reading stops at the limit.
    let mut child = Command::new(env!("CARGO_BIN_EXE_demarche"))
        .args(["replay", "/dev/stdin", "--verify"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        use std::io::Write;
        let block = vec![b' '; 1 << 20];
        // 80 MiB, more than the 64 a replay may have; the reader may stop early.
        for _ in 0..80 {
            if input.write_all(&block).is_err() {
                break;
            }
        }
    });
    let out = child.wait_with_output().unwrap();
    let _ = feeder.join();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("more than"), "{}", stderr(&out));
}

#[test]
fn a_scenario_saved_with_a_byte_order_mark_reads_as_without() {
    let dir = scratch_dir("hostile-bom");
    let path = dir.join("bom.ron");
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/exchange_2021.ron")).unwrap());
    std::fs::write(&path, bytes).unwrap();
    let out = demarche(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}
