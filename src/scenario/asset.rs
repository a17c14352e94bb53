//! Scenarios as Bevy assets, for the desktop app: a loader that runs the checker, and a follower
//! that swaps in each good edit of the open scenario and keeps the last good version running
//! when an edit is broken, holding the diagnostics for the window to show.

use super::Scenario;
use super::check::{CheckReport, check_text, render};
use crate::actors::ActorsData;
use crate::toolbox::Toolbox;
use bevy::asset::io::AssetSourceBuilder;
use bevy::asset::io::Reader;
use bevy::asset::{AssetLoader, LoadContext};
use bevy::prelude::*;

/// A scenario file as loaded: the checker's report, with the scenario when it parsed.
#[derive(Asset, TypePath, Debug)]
pub struct ScenarioAsset {
    /// What the checker found, the text and, when it parsed, the scenario.
    pub report: CheckReport,
}

/// Loads `.ron` scenario files through the checker. It never fails on content: a broken file
/// loads as a report of its problems, so the window can show them.
#[derive(Default, TypePath)]
pub struct ScenarioLoader;

impl AssetLoader for ScenarioLoader {
    type Asset = ScenarioAsset;
    type Settings = ();
    type Error = std::io::Error;

    async fn load(
        &self,
        reader: &mut dyn Reader,
        _settings: &(),
        load_context: &mut LoadContext<'_>,
    ) -> Result<ScenarioAsset, std::io::Error> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).await?;
        let path = load_context.path().to_string();
        let text = String::from_utf8(bytes).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{path} is not UTF-8 text: {e}"),
            )
        })?;
        Ok(ScenarioAsset {
            report: check_text(&path, &text, &ActorsData::embedded(), &Toolbox::embedded()),
        })
    }

    fn extensions(&self) -> &[&str] {
        &["ron"]
    }
}

/// The scenario open in the window, and its last good version.
#[derive(Resource, Debug)]
pub struct OpenScenario {
    /// The file being followed.
    pub handle: Handle<ScenarioAsset>,
    /// The last version that passed the checker: what the exercise runs.
    pub good: Option<Scenario>,
    /// The checker's explanation of the latest version, when it is broken.
    pub diagnostics: Option<String>,
    /// How many versions of the file have been loaded.
    pub revision: u32,
}

impl OpenScenario {
    /// Starts following a scenario file.
    pub fn new(handle: Handle<ScenarioAsset>) -> Self {
        Self {
            handle,
            good: None,
            diagnostics: None,
            revision: 0,
        }
    }
}

/// Registers the `scenarios://` asset source (the project's `scenarios/` folder). Call it before
/// Bevy's `AssetPlugin` is added.
pub fn register_source(app: &mut App) {
    app.register_asset_source("scenarios", AssetSourceBuilder::platform_default("scenarios", None));
}

/// The scenario asset and the follower. Needs Bevy's `AssetPlugin`.
pub fn plugin(app: &mut App) {
    app.init_asset::<ScenarioAsset>().init_asset_loader::<ScenarioLoader>();
    app.add_systems(Update, follow_open_scenario);
}

/// Takes in each new version of the open scenario: a good one replaces the running version, a
/// broken one leaves it running and brings its diagnostics.
fn follow_open_scenario(
    mut events: MessageReader<AssetEvent<ScenarioAsset>>,
    assets: Res<Assets<ScenarioAsset>>,
    open: Option<ResMut<OpenScenario>>,
) {
    let Some(mut open) = open else {
        events.clear();
        return;
    };
    for event in events.read() {
        let (AssetEvent::Added { id } | AssetEvent::Modified { id }) = event else {
            continue;
        };
        if *id != open.handle.id() {
            continue;
        }
        let Some(asset) = assets.get(*id) else { continue };
        open.revision += 1;
        if asset.report.playable() {
            open.good = asset.report.scenario.clone();
            open.diagnostics = None;
        } else {
            open.diagnostics = Some(render::human(&asset.report));
        }
    }
}

/// The scenario files in a folder, sorted, with their titles (or why they cannot be read): the
/// scenario choice screen's list.
pub fn library(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Result<String, String>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let title = super::load_scenario(&path, &ActorsData::embedded())
                .map(|s| s.title)
                .map_err(|e| e.to_string());
            (path, title)
        })
        .collect()
}
