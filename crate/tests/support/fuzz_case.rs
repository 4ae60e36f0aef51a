// One input of the fuzz target (fuzz/fuzz_targets/scenario.rs) and of the corpus replay
// test (crate/tests/fuzz_corpus.rs): everything a link or a file can carry, as bytes.
// It panics when the engine panics or an invariant breaks; otherwise it returns.
//
// The input is read as scenario text when it starts with anything but `{`, else as the
// JSON form (a scenario object). A scenario that parses must print and parse back to
// itself; its operations (at most MAX_OPS of them) are applied one at a time, and after
// each: a refused operation changed nothing, no table is orphaned, and every process's
// divergence classes add up to the kernel's slots.

use vmsync::script::{parse, to_text, Scenario, Session, Step};

const MAX_OPS: usize = 64;

pub fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let sc: Scenario = if text.trim_start().starts_with('{') {
        match serde_json::from_str(&text) {
            Ok(sc) => sc,
            Err(_) => return,
        }
    } else {
        match parse(&text) {
            Ok(sc) => sc,
            Err(e) => {
                assert!(!e.message.is_empty());
                return;
            }
        }
    };
    // The text form round-trips.
    if let Ok(again) = parse(&to_text(&sc)) {
        assert_eq!(again.steps, sc.steps, "text round trip");
    } else {
        // A JSON scenario may hold what no text line can say; nothing to compare then.
        assert!(
            text.trim_start().starts_with('{'),
            "printed text does not parse"
        );
    }
    let Ok(cfg) = sc.config.to_config() else {
        return;
    };
    let Ok(mut s) = Session::new(cfg) else {
        return;
    };
    let slots = s.machine().layout().kernel_sync_slots() as u64;
    for op in sc
        .steps
        .iter()
        .filter_map(|st| match st {
            Step::Op(op) => Some(op.clone()),
            _ => None,
        })
        .take(MAX_OPS)
    {
        let before = s.state_hash();
        if s.apply(op).is_err() {
            assert_eq!(
                s.state_hash(),
                before,
                "a refused operation changed the state"
            );
        }
        assert_eq!(s.machine().orphan_tables(), 0, "orphaned tables");
        for p in s.processes() {
            let d = p.divergence;
            let sum = (d.same + d.missing + d.stale + d.different + d.private) as u64;
            assert_eq!(sum, slots, "divergence classes of {} do not add up", p.name);
        }
    }
}
