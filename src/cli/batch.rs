//! `demarche batch`: many seeded runs per policy on every core, summarised per policy.

use demarche::batch::{PolicyStats, RunSummary, run_batch, summarise};
use demarche::decisions::Policy;
use demarche::scenario::Scenario;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

/// How the batch's results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// A table per policy.
    Table,
    /// The per-policy summary as JSON.
    Json,
    /// One CSV row per run.
    Csv,
}

pub fn batch(scenario: Scenario, seeds: u64, policies: &[Policy], output: Output) -> ExitCode {
    let policies: Vec<Policy> = if policies.is_empty() {
        Policy::ALL.to_vec()
    } else {
        policies.to_vec()
    };
    let total = seeds * policies.len() as u64;
    // The bar draws on a terminal only; in a pipe or under CI it stays silent.
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs, {per_sec}, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let runs = run_batch(&scenario, &policies, seeds, || bar.inc(1));
    let elapsed = started.elapsed().as_secs_f64();
    bar.finish_and_clear();
    let stats = summarise(&runs, &policies);
    let text = match output {
        Output::Table => table(&scenario, seeds, &stats),
        Output::Json => {
            let doc = serde_json::json!({ "scenario": scenario.id, "seeds": seeds, "policies": stats });
            serde_json::to_string_pretty(&doc).expect("the summary serialises") + "\n"
        }
        Output::Csv => csv(&runs),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    // Timing is about this machine, not the simulation: it goes to stderr, apart from the results.
    eprintln!(
        "{total} runs in {elapsed:.2} s ({:.0} runs per second)",
        total as f64 / elapsed.max(1e-9)
    );
    ExitCode::SUCCESS
}

fn table(scenario: &Scenario, seeds: u64, stats: &[PolicyStats]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}\n{seeds} seeds per policy (0 to {})\n",
        scenario.title,
        seeds.saturating_sub(1)
    );
    let _ = writeln!(
        out,
        "{:<13} {:>16} {:>16} {:>15} {:>17} {:>15}  {:>7}  outcomes",
        "policy", "peak escalation", "final escalation", "misperception", "perceived resolve", "cohesion", "united"
    );
    for s in stats {
        let cell = |x: demarche::batch::Spread| format!("{:.2} ± {:.2}", x.mean, x.sd);
        let outcomes: Vec<String> = s
            .outcomes
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| format!("{} {:.0}%", k.label(), 100.0 * *n as f64 / s.runs.max(1) as f64))
            .collect();
        let _ = writeln!(
            out,
            "{:<13} {:>16} {:>16} {:>15} {:>17} {:>15}  {:>6.0}%  {}",
            s.policy.name(),
            cell(s.peak_escalation),
            cell(s.final_escalation),
            cell(s.final_misperception),
            cell(s.final_perceived_resolve),
            cell(s.final_cohesion),
            s.united_share * 100.0,
            outcomes.join(", ")
        );
    }
    out
}

fn csv(runs: &[RunSummary]) -> String {
    let mut out = String::from(
        "policy,seed,outcome,turns,peak_escalation,final_escalation,final_misperception,final_perceived_resolve,final_cohesion,measures_adopted,votes_blocked,checksum\n",
    );
    for r in runs {
        let _ = writeln!(
            out,
            "{},{},{},{},{:.6},{:.6},{:.6},{:.6},{:.6},{},{},{}",
            r.policy.name(),
            r.seed,
            r.outcome.label(),
            r.turns,
            r.peak_escalation,
            r.final_escalation,
            r.final_misperception,
            r.final_perceived_resolve,
            r.final_cohesion,
            r.measures_adopted,
            r.votes_blocked,
            r.checksum
        );
    }
    out
}
