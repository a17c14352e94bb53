//! `demarche batch`: many seeded runs per policy on every core, summarised per policy and per
//! pair of policies; shards of a batch for many machines, and their summaries merged.

use super::EXIT_BAD_INPUT;
use demarche::batch::{Estimate, Frequency, METRICS, RunSummary, Summary, shard, stream_batch};
use demarche::decisions::Policy;
use demarche::outcome::OutcomeKind;
use demarche::scenario::Scenario;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fmt::Write as _;
use std::io::Write;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Exit status of a batch stopped by Ctrl-C.
const EXIT_INTERRUPTED: u8 = 130;
/// Exit status of summaries that cannot be merged.
const EXIT_REFUSED: u8 = 3;
/// Largest summary file `--merge` reads: a summary is a few kilobytes.
const MAX_SUMMARY_BYTES: u64 = 16 << 20;

/// How the batch's results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Tables of figures.
    Table,
    /// The summary (mergeable) with its figures, as JSON.
    Json,
    /// One CSV row per run.
    Csv,
}

/// What to play.
pub struct Plan {
    /// Policies, in the order given (all four when none).
    pub policies: Vec<Policy>,
    /// First seed.
    pub seed_start: u64,
    /// Seeds in the whole batch.
    pub seeds: u64,
    /// This machine's shard of it: (index, count), 1-based.
    pub shard: Option<(u64, u64)>,
}

/// Reads `I/N` (1-based): the I-th of N shards.
pub fn parse_shard(text: &str) -> Result<(u64, u64), String> {
    let (i, n) = text
        .split_once('/')
        .ok_or_else(|| format!("\"{text}\": a shard is written I/N, for instance 2/4"))?;
    let number = |s: &str| {
        s.trim()
            .parse::<u64>()
            .map_err(|_| format!("\"{text}\": \"{s}\" is not a whole number"))
    };
    let (i, n) = (number(i)?, number(n)?);
    if n == 0 || i == 0 || i > n {
        return Err(format!(
            "\"{text}\": the shard number runs from 1 to the number of shards ({n})"
        ));
    }
    Ok((i, n))
}

pub fn batch(scenario: Scenario, plan: Plan, output: Output) -> ExitCode {
    let mut policies: Vec<Policy> = Vec::new();
    for policy in if plan.policies.is_empty() {
        Policy::ALL.to_vec()
    } else {
        plan.policies
    } {
        if policies.contains(&policy) {
            demarche::tell!(
                "error: --policy {} is given twice: each policy plays every seed once",
                policy.name()
            );
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        policies.push(policy);
    }
    let Some(end) = plan.seed_start.checked_add(plan.seeds) else {
        demarche::tell!(
            "error: --seed-start {} with --seeds {} goes past seed {}, the last a batch can play \
             (`demarche run --seed {}` plays the very last)",
            plan.seed_start,
            plan.seeds,
            u64::MAX - 1,
            u64::MAX
        );
        return ExitCode::from(EXIT_BAD_INPUT);
    };
    let seeds = match plan.shard {
        None => plan.seed_start..end,
        Some((i, n)) => match shard(plan.seed_start..end, i, n) {
            Some(range) => range,
            None => {
                demarche::tell!("error: shard {i}/{n} is not one of the {n} shards");
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        },
    };
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        // Without a handler (another one is installed) Ctrl-C ends the process as usual.
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::Relaxed));
    }
    let total = (seeds.end - seeds.start).saturating_mul(policies.len() as u64);
    // The bar draws on a terminal only; in a pipe or under CI it stays silent.
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs, {per_sec}, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let mut summary = Summary::new(&scenario, &policies);
    // The whole batch (all shards' seeds), so that a merge of shards can tell one is missing.
    summary.batch = Some(demarche::batch::SeedBlock {
        start: plan.seed_start,
        count: plan.seeds,
    });
    let stdout = std::io::stdout();
    let mut csv = (output == Output::Csv).then(|| std::io::BufWriter::new(stdout.lock()));
    // Why the rows stopped, if they did: a reader that went away (`| head`) ends the batch
    // quietly; any other failure to write (a full disk) is an error, not a finished batch.
    let mut failed: Option<std::io::Error> = None;
    if let Some(out) = csv.as_mut() {
        failed = out.write_all(CSV_HEADER.as_bytes()).err();
    }
    let handed = if failed.is_some() {
        0
    } else {
        stream_batch(
            &scenario,
            &policies,
            seeds.clone(),
            &stop,
            || bar.inc(1),
            |runs| {
                summary.add_seed(runs);
                if let Some(out) = csv.as_mut()
                    && let Err(e) = out.write_all(csv_rows(runs).as_bytes())
                {
                    failed = Some(e);
                    return ControlFlow::Break(());
                }
                ControlFlow::Continue(())
            },
        )
    };
    let elapsed = started.elapsed().as_secs_f64();
    bar.finish_and_clear();
    if let Some(mut out) = csv.take()
        && let Err(e) = out.flush()
    {
        failed.get_or_insert(e);
    }
    if let Some(e) = failed {
        return if super::output_error(&e) {
            ExitCode::from(EXIT_BAD_INPUT)
        } else {
            ExitCode::SUCCESS
        };
    }
    let interrupted = handed < seeds.end - seeds.start;
    let text = match output {
        Output::Table => table(&scenario.title, &summary, plan.shard),
        Output::Json => json(&summary),
        Output::Csv => String::new(),
    };
    if let Err(code) = super::print(&text) {
        return code;
    }
    // Timing is about this machine, not the simulation: it goes to stderr, apart from the results.
    let runs = handed * policies.len() as u64;
    demarche::tell!(
        "{runs} runs in {elapsed:.2} s ({:.0} runs per second)",
        runs as f64 / elapsed.max(1e-9)
    );
    if interrupted {
        demarche::tell!(
            "interrupted: {handed} of {} seeds played; the figures cover {}",
            seeds.end - seeds.start,
            seed_blocks(&summary)
        );
        return ExitCode::from(EXIT_INTERRUPTED);
    }
    ExitCode::SUCCESS
}

/// `batch --merge`: adds up the summaries of a batch's shards into what one machine would print.
pub fn merge(files: &[PathBuf], output: Output) -> ExitCode {
    let mut merged: Option<Summary> = None;
    for file in files {
        let name = file.display();
        let text = match demarche::files::read_text(file, MAX_SUMMARY_BYTES, "batch summary") {
            Ok(text) => text,
            Err(e) => {
                demarche::tell!("error: {name}: {e}");
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        };
        let summary: Summary = match serde_json::from_str(&text) {
            Ok(s) => s,
            Err(e) => {
                demarche::tell!(
                    "error: {name}:{}:{}: {e} (is this a summary written by `demarche batch --json`?)",
                    e.line(),
                    e.column()
                );
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        };
        if let Err(e) = summary.consistent() {
            demarche::tell!(
                "error: {name}: its figures do not add up ({e}): it was edited or damaged; play its shard again"
            );
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        if summary.format != demarche::batch::SUMMARY_FORMAT {
            demarche::tell!(
                "error: {name}: batch summary format {}; this engine reads format {}",
                summary.format,
                demarche::batch::SUMMARY_FORMAT
            );
            return ExitCode::from(EXIT_REFUSED);
        }
        if summary.model != demarche::MODEL_VERSION {
            demarche::tell!(
                "error: {name}: played by model version {}; this engine is model version {}, whose runs differ: \
                 merge it with the Démarche version that played it",
                summary.model,
                demarche::MODEL_VERSION
            );
            return ExitCode::from(EXIT_REFUSED);
        }
        match merged.as_mut() {
            None => merged = Some(summary),
            Some(all) => {
                if let Err(e) = all.merge(&summary) {
                    demarche::tell!("error: {name}: cannot be merged: {e}");
                    return ExitCode::from(EXIT_REFUSED);
                }
            }
        }
    }
    let Some(summary) = merged else {
        demarche::tell!("error: --merge needs at least one summary");
        return ExitCode::from(EXIT_BAD_INPUT);
    };
    let text = match output {
        Output::Json => json(&summary),
        _ => table(&summary.title, &summary, None),
    };
    if let Err(code) = super::print(&text) {
        return code;
    }
    let missing = summary.missing();
    if !missing.is_empty() {
        let blocks: Vec<String> = missing.iter().map(|b| block_words(*b)).collect();
        demarche::tell!(
            "incomplete: the batch's {} are in none of the summaries (a shard missing or interrupted): \
             these figures are not the whole batch's",
            blocks.join(", ")
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// The summary, with its figures, as JSON.
fn json(summary: &Summary) -> String {
    let mut doc = serde_json::to_value(summary).unwrap_or_default();
    if let Some(map) = doc.as_object_mut() {
        map.insert(
            "figures".into(),
            serde_json::to_value(summary.figures()).unwrap_or_default(),
        );
    }
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// The seeds a summary covers, in words.
fn seed_blocks(summary: &Summary) -> String {
    if summary.seeds.is_empty() {
        return "no seed".into();
    }
    let blocks: Vec<String> = summary.seeds.iter().map(|b| block_words(*b)).collect();
    blocks.join(", ")
}

/// Consecutive seeds in words: "seed 7", "seeds 0 to 999".
fn block_words(b: demarche::batch::SeedBlock) -> String {
    match b.count {
        1 => format!("seed {}", b.start),
        n => format!("seeds {} to {}", b.start, b.start + n - 1),
    }
}

/// Decimals that show an interval's half-width to two significant digits (two to four); four
/// when every run gave the same value (the value itself, to the table's finest).
fn decimals(e: Estimate) -> usize {
    let half = e.half_width();
    if half <= 0.0 || !half.is_finite() {
        return 4;
    }
    (1.0 - libm::floor(libm::log10(half))).clamp(2.0, 4.0) as usize
}

/// A mean and its 95% interval's half-width; a single run has a value but no interval, and no
/// run has neither.
fn mean(e: Estimate) -> String {
    match e.n {
        0 => "no runs".to_owned(),
        1 => format!("{:.4} (1 run)", e.mean),
        _ => {
            let d = decimals(e);
            format!("{:.d$} ± {:.d$}", e.mean, e.half_width())
        }
    }
}

/// A paired difference, starred when its interval leaves out zero.
fn difference(e: Estimate) -> String {
    let text = match e.n {
        0 => "no seeds ".to_owned(),
        1 => format!("{:+.4} (1 seed) ", e.mean),
        _ => {
            let d = decimals(e);
            let star = if e.excludes_zero() { "*" } else { " " };
            format!("{:+.d$} ± {:.d$}{star}", e.mean, e.half_width())
        }
    };
    text.replace('-', "−")
}

/// A count with its share and the share's 95% interval, to a tenth of a percent.
fn frequency(f: Frequency) -> String {
    format!(
        "{} ({:.1}%, {:.1}–{:.1})",
        f.count,
        100.0 * f.share,
        100.0 * f.low,
        100.0 * f.high
    )
}

fn table(title: &str, summary: &Summary, shard: Option<(u64, u64)>) -> String {
    let figures = summary.figures();
    let mut out = String::new();
    let seeds = summary.seed_count();
    let _ = writeln!(out, "{title}");
    let plural = if seeds == 1 { "" } else { "s" };
    let _ = write!(out, "{seeds} seed{plural} ({})", seed_blocks(summary));
    if let Some((i, n)) = shard {
        let _ = write!(out, ", shard {i} of {n}");
    }
    let _ = writeln!(out, "; every policy plays every seed");
    let _ = writeln!(
        out,
        "Means with their 95% confidence interval (Student's t); shares of runs with their 95% interval \
         (Wilson's score); readings at the end of a run, escalation also at its peak.\n"
    );
    const LABEL: usize = 28;
    const CELL: usize = 26;
    let _ = write!(out, "{:<LABEL$}", "mean ± 95% interval");
    for p in &figures.policies {
        let _ = write!(out, "{:>CELL$}", p.policy.name());
    }
    let _ = writeln!(out);
    // A labelled line with one cell per policy.
    let row = |out: &mut String, label: &str, cells: Vec<String>| {
        let _ = write!(out, "{label:<LABEL$}");
        for cell in cells {
            let _ = write!(out, "{cell:>CELL$}");
        }
        let _ = writeln!(out);
    };
    for metric in METRICS {
        let cells = figures
            .policies
            .iter()
            .map(|p| mean(lookup(&p.metrics, metric)))
            .collect();
        row(&mut out, metric.label(), cells);
    }
    let _ = writeln!(out, "\n{:<LABEL$}", "runs (share, 95% interval)");
    let cells = figures.policies.iter().map(|p| frequency(p.united)).collect();
    row(&mut out, "EU united (cohesion ≥ 0.5)", cells);
    for kind in OutcomeKind::ALL {
        let cells = figures
            .policies
            .iter()
            .map(|p| frequency(lookup(&p.outcomes, kind)))
            .collect();
        row(&mut out, kind.label(), cells);
    }
    if !figures.pairs.is_empty() {
        let _ = writeln!(
            out,
            "\nPaired differences on the same seeds (each policy minus one given before it):\n\
             mean ± 95% interval (Student's t on the seeds' differences), * where the interval leaves out zero"
        );
        const SHORT: usize = 25;
        let _ = write!(out, "{:<LABEL$}", "");
        for metric in METRICS {
            let _ = write!(out, "{:>SHORT$}", metric.label());
        }
        let _ = writeln!(out);
        for pair in &figures.pairs {
            let label = format!("{} − {}", pair.first.name(), pair.second.name());
            let _ = write!(out, "{label:<LABEL$}");
            for (_, e) in &pair.metrics {
                let _ = write!(out, "{:>SHORT$}", difference(*e));
            }
            let _ = writeln!(out);
        }
    }
    out
}

/// The value kept for a key (the default when there is none).
fn lookup<K: PartialEq, V: Copy + Default>(pairs: &[(K, V)], key: K) -> V {
    pairs
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
        .unwrap_or_default()
}

const CSV_HEADER: &str = "policy,seed,outcome,turns,peak_escalation,final_escalation,final_misperception,final_perceived_resolve,final_cohesion,measures_adopted,votes_blocked,checksum\n";

/// One CSV row per run.
fn csv_rows(runs: &[RunSummary]) -> String {
    let mut out = String::new();
    for r in runs {
        let _ = writeln!(
            out,
            "{},{},{},{},{:.6},{:.6},{:.6},{:.6},{:.6},{},{},{:016x}",
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
