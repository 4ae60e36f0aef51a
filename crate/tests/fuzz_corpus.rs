//! The fuzz corpus (fuzz/corpus/scenario/, kept in the repository) replayed on the stable
//! toolchain: every input the coverage-guided fuzzer kept, run through the same checks as
//! the fuzz target (tests/support/fuzz_case.rs). `cargo +nightly fuzz run scenario` in
//! fuzz/ grows it.

#[path = "support/fuzz_case.rs"]
mod fuzz_case;

#[test]
fn every_corpus_input_passes_the_fuzz_checks() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/scenario");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let data = std::fs::read(e.path()).unwrap();
        fuzz_case::run(&data);
        n += 1;
    }
    assert!(n >= 30, "only {n} corpus inputs in {}", dir.display());
}
