//! The report as Markdown and as CSV files: the same facts as the HTML page.

use super::facts::{Comparison, ReportFacts, outcome_lines, positions_named};
use std::fmt::Write;

/// Text quoted into Markdown, escaped so that it reads as written: no HTML passes through, no
/// emphasis, link, code or table syntax is made by what a player or evaluator typed.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' | '\t' => out.push(' '),
            // A control character (an escape sequence in a note) would act on a terminal.
            c if c.is_control() => out.push('\u{fffd}'),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Renders the report as Markdown.
pub fn markdown(f: &ReportFacts) -> String {
    let mut s = String::new();
    let o = &f.outcome;
    let _ = writeln!(s, "# After-action report: {}\n", md(&f.title));
    let (occasion, seats) = f.occasion();
    let _ = writeln!(
        s,
        "Scenario {}, {}, the story starts {}, seed {}; {}.{}\n\nOutcome: {}\n",
        md(&f.scenario),
        md(&occasion),
        md(&f.start),
        f.seed,
        md(&seats),
        f.fork
            .as_ref()
            .map(|w| format!(" This run is {}.", md(w)))
            .unwrap_or_default(),
        md(&o.summary())
    );
    let _ = writeln!(
        s,
        "Final readings of the adversaries: misperception {:.2}, perceived resolve {:.2}.\n",
        o.final_misperception, o.final_perceived_resolve
    );
    if let Some(line) = f.ratings_line() {
        let _ = writeln!(s, "**{}**\n", md(&line));
    }
    let _ = writeln!(
        s,
        "## Escalation, misperception, perceived resolve and cohesion\n\n\
         Misperception: how far the adversaries misread the EU's intent (it breeds spirals). \
         Perceived resolve: how far they believe the EU will impose costs (deterrence needs it).\n\n\
         | turn | Presidency | escalation (0-9) | rung of the ladder | misperception | perceived resolve | cohesion |\n|---|---|---|---|---|---|---|"
    );
    for t in &f.turns {
        let _ = writeln!(
            s,
            "| {} | {} | {:.2} | {} | {:.2} | {:.2} | {:.2} |",
            t.turn,
            md(&t.presidency),
            t.escalation,
            md(&t.rung),
            t.misperception,
            t.perceived_resolve,
            t.cohesion
        );
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
                md(&a.name),
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
            md(&r.time),
            md(&r.kind),
            md(&r.from),
            md(&r.description),
            md(&r.expected_action)
        );
    }
    let _ = writeln!(
        s,
        "\n## Council votes\n\n| turn | when | Presidency | file | where | rule | for | standing aside | objecting | result | positions | cost to cohesion |\n|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for row in &f.votes {
        let v = &row.vote;
        let (yes, _, no) = v.tally();
        let aside = v.aside_count();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {yes} | {aside} | {no} | {} | {} | {} |",
            v.turn,
            md(&row.time),
            md(&row.presidency),
            md(&row.what),
            md(&v.place()),
            v.rule.code(),
            md(&v.result()),
            md(&positions_named(v)),
            row.cost()
        );
    }
    if !f.votes.is_empty() {
        let _ = writeln!(s, "\n{}", md(&f.blocking()));
    }
    if !f.unfinished.is_empty() {
        let _ = writeln!(s, "\nStill in the Council machinery when the exercise ended:\n");
        for u in &f.unfinished {
            let _ = writeln!(s, "- {}", md(u));
        }
    }
    if !f.conduct.is_empty() {
        let _ = writeln!(s, "\n## Each seat's conduct");
        for c in &f.conduct {
            let _ = writeln!(s, "\n**{}**\n", md(&c.summary()));
            for (title, lines) in [
                ("Proposed", &c.proposed),
                ("Blocked", &c.blocked),
                ("Held at a stage", &c.held),
                ("Abstained", &c.abstained),
            ] {
                for line in lines {
                    let _ = writeln!(s, "- {title}: {}", md(line));
                }
            }
        }
    }
    let _ = writeln!(s, "\n## Objectives\n\n| objective | rating | evidence |\n|---|---|---|");
    for ob in &f.objectives {
        let _ = writeln!(
            s,
            "| {} | {} ({}) | {} |",
            md(&ob.text),
            ob.rating.label(),
            ob.rating.letter(),
            md(&ob.evidence)
        );
    }
    if let Some(c) = &f.compare {
        comparison(&mut s, f, c);
    }
    let _ = writeln!(s, "\n## Evaluator notes\n");
    if f.notes.is_empty() {
        let _ = writeln!(s, "No notes were recorded.");
    }
    for n in &f.notes {
        let when = n.time.as_deref().map(|t| format!(" ({})", md(t))).unwrap_or_default();
        let _ = writeln!(s, "- Turn {}, {}{when}: {}", n.turn, md(&n.author), md(&n.text));
    }
    let _ = writeln!(
        s,
        "\n## Improvement plan\n\n| objective | corrective action | owner | due |\n|---|---|---|---|"
    );
    for p in &f.plan {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            md(&p.objective),
            md(&p.action),
            md(&p.owner),
            md(&p.due)
        );
    }
    let _ = writeln!(s, "\n## Provenance\n");
    provenance_table(&mut s, &f.provenance);
    if let Some(c) = &f.compare {
        let _ = writeln!(s, "\n### The compared run, {}\n", md(&c.name));
        provenance_table(&mut s, &c.other.provenance);
    }
    s
}

/// A run's provenance, a line a row.
fn provenance_table(s: &mut String, provenance: &super::facts::Provenance) {
    let _ = writeln!(s, "| | |\n|---|---|");
    for (label, value) in provenance.lines() {
        let _ = writeln!(s, "| {} | {} |", md(label), md(&value));
    }
}

/// Another run beside this one, as in the HTML page.
fn comparison(s: &mut String, f: &ReportFacts, c: &Comparison) {
    let other = md(&c.name);
    let _ = writeln!(
        s,
        "\n## Compared with {other}\n\n{other} is {}. {}\n\n### Outcomes\n\n| | this run | {other} |\n|---|---|---|",
        md(&c.relation),
        match c.first_difference {
            Some(t) => format!("The runs first differ at turn {t}."),
            None => "The two runs played every turn the same way.".to_owned(),
        }
    );
    for (what, a, b) in c.outcomes(f) {
        let _ = writeln!(s, "| {} | {} | {} |", md(what), md(&a), md(&b));
    }
    let ratings = c.ratings(f);
    if !ratings.is_empty() {
        let _ = writeln!(
            s,
            "\n### Objectives\n\n| objective | this run | {other} |\n|---|---|---|"
        );
        for (objective, a, b) in ratings {
            let _ = writeln!(s, "| {} | {} | {} |", md(&objective), md(&a), md(&b));
        }
    }
    let _ = writeln!(
        s,
        "\n### Readings from turn {}\n\n| turn | escalation, this run | escalation, {other} | misperception, this run | misperception, {other} | perceived resolve, this run | perceived resolve, {other} | cohesion, this run | cohesion, {other} |\n|---|---|---|---|---|---|---|---|---|",
        c.from_turn
    );
    let reading = |t: Option<&super::facts::TurnRow>, get: fn(&super::facts::TurnRow) -> f64| {
        t.map_or_else(|| "–".to_owned(), |t| format!("{:.2}", get(t)))
    };
    let last = f.turns.iter().chain(&c.other.turns).map(|t| t.turn).max().unwrap_or(0);
    for turn in c.from_turn..=last {
        let (a, b) = (
            f.turns.iter().find(|t| t.turn == turn),
            c.other.turns.iter().find(|t| t.turn == turn),
        );
        let _ = writeln!(
            s,
            "| {turn} | {} | {} | {} | {} | {} | {} | {} | {} |",
            reading(a, |t| t.escalation),
            reading(b, |t| t.escalation),
            reading(a, |t| t.misperception),
            reading(b, |t| t.misperception),
            reading(a, |t| t.perceived_resolve),
            reading(b, |t| t.perceived_resolve),
            reading(a, |t| t.cohesion),
            reading(b, |t| t.cohesion),
        );
    }
    let _ = writeln!(
        s,
        "\n### Decisions and votes from turn {}\n\n| turn | this run | {other} |\n|---|---|---|",
        c.from_turn
    );
    for (turn, a, b) in c.turns(f) {
        let list = |lines: &[String]| {
            if lines.is_empty() {
                "nothing decided".to_owned()
            } else {
                lines.iter().map(|l| md(l)).collect::<Vec<_>>().join("<br>")
            }
        };
        let mark = if a == b { "" } else { " (differs)" };
        let _ = writeln!(s, "| {turn}{mark} | {} | {} |", list(&a), list(&b));
    }
}

fn csv_field(text: &str) -> String {
    // Control characters (an escape sequence in a note) are no text; line ends are, quoted.
    let text: String = text
        .chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    // A cell a spreadsheet would read as a formula gets a leading apostrophe.
    let text = if text.starts_with(['=', '+', '@']) {
        format!("'{text}")
    } else {
        text
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// One CSV file: a header and its rows, UTF-8 with a byte-order mark so that a spreadsheet
/// reads the accents right.
struct Table(String);

impl Table {
    fn new(header: &[&str]) -> Self {
        let mut t = Table(String::from("\u{feff}"));
        t.row(header.iter().map(|h| (*h).to_owned()));
        t
    }

    fn row(&mut self, fields: impl IntoIterator<Item = String>) {
        let line: Vec<String> = fields.into_iter().map(|x| csv_field(&x)).collect();
        self.0.push_str(&line.join(","));
        self.0.push_str("\r\n");
    }
}

/// Renders the report's facts as CSV files, one per kind of fact with its own columns: (file
/// name, content). `turns.csv`, `timeline.csv`, `decisions.csv`, `votes.csv`, `conduct.csv`, `ratings.csv`,
/// `plan.csv`, `notes.csv`, `outcome.csv`, `provenance.csv`, and with a comparison
/// `compare.csv`.
pub fn csv_files(f: &ReportFacts) -> Vec<(&'static str, String)> {
    let turns = turns_table(&f.turns);
    let mut timeline = Table::new(&["turn", "time", "kind", "from", "what_happened", "expected_action"]);
    for r in &f.timeline {
        timeline.row([
            r.turn.to_string(),
            r.time.clone(),
            r.kind.clone(),
            r.from.clone(),
            r.description.clone(),
            r.expected_action.clone(),
        ]);
    }
    let mut decisions = Table::new(&["turn", "time", "by", "measure", "incident", "outcome"]);
    for d in &f.decisions {
        decisions.row([
            d.turn.to_string(),
            d.time.clone(),
            d.by.clone(),
            d.measure.clone(),
            d.incident.clone(),
            d.outcome.clone(),
        ]);
    }
    let mut votes = Table::new(&[
        "turn",
        "time",
        "presidency",
        "file",
        "where",
        "rule",
        "result",
        "for",
        "abstaining",
        "objecting",
        "objections",
        "abstainers",
        "cohesion_cost",
    ]);
    for row in &f.votes {
        let v = &row.vote;
        let (yes, abstain, no) = v.tally();
        votes.row([
            v.turn.to_string(),
            row.time.clone(),
            row.presidency.clone(),
            row.what.clone(),
            v.place(),
            v.rule.code().to_owned(),
            v.result(),
            yes.to_string(),
            abstain.to_string(),
            no.to_string(),
            super::facts::objectors_named(v),
            super::facts::abstainers_named(v),
            num(v.cohesion_cost),
        ]);
    }
    let other_ratings = f.compare.as_ref().map(|c| &c.other.objectives);
    let mut header = vec!["objective_id", "objective", "rating", "rating_label", "evidence"];
    if other_ratings.is_some() {
        header.extend(["compared_rating", "compared_rating_label", "compared_evidence"]);
    }
    let mut ratings = Table::new(&header);
    for o in &f.objectives {
        let mut fields = vec![
            o.id.clone(),
            o.text.clone(),
            o.rating.letter().to_string(),
            o.rating.label().to_owned(),
            o.evidence.clone(),
        ];
        if let Some(others) = other_ratings {
            match others.iter().find(|x| x.id == o.id) {
                Some(x) => fields.extend([
                    x.rating.letter().to_string(),
                    x.rating.label().to_owned(),
                    x.evidence.clone(),
                ]),
                None => fields.extend([String::new(), String::new(), String::new()]),
            }
        }
        ratings.row(fields);
    }
    let mut plan = Table::new(&["objective_id", "objective", "corrective_action", "owner", "due"]);
    for p in &f.plan {
        plan.row([
            p.objective_id.clone(),
            p.objective.clone(),
            p.action.clone(),
            p.owner.clone(),
            p.due.clone(),
        ]);
    }
    let mut notes = Table::new(&["turn", "written", "author", "text"]);
    for n in &f.notes {
        notes.row([
            n.turn.to_string(),
            n.time.clone().unwrap_or_default(),
            n.author.clone(),
            n.text.clone(),
        ]);
    }
    let mut outcome = match &f.compare {
        Some(_) => Table::new(&["what", "this_run", "compared_run"]),
        None => Table::new(&["what", "value"]),
    };
    match &f.compare {
        Some(c) => {
            for (what, a, b) in c.outcomes(f) {
                outcome.row([what.to_owned(), a, b]);
            }
        }
        None => {
            for (what, value) in outcome_lines(&f.outcome) {
                outcome.row([what.to_owned(), value]);
            }
        }
    }
    let mut conduct = Table::new(&["seat", "what", "detail"]);
    for c in &f.conduct {
        conduct.row([c.seat.clone(), "summary".to_owned(), c.summary()]);
        for (what, lines) in [
            ("proposed", &c.proposed),
            ("blocked", &c.blocked),
            ("held", &c.held),
            ("abstained", &c.abstained),
        ] {
            for line in lines {
                conduct.row([c.seat.clone(), what.to_owned(), line.clone()]);
            }
        }
    }
    let mut provenance = Table::new(&["run", "field", "value"]);
    for (label, value) in f.provenance.lines() {
        provenance.row(["this run".to_owned(), label.to_owned(), value]);
    }
    if let Some(c) = &f.compare {
        for (label, value) in c.other.provenance.lines() {
            provenance.row(["compared run".to_owned(), label.to_owned(), value]);
        }
    }
    let mut files = vec![
        ("turns.csv", turns.0),
        ("timeline.csv", timeline.0),
        ("decisions.csv", decisions.0),
        ("votes.csv", votes.0),
        ("conduct.csv", conduct.0),
        ("ratings.csv", ratings.0),
        ("plan.csv", plan.0),
        ("notes.csv", notes.0),
        ("outcome.csv", outcome.0),
        ("provenance.csv", provenance.0),
    ];
    let mut adversaries = Table::new(&[
        "adversary_id",
        "adversary",
        "misreading",
        "perceived_resolve",
        "activity",
    ]);
    for a in &f.adversaries {
        adversaries.row([
            a.id.clone(),
            a.name.clone(),
            num(a.misreading),
            num(a.perceived_resolve),
            num(a.activity),
        ]);
    }
    files.push(("adversaries.csv", adversaries.0));
    let mut unfinished = Table::new(&["file"]);
    for u in &f.unfinished {
        unfinished.row([u.clone()]);
    }
    files.push(("unfinished.csv", unfinished.0));
    if let Some(c) = &f.compare {
        // One row per decision or vote of each run, tidy: no cell holds a list.
        let mut compare = Table::new(&["turn", "turn_differs", "run", "what"]);
        for (turn, a, b) in c.turns(f) {
            let differs = if a == b { "no" } else { "yes" };
            for (run, lines) in [("this run", &a), ("compared run", &b)] {
                for line in lines.iter() {
                    compare.row([turn.to_string(), differs.to_owned(), run.to_owned(), line.clone()]);
                }
            }
        }
        files.push(("compare.csv", compare.0));
        files.push(("compared_turns.csv", turns_table(&c.other.turns).0));
    }
    files
}

/// A reading in a CSV cell, to four decimals.
fn num(v: f64) -> String {
    format!("{v:.4}")
}

/// `turns.csv`: each turn's readings.
fn turns_table(rows: &[super::facts::TurnRow]) -> Table {
    let mut turns = Table::new(&[
        "turn",
        "time",
        "presidency",
        "escalation",
        "escalation_rung",
        "misperception",
        "perceived_resolve",
        "cohesion",
    ]);
    for t in rows {
        turns.row([
            t.turn.to_string(),
            t.time.clone(),
            t.presidency.clone(),
            num(t.escalation),
            t.rung.clone(),
            num(t.misperception),
            num(t.perceived_resolve),
            num(t.cohesion),
        ]);
    }
    turns
}
