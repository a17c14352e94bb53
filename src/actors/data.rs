//! The actors file (`assets/actors.ron`): plain serde types, free of Bevy, so that the scenario
//! checker and the tests can read them without an app.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The embedded default cast.
pub const DEFAULT_ACTORS: &str = include_str!("../../assets/actors.ron");

/// Everyone who can take part in an exercise.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorsData {
    /// The Member States, past and present, in protocol order (a scenario's Council is made
    /// of those that were members on its date: [`ActorsData::members_on`]).
    pub member_states: Vec<MemberStateData>,
    /// The adversaries a scenario can cast.
    pub adversaries: Vec<AdversaryData>,
    /// Third countries a scenario can name as victims or partners; they have no Council seat.
    #[serde(default)]
    pub third_countries: Vec<ThirdCountryData>,
    /// The Council's decision procedure.
    pub council: CouncilData,
}

/// One Member State's standing attributes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberStateData {
    /// ISO 3166 alpha-2 code as used by the EU (Greece is "EL").
    pub code: String,
    /// Short name.
    pub name: String,
    /// How the name opens a sentence, where it takes an article ("The Netherlands holds…"): the
    /// Member State speaking for itself in a published national statement.
    #[serde(default)]
    pub as_speaker: Option<String>,
    /// Inhabitants, in thousands (Eurostat, 1 January 2024): the population test of
    /// constructive abstention (Art. 31(1) TEU).
    pub population: u32,
    /// The day it joined (`YYYY-MM-DD`), when after the start of the table of Presidencies.
    #[serde(default)]
    pub member_from: Option<String>,
    /// Its last day as a Member State (the United Kingdom: 2020-01-31).
    #[serde(default)]
    pub member_until: Option<String>,
    /// Quality of national intelligence and forensics, 0 to 1: how fast its own attribution
    /// confidence grows.
    pub attribution_capability: f64,
    /// Willingness to attribute publicly, 0 to 1: not the same as capability.
    pub public_attribution: f64,
    /// How exposed its economy and public services are to malicious cyber activity, 0 to 1.
    pub exposure: f64,
    /// Firmness towards each adversary, -1 (accommodating) to 1 (firm), by adversary id.
    pub stance: BTreeMap<String, f64>,
    /// Economic ties with each adversary, 0 to 1, by adversary id: what restrictive measures cost it.
    pub economic_ties: BTreeMap<String, f64>,
}

/// A country outside the Union: a victim or a partner in the story, never a voter.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThirdCountryData {
    /// ISO 3166 alpha-2 code as the EU uses it ("UK" for the United Kingdom).
    pub code: String,
    /// Name as a sentence uses it ("the United States").
    pub name: String,
    /// Whether it is an OSCE participating State.
    #[serde(default)]
    pub osce: bool,
    /// The day it became a third country (`YYYY-MM-DD`), for a former Member State.
    #[serde(default)]
    pub from: Option<String>,
}

impl ThirdCountryData {
    /// Whether it is a third country on a date (days since 1970-01-01; `None`: today).
    pub fn third_on(&self, day: Option<i64>) -> bool {
        match (&self.from, day) {
            (Some(from), Some(day)) => crate::scenario::date_days(from).is_none_or(|f| day >= f),
            _ => true,
        }
    }
}

/// One adversary's character.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdversaryData {
    /// Stable identifier used by scenarios.
    pub id: String,
    /// Name shown to players.
    pub name: String,
    /// A State, a State-backed proxy, or a criminal group.
    pub kind: super::AdversaryKind,
    /// Whether it is an OSCE participating State: OSCE confidence-building measures reach only
    /// those (never a criminal group).
    #[serde(default)]
    pub osce: bool,
    /// The State that tolerates or directs a proxy or criminal group, by id.
    #[serde(default)]
    pub sponsor: Option<String>,
    /// Drive to pursue its campaign, 0 to 1 (the Richardson "grievance" term).
    pub intent: f64,
    /// Technical and operational capability, 0 to 1.
    pub capability: f64,
    /// Willingness to accept the risk of costly EU responses, 0 to 1.
    pub risk_tolerance: f64,
    /// The rung of the escalation ladder (0 to 9) its campaign pursues at full intensity: what it
    /// is for (espionage 2, disruption 3, destruction 4 to 6).
    pub ceiling: f64,
    /// Initial belief that the EU will impose costs, 0 to 1.
    pub resolve_belief: f64,
    /// Initial belief that the EU is security-seeking rather than hostile (Kydd's trust), 0 to 1.
    pub trust: f64,
    /// Turning points in the Member States' relations with it, in date order: from its date
    /// each Member State's stance and ties towards it move as the era says (Russia's full-scale
    /// invasion of Ukraine, 24 February 2022). Real States only; a fictional one has no dates.
    #[serde(default)]
    pub eras: Vec<EraData>,
}

/// A turning point in the Member States' relations with an adversary: from `from` on, every
/// Member State's stance towards it rises by `stance` (capped at 1) and its economic ties with it
/// are multiplied by `ties`, except where a scenario sets its own value, which is the scenario's
/// reading of its date.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EraData {
    /// The first day of the era, `YYYY-MM-DD`.
    pub from: String,
    /// Added to every Member State's stance, -1 to 1.
    pub stance: f64,
    /// Multiplies every Member State's economic ties, 0 to 1.
    pub ties: f64,
    /// Share of what confidence-building measures and dialogues do (the channel they open, the
    /// reassurance they carry) that still reaches the adversary in this era, 0 to 1; 1 when not
    /// given. Russia from 24 February 2022: the OSCE's cyber confidence-building measures were
    /// dormant, and no European talked cyber with Moscow (model 7).
    #[serde(default = "whole")]
    pub confidence_building: f64,
    /// The least the adversary believes of EU resolve in this era, whatever the EU does or does
    /// not do on its cyber campaign, 0 to 1; 0 when not given. Russia from 24 February 2022: the
    /// EU imposed costs package after package, so an unanswered cyber operation could not teach
    /// Moscow that the EU would never act (model 7).
    #[serde(default)]
    pub resolve_floor: f64,
    /// What happened, and the source of the figures.
    pub why: String,
}

fn whole() -> f64 {
    1.0
}

/// The Council: its rotating Presidency. (Its decision rules are the Treaty's, in
/// `council::vote`.)
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CouncilData {
    /// The Presidency assumed for a date outside the table, by code.
    pub presidency: String,
    /// The real Presidencies: (first day, Member State code), in date order.
    pub presidencies: Vec<(String, String)>,
}

impl CouncilData {
    /// The Member State holding the Presidency on a date (days since 1970-01-01): the table's
    /// entry in force that day, or the assumed one outside the table.
    pub fn presidency_on(&self, days: Option<i64>) -> &str {
        let Some(days) = days else { return &self.presidency };
        let first = self
            .presidencies
            .first()
            .and_then(|(d, _)| crate::scenario::date_days(d));
        // A half-year table: past its last entry's six months, nothing is known.
        let last = self
            .presidencies
            .last()
            .and_then(|(d, _)| crate::scenario::date_days(d));
        if first.is_none_or(|f| days < f) || last.is_none_or(|l| days >= l + 184) {
            return &self.presidency;
        }
        self.presidencies
            .iter()
            .rev()
            .find(|(d, _)| crate::scenario::date_days(d).is_some_and(|d| d <= days))
            .map_or(&self.presidency, |(_, code)| code)
    }
}

impl MemberStateData {
    /// Whether it is a Member State on a day (days since 1970-01-01); with no date, whether it is
    /// one now (it has not left).
    pub fn member_on(&self, day: Option<i64>) -> bool {
        let date = |d: &Option<String>| d.as_deref().and_then(crate::scenario::date_days);
        match day {
            None => self.member_until.is_none(),
            Some(day) => {
                date(&self.member_from).is_none_or(|from| day >= from)
                    && date(&self.member_until).is_none_or(|until| day <= until)
            }
        }
    }

    /// Why it is not a Member State on a day, in words: "the United Kingdom left the EU on 31
    /// January 2020".
    pub fn not_member_because(&self, day: Option<i64>) -> Option<String> {
        if self.member_on(day) {
            return None;
        }
        let date = |d: &Option<String>| d.as_deref().and_then(crate::scenario::date_days);
        Some(match (date(&self.member_from), date(&self.member_until)) {
            (Some(from), _) if day.is_some_and(|d| d < from) => {
                format!("{} joined the EU on {}", self.name, crate::scenario::long_date(from))
            }
            (_, Some(until)) => format!(
                "{} was a Member State until {}",
                self.name,
                crate::scenario::long_date(until)
            ),
            _ => format!("{} is not a Member State then", self.name),
        })
    }
}

impl ActorsData {
    /// The Member States on a day (days since 1970-01-01; `None`: today's), in protocol order.
    pub fn members_on(&self, day: Option<i64>) -> impl Iterator<Item = &MemberStateData> {
        self.member_states.iter().filter(move |m| m.member_on(day))
    }

    /// The third country with this code on a date, if it is one then.
    pub fn third_country(&self, code: &str, day: Option<i64>) -> Option<&ThirdCountryData> {
        self.third_countries.iter().find(|c| c.code == code && c.third_on(day))
    }

    /// The Member States of a scenario: those on its start date.
    pub fn members_of(&self, scenario: &crate::scenario::Scenario) -> impl Iterator<Item = &MemberStateData> {
        self.members_on(crate::scenario::date_days(&scenario.clock.start))
    }

    /// The embedded default cast, a copy.
    pub fn embedded() -> Self {
        Self::embedded_ref().clone()
    }

    /// The embedded default cast, parsed once for the whole program.
    pub fn embedded_ref() -> &'static Self {
        static EMBEDDED: std::sync::OnceLock<ActorsData> = std::sync::OnceLock::new();
        EMBEDDED.get_or_init(|| {
            crate::scenario::ron_options()
                .from_str(DEFAULT_ACTORS)
                .expect("assets/actors.ron is checked by the tests")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_union_has_27_member_states_today_and_had_28_before_february_2020() {
        let actors = ActorsData::embedded();
        let on = |date: &str| {
            actors
                .members_on(crate::scenario::date_days(date))
                .map(|m| m.code.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(actors.members_on(None).count(), 27);
        assert_eq!(on("2026-12-02").len(), 27);
        let in_2018 = on("2018-04-10");
        assert_eq!(in_2018.len(), 28);
        assert_eq!(
            in_2018.last(),
            Some(&"UK"),
            "the United Kingdom, last in protocol order"
        );
        assert_eq!(on("2020-01-31").len(), 28, "its last day");
        assert_eq!(on("2020-02-01").len(), 27);
        assert!(!on("2013-06-30").contains(&"HR"), "Croatia joined on 1 July 2013");
        let uk = actors.member_states.iter().find(|m| m.code == "UK").unwrap();
        assert_eq!(
            uk.not_member_because(crate::scenario::date_days("2021-05-14"))
                .as_deref(),
            Some("United Kingdom was a Member State until 31 January 2020")
        );
        let mut codes: Vec<&str> = actors.member_states.iter().map(|m| m.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 28, "Member State codes must be unique");
        for ms in &actors.member_states {
            for adversary in &actors.adversaries {
                assert!(
                    ms.stance.contains_key(&adversary.id),
                    "{} lacks a stance on {}",
                    ms.code,
                    adversary.id
                );
                assert!(
                    ms.economic_ties.contains_key(&adversary.id),
                    "{} lacks ties with {}",
                    ms.code,
                    adversary.id
                );
            }
        }
    }

    #[test]
    fn every_era_is_dated_and_within_bounds() {
        let actors = ActorsData::embedded();
        for adversary in &actors.adversaries {
            let mut last = i64::MIN;
            for era in &adversary.eras {
                let day = crate::scenario::date_days(&era.from)
                    .unwrap_or_else(|| panic!("{}: era date {:?} is not YYYY-MM-DD", adversary.id, era.from));
                assert!(day > last, "{}: eras out of date order", adversary.id);
                last = day;
                assert!(
                    (-1.0..=1.0).contains(&era.stance),
                    "{}: stance shift {}",
                    adversary.id,
                    era.stance
                );
                assert!(
                    (0.0..=1.0).contains(&era.ties),
                    "{}: ties factor {}",
                    adversary.id,
                    era.ties
                );
                assert!(
                    (0.0..=1.0).contains(&era.confidence_building) && (0.0..=1.0).contains(&era.resolve_floor),
                    "{}: an era's confidence building and resolve floor are shares",
                    adversary.id
                );
                assert!(!era.why.is_empty(), "{}: an era says what happened", adversary.id);
            }
        }
        let russia = actors.adversaries.iter().find(|a| a.id == "russia").unwrap();
        assert_eq!(russia.eras[0].from, "2022-02-24", "the full-scale invasion of Ukraine");
    }

    #[test]
    fn the_presidency_rotates_with_the_story_date() {
        let council = ActorsData::embedded().council;
        let on = |date: &str| council.presidency_on(crate::scenario::date_days(date)).to_owned();
        assert_eq!(on("2017-06-27"), "MT", "NotPetya fell under Malta's Presidency");
        assert_eq!(on("2017-07-01"), "EE");
        assert_eq!(
            on("2020-10-22"),
            "DE",
            "the Bundestag listing, under the German Presidency"
        );
        assert_eq!(
            on("2025-01-27"),
            "PL",
            "the GRU 29155 listing, under the Polish Presidency"
        );
        assert_eq!(
            on("1990-01-01"),
            council.presidency,
            "outside the table: the assumption"
        );
        assert_eq!(on("2040-01-01"), council.presidency);
        for pair in council.presidencies.windows(2) {
            let (a, b) = (
                crate::scenario::date_days(&pair[0].0).unwrap(),
                crate::scenario::date_days(&pair[1].0).unwrap(),
            );
            assert!(
                (181..=184).contains(&(b - a)),
                "half-years: {} to {}",
                pair[0].0,
                pair[1].0
            );
        }
    }

    #[test]
    fn populations_add_up_to_the_union_of_2024() {
        let total: u32 = ActorsData::embedded().members_on(None).map(|m| m.population).sum();
        // Eurostat: 449.2 million on 1 January 2024.
        assert!((448_000..=450_500).contains(&total), "{total} thousand");
    }

    #[test]
    fn the_default_cast_has_a_state_and_a_non_state_adversary() {
        let actors = ActorsData::embedded();
        use super::super::AdversaryKind::*;
        assert!(actors.adversaries.iter().any(|a| a.kind == State));
        assert!(actors.adversaries.iter().any(|a| matches!(a.kind, Proxy | Criminal)));
    }
}
