//! One Toolbox measure and the catalogue of them.

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

/// The embedded catalogue.
pub const DEFAULT_TOOLBOX: &str = include_str!("../../assets/toolbox.ron");

/// The five families of the Council's framework (10474/17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Family {
    /// Confidence-building, awareness, capacity building: resilience and norms.
    Preventive,
    /// Dialogues and démarches: "we know; fix it".
    Cooperative,
    /// Statements, declarations, Council conclusions: public censure and unity.
    Stabilising,
    /// Travel bans and asset freezes under Decision (CFSP) 2019/797.
    Restrictive,
    /// Support to Member States' lawful responses, up to Art. 42(7) TEU.
    Support,
}

impl Family {
    /// Every family, in the Toolbox's order.
    pub const ALL: [Family; 5] = [
        Family::Preventive,
        Family::Cooperative,
        Family::Stabilising,
        Family::Restrictive,
        Family::Support,
    ];

    /// Name a diplomat would use.
    pub fn label(self) -> &'static str {
        match self {
            Family::Preventive => "preventive",
            Family::Cooperative => "cooperative",
            Family::Stabilising => "stabilising",
            Family::Restrictive => "restrictive",
            Family::Support => "support to Member States",
        }
    }
}

/// Who takes the decision (who must agree for it to be taken).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decider {
    /// The Council: the Member States together, by consensus or unanimity. A declaration by the
    /// High Representative on behalf of the EU is the Council's too (all must agree to it).
    Council,
    /// The High Representative alone, with the EEAS: a statement in her or his own name, a
    /// démarche, a dialogue, INTCEN's assessment.
    HighRepresentative,
    /// The rotating Council Presidency, for instance activating IPCR (Implementing Decision (EU)
    /// 2018/1993) without Art. 222 TFEU.
    Presidency,
    /// The Commission (funding programmes).
    Commission,
    /// One Member State, for itself: national attribution, expulsions, invoking Art. 42(7) TEU or
    /// Art. 222 TFEU, and OSCE confidence-building measures (the Member States, not the EU, are
    /// the OSCE's participating States).
    MemberState,
    /// The CSIRTs network: the Member States' CSIRTs with CERT-EU, ENISA as secretariat (NIS
    /// Directive 2016/1148 Art. 12; NIS2 Art. 15). Member State-led, not a Commission decision.
    CsirtsNetwork,
    /// EU-CyCLONe, the Member States' cyber crisis agencies (NIS2 Art. 16). Member State-led.
    EuCyclone,
}

impl Decider {
    /// Name a diplomat would use.
    pub fn label(self) -> &'static str {
        match self {
            Decider::Council => "Council",
            Decider::HighRepresentative => "High Representative",
            Decider::Presidency => "Council Presidency",
            Decider::Commission => "Commission",
            Decider::MemberState => "one Member State",
            Decider::CsirtsNetwork => "CSIRTs network",
            Decider::EuCyclone => "EU-CyCLONe",
        }
    }

    /// The name in `demarche toolbox --json`.
    pub fn code(self) -> &'static str {
        match self {
            Decider::Council => "council",
            Decider::HighRepresentative => "high_representative",
            Decider::Presidency => "presidency",
            Decider::Commission => "commission",
            Decider::MemberState => "member_state",
            Decider::CsirtsNetwork => "csirts_network",
            Decider::EuCyclone => "eu_cyclone",
        }
    }
}

/// The decision rule a measure is taken by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rule {
    /// Every Member State agrees, usually by silence procedure: one objection stops the text, and
    /// there is no constructive abstention (declarations on behalf of the EU, Council
    /// conclusions, solidarity statements). Abstaining means not blocking.
    Consensus,
    /// A CFSP decision (Art. 31(1) TEU): every Member State agrees or abstains; constructive
    /// abstention with a formal declaration stops the decision only when the abstainers are at
    /// least a third of the Member States and a third of the Union's population.
    Unanimity,
    /// A Member State decides for itself.
    National,
    /// A body acting within its own mandate (the High Representative, the Presidency, the
    /// Commission, the CSIRTs network, EU-CyCLONe).
    OwnAuthority,
}

impl Rule {
    /// Name a diplomat would use.
    pub fn label(self) -> &'static str {
        match self {
            Rule::Consensus => "consensus: one objection stops it",
            Rule::Unanimity => "unanimity: constructive abstention possible",
            Rule::National => "national decision",
            Rule::OwnAuthority => "own authority",
        }
    }

    /// The name in `demarche toolbox --json`.
    pub fn code(self) -> &'static str {
        match self {
            Rule::Consensus => "consensus",
            Rule::Unanimity => "unanimity",
            Rule::National => "national",
            Rule::OwnAuthority => "own_authority",
        }
    }

    /// Whether the Member States vote on it in the Council.
    pub fn voted(self) -> bool {
        matches!(self, Rule::Consensus | Rule::Unanimity)
    }
}

/// A stage in the path of a Council file (domain: Council Rules of Procedure; implementing
/// guidelines 10289/23): each takes story time, and each is a place where a Member State can
/// hold the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Stage {
    /// The Presidency (with the EEAS) sounds out the Member States on a draft; for a listing,
    /// the proposal with its evidence package (Art. 30(1) TEU).
    Sounding,
    /// The Horizontal Working Party on Cyber Issues drafts the text.
    WorkingParty,
    /// The Working Party of Foreign Relations Counsellors (RELEX) settles the legal acts of a
    /// CFSP decision, with the Council Legal Service.
    Relex,
    /// The Political and Security Committee (Art. 38 TEU).
    Psc,
    /// COREPER II, the ambassadors (Art. 16(7) TEU).
    Coreper,
    /// Adoption at a Council meeting (usually as an "A" item, without debate).
    Council,
    /// Adoption by written procedure (Council Rules of Procedure, Art. 12(1)).
    WrittenProcedure,
    /// Agreement by silence procedure through the COREU network: the text is agreed unless a
    /// Member State breaks the silence before the deadline.
    SilenceProcedure,
}

impl Stage {
    /// Whether the text is still being drafted here (the Presidency's soundings, the working
    /// party): what happens stays among diplomats, and the Presidency may redraft it.
    pub fn drafting(self) -> bool {
        matches!(self, Stage::Sounding | Stage::WorkingParty)
    }

    /// Name a diplomat would use.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Sounding => "Presidency sounding",
            Stage::WorkingParty => "Horizontal Working Party on Cyber Issues",
            Stage::Relex => "RELEX working party (legal acts)",
            Stage::Psc => "Political and Security Committee",
            Stage::Coreper => "COREPER II",
            Stage::Council => "Council",
            Stage::WrittenProcedure => "written procedure",
            Stage::SilenceProcedure => "silence procedure",
        }
    }

    /// A short name for tables and the board: `HWPCI`, `PSC`, `COREPER II`.
    pub fn short(self) -> &'static str {
        match self {
            Stage::Sounding => "sounding",
            Stage::WorkingParty => "HWPCI",
            Stage::Relex => "RELEX",
            Stage::Psc => "PSC",
            Stage::Coreper => "COREPER II",
            Stage::Council => "Council",
            Stage::WrittenProcedure => "written procedure",
            Stage::SilenceProcedure => "silence procedure",
        }
    }

    /// Whether the file is adopted when this stage ends (the last stage of a path).
    pub fn adopts(self) -> bool {
        matches!(self, Stage::Council | Stage::WrittenProcedure | Stage::SilenceProcedure)
    }
}

/// One stage of a file's path and the story time it takes, written `(WorkingParty, "D+7")`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step(pub Stage, pub crate::scenario::StoryTime);

/// What kind of instrument a measure is, as the Toolbox and its users name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// A statement by the High Representative in her or his own name, or the spokesperson's.
    HrStatement,
    /// A declaration by the High Representative on behalf of the EU.
    Declaration,
    /// Council conclusions.
    Conclusions,
    /// A statement of solidarity with Member States' lawful responses.
    SolidarityStatement,
    /// Listing persons or entities under a sanctions framework.
    Listing,
    /// Establishing (or renewing) a sanctions framework.
    SanctionsFramework,
    /// An OSCE confidence-building measure.
    OsceCbm,
    /// Cooperation in the CSIRTs network.
    CsirtsNetwork,
    /// Crisis coordination in EU-CyCLONe.
    EuCyclone,
    /// A structured cyber dialogue.
    Dialogue,
    /// A démarche by EU Delegations.
    Demarche,
    /// A shared intelligence assessment.
    Assessment,
    /// Capacity building in third countries.
    CapacityBuilding,
    /// Awareness raising and advisories.
    Awareness,
    /// A Member State's own measure.
    NationalMeasure,
    /// A Treaty clause invoked by a Member State (Art. 42(7) TEU, Art. 222 TFEU).
    TreatyClause,
    /// Crisis-response arrangements (IPCR).
    CrisisResponse,
    /// Working with partners (NATO, the United States, the United Kingdom...).
    Partner,
    /// Law enforcement and judicial cooperation.
    LawEnforcement,
    /// Anything else.
    Other,
}

impl Kind {
    /// Whether it is a statement (the High Representative's, a declaration, conclusions, a
    /// statement of solidarity): what the EU says rather than does.
    pub fn is_statement(self) -> bool {
        matches!(
            self,
            Kind::HrStatement | Kind::Declaration | Kind::Conclusions | Kind::SolidarityStatement
        )
    }

    /// The name in `demarche toolbox --json`.
    pub fn code(self) -> &'static str {
        match self {
            Kind::HrStatement => "hr_statement",
            Kind::Declaration => "declaration",
            Kind::Conclusions => "conclusions",
            Kind::SolidarityStatement => "solidarity_statement",
            Kind::Listing => "listing",
            Kind::SanctionsFramework => "sanctions_framework",
            Kind::OsceCbm => "osce_cbm",
            Kind::CsirtsNetwork => "csirts_network",
            Kind::EuCyclone => "eu_cyclone",
            Kind::Dialogue => "dialogue",
            Kind::Demarche => "demarche",
            Kind::Assessment => "assessment",
            Kind::CapacityBuilding => "capacity_building",
            Kind::Awareness => "awareness",
            Kind::NationalMeasure => "national_measure",
            Kind::TreatyClause => "treaty_clause",
            Kind::CrisisResponse => "crisis_response",
            Kind::Partner => "partner",
            Kind::LawEnforcement => "law_enforcement",
            Kind::Other => "other",
        }
    }
}

/// A date from which something exists, and what it is, for the reason a measure is refused
/// before it: `(date: "2019-05-17", what: "the cyber sanctions regime (Decision (CFSP) 2019/797)")`.
/// The date is read once, when the Toolbox is loaded: a date that does not exist is refused
/// there, and eligibility, asked thousands of times a second in a batch, compares numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "DatedText", into = "DatedText")]
pub struct Dated {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// What came into being that day, as the reason will name it (shared: a refusal carries it).
    pub what: std::sync::Arc<str>,
    /// The same day, in days since 1970-01-01.
    day: i64,
}

/// [`Dated`] as written in the file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Dated")]
struct DatedText {
    date: String,
    what: String,
}

impl TryFrom<DatedText> for Dated {
    type Error = String;
    fn try_from(text: DatedText) -> Result<Self, String> {
        let day = crate::scenario::date_days(&text.date)
            .ok_or_else(|| format!("\"{}\" is not a date written YYYY-MM-DD", text.date))?;
        Ok(Dated {
            date: text.date,
            what: text.what.into(),
            day,
        })
    }
}

impl From<Dated> for DatedText {
    fn from(d: Dated) -> Self {
        DatedText {
            date: d.date,
            what: d.what.to_string(),
        }
    }
}

impl Dated {
    /// Days since 1970-01-01.
    pub fn days(&self) -> i64 {
        self.day
    }
}

/// Attribution confidence in estimative language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Confidence {
    /// Significant gaps.
    Low,
    /// Clear and convincing, alternatives possible.
    Moderate,
    /// No viable alternative.
    High,
}

impl Confidence {
    /// Posterior probability at which a judgement reaches moderate confidence.
    pub const MODERATE: f64 = 0.70;
    /// Posterior probability at which a judgement reaches high confidence.
    pub const HIGH: f64 = 0.90;

    /// The estimative band of a posterior probability.
    pub fn of(probability: f64) -> Self {
        if probability >= Self::HIGH {
            Confidence::High
        } else if probability >= Self::MODERATE {
            Confidence::Moderate
        } else {
            Confidence::Low
        }
    }

    /// The lowest probability in the band.
    pub fn threshold(self) -> f64 {
        match self {
            Confidence::Low => 0.0,
            Confidence::Moderate => Self::MODERATE,
            Confidence::High => Self::HIGH,
        }
    }

    /// The word used in assessments.
    pub fn label(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Moderate => "moderate",
            Confidence::High => "high",
        }
    }
}

/// What a measure does once it takes effect. Every field is 0 to 1; docs/model.md gives the
/// equation each one enters.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Effects {
    /// Signal of resolve: raises the adversary's belief that the EU will impose costs.
    pub resolve: f64,
    /// Cost imposed on the adversary.
    pub punishment: f64,
    /// How hostile the act looks to the adversary.
    pub provocation: f64,
    /// Costly reassurance: evidence that the EU is security-seeking.
    pub reassurance: f64,
    /// Strength added to confidence-building channels (OSCE CBMs 3, 8, 13).
    pub channel: f64,
    /// Information sharing among Member States (shared situational awareness).
    pub sharing: f64,
    /// Resilience: lowers the exposure of the Member States it reaches.
    pub resilience: f64,
    /// Cohesion gained by acting together.
    pub solidarity: f64,
    /// Share of the campaign's operations it takes down (seized servers, arrests): what law
    /// enforcement does to a group's infrastructure.
    pub disruption: f64,
    /// Evidence it makes public (an indictment, an arrest warrant, a partner's release), in
    /// days' worth of a near-certain forensic signal: it lifts every Member State's confidence
    /// in the party it names, and so the shared assessment.
    pub evidence: f64,
}

/// One rung of the ladder of attribution wordings: how an EU statement says who is responsible,
/// from condemning the activity without a name to naming units and individuals (which is what a
/// listing does). Each rung needs more shared confidence and costs more consensus; the adversary
/// reads the rung.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wording {
    /// Stable identifier: `condemn`, `territory`, `associated`, `partner`, `state`, `units`.
    pub id: std::sync::Arc<str>,
    /// The rung in a few words, as the picker's buttons and the records name it: "from the
    /// territory of".
    pub label: String,
    /// The formula as it would be published; `{state}` stands for the State held responsible and
    /// `{partners}` for the partners whose assessment the EU echoes.
    pub text: String,
    /// The formula when one Member State speaks for itself (a national attribution), with
    /// `{acting}` for that State; none for a rung only the EU uses.
    #[serde(default)]
    pub national: Option<String>,
    /// The formula when the High Representative speaks in her or his own name (a statement
    /// that is not the EU's: no Member State agreed it); none for a rung the High
    /// Representative does not use alone.
    #[serde(default)]
    pub own_name: Option<String>,
    /// The shared confidence (EU assessment probability) this rung needs, 0 to 1.
    pub min_confidence: f64,
    /// Whether it points at a State (so naming the wrong one is a false accusation).
    pub names: bool,
    /// How strong a signal it is, 0 to 1: multiplies the measure's signal of resolve.
    pub strength: f64,
    /// How reluctant a Member State unwilling to attribute publicly is to agree to it, 0 to 1.
    pub reluctance: f64,
    /// Whether it echoes a partner's published assessment, and so needs one.
    #[serde(default)]
    pub needs_partner: bool,
    /// Whether it reports that Member States have associated the activity with a State, and so
    /// needs one of them to have attributed the incident publicly (a national attribution).
    #[serde(default)]
    pub needs_national: bool,
    /// The real statement that used it.
    pub precedent: String,
}

/// The label of a rung of the ladder of wordings, by id, from the embedded catalogue (a scenario
/// changes what a measure does, never what its wordings are called); the id itself if unknown.
pub fn wording_label(id: &str) -> &str {
    Toolbox::embedded_ref()
        .wordings
        .iter()
        .find(|w| &*w.id == id)
        .map_or(id, |w| w.label.as_str())
}

/// Names in a sentence: "the United States", "the United States and Japan", "the United States,
/// Japan and Canada".
pub fn enumerate(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Who publishes a statement: what its formula says of whose words they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker<'a> {
    /// The EU: a text all Member States agreed (a declaration on behalf of the EU, Council
    /// conclusions, a listing).
    Union,
    /// The High Representative in her or his own name.
    HighRepresentative,
    /// One Member State for itself, by name.
    State(&'a str),
}

impl<'a> Speaker<'a> {
    /// Who speaks for a measure decided by `decider`; `acting` names the Member State when one
    /// speaks for itself.
    pub fn of(decider: super::Decider, acting: Option<&'a str>) -> Self {
        match (decider, acting) {
            (super::Decider::MemberState, Some(who)) => Speaker::State(who),
            (super::Decider::HighRepresentative, _) => Speaker::HighRepresentative,
            _ => Speaker::Union,
        }
    }
}

impl Wording {
    /// The statement as published, naming `state` and `partners`, in the words of its speaker
    /// (the EU's formula where the rung has none of the speaker's own).
    pub fn published(&self, state: &str, partners: &str, speaker: Speaker) -> String {
        match (speaker, &self.national, &self.own_name) {
            (Speaker::State(who), Some(text), _) => text.replace("{acting}", who).replace("{state}", state),
            (Speaker::HighRepresentative, _, Some(text)) => {
                text.replace("{state}", state).replace("{partners}", partners)
            }
            _ => self.text.replace("{state}", state).replace("{partners}", partners),
        }
    }
}

/// How an adversary answers an EU measure aimed at it: the range seen in the record from 2018 to
/// 2025 (denials, counter-sanctions, tit-for-tat expulsions, a harsher campaign, quiet restraint),
/// not military escalation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reaction {
    /// It denies any involvement: the usual answer, with no effect beyond the words.
    Denial,
    /// It lists EU officials and firms in return: Member States with ties pay, and the crisis
    /// climbs a little.
    CounterSanctions,
    /// It expels diplomats of the Member States that acted.
    Expulsions,
    /// It steps up its campaign. What the EU sees that week is the warning ("will not go
    /// unanswered"); the step itself shows only in its later operations (model 7).
    HarsherCampaign,
    /// It quietly scales its operations back.
    QuietRestraint,
}

impl Reaction {
    /// What the adversary did, as a headline: "Russia denies any involvement".
    pub fn headline(self, adversary: &str) -> String {
        match self {
            Reaction::Denial => format!("{adversary} denies any involvement"),
            Reaction::CounterSanctions => {
                format!("{adversary} answers with counter-sanctions on EU officials and firms")
            }
            Reaction::Expulsions => format!("{adversary} expels diplomats of the Member States that acted"),
            Reaction::HarsherCampaign => {
                format!("{adversary} warns that the EU's measures will not go unanswered")
            }
            Reaction::QuietRestraint => format!("{adversary} quietly scales its operations back"),
        }
    }
}

/// One Toolbox measure, as written in `assets/toolbox.ron`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureData {
    /// Stable identifier used by scenarios, replays and policies.
    pub id: String,
    /// Name shown to players.
    pub name: String,
    /// Its family.
    pub family: Family,
    /// What kind of instrument it is.
    pub kind: Kind,
    /// Who decides.
    pub decided_by: Decider,
    /// The decision rule.
    pub rule: Rule,
    /// Attribution confidence needed to take it; `None` when no attribution is needed.
    #[serde(default)]
    pub attribution: Option<Confidence>,
    /// Whether it publicly names the party held responsible (political attribution).
    #[serde(default)]
    pub names_perpetrator: bool,
    /// Story time from tabling to effect, over the whole path of the file (for a Council file:
    /// soundings, the working party, PSC, COREPER, the Council or the written procedure).
    pub lead_time: crate::scenario::StoryTime,
    /// For a Council file, the stages it goes through, in order, with the story time each takes;
    /// they add up to at most `lead_time`, the rest being publication and entry into force. The
    /// file is adopted when the last stage (the Council, a written or a silence procedure) ends.
    #[serde(default)]
    pub path: Vec<Step>,
    /// For a decision that lapses unless renewed (under Decision (CFSP) 2019/797 the list is
    /// reviewed at least every 12 months and the framework is extended for a period at a time),
    /// the time from its entry into force to its review: a new vote by the same rule, and a veto
    /// point.
    #[serde(default)]
    pub review_every: Option<crate::scenario::StoryTime>,
    /// Days on which the Council takes the measure up by itself (`YYYY-MM-DD`): the framework's
    /// expiry dates, before which its extension is decided. People do not table it; it comes to
    /// the Council, and a Member State can refuse it.
    #[serde(default)]
    pub scheduled: Vec<String>,
    /// For a decision reviewed with others on a fixed day each year, that day as `MM-DD`: the
    /// cyber regime's listings all come up for renewal each 18 May, with the framework (a
    /// listing of October is first reviewed the next May).
    #[serde(default)]
    pub review_on: Option<String>,
    /// Political and economic cost to Member States, 0 to 1, weighted by their ties with the target.
    pub cost: f64,
    /// Rung on the EU's response ladder, 0 to 1, compared with the incident's severity to judge
    /// proportionality.
    pub intensity: f64,
    /// How unambiguous the signal is, 0 to 1.
    pub clarity: f64,
    /// What it does.
    pub effects: Effects,
    /// The OSCE confidence-building measure it implements, if any.
    #[serde(default)]
    pub osce_cbm: Option<u8>,
    /// Whether it can only answer a State (or a group a State directs): expelling officers,
    /// countermeasures and collective defence have no addressee in a criminal gang.
    #[serde(default)]
    pub against_states_only: bool,
    /// The rungs of the ladder of attribution wordings it can be drafted at, by id, lowest first
    /// (empty for a measure that is not a statement of who is responsible).
    #[serde(default)]
    pub wordings: Vec<std::sync::Arc<str>>,
    /// What the adversary answers it with in kind, when it answers in kind: counter-sanctions for
    /// a listing, expelled diplomats for expelled officers (the record of 2018 to 2025).
    #[serde(default)]
    pub answered_in_kind: Option<Reaction>,
    /// The adversaries it can be aimed at, by id, when it is for some of them only: a regime for
    /// some (the 2024 regime on Russia's destabilising activities), a dialogue the EU holds with
    /// some (its cyber dialogue with China, none with Russia); empty for any.
    #[serde(default)]
    pub only_against: Vec<String>,
    /// Severity the incident must reach for the measure to be invoked at all (0 to 1).
    #[serde(default)]
    pub min_severity: f64,
    /// Whether players may take it in this scenario (a scenario can withhold measures).
    #[serde(default = "available_by_default")]
    pub available: bool,
    /// The day it comes to exist (the sanctions regime: 17 May 2019); refused before, unless the
    /// scenario assumes it or `enabled_by` was adopted in the run.
    #[serde(default)]
    pub exists_from: Option<Dated>,
    /// A measure whose adoption in the run makes this one possible before `exists_from`
    /// (establishing the sanctions framework makes listings possible).
    #[serde(default)]
    pub enabled_by: Option<std::sync::Arc<str>>,
    /// The day from which it is pointless because what it would create exists (establishing
    /// the sanctions framework after 17 May 2019).
    #[serde(default)]
    pub superseded_from: Option<Dated>,
    /// Whether the scenario assumes it exists before `exists_from` (its `assume_available`).
    #[serde(skip)]
    pub assumed: bool,
    /// Legal basis or source text.
    #[serde(default)]
    pub legal_basis: String,
    /// What it is, for players.
    #[serde(default)]
    pub description: String,
}

/// A file's path stretched or shortened in proportion when a scenario overrides the lead time
/// (a scenario compressing a listing to four weeks compresses each stage alike).
fn rescale(path: &[Step], from: crate::scenario::StoryTime, to: crate::scenario::StoryTime) -> Vec<Step> {
    if from.hours == 0 {
        return path.to_vec();
    }
    path.iter()
        .map(|Step(stage, takes)| {
            let hours = u64::from(takes.hours) * u64::from(to.hours) / u64::from(from.hours);
            Step(
                *stage,
                crate::scenario::StoryTime {
                    hours: u32::try_from(hours).unwrap_or(u32::MAX),
                },
            )
        })
        .collect()
}

impl MeasureData {
    /// Whether it names the party held responsible when drafted at this rung of its wording (or,
    /// not worded, by itself): a statement names only at a rung that does.
    pub fn names_at(&self, rung: Option<&Wording>) -> bool {
        rung.map_or(self.names_perpetrator, |w| w.names && self.names_perpetrator)
    }

    /// Story time of the whole path, from tabling to adoption.
    pub fn path_time(&self) -> crate::scenario::StoryTime {
        crate::scenario::StoryTime {
            hours: self.path.iter().map(|s| s.1.hours).sum(),
        }
    }
}

fn available_by_default() -> bool {
    true
}

/// Index of a measure in the [`Toolbox`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct MeasureId(pub usize);

/// The catalogue of measures the players can choose from.
#[derive(Resource, Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Toolbox {
    /// The ladder of attribution wordings, lowest rung first.
    #[serde(default)]
    pub wordings: Vec<Wording>,
    /// Every measure, grouped by family.
    pub measures: Vec<MeasureData>,
}

impl Toolbox {
    /// The embedded catalogue, a copy to change (a scenario's overrides).
    pub fn embedded() -> Self {
        Self::embedded_ref().clone()
    }

    /// The embedded catalogue, parsed once for the whole program.
    pub fn embedded_ref() -> &'static Self {
        static EMBEDDED: std::sync::OnceLock<Toolbox> = std::sync::OnceLock::new();
        EMBEDDED.get_or_init(|| {
            crate::scenario::ron_options()
                .from_str(DEFAULT_TOOLBOX)
                .expect("assets/toolbox.ron is checked by the tests")
        })
    }

    /// Looks a measure up by id.
    pub fn find(&self, id: &str) -> Option<MeasureId> {
        self.measures.iter().position(|m| m.id == id).map(MeasureId)
    }

    /// Applies a scenario's overrides; unknown ids are the scenario checker's business.
    pub fn apply(&mut self, overrides: &std::collections::BTreeMap<String, crate::scenario::MeasureOverride>) {
        for (id, o) in overrides {
            let Some(m) = self.measures.iter_mut().find(|m| &m.id == id) else {
                continue;
            };
            if let Some(lead) = o.lead_time {
                m.path = rescale(&m.path, m.lead_time, lead);
                m.lead_time = lead;
            }
            m.cost = o.cost.unwrap_or(m.cost);
            m.intensity = o.intensity.unwrap_or(m.intensity);
            m.available = o.available.unwrap_or(m.available);
        }
    }

    /// The Toolbox as a scenario plays it: its overrides applied, its assumptions marked.
    pub fn fit(&mut self, scenario: &crate::scenario::Scenario) {
        self.apply(&scenario.toolbox);
        self.assume(&scenario.assume_available);
    }

    /// Marks the measures a scenario assumes exist although its date comes before them.
    pub fn assume(&mut self, ids: &[String]) {
        for m in &mut self.measures {
            m.assumed = ids.contains(&m.id);
        }
    }

    /// The measure behind an id.
    pub fn get(&self, id: MeasureId) -> &MeasureData {
        &self.measures[id.0]
    }

    /// The rungs a measure can be worded at, lowest first (none for a measure that is not a
    /// statement).
    pub fn rungs<'a>(&'a self, measure: &'a MeasureData) -> impl DoubleEndedIterator<Item = &'a Wording> + 'a {
        measure
            .wordings
            .iter()
            .filter_map(|id| self.wordings.iter().find(|w| w.id == *id))
    }

    /// The wording a proposal asks for: the rung named, or the measure's highest when it names
    /// none. `Err` with the measure's rungs when the rung named is not one of them; `Ok(None)`
    /// for a measure without wordings.
    pub fn wording<'a>(
        &'a self,
        measure: &'a MeasureData,
        asked: Option<&str>,
    ) -> Result<Option<&'a Wording>, Vec<String>> {
        match asked {
            None => Ok(self.rungs(measure).next_back()),
            Some(id) => self
                .rungs(measure)
                .find(|w| &*w.id == id)
                .map(Some)
                .ok_or_else(|| self.rungs(measure).map(|w| w.id.to_string()).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_toolbox_has_all_five_families_and_fifteen_measures() {
        let toolbox = Toolbox::embedded();
        assert!(toolbox.measures.len() >= 15);
        for family in Family::ALL {
            assert!(
                toolbox.measures.iter().any(|m| m.family == family),
                "{family:?} is empty"
            );
        }
    }

    #[test]
    fn measure_ids_are_unique_and_figures_in_range() {
        let toolbox = Toolbox::embedded();
        for (i, m) in toolbox.measures.iter().enumerate() {
            assert_eq!(toolbox.find(&m.id), Some(MeasureId(i)), "duplicate id {}", m.id);
            let e = m.effects;
            for (name, v) in [
                ("cost", m.cost),
                ("intensity", m.intensity),
                ("clarity", m.clarity),
                ("resolve", e.resolve),
                ("punishment", e.punishment),
                ("provocation", e.provocation),
                ("reassurance", e.reassurance),
                ("channel", e.channel),
                ("sharing", e.sharing),
                ("resilience", e.resilience),
                ("solidarity", e.solidarity),
                ("min_severity", m.min_severity),
            ] {
                assert!((0.0..=1.0).contains(&v), "{}: {name} = {v}", m.id);
            }
        }
    }

    #[test]
    fn restrictive_measures_are_cfsp_decisions_and_listings_need_high_confidence() {
        let toolbox = Toolbox::embedded();
        for m in toolbox.measures.iter().filter(|m| m.family == Family::Restrictive) {
            assert_eq!((m.decided_by, m.rule), (Decider::Council, Rule::Unanimity), "{}", m.id);
            if m.kind == Kind::Listing {
                assert_eq!(m.attribution, Some(Confidence::High), "{}", m.id);
                assert!(
                    m.lead_time >= crate::scenario::StoryTime::days(30),
                    "{}: listings take months",
                    m.id
                );
            }
        }
    }

    #[test]
    fn each_kind_is_decided_by_whom_and_by_the_rule_the_treaties_say() {
        let toolbox = Toolbox::embedded();
        for m in &toolbox.measures {
            let expected = match m.kind {
                Kind::Declaration | Kind::Conclusions | Kind::SolidarityStatement => {
                    (Decider::Council, Rule::Consensus)
                }
                Kind::Listing | Kind::SanctionsFramework => (Decider::Council, Rule::Unanimity),
                Kind::OsceCbm | Kind::NationalMeasure | Kind::TreatyClause => (Decider::MemberState, Rule::National),
                Kind::CsirtsNetwork => (Decider::CsirtsNetwork, Rule::OwnAuthority),
                Kind::EuCyclone => (Decider::EuCyclone, Rule::OwnAuthority),
                Kind::HrStatement | Kind::Demarche | Kind::Dialogue | Kind::Assessment => {
                    (Decider::HighRepresentative, Rule::OwnAuthority)
                }
                _ => (m.decided_by, m.rule),
            };
            assert_eq!((m.decided_by, m.rule), expected, "{}", m.id);
            assert_eq!(
                m.rule.voted(),
                m.decided_by == Decider::Council,
                "{}: only the Council votes",
                m.id
            );
            if m.kind == Kind::CapacityBuilding {
                assert_eq!(m.effects.resilience, 0.0, "{}: it serves third countries", m.id);
            }
        }
    }

    #[test]
    fn dates_read_and_enabling_measures_exist() {
        let toolbox = Toolbox::embedded();
        for m in &toolbox.measures {
            for dated in [&m.exists_from, &m.superseded_from].into_iter().flatten() {
                assert_eq!(crate::scenario::date_days(&dated.date), Some(dated.days()), "{}", m.id);
            }
            if let Some(id) = &m.enabled_by {
                assert!(toolbox.find(id).is_some(), "{}: enabled_by {id}", m.id);
            }
        }
    }

    #[test]
    fn estimative_bands() {
        assert_eq!(Confidence::of(0.5), Confidence::Low);
        assert_eq!(Confidence::of(0.7), Confidence::Moderate);
        assert_eq!(Confidence::of(0.95), Confidence::High);
    }
}
