//! The writer held to serde: every text the engine writes is compared with what serde's
//! derived `Serialize` (kept for tests only) and serde_json write for the same value,
//! through the formatter the engine used before its own writer, which wrote a `u64` under
//! an address key as a hex string. The scenario files and tours give the values; property
//! tests give hostile strings, extreme numbers and every event and outcome (not every
//! kind comes up in a scenario).

use super::{to_json, Allocation, HistoryStep, ToJson};
use crate::event::{Event, Metrics, Why};
use crate::machine::{Access, OpResult, Outcome, Value, WalkStep};
use crate::memory::Owner;
use crate::mode::Level;
use crate::script::{ConfigSpec, Scenario, ScriptOp, Session, Step, TextStep, TourStep};
use crate::view::{ProcessInfo, SlotInfo};
use proptest::prelude::*;
use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};
use std::io;

/// The keys whose `u64`s the old writer wrote as hex strings, anywhere in a result.
const ADDRESS_KEYS: [&str; 15] = [
    "va",
    "last",
    "start",
    "end",
    "value",
    "old",
    "new",
    "raw",
    "reference_raw",
    "entry",
    "process_entry",
    "reference_entry",
    "phys",
    "reference",
    "target",
];

/// serde_json's compact output, except that a `u64` under an address key is written as a
/// hex string (the engine's writer before this one).
#[derive(Default)]
struct AddressesAsHex {
    in_key: bool,
    key: Vec<u8>,
}

impl Formatter for AddressesAsHex {
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.in_key = true;
        self.key.clear();
        CompactFormatter.begin_object_key(w, first)
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.in_key = false;
        CompactFormatter.end_object_key(w)
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        s: &str,
    ) -> io::Result<()> {
        if self.in_key {
            self.key.extend_from_slice(s.as_bytes());
        }
        CompactFormatter.write_string_fragment(w, s)
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.key.clear();
        CompactFormatter.begin_array_value(w, first)
    }

    fn write_u64<W: ?Sized + io::Write>(&mut self, w: &mut W, value: u64) -> io::Result<()> {
        if ADDRESS_KEYS.iter().any(|k| k.as_bytes() == self.key) {
            write!(w, "\"{value:#x}\"")
        } else {
            CompactFormatter.write_u64(w, value)
        }
    }
}

/// What the old writer wrote for the page: addresses under their keys as hex.
fn serde_hex<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, AddressesAsHex::default());
    value.serialize(&mut ser).expect("serde writes it");
    String::from_utf8(out).expect("UTF-8")
}

/// What serde_json's plain writer wrote (the catalog, comparisons, tours, scenarios).
fn serde_plain<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("serde writes it")
}

/// `stepResult` as the old binding built it.
#[derive(Serialize)]
struct OldEntry<'a> {
    op: &'a ScriptOp,
    #[serde(flatten)]
    result: &'a OpResult,
}

/// `allocations` as the old binding built it.
#[derive(Serialize)]
struct OldAllocation<'a> {
    name: &'a str,
    value: u64,
}

fn same<T: ToJson + ?Sized>(ours: &T, theirs: String, what: &str) {
    assert_eq!(to_json(ours), theirs, "{what}");
}

/// Every text a session gives the page, each compared with serde's.
fn check_session(s: &Session, what: &str) {
    for (i, op) in s.history().iter().enumerate() {
        let r = &s.record(i).expect("a record per entry").result;
        let step = HistoryStep { op, result: r };
        assert_eq!(
            step.text(),
            serde_hex(&OldEntry { op, result: r }),
            "{what}: step {i}"
        );
    }
    same(s.history(), serde_hex(s.history()), what);
    same(&s.layout_info(), serde_hex(&s.layout_info()), what);
    same(&s.processes(), serde_hex(&s.processes()), what);
    same(&s.table_bytes(), serde_hex(&s.table_bytes()), what);
    same(&s.metrics(), serde_hex(&s.metrics()), what);
    let allocs = s.allocations();
    let ours: Vec<Allocation> = allocs
        .iter()
        .map(|(name, value)| Allocation {
            name,
            value: *value,
        })
        .collect();
    let theirs: Vec<OldAllocation> = allocs
        .iter()
        .map(|(name, value)| OldAllocation {
            name,
            value: *value,
        })
        .collect();
    same(&ours, serde_hex(&theirs), what);
    let slots = s.layout_info().kernel_sync_slots as usize;
    let names = s.process_names();
    for p in std::iter::once(None).chain(names.iter().map(|n| Some(n.as_str()))) {
        for slot in 0..slots {
            let d = s.describe(p, slot).expect("a kernel slot");
            same(&d, serde_hex(&d), what);
        }
    }
    let spec = ConfigSpec::from_config(s.config());
    same(&spec, serde_plain(&spec), what);
    same(&s.scenario(), serde_plain(&s.scenario()), what);
    same(s.config(), serde_plain(s.config()), what);
}

pub(crate) fn scenario_files() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [root.join("tests/scenarios"), root.join("../www/scenarios")] {
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .expect("the scenario folder")
            .map(|e| e.expect("an entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "vms"))
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p).expect("a scenario file");
            files.push((p.display().to_string(), text));
        }
    }
    assert!(files.len() > 40, "the scenario files: {}", files.len());
    files
}

#[test]
fn every_scenario_and_tour_reads_as_serde_wrote_it() {
    let mut ops = 0;
    for (name, text) in scenario_files() {
        let sc = crate::script::parse(&text).expect("the scenario parses");
        same(&sc, serde_plain(&sc), &name);
        let mut s = Session::new(sc.config.to_config().expect("its config")).expect("boots");
        for i in 0..sc.steps.len() {
            // A scenario that fails on purpose stops there; what ran is still compared.
            let Ok(r) = s.step(&sc, i) else { break };
            same(&r, serde_hex(&r), &name);
            ops += usize::from(matches!(sc.steps[i], Step::Op(_)));
        }
        check_session(&s, &name);
        if let Ok(t) = crate::script::tour_steps(&text) {
            same(&t, serde_plain(&t), &name);
        }
        if let Ok(policies) = crate::compare::default_policies(&sc) {
            if let Ok(c) = crate::compare::compare(&sc, &policies) {
                same(&c, serde_plain(&c), &name);
            }
        }
    }
    assert!(ops > 200, "operations compared: {ops}");
    let cat = crate::catalog::catalog();
    same(&cat, serde_plain(&cat), "the catalog");
}

/// Strings that need every kind of escape, and some that need none.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(
            prop_oneof![
                Just('"'),
                Just('\\'),
                Just('/'),
                Just('\n'),
                Just('\r'),
                Just('\t'),
                Just('\u{8}'),
                Just('\u{c}'),
                Just('\u{0}'),
                Just('\u{1f}'),
                Just('\u{7f}'),
                Just('\u{2028}'),
                Just('é'),
                Just('😀'),
                Just('a'),
            ],
            0..24
        )
        .prop_map(|cs| cs.into_iter().collect()),
    ]
}

/// Numbers at the edges of every width, and any.
fn number() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(9),
        Just(10),
        Just(u64::from(u32::MAX)),
        Just(1 << 53),
        Just(u64::MAX),
        any::<u64>(),
    ]
}

/// One event of every kind, for the writers' property tests: `addr` fills the addresses
/// and raw entries, `count` the counters, `text` the note.
pub(crate) fn every_event(
    addr: [u64; 3],
    count: [u64; 3],
    pid: u32,
    flag: bool,
    text: &str,
) -> Vec<Event> {
    let [a, b, c] = addr;
    let [n, m, k] = count;
    vec![
        Event::EntrySet {
            owner: Owner::Process(pid),
            level: Level::Pmd,
            va: a,
            old: b,
            new: c,
            why: Why::ALL[(n % 10) as usize],
        },
        Event::Ptes {
            owner: Owner::Kernel,
            va: a,
            pages: n,
            set: flag,
            why: Why::Sync,
        },
        Event::SyncLevelChanged {
            start: a,
            end: b,
            mask_bit: "PGTBL_PMD_MODIFIED",
            action: "sync",
        },
        Event::SyncPass {
            function: "f",
            slots: n,
            directories: m,
            copied: k,
        },
        Event::Fault {
            pid,
            va: a,
            fixed: flag,
        },
        Event::Bug {
            pid,
            va: a,
            process_entry: b,
            reference_entry: c,
        },
        Event::TableAllocated {
            owner: Owner::Process(pid),
            level: Level::Pte,
            pfn: n,
        },
        Event::TableFreed {
            owner: Owner::Kernel,
            level: Level::Pgd,
            pfn: m,
        },
        Event::Forked { pid },
        Event::Exited { pid, tables: k },
        Event::Note {
            text: text.to_string(),
        },
    ]
}

/// An access with a one-step walk; `count` picks the outcome (and is the walk's frame),
/// `flag` gives the stale outcome a reference and the access the oops `dump`.
pub(crate) fn an_access(addr: [u64; 3], count: u64, pid: u32, flag: bool, dump: &str) -> Access {
    let [a, b, c] = addr;
    let outcome = match count % 4 {
        0 => Outcome::Translated { phys: b },
        1 => Outcome::FaultFixed { phys: b },
        2 => Outcome::Oops { level: Level::P4d },
        _ => Outcome::Stale {
            phys: b,
            reference: flag.then_some(c),
        },
    };
    Access {
        pid,
        va: a,
        walk: vec![WalkStep {
            level: Level::Pud,
            table_pfn: count,
            index: 511,
            entry: c,
        }],
        outcome,
        oops_dump: flag.then(|| dump.to_string()),
    }
}

proptest! {
    #[test]
    fn strings_are_escaped_as_json_requires(name in hostile(), text in hostile()) {
        let op = ScriptOp::Fork { name: name.clone() };
        prop_assert_eq!(to_json(&op), serde_hex(&op));
        let step = Step::Text(TextStep::Choices(vec![name.clone(), text.clone()]));
        prop_assert_eq!(to_json(&step), serde_plain(&step));
        let note = Event::Note { text: text.clone() };
        prop_assert_eq!(to_json(&note), serde_hex(&note));
        let p = ProcessInfo {
            name: name.clone(),
            pid: 7,
            table_bytes: 4096,
            divergence: Default::default(),
        };
        prop_assert_eq!(to_json(&p), serde_hex(&p));
        let t = TourStep {
            say: vec![text.clone()],
            ask: Some(name.clone()),
            lines: vec![name.clone()],
            ..Default::default()
        };
        prop_assert_eq!(to_json(&t), serde_plain(&t));
        // And the text is JSON that reads back as the string written.
        let back: serde_json::Value = serde_json::from_str(&to_json(&p)).expect("JSON");
        prop_assert_eq!(back["name"].as_str(), Some(name.as_str()));
    }

    #[test]
    fn numbers_and_addresses_are_written_as_serde_did(
        a in number(), b in number(), c in number(), pid in any::<u32>(), set in any::<bool>()
    ) {
        let events = every_event([a, b, c], [a, b, c], pid, set, "");
        let access = an_access([a, b, c], a, pid, set, "PGD 0 P4D 0");
        let metrics = Metrics { entries_copied: a, bugs: b, oopses: c, ..Default::default() };
        for value in [Value::None, Value::Address(a), Value::Pid(pid), Value::Access(access)] {
            let r = OpResult { value, events: events.clone(), metrics };
            let op = ScriptOp::Resume;
            prop_assert_eq!(
                HistoryStep { op: &op, result: &r }.text(),
                serde_hex(&OldEntry { op: &op, result: &r })
            );
        }
        let slot = SlotInfo {
            slot: 3,
            index: 400,
            va: a,
            last: b,
            region: "vmalloc".into(),
            level: "pmd".into(),
            raw: c,
            reference_raw: a,
            present: set,
            kind: "table".into(),
            flags: vec!["RW".into(), "NX".into()],
            target: set.then_some(b),
            divergence: "same".into(),
        };
        prop_assert_eq!(to_json(&slot), serde_hex(&slot));
        let sc = Scenario {
            config: ConfigSpec { mode: "pae".into(), nr_cpus: Some(pid), ..Default::default() },
            steps: vec![Step::Expect(crate::script::Expect::Metric { name: "bugs".into(), value: a })],
            lines: Vec::new(),
        };
        prop_assert_eq!(to_json(&sc), serde_plain(&sc));
    }
}

#[test]
fn pretty_lays_out_text_as_serde_json_does() {
    let s = Session::from_text("config mode=x86-64\nfork A\nallocate q 64K\naccess A q\n")
        .expect("runs");
    let step = HistoryStep {
        op: &s.history()[2],
        result: &s.record(2).expect("a record").result,
    };
    let texts = [
        to_json(&s.layout_info()),
        step.text(),
        to_json(&crate::catalog::catalog()),
        to_json(&Event::Note {
            text: "a \"quoted\" {brace}, [bracket]: and \\ too".into(),
        }),
        to_json(&Vec::<Metrics>::new()),
        to_json(&TourStep::default()),
    ];
    for text in texts {
        let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        // serde_json's map sorts its keys: lay out its compact text, not ours.
        let compact = serde_json::to_string(&v).expect("JSON");
        assert_eq!(
            super::pretty(&compact),
            serde_json::to_string_pretty(&v).expect("JSON")
        );
    }
}
