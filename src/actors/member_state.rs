//! A Member State: attribution is its sovereign political decision, so each keeps its own view.

use bevy::prelude::*;

/// One of the 27 Member States.
#[derive(Component, Debug, Clone)]
pub struct MemberState {
    /// Position in the roster (protocol order); indexes per-state tables.
    pub index: usize,
    /// EU country code.
    pub code: String,
    /// Short name.
    pub name: String,
}

/// How good its intelligence and forensics are, 0 to 1.
#[derive(Component, Debug, Clone, Copy)]
pub struct AttributionCapability(pub f64);

/// How exposed it is to malicious cyber activity, 0 to 1; resilience measures lower it.
#[derive(Component, Debug, Clone, Copy)]
pub struct Exposure(pub f64);

/// Its attitude to each adversary, indexed by adversary index, as of the story's date.
#[derive(Component, Debug, Clone)]
pub struct Attitudes {
    /// Firmness, -1 (accommodating) to 1 (firm).
    pub stance: Vec<f64>,
    /// Economic ties, 0 to 1.
    pub ties: Vec<f64>,
    /// Willingness to attribute publicly, 0 to 1: how readily it agrees to name a State.
    pub candour: f64,
    /// What the actors file and the scenario give, before any era ([`super::Era`]).
    pub before: Before,
    /// How many of the roster's eras are in effect in `stance` and `ties`.
    pub eras: usize,
}

/// A Member State's attitudes before any era, and which of them the scenario set itself (an era
/// leaves those alone: the scenario's reading of its date).
#[derive(Debug, Clone, Default)]
pub struct Before {
    /// Stance, by adversary index.
    pub stance: Vec<f64>,
    /// Economic ties, by adversary index.
    pub ties: Vec<f64>,
    /// Whether the scenario set the stance, by adversary index.
    pub own_stance: Vec<bool>,
    /// Whether the scenario set the ties, by adversary index.
    pub own_ties: Vec<bool>,
}

impl Attitudes {
    /// Its attitudes with the first `count` of `eras` in effect.
    pub fn enter(&mut self, eras: &[super::Era], count: usize) {
        self.stance.clone_from(&self.before.stance);
        self.ties.clone_from(&self.before.ties);
        for era in &eras[..count.min(eras.len())] {
            let a = era.adversary;
            if a < self.stance.len() && !self.before.own_stance[a] {
                self.stance[a] = (self.stance[a] + era.stance).clamp(-1.0, 1.0);
            }
            if a < self.ties.len() && !self.before.own_ties[a] {
                self.ties[a] *= era.ties;
            }
        }
        self.eras = count;
    }
}

/// Marks a Member State whose vote a human player casts; the engine votes for the others.
#[derive(Component, Debug, Clone, Copy)]
pub struct PlayerSeat;
