//! Whether a measure can be taken now, and if not, why, in words a diplomat would use.

use crate::decisions::IncidentView;
use crate::scenario::long_date;
use crate::toolbox::{Confidence, Decider, Kind, MeasureData, Wording};
use std::collections::BTreeSet;
use std::fmt;

/// When a measure is judged: the deciding turn on the story's calendar, the last turn, and what
/// the run has established.
#[derive(Debug, Clone, Copy)]
pub struct Moment<'a> {
    /// The turn that decides.
    pub turn: u32,
    /// The exercise's last turn.
    pub last_turn: u32,
    /// The story's calendar.
    pub calendar: &'a crate::scenario::Calendar,
    /// What the run has decided so far: adoptions, and measures in effect (enabling decisions).
    pub history: &'a crate::decisions::History,
}

impl<'a> Moment<'a> {
    /// The moment of a decision taken in `turn`.
    pub fn at(clock: &'a crate::turn::TurnClock, turn: u32, history: &'a crate::decisions::History) -> Self {
        Self {
            turn,
            last_turn: clock.last_turn,
            calendar: &clock.calendar,
            history,
        }
    }

    /// The story's date of the deciding turn, in days since 1970-01-01.
    pub fn today(&self) -> Option<i64> {
        self.calendar.day_of(self.turn)
    }
}

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
        /// Probability required.
        needed: f64,
        /// Probability reached.
        reached: f64,
        /// Whose judgement counts ("the EU assessment", or a Member State).
        whose: String,
        /// The rung of the ladder of wordings that needs it, if the measure is worded.
        rung: Option<std::sync::Arc<str>>,
    },
    /// The wording echoes a partner's assessment, and no partner has published one on this
    /// incident.
    NoPartnerAssessment,
    /// The wording reports Member States' own attributions, and no Member State has attributed
    /// this incident publicly.
    NoNationalAttribution,
    /// It reports what Member States have said where partners have named the party in public.
    PartnersHaveSpoken,
    /// A regime for some adversaries only, and the assessment points at another.
    NotItsAddressee {
        /// Who the assessment points at.
        suspect: String,
    },
    /// The EU holds no cyber dialogue with the State the assessment points at: besides its
    /// partners it holds one with China, none with Russia, Iran or North Korea (model 7).
    NoDialogue {
        /// Who the assessment points at.
        suspect: String,
    },
    /// The rung asked for is not one this measure can be worded at.
    NotARung {
        /// The rung asked for.
        asked: String,
        /// The measure's rungs, lowest first.
        rungs: Vec<String>,
    },
    /// It needs an incident to answer and none was given or found.
    NoIncident,
    /// Only a Member State hit may invoke it.
    NotAVictim(String),
    /// The exercise will end before it could take effect.
    TooLate {
        /// Its lead time in story time.
        lead_time: crate::scenario::StoryTime,
    },
    /// It does not exist yet on the story's date.
    NotYet {
        /// What comes into being.
        what: std::sync::Arc<str>,
        /// The day it does (days since 1970-01-01).
        day: i64,
        /// A measure whose adoption would make it possible earlier.
        enabled_by: Option<std::sync::Arc<str>>,
    },
    /// What it would create already exists on the story's date.
    Superseded {
        /// What exists.
        what: std::sync::Arc<str>,
        /// The day it came to be.
        day: i64,
    },
    /// A horizontal decision already taken in this run.
    AlreadyDecided,
    /// The Council takes it up by itself on given days (a framework's extension).
    Scheduled {
        /// The days, as written (`YYYY-MM-DD`).
        days: Vec<String>,
    },
    /// The framework it needs lapsed in the run.
    Lapsed {
        /// The framework, by id.
        framework: std::sync::Arc<str>,
    },
    /// The same file (this measure on this incident, or a horizontal decision) is already on its
    /// way through the Council machinery.
    InMachinery,
    /// An OSCE confidence-building measure towards someone who is not an OSCE participating State.
    NotOsce {
        /// Who the suspect is.
        name: String,
        /// Whether it is a criminal or proxy group rather than a State.
        group: bool,
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
            Ineligible::Attribution {
                needed,
                reached,
                whose,
                rung: None,
            } => write!(
                f,
                "needs attribution at {} confidence ({:.0}% or more); {whose} is {} ({:.0}%)",
                Confidence::of(*needed).label(),
                needed * 100.0,
                Confidence::of(*reached).label(),
                reached * 100.0
            ),
            Ineligible::Attribution {
                needed,
                reached,
                whose,
                rung: Some(rung),
            } => write!(
                f,
                "the wording \"{rung}\" needs {:.0}% confidence or more; {whose} is {} ({:.0}%)",
                needed * 100.0,
                Confidence::of(*reached).label(),
                reached * 100.0
            ),
            Ineligible::NotItsAddressee { suspect } => {
                write!(
                    f,
                    "the regime is for other actors, and the assessment points at {suspect}"
                )
            }
            Ineligible::NoDialogue { suspect } => {
                write!(f, "the EU holds no cyber dialogue with {suspect}")
            }
            Ineligible::NoPartnerAssessment => write!(
                f,
                "it echoes a partner's assessment, and no partner has published one on this incident"
            ),
            Ineligible::NoNationalAttribution => write!(
                f,
                "it reports what Member States have said, and no Member State has attributed this incident publicly"
            ),
            Ineligible::PartnersHaveSpoken => write!(
                f,
                "it reports what Member States have said, and partners have named the party in public: the EU echoes them or names the State"
            ),
            Ineligible::NotARung { asked, rungs } if rungs.is_empty() => {
                write!(
                    f,
                    "it is not a statement of who is responsible, so it has no wording \"{asked}\""
                )
            }
            Ineligible::NotARung { asked, rungs } => {
                write!(f, "\"{asked}\" is not one of its wordings ({})", rungs.join(", "))
            }
            Ineligible::NoIncident => write!(f, "names a perpetrator, so it must answer an incident"),
            Ineligible::NotAVictim(code) => write!(f, "only a Member State hit can invoke it, and {code} was not hit"),
            Ineligible::TooLate { lead_time } => {
                write!(f, "it takes {lead_time} to take effect, past the end of the exercise")
            }
            Ineligible::NotYet { what, day, enabled_by } => {
                write!(f, "{what} exists only from {}", long_date(*day))?;
                match enabled_by {
                    Some(id) => write!(f, "; adopting \"{id}\" first makes it possible sooner"),
                    None => Ok(()),
                }
            }
            Ineligible::AlreadyDecided => write!(f, "the Council has already decided it in this exercise"),
            Ineligible::Scheduled { days } => {
                let days: Vec<String> = days
                    .iter()
                    .filter_map(|d| crate::scenario::date_days(d).map(long_date))
                    .collect();
                write!(
                    f,
                    "the Council takes it up by itself before the regime expires ({})",
                    days.join(", ")
                )
            }
            Ineligible::Lapsed { framework } => write!(
                f,
                "the framework it needs (\"{framework}\") lapsed in this exercise when its extension was refused"
            ),
            Ineligible::InMachinery => write!(f, "the same file is already on its way through the Council machinery"),
            Ineligible::Superseded { what, day } => write!(f, "{what} already exists (since {})", long_date(*day)),
            Ineligible::NotOsce { name, group: true } => write!(
                f,
                "OSCE confidence-building measures reach only OSCE participating States, and {name} is a group, not a State"
            ),
            Ineligible::NotOsce { name, group: false } => write!(
                f,
                "OSCE confidence-building measures reach only OSCE participating States, and {name} is not one"
            ),
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
        let confidence = view.national(victim).1;
        if best.is_none_or(|(_, b)| confidence > b) {
            best = Some((victim, confidence));
        }
    }
    best.map_or(presidency, |(state, _)| state)
}

/// Whether the measure exists on the story's date (`today`, days since 1970-01-01) in this
/// scenario: not withheld, not before the day it came to be (unless assumed, or enabled by a
/// measure that has taken effect in the run), not after what it would create exists.
pub fn exists(measure: &MeasureData, today: Option<i64>, established: &BTreeSet<String>) -> Result<(), Ineligible> {
    if !measure.available {
        return Err(Ineligible::Withheld);
    }
    if let (Some(today), Some(exists)) = (today, &measure.exists_from)
        && let day = exists.days()
        && today < day
        && !measure.assumed
        && !measure
            .enabled_by
            .as_ref()
            .is_some_and(|id| established.contains(&**id))
    {
        return Err(Ineligible::NotYet {
            what: exists.what.clone(),
            day,
            enabled_by: measure.enabled_by.clone(),
        });
    }
    if let (Some(today), Some(superseded)) = (today, &measure.superseded_from)
        && let day = superseded.days()
        && today >= day
    {
        return Err(Ineligible::Superseded {
            what: superseded.what.clone(),
            day,
        });
    }
    Ok(())
}

/// Whether `measure` can be taken now against `incident`, with `acting` the Member State acting
/// for national measures, at `moment` of the story.
pub fn eligibility(
    measure: &MeasureData,
    wording: Option<&Wording>,
    incident: Option<&IncidentView>,
    acting: usize,
    acting_code: &str,
    candidates: usize,
    moment: &Moment,
) -> Result<(), Ineligible> {
    exists(measure, moment.today(), &moment.history.in_effect)?;
    if !measure.scheduled.is_empty() {
        return Err(Ineligible::Scheduled {
            days: measure.scheduled.clone(),
        });
    }
    if let Some(framework) = &measure.enabled_by
        && moment.history.lapsed.contains(&**framework)
    {
        return Err(Ineligible::Lapsed {
            framework: framework.clone(),
        });
    }
    // A horizontal decision (a sanctions framework) is taken once, not once per incident.
    if measure.kind == Kind::SanctionsFramework && moment.history.ever_adopted(&measure.id) {
        return Err(Ineligible::AlreadyDecided);
    }
    let file_of = incident.map_or("", |v| &*v.id);
    let horizontal = measure.kind == Kind::SanctionsFramework;
    if measure.rule.voted()
        && (moment.history.in_machinery(file_of, &measure.id)
            || horizontal && moment.history.tabled.values().any(|m| m.contains(&measure.id)))
    {
        return Err(Ineligible::InMachinery);
    }
    // A Council file may be begun even if it cannot be seen through before the exercise ends:
    // it is still in the machinery at the end (a listing in a fortnight's exercise).
    if !measure.rule.voted() && moment.calendar.due(moment.turn, measure.lead_time) > moment.last_turn {
        return Err(Ineligible::TooLate {
            lead_time: measure.lead_time,
        });
    }
    if measure.kind == Kind::OsceCbm
        && let Some(view) = incident
        && view.candidates > 0
        && view.assessment.candidate + 1 < view.candidates
        && !view.suspect_osce
    {
        let group = view
            .suspect_kind
            .is_some_and(|k| k != crate::actors::AdversaryKind::State);
        return Err(Ineligible::NotOsce {
            name: view.suspect_name.clone(),
            group,
        });
    }
    if measure.decided_by == Decider::MemberState && victim_only(measure) {
        let hit = incident.is_some_and(|v| v.victims.contains(&acting));
        if !hit {
            return Err(Ineligible::NotAVictim(acting_code.to_owned()));
        }
    }
    if measure.min_severity > 0.0 {
        let severity = incident.map_or(0.0, |v| v.harm);
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
    if !measure.only_against.is_empty()
        && let Some(view) = incident
        && !measure
            .only_against
            .iter()
            .any(|id| Some(id.as_str()) == view.suspect_id.as_deref())
    {
        let suspect = view.suspect_name.clone();
        return Err(if measure.kind == Kind::Dialogue {
            Ineligible::NoDialogue { suspect }
        } else {
            Ineligible::NotItsAddressee { suspect }
        });
    }
    supports(measure, wording, incident, acting, acting_code, candidates, moment)
}

/// Whether what is known supports the measure at this rung of its wording: the partners or the
/// Member State's attribution the rung reports, and the confidence it needs in a known culprit.
/// The part of [`eligibility`] that depends on the wording, which the Presidency asks of a lower
/// rung when it redrafts a text already in the machinery.
pub fn supports(
    measure: &MeasureData,
    wording: Option<&Wording>,
    incident: Option<&IncidentView>,
    acting: usize,
    acting_code: &str,
    candidates: usize,
    moment: &Moment,
) -> Result<(), Ineligible> {
    // A worded statement needs what its rung needs; another measure what it says it needs.
    let names = measure.names_at(wording);
    let needed = match wording {
        Some(w) if w.min_confidence > 0.0 => Some(w.min_confidence),
        Some(_) => None,
        None => measure.attribution.map(|c| c.threshold()),
    };
    // A Council text may be drafted on partners' assessment briefed in confidence: it is adopted
    // on the day they speak in public, not before (a coordinated day, `File::embargo`).
    let partners_known = |v: &IncidentView| !v.partners.is_empty() || v.briefed && measure.rule.voted();
    if wording.is_some_and(|w| w.needs_partner) && !incident.is_some_and(partners_known) {
        return Err(Ineligible::NoPartnerAssessment);
    }
    if wording.is_some_and(|w| w.needs_national) {
        if incident.is_none_or(|v| !moment.history.attributed_nationally(&v.id)) {
            return Err(Ineligible::NoNationalAttribution);
        }
        // Once partners have named the party in public, the EU echoes them or names the State
        // (19 July 2021, 10 May 2022): "associated with" is the wording of Member States that
        // spoke without partners (Ghostwriter, 24 September 2021).
        if incident.is_some_and(partners_known) {
            return Err(Ineligible::PartnersHaveSpoken);
        }
    }
    let Some(needed) = needed else {
        return Ok(());
    };
    let Some(view) = incident else {
        return Err(Ineligible::NoIncident);
    };
    let national = measure.decided_by == Decider::MemberState;
    let (candidate, reached) = if national {
        view.national(acting)
    } else {
        (view.assessment.candidate, view.assessment.probability)
    };
    if names && candidate + 1 == candidates {
        return Err(Ineligible::NoKnownCulprit);
    }
    if reached < needed {
        return Err(Ineligible::Attribution {
            needed,
            reached,
            // Worded only when the measure is refused: a policy asks this of every measure in
            // the Toolbox each turn, and most pass.
            whose: if national {
                format!("{acting_code}'s own assessment")
            } else {
                "the EU assessment".to_owned()
            },
            rung: wording.map(|w| w.id.clone()),
        });
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
            ends: 4,
            in_play_until: 4,
            victims: vec![0],
            assessment: EuAssessment {
                candidate: 0,
                probability,
                divergence: 0.0,
            },
            posteriors: [probability, 1.0 - probability].repeat(27),
            candidates: 2,
            suspect_kind: Some(kind),
            suspect_name: "Sandstorm group".into(),
            suspect_osce: kind == AdversaryKind::State,
            suspect_id: None,
            harm: severity,
            rung: 2.0,
            partners: Vec::new(),
            briefed: false,
        }
    }

    fn calendar(start: &str) -> crate::scenario::Calendar {
        crate::scenario::Calendar::new(&crate::scenario::Clock {
            turn_hours: 24,
            start: start.to_owned(),
        })
    }

    /// 1 June 2022, with ten daily turns left.
    fn moment<'a>(calendar: &'a crate::scenario::Calendar, history: &'a crate::decisions::History) -> Moment<'a> {
        Moment {
            turn: 1,
            last_turn: 11,
            calendar,
            history,
        }
    }

    fn check(measure: &str, v: &IncidentView) -> Result<(), Ineligible> {
        let toolbox = Toolbox::embedded();
        let m = toolbox.get(toolbox.find(measure).unwrap());
        eligibility(
            m,
            toolbox.wording(m, None).unwrap(),
            Some(v),
            0,
            "BE",
            2,
            &moment(&calendar("2022-06-01T09:00"), &Default::default()),
        )
    }

    #[test]
    fn osce_measures_reach_only_participating_states_and_say_so() {
        let group = check("osce_consultation", &view(0.5, AdversaryKind::Criminal, 0.8)).unwrap_err();
        assert_eq!(
            group.to_string(),
            "OSCE confidence-building measures reach only OSCE participating States, and Sandstorm group is a group, not a State"
        );
        let mut outside = view(0.5, AdversaryKind::State, 0.8);
        outside.suspect_name = "Meridia".into();
        outside.suspect_osce = false;
        let refused = check("osce_points_of_contact", &outside).unwrap_err().to_string();
        assert!(refused.ends_with("and Meridia is not one"), "{refused}");
        assert!(check("osce_protected_channel", &view(0.5, AdversaryKind::State, 0.8)).is_ok());
    }

    #[test]
    fn a_measure_does_not_exist_before_its_date_unless_assumed_or_enabled() {
        let mut toolbox = Toolbox::embedded();
        let id = toolbox.find("listing_persons").unwrap();
        let v = view(0.9, AdversaryKind::State, 0.99);
        let october_2018 = calendar("2018-10-18T09:00");
        let in_2018 = |history: &crate::decisions::History, toolbox: &Toolbox| {
            let m = Moment {
                last_turn: 400,
                ..moment(&october_2018, history)
            };
            eligibility(toolbox.get(id), None, Some(&v), 0, "BE", 2, &m)
        };
        let none = crate::decisions::History::default();
        let why = in_2018(&none, &toolbox).unwrap_err().to_string();
        assert!(why.contains("exists only from 17 May 2019"), "{why}");
        assert!(why.contains("sanctions_framework"), "{why}");
        let mut framework = crate::decisions::History::default();
        framework.in_effect.insert("sanctions_framework".to_owned());
        assert!(
            in_2018(&framework, &toolbox).is_ok(),
            "the framework adopted in the run"
        );
        // ...and the framework itself is not established twice.
        framework.adopt("leak", "sanctions_framework");
        let again = eligibility(
            toolbox.get(toolbox.find("sanctions_framework").unwrap()),
            None,
            Some(&v),
            0,
            "BE",
            2,
            &Moment {
                last_turn: 400,
                ..moment(&october_2018, &framework)
            },
        );
        assert_eq!(again, Err(Ineligible::AlreadyDecided));
        toolbox.assume(&["listing_persons".to_owned()]);
        assert!(in_2018(&none, &toolbox).is_ok(), "a scenario may assume it");
        // After 17 May 2019 the framework exists: establishing it again is pointless.
        let framework = toolbox.get(toolbox.find("sanctions_framework").unwrap());
        let june_2022 = calendar("2022-06-01T09:00");
        let later = eligibility(framework, None, Some(&v), 0, "BE", 2, &moment(&june_2022, &none)).unwrap_err();
        assert!(
            later.to_string().contains("already exists (since 17 May 2019)"),
            "{later}"
        );
    }

    #[test]
    fn collective_defence_needs_a_grave_attack_and_countermeasures_a_state() {
        assert!(check("mutual_assistance", &view(0.9, AdversaryKind::State, 0.95)).is_ok());
        assert!(
            check("mutual_assistance", &view(0.9, AdversaryKind::Criminal, 0.95)).is_ok(),
            "France invoked Art. 42(7) in 2015 after attacks by a non-State group"
        );
        assert!(matches!(
            check("countermeasures", &view(0.9, AdversaryKind::Criminal, 0.95)),
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
            "the wording \"state\" needs 70% confidence or more; the EU assessment is low (60%)"
        );
        assert!(check("eu_declaration_attribution", &view(0.5, AdversaryKind::State, 0.75)).is_ok());
        assert!(
            check("hr_statement", &view(0.5, AdversaryKind::State, 0.2)).is_ok(),
            "a statement needs no attribution"
        );
    }
}
