//! The Council machinery: the path of a file from the Presidency's sounding through the Horizontal
//! Working Party on Cyber Issues, RELEX for legal acts, the PSC and COREPER II to the Council, a
//! written procedure or a silence procedure. Each stage takes story time and ends at a veto
//! point: a Member State that objects there **holds** the file. A hold is looked at again every
//! turn; when the objection is lifted the file goes on, late by the time held; when it has lasted
//! as long as the stage itself (at least one turn), the Presidency takes the file off the agenda.
//! At the last stage the Member States decide by the measure's rule. A decision that lapses
//! unless renewed (a listing, the sanctions framework) comes back for review, a new veto point.

use crate::decisions::Decision;
use crate::scenario::{Calendar, StoryTime};
use crate::toolbox::{MeasureData, MeasureId, Stage};
use bevy::prelude::*;
use std::sync::Arc;

/// A hold on a file at its stage.
#[derive(Debug, Clone, PartialEq)]
pub struct Hold {
    /// Turn the hold began.
    pub since: u32,
    /// Turn at which the Presidency withdraws the file if the hold still stands.
    pub until: u32,
    /// Who holds it and why, in protocol order.
    pub by: Vec<(Arc<str>, crate::council::Reason)>,
}

/// A Council file on its way through the machinery.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    /// The proposal.
    pub decision: Decision,
    /// Its measure.
    pub measure: MeasureId,
    /// The Member State proposing or acting (Art. 30(1) TEU: a Member State or the High
    /// Representative proposes).
    pub acting: usize,
    /// Turn it entered the machinery (for a review, the turn the review opens).
    pub opened: u32,
    /// Index of its stage in the path.
    pub stage: usize,
    /// The stages of its path with the turn each ends, holds not counted.
    pub steps: Vec<(Stage, u32)>,
    /// Turns lost to holds so far; later stages end that much later.
    pub delay: u32,
    /// The turn it takes effect, holds not counted.
    pub effect: u32,
    /// The hold on it, if a Member State holds it.
    pub hold: Option<Hold>,
    /// Each engine-played Member State's own leaning on this file (a standard normal draw when
    /// tabled: the domestic politics the model does not see), so that a State does not change
    /// its mind from one stage to the next unless the situation does.
    pub leanings: Vec<f64>,
    /// Whether it is the review of a decision in force rather than a new decision.
    pub review: bool,
    /// Whether it is a text naming a party drafted on partners' assessment briefed in
    /// confidence, before anyone has named the party in public: it goes through its stages
    /// but is adopted only on the day the partners (or a Member State hit) name the party in
    /// public, so that the EU speaks with them on a coordinated day prepared in advance
    /// (Exchange, 19 July 2021; APT28, 3 May 2024, the same day as the national attributions).
    /// Shelved, without a vote, if nobody has spoken by the end of the incident's political
    /// window.
    pub embargo: bool,
}

impl File {
    /// A file entering the machinery at `turn`, its stages laid out on the story's calendar.
    pub fn open(
        decision: Decision,
        (id, measure): (MeasureId, &MeasureData),
        acting: usize,
        turn: u32,
        calendar: &Calendar,
        leanings: Vec<f64>,
    ) -> Self {
        let mut elapsed = StoryTime::default();
        let steps = measure
            .path
            .iter()
            .map(|step| {
                elapsed.hours = elapsed.hours.saturating_add(step.1.hours);
                (step.0, calendar.due(turn, elapsed))
            })
            .collect();
        Self {
            decision,
            measure: id,
            acting,
            opened: turn,
            stage: 0,
            steps,
            delay: 0,
            effect: calendar.due(turn, measure.lead_time),
            hold: None,
            leanings,
            review: false,
            embargo: false,
        }
    }

    /// The review of a decision that took effect at `in_force`: it goes to COREPER and the
    /// Council (the working party has prepared it beforehand), opening so that it is decided on
    /// its day (the next 18 May for a listing) or when its period runs out (a framework).
    /// `None` for a decision that is not reviewed, or whose day the calendar cannot place.
    pub fn review(
        decision: Decision,
        (id, measure): (MeasureId, &MeasureData),
        acting: usize,
        in_force: u32,
        calendar: &Calendar,
        leanings: Vec<f64>,
    ) -> Option<Self> {
        match (&measure.review_on, measure.review_every) {
            // On a fixed day each year: the next one after entry into force.
            (Some(month_day), _) => {
                let day = crate::scenario::next_anniversary(calendar.day_of(in_force)?, month_day)?;
                Self::on_day(decision, (id, measure), acting, in_force, day, calendar, leanings)
            }
            (None, Some(every)) => {
                let coreper = calendar.due(
                    in_force,
                    StoryTime {
                        hours: every.hours.saturating_sub(StoryTime::days(7).hours),
                    },
                );
                let decided = calendar.due(in_force, every);
                Some(Self::coming_back(
                    decision,
                    (id, measure),
                    acting,
                    in_force,
                    (coreper, decided),
                    leanings,
                ))
            }
            (None, None) => None,
        }
    }

    /// A decision the Council takes up by itself on a story date (a review on 18 May, the
    /// framework's extension before it expires), open from turn `opened`: COREPER the week
    /// before, then the measure's final stage on the day. `None` when the calendar cannot place
    /// the day.
    pub fn on_day(
        decision: Decision,
        measure: (MeasureId, &MeasureData),
        acting: usize,
        opened: u32,
        day: i64,
        calendar: &Calendar,
        leanings: Vec<f64>,
    ) -> Option<Self> {
        let decided = calendar.turn_on(day)?.max(opened);
        let coreper = calendar.turn_on(day - 7).unwrap_or(opened).clamp(opened, decided);
        Some(Self::coming_back(
            decision,
            measure,
            acting,
            opened,
            (coreper, decided),
            leanings,
        ))
    }

    /// A decision coming back to the Council: COREPER II ends at `coreper`, the measure's final
    /// stage (the Council, a written procedure) at `decided`.
    fn coming_back(
        decision: Decision,
        (id, measure): (MeasureId, &MeasureData),
        acting: usize,
        opened: u32,
        (coreper, decided): (u32, u32),
        leanings: Vec<f64>,
    ) -> Self {
        let adoption = measure.path.last().map_or(Stage::Council, |s| s.0);
        Self {
            decision,
            measure: id,
            acting,
            opened,
            stage: 0,
            steps: vec![(Stage::Coreper, coreper), (adoption, decided)],
            delay: 0,
            effect: decided,
            hold: None,
            leanings,
            review: true,
            embargo: false,
        }
    }

    /// The stage it is in.
    pub fn current(&self) -> Stage {
        self.steps[self.stage.min(self.steps.len() - 1)].0
    }

    /// The turn its current stage ends, holds included.
    pub fn stage_ends(&self) -> u32 {
        self.steps[self.stage.min(self.steps.len() - 1)]
            .1
            .saturating_add(self.delay)
    }

    /// Turns its current stage takes on the calendar: how long a hold on it may last before
    /// the Presidency withdraws the file.
    pub fn stage_turns(&self) -> u32 {
        let stage = self.stage.min(self.steps.len() - 1);
        let began = match stage {
            // A review's COREPER stage is prepared ahead: a hold there may last until the decision.
            0 if self.review => return self.steps.get(1).map_or(0, |s| s.1).saturating_sub(self.steps[0].1),
            0 => self.opened,
            _ => self.steps[stage - 1].1,
        };
        self.steps[stage].1.saturating_sub(began)
    }

    /// The turn it is expected to be adopted, holds so far included.
    pub fn adoption(&self) -> u32 {
        self.steps
            .last()
            .map_or(self.opened, |s| s.1)
            .saturating_add(self.delay)
    }

    /// Whether the current stage is the decision itself.
    pub fn at_decision(&self) -> bool {
        self.stage + 1 >= self.steps.len()
    }

    /// Whether the file is held at its stage now.
    pub fn held(&self) -> bool {
        self.hold.is_some()
    }

    /// Where it stands, in a line for the board: `PSC (ends turn 9)` or `held in the HWPCI by
    /// HU since turn 3`.
    pub fn whereabouts(&self) -> String {
        match &self.hold {
            Some(hold) => {
                let by: Vec<&str> = hold.by.iter().map(|(code, _)| &**code).collect();
                format!(
                    "held in the {} by {} since turn {}; withdrawn at turn {} unless lifted",
                    self.current().short(),
                    by.join(", "),
                    hold.since,
                    hold.until
                )
            }
            None if self.embargo && self.at_decision() => {
                format!("{}: agreed, waiting for the partners", self.current().short())
            }
            None => format!("{} (until turn {})", self.current().short(), self.stage_ends()),
        }
    }
}

/// Every Council file in the machinery, in the order tabled.
#[derive(Resource, Debug, Clone, Default)]
pub struct Files(pub Vec<File>);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Clock;
    use crate::toolbox::Toolbox;

    fn calendar(turn_hours: u32) -> Calendar {
        Calendar::new(&Clock {
            turn_hours,
            start: "2020-05-28T09:00".into(),
        })
    }

    fn listing(toolbox: &Toolbox) -> (MeasureId, &MeasureData) {
        let id = toolbox.find("listing_persons").expect("a listing");
        (id, toolbox.get(id))
    }

    #[test]
    fn a_listing_goes_through_every_stage_and_is_adopted_when_the_lead_time_ends() {
        let toolbox = Toolbox::embedded();
        let file = File::open(
            Decision::new("listing_persons", Some("bundestag")),
            listing(&toolbox),
            0,
            1,
            &calendar(24),
            vec![],
        );
        let stages: Vec<Stage> = file.steps.iter().map(|s| s.0).collect();
        assert_eq!(
            stages,
            [
                Stage::Sounding,
                Stage::WorkingParty,
                Stage::Relex,
                Stage::Psc,
                Stage::Coreper,
                Stage::WrittenProcedure
            ]
        );
        assert!(file.steps.windows(2).all(|w| w[0].1 <= w[1].1), "stages in order");
        assert_eq!(file.adoption(), file.effect, "published the day it is adopted");
        assert_eq!(file.effect, 1 + 145, "145 daily turns after tabling");
    }

    #[test]
    fn at_weekly_turns_the_same_path_takes_the_same_days() {
        let toolbox = Toolbox::embedded();
        let weekly = File::open(
            Decision::new("listing_persons", None),
            listing(&toolbox),
            0,
            1,
            &calendar(168),
            vec![],
        );
        assert_eq!(weekly.adoption(), 1 + 21, "145 days are 21 weeks to the nearest week");
    }

    #[test]
    fn a_listing_is_reviewed_the_next_18_may_and_a_framework_a_year_on() {
        let toolbox = Toolbox::embedded();
        // The calendar starts 28 May 2020; a listing in force at turn 148 (22 October 2020).
        let calendar = calendar(24);
        assert_eq!(calendar.day_of(148), crate::scenario::date_days("2020-10-22"));
        let review = File::review(
            Decision::new("listing_persons", None),
            listing(&toolbox),
            0,
            148,
            &calendar,
            vec![],
        )
        .expect("listings are reviewed");
        assert_eq!(
            calendar.day_of(review.adoption()),
            crate::scenario::date_days("2021-05-18"),
            "reviewed with the others on 18 May 2021"
        );
        assert_eq!(review.current(), Stage::Coreper);
        let framework = toolbox.find("sanctions_framework").unwrap();
        let review = File::review(
            Decision::new("sanctions_framework", None),
            (framework, toolbox.get(framework)),
            0,
            148,
            &calendar,
            vec![],
        )
        .expect("a framework is extended");
        assert_eq!(review.adoption(), 148 + 365);
        let declaration = toolbox.find("eu_declaration").unwrap();
        assert!(
            File::review(
                Decision::new("eu_declaration", None),
                (declaration, toolbox.get(declaration)),
                0,
                3,
                &calendar,
                vec![]
            )
            .is_none(),
            "a declaration is not reviewed"
        );
    }
}
