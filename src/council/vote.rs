//! The Council vote. Every Member State that no player holds votes from its stance towards the
//! adversary, its exposure, its own attribution confidence, its economic ties and its view of
//! proportionality. One objection blocks under either rule. A text agreed by **consensus**
//! (declarations on behalf of the EU, conclusions, solidarity statements) knows no constructive
//! abstention: abstaining only means not blocking. A CFSP decision by **unanimity** (a sanctions
//! framework, a listing) fails on abstentions too when the abstainers represent at least one third
//! of the Member States comprising at least one third of the Union's population (Art. 31(1) TEU).

use crate::toolbox::{Rule, Stage};
use bevy::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One Member State's ballot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Ballot {
    /// In favour.
    For,
    /// Constructive abstention: does not block, does not apply the decision itself.
    Abstain,
    /// Objection, with the reason it gave. Blocks the decision.
    Object(String),
    /// A Member State held by people that said nothing when the file was tabled: under the
    /// silence procedure, assent. Recorded as silence, not as a vote.
    Silence,
}

/// One vote of the Council, as recorded for the after-action report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoteRecord {
    /// Turn of the vote.
    pub turn: u32,
    /// Measure voted on.
    pub measure: String,
    /// Incident it answered.
    pub incident: Option<String>,
    /// The rule it was taken by (consensus or unanimity).
    pub rule: Rule,
    /// Where in the machinery: the decision itself (the Council, a written or silence
    /// procedure), or an earlier stage where a hold ran out and the file was withdrawn.
    pub stage: Stage,
    /// Whether it was the review of a decision in force (a listing's yearly review).
    #[serde(default)]
    pub review: bool,
    /// Each Member State's ballot, in protocol order.
    pub ballots: Vec<(Arc<str>, Ballot)>,
    /// Whether the decision was adopted.
    pub adopted: bool,
    /// Cohesion the failure to agree cost the EU, 0 to 1 (0 when adopted).
    #[serde(default)]
    pub cohesion_cost: f64,
}

impl VoteRecord {
    /// Each objecting Member State with the reason it gave, in protocol order.
    pub fn objections(&self) -> impl Iterator<Item = (&str, &str)> {
        self.ballots.iter().filter_map(|(code, ballot)| match ballot {
            Ballot::Object(why) => Some((&**code, why.as_str())),
            _ => None,
        })
    }

    /// What became of it, in words: adopted, blocked, or blocked by constructive abstention.
    pub fn result(&self) -> String {
        match (self.adopted, self.review) {
            (true, true) => "renewed".to_owned(),
            (true, false) => "adopted".to_owned(),
            _ if !self.stage.adopts() => format!("held in the {} and withdrawn", self.stage.short()),
            _ if self.objections().next().is_some() => {
                if self.review { "not renewed: lapsed" } else { "blocked" }.to_owned()
            }
            _ => "blocked by constructive abstention (a third of the States and of the population)".to_owned(),
        }
    }

    /// What happened, in the words of the procedure: a silence procedure is agreed or broken, a
    /// stage before the decision holds a file, and only the Council (or a written procedure)
    /// counts votes. `silence procedure: agreed, no delegation broke the silence (HU kept silent with
    /// reservations)`;
    /// `held in the PSC by HU (its reason) and withdrawn`; `Council, unanimity: 26 for, 2
    /// abstaining: adopted`.
    pub fn summary(&self) -> String {
        let line = self.course();
        if self.cohesion_cost > 0.0 {
            let seen = if self.stage.drafting() {
                "among diplomats"
            } else {
                "and the adversary reads division"
            };
            format!(
                "{line}; it cost the EU {:.1} points of cohesion, {seen}",
                self.cohesion_cost * 100.0
            )
        } else {
            line
        }
    }

    /// What happened to the file, without its price.
    fn course(&self) -> String {
        let review = if self.review { "review, " } else { "" };
        let objections: Vec<String> = self.objections().map(|(c, why)| format!("{c} ({why})")).collect();
        let abstainers = self.abstainers();
        // In a silence procedure a delegation breaks the silence or does not: one with
        // reservations keeps silent, and the text goes out on behalf of all.
        let aside = if abstainers.is_empty() {
            String::new()
        } else {
            format!(" ({} kept silent with reservations)", abstainers.join(", "))
        };
        if !self.stage.adopts() {
            return format!(
                "{review}held in the {} by {} and withdrawn",
                self.stage.short(),
                objections.join(", ")
            );
        }
        if self.stage == Stage::SilenceProcedure {
            return if self.adopted {
                format!("{review}silence procedure: agreed, no delegation broke the silence{aside}")
            } else {
                format!("{review}silence procedure: silence broken by {}", objections.join(", "))
            };
        }
        let (yes, abstain, no) = self.tally();
        let mut line = format!(
            "{review}{}, {}: {yes} for, {abstain} abstaining, {no} objecting: {}",
            self.stage.short(),
            self.rule.code(),
            self.result()
        );
        if !abstainers.is_empty() {
            line.push_str(&format!(" (abstaining: {})", abstainers.join(", ")));
        }
        line
    }

    /// The Member States that abstained, in protocol order.
    pub fn abstainers(&self) -> Vec<&str> {
        self.ballots
            .iter()
            .filter(|(_, b)| *b == Ballot::Abstain)
            .map(|(code, _)| &**code)
            .collect()
    }

    /// Where in the machinery it was decided: `silence procedure`, `PSC`, `review at the
    /// Council`.
    pub fn place(&self) -> String {
        let stage = self.stage.short();
        if self.review {
            format!("review at the {stage}")
        } else {
            stage.to_owned()
        }
    }

    /// The objections with their reasons, then who abstained, in one line for reports.
    pub fn positions_line(&self) -> String {
        let mut parts: Vec<String> = self
            .objections()
            .map(|(c, why)| format!("{c} objects: {why}"))
            .collect();
        let abstainers = self.abstainers();
        if !abstainers.is_empty() {
            parts.push(format!("abstaining: {}", abstainers.join(", ")));
        }
        parts.join("; ")
    }

    /// How many held Member States stayed silent (counted as assent in [`VoteRecord::tally`]).
    pub fn silent(&self) -> usize {
        self.ballots.iter().filter(|(_, b)| *b == Ballot::Silence).count()
    }

    /// Counts of (for, abstain, object); silence is assent and counts as for.
    pub fn tally(&self) -> (usize, usize, usize) {
        let mut t = (0, 0, 0);
        for (_, b) in &self.ballots {
            match b {
                Ballot::For | Ballot::Silence => t.0 += 1,
                Ballot::Abstain => t.1 += 1,
                Ballot::Object(_) => t.2 += 1,
            }
        }
        t
    }
}

/// Whether a Council decision passes under its rule, from the ballots in protocol order and the
/// Member States' populations in the same order.
pub fn passes(rule: Rule, ballots: &[(Arc<str>, Ballot)], populations: &[u32]) -> bool {
    if ballots.iter().any(|(_, b)| matches!(b, Ballot::Object(_))) {
        return false;
    }
    rule != Rule::Unanimity || !abstention_blocks(ballots, populations)
}

/// Art. 31(1) TEU: "If the members of the Council qualifying their abstention in this way
/// represent at least one third of the Member States comprising at least one third of the
/// population of the Union, the decision shall not be adopted." Both thirds, in whole numbers.
pub fn abstention_blocks(ballots: &[(Arc<str>, Ballot)], populations: &[u32]) -> bool {
    let (states, people) = ballots
        .iter()
        .zip(populations)
        .filter(|((_, ballot), _)| matches!(ballot, Ballot::Abstain))
        .fold((0usize, 0u64), |(n, p), (_, &population)| {
            (n + 1, p + u64::from(population))
        });
    let total: u64 = populations.iter().map(|&p| u64::from(p)).sum();
    states * 3 >= ballots.len() && people * 3 >= total
}

/// Every vote of the run.
#[derive(Resource, Debug, Clone, Default)]
pub struct VoteLog(pub Vec<VoteRecord>);

/// The terms of a Member State's support, before they are added up.
#[derive(Debug, Clone)]
pub struct VoteWeights<'a> {
    /// Firmness towards the adversary concerned, -1 to 1.
    pub stance: f64,
    /// Its exposure, 0 to 1.
    pub exposure: f64,
    /// Whether it was hit.
    pub victim: bool,
    /// Whether the measure points at a State: firmness towards it then counts in full.
    pub names: bool,
    /// Its own probability that the named candidate did it, when the measure asks it to vouch for
    /// the attribution (not when the EU only echoes partners).
    pub own_confidence: Option<f64>,
    /// Confidence the measure requires, 0 to 1.
    pub required: f64,
    /// Economic ties with the adversary concerned, 0 to 1.
    pub ties: f64,
    /// Cost of the measure, 0 to 1.
    pub cost: f64,
    /// How far the measure exceeds a proportionate response, 0 to 1.
    pub disproportion: f64,
    /// Current EU cohesion, 0 to 1.
    pub cohesion: f64,
    /// How reluctant a Member State unwilling to attribute publicly is to agree to the rung of
    /// the statement's wording, 0 to 1 (0 for a measure that is not worded).
    pub reluctance: f64,
    /// Its willingness to attribute publicly, 0 to 1.
    pub candour: f64,
    /// Adversary's name, for reasons.
    pub adversary: &'a str,
}

const BASE: f64 = 0.15;
const W_STANCE: f64 = 0.6;
const W_EXPOSURE: f64 = 0.4;
const W_CONFIDENCE: f64 = 1.5;
const W_TIES: f64 = 2.0;
const W_DISPROPORTION: f64 = 2.0;
const W_COHESION: f64 = 0.5;
/// Weight of a Member State's reluctance to attribute publicly at the rung of a statement.
const W_RELUCTANCE: f64 = 1.5;
/// Spread of idiosyncratic support (domestic politics the model does not see).
pub const VOTE_NOISE: f64 = 0.15;
/// Support below which a Member State objects rather than abstains.
const OBJECTION_LINE: f64 = -0.2;

/// The ballot of a Member State the engine plays, given its terms and a standard normal draw.
/// Lukewarm support abstains: under consensus that means staying silent, under unanimity a
/// constructive abstention.
pub fn cast_ballot(w: &VoteWeights, noise: f64) -> Ballot {
    let naming = w.names;
    let terms = [
        (
            W_STANCE * w.stance * if naming { 1.0 } else { 0.7 },
            "does not share a firm line",
        ),
        (W_EXPOSURE * w.exposure * if w.victim { 1.0 } else { 0.4 }, ""),
        (
            w.own_confidence.map_or(0.0, |c| W_CONFIDENCE * (c - w.required)),
            "not convinced by the attribution",
        ),
        (-W_TIES * w.ties * w.cost, "economic ties"),
        (
            -W_DISPROPORTION * w.disproportion,
            "considers the measure disproportionate",
        ),
        (W_COHESION * (w.cohesion - 0.5), ""),
        // Naming a State at a higher rung asks more of a Member State unwilling to attribute
        // publicly, and of one with ties to that State.
        (
            -W_RELUCTANCE * w.reluctance * (1.0 - w.candour + 0.5 * w.ties),
            "prefers not to attribute publicly",
        ),
    ];
    let support = BASE + terms.iter().map(|(v, _)| v).sum::<f64>() + VOTE_NOISE * noise;
    if support >= 0.0 {
        return Ballot::For;
    }
    if support >= OBJECTION_LINE {
        return Ballot::Abstain;
    }
    let (value, why) = terms
        .iter()
        .filter(|(_, why)| !why.is_empty())
        .fold(
            (f64::MAX, ""),
            |best, (v, why)| if *v < best.0 { (*v, why) } else { best },
        );
    let reason = match why {
        "does not share a firm line" if value < 0.0 => format!("prefers engagement with {}", w.adversary),
        "economic ties" => format!("economic ties with {}", w.adversary),
        "not convinced by the attribution" => format!(
            "not convinced by the attribution (own confidence {:.0}%)",
            w.own_confidence.unwrap_or(0.0) * 100.0
        ),
        "considers the measure disproportionate" => why.to_owned(),
        "prefers not to attribute publicly" => "prefers a wording that names no State".to_owned(),
        _ => "national considerations".to_owned(),
    };
    Ballot::Object(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights() -> VoteWeights<'static> {
        VoteWeights {
            stance: 0.5,
            exposure: 0.6,
            victim: false,
            names: true,
            own_confidence: Some(0.8),
            required: 0.7,
            ties: 0.2,
            cost: 0.1,
            disproportion: 0.0,
            cohesion: 0.7,
            reluctance: 0.0,
            candour: 0.5,
            adversary: "Borealia",
        }
    }

    #[test]
    fn a_firm_convinced_state_votes_for() {
        assert_eq!(cast_ballot(&weights(), 0.0), Ballot::For);
    }

    #[test]
    fn heavy_ties_with_a_costly_measure_bring_an_objection_that_says_so() {
        let w = VoteWeights {
            stance: -0.3,
            ties: 0.9,
            cost: 0.3,
            ..weights()
        };
        assert_eq!(
            cast_ballot(&w, 0.0),
            Ballot::Object("economic ties with Borealia".into())
        );
    }

    #[test]
    fn an_unconvinced_state_says_so() {
        let w = VoteWeights {
            own_confidence: Some(0.3),
            stance: 0.1,
            ..weights()
        };
        let Ballot::Object(reason) = cast_ballot(&w, 0.0) else {
            panic!("expected an objection")
        };
        assert!(reason.contains("attribution"), "{reason}");
    }

    #[test]
    fn echoing_partners_turns_on_firmness_not_on_the_evidence() {
        // Asked to vouch for an attribution it doubts, a firm State objects; asked to stand with
        // partners who made it, the same State agrees.
        let vouch = VoteWeights {
            own_confidence: Some(0.2),
            stance: 0.3,
            ..weights()
        };
        let echo = VoteWeights {
            own_confidence: None,
            ..vouch.clone()
        };
        assert!(matches!(cast_ballot(&vouch, 0.0), Ballot::Object(_)));
        assert_eq!(cast_ballot(&echo, 0.0), Ballot::For);
        // A State that prefers engagement with the adversary objects to the echo however sure
        // its own services are.
        let engaged = VoteWeights {
            stance: -0.6,
            ties: 0.7,
            reluctance: 0.15,
            candour: 0.15,
            own_confidence: None,
            ..weights()
        };
        assert!(matches!(cast_ballot(&engaged, 0.0), Ballot::Object(_)));
    }

    #[test]
    fn lukewarm_support_abstains_rather_than_objects() {
        let w = VoteWeights {
            stance: -0.1,
            ties: 0.5,
            cost: 0.1,
            own_confidence: Some(0.7),
            ..weights()
        };
        assert_eq!(cast_ballot(&w, -2.0), Ballot::Abstain);
    }

    /// The 27 with their 2024 populations, every one voting for.
    fn council() -> (Vec<(Arc<str>, Ballot)>, Vec<u32>) {
        let actors = crate::actors::ActorsData::embedded();
        let ballots = actors
            .members_on(None)
            .map(|m| (Arc::from(m.code.as_str()), Ballot::For))
            .collect();
        (ballots, actors.members_on(None).map(|m| m.population).collect())
    }

    fn abstain(ballots: &mut [(Arc<str>, Ballot)], codes: &[&str]) {
        for (code, ballot) in ballots.iter_mut() {
            if codes.contains(&&**code) {
                *ballot = Ballot::Abstain;
            }
        }
    }

    #[test]
    fn one_objection_stops_a_consensus_text_and_abstention_never_does() {
        let (mut ballots, populations) = council();
        abstain(
            &mut ballots,
            &["DE", "FR", "IT", "ES", "PL", "RO", "NL", "BE", "CZ", "SE"],
        );
        assert!(
            passes(Rule::Consensus, &ballots, &populations),
            "abstaining is not blocking"
        );
        ballots[17].1 = Ballot::Object("national considerations".into());
        assert!(
            !passes(Rule::Consensus, &ballots, &populations),
            "one objection stops it"
        );
        assert!(!passes(Rule::Unanimity, &ballots, &populations));
    }

    #[test]
    fn constructive_abstention_stops_a_listing_only_above_both_thirds() {
        let (mut ballots, populations) = council();
        // Nine small States: a third of the States, a small share of the people.
        let small = ["EE", "LV", "LT", "LU", "MT", "CY", "SI", "HR", "SK"];
        abstain(&mut ballots, &small);
        assert!(
            passes(Rule::Unanimity, &ballots, &populations),
            "a third of the States, 4% of the people"
        );
        // The four largest: well over a third of the people, but four States.
        let (mut ballots, _) = council();
        abstain(&mut ballots, &["DE", "FR", "IT", "ES"]);
        assert!(
            passes(Rule::Unanimity, &ballots, &populations),
            "58% of the people, 4 of 27 States"
        );
        // Nine including the largest: both thirds.
        let (mut ballots, _) = council();
        abstain(&mut ballots, &["DE", "FR", "IT", "ES", "PL", "EE", "LV", "LT", "LU"]);
        assert!(abstention_blocks(&ballots, &populations));
        assert!(
            !passes(Rule::Unanimity, &ballots, &populations),
            "both thirds: not adopted"
        );
        assert!(
            passes(Rule::Consensus, &ballots, &populations),
            "a consensus text does not count abstentions"
        );
        // Eight of them: under a third of the States.
        let (mut ballots, _) = council();
        abstain(&mut ballots, &["DE", "FR", "IT", "ES", "PL", "EE", "LV", "LT"]);
        assert!(
            passes(Rule::Unanimity, &ballots, &populations),
            "8 of 27 States is under a third"
        );
    }
}
