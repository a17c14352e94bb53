//! The scenario file format: plain serde types, free of Bevy. `docs/model.md` and, for authors,
//! `docs/scenario-format.md` document every field.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A whole exercise: its story, its cast and its scripted injects.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The text it was read from, as written (comments included): a replay carries it, so that
    /// the run verifies and reports anywhere, without the file. Not part of the scenario's
    /// content, so not of its hash.
    #[serde(skip)]
    pub text: Option<std::sync::Arc<str>>,
    /// Stable identifier, recorded in replays.
    pub id: String,
    /// Title shown to players.
    pub title: String,
    /// The situation as players learn it at the start.
    #[serde(default)]
    pub briefing: String,
    /// Number of turns the exercise lasts.
    pub turns: u32,
    /// What one turn means in exercise time.
    #[serde(default)]
    pub clock: Clock,
    /// Ids of the adversaries taking part (from the actors file).
    pub adversaries: Vec<String>,
    /// Member State holding the Council Presidency, as an assumption of the scenario; without it
    /// the Presidency is the one in office on the clock's start date (`assets/actors.ron`).
    #[serde(default)]
    pub presidency: Option<String>,
    /// Measures the scenario assumes exist although its date comes before them (by measure id):
    /// a 2018 scenario that assumes the cyber sanctions regime of 2019. Shown in the briefing.
    #[serde(default)]
    pub assume_available: Vec<String>,
    /// The state of the crisis before the first turn.
    #[serde(default)]
    pub initial: Initial,
    /// Changes to Member States' attributes, by code.
    #[serde(default)]
    pub member_states: BTreeMap<String, MemberStateOverride>,
    /// Changes to adversaries' attributes, by id.
    #[serde(default)]
    pub adversary_overrides: BTreeMap<String, AdversaryOverride>,
    /// Modules of the exercise (technical, operational, strategic) with their discussion questions.
    #[serde(default)]
    pub phases: Vec<Phase>,
    /// The scripted events (the Master Scenario Events List), in any order.
    pub injects: Vec<Inject>,
    /// Unscheduled injects the facilitator can fire at any moment.
    #[serde(default)]
    pub pool: Vec<Inject>,
    /// What evaluators assess.
    #[serde(default)]
    pub objectives: Vec<Objective>,
    /// Changes to Toolbox measures for this scenario, by measure id.
    #[serde(default)]
    pub toolbox: BTreeMap<String, MeasureOverride>,
}

/// The exercise clock.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clock {
    /// Hours of exercise time in one turn.
    #[serde(default = "Clock::default_turn_hours")]
    pub turn_hours: u32,
    /// Date and time of D+0 H+0, as `YYYY-MM-DDTHH:MM`.
    #[serde(default = "Clock::default_start")]
    pub start: String,
}

impl Clock {
    fn default_turn_hours() -> u32 {
        24
    }
    fn default_start() -> String {
        "2017-06-27T09:00".to_owned()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self {
            turn_hours: Self::default_turn_hours(),
            start: Self::default_start(),
        }
    }
}

/// The crisis before the first turn.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Initial {
    /// Rung on the escalation ladder, 0 to 9.
    #[serde(default = "Initial::default_escalation")]
    pub escalation: f64,
    /// EU cohesion, 0 to 1.
    #[serde(default = "Initial::default_cohesion")]
    pub cohesion: f64,
    /// Shared situational awareness among Member States, 0 to 1.
    #[serde(default = "Initial::default_shared_awareness")]
    pub shared_awareness: f64,
}

impl Initial {
    fn default_escalation() -> f64 {
        1.0
    }
    fn default_cohesion() -> f64 {
        0.7
    }
    fn default_shared_awareness() -> f64 {
        0.2
    }
}

impl Default for Initial {
    fn default() -> Self {
        Self {
            escalation: Self::default_escalation(),
            cohesion: Self::default_cohesion(),
            shared_awareness: Self::default_shared_awareness(),
        }
    }
}

/// Changes to one Member State for this scenario; absent fields keep the actors file's value.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberStateOverride {
    /// See the actors file.
    #[serde(default)]
    pub attribution_capability: Option<f64>,
    /// See the actors file: willingness to attribute publicly, 0 to 1.
    #[serde(default)]
    pub public_attribution: Option<f64>,
    /// See the actors file.
    #[serde(default)]
    pub exposure: Option<f64>,
    /// Firmness towards adversaries, by id.
    #[serde(default)]
    pub stance: BTreeMap<String, f64>,
    /// Economic ties with adversaries, by id.
    #[serde(default)]
    pub economic_ties: BTreeMap<String, f64>,
}

/// Changes to one adversary for this scenario; absent fields keep the actors file's value.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdversaryOverride {
    /// Name shown to players.
    #[serde(default)]
    pub name: Option<String>,
    /// Initial campaign intensity, 0 to 1.
    #[serde(default)]
    pub activity: Option<f64>,
    /// See the actors file.
    #[serde(default)]
    pub intent: Option<f64>,
    /// See the actors file.
    #[serde(default)]
    pub capability: Option<f64>,
    /// See the actors file.
    #[serde(default)]
    pub risk_tolerance: Option<f64>,
    /// See the actors file: the rung its campaign pursues at full intensity, 0 to 9.
    #[serde(default)]
    pub ceiling: Option<f64>,
    /// See the actors file.
    #[serde(default)]
    pub resolve_belief: Option<f64>,
    /// See the actors file.
    #[serde(default)]
    pub trust: Option<f64>,
}

/// One scripted event of the Master Scenario Events List.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    /// Unique identifier within the scenario (injects and pool together).
    pub id: String,
    /// When it is due. Required for scheduled injects; pool injects fire when the facilitator says.
    #[serde(default)]
    pub at: Option<When>,
    /// Up to this many turns of seeded delay after the due turn (0 = exactly on time).
    #[serde(default)]
    pub jitter: u32,
    /// A condition on the state of the exercise: once due, the inject waits until it holds.
    #[serde(default)]
    pub when: Option<Condition>,
    /// Alternatives: of the injects sharing a group, only the first to fire fires.
    #[serde(default)]
    pub group: Option<String>,
    /// The MSEL's "from": who the information comes from (a CSIRT, a press agency...).
    #[serde(default)]
    pub from: String,
    /// The MSEL's "to": which seat or group receives it.
    #[serde(default)]
    pub to: String,
    /// One-line headline shown to players.
    pub title: String,
    /// What players are told.
    #[serde(default)]
    pub description: String,
    /// What evaluators expect the players to do (the MSEL's "expected action").
    #[serde(default)]
    pub expected_action: String,
    /// Third countries joining what the inject tells (co-signatories of an attribution, partners
    /// sharing intelligence), by code.
    #[serde(default)]
    pub partners: Vec<String>,
    /// The partners' assessment of who is responsible for an incident, if the inject brings one:
    /// their intelligence released to the Member States, their public attribution, or both.
    #[serde(default)]
    pub assessment: Option<PartnerAssessment>,
    /// The malicious cyber incident it reveals, if any.
    #[serde(default)]
    pub incident: Option<IncidentSpec>,
    /// A change in an adversary's campaign, if any.
    #[serde(default)]
    pub posture: Option<PostureShift>,
}

/// What the partners of an inject (`partners`) assess about an incident. The scenario (or the
/// facilitator, firing a pool inject) decides what is released and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerAssessment {
    /// The incident assessed, by the id of the inject that revealed it.
    pub incident: String,
    /// Who the partners hold responsible, by adversary id.
    pub names: String,
    /// How much intelligence they release to the Member States, in days' worth of a
    /// near-certain forensic signal (0 when they release none): it lifts every capital's
    /// confidence in the party they name.
    #[serde(default)]
    pub released: f64,
    /// Whether they attribute publicly: the EU may then echo them (the `partner` wording) and
    /// its statement is co-signed, a coordinated attribution.
    #[serde(default)]
    pub public: bool,
}

/// When an inject is due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum When {
    /// At a turn, 1-based.
    Turn(u32),
    /// At a time relative to the start of the exercise, such as `"D+2 H+6"`.
    Offset(String),
    /// A delay after another inject fired, such as `After(inject: "outbreak", delay: "D+1")`.
    After {
        /// The inject it follows.
        inject: String,
        /// How long after, as `"D+n H+m"`; `"D+0"` is the same turn.
        #[serde(default = "When::no_delay")]
        delay: String,
    },
}

impl When {
    fn no_delay() -> String {
        "D+0".to_owned()
    }
}

/// A condition on the state of the exercise, evaluated at the start of a turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    /// Escalation strictly above a rung (0 to 9).
    EscalationAbove(f64),
    /// Escalation strictly below a rung (0 to 9).
    EscalationBelow(f64),
    /// Misperception strictly above a level (0 to 1).
    MisperceptionAbove(f64),
    /// Misperception strictly below a level (0 to 1).
    MisperceptionBelow(f64),
    /// The adversaries' perceived resolve of the EU strictly above a level (0 to 1).
    PerceivedResolveAbove(f64),
    /// The adversaries' perceived resolve of the EU strictly below a level (0 to 1).
    PerceivedResolveBelow(f64),
    /// Cohesion strictly above a level (0 to 1).
    CohesionAbove(f64),
    /// Cohesion strictly below a level (0 to 1).
    CohesionBelow(f64),
    /// A Toolbox measure has been adopted (on any incident), by measure id.
    MeasureTaken(String),
    /// A Council file of a Toolbox measure has entered the machinery (it was tabled), whether or
    /// not it has been adopted yet: a listing begun within an exercise too short to see it
    /// through.
    FileOpened(String),
    /// A Toolbox measure has been adopted in answer to one incident.
    MeasureTakenOn {
        /// The measure, by id.
        measure: String,
        /// The inject that revealed the incident.
        incident: String,
    },
    /// Another inject has fired, by id.
    Fired(String),
    /// Attribution of an incident has reached a confidence level.
    Attribution {
        /// The inject that revealed the incident.
        incident: String,
        /// Low, Moderate or High.
        level: crate::toolbox::Confidence,
        /// Whose confidence counts.
        #[serde(default)]
        by: Judge,
    },
    /// The turn is within a window, both ends included.
    TurnBetween(u32, u32),
    /// Every condition holds.
    AllOf(Vec<Condition>),
    /// At least one condition holds.
    AnyOf(Vec<Condition>),
    /// The condition does not hold.
    Not(Box<Condition>),
}

/// Whose attribution confidence a condition looks at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Judge {
    /// The EU's shared assessment.
    #[default]
    EuAssessment,
    /// At least one Member State.
    AnyMemberState,
    /// Every Member State.
    AllMemberStates,
}

/// A module of the exercise.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// Name shown to players.
    pub name: String,
    /// Technical, Operational or Strategic.
    pub module: Module,
    /// First turn of the phase.
    pub from: u32,
    /// Last turn of the phase.
    pub to: u32,
    /// Story time skipped just before the phase's first turn (`"D+1827"`): a clock jump, so a
    /// scenario can span years (an intrusion in 2015, a listing in 2020) in a few turns.
    #[serde(default)]
    pub gap: Option<super::StoryTime>,
    /// Questions for the facilitator to put to the table.
    #[serde(default)]
    pub questions: Vec<String>,
}

/// The three levels exercise planners escalate through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Module {
    /// CSIRTs and forensics.
    Technical,
    /// Crisis management and coordination.
    Operational,
    /// Political decisions.
    Strategic,
}

/// An exercise objective, rated by evaluators.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// Unique identifier.
    pub id: String,
    /// The objective as evaluators read it.
    pub text: String,
    /// Injects that test it, by id.
    #[serde(default)]
    pub injects: Vec<String>,
    /// Measures whose adoption shows it was met, by measure id.
    #[serde(default)]
    pub measures: Vec<String>,
    /// A condition that, holding at the end, shows it was met.
    #[serde(default)]
    pub success: Option<Condition>,
}

/// Changes to one Toolbox measure for this scenario; absent fields keep the Toolbox's value.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureOverride {
    /// Story time from tabling to effect (`"D+30"`).
    #[serde(default)]
    pub lead_time: Option<super::StoryTime>,
    /// Cost to Member States, 0 to 1.
    #[serde(default)]
    pub cost: Option<f64>,
    /// Rung on the response ladder, 0 to 1.
    #[serde(default)]
    pub intensity: Option<f64>,
    /// Whether players may take it at all in this scenario.
    #[serde(default)]
    pub available: Option<bool>,
}

/// A malicious cyber incident as the scenario scripts it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentSpec {
    /// The adversary truly behind it (hidden from players).
    pub perpetrator: String,
    /// An adversary whose traces were planted to mislead forensics (hidden from players).
    #[serde(default)]
    pub false_flag: Option<String>,
    /// Codes of the Member States hit.
    pub victims: Vec<String>,
    /// Codes of third countries hit as well (Ukraine by the Viasat attack): named in the story
    /// and the report; they have no seat in the Council.
    #[serde(default)]
    pub third_countries: Vec<String>,
    /// The seven proportionality dimensions of the Council's framework.
    pub severity: SeverityData,
    /// The theft of sensitive or commercial data and the economic loss it causes, 0 to 5 (an
    /// Art. 3 factor of Decision (CFSP) 2019/797, the basis of the Cloud Hopper listing): it
    /// makes an espionage campaign serious enough for a listing without making it destructive.
    #[serde(default)]
    pub theft: u8,
}

/// The seven dimensions, each on the 0-5 scale of the US Cyber Incident Severity Schema
/// (0 baseline, 1 low, 2 medium, 3 high, 4 severe, 5 emergency).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SeverityData {
    /// How many sectors and kinds of target.
    pub scope: u8,
    /// How many systems, people and Member States.
    pub scale: u8,
    /// How long the effects last.
    pub duration: u8,
    /// How disruptive or destructive.
    pub intensity: u8,
    /// How intricate the operation.
    pub complexity: u8,
    /// How advanced the tradecraft (and so how hard to attribute).
    pub sophistication: u8,
    /// Harm done: economic, to public services, to lives.
    pub impact: u8,
}

/// A scripted change in an adversary's campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostureShift {
    /// The adversary concerned.
    pub adversary: String,
    /// Change in campaign intensity, -1 to 1.
    #[serde(default)]
    pub activity: f64,
    /// Change in intent, -1 to 1.
    #[serde(default)]
    pub intent: f64,
}

impl SeverityData {
    /// The dimensions in the Council's order.
    pub fn dimensions(&self) -> [u8; 7] {
        [
            self.scope,
            self.scale,
            self.duration,
            self.intensity,
            self.complexity,
            self.sophistication,
            self.impact,
        ]
    }
}
