// One input of the fuzz target (fuzz/fuzz_targets/scenario.rs) and of the corpus replay
// test (crate/tests/fuzz_corpus.rs): everything a link or a file can carry, as bytes.
// It panics when the engine panics or an invariant breaks; otherwise it returns.
//
// The input is read as scenario text when it starts with anything but `{`, else as the
// JSON form (`Scenario::from_json`). A scenario that parses must print and parse back to
// itself, in text and in JSON; its operations (at most MAX_OPS of them) are applied one at a time. At the end
// no table is orphaned, every process's divergence classes add up to the kernel's slots,
// and a fresh machine given only the accepted operations reaches the same state (so a
// refused operation changed nothing, and the engine is deterministic).

use vmsync::config::parse_size;
use vmsync::script::{parse, to_text, Scenario, ScriptOp, Session, Step};

const MAX_OPS: usize = 32;
/// Operations that map more than this are skipped: a big mapping is slow, and the same
/// code runs for a small one (the unit and property tests cover big ones).
const MAX_MAP: u64 = 8 << 20;

/// Whether `op` maps at most MAX_MAP bytes (or maps nothing).
fn small(op: &ScriptOp) -> bool {
    let size = match op {
        ScriptOp::Allocate { size, .. }
        | ScriptOp::Map { size, .. }
        | ScriptOp::Hotplug { size, .. } => size,
        _ => return true,
    };
    parse_size(size).map_or(true, |n| n <= MAX_MAP)
}

pub fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let sc: Scenario = if text.trim_start().starts_with('{') {
        match Scenario::from_json(&text) {
            Ok(sc) => sc,
            Err(e) => {
                assert!(!e.message.is_empty());
                return;
            }
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
    // The text form round-trips, and so does the JSON form.
    let again = parse(&to_text(&sc)).expect("a scenario prints as text that parses");
    assert_eq!(again.steps, sc.steps, "text round trip");
    let json = vmsync::json_out::to_json(&sc);
    let back = Scenario::from_json(&json).expect("its JSON form is a scenario");
    assert_eq!(back.steps, sc.steps, "JSON round trip");
    let Ok(cfg) = sc.config.to_config() else {
        return;
    };
    let Ok(mut s) = Session::new(cfg.clone()) else {
        return;
    };
    let slots = s.machine().layout().kernel_sync_slots() as u64;
    let mut accepted = Vec::new();
    for op in sc
        .steps
        .iter()
        .filter_map(|st| match st {
            Step::Op(op) if small(op) => Some(op.clone()),
            _ => None,
        })
        .take(MAX_OPS)
    {
        if s.apply(op.clone()).is_ok() {
            accepted.push(op);
        }
    }
    assert_eq!(s.machine().orphan_tables(), 0, "orphaned tables");
    for p in s.processes() {
        let d = p.divergence;
        let sum = (d.same + d.missing + d.stale + d.different + d.private) as u64;
        assert_eq!(sum, slots, "divergence classes of {} do not add up", p.name);
    }
    let mut again = Session::new(cfg).expect("the configuration booted once");
    for op in accepted {
        again
            .apply(op)
            .expect("an accepted operation is accepted again");
    }
    assert_eq!(
        again.state_hash(),
        s.state_hash(),
        "refused operations changed the state"
    );
}
