//! Large generated scenarios, for the checker's benchmark and stress tests.

use std::fmt::Write;

/// A valid scenario with `injects` injects over 200 turns, using every kind of timing and
/// condition, so that checking it exercises every rule.
pub fn large_scenario(injects: usize) -> String {
    let mut s = String::from(
        "Scenario(\n    id: \"synthetic\",\n    title: \"Synthetic load\",\n    turns: 200,\n    adversaries: [\"borealia\", \"sandstorm\"],\n    phases: [\n        Phase(name: \"Technical\", module: Technical, from: 1, to: 60, questions: [\"Who shares what?\"]),\n        Phase(name: \"Operational\", module: Operational, from: 61, to: 140),\n        Phase(name: \"Strategic\", module: Strategic, from: 141, to: 200),\n    ],\n    injects: [\n",
    );
    let states = ["DE", "FR", "NL", "EE", "PL", "IT", "ES", "SE"];
    for i in 0..injects {
        let turn = 1 + (i * 197 / injects.max(1)) as u32;
        let timing = match i % 4 {
            0 => format!("at: Turn({turn})"),
            1 => format!("at: Offset(\"D+{} H+6\")", turn.saturating_sub(2)),
            2 => format!("at: After(inject: \"i{}\", delay: \"D+1\")", i - 1),
            _ => format!("at: Turn({turn}), jitter: 1"),
        };
        let condition = match i % 5 {
            0 => String::new(),
            1 => ", when: EscalationAbove(2.0)".to_owned(),
            2 => format!(
                ", when: AllOf([Fired(\"i{}\"), Not(MeasureTaken(\"listing_persons\"))])",
                i - 2
            ),
            3 => format!(", when: Attribution(incident: \"i{}\", level: Moderate)", i - 3),
            _ => ", when: AnyOf([CohesionBelow(0.5), TurnBetween(10, 190)])".to_owned(),
        };
        let victim = states[i % states.len()];
        let _ = writeln!(
            s,
            "        Inject(id: \"i{i}\", {timing}{condition}, title: \"Event {i}\", expected_action: \"Assess and share\",\n            incident: IncidentSpec(perpetrator: \"borealia\", victims: [\"{victim}\"],\n                severity: (scope: 2, scale: 2, duration: 1, intensity: 2, complexity: 3, sophistication: 3, impact: 2))),"
        );
    }
    s.push_str("    ],\n    objectives: [\n        Objective(id: \"o1\", text: \"Share situational awareness\", injects: [\"i0\"], measures: [\"shared_assessment\"]),\n    ],\n)\n");
    s
}

/// A scenario whose `injects` form one `After` chain (`c1` after `c0`, `c2` after `c1`...), the
/// shape that once made the checker walk the chain once for every inject (quadratic time).
/// `reversed` lists the followers first, the order that once took a pass per inject.
pub fn chain_scenario(injects: usize, reversed: bool) -> String {
    let mut lines: Vec<String> = (0..injects)
        .map(|i| match i {
            0 => "        Inject(id: \"c0\", at: Turn(1), title: \"Event 0\"),".to_owned(),
            i => format!(
                "        Inject(id: \"c{i}\", at: After(inject: \"c{}\"), title: \"Event {i}\"),",
                i - 1
            ),
        })
        .collect();
    if reversed {
        lines.reverse();
    }
    format!(
        "Scenario(\n    id: \"chain\",\n    title: \"A long chain of injects\",\n    turns: 10,\n    adversaries: [\"borealia\"],\n    injects: [\n{}\n    ],\n)\n",
        lines.join("\n")
    )
}
