//! Seats at the table: which roles people hold, so that the engine plays only the others.
//!
//! A role held by a person is never played by the scripted policy: the policy does not propose
//! the measures that role would put forward, and a Member State held by a person backs what the
//! table proposed in the Council instead of voting by the model.

use crate::toolbox::{Decider, MeasureData};
use bevy::prelude::*;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A role at the exercise table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// The High Representative, with the EEAS: proposes CFSP measures and speaks for the Union.
    HighRepresentative,
    /// The Member State holding the rotating Council Presidency: chairs and tables Council files.
    Presidency,
    /// The Commission: operational support and funding.
    Commission,
    /// One Member State, by code.
    MemberState(String),
    /// The facilitator: steers the exercise and decides nothing for the EU.
    Facilitator,
}

impl Role {
    /// Reads a role as given on the command line: `hrvp` (the High Representative / Vice-
    /// President), `presidency`, `commission`, `facilitator`, or a Member State code such as
    /// `EE`. `HR` is Croatia, in any case.
    pub fn parse(text: &str, codes: &[std::sync::Arc<str>]) -> Result<Role, String> {
        let lower = text.trim().to_ascii_lowercase();
        match lower.as_str() {
            "hrvp" | "hr/vp" | "high-representative" | "eeas" => return Ok(Role::HighRepresentative),
            "presidency" => return Ok(Role::Presidency),
            "commission" => return Ok(Role::Commission),
            "facilitator" => return Ok(Role::Facilitator),
            _ => {}
        }
        let upper = text.trim().to_ascii_uppercase();
        if codes.iter().any(|c| **c == *upper) {
            return Ok(Role::MemberState(upper));
        }
        let hint = match upper.as_str() {
            "GR" => " (Greece is EL)",
            "GB" => " (the United Kingdom is UK, a Member State until 31 January 2020)",
            _ => "",
        };
        Err(format!(
            "\"{text}\" is not a seat{hint}: use hrvp (the High Representative), presidency, commission, facilitator or a Member State code (AT, BE, ... SE, and UK before February 2020; HR is Croatia)"
        ))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Role::HighRepresentative => write!(f, "High Representative"),
            Role::Presidency => write!(f, "Council Presidency"),
            Role::Commission => write!(f, "Commission"),
            Role::MemberState(code) => write!(f, "{code}"),
            Role::Facilitator => write!(f, "Facilitator"),
        }
    }
}

/// The roles people hold in this run (empty: the engine plays every seat).
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seats(pub Vec<Role>);

impl Seats {
    /// Whether a person holds the role.
    pub fn holds(&self, role: &Role) -> bool {
        self.0.contains(role)
    }

    /// Whether a person holds the seat of this Member State.
    pub fn holds_state(&self, code: &str) -> bool {
        self.0.iter().any(|r| matches!(r, Role::MemberState(c) if c == code))
    }

    /// Whether the measure is one people at the table put forward, so the policy must leave it
    /// to them: Council files are tabled by the High Representative or the Presidency, national
    /// measures by the Member State acting.
    pub fn proposes(&self, measure: &MeasureData, acting_code: &str) -> bool {
        match measure.decided_by {
            Decider::HighRepresentative => self.holds(&Role::HighRepresentative),
            Decider::Council => self.holds(&Role::HighRepresentative) || self.holds(&Role::Presidency),
            Decider::Presidency => self.holds(&Role::Presidency),
            Decider::Commission => self.holds(&Role::Commission),
            Decider::MemberState => self.holds_state(acting_code),
            // Member State-led networks: any delegation (or the Presidency) may ask for them.
            Decider::CsirtsNetwork | Decider::EuCyclone => {
                self.holds(&Role::Presidency) || self.0.iter().any(|r| matches!(r, Role::MemberState(_)))
            }
        }
    }

    /// Whether people at the table may table the measure: what they would [`Seats::proposes`],
    /// and, for a CFSP decision (a listing, the sanctions framework), any Member State they
    /// hold, since a Member State may propose one (Art. 30(1) TEU; Germany proposed the 2020
    /// Bundestag listing).
    pub fn may_table(&self, measure: &MeasureData, acting_code: &str) -> bool {
        self.proposes(measure, acting_code)
            || measure.rule == crate::toolbox::Rule::Unanimity
                && self.0.iter().any(|r| matches!(r, Role::MemberState(_)))
    }

    /// Whether any person holds a seat that takes decisions (not only the facilitator's).
    pub fn any_player(&self) -> bool {
        self.0.iter().any(|r| *r != Role::Facilitator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::toolbox::Toolbox;

    fn codes() -> Vec<std::sync::Arc<str>> {
        ["BE", "EE", "EL", "FR"]
            .iter()
            .map(|c| std::sync::Arc::from(*c))
            .collect()
    }

    #[test]
    fn seats_read_as_a_facilitator_types_them() {
        assert_eq!(Role::parse("hrvp", &codes()), Ok(Role::HighRepresentative));
        assert!(
            Role::parse("hr", &codes()).is_err_and(|e| e.contains("HR is Croatia")),
            "not in this list"
        );
        assert_eq!(Role::parse("ee", &codes()), Ok(Role::MemberState("EE".into())));
        assert_eq!(Role::parse("Presidency", &codes()), Ok(Role::Presidency));
        let err = Role::parse("GR", &codes()).unwrap_err();
        assert!(err.contains("Greece is EL"), "{err}");
    }

    #[test]
    fn a_held_seat_takes_its_measures_from_the_engine() {
        let toolbox = Toolbox::embedded();
        let measure = |id: &str| toolbox.get(toolbox.find(id).unwrap()).clone();
        let declaration = measure("eu_declaration_attribution");
        let national = measure("national_attribution");
        let seats = Seats(vec![Role::Presidency, Role::MemberState("EE".into())]);
        assert!(
            seats.proposes(&declaration, "FR"),
            "the Presidency tables Council files"
        );
        assert!(seats.proposes(&national, "EE"));
        assert!(!seats.proposes(&national, "FR"), "France is still played by the engine");
        assert!(!Seats::default().proposes(&declaration, "FR"));
        let listing = toolbox.get(toolbox.find("listing_persons").unwrap()).clone();
        let germany = Seats(vec![Role::MemberState("DE".into())]);
        assert!(
            germany.may_table(&listing, "FR"),
            "a Member State may propose a listing"
        );
        assert!(
            !germany.proposes(&listing, "FR"),
            "the engine's High Representative may too"
        );
        assert!(
            !germany.may_table(&declaration, "FR"),
            "a declaration is the HR's or the Presidency's"
        );
    }
}
