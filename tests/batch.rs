//! Batches as an evaluator runs them: shards on many machines add up to the batch one machine
//! plays, policies are compared seed by seed, a policy is never counted twice, and Ctrl-C keeps
//! what was played.

mod common;

use common::{demarche, scratch_dir};
use std::process::{Command, Stdio};

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("batch --json prints JSON")
}

#[test]
fn four_shards_merged_give_what_one_machine_gives() {
    let dir = scratch_dir("batch-shards");
    let common = [
        "batch",
        "--seeds",
        "23",
        "--seed-start",
        "100",
        "--policy",
        "passive",
        "--policy",
        "proportional",
    ];
    let whole = demarche(&[&common[..], &["--json"]].concat());
    let mut files = Vec::new();
    // Shards given out of order, as a job array's results come back.
    for i in [3, 1, 4, 2] {
        let out = demarche(&[&common[..], &["--json", "--shard", &format!("{i}/4")]].concat());
        json(&out);
        let file = dir.join(format!("shard-{i}.json"));
        std::fs::write(&file, &out.stdout).unwrap();
        files.push(file.to_string_lossy().into_owned());
    }
    let mut merge = vec!["batch", "--json", "--merge"];
    merge.extend(files.iter().map(String::as_str));
    let merged = demarche(&merge);
    assert_eq!(
        json(&merged),
        json(&whole),
        "the merged shards differ from the batch played on one machine"
    );
    // The very same figures, to the bit, in the table too.
    let mut table = vec!["batch", "--merge"];
    table.extend(files.iter().map(String::as_str));
    let merged_table = String::from_utf8(demarche(&table).stdout).unwrap();
    let whole_table = String::from_utf8(demarche(&common).stdout).unwrap();
    assert_eq!(merged_table, whole_table);
    assert!(whole_table.contains("23 seeds (seeds 100 to 122)"), "{whole_table}");

    // A shard merged twice would count its seeds twice: refused.
    let twice = demarche(&["batch", "--merge", &files[0], &files[0]]);
    assert_eq!(twice.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&twice.stderr).contains("counted twice"));
    // A summary of other policies is not part of the same batch.
    let other = demarche(&[
        "batch",
        "--seeds",
        "3",
        "--seed-start",
        "500",
        "--policy",
        "hawkish",
        "--json",
    ]);
    let other_file = dir.join("other.json");
    std::fs::write(&other_file, &other.stdout).unwrap();
    let refused = demarche(&["batch", "--merge", &files[0], other_file.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("different policies"));

    // A shard left out: the figures are printed, but said to be incomplete (exit 1), with the
    // seeds that are missing.
    let partial = demarche(&["batch", "--merge", &files[0], &files[1], &files[2]]);
    assert_eq!(partial.status.code(), Some(1));
    let err = String::from_utf8_lossy(&partial.stderr);
    assert!(err.contains("incomplete") && err.contains("seeds 105 to 110"), "{err}");
    // A summary edited by hand (a sum changed) is refused, not merged into wrong figures.
    let text = std::fs::read_to_string(&files[1]).unwrap();
    let key = "\"sum\": \"";
    let at = text
        .match_indices(key)
        .map(|(i, _)| i + key.len())
        .find(|i| text[*i..].starts_with(|c: char| c.is_ascii_digit()))
        .unwrap();
    let edited = format!("{}9{}", &text[..at], &text[at..]);
    let edited_file = dir.join("edited.json");
    std::fs::write(&edited_file, edited).unwrap();
    let out = demarche(&["batch", "--merge", &files[0], edited_file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("edited.json") && err.contains("do not add up"), "{err}");
}

#[test]
fn policies_are_compared_seed_by_seed_with_intervals() {
    // The Exchange case: months of a Chinese campaign, answered in proportion (the declaration of
    // July 2021) or with the strongest measures the rules allow.
    let exchange = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/exchange_2021.ron");
    let doc = json(&demarche(&[
        "batch",
        exchange,
        "--seeds",
        "40",
        "--policy",
        "proportional",
        "--policy",
        "hawkish",
        "--json",
    ]));
    let figures = &doc["figures"];
    let metric = |policy: usize, name: &str| {
        figures["policies"][policy]["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m[0] == name)
            .map(|m| m[1].clone())
            .unwrap()
    };
    let proportional = metric(0, "final_escalation");
    let hawkish = metric(1, "final_escalation");
    let pair = &figures["pairs"][0];
    assert_eq!(
        (pair["first"].as_str(), pair["second"].as_str()),
        (Some("hawkish"), Some("proportional"))
    );
    let diff = pair["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m[0] == "final_escalation")
        .unwrap()[1]
        .clone();
    let mean = |v: &serde_json::Value| v["mean"].as_f64().unwrap();
    // The mean of the differences is the difference of the means.
    assert!((mean(&diff) - (mean(&hawkish) - mean(&proportional))).abs() < 1e-9);
    // The hawkish line ends higher over the case's months, and 40 paired seeds show it.
    assert!(diff["low"].as_f64().unwrap() > 0.0, "{diff}");
    // Pairing removes what the seed does to both: the interval of the difference is narrower
    // than the two means' intervals put together.
    let width = |v: &serde_json::Value| v["high"].as_f64().unwrap() - v["low"].as_f64().unwrap();
    assert!(width(&diff) < width(&proportional) + width(&hawkish));
    // A rare outcome has a count and an interval, never a bare 0%.
    let outcomes = figures["policies"][0]["outcomes"].as_array().unwrap();
    let never = outcomes
        .iter()
        .find(|o| o[1]["count"] == 0)
        .expect("an outcome proportional play never reaches");
    assert!(never[1]["high"].as_f64().unwrap() > 0.0, "{never:?}");
}

#[test]
fn a_policy_given_twice_is_refused() {
    let out = demarche(&["batch", "--seeds", "5", "--policy", "hawkish", "--policy", "hawkish"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--policy hawkish is given twice"));
}

#[test]
fn csv_rows_come_seed_by_seed_every_policy_on_each() {
    let out = demarche(&[
        "batch",
        "--seeds",
        "3",
        "--seed-start",
        "9",
        "--policy",
        "restraint",
        "--policy",
        "hawkish",
        "--csv",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    let keys: Vec<String> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').take(2).collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(
        keys,
        [
            "restraint,9",
            "hawkish,9",
            "restraint,10",
            "hawkish,10",
            "restraint,11",
            "hawkish,11"
        ]
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_prints_what_was_played_with_exit_130() {
    let child = Command::new(env!("CARGO_BIN_EXE_demarche"))
        .args(["batch", "--seeds", "100000000", "--policy", "passive", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Long enough for the batch to play some seeds, in a debug build on a slow machine too.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted:"));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the summary so far, as JSON");
    let runs = doc["figures"]["policies"][0]["runs"].as_u64().unwrap();
    assert!(runs > 0 && runs < 100_000_000, "{runs} runs");
    assert_eq!(
        doc["seeds"][0]["count"].as_u64(),
        Some(runs),
        "seeds played without a gap"
    );
}
