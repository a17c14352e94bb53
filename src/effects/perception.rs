//! How an adversary perceives an EU act: the spiral model with Bayesian trust.
//!
//! The adversary keeps a belief that the EU is security-seeking (Kydd 2005). It sees each act
//! through a bias (hostile acts read as more hostile than they are, Jervis 1976) and noise; the
//! bias grows with the act's ambiguity and shrinks with open confidence-building channels, and
//! the channels also halve the noise (OSCE CBMs 3, 8, 13). With Gaussian perception the
//! log-likelihood ratio between "aggressive EU" and "security-seeking EU" is linear in the
//! hostility seen beyond what a proportionate defender would show, so trust moves in log-odds.

use crate::actors::{Beliefs, Campaign};
use crate::turn::{Stream, Streams};

/// Bias towards reading hostility, at full ambiguity and no channel.
pub const BIAS: f64 = 0.6;
/// Perception noise with no channel open.
pub const NOISE: f64 = 0.1;
/// How strongly an ambiguous signal of resolve is read as a veiled threat, times distrust:
/// ambiguous information is assimilated to existing (hostile) beliefs (Jervis 1976).
pub const AMBIGUITY_READ: f64 = 0.5;
/// Log-odds of trust lost per unit of hostility seen beyond the proportionate.
pub const HOSTILITY_WEIGHT: f64 = 4.0;
/// Log-odds of trust gained per unit of reassurance.
pub const REASSURANCE_WEIGHT: f64 = 2.0;

/// What the adversary sees of one act.
#[derive(Debug, Clone, Copy)]
pub struct PerceptionParams {
    /// The measure's provocation, 0 to 1.
    pub provocation: f64,
    /// How far it exceeds a proportionate response, 0 to 1.
    pub disproportion: f64,
    /// Costly reassurance it carries, 0 to 1.
    pub reassurance: f64,
    /// The signal of resolve it carries, 0 to 1.
    pub resolve: f64,
    /// How ambiguous the signal is, 0 to 1.
    pub ambiguity: f64,
    /// Multiplier on hostility (a false accusation looks worse).
    pub hostility_factor: f64,
}

/// The adversary perceives one act: its trust and the hostility it saw this turn move.
pub fn perceive(
    streams: &mut Streams,
    act: &PerceptionParams,
    beliefs: &mut Beliefs,
    campaign: &mut Campaign,
    channel: f64,
) {
    let hostility = act.provocation * (1.0 + 2.0 * act.disproportion) * act.hostility_factor;
    let bias = BIAS * (1.0 - channel) * (0.5 + act.ambiguity);
    let noise = NOISE * (1.0 - 0.5 * channel) * streams.normal(Stream::Perception);
    let veiled = AMBIGUITY_READ * act.ambiguity * (1.0 - beliefs.trust) * (1.0 - channel) * act.resolve;
    let seen = (hostility * (1.0 + bias) + veiled + noise).max(0.0);
    campaign.hostility_seen += seen;
    let excess = seen - act.provocation;
    let log_odds = logit(beliefs.trust) - HOSTILITY_WEIGHT * excess
        + REASSURANCE_WEIGHT * act.reassurance * (1.0 - 0.5 * act.ambiguity);
    beliefs.trust = logistic(log_odds);
}

/// ln(p / (1 - p)), with p kept away from 0 and 1.
pub fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    libm::log(p / (1.0 - p))
}

/// The inverse of [`logit`].
pub fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + libm::exp(-x))
}
