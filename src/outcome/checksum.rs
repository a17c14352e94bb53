//! The turn checksum: a 64-bit FNV-1a hash of the canonical simulation state.
//!
//! Canonical means in a fixed order that owes nothing to storage: Member States in protocol
//! order, adversaries in cast order, incidents in order of appearance, floats by their exact bits.
//! The position of every random stream is included, so an extra or missing draw is caught.

use crate::actors::{Beliefs, Campaign, Channel, Exposure, Posture, Roster};
use crate::attribution::{Attribution, EuAssessment};
use crate::council::{PendingMeasures, VoteLog};
use crate::dynamics::Crisis;
use crate::incidents::{Incident, Perpetrator, Severity};
use crate::turn::{Streams, TurnClock};
use bevy::prelude::*;

/// 64-bit FNV-1a, written out because the exact algorithm is part of the replay format.
#[derive(Debug, Clone, Copy)]
pub struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    /// Feeds bytes.
    pub fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    /// Feeds an integer, little-endian.
    pub fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }
    /// Feeds a float by its exact bits.
    pub fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }
    /// Feeds a string with its length, so that ("ab","c") and ("a","bc") differ.
    pub fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.bytes(s.as_bytes());
    }
    /// The hash so far.
    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// Checksums the whole simulation state.
pub fn state_checksum(world: &mut World) -> u64 {
    let mut h = Fnv64::default();
    let clock = world.resource::<TurnClock>();
    h.u64(u64::from(clock.turn));
    let crisis = world.resource::<Crisis>();
    for v in [
        crisis.escalation,
        crisis.peak_escalation,
        crisis.misperception,
        crisis.cohesion,
        crisis.shared_awareness,
    ] {
        h.f64(v);
    }
    let roster = world.resource::<Roster>().clone();
    for entity in &roster.adversaries {
        let e = world.entity(*entity);
        if let (Some(p), Some(b), Some(c), Some(ch)) = (
            e.get::<Posture>(),
            e.get::<Beliefs>(),
            e.get::<Campaign>(),
            e.get::<Channel>(),
        ) {
            for v in [
                p.intent,
                p.capability,
                p.risk_tolerance,
                b.resolve,
                b.trust,
                c.activity,
                c.costs,
                c.hostility_seen,
                ch.0,
            ] {
                h.f64(v);
            }
        }
    }
    for entity in &roster.member_states {
        if let Some(x) = world.entity(*entity).get::<Exposure>() {
            h.f64(x.0);
        }
    }
    let mut incidents: Vec<_> = world
        .query::<(&Incident, &Severity, &Perpetrator, &Attribution, &EuAssessment)>()
        .iter(world)
        .collect();
    incidents.sort_by_key(|(i, ..)| i.seq);
    for (incident, severity, perpetrator, attribution, assessment) in incidents {
        h.u64(u64::from(incident.seq));
        h.str(&incident.id);
        h.bytes(&severity.0);
        for v in &incident.victims {
            h.u64(*v as u64);
        }
        h.u64(perpetrator.adversary as u64);
        for row in &attribution.posterior {
            for p in row {
                h.f64(*p);
            }
        }
        h.u64(assessment.candidate as u64);
        h.f64(assessment.probability);
    }
    for pending in &world.resource::<PendingMeasures>().0 {
        h.u64(pending.measure.0 as u64);
        h.u64(u64::from(pending.due));
        h.u64(pending.named.map_or(u64::MAX, |n| n as u64));
        h.f64(pending.unity);
        h.f64(pending.confidence);
    }
    h.u64(world.resource::<VoteLog>().0.len() as u64);
    for position in world.resource::<Streams>().positions() {
        h.bytes(&position.to_le_bytes());
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_reference_vectors() {
        let mut h = Fnv64::default();
        h.bytes(b"a");
        assert_eq!(h.finish(), 0xaf63dc4c8601ec8c);
        let mut h = Fnv64::default();
        h.bytes(b"foobar");
        assert_eq!(h.finish(), 0x85944171f73967e8);
    }
}
