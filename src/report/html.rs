//! The report as one self-contained HTML page.

use super::facts::{ReportFacts, abstainers_named};
use super::svg::{Axis, chart, escape};
use std::fmt::Write;

/// Renders the report as HTML: no external style, script, font or image.
pub fn html(f: &ReportFacts) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>After-action report: {t}</title><style>\
         body{{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222;line-height:1.45}}\
         table{{border-collapse:collapse;width:100%;margin:1em 0}}th,td{{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}}\
         th{{background:#eef2f8}}.P{{background:#dff0d8}}.S{{background:#fcf8e3}}.M{{background:#fbe3cf}}.U{{background:#f2dede}}\
         .charts svg{{display:block;margin:0.5em 0;max-width:100%;height:auto}}code{{word-break:break-all}}\
         table.side{{table-layout:fixed}}.differs{{background:#fff4e5}}\
         @page{{size:A4;margin:16mm 14mm}}\
         @media print{{body{{max-width:none;margin:0;font-size:9.5pt;line-height:1.3}}h1{{font-size:16pt}}h2{{font-size:13pt;break-after:avoid}}\
         h3{{break-after:avoid}}table{{font-size:8.5pt}}tr,svg,.keep{{break-inside:avoid}}thead{{display:table-header-group}}\
         th{{background:#eef2f8 !important;-webkit-print-color-adjust:exact;print-color-adjust:exact}}\
         .P,.S,.M,.U,.differs{{-webkit-print-color-adjust:exact;print-color-adjust:exact}}a{{color:inherit;text-decoration:none}}}}\
         </style></head><body>",
        t = escape(&f.title)
    );
    let o = &f.outcome;
    let (occasion, seats) = f.occasion();
    let _ = write!(
        s,
        "<h1>After-action report</h1><p><strong>{}</strong> ({}), {}; the story starts {}; seed {}; {}.{}</p>\
         <p>Outcome: the crisis <strong>{}</strong> after {} turns (escalation {:.2}, peak {:.2}); the EU ended {} (cohesion {:.2}); \
         the adversaries ended with misperception {:.2} and perceived resolve {:.2}; {} measures adopted; {} Council votes, {} blocked.</p>",
        escape(&f.title),
        escape(&f.scenario),
        escape(&occasion),
        escape(&f.start),
        f.seed,
        escape(&seats),
        f.fork
            .as_ref()
            .map(|w| format!(" This run is {}.", escape(w)))
            .unwrap_or_default(),
        o.kind.predicate(),
        o.turns_played,
        o.final_escalation,
        o.peak_escalation,
        if o.eu_united { "united" } else { "divided" },
        o.final_cohesion,
        o.final_misperception,
        o.final_perceived_resolve,
        o.measures_adopted,
        o.votes.0,
        o.votes.1
    );
    if let Some(line) = f.ratings_line() {
        let _ = write!(s, "<p><strong>{}</strong></p>", escape(&line));
    }
    s.push_str(
        "<h2>Escalation, misperception, perceived resolve and cohesion</h2>\
         <p>Misperception is how far the adversaries misread the EU's intent: it breeds spirals, the lower the better. \
         Perceived resolve is how far they believe the EU will impose costs: deterrence needs it, the higher the better.</p>\
         <div class=\"charts\">",
    );
    let series = |i: usize, c: &[(u32, f64, f64, f64, f64)]| -> Vec<(u32, f64)> {
        c.iter().map(|p| (p.0, [p.1, p.2, p.3, p.4][i])).collect()
    };
    let ladder = crate::dynamics::LADDER;
    for (i, (title, axis)) in [
        (
            "Escalation",
            Axis {
                label: "rung of the escalation ladder",
                max: 9.0,
                rungs: &ladder,
            },
        ),
        (
            "Misperception",
            Axis {
                label: "misreading of the EU (0-1)",
                max: 1.0,
                rungs: &[],
            },
        ),
        (
            "Perceived resolve",
            Axis {
                label: "belief the EU acts (0-1)",
                max: 1.0,
                rungs: &[],
            },
        ),
        (
            "EU cohesion",
            Axis {
                label: "cohesion (0-1)",
                max: 1.0,
                rungs: &[],
            },
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let run = series(i, &f.curves);
        let other = f
            .compare
            .as_ref()
            .map(|c| (c.name.as_str(), series(i, &c.other.curves)));
        s.push_str(&chart(
            title,
            &axis,
            &run,
            other.as_ref().map(|(n, c)| (*n, c.as_slice())),
        ));
    }
    s.push_str("</div>");
    if !f.adversaries.is_empty() {
        s.push_str(
            "<h3>The adversaries at the end</h3><table class=\"adversaries\"><tr><th>Adversary</th>\
             <th>Misreading of the EU's intent</th><th>Perceived resolve</th><th>Campaign activity</th></tr>",
        );
        for a in &f.adversaries {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{:.2}</td><td>{:.2}</td><td>{:.2}</td></tr>",
                escape(&a.name),
                a.misreading,
                a.perceived_resolve,
                a.activity
            );
        }
        s.push_str("</table>");
    }
    s.push_str("<h2>Timeline (Master Scenario Events List)</h2><table><thead><tr><th>Turn</th><th>Time</th><th>Type</th><th>From</th><th>What happened</th><th>Expected action</th></tr></thead>");
    for r in &f.timeline {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r.turn,
            escape(&r.time),
            escape(&r.kind),
            escape(&r.from),
            escape(&r.description),
            escape(&r.expected_action)
        );
    }
    s.push_str("</table><h2>Council votes</h2>");
    if f.votes.is_empty() {
        s.push_str("<p>No vote was held.</p>");
    } else {
        s.push_str("<table><thead><tr><th>Turn</th><th>When</th><th>Presidency</th><th>File</th><th>Where</th><th>Rule</th><th>For</th><th>Standing aside</th><th>Objecting</th><th>Result</th><th>Positions</th><th>Cost to cohesion</th></tr></thead>");
        for row in &f.votes {
            let v = &row.vote;
            let (yes, _, no) = v.tally();
            let aside = v.aside_count();
            let mut positions: Vec<String> = v
                .objections()
                .map(|(c, why)| {
                    format!(
                        "{} objects: {}",
                        escape(crate::actors::state_name(c)),
                        escape(&why.to_string())
                    )
                })
                .collect();
            let abstainers = abstainers_named(v);
            if !abstainers.is_empty() {
                positions.push(format!("{}: {}", v.standing_aside(), escape(&abstainers)));
            }
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{yes}</td><td>{aside}</td><td>{no}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                v.turn,
                escape(&row.time),
                escape(&row.presidency),
                escape(&row.what),
                escape(&v.place()),
                v.rule.code(),
                escape(&v.result()),
                positions.join("<br>"),
                row.cost()
            );
        }
        s.push_str("</table>");
        let _ = write!(s, "<p class=\"blocking\">{}</p>", escape(&f.blocking()));
    }
    if !f.unfinished.is_empty() {
        s.push_str("<p>Still in the Council machinery when the exercise ended:</p><ul>");
        for u in &f.unfinished {
            let _ = write!(s, "<li>{}</li>", escape(u));
        }
        s.push_str("</ul>");
    }
    if !f.conduct.is_empty() {
        s.push_str("<h2>Each seat's conduct</h2>");
        for c in &f.conduct {
            let _ = write!(
                s,
                "<div class=\"keep\"><p><strong>{}</strong></p>",
                escape(&c.summary())
            );
            for (title, lines) in [
                ("Proposed", &c.proposed),
                ("Blocked", &c.blocked),
                ("Held at a stage", &c.held),
                (
                    "Stood aside (abstained, or joined or kept silent with reservations)",
                    &c.abstained,
                ),
            ] {
                if lines.is_empty() {
                    continue;
                }
                let _ = write!(s, "<p>{title}:</p><ul>");
                for line in lines {
                    let _ = write!(s, "<li>{}</li>", escape(line));
                }
                s.push_str("</ul>");
            }
            s.push_str("</div>");
        }
    }
    s.push_str("<h2>Objectives</h2>");
    if f.objectives.is_empty() {
        s.push_str("<p>The scenario sets no objectives.</p>");
    } else {
        s.push_str("<table><thead><tr><th>Objective</th><th>Rating</th><th>Evidence</th></tr></thead>");
        for ob in &f.objectives {
            let _ = write!(
                s,
                "<tr><td>{}</td><td class=\"{}\">{} ({})</td><td>{}</td></tr>",
                escape(&ob.text),
                ob.rating.letter(),
                ob.rating.label(),
                ob.rating.letter(),
                escape(&ob.evidence)
            );
        }
        s.push_str("</table>");
    }
    if let Some(c) = &f.compare {
        comparison(&mut s, f, c);
    }
    s.push_str("<h2>Evaluator notes</h2>");
    if f.notes.is_empty() {
        s.push_str("<p>No notes were recorded.</p>");
    } else {
        s.push_str("<ul>");
        for n in &f.notes {
            let _ = write!(
                s,
                "<li>Turn {}, {}{}: {}</li>",
                n.turn,
                escape(&n.author),
                n.time
                    .as_deref()
                    .map(|t| format!(" ({})", escape(t)))
                    .unwrap_or_default(),
                escape(&n.text)
            );
        }
        s.push_str("</ul>");
    }
    s.push_str("<h2>Improvement plan</h2>");
    if f.plan.is_empty() {
        s.push_str("<p>Every objective was performed without challenges.</p>");
    } else {
        s.push_str(
            "<table><thead><tr><th>Objective</th><th>Corrective action</th><th>Owner</th><th>Due</th></tr></thead>",
        );
        for p in &f.plan {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&p.objective),
                escape(&p.action),
                escape(&p.owner),
                escape(&p.due)
            );
        }
        s.push_str("</table>");
    }
    s.push_str("<h2>Provenance</h2>");
    provenance_table(&mut s, &f.provenance);
    if let Some(c) = &f.compare {
        let _ = write!(s, "<h3>The compared run, {}</h3>", escape(&c.name));
        provenance_table(&mut s, &c.other.provenance);
    }
    s.push_str("<p><small>Generated by Démarche from a verified replay; rerun it with <code>demarche replay FILE --verify</code>.</small></p></body></html>\n");
    s
}

/// Another run beside this one: both outcomes, both ratings, then what each decided and voted
/// turn by turn from the fork, the turns played differently marked.
fn comparison(s: &mut String, f: &ReportFacts, c: &super::facts::Comparison) {
    let other = escape(&c.name);
    let _ = write!(
        s,
        "<h2>Compared with {other}</h2><p>{other} is {}. {}</p>",
        escape(&c.relation),
        match c.first_difference {
            Some(t) => format!("The runs first differ at turn {t}."),
            None => "The two runs played every turn the same way.".to_owned(),
        }
    );
    let _ = write!(
        s,
        "<h3>Outcomes</h3><table class=\"side keep\"><colgroup><col style=\"width:30%\"><col style=\"width:35%\"><col style=\"width:35%\"></colgroup><thead><tr><th></th><th>This run</th><th>{other}</th></tr></thead>"
    );
    for (what, a, b) in c.outcomes(f) {
        let class = if a == b { "" } else { " class=\"differs\"" };
        let _ = write!(
            s,
            "<tr{class}><th>{}</th><td>{}</td><td>{}</td></tr>",
            escape(what),
            escape(&a),
            escape(&b)
        );
    }
    s.push_str("</table>");
    let ratings = c.ratings(f);
    if !ratings.is_empty() {
        let _ = write!(
            s,
            "<h3>Objectives</h3><table class=\"side\"><colgroup><col style=\"width:28%\"><col style=\"width:36%\"><col style=\"width:36%\"></colgroup><thead><tr><th>Objective</th><th>This run</th><th>{other}</th></tr></thead>"
        );
        for (objective, a, b) in ratings {
            let class = if a == b { "" } else { " class=\"differs\"" };
            let _ = write!(
                s,
                "<tr{class}><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&objective),
                escape(&a),
                escape(&b)
            );
        }
        s.push_str("</table>");
    }
    let _ = write!(
        s,
        "<h3>Decisions and votes from turn {}</h3><table class=\"side\"><colgroup><col style=\"width:7%\"><col style=\"width:46.5%\"><col style=\"width:46.5%\"></colgroup><thead><tr><th>Turn</th><th>This run</th><th>{other}</th></tr></thead>",
        c.from_turn
    );
    for (turn, a, b) in c.turns(f) {
        let class = if a == b { "" } else { " class=\"differs\"" };
        let list = |lines: &[String]| {
            if lines.is_empty() {
                "<em>nothing decided</em>".to_owned()
            } else {
                lines.iter().map(|l| escape(l)).collect::<Vec<_>>().join("<br>")
            }
        };
        let _ = write!(
            s,
            "<tr{class}><td>{turn}</td><td>{}</td><td>{}</td></tr>",
            list(&a),
            list(&b)
        );
    }
    s.push_str("</table>");
}

/// A run's provenance, a line a row.
fn provenance_table(s: &mut String, provenance: &super::facts::Provenance) {
    s.push_str("<table>");
    for (label, value) in provenance.lines() {
        let _ = write!(
            s,
            "<tr><th>{}</th><td><code>{}</code></td></tr>",
            escape(label),
            escape(&value)
        );
    }
    s.push_str("</table>");
}
