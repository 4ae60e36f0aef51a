// Every scenario file: the engine's in crate/tests/scenarios and the guided tours in
// www/scenarios, sorted. Shared by the tests that run them all.

use std::path::{Path, PathBuf};

pub fn scenario_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [root.join("tests/scenarios"), root.join("../www/scenarios")] {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            if e.path().extension().is_some_and(|x| x == "vms") {
                files.push(e.path());
            }
        }
    }
    files.sort();
    files
}
