//! The per-turn table of a headless run (`demarche run`), turn by turn on a headless host's
//! terminal.

use super::{Outcome, TurnRecord};
use crate::decisions::Policy;
use crate::dynamics::rung_label;
use std::fmt::Write;

/// The table's column heads.
pub const HEADER: &str = "turn  escalation                                   misperc.  resolve  cohesion  checksum";

/// Renders the whole run as text.
pub fn render(title: &str, seed: u64, policy: Policy, turns: &[TurnRecord], outcome: &Outcome) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{title}");
    let _ = writeln!(out, "seed {seed}, policy {}\n", policy.name());
    let _ = writeln!(out, "{HEADER}");
    let mut previous: Option<&TurnRecord> = None;
    for t in turns {
        render_turn(&mut out, t, previous);
        previous = Some(t);
    }
    let _ = writeln!(out, "\nOutcome: {}", outcome.summary());
    out
}

/// One turn's row and what happened in it, one line each; the Presidency is named when it
/// differs from the `previous` turn's.
pub fn render_turn(out: &mut String, t: &TurnRecord, previous: Option<&TurnRecord>) {
    let _ = writeln!(
        out,
        "{:>4}  {:>4.2} {:<38}  {:>7.2}  {:>7.2}  {:>8.2}  {:016x}",
        t.turn,
        t.escalation,
        format!("({})", rung_label(t.escalation)),
        t.misperception,
        t.perceived_resolve,
        t.cohesion,
        t.checksum
    );
    if previous.is_none_or(|p| p.presidency != t.presidency) {
        let _ = writeln!(out, "      council  Presidency: {}", t.presidency);
    }
    for inject in &t.injects {
        let _ = writeln!(out, "      inject   {}: {}", inject.id, inject.title);
    }
    for d in &t.decisions {
        // The wording a statement was drafted at, when one was named: `(territory)`.
        let measure = match &d.decision.wording {
            Some(rung) => format!("{} ({rung})", d.decision.measure),
            None => d.decision.measure.clone(),
        };
        let _ = writeln!(
            out,
            "      measure  {}",
            d.describe_as(&measure, d.decision.incident.as_deref())
        );
        if let Some(text) = &d.published {
            let _ = writeln!(out, "      published \u{201c}{text}\u{201d}");
        }
    }
    for a in &t.amendments {
        let _ = writeln!(out, "      council  {}: {}", a.measure, a.summary());
    }
    for h in &t.holds {
        let _ = writeln!(out, "      council  {}: {}", h.measure, h.summary());
    }
    for v in &t.votes {
        let _ = writeln!(out, "      council  {}: {}", v.measure, v.summary());
    }
    for e in &t.effects {
        let _ = writeln!(out, "      effect   {e} takes effect");
    }
    for r in &t.reactions {
        let _ = writeln!(out, "      reaction {} (answering {})", r.headline, r.measure);
    }
    for a in &t.assessments {
        let _ = writeln!(
            out,
            "      assessed {}: {} ({:.0}%, {} confidence)",
            a.incident,
            a.suspect,
            a.probability * 100.0,
            a.confidence
        );
    }
}
