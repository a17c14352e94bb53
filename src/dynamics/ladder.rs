//! The escalation ladder (after Kahn, 1965, and the 0-9 ladder of open escalation sandboxes).

/// The rungs, from 0 to 9.
pub const LADDER: [&str; 10] = [
    "peacetime competition",
    "reconnaissance and probing",
    "espionage and data theft",
    "disruptive operations",
    "destructive operations against firms",
    "attacks on critical infrastructure",
    "sustained campaign on critical infrastructure",
    "coercive threats and hybrid pressure",
    "cross-domain escalation",
    "armed conflict threshold",
];

/// The label of the rung an escalation level stands on.
pub fn rung_label(escalation: f64) -> &'static str {
    LADDER[(escalation.max(0.0) as usize).min(9)]
}
