//! Whether a measure can be taken now, and if not, why, in words a diplomat would use.

use crate::decisions::IncidentView;
use crate::toolbox::{Confidence, Decider, MeasureData};
use std::fmt;

/// Why a measure cannot be taken now.
#[derive(Debug, Clone, PartialEq)]
pub enum Ineligible {
    /// The scenario withholds it.
    Withheld,
    /// It only answers a State, and the assessment points at a criminal group.
    NotAState(String),
    /// The incident is not severe enough to invoke it.
    TooMinor {
        /// Severity required.
        needed: f64,
        /// Severity of the incident.
        severity: f64,
    },
    /// It names a perpetrator, but the assessment points at no known actor.
    NoKnownCulprit,
    /// The attribution confidence required is not reached.
    Attribution {
        /// Confidence required.
        needed: Confidence,
        /// Probability reached.
        reached: f64,
        /// Whose judgement counts ("the EU assessment", or a Member State).
        whose: String,
    },
    /// It needs an incident to answer and none was given or found.
    NoIncident,
    /// Only a Member State hit may invoke it.
    NotAVictim(String),
    /// The exercise will end before it could take effect.
    TooLate {
        /// Turns of lead time.
        lead_time: u32,
    },
}

impl fmt::Display for Ineligible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ineligible::Withheld => write!(f, "this exercise does not offer it"),
            Ineligible::NotAState(name) => write!(f, "it answers a State, and {name} is not one"),
            Ineligible::TooMinor { needed, severity } => write!(
                f,
                "the incident's severity ({:.0}%) is below the {:.0}% needed to invoke it",
                severity * 100.0,
                needed * 100.0
            ),
            Ineligible::NoKnownCulprit => write!(f, "names a perpetrator, but the assessment points at no known actor"),
            Ineligible::Attribution { needed, reached, whose } => write!(
                f,
                "needs attribution at {} confidence ({:.0}% or more); {whose} is {} ({:.0}%)",
                needed.label(),
                needed.threshold() * 100.0,
                Confidence::of(*reached).label(),
                reached * 100.0
            ),
            Ineligible::NoIncident => write!(f, "names a perpetrator, so it must answer an incident"),
            Ineligible::NotAVictim(code) => write!(f, "only a Member State hit can invoke it, and {code} was not hit"),
            Ineligible::TooLate { lead_time } => {
                write!(
                    f,
                    "its lead time of {lead_time} turn{} runs past the end of the exercise",
                    if *lead_time == 1 { "" } else { "s" }
                )
            }
        }
    }
}

/// Measures only a Member State that was hit may invoke (Art. 42(7) TEU, Art. 222 TFEU).
fn victim_only(measure: &MeasureData) -> bool {
    matches!(measure.id.as_str(), "mutual_assistance" | "solidarity_clause")
}

/// The Member State that takes a national measure: the one named, or else the victim most
/// confident in its own attribution.
pub fn acting_state(named: Option<usize>, incident: Option<&IncidentView>, presidency: usize) -> usize {
    if let Some(state) = named {
        return state;
    }
    let Some(view) = incident else { return presidency };
    let mut best: Option<(usize, f64)> = None;
    for &victim in &view.victims {
        let confidence = view.national[victim].1;
        if best.is_none_or(|(_, b)| confidence > b) {
            best = Some((victim, confidence));
        }
    }
    best.map_or(presidency, |(state, _)| state)
}

/// Whether `measure` can be taken now against `incident`, with `acting` the Member State acting
/// for national measures. `turns_left` counts the turns still to be played after this one.
pub fn eligibility(
    measure: &MeasureData,
    incident: Option<&IncidentView>,
    acting: usize,
    acting_code: &str,
    candidates: usize,
    turns_left: u32,
) -> Result<(), Ineligible> {
    if !measure.available {
        return Err(Ineligible::Withheld);
    }
    if measure.lead_time > turns_left {
        return Err(Ineligible::TooLate {
            lead_time: measure.lead_time,
        });
    }
    if measure.decided_by == Decider::MemberState && victim_only(measure) {
        let hit = incident.is_some_and(|v| v.victims.contains(&acting));
        if !hit {
            return Err(Ineligible::NotAVictim(acting_code.to_owned()));
        }
    }
    if measure.min_severity > 0.0 {
        let severity = incident.map_or(0.0, |v| v.severity);
        if severity < measure.min_severity {
            return Err(Ineligible::TooMinor {
                needed: measure.min_severity,
                severity,
            });
        }
    }
    if measure.against_states_only
        && let Some(view) = incident
        && let Some(kind) = view.suspect_kind
        && kind == crate::actors::AdversaryKind::Criminal
    {
        return Err(Ineligible::NotAState(view.suspect_name.clone()));
    }
    let Some(needed) = measure.attribution else {
        return Ok(());
    };
    let Some(view) = incident else {
        return Err(Ineligible::NoIncident);
    };
    let (candidate, reached, whose) = if measure.decided_by == Decider::MemberState {
        let (c, p) = view.national[acting];
        (c, p, format!("{acting_code}'s own assessment"))
    } else {
        (
            view.assessment.candidate,
            view.assessment.probability,
            "the EU assessment".to_owned(),
        )
    };
    if measure.names_perpetrator && candidate + 1 == candidates {
        return Err(Ineligible::NoKnownCulprit);
    }
    if reached < needed.threshold() {
        return Err(Ineligible::Attribution { needed, reached, whose });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::AdversaryKind;
    use crate::attribution::EuAssessment;
    use crate::toolbox::Toolbox;

    fn view(severity: f64, kind: AdversaryKind, probability: f64) -> IncidentView {
        IncidentView {
            id: "i".into(),
            turn: 1,
            severity,
            active_turns: 3,
            victims: vec![0],
            assessment: EuAssessment {
                candidate: 0,
                probability,
                divergence: 0.0,
            },
            national: vec![(0, probability); 27],
            posteriors: [probability, 1.0 - probability].repeat(27),
            candidates: 2,
            suspect_kind: Some(kind),
            suspect_name: "Sandstorm group".into(),
        }
    }

    fn check(measure: &str, v: &IncidentView) -> Result<(), Ineligible> {
        let toolbox = Toolbox::embedded();
        let m = toolbox.get(toolbox.find(measure).unwrap());
        eligibility(m, Some(v), 0, "BE", 2, 10)
    }

    #[test]
    fn collective_defence_needs_a_state_and_a_grave_attack() {
        assert!(check("mutual_assistance", &view(0.9, AdversaryKind::State, 0.95)).is_ok());
        assert!(matches!(
            check("mutual_assistance", &view(0.9, AdversaryKind::Criminal, 0.95)),
            Err(Ineligible::NotAState(_))
        ));
        assert!(matches!(
            check("mutual_assistance", &view(0.5, AdversaryKind::State, 0.95)),
            Err(Ineligible::TooMinor { .. })
        ));
        assert!(check("expulsions", &view(0.5, AdversaryKind::Criminal, 0.95)).is_err());
    }

    #[test]
    fn naming_needs_the_confidence_the_measure_requires_and_says_so() {
        let low = check("eu_declaration_attribution", &view(0.5, AdversaryKind::State, 0.6)).unwrap_err();
        assert_eq!(
            low.to_string(),
            "needs attribution at moderate confidence (70% or more); the EU assessment is low (60%)"
        );
        assert!(check("eu_declaration_attribution", &view(0.5, AdversaryKind::State, 0.75)).is_ok());
        assert!(
            check("hr_statement", &view(0.5, AdversaryKind::State, 0.2)).is_ok(),
            "a statement needs no attribution"
        );
    }
}
