//! Spawning the cast of a scenario, and the roster that keeps it in a fixed order.
//!
//! Queries iterate in storage order; the roster gives every system the same protocol order
//! (Member States) and cast order (adversaries), which is what makes random draws reproducible.

use super::*;
use crate::scenario::Scenario;

/// The last attribution candidate: none of the scenario's adversaries.
const ANOTHER_ACTOR: &str = "another actor";

/// The cast in fixed order.
#[derive(Resource, Debug, Clone, Default)]
pub struct Roster {
    /// Member State entities in protocol order.
    pub member_states: Vec<Entity>,
    /// Member State codes, same order (shared, since every vote record carries them).
    pub codes: Vec<std::sync::Arc<str>>,
    /// Member States' populations in thousands, same order (Art. 31(1) TEU).
    pub populations: Vec<u32>,
    /// Each Member State's attribution capability, in protocol order: a copy of its
    /// [`AttributionCapability`], which does not change within a run, read by attribution on
    /// every incident of every turn without a lookup per Member State.
    pub capabilities: Vec<f64>,
    /// Adversary entities in cast order.
    pub adversaries: Vec<Entity>,
    /// Adversary ids, same order.
    pub adversary_ids: Vec<String>,
    /// Adversary display names, same order, then "another actor": the names of the attribution
    /// candidates, shared by the records that name a suspect every turn.
    pub candidate_names: Vec<std::sync::Arc<str>>,
    /// The High Representative.
    pub high_representative: Option<Entity>,
    /// The Commission.
    pub commission: Option<Entity>,
    /// The Council.
    pub council: Option<Entity>,
    /// Third countries' and organisations' names by code, for partners' statements.
    /// (Shared: the roster is cloned at every run of a batch.)
    pub partner_names: std::sync::Arc<std::collections::BTreeMap<String, String>>,
    /// Member States' names as they open a published national statement ("The Netherlands"),
    /// same order as `member_states` (shared, as `partner_names`).
    pub state_names: std::sync::Arc<Vec<String>>,
    /// Adversary ids as every turn's record carries them, same order as `adversaries`.
    pub adversary_keys: Vec<std::sync::Arc<str>>,
    /// The cast's eras (turning points in the Member States' relations with an adversary), in
    /// date order: those whose day has come are in effect in every Member State's [`Attitudes`].
    pub eras: Vec<Era>,
}

/// A turning point in the Member States' relations with one adversary of the cast
/// ([`super::data::EraData`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Era {
    /// The adversary, by cast index.
    pub adversary: usize,
    /// Its first day, in days since 1970-01-01.
    pub from: i64,
    /// Added to every stance towards it.
    pub stance: f64,
    /// Multiplies every Member State's ties with it.
    pub ties: f64,
    /// Share of what confidence building does that still reaches it.
    pub confidence_building: f64,
    /// The least it believes of EU resolve.
    pub resolve_floor: f64,
}

impl Roster {
    /// How many of the cast's eras are in effect on a day (none on a scenario without dates).
    pub fn eras_on(&self, day: Option<i64>) -> usize {
        day.map_or(0, |day| self.eras.iter().take_while(|e| e.from <= day).count())
    }

    /// The era an adversary is in on a day: its latest era whose day has come, if any.
    pub fn era_of(&self, adversary: usize, day: Option<i64>) -> Option<&Era> {
        self.eras[..self.eras_on(day)]
            .iter()
            .rev()
            .find(|e| e.adversary == adversary)
    }
}

impl Roster {
    /// Roster index of a Member State by code.
    pub fn state_index(&self, code: &str) -> Option<usize> {
        self.codes.iter().position(|c| &**c == code)
    }

    /// Roster index of an adversary by id.
    pub fn adversary_index(&self, id: &str) -> Option<usize> {
        self.adversary_ids.iter().position(|a| a == id)
    }

    /// Number of attribution candidates: every cast adversary and "another actor".
    pub fn candidates(&self) -> usize {
        self.adversaries.len() + 1
    }

    /// Name of an attribution candidate.
    pub fn candidate_name(&self, candidate: usize) -> &str {
        self.candidate_names.get(candidate).map_or(ANOTHER_ACTOR, |name| name)
    }

    /// Name of an attribution candidate, shared.
    pub fn candidate_key(&self, candidate: usize) -> std::sync::Arc<str> {
        self.candidate_names
            .get(candidate)
            .map_or_else(|| ANOTHER_ACTOR.into(), std::sync::Arc::clone)
    }

    /// Display name of an adversary, by cast index.
    pub fn adversary_name(&self, adversary: usize) -> &str {
        self.candidate_names.get(adversary).map_or("", |name| name)
    }
}

/// Spawns the scenario's cast into the world and records it in the [`Roster`]. The scenario has
/// been validated, so every id it uses exists.
pub fn spawn_cast(world: &mut World, actors: &ActorsData, scenario: &Scenario) {
    let mut roster = Roster {
        partner_names: std::sync::Arc::new(
            actors
                .third_countries
                .iter()
                .map(|c| (c.code.clone(), c.name.clone()))
                .collect(),
        ),
        ..Roster::default()
    };
    let cast: Vec<&AdversaryData> = scenario
        .adversaries
        .iter()
        .filter_map(|id| actors.adversaries.iter().find(|a| &a.id == id))
        .collect();
    // The cast's eras in date order (on a day, in cast order); an undated one is ignored (the
    // actors file's test checks every date).
    roster.eras = cast
        .iter()
        .enumerate()
        .flat_map(|(adversary, data)| {
            data.eras.iter().filter_map(move |era| {
                Some(Era {
                    adversary,
                    from: crate::scenario::date_days(&era.from)?,
                    stance: era.stance,
                    ties: era.ties,
                    confidence_building: era.confidence_building,
                    resolve_floor: era.resolve_floor,
                })
            })
        })
        .collect();
    roster.eras.sort_by_key(|e| e.from);
    for (index, data) in cast.iter().enumerate() {
        let o = scenario.adversary_overrides.get(&data.id).cloned().unwrap_or_default();
        let name = o.name.clone().unwrap_or_else(|| data.name.clone());
        let (posture, beliefs, campaign) = initial_adversary(data, &o);
        let sponsor = data.sponsor.as_ref().and_then(|s| cast.iter().position(|a| &a.id == s));
        let entity = world
            .spawn((
                Name::new(name.clone()),
                Adversary {
                    index,
                    id: data.id.clone(),
                    name: name.clone(),
                    kind: data.kind,
                    sponsor,
                    osce: data.osce,
                },
                posture,
                beliefs,
                campaign,
                Channel::default(),
            ))
            .id();
        roster.adversaries.push(entity);
        roster.adversary_ids.push(data.id.clone());
        roster.adversary_keys.push(std::sync::Arc::from(data.id.as_str()));
        roster.candidate_names.push(name.into());
    }
    roster.candidate_names.push(ANOTHER_ACTOR.into());
    for (index, data) in actors.members_of(scenario).enumerate() {
        let o = scenario.member_states.get(&data.code).cloned().unwrap_or_default();
        let per_adversary = |table: &std::collections::BTreeMap<String, f64>,
                             own: &std::collections::BTreeMap<String, f64>| {
            cast.iter()
                .map(|a| own.get(&a.id).or_else(|| table.get(&a.id)).copied().unwrap_or(0.0))
                .collect::<Vec<f64>>()
        };
        let capability = o.attribution_capability.unwrap_or(data.attribution_capability);
        let stance = per_adversary(&data.stance, &o.stance);
        let ties = per_adversary(&data.economic_ties, &o.economic_ties);
        let before = Before {
            own_stance: cast.iter().map(|a| o.stance.contains_key(&a.id)).collect(),
            own_ties: cast.iter().map(|a| o.economic_ties.contains_key(&a.id)).collect(),
            stance: stance.clone(),
            ties: ties.clone(),
        };
        let entity = world
            .spawn((
                Name::new(data.name.clone()),
                MemberState {
                    index,
                    code: data.code.clone(),
                    name: data.name.clone(),
                },
                AttributionCapability(capability),
                initial_exposure(data, &o),
                Attitudes {
                    stance,
                    ties,
                    candour: o.public_attribution.unwrap_or(data.public_attribution),
                    before,
                    eras: 0,
                },
            ))
            .id();
        roster.member_states.push(entity);
        roster.codes.push(std::sync::Arc::from(data.code.as_str()));
        let speaker = data.as_speaker.as_ref().unwrap_or(&data.name);
        std::sync::Arc::make_mut(&mut roster.state_names).push(speaker.clone());
        roster.populations.push(data.population);
        roster.capabilities.push(capability);
    }
    roster.high_representative = Some(
        world
            .spawn((
                Name::new("High Representative"),
                HighRepresentative {
                    name: "High Representative / EEAS".to_owned(),
                },
            ))
            .id(),
    );
    roster.commission = Some(
        world
            .spawn((
                Name::new("Commission"),
                Commission {
                    name: "European Commission".to_owned(),
                },
            ))
            .id(),
    );
    roster.council = Some(
        world
            .spawn((
                Name::new("Council"),
                Council {
                    presidency: roster.state_index(presidency_of(actors, scenario)).unwrap_or(0),
                    rotation: rotation(actors, scenario, &roster),
                },
            ))
            .id(),
    );
    world.insert_resource(roster);
}

/// The Member State holding the Council Presidency in a scenario: the one it assumes, else the
/// one in office on its start date.
pub fn presidency_of<'a>(actors: &'a ActorsData, scenario: &'a Scenario) -> &'a str {
    scenario.presidency.as_deref().unwrap_or_else(|| {
        actors
            .council
            .presidency_on(crate::scenario::date_days(&scenario.clock.start))
    })
}

/// The real Presidencies of the Member States at the table, unless the scenario assumes one.
fn rotation(actors: &ActorsData, scenario: &Scenario, roster: &Roster) -> Vec<(i64, usize)> {
    if scenario.presidency.is_some() {
        return Vec::new();
    }
    actors
        .council
        .presidencies
        .iter()
        .filter_map(|(first, code)| Some((crate::scenario::date_days(first)?, roster.state_index(code)?)))
        .collect()
}

/// The Presidency rotates with the story's date: each turn is chaired by the Presidency in
/// office at its middle, so for most of it (1 July 2017: Malta hands over to Estonia).
/// What the story's date decides: the Presidency of the Council, and the eras in effect in the
/// Member States' attitudes (a scenario may run across one: the Estonia case, from 2020 to 2025).
pub(super) fn follow_the_calendar(
    clock: Res<crate::turn::TurnClock>,
    roster: Res<Roster>,
    mut councils: Query<&mut Council>,
    mut attitudes: Query<&mut Attitudes>,
) {
    let day = clock.calendar.midday_of(clock.turn);
    for mut council in &mut councils {
        let presidency = council.presidency_on(day);
        if council.presidency != presidency {
            council.presidency = presidency;
        }
    }
    if roster.eras.is_empty() {
        return;
    }
    let eras = roster.eras_on(day);
    for mut a in &mut attitudes {
        if a.eras != eras {
            a.enter(&roster.eras, eras);
        }
    }
}

/// An adversary's mutable state at the start of a run.
fn initial_adversary(data: &AdversaryData, o: &crate::scenario::AdversaryOverride) -> (Posture, Beliefs, Campaign) {
    let resolve = o.resolve_belief.unwrap_or(data.resolve_belief);
    (
        Posture {
            intent: o.intent.unwrap_or(data.intent),
            capability: o.capability.unwrap_or(data.capability),
            risk_tolerance: o.risk_tolerance.unwrap_or(data.risk_tolerance),
            ceiling: o.ceiling.unwrap_or(data.ceiling),
        },
        Beliefs {
            resolve,
            trust: o.trust.unwrap_or(data.trust),
        },
        Campaign {
            activity: o.activity.unwrap_or(0.3),
            planned_resolve: resolve,
            ..default()
        },
    )
}

/// A Member State's exposure at the start of a run.
fn initial_exposure(data: &MemberStateData, o: &crate::scenario::MemberStateOverride) -> Exposure {
    Exposure(o.exposure.unwrap_or(data.exposure))
}

/// Puts an already spawned cast of the same scenario back in its starting state: only what a run
/// changes (adversaries' posture, beliefs, campaign and channel; Member States' exposure) is
/// rewritten, without despawning anything.
pub fn refresh_cast(world: &mut World, actors: &ActorsData, scenario: &Scenario) {
    // What each entity starts the run with, worked out while the roster is borrowed.
    let roster = world.resource::<Roster>();
    let no_adversary_override = crate::scenario::AdversaryOverride::default();
    let adversaries: Vec<(Entity, (Posture, Beliefs, Campaign))> = roster
        .adversaries
        .iter()
        .zip(&roster.adversary_ids)
        .filter_map(|(entity, id)| {
            let data = actors.adversaries.iter().find(|a| &a.id == id)?;
            let o = scenario.adversary_overrides.get(id).unwrap_or(&no_adversary_override);
            Some((*entity, initial_adversary(data, o)))
        })
        .collect();
    let no_state_override = crate::scenario::MemberStateOverride::default();
    let exposures: Vec<(Entity, Exposure)> = roster
        .member_states
        .iter()
        .zip(actors.members_of(scenario))
        .map(|(entity, data)| {
            let o = scenario.member_states.get(&data.code).unwrap_or(&no_state_override);
            (*entity, initial_exposure(data, o))
        })
        .collect();
    let council = roster
        .council
        .map(|entity| (entity, roster.state_index(presidency_of(actors, scenario)).unwrap_or(0)));
    for (entity, (posture, beliefs, campaign)) in adversaries {
        let mut e = world.entity_mut(entity);
        if let Some(mut p) = e.get_mut::<Posture>() {
            *p = posture;
        }
        if let Some(mut b) = e.get_mut::<Beliefs>() {
            *b = beliefs;
        }
        if let Some(mut c) = e.get_mut::<Campaign>() {
            *c = campaign;
        }
        if let Some(mut ch) = e.get_mut::<Channel>() {
            *ch = Channel::default();
        }
    }
    if let Some((entity, presidency)) = council
        && let Some(mut c) = world.entity_mut(entity).get_mut::<Council>()
    {
        c.presidency = presidency;
    }
    for (entity, exposure) in exposures {
        if let Some(mut x) = world.entity_mut(entity).get_mut::<Exposure>() {
            *x = exposure;
        }
    }
}
