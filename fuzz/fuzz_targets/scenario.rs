//! Coverage-guided fuzzing of everything a link or a file can carry: scenario text and
//! its JSON form, applied operation by operation with the invariants checked after each
//! (crate/tests/support/fuzz_case.rs, which the stable test suite replays on the corpus).
#![no_main]

#[path = "../../crate/tests/support/fuzz_case.rs"]
mod fuzz_case;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_case::run(data));
