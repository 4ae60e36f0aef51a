//! Snapshot tests of the words a learner reads: for every scenario file (the engine's in
//! tests/scenarios, and the guided tours in www/scenarios), the ptdump of the reference
//! table and of every live process at the end of the run, one file per scenario in
//! tests/snapshots/<dir>-<stem>.ptdump (dir is `crate` or `www`).
//!
//! `UPDATE_EXPECT=1 cargo test --test snapshots` rewrites the snapshots (and removes those
//! of scenarios that no longer exist); review the change in the git diff.

use expect_test::expect_file;
use std::path::{Path, PathBuf};
use vmsync::script::{parse, Session};

#[path = "support/scenario_files.rs"]
mod support;

/// Every scenario file, its path from the repository root, and the name of its snapshot.
fn scenario_files() -> Vec<(PathBuf, String, String)> {
    let mut files: Vec<_> = support::scenario_files()
        .into_iter()
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let (shown, prefix) = if path.parent().unwrap().ends_with("www/scenarios") {
                ("www/scenarios", "www")
            } else {
                ("crate/tests/scenarios", "crate")
            };
            let shown = format!("{shown}/{stem}.vms");
            (path, shown, format!("{prefix}-{stem}.ptdump"))
        })
        .collect();
    files.sort_by(|a, b| a.2.cmp(&b.2));
    files
}

/// The snapshot text of one scenario: it runs step by step, and where a step fails the
/// snapshot says so (with the error) and holds the tables as they are at that point.
fn snapshot(text: &str) -> String {
    let sc = match parse(text) {
        Ok(sc) => sc,
        Err(e) => return format!("=== does not parse: {e}\n"),
    };
    let cfg = match sc.config.to_config() {
        Ok(c) => c,
        Err(e) => return format!("=== bad config: {e}\n"),
    };
    let mut session = match Session::new(cfg) {
        Ok(s) => s,
        Err(e) => return format!("=== does not boot: {e}\n"),
    };
    let mut out = String::new();
    for i in 0..sc.steps.len() {
        if let Err(e) = session.step(&sc, i) {
            out.push_str(&format!("=== stopped: {e}\n"));
            break;
        }
    }
    let dump = |name: Option<&str>| session.ptdump(name, None).expect("ptdump of a live table");
    out.push_str("=== reference (init_mm)\n");
    out.push_str(&dump(None));
    for p in session.processes() {
        out.push_str(&format!("=== process {} (pid {})\n", p.name, p.pid));
        out.push_str(&dump(Some(&p.name)));
    }
    out
}

fn updating() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some()
}

#[test]
fn every_scenario_ptdump_matches_its_snapshot() {
    let files = scenario_files();
    assert!(
        files.len() >= 15,
        "found only {} scenario files",
        files.len()
    );
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    if updating() {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut failed = Vec::new();
    for (path, shown, name) in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let actual = snapshot(&text);
        assert!(actual.contains("=== reference"), "{shown}: {actual}");
        if !updating() && !dir.join(name).exists() {
            failed.push(format!(
                "tests/snapshots/{name}: missing, the snapshot of {shown} (run with UPDATE_EXPECT=1)"
            ));
            continue;
        }
        // expect_file! resolves the path against this file's directory, prints the diff on
        // a difference, and writes the file under UPDATE_EXPECT=1.
        let check = std::panic::catch_unwind(|| {
            expect_file![format!("snapshots/{name}")].assert_eq(&actual);
        });
        if check.is_err() {
            failed.push(format!(
                "tests/snapshots/{name}: differs from the ptdump of {shown}"
            ));
        }
    }
    assert!(failed.is_empty(), "\n{}", failed.join("\n"));
}

#[test]
fn no_snapshot_outlives_its_scenario() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let wanted: Vec<String> = scenario_files().into_iter().map(|f| f.2).collect();
    let mut stale = Vec::new();
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !wanted.contains(&name) {
            if updating() {
                std::fs::remove_file(e.path()).unwrap();
                println!("removed stale snapshot tests/snapshots/{name}");
            } else {
                stale.push(format!("tests/snapshots/{name}"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale snapshots (no scenario file; remove them or run with UPDATE_EXPECT=1): {}",
        stale.join(", ")
    );
}
