//! The turn checksum: a 64-bit FNV-1a hash of the canonical simulation state.
//!
//! Canonical means in a fixed order that owes nothing to storage: Member States in protocol
//! order, adversaries in cast order, incidents in order of appearance, floats by their exact bits.
//! The position of every random stream is included, so an extra or missing draw is caught.

use crate::actors::{Beliefs, Campaign, Channel, Exposure, Posture, Roster};
use crate::attribution::{Attribution, EuAssessment};
use crate::council::{Files, PendingMeasures, VoteLog};
use crate::incidents::{Incident, Perpetrator, Severity};
use crate::state::Crisis;
use crate::turn::{Streams, TurnClock};
use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

/// FNV-1a with 64-bit words as its unit (each word is XORed in, then multiplied by the FNV
/// prime), written out because the exact algorithm is part of the replay format. Byte strings are
/// fed as their length followed by their bytes in little-endian words, zero-padded.
#[derive(Debug, Clone, Copy)]
pub struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    /// Feeds one word.
    pub fn u64(&mut self, v: u64) {
        self.0 ^= v;
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
    }
    /// Feeds a float by its exact bits.
    pub fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }
    /// Feeds bytes with their length, so that ("ab","c") and ("a","bc") differ.
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.u64(bytes.len() as u64);
        // Whole words straight from the bytes; only the last, short one is padded (a copy of
        // a length unknown at compile time is a call to memcpy, once per word it was).
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.u64(u64::from_le_bytes(word.try_into().expect("an exact chunk is 8 bytes")));
        }
        let tail = words.remainder();
        if !tail.is_empty() {
            let mut word = [0u8; 8];
            word[..tail.len()].copy_from_slice(tail);
            self.u64(u64::from_le_bytes(word));
        }
    }
    /// Feeds a string.
    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    /// The hash so far.
    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// Everything the checksum covers, read through cached queries.
#[derive(SystemParam)]
pub struct StateView<'w, 's> {
    clock: Res<'w, TurnClock>,
    crisis: Res<'w, Crisis>,
    roster: Res<'w, Roster>,
    pending: Res<'w, PendingMeasures>,
    files: Res<'w, Files>,
    history: Res<'w, crate::decisions::History>,
    councils: Query<'w, 's, &'static crate::actors::Council>,
    votes: Res<'w, VoteLog>,
    streams: Res<'w, Streams>,
    adversaries: Query<'w, 's, (&'static Posture, &'static Beliefs, &'static Campaign, &'static Channel)>,
    states: Query<'w, 's, &'static Exposure>,
    incidents: Query<
        'w,
        's,
        (
            &'static Incident,
            &'static Severity,
            &'static Perpetrator,
            &'static Attribution,
            &'static EuAssessment,
            &'static crate::incidents::Theft,
        ),
    >,
}

impl StateView<'_, '_> {
    /// Checksums the whole simulation state.
    pub fn checksum(&self) -> u64 {
        let mut h = Fnv64::default();
        h.u64(u64::from(self.clock.turn));
        let c = &*self.crisis;
        for v in [
            c.escalation,
            c.peak_escalation,
            c.misperception,
            c.perceived_resolve,
            c.cohesion,
            c.shared_awareness,
        ] {
            h.f64(v);
        }
        for entity in &self.roster.adversaries {
            if let Ok((p, b, c, ch)) = self.adversaries.get(*entity) {
                for v in [
                    p.intent,
                    p.capability,
                    p.risk_tolerance,
                    p.ceiling,
                    b.resolve,
                    b.trust,
                    c.activity,
                    c.costs,
                    c.hostility_seen,
                    c.addressed,
                    c.on_record,
                    c.retaliation,
                    c.tension,
                    c.planned_resolve,
                    c.standing.unwrap_or(f64::NAN),
                    c.level,
                    c.felt,
                    ch.0,
                ] {
                    h.f64(v);
                }
            }
        }
        for entity in &self.roster.member_states {
            if let Ok(x) = self.states.get(*entity) {
                h.f64(x.0);
            }
        }
        let mut incidents: Vec<_> = self.incidents.iter().collect();
        incidents.sort_by_key(|(i, ..)| i.seq);
        for (incident, severity, perpetrator, attribution, assessment, theft) in incidents {
            h.u64(u64::from(incident.seq));
            h.str(&incident.id);
            h.bytes(&severity.0);
            h.u64(u64::from(theft.0));
            for v in &incident.victims {
                h.u64(*v as u64);
            }
            h.u64(perpetrator.adversary as u64);
            for p in attribution.flat() {
                h.f64(*p);
            }
            h.u64(assessment.candidate as u64);
            h.f64(assessment.probability);
        }
        for pending in &self.pending.0 {
            h.u64(pending.measure.0 as u64);
            h.u64(u64::from(pending.due));
            h.u64(pending.named.map_or(u64::MAX, |n| n as u64));
            h.f64(pending.unity);
            h.f64(pending.confidence);
            h.f64(pending.strength);
            h.u64(pending.cosigners as u64);
        }
        // Every file in the machinery: where it is, its wording (the Presidency may redraft it),
        // how late, whether held, and the leanings.
        for file in &self.files.0 {
            h.u64(file.measure.0 as u64);
            h.str(file.decision.wording.as_deref().unwrap_or_default());
            h.u64(file.stage as u64);
            h.u64(u64::from(file.delay));
            h.u64(u64::from(file.review));
            h.u64(u64::from(file.embargo));
            h.u64(file.hold.as_ref().map_or(u64::MAX, |hold| u64::from(hold.until)));
            for leaning in &file.leanings {
                h.f64(*leaning);
            }
        }
        h.u64(self.votes.0 as u64);
        for position in self.streams.positions() {
            h.bytes(&position.to_le_bytes());
        }
        h.finish()
    }

    /// The code of the Member State holding the Council Presidency.
    pub fn presidency(&self) -> String {
        self.roster
            .council
            .and_then(|c| self.councils.get(c).ok())
            .and_then(|c| self.roster.codes.get(c.presidency))
            .map(|code| code.to_string())
            .unwrap_or_default()
    }

    /// The clock of the turn being closed.
    pub fn clock(&self) -> &TurnClock {
        &self.clock
    }

    /// The turn being closed.
    pub fn turn(&self) -> u32 {
        self.clock.turn
    }

    /// The crisis as it stands.
    pub fn crisis(&self) -> &Crisis {
        &self.crisis
    }

    /// Each adversary's readings of the EU, in cast order.
    pub fn adversary_readings(&self) -> Vec<super::AdversaryReading> {
        self.roster
            .adversaries
            .iter()
            .zip(&self.roster.adversary_keys)
            .filter_map(|(e, id)| {
                let (_, b, c, _) = self.adversaries.get(*e).ok()?;
                Some(super::AdversaryReading {
                    id: id.clone(),
                    misreading: 1.0 - b.trust,
                    perceived_resolve: b.resolve,
                    activity: c.activity,
                })
            })
            .collect()
    }

    /// The EU assessment of each incident still in political play, in order of appearance.
    pub fn assessments(&self) -> Vec<super::AssessmentRecord> {
        let turn = self.clock.turn;
        let mut active: Vec<_> = self
            .incidents
            .iter()
            .filter(|(i, ..)| turn < crate::decisions::in_play_until(i, &self.clock.calendar, &self.history))
            .collect();
        active.sort_by_key(|(i, ..)| i.seq);
        active
            .into_iter()
            .map(|(incident, _, _, _, a, _)| super::AssessmentRecord {
                incident: incident.id.clone(),
                suspect: self.roster.candidate_key(a.candidate),
                probability: a.probability,
                confidence: std::borrow::Cow::Borrowed(a.confidence().label()),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_and_its_place_counts() {
        let hash = |words: &[u64]| {
            let mut h = Fnv64::default();
            words.iter().for_each(|w| h.u64(*w));
            h.finish()
        };
        assert_eq!(hash(&[]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(
            hash(&[1]),
            (0xcbf2_9ce4_8422_2325_u64 ^ 1).wrapping_mul(0x0000_0100_0000_01b3)
        );
        assert_ne!(hash(&[1, 2]), hash(&[2, 1]));
        let (mut a, mut b) = (Fnv64::default(), Fnv64::default());
        a.str("ab");
        a.str("c");
        b.str("a");
        b.str("bc");
        assert_ne!(a.finish(), b.finish());
    }
}
