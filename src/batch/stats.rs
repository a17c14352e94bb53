//! A batch's statistics, accumulated run by run so that memory does not grow with the number of
//! seeds, and mergeable exactly so that shards run on many machines add up to what one machine
//! would print.
//!
//! Every quantity is kept as exact integer sums of fixed-point values (2⁻⁴⁰ resolution, far below
//! what any reading of the model means): sums of integers do not depend on the order they are
//! added in, so a batch split into shards and merged gives the very same figures, to the bit, as
//! the batch played in one go, whatever the number of threads or machines.

use super::RunSummary;
use crate::decisions::Policy;
use crate::outcome::OutcomeKind;
use serde::{Deserialize, Serialize};

/// Scale of the fixed-point values: 2⁴⁰.
const SCALE: f64 = (1u64 << 40) as f64;
/// The 97.5th percentile of the standard normal distribution.
const Z_975: f64 = 1.959_963_984_540_054;

/// The readings a batch summarises, in the order they are printed.
pub const METRICS: [Metric; 5] = [
    Metric::PeakEscalation,
    Metric::FinalEscalation,
    Metric::Misperception,
    Metric::PerceivedResolve,
    Metric::Cohesion,
];

/// One reading of a run's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Highest escalation reached.
    PeakEscalation,
    /// Escalation at the end.
    FinalEscalation,
    /// The adversaries' misreading of the EU at the end.
    Misperception,
    /// The adversaries' perceived resolve of the EU at the end.
    PerceivedResolve,
    /// EU cohesion at the end.
    Cohesion,
}

impl Metric {
    /// Its value in a run.
    pub fn of(self, run: &RunSummary) -> f64 {
        match self {
            Metric::PeakEscalation => run.peak_escalation,
            Metric::FinalEscalation => run.final_escalation,
            Metric::Misperception => run.final_misperception,
            Metric::PerceivedResolve => run.final_perceived_resolve,
            Metric::Cohesion => run.final_cohesion,
        }
    }

    /// Words for the table.
    pub fn label(self) -> &'static str {
        match self {
            Metric::PeakEscalation => "peak escalation",
            Metric::FinalEscalation => "final escalation",
            Metric::Misperception => "final misperception",
            Metric::PerceivedResolve => "final perceived resolve",
            Metric::Cohesion => "final cohesion",
        }
    }
}

/// Exact running sums of one quantity: count, sum and sum of squares of its fixed-point values,
/// smallest and largest value. Sums travel as decimal strings, so that no JSON reader rounds them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Moments {
    /// Values added.
    pub n: u64,
    /// Sum of the fixed-point values.
    #[serde(with = "decimal")]
    pub sum: i128,
    /// Sum of their squares.
    #[serde(with = "decimal")]
    pub sum_sq: i128,
    /// Smallest value (`null` in JSON when there is none).
    #[serde(with = "bound::low")]
    pub min: f64,
    /// Largest value (`null` when there is none).
    #[serde(with = "bound::high")]
    pub max: f64,
}

impl Default for Moments {
    fn default() -> Self {
        Self {
            n: 0,
            sum: 0,
            sum_sq: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl Moments {
    /// Adds a value. The engine's readings are finite and bounded; a value that is not (NaN) is
    /// counted as 0 rather than poisoning the sums.
    pub fn add(&mut self, value: f64) {
        self.add_fixed(fixed(value), value);
    }

    fn add_fixed(&mut self, x: i64, value: f64) {
        let x = i128::from(x);
        self.n += 1;
        self.sum += x;
        self.sum_sq += x * x;
        if !value.is_nan() {
            self.min = self.min.min(value);
            self.max = self.max.max(value);
        }
    }

    /// Adds every value another accumulator holds.
    pub fn merge(&mut self, other: &Moments) {
        self.n += other.n;
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Whether these sums could have come from `runs` values: a summary edited by hand or cut
    /// short is refused rather than merged into wrong figures. `Err` says what does not add up.
    pub fn consistent(&self, runs: u64) -> Result<(), String> {
        if self.n != runs {
            return Err(format!("{} values for {runs} runs", self.n));
        }
        if self.n == 0 {
            return Ok(());
        }
        if self.min > self.max || self.min.is_nan() || self.max.is_nan() {
            return Err("its smallest value is above its largest".to_owned());
        }
        // Each value was rounded to the fixed point: the mean may stray by that much.
        let mean = self.sum as f64 / self.n as f64 / SCALE;
        let slack = 1.0 / SCALE + 1e-12 * self.min.abs().max(self.max.abs());
        if mean < self.min - slack || mean > self.max + slack {
            return Err(format!(
                "its mean {mean} lies outside its smallest and largest values ({} to {})",
                self.min, self.max
            ));
        }
        if i128::from(self.n)
            .checked_mul(self.sum_sq)
            .is_none_or(|nq| nq < self.sum.saturating_mul(self.sum))
        {
            return Err("its sum of squares is too small for its sum".to_owned());
        }
        Ok(())
    }

    /// Mean, spread and 95% interval of the mean.
    pub fn estimate(&self) -> Estimate {
        if self.n == 0 {
            return Estimate::default();
        }
        let n = self.n as f64;
        let mean = self.sum as f64 / n / SCALE;
        // n·Σx² − (Σx)² is exact in integers: no cancellation.
        let spread = (i128::from(self.n) * self.sum_sq - self.sum * self.sum).max(0) as f64;
        let population_var = spread / (n * n) / (SCALE * SCALE);
        let sample_var = if self.n > 1 {
            population_var * n / (n - 1.0)
        } else {
            0.0
        };
        let sd = libm::sqrt(sample_var);
        let se = sd / libm::sqrt(n);
        let half = if self.n > 1 { t_975(self.n - 1) * se } else { 0.0 };
        let (min, max) = if self.min <= self.max {
            (self.min, self.max)
        } else {
            (0.0, 0.0)
        };
        Estimate {
            n: self.n,
            // The mean of values lies between the smallest and the largest; the fixed point's
            // rounding could put it a hair outside (0.57499999999982 for runs all at 0.575).
            mean: mean.clamp(min, max),
            sd,
            se,
            low: mean - half,
            high: mean + half,
            min,
            max,
        }
    }
}

/// A value in fixed point (saturating at the ends of the range; NaN is 0).
fn fixed(value: f64) -> i64 {
    libm::round(value * SCALE) as i64
}

/// The mean of a quantity over runs, with what is needed to judge it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Estimate {
    /// Runs.
    pub n: u64,
    /// Arithmetic mean.
    pub mean: f64,
    /// Standard deviation of the runs (sample, n − 1).
    pub sd: f64,
    /// Standard error of the mean.
    pub se: f64,
    /// Lower end of the 95% confidence interval of the mean (Student's t).
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

impl Estimate {
    /// Half the width of the 95% interval.
    pub fn half_width(&self) -> f64 {
        (self.high - self.low) / 2.0
    }

    /// Whether the interval leaves out zero (for a paired difference: the policies differ).
    pub fn excludes_zero(&self) -> bool {
        self.n > 1 && (self.low > 0.0 || self.high < 0.0)
    }
}

/// How often something happened, with its 95% interval (Wilson's score interval, which stays
/// inside [0, 1] and is not zero-wide for an event seen 0 times: a rare outcome is never a bare 0%).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Frequency {
    /// Times it happened.
    pub count: u64,
    /// Out of.
    pub runs: u64,
    /// count / runs.
    pub share: f64,
    /// Lower end of the 95% interval of the share.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

impl Frequency {
    /// `count` out of `runs`.
    pub fn of(count: u64, runs: u64) -> Self {
        if runs == 0 {
            return Self::default();
        }
        let n = runs as f64;
        let p = count as f64 / n;
        let z2 = Z_975 * Z_975;
        let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
        let half = Z_975 * libm::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / (1.0 + z2 / n);
        Self {
            count,
            runs,
            share: p,
            // Exactly 0 and 1 at the ends, where the formula leaves rounding dust.
            low: if count == 0 { 0.0 } else { (centre - half).max(0.0) },
            high: if count >= runs { 1.0 } else { (centre + half).min(1.0) },
        }
    }
}

/// The 97.5th percentile of Student's t distribution with `df` degrees of freedom: exact table
/// values up to 30, then the Cornish-Fisher expansion around the normal (Abramowitz and Stegun
/// 26.7.5), which is within 2·10⁻⁷ of the exact value from 30 on.
pub fn t_975(df: u64) -> f64 {
    const TABLE: [f64; 30] = [
        12.706_204_736,
        4.302_652_730,
        3.182_446_305,
        2.776_445_105,
        2.570_581_836,
        2.446_911_851,
        2.364_624_252,
        2.306_004_135,
        2.262_157_163,
        2.228_138_852,
        2.200_985_160,
        2.178_812_830,
        2.160_368_656,
        2.144_786_688,
        2.131_449_546,
        2.119_905_299,
        2.109_815_578,
        2.100_922_040,
        2.093_024_054,
        2.085_963_447,
        2.079_613_845,
        2.073_873_068,
        2.068_657_610,
        2.063_898_562,
        2.059_538_553,
        2.055_529_439,
        2.051_830_516,
        2.048_407_142,
        2.045_229_642,
        2.042_272_456,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => TABLE[df as usize - 1],
        _ => {
            let z = Z_975;
            let n = df as f64;
            let z3 = z * z * z;
            let z5 = z3 * z * z;
            let z7 = z5 * z * z;
            let z9 = z7 * z * z;
            z + (z3 + z) / (4.0 * n)
                + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * n * n)
                + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * n * n * n)
                + (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / (92160.0 * n * n * n * n)
        }
    }
}

/// One policy's tallies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyTally {
    /// The policy.
    pub policy: Policy,
    /// Runs played.
    pub runs: u64,
    /// Runs that ended each way, mildest first.
    pub outcomes: Vec<(OutcomeKind, u64)>,
    /// Runs in which the EU ended united (cohesion 0.5 or more).
    pub united: u64,
    /// The readings, in the order of [`METRICS`].
    pub metrics: Vec<(Metric, Moments)>,
}

impl PolicyTally {
    fn new(policy: Policy) -> Self {
        Self {
            policy,
            runs: 0,
            outcomes: OutcomeKind::ALL.iter().map(|k| (*k, 0)).collect(),
            united: 0,
            metrics: METRICS.iter().map(|m| (*m, Moments::default())).collect(),
        }
    }

    fn add(&mut self, run: &RunSummary) {
        self.runs += 1;
        if let Some((_, n)) = self.outcomes.iter_mut().find(|(k, _)| *k == run.outcome) {
            *n += 1;
        }
        if run.final_cohesion >= 0.5 {
            self.united += 1;
        }
        for (metric, moments) in &mut self.metrics {
            moments.add(metric.of(run));
        }
    }

    fn merge(&mut self, other: &PolicyTally) {
        self.runs += other.runs;
        for ((_, n), (_, m)) in self.outcomes.iter_mut().zip(&other.outcomes) {
            *n += m;
        }
        self.united += other.united;
        for ((_, a), (_, b)) in self.metrics.iter_mut().zip(&other.metrics) {
            a.merge(b);
        }
    }

    /// The estimate of a reading.
    pub fn estimate(&self, metric: Metric) -> Estimate {
        estimate_of(&self.metrics, metric)
    }

    /// How often the runs ended a given way.
    pub fn frequency(&self, outcome: OutcomeKind) -> Frequency {
        let count = self.outcomes.iter().find(|(k, _)| *k == outcome).map_or(0, |(_, n)| *n);
        Frequency::of(count, self.runs)
    }

    /// How often the EU ended united.
    pub fn united(&self) -> Frequency {
        Frequency::of(self.united, self.runs)
    }
}

/// The paired differences between two policies on the same seeds: `first` minus `second`, seed
/// by seed. Pairing removes what the seed does to both (the same incidents, the same forensic
/// luck), so a difference between policies shows with far fewer seeds than two separate means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairTally {
    /// The policy the difference is from.
    pub first: Policy,
    /// The policy subtracted.
    pub second: Policy,
    /// The differences of the readings, in the order of [`METRICS`].
    pub metrics: Vec<(Metric, Moments)>,
}

impl PairTally {
    /// The estimate of a reading's difference.
    pub fn estimate(&self, metric: Metric) -> Estimate {
        estimate_of(&self.metrics, metric)
    }
}

/// The estimate of one reading among tallied ones (empty when it is not tallied).
fn estimate_of(metrics: &[(Metric, Moments)], metric: Metric) -> Estimate {
    metrics
        .iter()
        .find(|(m, _)| *m == metric)
        .map(|(_, moments)| moments.estimate())
        .unwrap_or_default()
}

/// Everything a batch has seen so far: per policy and per pair of policies. Runs come in a seed
/// at a time (every policy on the seed), in any order of seeds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tallies {
    /// Per policy, in the order the policies were given.
    pub policies: Vec<PolicyTally>,
    /// Per pair of policies: each policy minus every policy given before it (the first policy
    /// given is the baseline the others are read against).
    pub pairs: Vec<PairTally>,
}

impl Tallies {
    /// Empty tallies for these policies (distinct, in the order given).
    pub fn new(policies: &[Policy]) -> Self {
        let mut pairs = Vec::new();
        for (i, second) in policies.iter().enumerate() {
            for first in &policies[i + 1..] {
                pairs.push(PairTally {
                    first: *first,
                    second: *second,
                    metrics: METRICS.iter().map(|m| (*m, Moments::default())).collect(),
                });
            }
        }
        Self {
            policies: policies.iter().map(|p| PolicyTally::new(*p)).collect(),
            pairs,
        }
    }

    /// Adds one seed's runs, one per policy in the tallies' order.
    pub fn add_seed(&mut self, runs: &[RunSummary]) {
        debug_assert_eq!(runs.len(), self.policies.len(), "one run per policy");
        for (tally, run) in self.policies.iter_mut().zip(runs) {
            tally.add(run);
        }
        let mut pair = self.pairs.iter_mut();
        for (i, b) in runs.iter().enumerate() {
            for a in &runs[i + 1..] {
                if let Some(tally) = pair.next() {
                    for (metric, moments) in &mut tally.metrics {
                        // The difference of the fixed-point values: exact, so that merged
                        // shards add up to the very same sums.
                        let (x, y) = (metric.of(a), metric.of(b));
                        moments.add_fixed(fixed(x) - fixed(y), x - y);
                    }
                }
            }
        }
    }

    /// Adds the tallies of other seeds of the same policies.
    pub fn merge(&mut self, other: &Tallies) {
        for (a, b) in self.policies.iter_mut().zip(&other.policies) {
            a.merge(b);
        }
        for (a, b) in self.pairs.iter_mut().zip(&other.pairs) {
            for ((_, x), (_, y)) in a.metrics.iter_mut().zip(&b.metrics) {
                x.merge(y);
            }
        }
    }

    /// Whether the tallies could have come from `seeds` seeds (see [`Moments::consistent`]).
    pub fn consistent(&self, seeds: u64) -> Result<(), String> {
        for p in &self.policies {
            let name = p.policy.name();
            if p.runs != seeds {
                return Err(format!("{name}: {} runs for {seeds} seeds", p.runs));
            }
            let ended = p.outcomes.iter().try_fold(0_u64, |sum, (_, n)| sum.checked_add(*n));
            if ended != Some(p.runs) || p.united > p.runs {
                return Err(format!("{name}: its outcomes do not add up to its {} runs", p.runs));
            }
            for (metric, moments) in &p.metrics {
                moments
                    .consistent(p.runs)
                    .map_err(|e| format!("{name}, {}: {e}", metric.label()))?;
            }
        }
        for pair in &self.pairs {
            for (metric, moments) in &pair.metrics {
                moments.consistent(seeds).map_err(|e| {
                    format!(
                        "{} − {}, {}: {e}",
                        pair.first.name(),
                        pair.second.name(),
                        metric.label()
                    )
                })?;
            }
        }
        Ok(())
    }

    /// Whether two tallies are of the same policies, in the same order and the same readings.
    pub fn same_shape(&self, other: &Tallies) -> bool {
        let policies = |t: &Tallies| t.policies.iter().map(|p| p.policy).collect::<Vec<_>>();
        let metrics = |t: &Tallies| {
            t.policies
                .iter()
                .map(|p| p.metrics.iter().map(|(m, _)| *m).collect::<Vec<_>>())
                .chain(t.pairs.iter().map(|p| p.metrics.iter().map(|(m, _)| *m).collect()))
                .collect::<Vec<_>>()
        };
        policies(self) == policies(other)
            && metrics(self) == metrics(other)
            && self.pairs.len() == other.pairs.len()
            && self
                .policies
                .iter()
                .zip(&other.policies)
                .all(|(a, b)| a.outcomes.len() == b.outcomes.len())
    }
}

/// Sums travel as decimal strings.
mod decimal {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(value: &i128, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&value.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i128, D::Error> {
        let text = String::deserialize(d)?;
        text.parse()
            .map_err(|_| D::Error::custom(format!("\"{text}\" is not a whole number")))
    }
}

/// An empty accumulator's bounds are infinite, which JSON cannot hold: they travel as `null`.
mod bound {
    macro_rules! bound {
        ($name:ident, $empty:expr) => {
            pub mod $name {
                use serde::{Deserialize, Deserializer, Serializer};

                pub fn serialize<S: Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
                    match value.is_finite() {
                        true => s.serialize_some(value),
                        false => s.serialize_none(),
                    }
                }

                pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
                    Ok(Option::<f64>::deserialize(d)?.unwrap_or($empty))
                }
            }
        };
    }
    bound!(low, f64::INFINITY);
    bound!(high, f64::NEG_INFINITY);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(values: &[f64]) -> Moments {
        let mut m = Moments::default();
        values.iter().for_each(|v| m.add(*v));
        m
    }

    #[test]
    fn mean_spread_and_interval_of_known_values() {
        let e = moments(&[1.0, 2.0, 3.0, 4.0]).estimate();
        assert_eq!(e.mean, 2.5);
        // Sample standard deviation of 1..4: sqrt(5/3).
        assert!((e.sd - 1.290_994_448_7).abs() < 1e-9, "{e:?}");
        assert!((e.se - 0.645_497_224_4).abs() < 1e-9);
        // t(0.975, 3) = 3.182446.
        assert!((e.half_width() - 3.182_446_305 * 0.645_497_224_4).abs() < 1e-8);
        assert_eq!((e.min, e.max), (1.0, 4.0));
        assert_eq!(Moments::default().estimate(), Estimate::default());
    }

    #[test]
    fn sums_do_not_depend_on_order_or_on_how_the_runs_are_split() {
        let values: Vec<f64> = (0..1000).map(|i| libm::sin(i as f64) * 3.7 + 4.0).collect();
        let whole = moments(&values);
        let mut reversed: Vec<f64> = values.clone();
        reversed.reverse();
        assert_eq!(moments(&reversed), whole);
        let mut merged = moments(&values[..333]);
        merged.merge(&moments(&values[333..]));
        assert_eq!(merged, whole);
        assert_eq!(merged.estimate(), whole.estimate());
    }

    #[test]
    fn student_t_matches_its_table() {
        // Published values of t(0.975, df).
        for (df, t) in [
            (1, 12.7062),
            (10, 2.2281),
            (30, 2.0423),
            (40, 2.0211),
            (60, 2.0003),
            (120, 1.9799),
        ] {
            assert!((t_975(df) - t).abs() < 1e-4, "df {df}: {} against {t}", t_975(df));
        }
        // The expansion joins the table smoothly and tends to the normal.
        assert!((t_975(31) - 2.039_513_446).abs() < 1e-6, "{}", t_975(31));
        assert!((t_975(1_000_000) - Z_975).abs() < 1e-5);
    }

    #[test]
    fn a_rare_outcome_is_never_a_bare_zero() {
        let never = Frequency::of(0, 200);
        assert_eq!(never.share, 0.0);
        assert_eq!(never.low, 0.0);
        // Wilson: about 1.9% for 0 of 200.
        assert!(never.high > 0.015 && never.high < 0.025, "{never:?}");
        let half = Frequency::of(50, 100);
        assert!(
            (half.low - 0.4038).abs() < 1e-3 && (half.high - 0.5962).abs() < 1e-3,
            "{half:?}"
        );
    }
}
