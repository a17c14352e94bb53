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
    Object(Reason),
    /// A Member State held by people that said nothing when the file was tabled: under the
    /// silence procedure, assent. Recorded as silence, not as a vote.
    Silence,
}

/// Why a Member State objects: a code with its parameters, put into words only when shown, so
/// that rewording a reason never changes a recorded vote (replays verify their votes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reason {
    /// Its stance towards the State the measure concerns (by adversary id): it prefers engaging it.
    Engagement(Arc<str>),
    /// Its economic ties with the State the measure concerns (by adversary id).
    Ties(Arc<str>),
    /// Its own services' confidence in the attribution falls short (percent).
    NotConvinced(u8),
    /// The measure goes beyond a proportionate response.
    Disproportionate,
    /// Unwilling to attribute publicly: it wants a wording that names no State.
    NoNaming,
    /// Domestic politics the model does not see.
    National,
    /// People at the table: "its government cannot support it".
    CannotSupport,
    /// People at the table: the attribution is not convincing enough to act on.
    WeakAttribution,
    /// People at the table: the response is not proportionate to the harm.
    NotProportionate,
    /// People at the table: the cost to their economy is too high.
    EconomicCost,
    /// People at the table: too early, the shared assessment first.
    TooEarly,
    /// A delegation with reservations on a text being drafted (recorded with a redraft).
    Reservations,
    /// People at the table, in their own words: what they said goes to the exercise's journal,
    /// the vote records only that it was another reason.
    Other,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Engagement(id) => write!(f, "prefers engagement with {}", crate::actors::adversary_name(id)),
            Reason::Ties(id) => write!(f, "economic ties with {}", crate::actors::adversary_name(id)),
            Reason::NotConvinced(percent) => {
                write!(f, "not convinced by the attribution (own confidence {percent}%)")
            }
            Reason::Disproportionate => f.write_str("considers the measure disproportionate"),
            Reason::NoNaming => f.write_str("prefers a wording that names no State"),
            Reason::National => f.write_str("national considerations"),
            Reason::CannotSupport => f.write_str("its government cannot support it"),
            Reason::WeakAttribution => f.write_str("the attribution is not convincing enough to act on"),
            Reason::NotProportionate => f.write_str("the response is not proportionate to the harm"),
            Reason::EconomicCost => f.write_str("the cost to our economy is too high"),
            Reason::TooEarly => f.write_str("it is too early: we want the shared assessment first"),
            Reason::Reservations => f.write_str("reservations on the wording"),
            Reason::Other => f.write_str("other reasons, given at the table"),
        }
    }
}

impl Reason {
    /// The reasons a delegation gives by name (`demarche join --position`), as the engine
    /// records them.
    pub const NAMED: [(&'static str, Reason); 8] = [
        ("cannot-support", Reason::CannotSupport),
        ("weak-attribution", Reason::WeakAttribution),
        ("not-proportionate", Reason::NotProportionate),
        ("economic-cost", Reason::EconomicCost),
        ("too-early", Reason::TooEarly),
        ("no-naming", Reason::NoNaming),
        ("national", Reason::National),
        ("reservations", Reason::Reservations),
    ];

    /// A reason as a delegation gives it: one of [`Reason::NAMED`] (`_` or `-`, any case), else
    /// its own words, recorded as [`Reason::Other`].
    pub fn given(text: &str) -> Reason {
        let key = text.trim().to_ascii_lowercase().replace('_', "-");
        Self::NAMED
            .iter()
            .find(|(name, _)| *name == key)
            .map_or(Reason::Other, |(_, reason)| reason.clone())
    }
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
    pub fn objections(&self) -> impl Iterator<Item = (&str, &Reason)> {
        self.ballots.iter().filter_map(|(code, ballot)| match ballot {
            Ballot::Object(why) => Some((&**code, why)),
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
        let aside = if self.rule == Rule::Consensus {
            "with reservations"
        } else {
            "abstaining"
        };
        let mut line = format!(
            "{review}{}, {}: {yes} for, {abstain} {aside}, {no} objecting: {}",
            self.stage.short(),
            self.rule.code(),
            self.result()
        );
        if !abstainers.is_empty() {
            line.push_str(&format!(" ({}: {})", self.standing_aside(), abstainers.join(", ")));
        }
        line
    }

    /// How the Member States that stood aside are named: in a silence procedure nobody votes,
    /// and a delegation with reservations keeps silent; elsewhere it abstains.
    pub fn standing_aside(&self) -> &'static str {
        if self.stage == Stage::SilenceProcedure {
            "kept silent with reservations"
        } else if self.rule == Rule::Consensus {
            // A consensus text has no abstention: a delegation joins it, perhaps with
            // reservations, or the text falls.
            "joined with reservations"
        } else {
            "abstaining"
        }
    }

    /// How many stood aside, in the vote's own words ([`Self::standing_aside`]): `1 kept silent
    /// with reservations`, `2 abstaining`, `0`.
    pub fn aside_count(&self) -> String {
        match self.tally().1 {
            0 => "0".to_owned(),
            n => format!("{n} {}", self.standing_aside()),
        }
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

/// How many votes the Council has held in the run (the votes themselves are in each turn's
/// record): part of the turn checksum.
#[derive(Resource, Debug, Clone, Copy, Default)]
pub struct VoteLog(pub usize);

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
    /// The adversary the measure concerns, by id, for reasons.
    pub adversary: Option<&'a Arc<str>>,
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
    // Each term with the reason it gives when it weighs most against the measure.
    let terms = [
        (W_STANCE * w.stance * if naming { 1.0 } else { 0.7 }, Some(Term::Stance)),
        (W_EXPOSURE * w.exposure * if w.victim { 1.0 } else { 0.4 }, None),
        (
            w.own_confidence.map_or(0.0, |c| W_CONFIDENCE * (c - w.required)),
            Some(Term::Confidence),
        ),
        (-W_TIES * w.ties * w.cost, Some(Term::Ties)),
        (-W_DISPROPORTION * w.disproportion, Some(Term::Disproportion)),
        (W_COHESION * (w.cohesion - 0.5), None),
        // Naming a State at a higher rung asks more of a Member State unwilling to attribute
        // publicly, and of one with ties to that State.
        (
            -W_RELUCTANCE * w.reluctance * (1.0 - w.candour + 0.5 * w.ties),
            Some(Term::Reluctance),
        ),
    ];
    let support = BASE + terms.iter().map(|(v, _)| v).sum::<f64>() + VOTE_NOISE * noise;
    if support >= 0.0 {
        return Ballot::For;
    }
    if support >= OBJECTION_LINE {
        return Ballot::Abstain;
    }
    let (value, term) =
        terms
            .iter()
            .filter_map(|(v, term)| term.map(|t| (*v, t)))
            .fold(
                (f64::MAX, None),
                |best, (v, t)| if v < best.0 { (v, Some(t)) } else { best },
            );
    // A term that does not weigh against the measure is no reason: what tipped the Member State
    // over is domestic politics the model does not see.
    let reason = match (term, w.adversary) {
        _ if value >= 0.0 => Reason::National,
        (Some(Term::Stance), Some(id)) => Reason::Engagement(Arc::clone(id)),
        (Some(Term::Ties), Some(id)) => Reason::Ties(Arc::clone(id)),
        (Some(Term::Confidence), _) => {
            Reason::NotConvinced(libm::round(w.own_confidence.unwrap_or(0.0).clamp(0.0, 1.0) * 100.0) as u8)
        }
        (Some(Term::Disproportion), _) => Reason::Disproportionate,
        (Some(Term::Reluctance), _) => Reason::NoNaming,
        _ => Reason::National,
    };
    Ballot::Object(reason)
}

/// The terms of a Member State's support that can be its reason to object.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Term {
    Stance,
    Confidence,
    Ties,
    Disproportion,
    Reluctance,
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
            adversary: Some(&BOREALIA),
        }
    }

    static BOREALIA: std::sync::LazyLock<Arc<str>> = std::sync::LazyLock::new(|| Arc::from("borealia"));

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
        let ballot = cast_ballot(&w, 0.0);
        assert_eq!(ballot, Ballot::Object(Reason::Ties(Arc::from("borealia"))));
        let Ballot::Object(reason) = ballot else { unreachable!() };
        assert_eq!(reason.to_string(), "economic ties with Borealia");
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
        assert_eq!(reason, Reason::NotConvinced(30));
        assert_eq!(
            reason.to_string(),
            "not convinced by the attribution (own confidence 30%)"
        );
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
        ballots[17].1 = Ballot::Object(Reason::National);
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
