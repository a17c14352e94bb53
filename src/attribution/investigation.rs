//! Forensic signals and information sharing.

use super::{Attribution, Evidence, SignalModel};
use crate::actors::Roster;
use crate::incidents::{Incident, Perpetrator, Severity};
use crate::state::Crisis;
use crate::turn::{Stream, Streams};
use bevy::prelude::*;

/// Best accuracy of a single day's forensic signal.
const MAX_ACCURACY: f64 = 0.95;
/// How much sophistication degrades forensics (at sophistication 5 accuracy gains halve).
const SOPHISTICATION_PENALTY: f64 = 0.5;
/// Effort of a Member State investigating an incident that did not hit it.
const BYSTANDER_EFFORT: f64 = 0.5;
/// Probability that a wrong signal points at the planted false flag, when there is one.
const FALSE_FLAG_PULL: f64 = 0.7;
/// Share of the pooled evidence a Member State takes in at full shared awareness.
const SHARING_WEIGHT: f64 = 0.8;
/// Effective number of independent sources in the pooled evidence: Member States' signals come
/// from the same forensic artefacts, so 27 signals are worth far fewer than 27 independent ones.
const SHARED_SOURCES: f64 = 3.0;

/// Story days of analysis an incident's artefacts yield evidence for: a signal a day, then
/// nothing new. The signals come from the same artefacts, so more days of the same analysis add
/// nothing independent (Rid and Buchanan 2015: attribution is slow, and its bottleneck is not the
/// number of analysts); after that only new evidence moves a capital's confidence (another
/// incident, a partner's intelligence, an indictment).
pub const ANALYSIS_DAYS: f64 = 10.0;

/// Every Member State gathers forensic signals on every incident and updates its posterior: one
/// a story day (`round(d)` in a turn of `d` days, each weighing `d / round(d)` of a day's, so a
/// turn shorter than a day brings one signal of less weight).
pub(super) fn investigate(
    roster: Res<Roster>,
    clock: Res<crate::turn::TurnClock>,
    mut streams: ResMut<Streams>,
    mut incidents: Query<(&Incident, &Severity, &Perpetrator, &mut Attribution, &mut Evidence)>,
    mut models: Local<SignalModels>,
) {
    let k = roster.candidates();
    let mut ordered: Vec<_> = incidents.iter_mut().collect();
    ordered.sort_by_key(|(incident, ..)| incident.seq);
    let days = clock.calendar.days_per_turn();
    let per_state = (libm::round(days) as usize).max(1);
    let weight = days / per_state as f64;
    let start = clock.calendar.hours_at(clock.turn);
    models.fit(&roster.capabilities, k, weight);
    for (incident, severity, perpetrator, mut attribution, mut evidence) in ordered {
        let evidence = &mut *evidence;
        // The signals still to come from this incident's artefacts this turn.
        let age = start.saturating_sub(clock.calendar.hours_at(incident.turn)) as f64 / 24.0;
        let count = (0..per_state)
            .filter(|j| age + *j as f64 * weight < ANALYSIS_DAYS)
            .count();
        evidence.signals.clear();
        evidence.per_state = count;
        evidence.weight = weight;
        if count == 0 {
            continue;
        }
        if evidence.models.len() != roster.capabilities.len() {
            let table = models.table(severity.sophistication());
            evidence.models.clear();
            evidence
                .models
                .extend(table.iter().enumerate().map(|(state, [bystander, victim])| {
                    if incident.victims.contains(&state) {
                        *victim
                    } else {
                        *bystander
                    }
                }));
        }
        if evidence.models.is_empty() {
            // No Member State to investigate: the posteriors are left as they are.
            continue;
        }
        let streams = &mut *streams;
        let signals = &mut evidence.signals;
        signals.reserve(count * evidence.models.len());
        let rows = attribution.flat_mut();
        super::by_width!(k, |k| {
            // Member State after Member State, in protocol order: its signals, then its update.
            for (model, row) in evidence.models.iter().zip(rows.chunks_exact_mut(k)) {
                let from = signals.len();
                for _ in 0..count {
                    signals.push(draw_signal(streams, model.accuracy, perpetrator, k));
                }
                sharpen(row, &signals[from..], model.ratio);
            }
        });
    }
}

/// Every Member State's [`SignalModel`] as a bystander and as a victim of an incident, by the
/// incident's sophistication, kept from run to run of a batch. A model depends only on the
/// Member State's capability, the sophistication, its effort, the number of candidates and the
/// signal's weight (the cast and the calendar): computing it afresh for each incident of each run
/// (two logarithms and an exponential per Member State) was a tenth of attribution's time.
#[derive(Debug, Default)]
pub(super) struct SignalModels {
    /// The capabilities (by their bits), candidates and weight the tables were computed for.
    capabilities: Vec<u64>,
    candidates: usize,
    weight: f64,
    /// By sophistication (by its bits): each Member State's model as a bystander and as a victim.
    tables: Vec<(u64, Vec<[SignalModel; 2]>)>,
}

impl SignalModels {
    /// Forgets the tables when the cast, the candidates or the signal's weight changed.
    fn fit(&mut self, capabilities: &[f64], candidates: usize, weight: f64) {
        let same = self.candidates == candidates
            && self.weight.to_bits() == weight.to_bits()
            && self.capabilities.len() == capabilities.len()
            && self
                .capabilities
                .iter()
                .zip(capabilities)
                .all(|(a, b)| *a == b.to_bits());
        if !same {
            self.capabilities = capabilities.iter().map(|c| c.to_bits()).collect();
            self.candidates = candidates;
            self.weight = weight;
            self.tables.clear();
        }
    }

    /// Each Member State's model as a bystander and as a victim, for incidents of this
    /// sophistication.
    fn table(&mut self, sophistication: f64) -> &[[SignalModel; 2]] {
        let key = sophistication.to_bits();
        let index = match self.tables.iter().position(|(k, _)| *k == key) {
            Some(index) => index,
            None => {
                let (k, weight) = (self.candidates, self.weight);
                let table = self
                    .capabilities
                    .iter()
                    .map(|bits| {
                        let capability = f64::from_bits(*bits);
                        [BYSTANDER_EFFORT, 1.0]
                            .map(|effort| signal_model(capability, sophistication, effort, k, weight))
                    })
                    .collect();
                self.tables.push((key, table));
                self.tables.len() - 1
            }
        };
        &self.tables[index].1
    }
}

/// How a Member State of this capability reads a signal on an incident of this sophistication,
/// investigated with this effort, among `k` candidates, for signals of this weight.
fn signal_model(capability: f64, sophistication: f64, effort: f64, k: usize, weight: f64) -> SignalModel {
    let accuracy = signal_accuracy(capability, sophistication, effort, k);
    let (hit, miss) = (libm::log(accuracy), libm::log((1.0 - accuracy) / (k - 1) as f64));
    SignalModel {
        accuracy,
        hit,
        miss,
        // Bayes' rule for a signal of this weight: the candidate named gains the likelihood
        // ratio of a hit to a miss, raised to the weight (the turn length does not change).
        ratio: libm::exp(weight * (hit - miss)),
    }
}

/// Probability that one day's signal points at the true perpetrator.
pub fn signal_accuracy(capability: f64, sophistication: f64, effort: f64, candidates: usize) -> f64 {
    let chance = 1.0 / candidates as f64;
    let skill = capability * (1.0 - SOPHISTICATION_PENALTY * sophistication) * effort;
    chance + (MAX_ACCURACY - chance) * skill.clamp(0.0, 1.0)
}

fn draw_signal(streams: &mut Streams, accuracy: f64, perpetrator: &Perpetrator, k: usize) -> usize {
    if streams.uniform(Stream::Attribution) < accuracy {
        return perpetrator.adversary;
    }
    let wrong = streams.uniform(Stream::Attribution);
    if let Some(flag) = perpetrator.false_flag
        && flag != perpetrator.adversary
        && wrong < FALSE_FLAG_PULL
    {
        return flag;
    }
    // Uniform over the k - 1 wrong candidates.
    let pick = ((wrong * (k - 1) as f64) as usize).min(k - 2);
    if pick >= perpetrator.adversary { pick + 1 } else { pick }
}

/// Multiplies the probability of the candidate each signal names by `ratio` and renormalises:
/// Bayes' rule signal after signal, with `ratio` the likelihood of a hit over that of a miss.
/// Identical to [`bayes_update`], which multiplies every candidate by its likelihood. The row
/// sums to 1, so after a signal naming a candidate of probability `p` it sums to
/// `1 + p·(ratio − 1)`: the total is known without adding the row up, which was the costliest
/// step of a batch run (one dependent addition after another, for every signal).
pub fn sharpen(posterior: &mut [f64], signals: &[usize], ratio: f64) {
    for signal in signals {
        let Some(p) = posterior.get(*signal).copied() else {
            continue;
        };
        let total = 1.0 + p * (ratio - 1.0);
        if total > 0.0 {
            let scale = 1.0 / total;
            posterior.iter_mut().for_each(|q| *q *= scale);
            posterior[*signal] = p * ratio * scale;
        }
    }
}

/// Bayes' rule with the signal's likelihood: `accuracy` if the candidate is the one the signal
/// points at, the rest shared evenly otherwise; raised to `weight`, the days' worth of evidence
/// the signal carries (1 for a day's).
#[cfg(test)]
pub fn bayes_update(posterior: &mut [f64], signal: usize, accuracy: f64, weight: f64) {
    let k = posterior.len();
    let mut miss = (1.0 - accuracy) / (k - 1) as f64;
    let mut hit = accuracy;
    if weight != 1.0 {
        hit = libm::pow(hit, weight);
        miss = libm::pow(miss, weight);
    }
    let mut total = 0.0;
    for (c, p) in posterior.iter_mut().enumerate() {
        *p *= if c == signal { hit } else { miss };
        total += *p;
    }
    if total > 0.0 {
        let scale = 1.0 / total;
        posterior.iter_mut().for_each(|p| *p *= scale);
    }
}

/// Evidence made public or released to the Member States (an indictment, a partner's
/// intelligence), worth `days` days of a near-certain forensic signal naming `candidate`: every
/// Member State multiplies its probability for that candidate by the signal's likelihood ratio
/// raised to `days`, and renormalises.
pub fn release_evidence(attribution: &mut super::Attribution, candidate: usize, days: f64) {
    let k = attribution.candidates();
    if k < 2 || candidate >= k {
        return;
    }
    let ratio = libm::pow(MAX_ACCURACY * (k - 1) as f64 / (1.0 - MAX_ACCURACY), days);
    for row in attribution.rows_mut() {
        row[candidate] *= ratio;
        let sum: f64 = row.iter().sum();
        if sum > 0.0 {
            row.iter_mut().for_each(|p| *p /= sum);
        }
    }
}

/// Shared situational awareness: Member States pool this turn's evidence (not their beliefs,
/// which would drag the best-informed towards the least), and each takes in the pooled evidence
/// in proportion to how much they share.
pub(super) fn share_information(
    roster: Res<Roster>,
    clock: Res<crate::turn::TurnClock>,
    crisis: Res<Crisis>,
    mut incidents: Query<(&mut Attribution, &Evidence)>,
    mut scratch: Local<(Vec<f64>, Vec<f64>)>,
) {
    let (pooled, shares) = &mut *scratch;
    // Over a turn of several days, awareness fades from day to day: the mean over the turn.
    let awareness = crisis.shared_awareness * clock.calendar.mean_retained(crate::dynamics::AWARENESS_RETENTION);
    let weight = SHARING_WEIGHT * awareness * SHARED_SOURCES;
    if weight <= 0.0 {
        return;
    }
    let total: f64 = roster.capabilities.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    // Each Member State's share of the capability, divided once a turn rather than once for
    // every incident (the same quotient, so the same bits).
    shares.clear();
    shares.extend(roster.capabilities.iter().map(|cap| cap / total));
    for (mut attribution, evidence) in &mut incidents {
        // Nothing new from this incident's artefacts: nothing to pool.
        if evidence.signals.is_empty() {
            continue;
        }
        let k = attribution.candidates();
        // Capability-weighted mean log-likelihood of each candidate over this turn's signals
        // (a day's worth per day of the turn): every candidate gets each signal's "miss" term,
        // and the candidate a signal names the difference to its "hit" term.
        pooled.clear();
        pooled.resize(k, 0.0);
        let mut misses = 0.0;
        let per_state = evidence.per_state.max(1);
        for ((signals, share), model) in evidence.signals.chunks(per_state).zip(&*shares).zip(&evidence.models) {
            let share = share * evidence.weight;
            for signal in signals {
                misses += share * model.miss;
                pooled[*signal] += share * (model.hit - model.miss);
            }
        }
        // Each candidate's factor, in place of its pooled log-likelihood.
        pooled.iter_mut().for_each(|l| *l = libm::exp(weight * (*l + misses)));
        let rows = attribution.flat_mut();
        super::by_width!(k, |k| {
            let factors = &pooled[..k];
            for row in rows.chunks_exact_mut(k) {
                let mut sum = 0.0;
                for (p, f) in row.iter_mut().zip(factors) {
                    *p *= f;
                    sum += *p;
                }
                if sum > 0.0 {
                    let scale = 1.0 / sum;
                    row.iter_mut().for_each(|p| *p *= scale);
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sharpening_by_the_likelihood_ratio_is_bayes_rule() {
        let (q, w, k) = (0.7, 0.6, 4);
        let mut full = vec![0.1, 0.2, 0.3, 0.4];
        let mut fast = full.clone();
        // A day's signals in turn, one of them wrong: the same posterior as one sharpening.
        let signals = [2, 0, 2, 2];
        for signal in signals {
            bayes_update(&mut full, signal, q, w);
        }
        let ratio = libm::exp(w * (libm::log(q) - libm::log((1.0 - q) / (k - 1) as f64)));
        sharpen(&mut fast, &signals, ratio);
        for (a, b) in full.iter().zip(&fast) {
            assert!((a - b).abs() < 1e-12, "{full:?} {fast:?}");
        }
    }

    #[test]
    fn a_correct_signal_raises_the_true_candidate() {
        let mut posterior = vec![1.0 / 3.0; 3];
        bayes_update(&mut posterior, 1, 0.6, 1.0);
        assert!(posterior[1] > 0.5);
        assert!((posterior.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn capable_states_read_signals_better_and_sophistication_hurts() {
        assert!(signal_accuracy(0.9, 0.2, 1.0, 3) > signal_accuracy(0.4, 0.2, 1.0, 3));
        assert!(signal_accuracy(0.9, 1.0, 1.0, 3) < signal_accuracy(0.9, 0.0, 1.0, 3));
        assert!((signal_accuracy(0.0, 0.0, 1.0, 4) - 0.25).abs() < 1e-12);
    }
}
