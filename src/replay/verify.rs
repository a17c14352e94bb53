//! Verifying a replay: re-run it and compare every turn.

use super::Replay;
use crate::scenario::Scenario;

/// The first thing that differs between a replay and its re-run.
#[derive(Debug, Clone, PartialEq)]
pub struct Divergence {
    /// The first turn that differs.
    pub turn: u32,
    /// What differs, in plain words.
    pub what: Vec<String>,
}

/// The result of a verification.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Every turn's checksum and every vote matched.
    Verified {
        /// Turns compared.
        turns: usize,
        /// Whether the exercise had ended at the last recorded turn; a run saved while it was
        /// still being played (the window saves after every turn) verifies as far as it went.
        ended: bool,
    },
    /// The scenario is not the one recorded: nothing else can be trusted.
    ScenarioChanged {
        /// Hash recorded in the replay.
        recorded: String,
        /// Hash of the scenario given now.
        current: String,
    },
    /// The re-run differs.
    Diverged(Divergence),
}

/// Re-runs a replay on `scenario` and compares it turn by turn.
pub fn verify(replay: &Replay, scenario: Scenario) -> Verdict {
    let current = super::scenario_hash(&scenario);
    if current != replay.scenario.hash {
        return Verdict::ScenarioChanged {
            recorded: replay.scenario.hash.clone(),
            current,
        };
    }
    let mut votes = replay.votes.iter();
    let mut divergence = None;
    let (sim, ended_early) = replay.walk(scenario, None, |_, mark, run| {
        let mut what = Vec::new();
        let checksum = format!("{:016x}", run.checksum);
        if checksum != mark.checksum {
            what.push(format!("checksum: recorded {}, re-run {checksum}", mark.checksum));
        }
        for (name, recorded, now) in [
            ("escalation", mark.escalation, run.escalation),
            ("misperception", mark.misperception, run.misperception),
            ("perceived resolve", mark.perceived_resolve, run.perceived_resolve),
            ("cohesion", mark.cohesion, run.cohesion),
        ] {
            if recorded.to_bits() != now.to_bits() {
                what.push(format!("{name}: recorded {recorded:.4}, re-run {now:.4}"));
            }
        }
        let injects: Vec<String> = run.injects.iter().map(|i| i.id.clone()).collect();
        if injects != mark.injects {
            what.push(format!("injects: recorded {:?}, re-run {:?}", mark.injects, injects));
        }
        for vote in &run.votes {
            match votes.next() {
                Some(recorded) if recorded == vote => {}
                Some(recorded) => what.push(format!(
                    "the vote on {} {}",
                    vote.measure,
                    vote_difference(recorded, vote)
                )),
                None => what.push(format!(
                    "a vote on {} happens that the replay does not record",
                    vote.measure
                )),
            }
        }
        if what.is_empty() {
            return std::ops::ControlFlow::Continue(());
        }
        let decisions: Vec<String> = replay
            .decisions
            .iter()
            .filter(|d| d.turn == mark.turn)
            .map(|d| d.decision.measure.clone())
            .collect();
        if !decisions.is_empty() {
            what.push(format!("decisions recorded for this turn: {}", decisions.join(", ")));
        }
        divergence = Some(Divergence { turn: mark.turn, what });
        std::ops::ControlFlow::Break(())
    });
    if let Some(divergence) = divergence {
        return Verdict::Diverged(divergence);
    }
    if let Some(turn) = ended_early {
        return Verdict::Diverged(Divergence {
            turn,
            what: vec![format!("the re-run ended before turn {turn} (the replay records it)")],
        });
    }
    if let Some(extra) = votes.next() {
        return Verdict::Diverged(Divergence {
            turn: extra.turn,
            what: vec![format!(
                "the replay records a vote on {} that the re-run never holds",
                extra.measure
            )],
        });
    }
    // Every recorded turn reproduced, so the re-run stands where the recorded run stood: if it
    // could go on, the run was saved before its end.
    Verdict::Verified {
        turns: replay.turns.len(),
        ended: !sim.running(),
    }
}

/// What differs between a recorded vote and its re-run, in words: the first ballot that differs
/// (the Member State, both ballots and their reasons), else the first other field.
fn vote_difference(recorded: &crate::council::VoteRecord, rerun: &crate::council::VoteRecord) -> String {
    use crate::council::Ballot;
    let ballot = |b: &Ballot| match b {
        Ballot::For => "for".to_owned(),
        Ballot::Abstain => "abstains".to_owned(),
        Ballot::Silence => "silent".to_owned(),
        Ballot::Object(why) => format!("objects ({why}; code {why:?})"),
    };
    for (i, ((code, was), (code_now, now))) in recorded.ballots.iter().zip(&rerun.ballots).enumerate() {
        if code != code_now {
            return format!(
                "lists {code} in place {} of its ballots; the re-run lists {code_now}",
                i + 1
            );
        }
        if was != now {
            return format!(
                "was recorded with {code} {} and re-runs with {code} {}",
                ballot(was),
                ballot(now)
            );
        }
    }
    if recorded.ballots.len() != rerun.ballots.len() {
        return format!(
            "was recorded with {} ballots and re-runs with {}",
            recorded.ballots.len(),
            rerun.ballots.len()
        );
    }
    if recorded.turn != rerun.turn {
        return format!(
            "was recorded at turn {} and re-runs at turn {}",
            recorded.turn, rerun.turn
        );
    }
    if recorded.incident != rerun.incident {
        return format!(
            "was recorded on incident {:?} and re-runs on {:?}",
            recorded.incident, rerun.incident
        );
    }
    if recorded.adopted != rerun.adopted {
        return format!(
            "was recorded as {} and re-runs as {}",
            recorded.result(),
            rerun.result()
        );
    }
    if recorded.stage != rerun.stage || recorded.rule != rerun.rule || recorded.review != rerun.review {
        return format!(
            "was recorded at {:?} by {:?} (review {}) and re-runs at {:?} by {:?} (review {})",
            recorded.stage, recorded.rule, recorded.review, rerun.stage, rerun.rule, rerun.review
        );
    }
    format!(
        "was recorded costing cohesion {:e} and re-runs costing {:e}",
        recorded.cohesion_cost, rerun.cohesion_cost
    )
}
