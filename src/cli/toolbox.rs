//! `demarche toolbox [--scenario FILE] [--json]`: the catalogue of measures as the engine plays it
//! for a scenario (its overrides and assumptions applied, availability on its start date), so a
//! facilitator can see who decides what, by which rule and how long it takes without reading RON.

use demarche::council::{Ineligible, exists};
use demarche::scenario::{Calendar, Scenario, StoryTime, date_days, long_date};
use demarche::toolbox::{Confidence, MeasureData, Toolbox, Wording};
use serde::Serialize;
use std::collections::BTreeSet;
use std::process::ExitCode;

/// One measure as `--json` prints it.
#[derive(Serialize)]
struct Entry<'a> {
    id: &'a str,
    name: &'a str,
    family: &'static str,
    kind: &'static str,
    decided_by: &'static str,
    rule: &'static str,
    lead_time: StoryTime,
    lead_time_hours: u32,
    attribution: Option<&'static str>,
    names_perpetrator: bool,
    available: bool,
    why: Option<String>,
    exists_from: Option<&'a str>,
    enabled_by: Option<&'a str>,
    /// For a Council file, its stages and the story hours each takes.
    path: Vec<Stage>,
    /// For a decision that lapses unless renewed, the story hours from entry into force to its
    /// review, or the day of each year it is reviewed (`MM-DD`).
    review_every_hours: Option<u32>,
    review_on: Option<&'a str>,
    /// For a statement of who is responsible, its ladder of wordings, lowest rung first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    wordings: Vec<&'a Wording>,
    legal_basis: &'a str,
}

/// One stage of a file's path as `--json` prints it.
#[derive(Serialize)]
struct Stage {
    stage: &'static str,
    hours: u32,
}

/// The catalogue for a scenario, in the Toolbox's order.
fn catalogue(scenario: &Scenario) -> (Toolbox, Option<i64>) {
    let mut toolbox = Toolbox::embedded();
    toolbox.fit(scenario);
    (toolbox, date_days(&scenario.clock.start))
}

/// One measure for a scenario: available means it exists on the start date and, tabled in the
/// first turn, takes effect before the last; a Council file only needs to be able to begin (it may
/// still be in the machinery when the exercise ends).
fn entry<'a>(
    toolbox: &'a Toolbox,
    m: &'a MeasureData,
    today: Option<i64>,
    scenario: &Scenario,
    calendar: &Calendar,
) -> Entry<'a> {
    let too_late = (!m.rule.voted() && calendar.due(1, m.lead_time) > scenario.turns)
        .then_some(Ineligible::TooLate { lead_time: m.lead_time });
    let why = exists(m, today, &BTreeSet::new())
        .err()
        .or(too_late)
        .map(|e| e.to_string());
    Entry {
        id: &m.id,
        name: &m.name,
        family: m.family.label(),
        kind: m.kind.code(),
        decided_by: m.decided_by.code(),
        rule: m.rule.code(),
        lead_time: m.lead_time,
        lead_time_hours: m.lead_time.hours,
        attribution: m.attribution.map(Confidence::label),
        names_perpetrator: m.names_perpetrator,
        available: why.is_none(),
        why,
        exists_from: m.exists_from.as_ref().map(|d| d.date.as_str()),
        enabled_by: m.enabled_by.as_deref(),
        path: m
            .path
            .iter()
            .map(|step| Stage {
                stage: step.0.short(),
                hours: step.1.hours,
            })
            .collect(),
        review_every_hours: m.review_every.map(|r| r.hours),
        review_on: m.review_on.as_deref(),
        wordings: toolbox.rungs(m).collect(),
        legal_basis: &m.legal_basis,
    }
}

pub fn toolbox(scenario: &Scenario, json: bool) -> ExitCode {
    let (toolbox, today) = catalogue(scenario);
    let calendar = Calendar::of(scenario);
    let entries: Vec<Entry> = toolbox
        .measures
        .iter()
        .map(|m| entry(&toolbox, m, today, scenario, &calendar))
        .collect();
    let out = if json {
        let mut text = serde_json::to_string_pretty(&entries).expect("the catalogue serialises");
        text.push('\n');
        text
    } else {
        human(scenario, &toolbox, &entries, today)
    };
    match super::print(&out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

/// A table per family, then the measures not available on the scenario's date and why.
fn human(scenario: &Scenario, toolbox: &Toolbox, entries: &[Entry], today: Option<i64>) -> String {
    let mut s = format!(
        "The Toolbox for \"{}\"{}\n",
        scenario.title,
        today.map(|d| format!(", on {}", long_date(d))).unwrap_or_default()
    );
    if !scenario.assume_available.is_empty() {
        s.push_str(&format!(
            "The scenario assumes: {}\n",
            scenario.assume_available.join(", ")
        ));
    }
    let mut family = "";
    for (m, e) in toolbox.measures.iter().zip(entries) {
        if e.family != family {
            family = e.family;
            s.push_str(&format!(
                "\n{}\n  {:<28} {:<21} {:<20} {:<14} {:>9}  {}\n",
                family.to_uppercase(),
                "id",
                "kind",
                "decided by",
                "rule",
                "lead time",
                "now"
            ));
        }
        s.push_str(&format!(
            "  {:<28} {:<21} {:<20} {:<14} {:>9}  {}\n",
            e.id,
            e.kind,
            m.decided_by.label(),
            e.rule,
            e.lead_time.to_string(),
            if e.available { "available" } else { "no (below)" }
        ));
    }
    s.push_str("\nThe ladder of attribution wordings (lowest rung first; the confidence each needs):\n");
    for w in &toolbox.wordings {
        let used_by: Vec<&str> = entries
            .iter()
            .filter(|e| e.wordings.iter().any(|x| x.id == w.id))
            .map(|e| e.id)
            .collect();
        s.push_str(&format!(
            "  {:<11} {:>3.0}%  {}\n  {:<11}       \"{}\"\n  {:<11}       used by: {}\n",
            w.id,
            w.min_confidence * 100.0,
            w.precedent,
            "",
            w.text,
            "",
            used_by.join(", ")
        ));
    }
    s.push_str("\nThe path of each Council file (a veto point at the end of each stage):\n");
    for (m, e) in toolbox.measures.iter().zip(entries) {
        if e.path.is_empty() {
            continue;
        }
        let stages: Vec<String> = m
            .path
            .iter()
            .map(|step| format!("{} {}", step.0.short(), step.1))
            .collect();
        let review = match (&m.review_on, m.review_every) {
            (Some(day), _) => {
                let when = date_days(&format!("2001-{day}")).map_or_else(
                    || day.clone(),
                    |d| {
                        let date = long_date(d);
                        date.trim_end_matches(" 2001").to_owned()
                    },
                );
                format!("; reviewed each year on {when}, with the others")
            }
            (None, Some(r)) => format!("; reviewed {r} after entry into force"),
            (None, None) => String::new(),
        };
        s.push_str(&format!("  {}: {}{review}\n", e.id, stages.join(" > ")));
    }
    let unavailable: Vec<(&MeasureData, &Entry)> = toolbox
        .measures
        .iter()
        .zip(entries)
        .filter(|(_, e)| !e.available)
        .collect();
    if !unavailable.is_empty() {
        s.push_str("\nNot available on the start date:\n");
        let calendar = Calendar::of(scenario);
        for (m, e) in unavailable {
            // A measure that comes to exist during the exercise (across a phase's gap) says when.
            let later = m
                .exists_from
                .as_ref()
                .and_then(|d| calendar.turn_on(d.days()))
                .filter(|t| (2..=scenario.turns).contains(t))
                .map(|t| format!("; available from turn {t}"))
                .unwrap_or_default();
            s.push_str(&format!(
                "  {}: {}{later}\n",
                e.id,
                e.why.as_deref().unwrap_or_default()
            ));
        }
    }
    s
}
