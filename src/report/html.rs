//! The report as one self-contained HTML page.

use super::facts::ReportFacts;
use super::svg::{chart, escape};
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
         .charts svg{{display:block;margin:0.5em 0}}</style></head><body>",
        t = escape(&f.title)
    );
    let o = &f.outcome;
    let _ = write!(
        s,
        "<h1>After-action report</h1><p><strong>{}</strong> ({}), exercise start {}; seed {}, seats not held by people played by the {} policy.</p>\
         <p>Outcome: the crisis <strong>{}</strong> after {} turns (escalation {:.2}, peak {:.2}); the EU ended {} (cohesion {:.2}); \
         the adversaries ended with misperception {:.2} and perceived resolve {:.2}; {} measures adopted; {} Council votes, {} blocked.</p>",
        escape(&f.title),
        escape(&f.scenario),
        escape(&f.start),
        f.seed,
        escape(&f.policy),
        o.kind.label(),
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
    s.push_str(
        "<h2>Escalation, misperception, perceived resolve and cohesion</h2>\
         <p>Misperception is how far the adversaries misread the EU's intent: it breeds spirals, the lower the better. \
         Perceived resolve is how far they believe the EU will impose costs: deterrence needs it, the higher the better.</p>\
         <div class=\"charts\">",
    );
    let series = |i: usize, c: &[(u32, f64, f64, f64, f64)]| -> Vec<(u32, f64)> {
        c.iter().map(|p| (p.0, [p.1, p.2, p.3, p.4][i])).collect()
    };
    for (i, (title, max)) in [
        ("Escalation (ladder 0-9)", 9.0),
        ("Misperception (0-1)", 1.0),
        ("Perceived resolve (0-1)", 1.0),
        ("EU cohesion (0-1)", 1.0),
    ]
    .into_iter()
    .enumerate()
    {
        let run = series(i, &f.curves);
        let other = f.compare.as_ref().map(|(name, c)| (name.as_str(), series(i, c)));
        s.push_str(&chart(
            title,
            max,
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
    s.push_str("<h2>Timeline (Master Scenario Events List)</h2><table><tr><th>Turn</th><th>Time</th><th>Type</th><th>From</th><th>What happened</th><th>Expected action</th></tr>");
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
        s.push_str("<table><tr><th>Turn</th><th>When</th><th>Presidency</th><th>File</th><th>Where</th><th>Rule</th><th>For</th><th>Abstaining</th><th>Objecting</th><th>Result</th><th>Positions</th><th>Cost to cohesion</th></tr>");
        for row in &f.votes {
            let v = &row.vote;
            let (yes, abstain, no) = v.tally();
            let mut positions: Vec<String> = v
                .objections()
                .map(|(c, why)| format!("{c}: {}", escape(&why.to_string())))
                .collect();
            let abstainers = v.abstainers();
            if !abstainers.is_empty() {
                positions.push(format!("abstaining: {}", abstainers.join(", ")));
            }
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{yes}</td><td>{abstain}</td><td>{no}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
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
    s.push_str("<h2>Objectives</h2>");
    if f.objectives.is_empty() {
        s.push_str("<p>The scenario sets no objectives.</p>");
    } else {
        s.push_str("<table><tr><th>Objective</th><th>Rating</th><th>Evidence</th></tr>");
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
        s.push_str("<table><tr><th>Objective</th><th>Corrective action</th><th>Owner</th><th>Due</th></tr>");
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
    s.push_str("<h2>Provenance</h2><table>");
    for (label, value) in f.provenance.lines() {
        let _ = write!(
            s,
            "<tr><th>{}</th><td><code>{}</code></td></tr>",
            escape(label),
            escape(&value)
        );
    }
    s.push_str("</table>");
    s.push_str("<p><small>Generated by Démarche from a verified replay; rerun it with <code>demarche replay FILE --verify</code>.</small></p></body></html>\n");
    s
}
