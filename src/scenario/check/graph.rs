//! Whole-scenario checks: conditions that can never hold, injects that can never fire, circular
//! triggers, and alternatives that another member of their group always beats.

use super::findings::Finding;
use super::rules::{Ctx, P, start_turn};
use crate::scenario::{Clock, Condition, Inject, Scenario, When, parse_offset};
use std::collections::{BTreeMap, BTreeSet};

/// Why an inject can never fire.
#[derive(Debug, Clone)]
enum Never {
    /// Its condition can never hold.
    Condition(String),
    /// It waits, directly or not, for itself; the names of the cycle's members, shared by all of
    /// them (a cycle of thousands of injects must not copy its names thousands of times).
    Cycle(std::rc::Rc<Vec<String>>),
    /// It waits for an inject that can never fire.
    Leader(String),
    /// Its time, with the delay after its leader, falls after the last turn.
    Late(u64),
    /// Its window closes before it is due.
    Window(u64, u32),
    /// With its jitter it may fall after the last turn (a warning: it may still fire).
    Jitter(u64),
    /// Another member of its group always fires first.
    Shadowed(String, String),
}

struct Graph<'a> {
    scenario: &'a Scenario,
    index: BTreeMap<&'a str, usize>,
    pool: BTreeSet<&'a str>,
    turns: u64,
}

impl<'a> Graph<'a> {
    fn new(scenario: &'a Scenario) -> Self {
        let mut index = BTreeMap::new();
        for (i, inject) in scenario.injects.iter().enumerate() {
            index.entry(inject.id.as_str()).or_insert(i);
        }
        Self {
            scenario,
            index,
            pool: scenario.pool.iter().map(|p| p.id.as_str()).collect(),
            turns: u64::from(scenario.turns),
        }
    }

    fn injects(&self) -> &'a [Inject] {
        &self.scenario.injects
    }

    fn clock(&self) -> &'a Clock {
        &self.scenario.clock
    }

    /// Injects `i` cannot fire without: its leader, and the injects its condition requires.
    fn requires(&self, i: usize) -> BTreeSet<usize> {
        let inject = &self.injects()[i];
        let mut out = BTreeSet::new();
        if let Some(When::After { inject: leader, .. }) = &inject.at
            && let Some(j) = self.index.get(leader.as_str())
        {
            out.insert(*j);
        }
        if let Some(c) = &inject.when {
            out.extend(required(c).into_iter().filter_map(|id| self.index.get(id).copied()));
        }
        out
    }

    /// The earliest turn each inject can be due, following `After` chains; `None` when its time
    /// does not read or it waits, directly or not, for itself. Each chain is walked once, without
    /// recursion: a chain of 20,000 injects neither takes quadratic time nor the stack.
    fn all_earliest(&self) -> Vec<Option<u64>> {
        let n = self.injects().len();
        // `None`: not known yet; `Some(x)`: known to be `x`.
        let mut known: Vec<Option<Option<u64>>> = vec![None; n];
        let mut on_path = vec![false; n];
        for start in 0..n {
            let mut path: Vec<(usize, u64)> = Vec::new();
            let mut at = start;
            let base = loop {
                if let Some(value) = known[at] {
                    break value;
                }
                if on_path[at] {
                    // It waits for itself: every inject on the way is never due.
                    break None;
                }
                let step = match self.injects()[at].at.as_ref() {
                    None => Err(None),
                    Some(When::After { inject: leader, delay }) => match parse_offset(delay) {
                        Err(_) => Err(None),
                        Ok(offset) => {
                            let wait = offset.turns(self.clock()).min(self.turns + 1);
                            match self.index.get(leader.as_str()) {
                                Some(j) => Ok((*j, wait)),
                                None if self.pool.contains(leader.as_str()) => Err(Some(1 + wait)),
                                None => Err(None),
                            }
                        }
                    },
                    Some(when) => Err(start_turn(self.scenario, when)),
                };
                match step {
                    Ok((leader, wait)) => {
                        on_path[at] = true;
                        path.push((at, wait));
                        at = leader;
                    }
                    Err(value) => {
                        known[at] = Some(value);
                        break value;
                    }
                }
            };
            let mut value = base;
            for (i, wait) in path.into_iter().rev() {
                on_path[i] = false;
                value = value.map(|t| t + wait);
                known[i] = Some(value);
            }
        }
        known.into_iter().map(Option::flatten).collect()
    }
}

/// The inject ids a condition cannot hold without.
fn required(c: &Condition) -> BTreeSet<&str> {
    match c {
        Condition::Fired(id) => BTreeSet::from([id.as_str()]),
        Condition::Attribution { incident, .. } | Condition::MeasureTakenOn { incident, .. } => {
            BTreeSet::from([incident.as_str()])
        }
        Condition::AllOf(all) => all.iter().flat_map(required).collect(),
        Condition::AnyOf(any) => {
            let mut sets = any.iter().map(required);
            let first = sets.next().unwrap_or_default();
            sets.fold(first, |acc, s| acc.intersection(&s).copied().collect())
        }
        _ => BTreeSet::new(),
    }
}

/// Whether a condition always holds.
fn always(c: &Condition, turns: u32) -> bool {
    match c {
        Condition::EscalationAbove(x) => *x < 0.0,
        Condition::EscalationBelow(x) => *x > 9.0,
        Condition::MisperceptionAbove(x) | Condition::PerceivedResolveAbove(x) | Condition::CohesionAbove(x) => {
            *x < 0.0
        }
        Condition::MisperceptionBelow(x) | Condition::PerceivedResolveBelow(x) | Condition::CohesionBelow(x) => {
            *x > 1.0
        }
        Condition::TurnBetween(a, b) => *a <= 1 && *b >= turns,
        Condition::AllOf(all) => all.iter().all(|c| always(c, turns)),
        Condition::AnyOf(any) => any.iter().any(|c| always(c, turns)),
        Condition::Not(c) => never(c, turns, &|_| true).is_some(),
        Condition::MeasureTaken(_)
        | Condition::FileOpened(_)
        | Condition::MeasureTakenOn { .. }
        | Condition::Fired(_)
        | Condition::Attribution { .. } => false,
    }
}

/// Why a condition can never hold, if it cannot; `fires` says whether an inject can fire.
fn never(c: &Condition, turns: u32, fires: &dyn Fn(&str) -> bool) -> Option<String> {
    match c {
        Condition::EscalationAbove(x) if *x >= 9.0 => {
            Some(format!("escalation never rises above {x}: the ladder tops out at 9"))
        }
        Condition::EscalationBelow(x) if *x <= 0.0 => {
            Some(format!("escalation never falls below {x}: the ladder starts at 0"))
        }
        Condition::MisperceptionAbove(x) | Condition::PerceivedResolveAbove(x) | Condition::CohesionAbove(x)
            if *x >= 1.0 =>
        {
            Some(format!("the level never rises above {x}: it tops out at 1"))
        }
        Condition::MisperceptionBelow(x) | Condition::PerceivedResolveBelow(x) | Condition::CohesionBelow(x)
            if *x <= 0.0 =>
        {
            Some(format!("the level never falls below {x}: it starts at 0"))
        }
        Condition::Fired(id) if !fires(id) => Some(format!("inject \"{id}\" can never fire")),
        Condition::MeasureTakenOn { incident, .. } if !fires(incident) => {
            Some(format!("inject \"{incident}\" can never fire"))
        }
        Condition::Attribution { incident, .. } if !fires(incident) => {
            Some(format!("inject \"{incident}\" can never fire"))
        }
        Condition::AllOf(all) => all
            .iter()
            .find_map(|c| never(c, turns, fires))
            .or_else(|| contradiction(all)),
        Condition::AnyOf(any) if any.is_empty() => Some("AnyOf([]) lists no alternative".to_owned()),
        Condition::AnyOf(any) => {
            let reasons: Vec<String> = any.iter().map_while(|c| never(c, turns, fires)).collect();
            (reasons.len() == any.len()).then(|| format!("no alternative can hold ({})", reasons.join("; ")))
        }
        Condition::Not(inner) if always(inner, turns) => Some("it negates a condition that always holds".to_owned()),
        _ => None,
    }
}

/// Two conditions of one all-of that cannot hold together.
fn contradiction(all: &[Condition]) -> Option<String> {
    let mut low: BTreeMap<&str, f64> = BTreeMap::new();
    let mut high: BTreeMap<&str, f64> = BTreeMap::new();
    let mut window = (0u32, u32::MAX);
    let mut yes = BTreeSet::new();
    let mut no = BTreeSet::new();
    for c in all {
        match c {
            Condition::EscalationAbove(x) => bound(&mut low, "escalation", *x, f64::max),
            Condition::EscalationBelow(x) => bound(&mut high, "escalation", *x, f64::min),
            Condition::MisperceptionAbove(x) => bound(&mut low, "misperception", *x, f64::max),
            Condition::MisperceptionBelow(x) => bound(&mut high, "misperception", *x, f64::min),
            Condition::PerceivedResolveAbove(x) => bound(&mut low, "perceived resolve", *x, f64::max),
            Condition::PerceivedResolveBelow(x) => bound(&mut high, "perceived resolve", *x, f64::min),
            Condition::CohesionAbove(x) => bound(&mut low, "cohesion", *x, f64::max),
            Condition::CohesionBelow(x) => bound(&mut high, "cohesion", *x, f64::min),
            Condition::TurnBetween(a, b) => window = (window.0.max(*a), window.1.min(*b)),
            Condition::MeasureTaken(m) => {
                yes.insert(format!("measure {m}"));
            }
            Condition::Fired(i) => {
                yes.insert(format!("inject {i}"));
            }
            Condition::Not(inner) => match inner.as_ref() {
                Condition::MeasureTaken(m) => {
                    no.insert(format!("measure {m}"));
                }
                Condition::Fired(i) => {
                    no.insert(format!("inject {i}"));
                }
                _ => {}
            },
            _ => {}
        }
    }
    for (var, lo) in &low {
        if let Some(hi) = high.get(var)
            && lo >= hi
        {
            return Some(format!("{var} cannot be both above {lo} and below {hi}"));
        }
    }
    if window.0 > window.1 {
        return Some("its turn windows do not overlap".to_owned());
    }
    yes.intersection(&no)
        .next()
        .map(|x| format!("it requires {x} both to have happened and not to have happened"))
}

fn bound<'k>(map: &mut BTreeMap<&'k str, f64>, key: &'k str, x: f64, pick: fn(f64, f64) -> f64) {
    let v = map.get(key).map_or(x, |old| pick(*old, x));
    map.insert(key, v);
}

/// The latest turn a condition's top-level windows allow.
fn window_end(c: &Condition) -> Option<u32> {
    match c {
        Condition::TurnBetween(_, b) => Some(*b),
        Condition::AllOf(all) => all.iter().filter_map(window_end).min(),
        _ => None,
    }
}

pub(super) fn check(cx: &mut Ctx<'_>) {
    let scenario = cx.scenario;
    let g = Graph::new(scenario);
    let n = scenario.injects.len();
    let mut why: Vec<Option<Never>> = vec![None; n];
    for (i, reason) in cycles(&g).into_iter().enumerate() {
        why[i] = reason;
    }
    let earliest = g.all_earliest();
    // Fixpoint: an inject can fire unless something rules it out. Ruling one out may rule out
    // those that need it (and those of its group it no longer shadows...): they are looked at
    // again, and only they, so that a chain of thousands of injects is not walked thousands of
    // times.
    let mut needed_by: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        for j in g.requires(i) {
            needed_by[j].push(i);
        }
    }
    let mut again: Vec<usize> = (0..n).rev().collect();
    let mut queued = vec![true; n];
    while let Some(i) = again.pop() {
        queued[i] = false;
        if why[i].is_some() || scenario.injects[i].at.is_none() {
            continue;
        }
        let reason = rule_out(&g, i, &earliest, &why);
        if reason.is_some() {
            why[i] = reason;
            // Those that need it, and the rest of its group (shadowing depends on who fires).
            let group = scenario.injects[i].group.as_ref();
            let mut look = needed_by[i].clone();
            if group.is_some() {
                look.extend((0..n).filter(|j| scenario.injects[*j].group.as_ref() == group));
            }
            for j in look {
                if !queued[j] {
                    queued[j] = true;
                    again.push(j);
                }
            }
        }
    }
    // Each cycle once, at its first member: its members share one list of names.
    let mut cycles_reported: BTreeSet<*const Vec<String>> = BTreeSet::new();
    for (i, reason) in why.into_iter().enumerate() {
        match reason {
            // Its leader's own finding explains it: one root cause, one finding.
            None | Some(Never::Leader(_)) => {}
            Some(Never::Cycle(names)) => {
                if cycles_reported.insert(std::rc::Rc::as_ptr(&names)) {
                    report(cx, &scenario.injects[i], i, Never::Cycle(names));
                }
            }
            Some(reason) => report(cx, &scenario.injects[i], i, reason),
        }
    }
    // Objectives whose success can never be met.
    let fires = |_: &str| true;
    for (i, objective) in scenario.objectives.iter().enumerate() {
        if let Some(c) = &objective.success
            && let Some(reason) = never(c, scenario.turns, &fires)
        {
            let span = cx.key_at(&[P::F("objectives"), P::I(i), P::F("success")]);
            cx.push(
                Finding::error(
                    "never-holds",
                    format!(
                        "the success condition of objective \"{}\" can never hold: {reason}",
                        objective.id
                    ),
                    span,
                )
                .hint("evaluators could never rate it as met; change the condition"),
            );
        }
    }
}

/// Marks every inject that waits, through leaders and required conditions, for itself: the
/// members of each strongly connected component of the "cannot fire without" graph with more
/// than one member or a self-loop (Tarjan's algorithm, linear in injects and edges).
fn cycles(g: &Graph<'_>) -> Vec<Option<Never>> {
    let n = g.injects().len();
    let edges: Vec<Vec<usize>> = (0..n).map(|i| g.requires(i).into_iter().collect()).collect();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut out = vec![None; n];
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // Iterative depth-first search: (node, position in its edge list).
        let mut work = vec![(root, 0)];
        while let Some((v, e)) = work.pop() {
            if e == 0 {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(e) {
                work.push((v, e + 1));
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut members = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    members.push(w);
                    if w == v {
                        break;
                    }
                }
                if members.len() > 1 || edges[v].contains(&v) {
                    members.sort_unstable();
                    let names: std::rc::Rc<Vec<String>> =
                        std::rc::Rc::new(members.iter().map(|k| g.injects()[*k].id.clone()).collect());
                    for m in members {
                        out[m] = Some(Never::Cycle(names.clone()));
                    }
                }
            }
        }
    }
    out
}

fn rule_out(g: &Graph<'_>, i: usize, earliest: &[Option<u64>], why: &[Option<Never>]) -> Option<Never> {
    let inject = &g.injects()[i];
    // An unknown id is reported where it is written; here it does not count against the inject.
    let fires = |id: &str| g.index.get(id).is_none_or(|j| why[*j].is_none());
    if let Some(When::After { inject: leader, .. }) = &inject.at
        && !fires(leader)
        && g.index.contains_key(leader.as_str())
    {
        return Some(Never::Leader(leader.clone()));
    }
    let due = earliest[i]?;
    if matches!(inject.at, Some(When::After { .. })) && due > g.turns {
        return Some(Never::Late(due));
    }
    if matches!(inject.at, Some(When::After { .. })) && due + u64::from(inject.jitter) > g.turns {
        return Some(Never::Jitter(due));
    }
    if let Some(c) = &inject.when {
        if let Some(reason) = never(c, g.scenario.turns, &fires) {
            return Some(Never::Condition(reason));
        }
        if let Some(end) = window_end(c)
            && u64::from(end) < due
            && due <= g.turns
        {
            return Some(Never::Window(due, end));
        }
    }
    let group = inject.group.as_ref()?;
    for (j, other) in g.injects().iter().enumerate() {
        let fixed = other.when.is_none() && other.jitter == 0 && !matches!(other.at, Some(When::After { .. }));
        let beats = earliest[j].is_some_and(|d| d < due || (d == due && j < i));
        if j != i
            && other.group.as_ref() == Some(group)
            && fixed
            && beats
            && why[j].is_none()
            && earliest[j].is_some_and(|d| d <= g.turns)
        {
            return Some(Never::Shadowed(other.id.clone(), group.clone()));
        }
    }
    None
}

fn report(cx: &mut Ctx<'_>, inject: &Inject, i: usize, reason: Never) {
    let base = [P::F("injects"), P::I(i)];
    let id = &inject.id;
    let (code, field, message, hint) = match reason {
        Never::Condition(why) => (
            "never-holds",
            "when",
            format!("the condition of inject \"{id}\" can never hold: {why}"),
            "so the inject can never fire; change the condition or remove it".to_owned(),
        ),
        Never::Cycle(names) => (
            "circular-trigger",
            "at",
            if names.len() == 1 {
                format!("inject \"{id}\" waits for itself")
            } else {
                format!(
                    "injects {} wait for one another",
                    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
                )
            },
            "break the circle: one of these injects must be timed from the start or wait for another".to_owned(),
        ),
        Never::Leader(leader) => (
            "never-fires",
            "at",
            format!("inject \"{id}\" follows \"{leader}\", which can never fire"),
            format!("fix \"{leader}\" first, or time this inject otherwise"),
        ),
        Never::Late(turn) => (
            "past-end",
            "at",
            format!("inject \"{id}\" would be due at turn {turn} at the earliest, after the last turn"),
            "shorten the delay or lengthen the exercise with `turns`".to_owned(),
        ),
        Never::Jitter(due) => {
            let span = cx.at(&[base.to_vec(), vec![P::F("jitter")]].concat());
            cx.push(
                Finding::warning(
                    "past-end",
                    format!("inject \"{id}\" is due at turn {due} at the earliest; with a jitter of {} turns it may fall after the last turn", inject.jitter),
                    span,
                )
                .hint("reduce the jitter or bring the inject forward"),
            );
            return;
        }
        Never::Window(due, end) => (
            "never-fires",
            "when",
            format!("inject \"{id}\" is due at turn {due} but its window closes at turn {end}"),
            "widen the window or bring the inject forward".to_owned(),
        ),
        Never::Shadowed(other, group) => (
            "never-fires",
            "group",
            format!("inject \"{id}\" can never fire: \"{other}\" in group \"{group}\" always fires first"),
            "give the alternatives that should win a `when`, and make the fallback (the one without) due no earlier than them".to_owned(),
        ),
    };
    let span = cx.key_at(&[base.to_vec(), vec![P::F(field)]].concat());
    cx.push(Finding::error(code, message, span).hint(hint));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perceived_resolve_is_bounded_like_misperception() {
        let fires = |_: &str| true;
        let never_holds = |c: Condition| never(&c, 10, &fires);
        assert!(
            never_holds(Condition::PerceivedResolveAbove(1.0)).is_some(),
            "it tops out at 1"
        );
        assert!(
            never_holds(Condition::PerceivedResolveBelow(0.0)).is_some(),
            "it starts at 0"
        );
        assert!(never_holds(Condition::PerceivedResolveAbove(0.4)).is_none());
        let both = never_holds(Condition::AllOf(vec![
            Condition::PerceivedResolveAbove(0.6),
            Condition::PerceivedResolveBelow(0.4),
        ]));
        assert_eq!(
            both.as_deref(),
            Some("perceived resolve cannot be both above 0.6 and below 0.4")
        );
        // Two different readings do not contradict each other.
        assert!(
            never_holds(Condition::AllOf(vec![
                Condition::PerceivedResolveAbove(0.6),
                Condition::MisperceptionBelow(0.4),
            ]))
            .is_none()
        );
        assert!(always(&Condition::PerceivedResolveBelow(1.5), 10));
        assert!(!always(&Condition::PerceivedResolveAbove(0.0), 10));
    }
}
