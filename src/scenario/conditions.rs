//! Evaluating inject conditions against the state of the exercise. A pure function of the
//! facts, so the checker, the engine and the tests agree on what a condition means.

use super::{Condition, Judge};
use crate::toolbox::Confidence;
use std::collections::{BTreeMap, BTreeSet};

/// Attribution of one incident as conditions see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttributionFacts {
    /// The EU assessment's probability for its leading candidate.
    pub eu: f64,
    /// The highest probability any Member State gives its leading candidate.
    pub most_confident: f64,
    /// The lowest probability any Member State gives its leading candidate.
    pub least_confident: f64,
}

/// What conditions can look at, at the start of a turn.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The turn about to be played.
    pub turn: u32,
    /// Escalation at the end of the previous turn.
    pub escalation: f64,
    /// Misperception at the end of the previous turn.
    pub misperception: f64,
    /// The adversaries' perceived resolve of the EU at the end of the previous turn.
    pub perceived_resolve: f64,
    /// Cohesion at the end of the previous turn.
    pub cohesion: f64,
    /// Ids of the measures adopted so far.
    pub measures: BTreeSet<String>,
    /// Ids of the Council measures whose file has entered the machinery so far.
    pub opened: BTreeSet<String>,
    /// (incident id, measure id) of the measures adopted so far in answer to an incident.
    pub measures_on: BTreeSet<(String, String)>,
    /// Ids of the injects fired so far.
    pub fired: BTreeSet<String>,
    /// Attribution of each incident so far, by the id of the inject that revealed it.
    pub attribution: BTreeMap<String, AttributionFacts>,
}

/// Whether a condition holds.
pub fn holds(condition: &Condition, facts: &Facts) -> bool {
    match condition {
        Condition::EscalationAbove(x) => facts.escalation > *x,
        Condition::EscalationBelow(x) => facts.escalation < *x,
        Condition::MisperceptionAbove(x) => facts.misperception > *x,
        Condition::MisperceptionBelow(x) => facts.misperception < *x,
        Condition::PerceivedResolveAbove(x) => facts.perceived_resolve > *x,
        Condition::PerceivedResolveBelow(x) => facts.perceived_resolve < *x,
        Condition::CohesionAbove(x) => facts.cohesion > *x,
        Condition::CohesionBelow(x) => facts.cohesion < *x,
        Condition::MeasureTaken(m) => facts.measures.contains(m),
        Condition::FileOpened(m) => facts.opened.contains(m),
        Condition::MeasureTakenOn { measure, incident } => {
            facts.measures_on.contains(&(incident.clone(), measure.clone()))
        }
        Condition::Fired(i) => facts.fired.contains(i),
        Condition::Attribution { incident, level, by } => facts.attribution.get(incident).is_some_and(|a| {
            let p = match by {
                Judge::EuAssessment => a.eu,
                Judge::AnyMemberState => a.most_confident,
                Judge::AllMemberStates => a.least_confident,
            };
            Confidence::of(p) >= *level
        }),
        Condition::TurnBetween(a, b) => (*a..=*b).contains(&facts.turn),
        Condition::AllOf(all) => all.iter().all(|c| holds(c, facts)),
        Condition::AnyOf(any) => any.iter().any(|c| holds(c, facts)),
        Condition::Not(c) => !holds(c, facts),
    }
}

/// The turns at whose end an objective's condition did not hold although it holds at the end:
/// its readings (escalation, misperception, perceived resolve, cohesion) are states the
/// objective asks to keep ("escalation stays below destructive operations"), judged at the end
/// of every turn with that turn's readings; everything else is an achievement (a measure adopted,
/// an attribution reached), judged once, at the end (`end`). `turns` are each turn's number and
/// its end-of-turn readings in [`Facts`] (only the readings and the turn are read from them).
/// Empty when the condition does not hold at the end: it failed, it did not lapse.
pub fn lapses(condition: &Condition, end: &Facts, turns: &[Facts]) -> Vec<u32> {
    if !holds(condition, end) {
        return Vec::new();
    }
    turns
        .iter()
        .filter(|t| !holds_with(condition, t, end))
        .map(|t| t.turn)
        .collect()
}

/// Whether a condition holds with its readings taken from `now` and its achievements from `end`.
fn holds_with(condition: &Condition, now: &Facts, end: &Facts) -> bool {
    match condition {
        Condition::EscalationAbove(_)
        | Condition::EscalationBelow(_)
        | Condition::MisperceptionAbove(_)
        | Condition::MisperceptionBelow(_)
        | Condition::PerceivedResolveAbove(_)
        | Condition::PerceivedResolveBelow(_)
        | Condition::CohesionAbove(_)
        | Condition::CohesionBelow(_) => holds(condition, now),
        Condition::AllOf(all) => all.iter().all(|c| holds_with(c, now, end)),
        Condition::AnyOf(any) => any.iter().any(|c| holds_with(c, now, end)),
        Condition::Not(c) => !holds_with(c, now, end),
        _ => holds(condition, end),
    }
}

impl Condition {
    /// The condition in plain words, with the scenario's ids.
    pub fn describe(&self) -> String {
        self.describe_with(&|id| id.to_owned(), &|id| id.to_owned())
    }

    /// The condition in plain words, as the debrief and the report explain a rating: measures
    /// named by `measure`, incidents and injects by `event` (their names and headlines for
    /// people, never the scenario's ids).
    pub fn describe_with(&self, measure: &dyn Fn(&str) -> String, event: &dyn Fn(&str) -> String) -> String {
        let join = |items: &[Condition], word: &str| {
            items
                .iter()
                .map(|c| c.describe_with(measure, event))
                .collect::<Vec<_>>()
                .join(word)
        };
        match self {
            Condition::EscalationAbove(x) => format!("escalation above {x:.1}"),
            Condition::EscalationBelow(x) => format!("escalation below {x:.1}"),
            Condition::MisperceptionAbove(x) => format!("misperception above {:.0}%", x * 100.0),
            Condition::MisperceptionBelow(x) => format!("misperception below {:.0}%", x * 100.0),
            Condition::PerceivedResolveAbove(x) => format!("perceived resolve above {:.0}%", x * 100.0),
            Condition::PerceivedResolveBelow(x) => format!("perceived resolve below {:.0}%", x * 100.0),
            Condition::CohesionAbove(x) => format!("cohesion above {:.0}%", x * 100.0),
            Condition::CohesionBelow(x) => format!("cohesion below {:.0}%", x * 100.0),
            Condition::MeasureTaken(m) => format!("{} adopted", measure(m)),
            Condition::FileOpened(m) => format!("a file of {} tabled in the Council", measure(m)),
            Condition::MeasureTakenOn { measure: m, incident } => {
                format!("{} adopted on {}", measure(m), event(incident))
            }
            Condition::Fired(id) => format!("{} fired", event(id)),
            Condition::Attribution { incident, level, by } => {
                let whose = match by {
                    Judge::EuAssessment => "the EU assessment",
                    Judge::AnyMemberState => "some Member State",
                    Judge::AllMemberStates => "every Member State",
                };
                format!(
                    "{whose} attributes {} with {} confidence",
                    event(incident),
                    level.label()
                )
            }
            Condition::TurnBetween(a, b) => format!("turn {a} to {b}"),
            Condition::AllOf(items) => join(items, " and "),
            Condition::AnyOf(items) => format!("({})", join(items, " or ")),
            Condition::Not(inner) => format!("not {}", inner.describe_with(measure, event)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        let mut f = Facts {
            turn: 4,
            escalation: 5.0,
            misperception: 0.4,
            perceived_resolve: 0.3,
            cohesion: 0.6,
            ..Facts::default()
        };
        f.measures.insert("eu_declaration".into());
        f.measures_on.insert(("outbreak".into(), "eu_declaration".into()));
        f.fired.insert("outbreak".into());
        f.attribution.insert(
            "outbreak".into(),
            AttributionFacts {
                eu: 0.75,
                most_confident: 0.95,
                least_confident: 0.4,
            },
        );
        f
    }

    #[test]
    fn thresholds_and_combinators() {
        let f = facts();
        assert!(holds(&Condition::EscalationAbove(4.0), &f));
        assert!(!holds(&Condition::EscalationBelow(4.0), &f));
        assert!(holds(
            &Condition::AllOf(vec![
                Condition::MeasureTaken("eu_declaration".into()),
                Condition::Fired("outbreak".into())
            ]),
            &f
        ));
        assert!(holds(
            &Condition::AnyOf(vec![Condition::Fired("nope".into()), Condition::TurnBetween(3, 5)]),
            &f
        ));
        assert!(holds(
            &Condition::Not(Box::new(Condition::MeasureTaken("listing_persons".into()))),
            &f
        ));
        assert!(!holds(&Condition::AnyOf(vec![]), &f), "an empty any-of never holds");
        assert!(holds(&Condition::AllOf(vec![]), &f), "an empty all-of always holds");
    }

    #[test]
    fn perceived_resolve_is_tested_apart_from_misperception() {
        // Misperception 40%, perceived resolve 30%: an adversary that misreads the EU's intent
        // and doubts its resolve; a scenario can tell the two apart.
        let f = facts();
        assert!(holds(&Condition::PerceivedResolveAbove(0.25), &f));
        assert!(!holds(&Condition::PerceivedResolveAbove(0.35), &f));
        assert!(holds(&Condition::PerceivedResolveBelow(0.35), &f));
        assert!(!holds(&Condition::PerceivedResolveBelow(0.3), &f), "strictly below");
        assert!(
            holds(
                &Condition::AllOf(vec![
                    Condition::MisperceptionAbove(0.35),
                    Condition::PerceivedResolveBelow(0.35)
                ]),
                &f
            ),
            "each reads its own figure"
        );
        assert_eq!(
            Condition::PerceivedResolveAbove(0.4).describe(),
            "perceived resolve above 40%"
        );
        assert_eq!(
            Condition::PerceivedResolveBelow(0.25).describe(),
            "perceived resolve below 25%"
        );
    }

    #[test]
    fn a_measure_on_one_incident_is_not_a_measure_on_another() {
        let f = facts();
        let on = |incident: &str| Condition::MeasureTakenOn {
            measure: "eu_declaration".into(),
            incident: incident.into(),
        };
        assert!(holds(&on("outbreak"), &f));
        assert!(!holds(&on("second_wave"), &f));
    }

    #[test]
    fn attribution_by_judge() {
        let f = facts();
        let at = |level, by| Condition::Attribution {
            incident: "outbreak".into(),
            level,
            by,
        };
        assert!(holds(&at(Confidence::Moderate, Judge::EuAssessment), &f));
        assert!(!holds(&at(Confidence::High, Judge::EuAssessment), &f));
        assert!(holds(&at(Confidence::High, Judge::AnyMemberState), &f));
        assert!(!holds(&at(Confidence::Moderate, Judge::AllMemberStates), &f));
        let unknown = Condition::Attribution {
            incident: "later".into(),
            level: Confidence::Low,
            by: Judge::EuAssessment,
        };
        assert!(!holds(&unknown, &f), "an incident not yet revealed has no attribution");
    }

    #[test]
    fn a_reading_an_objective_keeps_must_hold_every_turn_and_an_achievement_only_by_the_end() {
        let at = |turn: u32, escalation: f64| Facts {
            turn,
            escalation,
            ..Facts::default()
        };
        let mut end = at(5, 3.0);
        end.measures.insert("eu_declaration".into());
        let turns = [at(1, 2.0), at(2, 4.5), at(3, 4.2), at(4, 3.5), at(5, 3.0)];
        let calm = Condition::EscalationBelow(4.0);
        assert_eq!(lapses(&calm, &end, &turns), vec![2, 3]);
        // The declaration came at the end: that is not a lapse of the turns before.
        let spoke = Condition::AllOf(vec![
            Condition::MeasureTaken("eu_declaration".into()),
            Condition::EscalationBelow(5.0),
        ]);
        assert!(lapses(&spoke, &end, &turns).is_empty());
        // "Never above 4.4" through `Not`.
        assert_eq!(
            lapses(&Condition::Not(Box::new(Condition::EscalationAbove(4.4))), &end, &turns),
            vec![2]
        );
        // A condition that fails at the end did not lapse: it failed.
        assert!(lapses(&Condition::EscalationBelow(2.5), &end, &turns).is_empty());
    }
}
