//! Scenarios are Bevy assets: the desktop app opens one from disk and follows the facilitator's
//! edits, swapping in good versions and keeping the last good one running when an edit breaks it.
#![cfg(feature = "gui")]

use bevy::prelude::*;
use demarche::scenario::asset::{OpenScenario, ScenarioAsset, plugin};
use std::time::Duration;

fn scenario_text(title: &str, victim: &str) -> String {
    format!(
        r#"Scenario(id: "live", title: "{title}", turns: 3, adversaries: ["borealia"],
            injects: [Inject(id: "a", at: Turn(1), title: "a",
                incident: IncidentSpec(perpetrator: "borealia", victims: ["{victim}"],
                    severity: (scope: 1, scale: 1, duration: 1, intensity: 1, complexity: 1, sophistication: 1, impact: 1)))])"#
    )
}

/// Runs the app until the open scenario reaches `revision`, or gives up after five seconds.
fn settle(app: &mut App, revision: u32) {
    for _ in 0..1000 {
        app.update();
        if app.world().resource::<OpenScenario>().revision >= revision {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("revision {revision} never arrived");
}

#[test]
fn a_broken_edit_keeps_the_last_good_version_and_explains_itself() {
    let dir = std::env::temp_dir().join(format!("demarche-assets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("live.ron");
    std::fs::write(&file, scenario_text("First draft", "DE")).unwrap();

    let mut app = App::new();
    app.add_plugins((
        MinimalPlugins,
        AssetPlugin {
            file_path: dir.display().to_string(),
            // Reloads are asked for explicitly below; the file watcher would race them.
            watch_for_changes_override: Some(false),
            ..default()
        },
        plugin,
    ));
    let handle = app.world().resource::<AssetServer>().load::<ScenarioAsset>("live.ron");
    app.insert_resource(OpenScenario::new(handle));
    settle(&mut app, 1);
    let open = app.world().resource::<OpenScenario>();
    assert_eq!(open.good.as_ref().map(|s| s.title.as_str()), Some("First draft"));
    assert!(open.diagnostics.is_none());

    // The facilitator saves a typo: the running version stays, the window gets the diagnostics.
    std::fs::write(&file, scenario_text("Second draft", "DX")).unwrap();
    app.world().resource::<AssetServer>().reload("live.ron");
    settle(&mut app, 2);
    let open = app.world().resource::<OpenScenario>();
    assert_eq!(open.good.as_ref().map(|s| s.title.as_str()), Some("First draft"));
    let diagnostics = open.diagnostics.as_deref().expect("a broken edit brings diagnostics");
    assert!(diagnostics.contains("unknown Member State \"DX\""), "{diagnostics}");
    assert!(
        diagnostics.contains("live.ron:3:"),
        "the diagnostics point at the line: {diagnostics}"
    );

    // The fix arrives and replaces the running version.
    std::fs::write(&file, scenario_text("Second draft", "DK")).unwrap();
    app.world().resource::<AssetServer>().reload("live.ron");
    settle(&mut app, 3);
    let open = app.world().resource::<OpenScenario>();
    assert_eq!(open.good.as_ref().map(|s| s.title.as_str()), Some("Second draft"));
    assert!(open.diagnostics.is_none());
}

#[test]
fn the_library_lists_the_shipped_scenarios_with_their_titles() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let library = demarche::scenario::asset::library(&dir);
    assert!(library.len() >= 4);
    for (path, title) in library {
        assert!(title.is_ok(), "{}: {title:?}", path.display());
    }
}
