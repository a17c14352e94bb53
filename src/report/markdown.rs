//! The report as Markdown and as CSV: the same facts as the HTML page.

use super::facts::ReportFacts;
use std::fmt::Write;

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Renders the report as Markdown.
pub fn markdown(f: &ReportFacts) -> String {
    let mut s = String::new();
    let o = &f.outcome;
    let _ = writeln!(s, "# After-action report: {}\n", f.title);
    let _ = writeln!(
        s,
        "Scenario `{}`, exercise start {}, seed {}, policy {}.\n\nOutcome: {}\n",
        f.scenario,
        f.start,
        f.seed,
        f.policy,
        o.summary()
    );
    let _ = writeln!(
        s,
        "Final readings of the adversaries: misperception {:.2}, perceived resolve {:.2}.\n",
        o.final_misperception, o.final_perceived_resolve
    );
    let _ = writeln!(
        s,
        "## Escalation, misperception, perceived resolve and cohesion\n\n\
         Misperception: how far the adversaries misread the EU's intent (it breeds spirals). \
         Perceived resolve: how far they believe the EU will impose costs (deterrence needs it).\n\n\
         | turn | escalation | misperception | perceived resolve | cohesion |\n|---|---|---|---|---|"
    );
    for (t, e, m, r, c) in &f.curves {
        let _ = writeln!(s, "| {t} | {e:.2} | {m:.2} | {r:.2} | {c:.2} |");
    }
    if !f.adversaries.is_empty() {
        let _ = writeln!(
            s,
            "\n### The adversaries at the end\n\n| adversary | misreading of the EU's intent | perceived resolve | campaign activity |\n|---|---|---|---|"
        );
        for a in &f.adversaries {
            let _ = writeln!(
                s,
                "| {} | {:.2} | {:.2} | {:.2} |",
                cell(&a.name),
                a.misreading,
                a.perceived_resolve,
                a.activity
            );
        }
    }
    let _ = writeln!(
        s,
        "\n## Timeline\n\n| turn | time | type | from | what happened | expected action |\n|---|---|---|---|---|---|"
    );
    for r in &f.timeline {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            r.turn,
            r.time,
            r.kind,
            cell(&r.from),
            cell(&r.description),
            cell(&r.expected_action)
        );
    }
    let _ = writeln!(
        s,
        "\n## Council votes\n\n| turn | when | Presidency | file | where | rule | for | abstaining | objecting | result | positions | cost to cohesion |\n|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for row in &f.votes {
        let v = &row.vote;
        let (yes, abstain, no) = v.tally();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {yes} | {abstain} | {no} | {} | {} | {} |",
            v.turn,
            cell(&row.time),
            row.presidency,
            cell(&row.what),
            v.place(),
            v.rule.code(),
            v.result(),
            cell(&v.positions_line()),
            row.cost()
        );
    }
    if !f.votes.is_empty() {
        let _ = writeln!(s, "\n{}", f.blocking());
    }
    if !f.unfinished.is_empty() {
        let _ = writeln!(s, "\nStill in the Council machinery when the exercise ended:\n");
        for u in &f.unfinished {
            let _ = writeln!(s, "- {u}");
        }
    }
    let _ = writeln!(s, "\n## Objectives\n\n| objective | rating | evidence |\n|---|---|---|");
    for ob in &f.objectives {
        let _ = writeln!(
            s,
            "| {} | {} ({}) | {} |",
            cell(&ob.text),
            ob.rating.label(),
            ob.rating.letter(),
            cell(&ob.evidence)
        );
    }
    let _ = writeln!(s, "\n## Evaluator notes\n");
    for n in &f.notes {
        let when = n.time.as_deref().map(|t| format!(" ({t})")).unwrap_or_default();
        let _ = writeln!(s, "- Turn {}, {}{when}: {}", n.turn, n.author, n.text);
    }
    let _ = writeln!(
        s,
        "\n## Improvement plan\n\n| objective | corrective action | owner | due |\n|---|---|---|---|"
    );
    for p in &f.plan {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            cell(&p.objective),
            cell(&p.action),
            cell(&p.owner),
            p.due
        );
    }
    let _ = writeln!(s, "\n## Provenance\n\n| | |\n|---|---|");
    for (label, value) in f.provenance.lines() {
        let _ = writeln!(s, "| {} | `{}` |", cell(label), value.replace('`', "'"));
    }
    s
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Renders the report's facts as CSV: one row per fact, with its section.
pub fn csv(f: &ReportFacts) -> String {
    let mut s = String::from("section,turn,time,kind,from,description,detail\n");
    let mut row = |fields: [&str; 7]| {
        let line: Vec<String> = fields.iter().map(|x| csv_field(x)).collect();
        s.push_str(&line.join(","));
        s.push('\n');
    };
    for (t, e, m, r, c) in &f.curves {
        row([
            "curves",
            &t.to_string(),
            "",
            "state",
            "",
            &format!("escalation {e:.4}; misperception {m:.4}; perceived resolve {r:.4}; cohesion {c:.4}"),
            "",
        ]);
    }
    for a in &f.adversaries {
        row([
            "adversary",
            "",
            "",
            "at the end",
            &a.id,
            &a.name,
            &format!(
                "misreading {:.4}; perceived resolve {:.4}; activity {:.4}",
                a.misreading, a.perceived_resolve, a.activity
            ),
        ]);
    }
    for r in &f.timeline {
        row([
            "timeline",
            &r.turn.to_string(),
            &r.time,
            &r.kind,
            &r.from,
            &r.description,
            &r.expected_action,
        ]);
    }
    for u in &f.unfinished {
        row(["machinery", "", "", "in the machinery at the end", "Council", u, ""]);
    }
    for vote_row in &f.votes {
        let v = &vote_row.vote;
        let (yes, abstain, no) = v.tally();
        row([
            "vote",
            &v.turn.to_string(),
            &vote_row.time,
            &v.result(),
            &format!("{} (Presidency {})", v.place(), vote_row.presidency),
            &vote_row.what,
            &match vote_row.cost() {
                c if c.is_empty() => format!(
                    "{yes} for, {abstain} abstaining, {no} objecting; {}",
                    v.positions_line()
                ),
                c => format!(
                    "{yes} for, {abstain} abstaining, {no} objecting; {}; it cost the EU {c} of cohesion",
                    v.positions_line()
                ),
            },
        ]);
    }
    for o in &f.objectives {
        row([
            "objective",
            "",
            "",
            o.rating.letter().to_string().as_str(),
            &o.id,
            &o.text,
            &o.evidence,
        ]);
    }
    for n in &f.notes {
        row([
            "note",
            &n.turn.to_string(),
            n.time.as_deref().unwrap_or_default(),
            "note",
            &n.author,
            &n.text,
            "",
        ]);
    }
    for p in &f.plan {
        row(["improvement", "", &p.due, "action", &p.owner, &p.action, &p.objective]);
    }
    for (label, value) in f.provenance.lines() {
        row(["provenance", "", "", "", "", label, &value]);
    }
    s
}
