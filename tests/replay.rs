//! Replays prove a run reproduces: a recorded run verifies; one altered decision or checksum
//! fails naming the turn; a changed scenario says so first; a fork shares the turns before it.

mod common;

use common::{demarche, scratch_dir};

use std::path::{Path, PathBuf};
use std::process::Output;

fn dir() -> PathBuf {
    scratch_dir("replay")
}

fn record(name: &str, extra: &[&str]) -> PathBuf {
    let path = dir().join(name);
    let mut args = vec!["run", "--record", path.to_str().unwrap()];
    if !extra.contains(&"--seed") {
        args.extend(["--seed", "7"]);
    }
    args.extend_from_slice(extra);
    let out = demarche(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    path
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn verify(path: &Path) -> Output {
    demarche(&["replay", path.to_str().unwrap(), "--verify"])
}

#[test]
fn a_recorded_run_verifies() {
    for policy in ["restraint", "proportional", "hawkish"] {
        let path = record(&format!("{policy}.ron"), &["--policy", policy]);
        let out = verify(&path);
        assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
        assert!(stdout(&out).contains("verified"), "{}", stdout(&out));
    }
}

#[test]
fn one_altered_decision_fails_naming_the_turn() {
    let path = record("decision.ron", &["--policy", "proportional"]);
    let text = std::fs::read_to_string(&path).unwrap();
    let replay = demarche::replay::Replay::from_ron("r", &text).unwrap();
    // Alter the first decision after turn 1 to another measure.
    let index = replay
        .decisions
        .iter()
        .position(|d| d.turn >= 2)
        .expect("a decision after turn 1");
    let turn = replay.decisions[index].turn;
    let mut altered = replay.clone();
    altered.decisions[index].decision.measure = "hr_statement".into();
    let bad = dir().join("decision-altered.ron");
    std::fs::write(&bad, altered.to_ron()).unwrap();
    let out = verify(&bad);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains(&format!("at turn {turn} (proposals)")),
        "{}",
        stdout(&out)
    );
}

#[test]
fn one_altered_checksum_fails_naming_the_turn() {
    let path = record("checksum.ron", &[]);
    let mut replay = demarche::replay::Replay::from_ron("r", &std::fs::read_to_string(&path).unwrap()).unwrap();
    replay.turns[5].checksum = "0123456789abcdef".into();
    let bad = dir().join("checksum-altered.ron");
    std::fs::write(&bad, replay.to_ron()).unwrap();
    let out = verify(&bad);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("at turn 6 (checksum)"), "{}", stdout(&out));
    assert!(stdout(&out).contains("recorded 0123456789abcdef"), "{}", stdout(&out));
}

#[test]
fn an_altered_perceived_resolve_fails_naming_it() {
    let path = record("resolve.ron", &[]);
    let mut replay = demarche::replay::Replay::from_ron("r", &std::fs::read_to_string(&path).unwrap()).unwrap();
    replay.turns[2].perceived_resolve += 0.1;
    let bad = dir().join("resolve-altered.ron");
    std::fs::write(&bad, replay.to_ron()).unwrap();
    let out = verify(&bad);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("at turn 3 (perceived resolve)"), "{text}");
    assert!(text.contains("recorded 0."), "{text}");
}

#[test]
fn a_replay_carries_its_scenario_and_verifies_anywhere() {
    let scenario = dir().join("scenario.ron");
    std::fs::write(&scenario, demarche::scenario::DEFAULT_SCENARIO).unwrap();
    let path = dir().join("scenario-run.ron");
    let out = demarche(&["run", scenario.to_str().unwrap(), "--record", path.to_str().unwrap()]);
    assert!(out.status.success());
    // The facilitator edits the scenario afterwards, then moves it away: the replay still
    // verifies and reports, from another directory, with what it was played on.
    let edited = demarche::scenario::DEFAULT_SCENARIO.replace("turns: 10,", "turns: 11,");
    std::fs::write(&scenario, &edited).unwrap();
    std::fs::remove_file(&scenario).unwrap();
    let elsewhere = common::scratch_dir("replay-elsewhere");
    let run_in = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_demarche"))
            .args(args)
            .current_dir(&elsewhere)
            .output()
            .unwrap()
    };
    let out = run_in(&["replay", path.to_str().unwrap(), "--verify"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    let report = elsewhere.join("report.html");
    let out = run_in(&["report", path.to_str().unwrap(), "-o", report.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // Checked against a given file, the edited scenario is named as not the one played.
    let given = dir().join("edited.ron");
    std::fs::write(&given, &edited).unwrap();
    let out = demarche(&[
        "replay",
        path.to_str().unwrap(),
        "--verify",
        "--scenario",
        given.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with(&format!(
            "{}: the scenario given with --scenario is not the one",
            path.display()
        )),
        "{}",
        stdout(&out)
    );
    // Editing the scenario inside the replay is tampering.
    let text = std::fs::read_to_string(&path).unwrap();
    let tampered = dir().join("tampered-scenario.ron");
    std::fs::write(&tampered, text.replacen("Shattered Ledger", "Shattered Ledgers", 1)).unwrap();
    let out = verify(&tampered);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("has been altered"), "{}", stdout(&out));
}

#[test]
fn a_replay_of_another_model_version_is_refused_as_such() {
    let path = record("model.ron", &[]);
    let text = std::fs::read_to_string(&path).unwrap();
    let current = format!("model: {},", demarche::MODEL_VERSION);
    assert!(text.contains(&current));
    let older = dir().join("older-model.ron");
    std::fs::write(
        &older,
        text.replacen(&current, &format!("model: {},", demarche::MODEL_VERSION - 1), 1),
    )
    .unwrap();
    for args in [
        vec!["replay", older.to_str().unwrap(), "--verify"],
        vec!["report", older.to_str().unwrap()],
    ] {
        let out = demarche(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {err}");
        assert!(err.contains("an older model"), "{err}");
        assert!(err.contains(&format!("version {}", demarche::MODEL_VERSION)), "{err}");
    }
}

#[test]
fn a_fork_at_turn_3_keeps_turns_1_to_3_and_then_goes_its_own_way() {
    let original = record("original.ron", &["--policy", "proportional"]);
    let fork = dir().join("fork.ron");
    let out = demarche(&[
        "replay",
        original.to_str().unwrap(),
        "--until",
        "3",
        "--then-policy",
        "hawkish",
        "--record",
        fork.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout(&out).contains("original  fork"),
        "the two lines side by side: {}",
        stdout(&out)
    );
    let read = |p: &Path| demarche::replay::Replay::from_ron("r", &std::fs::read_to_string(p).unwrap()).unwrap();
    let (a, b) = (read(&original), read(&fork));
    assert_eq!(&a.turns[..3], &b.turns[..3], "the shared turns are identical");
    assert!(
        a.turns[3..]
            .iter()
            .zip(&b.turns[3..])
            .any(|(x, y)| x.checksum != y.checksum)
    );
    assert_eq!(b.fork.as_ref().map(|f| f.at_turn), Some(3));
    assert_eq!(
        verify(&fork).status.code(),
        Some(0),
        "a fork is itself a replay that verifies"
    );
}

#[test]
fn a_malformed_replay_is_refused_with_its_position() {
    let bad = dir().join("malformed.ron");
    let malformed = format!(
        "(version: {}, engine: \"x\", seed: banana)",
        demarche::replay::REPLAY_VERSION
    );
    std::fs::write(&bad, malformed).unwrap();
    let out = verify(&bad);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("malformed.ron:1:"), "{err}");
    assert!(!err.contains("panicked"));
    let path = record("version.ron", &[]);
    let current = format!("version: {},", demarche::replay::REPLAY_VERSION);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(&current));
    // A replay of another version of the model is refused as incompatible (exit status 3), with
    // what that version was, never a parse error on a field it did not have.
    for (version, says) in [
        ("99", "not a version this engine knows"),
        ("1", "voted every Council file by unanimity"),
    ] {
        let other = dir().join(format!("version-{version}.ron"));
        std::fs::write(&other, text.replacen(&current, &format!("version: {version},"), 1)).unwrap();
        let out = verify(&other);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{err}");
        assert!(
            err.contains(&format!("version {version}")) && err.contains(says),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    // Format 7 had no proposer seats: its files are read and verify as they are.
    let seven = dir().join("version-7.ron");
    std::fs::write(&seven, text.replacen(&current, "version: 7,", 1)).unwrap();
    assert_eq!(
        verify(&seven).status.code(),
        Some(0),
        "a format 7 replay still verifies"
    );
    // Replays recorded by earlier engines of this model (kept in tests/fixtures, never
    // regenerated) still verify: a change that moves any result or checksum of a format this
    // engine reads is caught here rather than by a user whose replay no longer verifies. A change
    // of the model bumps its version and records new fixtures beside these.
    for old in [
        "tests/fixtures/model-8-default.replay.ron",
        "tests/fixtures/model-8-viasat.replay.ron",
    ] {
        let out = verify(&Path::new(env!("CARGO_MANIFEST_DIR")).join(old));
        assert_eq!(out.status.code(), Some(0), "{old} still verifies: {}", stdout(&out));
    }
    // Those of an earlier model are refused as incompatible (exit 3), saying which model played
    // them and which Démarche to open them with, never checked as if they were forgeries.
    for (old, model) in [
        ("tests/fixtures/model-1-format-7.replay.ron", 1),
        ("tests/fixtures/model-1-format-8.replay.ron", 1),
        ("tests/fixtures/model-2-default.replay.ron", 2),
        ("tests/fixtures/model-2-viasat.replay.ron", 2),
        ("tests/fixtures/model-3-default.replay.ron", 3),
        ("tests/fixtures/model-3-viasat.replay.ron", 3),
        ("tests/fixtures/model-4-default.replay.ron", 4),
        ("tests/fixtures/model-4-viasat.replay.ron", 4),
        ("tests/fixtures/model-5-default.replay.ron", 5),
        ("tests/fixtures/model-5-viasat.replay.ron", 5),
        ("tests/fixtures/model-6-default.replay.ron", 6),
        ("tests/fixtures/model-6-viasat.replay.ron", 6),
        ("tests/fixtures/model-7-default.replay.ron", 7),
        ("tests/fixtures/model-7-viasat.replay.ron", 7),
    ] {
        let out = verify(&Path::new(env!("CARGO_MANIFEST_DIR")).join(old));
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(3), "{old} is refused: {err}");
        assert!(
            err.contains(&format!("model version {model}"))
                && err.contains("\"engine\" field")
                && !err.contains("panicked"),
            "{old}: {err}"
        );
    }
    assert_eq!(verify(Path::new("no/such/replay.ron")).status.code(), Some(2));
}

#[test]
fn batch_prints_summaries_and_rows() {
    let csv = demarche(&[
        "batch",
        "--seeds",
        "20",
        "--policy",
        "restraint",
        "--policy",
        "hawkish",
        "--csv",
    ]);
    assert!(csv.status.success());
    let text = stdout(&csv);
    assert_eq!(text.lines().count(), 41, "a header and one row per run");
    assert!(text.starts_with("policy,seed,outcome"));
    assert!(
        text.contains(",final_misperception,final_perceived_resolve,final_cohesion,"),
        "both readings of the adversaries, side by side: {}",
        text.lines().next().unwrap_or_default()
    );
    let json = demarche(&["batch", "--seeds", "20", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let policies = &doc["figures"]["policies"];
    assert_eq!(policies.as_array().unwrap().len(), 4);
    assert_eq!(policies[0]["runs"], 20);
    assert_eq!(policies[0]["metrics"][0][0], "peak_escalation");
    assert!(policies[0]["metrics"][0][1]["mean"].is_number());
    assert!(policies[0]["metrics"][0][1]["se"].is_number());
    let again = demarche(&["batch", "--seeds", "20", "--json"]);
    assert_eq!(json.stdout, again.stdout, "a batch is reproducible");
}

#[test]
fn notes_join_the_replay_without_changing_the_run() {
    let path = record("notes.ron", &[]);
    let out = demarche(&[
        "note",
        path.to_str().unwrap(),
        "--turn",
        "4",
        "--author",
        "Lead evaluator",
        "The Presidency waited for INTCEN.",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let replay = demarche::replay::Replay::from_ron("r", &std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(replay.notes.len(), 1);
    assert_eq!(replay.notes[0].author, "Lead evaluator");
    assert_eq!(verify(&path).status.code(), Some(0), "a note does not change the run");
    let report = demarche(&["report", path.to_str().unwrap(), "--format", "md"]);
    assert!(String::from_utf8_lossy(&report.stdout).contains("The Presidency waited for INTCEN."));
    assert_eq!(
        demarche(&["note", path.to_str().unwrap(), "--turn", "99", "late"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_replay_plays_back_the_very_same_record_files_in_the_machinery_included() {
    // Weekly turns: declarations are tabled and adopted in the same turn, listings take months.
    // The replay keeps the proposals; the machinery's outcomes come back by themselves, so the
    // record played back is the record played.
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/managed_service_providers.ron");
    let text = std::fs::read_to_string(&source).unwrap();
    let actors = demarche::actors::ActorsData::embedded();
    let scenario = demarche::scenario::parse_scenario("msp", &text, &actors).unwrap();
    let mut sim = demarche::Simulation::new(scenario.clone(), 1, demarche::decisions::Policy::Proportional);
    sim.play_to_end();
    let replay =
        demarche::replay::Replay::record(&sim, &scenario, "msp.ron", 1, demarche::decisions::Policy::Proportional);
    assert!(
        sim.records().iter().flat_map(|t| &t.decisions).any(|d| !d.proposal),
        "the run has outcomes of files in the machinery"
    );
    let mut again = replay.prime(scenario, None);
    again.play_to_end();
    for (played, replayed) in sim.records().iter().zip(again.records()) {
        assert_eq!(played.decisions, replayed.decisions, "turn {}", played.turn);
        assert_eq!(played.votes, replayed.votes, "turn {}", played.turn);
        assert_eq!(played.checksum, replayed.checksum, "turn {}", played.turn);
    }
    assert_eq!(sim.records().len(), again.records().len());
}

#[test]
fn votes_are_recorded_as_codes_and_a_changed_reason_is_named() {
    // Hungary objects to naming China in the Exchange case (the hawkish EU names it at once): the
    // replay keeps the reason as a code with its parameter, never the sentence shown, so
    // rewording it changes no replay.
    let path = (1..30)
        .map(|seed| {
            let path = dir().join(format!("exchange-{seed}.ron"));
            let out = demarche(&[
                "run",
                "exchange_2021",
                "--seed",
                &seed.to_string(),
                "--policy",
                "hawkish",
                "--record",
                path.to_str().unwrap(),
            ]);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            path
        })
        .find(|path| std::fs::read_to_string(path).unwrap().contains("Object(Engagement("))
        .expect("Hungary objects in some seed");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(r#"("HU", Object(Engagement("china")))"#),
        "the reason is a code"
    );
    assert!(!text.contains("prefers engagement"), "no sentence in the record");
    assert_eq!(verify(&path).status.code(), Some(0));
    // Another reason in the record: the mismatch names the Member State and both reasons.
    let tampered = dir().join("exchange-tampered.ron");
    std::fs::write(
        &tampered,
        text.replacen(r#"Object(Engagement("china"))"#, r#"Object(Ties("china"))"#, 1),
    )
    .unwrap();
    let out = verify(&tampered);
    assert_eq!(out.status.code(), Some(1));
    let said = stdout(&out);
    assert!(
        said.contains("recorded with HU objects (economic ties with China")
            && said.contains("re-runs with HU objects (prefers engagement with China"),
        "{said}"
    );
}

#[test]
fn notes_are_merged_never_overwritten() {
    let path = record("merged-notes.ron", &[]);
    // A viewer opens the replay and keeps its copy while an evaluator adds a note from the
    // command line.
    let opened = demarche::replay::read_replay(&path).unwrap();
    let out = demarche(&[
        "note",
        path.to_str().unwrap(),
        "--turn",
        "2",
        "--author",
        "Lead",
        "From the terminal.",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The viewer's note joins the one added meanwhile.
    let note = demarche::replay::Note {
        turn: 3,
        author: "evaluator".into(),
        text: "From the window.".into(),
        time: None,
    };
    let notes = demarche::replay::add_note(&path, Some(&opened.identity()), note.clone()).unwrap();
    let texts: Vec<&str> = notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, ["From the terminal.", "From the window."]);
    assert_eq!(demarche::replay::read_replay(&path).unwrap().notes, notes);
    // Saving the same note twice adds it once; the run is unchanged and still verifies.
    assert_eq!(demarche::replay::add_note(&path, None, note).unwrap().len(), 2);
    assert_eq!(
        demarche::replay::read_replay(&path).unwrap().identity(),
        opened.identity()
    );
    assert_eq!(verify(&path).status.code(), Some(0));
    // A file that now holds another run is left alone.
    let other = record("merged-notes-other.ron", &["--seed", "8"]);
    let before = std::fs::read(&other).unwrap();
    let refused = demarche::replay::add_note(
        &other,
        Some(&opened.identity()),
        demarche::replay::Note {
            turn: 1,
            author: "x".into(),
            text: "y".into(),
            time: None,
        },
    );
    assert!(matches!(refused, Err(demarche::replay::NoteError::AnotherRun)));
    assert_eq!(std::fs::read(&other).unwrap(), before);
}

#[test]
fn an_oversized_replay_is_refused_and_a_failed_write_leaves_nothing_behind() {
    let huge = dir().join("huge.ron");
    let file = std::fs::File::create(&huge).unwrap();
    file.set_len(demarche::replay::MAX_REPLAY_BYTES + 1).unwrap();
    let out = verify(&huge);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("more than the") && err.contains("a replay may have"),
        "{err}"
    );
    std::fs::remove_file(&huge).unwrap();
    // Writing over a folder fails; the temporary file is removed and the folder is untouched.
    // (In a folder of its own: other tests write their replays beside it meanwhile.)
    let alone = dir().join("failed-write");
    let folder = alone.join("a-folder");
    std::fs::create_dir_all(&folder).unwrap();
    assert!(demarche::files::write_atomically(&folder, "text").is_err());
    let leftovers: Vec<_> = std::fs::read_dir(&alone)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(folder.is_dir());
}
