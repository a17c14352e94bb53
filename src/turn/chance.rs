//! Seeded randomness, one ChaCha stream per purpose.
//!
//! Every stream shares the run's key and differs by its ChaCha stream number, so a new draw added
//! to one system (say, the vote) never shifts the numbers another system (say, attribution) sees.

use bevy::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What a stream of random numbers is used for. The discriminant is the ChaCha stream number:
/// never renumber a variant, or recorded runs stop reproducing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stream {
    /// Seeded jitter of scripted inject timing.
    Injects = 1,
    /// Which Member States an adversary's follow-on operation hits, and how hard.
    Operations = 2,
    /// The forensic signals each Member State gathers.
    Attribution = 3,
    /// Idiosyncratic noise in Member States' votes.
    Votes = 4,
    /// How an adversary perceives the EU's signals.
    Perception = 5,
    /// The adversary's own decision noise.
    Adversary = 6,
    /// How an adversary answers an EU measure aimed at it (denial, counter-sanctions, ...).
    Reactions = 7,
}

impl Stream {
    /// Every stream, in checksum order.
    pub const ALL: [Stream; 7] = [
        Stream::Injects,
        Stream::Operations,
        Stream::Attribution,
        Stream::Votes,
        Stream::Perception,
        Stream::Adversary,
        Stream::Reactions,
    ];
}

/// The run's random number streams, derived from its seed.
#[derive(Resource, Debug, Clone)]
pub struct Streams {
    seed: u64,
    rngs: [ChaCha8Rng; 7],
}

impl Streams {
    /// Derives one independent stream per purpose from the run seed.
    pub fn new(seed: u64) -> Self {
        let rngs = Stream::ALL.map(|purpose| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(purpose as u64);
            rng
        });
        Self { seed, rngs }
    }

    /// The run seed these streams were derived from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// A uniform draw in [0, 1) from the given stream.
    pub fn uniform(&mut self, stream: Stream) -> f64 {
        self.rng(stream).random::<f64>()
    }

    /// A standard normal draw (Box-Muller through `libm`, so every platform gets the same bits).
    pub fn normal(&mut self, stream: Stream) -> f64 {
        let rng = self.rng(stream);
        // 1 - u keeps the logarithm's argument in (0, 1].
        let u1 = 1.0 - rng.random::<f64>();
        let u2 = rng.random::<f64>();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * core::f64::consts::PI * u2)
    }

    /// Picks an index with probability proportional to its weight; `None` when all weights are 0.
    pub fn weighted_index(&mut self, stream: Stream, weights: &[f64]) -> Option<usize> {
        let total: f64 = weights.iter().filter(|w| **w > 0.0).sum();
        if total <= 0.0 {
            return None;
        }
        let mut target = self.uniform(stream) * total;
        let mut last = None;
        for (i, w) in weights.iter().enumerate() {
            if *w <= 0.0 {
                continue;
            }
            last = Some(i);
            if target < *w {
                return Some(i);
            }
            target -= w;
        }
        last
    }

    /// How far each stream has advanced: part of the turn checksum, so a stray extra draw is caught.
    pub fn positions(&self) -> [u128; 7] {
        let mut out = [0; 7];
        for (slot, rng) in out.iter_mut().zip(&self.rngs) {
            *slot = rng.get_word_pos();
        }
        out
    }

    fn rng(&mut self, stream: Stream) -> &mut ChaCha8Rng {
        &mut self.rngs[stream as usize - 1]
    }
}

impl Default for Streams {
    fn default() -> Self {
        Self::new(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draw_on_one_stream_does_not_shift_another() {
        let mut a = Streams::new(7);
        let mut b = Streams::new(7);
        b.uniform(Stream::Votes);
        b.uniform(Stream::Votes);
        assert_eq!(a.uniform(Stream::Attribution), b.uniform(Stream::Attribution));
    }

    #[test]
    fn different_seeds_give_different_draws() {
        assert_ne!(
            Streams::new(1).uniform(Stream::Votes),
            Streams::new(2).uniform(Stream::Votes)
        );
    }

    #[test]
    fn normal_draws_have_unit_spread() {
        let mut s = Streams::new(3);
        let n = 20_000;
        let draws: Vec<f64> = (0..n).map(|_| s.normal(Stream::Perception)).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let var = draws.iter().map(|d| (d - mean) * (d - mean)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "variance {var}");
    }
}
