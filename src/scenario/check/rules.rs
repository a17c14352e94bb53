//! The checks on a scenario that parsed: references, ranges, times and conditions.

use super::findings::{CheckReport, Finding};
use super::graph;
use super::spans::{Node, Seg};
use crate::actors::ActorsData;
use crate::scenario::{Condition, Inject, Scenario, When, parse_offset};
use crate::toolbox::Toolbox;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// A path into the document, owned so findings can be built from loops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum P {
    F(&'static str),
    I(usize),
    K(String),
}

pub(super) struct Ctx<'a> {
    pub scenario: &'a Scenario,
    root: Option<&'a Node>,
    pub report: &'a mut CheckReport,
    pub states: BTreeSet<&'a str>,
    /// Member States of other dates (the United Kingdom before February 2020), with why they
    /// are not members on the scenario's date.
    pub former: BTreeMap<&'a str, String>,
    /// Third countries on the scenario's date: code and name.
    pub third: BTreeMap<&'a str, &'a str>,
    pub cast: BTreeSet<&'a str>,
    known_adversaries: BTreeSet<&'a str>,
    pub measures: BTreeSet<&'a str>,
    /// Measures that do not exist at any time of the exercise (the regime on Russia's
    /// destabilising activities in a 2022 scenario), with why: no run can take them.
    pub not_in_time: BTreeMap<&'a str, String>,
    /// Every inject id (scheduled and pool) with its path.
    pub injects: BTreeMap<&'a str, Vec<P>>,
}

impl Ctx<'_> {
    /// The span of the value at `path`.
    pub fn at(&self, path: &[P]) -> Range<usize> {
        let Some(root) = self.root else { return 0..0 };
        root.find(&segs(path)).span.clone()
    }

    /// The span of a field's key, or of its value if the key cannot be found.
    pub fn key_at(&self, path: &[P]) -> Range<usize> {
        let Some(root) = self.root else { return 0..0 };
        root.key_span(&segs(path)).unwrap_or_else(|| self.at(path))
    }

    /// Where a reference is written: the key itself for a map key, the value otherwise.
    pub fn reference_at(&self, path: &[P]) -> Range<usize> {
        match (self.root, path.last()) {
            (Some(root), Some(P::K(_))) => root
                .map_key(&segs(path))
                .map_or_else(|| self.at(path), |n| n.span.clone()),
            _ => self.at(path),
        }
    }

    /// Reports string keys written twice in the map at `path`.
    pub fn repeated_keys(&mut self, path: &[P], what: &str) {
        let Some(root) = self.root else { return };
        let repeated: Vec<(String, Range<usize>)> = root
            .repeated_keys(&segs(path))
            .into_iter()
            .map(|(k, n)| (k.to_owned(), n.span.clone()))
            .collect();
        for (key, span) in repeated {
            self.push(
                Finding::error("duplicate-id", format!("{what} \"{key}\" is given twice"), span)
                    .hint("the second entry would silently replace the first; merge them into one"),
            );
        }
    }

    pub fn push(&mut self, finding: Finding) {
        self.report.push(finding);
    }

    /// Reports an unknown reference, suggesting the closest known one.
    pub fn unknown<'k>(
        &mut self,
        code: &'static str,
        what: &str,
        value: &str,
        known: impl IntoIterator<Item = &'k str>,
        path: &[P],
    ) {
        let former = (code == "unknown-member-state")
            .then(|| self.former.get(value))
            .flatten();
        let third = (code == "unknown-member-state")
            .then(|| self.third.get(value))
            .flatten();
        if let Some(name) = third {
            let span = self.reference_at(path);
            let mut name = (*name).to_owned();
            if let Some(first) = name.get(..1) {
                name = first.to_uppercase() + &name[1..];
            }
            let hint = if path.iter().any(|p| matches!(p, P::F("victims"))) {
                format!(
                    "a third country hit is named in the incident's `third_countries: [\"{value}\"]`; it has no seat in the Council"
                )
            } else {
                "third countries have no seat in the Council; name them as victims (`third_countries`) or partners (`partners`) in injects".to_owned()
            };
            self.push(Finding::error(code, format!("{name} is not a Member State"), span).hint(hint));
            return;
        }
        let hint = match (code, value) {
            _ if former.is_some() => format!(
                "{} (the scenario starts {}): it has no seat in this scenario's Council",
                former.map(String::as_str).unwrap_or_default(),
                self.scenario.clock.start.get(..10).unwrap_or_default()
            ),
            ("unknown-member-state", "GR") => "Greece is \"EL\" in EU usage".to_owned(),
            ("unknown-member-state", "EU") => {
                "the EU is not a Member State: name one of its Member States by code".to_owned()
            }
            ("unknown-member-state", "GB") => "the United Kingdom is \"UK\" in EU usage".to_owned(),
            _ => {
                let known: Vec<&str> = known.into_iter().collect();
                match did_you_mean(value, known.iter().copied()) {
                    Some(s) => format!("did you mean \"{s}\"?"),
                    None if known.len() <= 12 => format!("the known ones: {}", known.join(", ")),
                    None => format!("use the id of a {what} that exists"),
                }
            }
        };
        let span = self.reference_at(path);
        let message = match former {
            Some(_) => format!("\"{value}\" is not a Member State on this scenario's date"),
            None => format!("unknown {what} \"{value}\""),
        };
        self.push(Finding::error(code, message, span).hint(hint));
    }

    /// Reports a value outside its range.
    pub fn range(&mut self, value: f64, lo: f64, hi: f64, what: &str, path: &[P]) {
        if !(lo..=hi).contains(&value) {
            let span = self.at(path);
            self.push(
                Finding::error("out-of-range", format!("{what} is {value}, outside {lo} to {hi}"), span)
                    .hint(format!("{what} runs from {lo} to {hi}")),
            );
        }
    }
}

fn segs(path: &[P]) -> Vec<Seg<'_>> {
    path.iter()
        .map(|p| match p {
            P::F(f) => Seg::Field(f),
            P::I(i) => Seg::Index(*i),
            P::K(k) => Seg::Key(k),
        })
        .collect()
}

/// The closest of `known` to `value`, if close enough to be a typo.
pub(super) fn did_you_mean<'k>(value: &str, known: impl IntoIterator<Item = &'k str>) -> Option<&'k str> {
    let limit = (value.chars().count() / 3).max(2);
    known
        .into_iter()
        .map(|k| (strsim::levenshtein(&value.to_lowercase(), &k.to_lowercase()), k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

pub(super) fn check(
    scenario: &Scenario,
    root: Option<&Node>,
    actors: &ActorsData,
    toolbox: &Toolbox,
    report: &mut CheckReport,
) {
    let mut injects: BTreeMap<&str, Vec<P>> = BTreeMap::new();
    let mut cx = Ctx {
        scenario,
        root,
        report,
        states: actors.members_of(scenario).map(|m| m.code.as_str()).collect(),
        former: actors
            .member_states
            .iter()
            .filter_map(|m| {
                let why = m.not_member_because(crate::scenario::date_days(&scenario.clock.start))?;
                Some((m.code.as_str(), why))
            })
            .collect(),
        third: actors
            .third_countries
            .iter()
            .filter(|c| c.third_on(crate::scenario::date_days(&scenario.clock.start)))
            .map(|c| (c.code.as_str(), c.name.as_str()))
            .collect(),
        cast: BTreeSet::new(),
        known_adversaries: actors.adversaries.iter().map(|a| a.id.as_str()).collect(),
        measures: toolbox.measures.iter().map(|m| m.id.as_str()).collect(),
        not_in_time: not_in_time(scenario, toolbox),
        injects: BTreeMap::new(),
    };
    header(&mut cx);
    council_of_the_dates(&mut cx, actors);
    cast(&mut cx);
    overrides(&mut cx);
    for (list, field) in [(&scenario.injects, "injects"), (&scenario.pool, "pool")] {
        for (i, inject) in list.iter().enumerate() {
            let path = vec![P::F(field), P::I(i)];
            if let Some(first) = injects.get(inject.id.as_str()) {
                let first_span = cx.at(first);
                let (line, _) = crate::scenario::line_column(&cx.report.text, first_span.start);
                let span = cx.at(&[P::F(field), P::I(i), P::F("id")]);
                cx.push(
                    Finding::error(
                        "duplicate-id",
                        format!("inject id \"{}\" is used twice", inject.id),
                        span,
                    )
                    .hint(format!(
                        "the first inject with this id is at line {line}; give each inject its own id"
                    )),
                );
            } else {
                injects.insert(inject.id.as_str(), path);
            }
        }
    }
    cx.injects = injects;
    for (i, inject) in scenario.injects.iter().enumerate() {
        scheduled_inject(&mut cx, inject, i);
        inject_body(&mut cx, inject, &[P::F("injects"), P::I(i)]);
    }
    for (i, inject) in scenario.pool.iter().enumerate() {
        let path = [P::F("pool"), P::I(i)];
        if inject.at.is_some() || inject.when.is_some() || inject.group.is_some() {
            let field = if inject.at.is_some() {
                "at"
            } else if inject.when.is_some() {
                "when"
            } else {
                "group"
            };
            let span = cx.key_at(&[P::F("pool"), P::I(i), P::F(field)]);
            cx.push(
                Finding::warning(
                    "pool-timing",
                    format!("pool inject \"{}\" has a `{field}`, which is ignored", inject.id),
                    span,
                )
                .hint("pool injects fire when the facilitator fires them; move it to `injects` to schedule it"),
            );
        }
        inject_body(&mut cx, inject, &path);
    }
    phases(&mut cx);
    objectives(&mut cx);
    graph::check(&mut cx);
}

fn header(cx: &mut Ctx<'_>) {
    // A control character in the text (an escape sequence in a title) would be printed to the
    // players' and the facilitator's terminals as it is: it could clear the screen or retitle the
    // window. Tabs and line ends are text.
    // Byte by byte: the C0 controls and DEL are single bytes, the C1 controls 0xC2 0x80..0x9F.
    let bytes = cx.report.text.as_bytes();
    let control = bytes.iter().enumerate().position(|(i, &b)| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || b == 0x7f
            || (b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..0xa0).contains(n)))
    });
    if let Some((offset, c)) = control.and_then(|i| cx.report.text[i..].chars().next().map(|c| (i, c))) {
        cx.push(
            Finding::error(
                "control-character",
                format!("a control character (U+{:04X}) in the text", u32::from(c)),
                offset..offset + c.len_utf8(),
            )
            .hint("remove it: titles and descriptions are plain text"),
        );
    }
    let s = cx.scenario;
    if s.turns == 0 || s.turns > 200 {
        let span = cx.at(&[P::F("turns")]);
        cx.push(
            Finding::error("out-of-range", format!("turns is {}, outside 1 to 200", s.turns), span)
                .hint("an exercise lasts from 1 to 200 turns"),
        );
    }
    if s.clock.turn_hours == 0 || s.clock.turn_hours > 24 * 30 {
        let span = cx.at(&[P::F("clock"), P::F("turn_hours")]);
        cx.push(
            Finding::error(
                "out-of-range",
                format!("turn_hours is {}, outside 1 to 720", s.clock.turn_hours),
                span,
            )
            .hint("one turn is an hour to a month of exercise time"),
        );
    }
    if !valid_start(&s.clock.start) {
        let span = cx.at(&[P::F("clock"), P::F("start")]);
        cx.push(
            Finding::error(
                "bad-date",
                format!("start \"{}\" is not a date and time", s.clock.start),
                span,
            )
            .hint("write the start of the exercise as \"2017-06-27T09:00\""),
        );
    }
    cx.range(
        s.initial.escalation,
        0.0,
        9.0,
        "initial escalation",
        &[P::F("initial"), P::F("escalation")],
    );
    cx.range(
        s.initial.cohesion,
        0.0,
        1.0,
        "initial cohesion",
        &[P::F("initial"), P::F("cohesion")],
    );
    cx.range(
        s.initial.shared_awareness,
        0.0,
        1.0,
        "initial shared awareness",
        &[P::F("initial"), P::F("shared_awareness")],
    );
    if let Some(code) = &s.presidency
        && !cx.states.contains(code.as_str())
    {
        let known: Vec<&str> = cx.states.iter().copied().collect();
        cx.unknown(
            "unknown-member-state",
            "Member State",
            code,
            known,
            &[P::F("presidency")],
        );
    }
}

/// `YYYY-MM-DDTHH:MM` with a real month, day, hour and minute.
fn valid_start(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 16 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return false;
    }
    let num = |r: Range<usize>| {
        text.get(r)
            .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|t| t.parse::<u32>().ok())
    };
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi)) = (num(0..4), num(5..7), num(8..10), num(11..13), num(14..16))
    else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    (1..=12).contains(&mo) && d >= 1 && d <= days[(mo - 1) as usize] && h < 24 && mi < 60
}

fn cast(cx: &mut Ctx<'_>) {
    let s = cx.scenario;
    if s.adversaries.is_empty() {
        let span = cx.at(&[P::F("adversaries")]);
        cx.push(
            Finding::error("empty", "no adversary is cast", span)
                .hint("list at least one adversary id from assets/actors.ron, such as \"borealia\""),
        );
    }
    let mut seen = BTreeSet::new();
    for (i, id) in s.adversaries.iter().enumerate() {
        if !cx.known_adversaries.contains(id.as_str()) {
            let known: Vec<&str> = cx.known_adversaries.iter().copied().collect();
            cx.unknown(
                "unknown-adversary",
                "adversary",
                id,
                known,
                &[P::F("adversaries"), P::I(i)],
            );
        } else if !seen.insert(id.as_str()) {
            let span = cx.at(&[P::F("adversaries"), P::I(i)]);
            cx.push(
                Finding::error("duplicate-id", format!("adversary \"{id}\" is cast twice"), span).hint("remove one"),
            );
        }
    }
    cx.cast = seen;
}

/// An adversary reference that must be cast.
/// Warns when the story's calendar runs across a change of membership (the United Kingdom's
/// departure on 31 January 2020): the engine keeps the Council of the start date throughout.
fn council_of_the_dates(cx: &mut Ctx<'_>, actors: &ActorsData) {
    // A start that is not a real date (30 February) is `bad-date`'s alone.
    if crate::scenario::date_days(&cx.scenario.clock.start).is_none() {
        return;
    }
    let calendar = crate::scenario::Calendar::of(cx.scenario);
    // The clock's start, whatever a (misplaced) gap on the first phase would do to turn 1.
    let (start, end) = (
        crate::scenario::date_days(&cx.scenario.clock.start),
        calendar.day_of(cx.scenario.turns),
    );
    let (Some(start_day), Some(end_day)) = (start, end) else {
        return;
    };
    // The Toolbox itself dates from the Council conclusions of 19 June 2017.
    if let Some(toolbox) = crate::scenario::date_days("2017-06-19")
        && start_day < toolbox
    {
        let span = cx.at(&[P::F("clock"), P::F("start")]);
        cx.push(
            Finding::warning(
                "before-toolbox",
                format!(
                    "the exercise starts on {}, before the Cyber Diplomacy Toolbox existed (Council conclusions 10474/17 of 19 June 2017): it plays the EU's response as if the framework were in place",
                    crate::scenario::long_date(start_day)
                ),
                span,
            )
            .hint("say in the scenario's header that the Toolbox is assumed, or start the exercise after 19 June 2017"),
        );
    }
    // The table of Presidencies runs 2013-2027: outside it, the Presidency is an assumption.
    let table = &actors.council.presidencies;
    let first = table.first().and_then(|(d, _)| crate::scenario::date_days(d));
    let last = table
        .last()
        .and_then(|(d, _)| crate::scenario::date_days(d))
        .map(|d| d + 183);
    if cx.scenario.presidency.is_none()
        && let (Some(first), Some(last)) = (first, last)
        && (start_day < first || end_day > last)
    {
        let span = cx.at(&[P::F("clock"), P::F("start")]);
        cx.push(
            Finding::warning(
                "presidency-unknown",
                format!(
                    "the exercise runs outside the table of Council Presidencies ({} to {}): the engine would assume {} in the chair",
                    crate::scenario::long_date(first),
                    crate::scenario::long_date(last),
                    actors.council.presidency
                ),
                span,
            )
            .hint("set `presidency` to the Member State that held it on the scenario's date"),
        );
    }
    let changed: Vec<String> = actors
        .member_states
        .iter()
        .filter(|m| m.member_on(start) != m.member_on(end))
        .map(|m| m.name.clone())
        .collect();
    if changed.is_empty() {
        return;
    }
    let span = cx.at(&[P::F("clock"), P::F("start")]);
    cx.push(
        Finding::warning(
            "council-change",
            format!(
                "the exercise runs until {}, across a change in the EU's membership ({}), but its Council stays the one of the start date",
                crate::scenario::long_date(end_day),
                changed.join(", ")
            ),
            span,
        )
        .hint("split the exercise at the change, or say in the header that the Council of the start date is kept"),
    );
}

/// Reports a reference to a Toolbox measure that does not exist, with "did you mean".
/// The measures that come to exist only after the exercise ends, and that no measure adopted in
/// the run can bring forward, unless the scenario assumes them.
fn not_in_time<'a>(scenario: &Scenario, toolbox: &'a Toolbox) -> BTreeMap<&'a str, String> {
    let calendar = crate::scenario::Calendar::of(scenario);
    let Some(end) = calendar.day_of(scenario.turns.saturating_add(1)) else {
        return BTreeMap::new();
    };
    toolbox
        .measures
        .iter()
        .filter(|m| m.enabled_by.is_none() && !scenario.assume_available.contains(&m.id))
        .filter_map(|m| {
            let from = m.exists_from.as_ref()?;
            (from.days() >= end).then(|| {
                (
                    m.id.as_str(),
                    format!(
                        "\"{}\" exists only from {} ({}), after the exercise ends",
                        m.id, from.date, from.what
                    ),
                )
            })
        })
        .collect()
}

/// A measure a condition or an objective expects: it must exist in the run's time. A warning,
/// not an error: inside `AnyOf` another part may still hold.
fn measure_in_time(cx: &mut Ctx<'_>, id: &str, path: &[P]) {
    let Some(why) = cx.not_in_time.get(id).cloned() else {
        return;
    };
    let span = cx.at(path);
    let finding = Finding::warning("not-in-time", format!("no run can take this measure: {why}"), span);
    cx.push(finding.hint("name a measure of the scenario's dates (`demarche toolbox SCENARIO` lists them), or assume it with `assume_available`"));
}

pub(super) fn measure_ref(cx: &mut Ctx<'_>, id: &str, path: &[P]) {
    if !cx.measures.contains(id) {
        let known: Vec<&str> = cx.measures.iter().copied().collect();
        cx.unknown("unknown-measure", "Toolbox measure", id, known, path);
    }
}

pub(super) fn adversary_ref(cx: &mut Ctx<'_>, id: &str, path: &[P]) {
    if cx.cast.contains(id) {
        return;
    }
    if cx.known_adversaries.contains(id) {
        let span = cx.reference_at(path);
        cx.push(
            Finding::error(
                "not-cast",
                format!("adversary \"{id}\" is not cast in this scenario"),
                span,
            )
            .hint(format!("add \"{id}\" to `adversaries`")),
        );
    } else {
        let known: Vec<&str> = cx.cast.iter().copied().collect();
        cx.unknown("unknown-adversary", "adversary", id, known, path);
    }
}

fn overrides(cx: &mut Ctx<'_>) {
    let s = cx.scenario;
    cx.repeated_keys(&[P::F("member_states")], "Member State");
    cx.repeated_keys(&[P::F("adversary_overrides")], "adversary");
    cx.repeated_keys(&[P::F("toolbox")], "measure");
    for code in s.member_states.keys() {
        for table in ["stance", "economic_ties"] {
            cx.repeated_keys(&[P::F("member_states"), P::K(code.clone()), P::F(table)], "adversary");
        }
    }
    for (code, o) in &s.member_states {
        let base = vec![P::F("member_states"), P::K(code.clone())];
        if !cx.states.contains(code.as_str()) {
            let known: Vec<&str> = cx.states.iter().copied().collect();
            cx.unknown("unknown-member-state", "Member State", code, known, &base);
        }
        let field = |f: &'static str| [base.clone(), vec![P::F(f)]].concat();
        if let Some(v) = o.attribution_capability {
            cx.range(v, 0.0, 1.0, "attribution_capability", &field("attribution_capability"));
        }
        if let Some(v) = o.exposure {
            cx.range(v, 0.0, 1.0, "exposure", &field("exposure"));
        }
        if let Some(v) = o.public_attribution {
            cx.range(v, 0.0, 1.0, "public_attribution", &field("public_attribution"));
        }
        for (table, name, lo) in [(&o.stance, "stance", -1.0), (&o.economic_ties, "economic_ties", 0.0)] {
            for (id, v) in table {
                let path = [field(name), vec![P::K(id.clone())]].concat();
                adversary_ref(cx, id, &path);
                cx.range(*v, lo, 1.0, name, &path);
            }
        }
    }
    for (id, o) in &s.adversary_overrides {
        let base = vec![P::F("adversary_overrides"), P::K(id.clone())];
        adversary_ref(cx, id, &base);
        for (name, v) in [
            ("activity", o.activity),
            ("intent", o.intent),
            ("capability", o.capability),
            ("risk_tolerance", o.risk_tolerance),
            ("resolve_belief", o.resolve_belief),
            ("trust", o.trust),
        ] {
            if let Some(v) = v {
                cx.range(v, 0.0, 1.0, name, &[base.clone(), vec![P::F(name)]].concat());
            }
        }
        if let Some(v) = o.ceiling {
            cx.range(v, 0.0, 9.0, "ceiling", &[base.clone(), vec![P::F("ceiling")]].concat());
        }
    }
    for (index, id) in s.assume_available.iter().enumerate() {
        measure_ref(cx, id, &[P::F("assume_available"), P::I(index)]);
    }
    for (id, o) in &s.toolbox {
        let base = vec![P::F("toolbox"), P::K(id.clone())];
        measure_ref(cx, id, &base);
        if let Some(v) = o.cost {
            cx.range(v, 0.0, 1.0, "cost", &[base.clone(), vec![P::F("cost")]].concat());
        }
        if let Some(v) = o.intensity {
            cx.range(
                v,
                0.0,
                1.0,
                "intensity",
                &[base.clone(), vec![P::F("intensity")]].concat(),
            );
        }
        if let Some(v) = o.lead_time
            && v.turns(s.clock.turn_hours) > s.turns
        {
            let span = cx.at(&[base.clone(), vec![P::F("lead_time")]].concat());
            let length = crate::scenario::StoryTime {
                hours: s.turns.saturating_mul(s.clock.turn_hours),
            };
            cx.push(
                Finding::warning(
                    "past-end",
                    format!(
                        "lead_time {v} runs past the end: the whole exercise lasts {} turns of {} hours ({length})",
                        s.turns, s.clock.turn_hours
                    ),
                    span,
                )
                .hint(
                    "the measure could never take effect; shorten it or withhold the measure with `available: false`",
                ),
            );
        }
    }
}

/// The earliest turn an inject timed from the start is due, if its time reads.
pub(super) fn start_turn(scenario: &Scenario, when: &When) -> Option<u64> {
    match when {
        When::Turn(t) => Some(u64::from(*t)),
        When::Offset(text) => parse_offset(text)
            .ok()
            .map(|o| crate::scenario::Calendar::of(scenario).turn_at(o.total_hours())),
        When::After { .. } => None,
    }
}

fn scheduled_inject(cx: &mut Ctx<'_>, inject: &Inject, i: usize) {
    let s = cx.scenario;
    let base = [P::F("injects"), P::I(i)];
    let at_path = [base.to_vec(), vec![P::F("at")]].concat();
    let Some(when) = &inject.at else {
        let span = cx.at(&[base.to_vec(), vec![P::F("id")]].concat());
        cx.push(
            Finding::error("missing-time", format!("inject \"{}\" has no `at`", inject.id), span)
                .hint("say when it is due: `at: Turn(3)`, `at: Offset(\"D+2 H+6\")` or `at: After(inject: \"id\", delay: \"D+1\")`; unscheduled injects belong in `pool`"),
        );
        return;
    };
    let value_path = [at_path.clone(), vec![P::I(0)]].concat();
    match when {
        When::Turn(0) => {
            let span = cx.at(&value_path);
            cx.push(Finding::error("out-of-range", "turn 0 does not exist", span).hint("turns count from 1"));
        }
        When::Offset(text) | When::After { delay: text, .. } => {
            let path = match when {
                When::After { .. } => [at_path.clone(), vec![P::F("delay")]].concat(),
                _ => value_path.clone(),
            };
            match parse_offset(text) {
                Err(why) => {
                    let span = cx.at(&path);
                    cx.push(
                        Finding::error("bad-time", why, span).hint("relative times read \"D+2 H+6\": days, then hours"),
                    );
                }
                Ok(o) if matches!(when, When::After { .. }) && o.total_hours() > 0 && o.turns(&s.clock) == 0 => {
                    let span = cx.at(&path);
                    cx.push(
                        Finding::warning(
                            "rounding",
                            format!(
                                "a delay of {text} is shorter than one turn ({} hours), so it counts as no delay",
                                s.clock.turn_hours
                            ),
                            span,
                        )
                        .hint("delays count in whole turns: make it at least one turn, or write \"D+0\""),
                    );
                }
                Ok(_) => {}
            }
        }
        When::Turn(_) => {}
    }
    if let When::After { inject: leader, .. } = when
        && !cx.injects.contains_key(leader.as_str())
    {
        let known: Vec<&str> = cx.injects.keys().copied().collect();
        cx.unknown(
            "unknown-inject",
            "inject",
            leader,
            known,
            &[at_path.clone(), vec![P::F("inject")]].concat(),
        );
    }
    if let Some(turn) = start_turn(s, when)
        && turn >= 1
    {
        if turn > u64::from(s.turns) {
            let span = cx.at(&value_path);
            cx.push(
                Finding::error(
                    "past-end",
                    format!(
                        "inject \"{}\" is due at turn {turn}, after the last turn ({})",
                        inject.id, s.turns
                    ),
                    span,
                )
                .hint("bring it forward or lengthen the exercise with `turns`"),
            );
        } else if turn + u64::from(inject.jitter) > u64::from(s.turns) {
            let span = cx.at(&[base.to_vec(), vec![P::F("jitter")]].concat());
            cx.push(
                Finding::warning(
                    "past-end",
                    format!(
                        "with a jitter of {} turns, inject \"{}\" may fall after the last turn",
                        inject.jitter, inject.id
                    ),
                    span,
                )
                .hint("reduce the jitter or bring the inject forward"),
            );
        }
    }
    if let Some(condition) = &inject.when {
        condition_refs(cx, condition, &[base.to_vec(), vec![P::F("when")]].concat());
    }
}

/// Codes people write for the third countries of the actors file (ISO alpha-3, or ISO's "GB"),
/// with the code the EU uses.
const THIRD_COUNTRY_ALIASES: [(&str, &str); 17] = [
    ("USA", "US"),
    ("UKR", "UA"),
    ("GBR", "UK"),
    ("GB", "UK"),
    ("NOR", "NO"),
    ("CHE", "CH"),
    ("ALB", "AL"),
    ("MDA", "MD"),
    ("GEO", "GE"),
    ("MNE", "ME"),
    ("MKD", "MK"),
    ("CAN", "CA"),
    ("JPN", "JP"),
    ("AUS", "AU"),
    ("NZL", "NZ"),
    ("KOR", "KR"),
    ("ROK", "KR"),
];

/// A third country named as a victim or a partner: one of the actors file's, and not a Member
/// State on the scenario's date (the United Kingdom before February 2020).
fn third_country_ref(cx: &mut Ctx<'_>, code: &str, path: &[P]) {
    if cx.third.contains_key(code) {
        return;
    }
    let span = cx.reference_at(path);
    if cx.states.contains(code) {
        let hint = if path.iter().any(|p| matches!(p, P::F("partners"))) {
            "a Member State sits in the Council: its part belongs in the inject's text, or in a Council measure"
        } else {
            "name a Member State hit among the incident's `victims`"
        };
        cx.push(
            Finding::error(
                "not-a-third-country",
                format!("\"{code}\" is a Member State on this scenario's date, not a third country"),
                span,
            )
            .hint(hint),
        );
        return;
    }
    if code.eq_ignore_ascii_case("EU") {
        cx.push(
            Finding::error("unknown-third-country", "the EU is not a third country", span)
                .hint("partners are countries outside the Union (\"US\", \"UK\" from February 2020, \"NO\"...); what the EU does is a Toolbox measure"),
        );
        return;
    }
    let known: Vec<&str> = cx.third.keys().copied().collect();
    let alias = THIRD_COUNTRY_ALIASES
        .iter()
        .find(|(written, _)| written.eq_ignore_ascii_case(code))
        .map(|(_, meant)| *meant)
        .filter(|meant| cx.third.contains_key(meant));
    let hint = match alias.or_else(|| did_you_mean(code, known.iter().copied())) {
        Some(s) => format!("did you mean \"{s}\"?"),
        None => format!("the third countries the actors file knows: {}", known.join(", ")),
    };
    cx.push(
        Finding::error(
            "unknown-third-country",
            format!("unknown third country \"{code}\""),
            span,
        )
        .hint(hint),
    );
}

/// A list of third countries: each one known and a third country on the date, none twice.
fn third_country_list(cx: &mut Ctx<'_>, codes: &[String], path: &[P]) {
    let mut seen = BTreeSet::new();
    for (i, code) in codes.iter().enumerate() {
        let at = [path.to_vec(), vec![P::I(i)]].concat();
        if !seen.insert(code.as_str()) {
            let span = cx.at(&at);
            cx.push(Finding::error("duplicate-id", format!("\"{code}\" is listed twice"), span).hint("remove one"));
            continue;
        }
        third_country_ref(cx, code, &at);
    }
}

/// Checks the parts every inject has: its partners, its incident and posture shift.
fn inject_body(cx: &mut Ctx<'_>, inject: &Inject, base: &[P]) {
    third_country_list(cx, &inject.partners, &[base.to_vec(), vec![P::F("partners")]].concat());
    let path = |tail: &[P]| [base.to_vec(), vec![P::F("incident")], tail.to_vec()].concat();
    if let Some(incident) = &inject.incident {
        adversary_ref(cx, &incident.perpetrator, &path(&[P::F("perpetrator")]));
        if let Some(flag) = &incident.false_flag {
            adversary_ref(cx, flag, &path(&[P::F("false_flag")]));
            if flag == &incident.perpetrator {
                let span = cx.at(&path(&[P::F("false_flag")]));
                cx.push(
                    Finding::warning("false-flag", "the false flag is the perpetrator itself", span)
                        .hint("a false flag names another actor whose traces were planted; remove it or name another"),
                );
            }
        }
        // An attack on a third country alone (WhisperGate against Ukraine) is an incident the
        // EU may answer; an incident that hits nobody is not.
        if incident.victims.is_empty() && incident.third_countries.is_empty() {
            let span = cx.at(&path(&[P::F("victims")]));
            cx.push(
                Finding::error(
                    "empty",
                    "an incident must hit at least one Member State or third country",
                    span,
                )
                .hint("list the codes of the Member States hit, or the third countries hit in `third_countries`"),
            );
        }
        third_country_list(cx, &incident.third_countries, &path(&[P::F("third_countries")]));
        let mut seen = BTreeSet::new();
        for (v, code) in incident.victims.iter().enumerate() {
            let p = path(&[P::F("victims"), P::I(v)]);
            if !cx.states.contains(code.as_str()) {
                let known: Vec<&str> = cx.states.iter().copied().collect();
                cx.unknown("unknown-member-state", "Member State", code, known, &p);
            } else if !seen.insert(code.as_str()) {
                let span = cx.at(&p);
                cx.push(
                    Finding::error("duplicate-id", format!("\"{code}\" is listed twice as a victim"), span)
                        .hint("remove one"),
                );
            }
        }
        for (d, (name, value)) in crate::incidents::DIMENSION_NAMES
            .iter()
            .zip(incident.severity.dimensions())
            .enumerate()
        {
            let _ = d;
            if value > 5 {
                let span = cx.at(&path(&[P::F("severity"), P::F(name)]));
                cx.push(
                    Finding::error("out-of-range", format!("{name} is {value}, outside 0 to 5"), span)
                        .hint("each dimension is scored 0 (none) to 5 (emergency), as in the US Cyber Incident Severity Schema"),
                );
            }
        }
    }
    if let Some(assessment) = &inject.assessment {
        let p = [base.to_vec(), vec![P::F("assessment")]].concat();
        let at = |f: &'static str| [p.clone(), vec![P::F(f)]].concat();
        adversary_ref(cx, &assessment.names, &at("names"));
        cx.range(
            assessment.released,
            0.0,
            10.0,
            "intelligence released (days' worth)",
            &at("released"),
        );
        // It assesses an incident some inject reveals.
        let revealing: Vec<&str> = cx
            .scenario
            .injects
            .iter()
            .chain(&cx.scenario.pool)
            .filter(|i| i.incident.is_some())
            .map(|i| i.id.as_str())
            .collect();
        if !revealing.contains(&assessment.incident.as_str()) {
            cx.unknown(
                "unknown-incident",
                "incident",
                &assessment.incident,
                revealing,
                &at("incident"),
            );
        }
        // Scheduled before the incident it assesses surfaces, it finds nothing to assess and is
        // lost without a trace in the run.
        let surfaces = cx
            .scenario
            .injects
            .iter()
            .find(|i| i.id == assessment.incident && i.incident.is_some())
            .and_then(|i| i.at.as_ref())
            .and_then(|when| start_turn(cx.scenario, when));
        if let (Some(own), Some(incident)) = (inject.at.as_ref().and_then(|w| start_turn(cx.scenario, w)), surfaces)
            && own < incident
        {
            let span = cx.at(&at("incident"));
            cx.push(
                Finding::error(
                    "assessed-before-incident",
                    format!(
                        "this assessment is due at turn {own}, before \"{}\" surfaces at turn {incident}: it would find no incident to assess",
                        assessment.incident
                    ),
                    span,
                )
                .hint("schedule it at or after the incident, e.g. `After(inject: \"...\", delay: \"D+1\")`"),
            );
        }
        if inject.partners.is_empty() {
            let span = cx.at(&p);
            cx.push(
                Finding::error("no-partners", "an assessment with no partners to make it", span)
                    .hint("name who assesses in the inject's `partners: [\"US\", \"UK\", \"NATO\"]`"),
            );
        }
    }
    if let Some(incident) = &inject.incident
        && incident.theft > 5
    {
        let span = cx.at(&path(&[P::F("theft")]));
        cx.push(
            Finding::error(
                "out-of-range",
                format!("theft is {}, outside 0 to 5", incident.theft),
                span,
            )
            .hint("the theft of sensitive or commercial data and its economic loss, scored 0 (none) to 5 (massive)"),
        );
    }
    if let Some(shift) = &inject.posture {
        let p = [base.to_vec(), vec![P::F("posture")]].concat();
        adversary_ref(cx, &shift.adversary, &[p.clone(), vec![P::F("adversary")]].concat());
        cx.range(
            shift.activity,
            -1.0,
            1.0,
            "activity change",
            &[p.clone(), vec![P::F("activity")]].concat(),
        );
        cx.range(
            shift.intent,
            -1.0,
            1.0,
            "intent change",
            &[p, vec![P::F("intent")]].concat(),
        );
    }
}

/// Checks the ids and thresholds a condition refers to; satisfiability is the graph's business.
pub(super) fn condition_refs(cx: &mut Ctx<'_>, condition: &Condition, path: &[P]) {
    let value = [path.to_vec(), vec![P::I(0)]].concat();
    match condition {
        Condition::EscalationAbove(x) | Condition::EscalationBelow(x) => {
            cx.range(*x, 0.0, 9.0, "an escalation level", &value)
        }
        Condition::MisperceptionAbove(x)
        | Condition::MisperceptionBelow(x)
        | Condition::PerceivedResolveAbove(x)
        | Condition::PerceivedResolveBelow(x)
        | Condition::CohesionAbove(x)
        | Condition::CohesionBelow(x) => cx.range(*x, 0.0, 1.0, "a level", &value),
        Condition::MeasureTaken(m) | Condition::FileOpened(m) => {
            measure_ref(cx, m, &value);
            measure_in_time(cx, m, &value);
        }
        Condition::MeasureTakenOn { measure, incident } => {
            measure_ref(cx, measure, &[path.to_vec(), vec![P::F("measure")]].concat());
            measure_in_time(cx, measure, &[path.to_vec(), vec![P::F("measure")]].concat());
            incident_ref(
                cx,
                incident,
                &[path.to_vec(), vec![P::F("incident")]].concat(),
                "no measure can answer it",
            );
        }
        Condition::Fired(id) => {
            if !cx.injects.contains_key(id.as_str()) {
                let known: Vec<&str> = cx.injects.keys().copied().collect();
                cx.unknown("unknown-inject", "inject", id, known, &value);
            }
        }
        Condition::Attribution { incident, .. } => {
            incident_ref(
                cx,
                incident,
                &[path.to_vec(), vec![P::F("incident")]].concat(),
                "it has no attribution",
            );
        }
        Condition::TurnBetween(a, b) => {
            if a > b {
                let span = cx.at(path);
                cx.push(
                    Finding::error(
                        "never-holds",
                        format!("the window TurnBetween({a}, {b}) is empty"),
                        span,
                    )
                    .hint("the first turn must not come after the last"),
                );
            } else if *a > cx.scenario.turns {
                let span = cx.at(path);
                cx.push(
                    Finding::error(
                        "past-end",
                        format!(
                            "the window opens at turn {a}, after the last turn ({})",
                            cx.scenario.turns
                        ),
                        span,
                    )
                    .hint("bring the window forward"),
                );
            }
        }
        Condition::AllOf(all) | Condition::AnyOf(all) => {
            for (i, c) in all.iter().enumerate() {
                condition_refs(cx, c, &[path.to_vec(), vec![P::I(0), P::I(i)]].concat());
            }
        }
        Condition::Not(c) => condition_refs(cx, c, &[path.to_vec(), vec![P::I(0)]].concat()),
    }
}

/// A reference to the inject that revealed an incident: it must exist and reveal one.
fn incident_ref(cx: &mut Ctx<'_>, incident: &str, path: &[P], so: &str) {
    let reveals = |inj: &Inject| inj.id == incident && inj.incident.is_some();
    if !cx.injects.contains_key(incident) {
        let known: Vec<&str> = cx.injects.keys().copied().collect();
        cx.unknown("unknown-inject", "inject", incident, known, path);
    } else if !cx.scenario.injects.iter().chain(&cx.scenario.pool).any(reveals) {
        let span = cx.at(path);
        cx.push(
            Finding::error(
                "no-incident",
                format!("inject \"{incident}\" reveals no incident, so {so}"),
                span,
            )
            .hint("name an inject that has an `incident`"),
        );
    }
}

fn phases(cx: &mut Ctx<'_>) {
    let s = cx.scenario;
    let mut previous: Option<(u32, usize)> = None;
    for (i, phase) in s.phases.iter().enumerate() {
        let base = [P::F("phases"), P::I(i)];
        if phase.from == 0 || phase.from > phase.to {
            let field = if phase.from == 0 { "from" } else { "to" };
            let span = cx.at(&[base.to_vec(), vec![P::F(field)]].concat());
            cx.push(
                Finding::error(
                    "out-of-range",
                    format!("phase \"{}\" runs from turn {} to {}", phase.name, phase.from, phase.to),
                    span,
                )
                .hint("a phase runs from a first turn (1 or later) to a last turn no earlier than the first"),
            );
        } else if phase.from == 1 && phase.gap.is_some() {
            let span = cx.at(&[base.to_vec(), vec![P::F("gap")]].concat());
            cx.push(
                Finding::error(
                    "gap-first",
                    format!(
                        "phase \"{}\" starts the exercise, so there is nothing before it to jump from",
                        phase.name
                    ),
                    span,
                )
                .hint("a gap jumps the clock between two phases; to start later, change the clock's `start`"),
            );
        } else if phase.to > s.turns {
            let span = cx.at(&[base.to_vec(), vec![P::F("to")]].concat());
            cx.push(
                Finding::error(
                    "past-end",
                    format!(
                        "phase \"{}\" ends at turn {}, after the last turn ({})",
                        phase.name, phase.to, s.turns
                    ),
                    span,
                )
                .hint("end it at or before the last turn"),
            );
        }
        if let Some((end, j)) = previous
            && phase.from <= end
        {
            let span = cx.at(&[base.to_vec(), vec![P::F("from")]].concat());
            cx.push(
                Finding::warning(
                    "overlap",
                    format!(
                        "phase \"{}\" starts before phase \"{}\" ends",
                        phase.name, s.phases[j].name
                    ),
                    span,
                )
                .hint("phases follow one another; start this one after the previous one ends"),
            );
        }
        previous = Some((phase.to, i));
    }
}

fn objectives(cx: &mut Ctx<'_>) {
    let s = cx.scenario;
    let mut seen = BTreeSet::new();
    for (i, objective) in s.objectives.iter().enumerate() {
        let base = [P::F("objectives"), P::I(i)];
        if !seen.insert(objective.id.as_str()) {
            let span = cx.at(&[base.to_vec(), vec![P::F("id")]].concat());
            cx.push(
                Finding::error(
                    "duplicate-id",
                    format!("objective id \"{}\" is used twice", objective.id),
                    span,
                )
                .hint("give each objective its own id"),
            );
        }
        for (j, id) in objective.injects.iter().enumerate() {
            if !cx.injects.contains_key(id.as_str()) {
                let known: Vec<&str> = cx.injects.keys().copied().collect();
                cx.unknown(
                    "unknown-inject",
                    "inject",
                    id,
                    known,
                    &[base.to_vec(), vec![P::F("injects"), P::I(j)]].concat(),
                );
            }
        }
        for (j, id) in objective.measures.iter().enumerate() {
            measure_ref(cx, id, &[base.to_vec(), vec![P::F("measures"), P::I(j)]].concat());
            measure_in_time(cx, id, &[base.to_vec(), vec![P::F("measures"), P::I(j)]].concat());
        }
        if let Some(c) = &objective.success {
            condition_refs(cx, c, &[base.to_vec(), vec![P::F("success")]].concat());
        }
    }
}
