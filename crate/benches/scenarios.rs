//! `cargo bench --bench scenarios -- FILE...`: the engine's own time for whole scenario
//! files, natively, the figures section (c) of `npm run bench` holds the wasm times to.
//!
//! For each file, the best and the median of `VMSYNC_BENCH_REPS` runs (default 7), after
//! one untimed run: the whole text parsed and run in one call (`Session::from_text`), and its
//! operations applied one by one as JSON text (`Session::apply_json_kept`, as the wasm `apply`) on a machine booted
//! from its configuration, as the page applies them. Prints one JSON line per file:
//! `{"file", "ops", "whole": {"best", "median"}, "op_by_op": {"best", "median"},
//! "state_hash"}`, times in ms, the hash as `0x` hex.

use std::time::Instant;
use vmsync::script::Session;

/// `{"best", "median"}` of some timings.
fn summary(mut xs: Vec<f64>) -> serde_json::Value {
    xs.sort_by(f64::total_cmp);
    serde_json::json!({"best": xs[0], "median": xs[xs.len() / 2]})
}

fn main() {
    let reps: usize = std::env::var("VMSYNC_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7)
        .max(1);
    // cargo passes `--bench` to a harness-less bench; anything else is a file.
    for file in std::env::args().skip(1).filter(|a| !a.starts_with("--")) {
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
        let first = Session::from_text(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let ops: Vec<String> = first
            .history()
            .iter()
            .map(vmsync::json_out::to_json)
            .collect();
        let config = first.config().clone();
        let mut whole = Vec::with_capacity(reps);
        let mut steps = Vec::with_capacity(reps);
        let mut hash = 0;
        for _ in 0..reps {
            let t = Instant::now();
            let s = Session::from_text(&text).expect("ran before");
            whole.push(t.elapsed().as_secs_f64() * 1e3);
            hash = s.state_hash();
            drop(s);
            let mut s = Session::new(config.clone()).expect("booted before");
            let t = Instant::now();
            for op in &ops {
                s.apply_json_kept(op).expect("applied before");
            }
            steps.push(t.elapsed().as_secs_f64() * 1e3);
            assert_eq!(s.state_hash(), hash, "{file}: op by op ends elsewhere");
        }
        println!(
            "{}",
            serde_json::json!({
                "file": file,
                "ops": ops.len(),
                "whole": summary(whole),
                "op_by_op": summary(steps),
                "state_hash": format!("{hash:#018x}"),
            })
        );
    }
}
