//! `demarche check`: broken scenarios yield the expected finding at the right line and column,
//! shipped scenarios are clean, and no input, however hostile, makes the checker panic.

use demarche::actors::ActorsData;
use demarche::scenario::check::{CheckReport, check_text};
use demarche::toolbox::Toolbox;
use proptest::prelude::*;
use std::path::Path;
use std::process::Command;

fn check(name: &str, text: &str) -> CheckReport {
    check_text(name, text, &ActorsData::embedded(), &Toolbox::embedded())
}

fn ron_files(dir: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_broken_scenario_yields_its_expected_finding_at_the_right_place() {
    let files = ron_files("tests/broken");
    let mut codes = std::collections::BTreeSet::new();
    let mut wrong = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// expect: "))
            .unwrap_or_else(|| panic!("{name}: the first line must be `// expect: CODE LINE:COLUMN`"));
        let (code, position) = expect.trim().split_once(' ').expect("CODE LINE:COLUMN");
        let (line, column) = position.split_once(':').expect("LINE:COLUMN");
        let report = check(&name, &text);
        let found: Vec<String> = report
            .findings
            .iter()
            .map(|f| format!("{} {}:{}", f.code, f.line, f.column))
            .collect();
        if found != vec![format!("{code} {line}:{column}")] {
            wrong.push(format!("{name}: expected {code} {line}:{column}, found {found:?}"));
        }
        codes.insert(code.to_owned());
    }
    assert!(
        wrong.is_empty(),
        "{} of {} broken scenarios:\n{}",
        wrong.len(),
        files.len(),
        wrong.join("\n")
    );
    assert!(files.len() >= 20, "only {} broken scenarios", files.len());
    assert!(codes.len() >= 15, "only {} different findings: {codes:?}", codes.len());
}

#[test]
fn every_shipped_scenario_is_clean() {
    let files = ron_files("scenarios");
    assert!(files.len() >= 6, "at least six scenarios ship");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let report = check(&path.display().to_string(), &text);
        assert!(
            report.findings.is_empty(),
            "{}",
            demarche::scenario::check::render::human(&report)
        );
    }
}

#[test]
fn the_example_in_the_format_guide_passes_the_checker() {
    let guide = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/scenario-format.md")).unwrap();
    let start = guide.find("```ron\n").expect("the guide has a ```ron example") + "```ron\n".len();
    let end = start + guide[start..].find("```").expect("the example block is closed");
    let report = check("example", &guide[start..end]);
    assert!(
        report.findings.is_empty(),
        "{}",
        demarche::scenario::check::render::human(&report)
    );
}

#[test]
fn exit_statuses_say_clean_problems_or_unreadable() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_demarche"))
            .args(args)
            .output()
            .unwrap()
    };
    let root = env!("CARGO_MANIFEST_DIR");
    let clean = run(&["check", &format!("{root}/scenarios/supply_chain_wiper.ron")]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    let broken = ron_files("tests/broken");
    let broken = broken[0].to_str().unwrap();
    assert_eq!(run(&["check", broken]).status.code(), Some(1));
    let json = run(&["check", "--format", "json", broken]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("--format json prints JSON");
    assert!(doc["files"][0]["findings"][0]["line"].is_number());
    assert_eq!(run(&["check", "no/such/file.ron"]).status.code(), Some(2));
    assert_eq!(
        run(&["check", broken, "no/such/file.ron"]).status.code(),
        Some(2),
        "unreadable wins over problems"
    );
    // A folder stands for the scenarios in it: the shipped ones all check clean.
    let folder = run(&["check", &format!("{root}/scenarios")]);
    let text = String::from_utf8_lossy(&folder.stdout);
    assert_eq!(folder.status.code(), Some(0), "{text}");
    let shipped = ron_files("scenarios").len();
    assert!(
        text.contains(&format!("{shipped} files checked: {shipped} clean")),
        "{text}"
    );
    // A folder without any scenario is said to be one.
    let empty = std::env::temp_dir().join(format!("demarche-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let out = run(&["check", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no scenario file"));
}

#[test]
fn a_5000_inject_scenario_checks_clean() {
    let text = demarche::scenario::synthetic::large_scenario(5000);
    let report = check("synthetic", &text);
    assert!(
        report.findings.is_empty(),
        "{:?}",
        &report.findings[..report.findings.len().min(3)]
    );
}

#[test]
fn hostile_shapes_are_refused_without_panic() {
    for text in [
        format!("Scenario(id: {}\"x\"{})", "[".repeat(50_000), "]".repeat(50_000)),
        "Scenario(".repeat(10_000),
        "\"".repeat(100_000),
        String::from_utf8_lossy(&[0xff, 0x00, 0x13, 0x88, 0xfe, 0x00]).into_owned(),
        String::new(),
    ] {
        let report = check("hostile", &text);
        assert!(!report.findings.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_checked_without_panic(text in "\\PC{0,400}") {
        let _ = check("fuzz", &text);
    }

    #[test]
    fn any_edit_of_a_real_scenario_is_checked_without_panic(at in 0usize..8000, cut in 0usize..40, insert in "[\\[\\](){}\":,a-z0-9 ]{0,12}") {
        let base = demarche::scenario::DEFAULT_SCENARIO;
        let at = (0..=at.min(base.len())).rev().find(|i| base.is_char_boundary(*i)).unwrap_or(0);
        let end = (at + cut).min(base.len());
        let end = (end..=base.len()).find(|i| base.is_char_boundary(*i)).unwrap_or(base.len());
        let text = format!("{}{}{}", &base[..at], insert, &base[end..]);
        let report = check("edited", &text);
        for f in &report.findings {
            prop_assert!(f.line >= 1 && f.column >= 1);
            prop_assert!(f.span.end <= text.len());
        }
    }
}
