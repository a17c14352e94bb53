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
/// Perception noise with no channel open, per unit of the act's magnitude (its hostility plus its
/// signal of resolve).
pub const NOISE: f64 = 0.1;
/// How strongly an ambiguous signal of resolve is read in line with existing beliefs: as a veiled
/// threat by an adversary that distrusts the EU (Jervis 1976).
pub const AMBIGUITY_READ: f64 = 0.5;
/// Log-odds of trust lost per unit of hostility seen beyond the proportionate.
pub const HOSTILITY_WEIGHT: f64 = 4.0;
/// Log-odds of trust gained per unit of reassurance.
pub const REASSURANCE_WEIGHT: f64 = 2.0;
/// How much of an adversary's distrust no reassurance or channel removes, per unit of its intent:
/// an actor that pursues a campaign against the EU reads the EU as its opponent whatever the EU
/// says. Images persist (Jervis 1976, ch. 4); cheap reassurance cannot fully convince (Kydd 2005).
pub const REASSURANCE_REACH: f64 = 0.5;

/// The highest trust reassurance and channels can bring an adversary of this intent to:
/// `1 - 0.5 * intent` (Russia's 0.6: 0.7, so its misreading of the EU stays at 0.3 or above).
pub fn trust_ceiling(intent: f64) -> f64 {
    1.0 - REASSURANCE_REACH * intent.clamp(0.0, 1.0)
}

/// Trust after a change of `delta` log-odds: a loss applies in full, a gain (reassurance, a
/// channel, an act read as milder than it is) does not carry trust past `ceiling` (a trust
/// already above it stays where it is).
pub fn reassure(trust: f64, delta: f64, ceiling: f64) -> f64 {
    let moved = logistic(logit(trust) + delta);
    if delta <= 0.0 {
        moved
    } else {
        moved.min(trust.max(ceiling))
    }
}

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

/// The adversary perceives one act: its trust and the hostility it saw this turn move. Returns
/// the hostility it saw in this act.
///
/// The perpetrator knows what it did: the proportionate part of an act is read through the bias
/// only as far as the adversary already distrusts the EU (the spiral), what goes beyond proportion
/// (disproportion, a false accusation) through the whole bias, which grows with the act's
/// ambiguity (Jervis 1976); an ambiguous signal of resolve is assimilated to what the adversary
/// already believes; the noise grows with the act. A clear, proportionate answer naming the right
/// party thus leaves the adversary's reading of the EU's intent where it was, up to noise.
pub fn perceive(
    streams: &mut Streams,
    act: &PerceptionParams,
    beliefs: &mut Beliefs,
    campaign: &mut Campaign,
    channel: f64,
    ceiling: f64,
) -> f64 {
    let hostility = act.provocation * (1.0 + 2.0 * act.disproportion) * act.hostility_factor;
    let bias = BIAS * (1.0 - channel) * act.ambiguity;
    // A big act is read with more uncertainty than a small one.
    let magnitude = hostility + act.resolve;
    let noise = NOISE * magnitude * (1.0 - 0.5 * channel) * streams.normal(Stream::Perception);
    // Ambiguous information is assimilated to existing beliefs, both ways (Jervis 1976, ch. 4):
    // an unclear warning reads as a veiled threat to an adversary that distrusts the EU, and as
    // a warning to one that trusts it.
    let veiled = AMBIGUITY_READ * act.ambiguity * (1.0 - 2.0 * beliefs.trust) * (1.0 - channel) * act.resolve;
    // The noise is read both ways: only the hostility it adds to the turn stops at zero.
    // The proportionate part is read through the bias as far as the adversary already distrusts
    // the EU (the spiral: distrust breeds the reading that breeds distrust); what goes beyond
    // proportion is read through the whole bias.
    let proportionate = act.provocation.min(hostility);
    let read = proportionate * (1.0 + bias * (1.0 - beliefs.trust))
        + (hostility - proportionate) * (1.0 + bias)
        + veiled
        + noise;
    let seen = read.max(0.0);
    campaign.hostility_seen += seen;
    let excess = read - act.provocation;
    let reassurance = REASSURANCE_WEIGHT * act.reassurance * (1.0 - 0.5 * act.ambiguity);
    beliefs.trust = reassure(beliefs.trust, reassurance - HOSTILITY_WEIGHT * excess, ceiling);
    seen
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
