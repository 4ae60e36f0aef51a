//! Invariants over random operation sequences (proptest): syncing strategies leave no
//! divergence, pre-allocation never syncs or faults, nothing leaks, refused operations
//! change nothing, and the state hash is deterministic.

use proptest::prelude::*;
use vmsync::config::Strategy as Strat;
use vmsync::machine::{HotplugKind, SyncKind};
use vmsync::memory::Owner;
use vmsync::script::{ConfigSpec, ScriptOp, Session};
use vmsync::{ErrorKind, Mode};

/// An operation with indices into whatever is live when it runs.
#[derive(Debug, Clone)]
enum Gen {
    Fork,
    Exit(usize),
    Allocate(u64),
    Map(u64, u64),
    Unmap(usize),
    Access(usize, usize, u64),
    Sync(u8),
    Bad(u8),
}

fn gen_op() -> impl Strategy<Value = Gen> {
    prop_oneof![
        2 => Just(Gen::Fork),
        1 => any::<usize>().prop_map(Gen::Exit),
        4 => (1u64..700).prop_map(|p| Gen::Allocate(p * 4096)),
        // MMIO ranges above 4 GiB of every size class, huge-page sized ones included.
        2 => (0u64..8, prop_oneof![Just(4096u64), Just(64 << 10), Just(2 << 20), Just(6 << 20), Just(1 << 30)])
            .prop_map(|(k, s)| Gen::Map(0x1_0000_0000 + k * (1 << 30), s)),
        3 => any::<usize>().prop_map(Gen::Unmap),
        3 => (any::<usize>(), any::<usize>(), 0u64..(1 << 22)).prop_map(|(p, a, o)| Gen::Access(p, a, o)),
        1 => (0u8..3).prop_map(Gen::Sync),
        1 => (0u8..6).prop_map(Gen::Bad),
    ]
}

struct Run {
    s: Session,
    procs: Vec<String>,
    allocs: Vec<(String, u64)>,
    n: usize,
}

impl Run {
    fn new(mode: Mode, strategy: Strat) -> Run {
        let spec = ConfigSpec {
            mode: mode.name().into(),
            strategy: Some(strategy.name().into()),
            pti: Some(mode != Mode::X86_32 && strategy != Strat::SharedPmd),
            huge_ioremap: Some(mode != Mode::X86_32),
            // Plenty of RAM so that large mappings stay cheap to refuse or accept.
            ram: Some("1G".into()),
            ..Default::default()
        };
        Run {
            s: Session::new(spec.to_config().unwrap()).unwrap(),
            procs: Vec::new(),
            allocs: Vec::new(),
            n: 0,
        }
    }

    fn op(&mut self, g: &Gen) -> Option<ScriptOp> {
        self.n += 1;
        let pick = |v: &[String], i: usize| v.get(i % v.len().max(1)).cloned();
        Some(match g {
            Gen::Fork => ScriptOp::Fork {
                name: format!("P{}", self.n),
            },
            Gen::Exit(i) => ScriptOp::Exit {
                process: pick(&self.procs, *i)?,
            },
            Gen::Allocate(size) => ScriptOp::Allocate {
                name: format!("a{}", self.n),
                size: size.to_string(),
                preempt: false,
            },
            Gen::Map(phys, size) => ScriptOp::Map {
                name: format!("m{}", self.n),
                phys: format!("{phys:#x}"),
                size: size.to_string(),
            },
            Gen::Unmap(i) => ScriptOp::Unmap {
                name: self.allocs.get(i % self.allocs.len().max(1))?.0.clone(),
            },
            Gen::Access(p, a, off) => {
                let (name, size) = self.allocs.get(a % self.allocs.len().max(1))?.clone();
                ScriptOp::Access {
                    process: pick(&self.procs, *p)?,
                    addr: format!("{name}+{:#x}", off % size),
                }
            }
            Gen::Sync(k) => ScriptOp::Sync {
                kind: [SyncKind::Mappings, SyncKind::Unmappings, SyncKind::Global][*k as usize],
            },
            Gen::Bad(k) => match k {
                0 => ScriptOp::Allocate {
                    name: format!("z{}", self.n),
                    size: "0".into(),
                    preempt: false,
                },
                1 => ScriptOp::Allocate {
                    name: format!("z{}", self.n),
                    size: "0xffffffffffffffff".into(),
                    preempt: false,
                },
                2 => ScriptOp::Unmap {
                    name: "nosuch".into(),
                },
                3 => ScriptOp::Exit {
                    process: "ghost".into(),
                },
                4 => ScriptOp::Map {
                    name: format!("z{}", self.n),
                    phys: "0x1000".into(),
                    size: "4K".into(),
                },
                _ => ScriptOp::Access {
                    process: pick(&self.procs, 0).unwrap_or_else(|| "ghost".into()),
                    addr: "0x1000".into(),
                },
            },
        })
    }

    /// Applies a generated operation; returns whether it was accepted.
    fn apply(&mut self, g: &Gen) -> bool {
        let Some(op) = self.op(g) else { return false };
        let before = self.s.state_hash();
        match self.s.apply(op.clone()) {
            Ok(_) => {
                match &op {
                    ScriptOp::Fork { name } => self.procs.push(name.clone()),
                    ScriptOp::Exit { process } => self.procs.retain(|p| p != process),
                    ScriptOp::Allocate { name, size, .. } => {
                        self.allocs.push((name.clone(), size.parse().unwrap()))
                    }
                    ScriptOp::Map { name, size, .. } => {
                        self.allocs.push((name.clone(), size.parse().unwrap()))
                    }
                    ScriptOp::Unmap { name } => self.allocs.retain(|a| &a.0 != name),
                    _ => {}
                }
                true
            }
            Err(e) => {
                assert_eq!(
                    self.s.state_hash(),
                    before,
                    "a refused {op:?} ({e}) changed the state"
                );
                assert_ne!(e.kind, ErrorKind::ExpectationFailed);
                false
            }
        }
    }

    fn total_divergent(&self) -> u64 {
        self.s
            .processes()
            .iter()
            .map(|p| p.divergence.divergent())
            .sum()
    }
}

fn syncing_cases() -> Vec<(Mode, Strat)> {
    let mut v = Vec::new();
    for m in Mode::ALL {
        v.push((m, Strat::Eager));
        v.push((m, Strat::Tracked));
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn eager_and_tracked_leave_nothing_divergent(
        case in 0usize..8,
        ops in prop::collection::vec(gen_op(), 1..40),
    ) {
        let (mode, strategy) = syncing_cases()[case];
        let mut r = Run::new(mode, strategy);
        for g in &ops {
            r.apply(g);
            prop_assert_eq!(r.total_divergent(), 0, "{:?} {:?} after {:?}", mode, strategy, g);
        }
        prop_assert_eq!(r.s.metrics().bugs, 0);
        prop_assert_eq!(r.s.metrics().oopses + r.s.metrics().stale_accesses, 0);
    }

    #[test]
    fn preallocation_never_syncs_or_faults(
        la57 in any::<bool>(),
        ops in prop::collection::vec(gen_op(), 1..40),
    ) {
        let mode = if la57 { Mode::La57 } else { Mode::X86_64 };
        let mut r = Run::new(mode, Strat::Prealloc);
        let kernel_top_before: Vec<u64> = (256..512).map(|s| r.s.machine().reference_entry(s)).collect();
        for g in &ops {
            if matches!(g, Gen::Sync(_)) {
                continue; // explicit syncs are not vmalloc operations
            }
            r.apply(g);
        }
        let m = r.s.metrics();
        prop_assert_eq!(m.sync_passes, 0);
        prop_assert_eq!(m.entries_copied, 0);
        prop_assert_eq!(m.faults_fixed + m.oopses + m.stale_accesses, 0);
        prop_assert_eq!(r.total_divergent(), 0);
        let kernel_top_after: Vec<u64> = (256..512).map(|s| r.s.machine().reference_entry(s)).collect();
        prop_assert_eq!(kernel_top_before, kernel_top_after);
    }

    #[test]
    fn nothing_leaks_once_everything_is_gone(
        mode in 0usize..4,
        strategy in 0usize..4,
        ops in prop::collection::vec(gen_op(), 1..40),
    ) {
        let mode = Mode::ALL[mode];
        let strategy = [Strat::None, Strat::Lazy, Strat::Eager, Strat::Tracked][strategy];
        let mut r = Run::new(mode, strategy);
        let (_, boot_data) = r.s.machine().boot_counts();
        for g in &ops {
            r.apply(g);
        }
        for (name, _) in r.allocs.clone() {
            prop_assert!(r.apply(&Gen::Unmap(r.allocs.iter().position(|a| a.0 == name).unwrap())));
        }
        for _ in 0..r.procs.len() {
            prop_assert!(r.apply(&Gen::Exit(0)));
        }
        let m = r.s.machine();
        prop_assert_eq!(m.memory().data_count(), boot_data);
        prop_assert_eq!(m.orphan_tables(), 0);
        prop_assert_eq!(m.memory().table_count() as u64, m.memory().count_by_owner(Owner::Kernel));
        prop_assert_eq!(m.total_table_bytes(), m.kernel_table_bytes());
    }

    #[test]
    fn the_state_hash_is_deterministic(
        mode in 0usize..4,
        ops in prop::collection::vec(gen_op(), 1..30),
    ) {
        let mode = Mode::ALL[mode];
        let mut a = Run::new(mode, Strat::Lazy);
        let mut b = Run::new(mode, Strat::Lazy);
        for g in &ops {
            prop_assert_eq!(a.apply(g), b.apply(g));
        }
        prop_assert_eq!(a.s.state_hash(), b.s.state_hash());
        // The fast counts agree with classifying every slot one by one.
        let m = a.s.machine();
        for (pid, counts) in m.all_divergence_counts() {
            let mut slow = vmsync::machine::DivergenceCounts::default();
            for d in m.divergence(pid).unwrap() {
                match d {
                    vmsync::Divergence::Same => slow.same += 1,
                    vmsync::Divergence::Missing => slow.missing += 1,
                    vmsync::Divergence::Stale => slow.stale += 1,
                    vmsync::Divergence::Different => slow.different += 1,
                    vmsync::Divergence::Private => slow.private += 1,
                }
            }
            prop_assert_eq!(counts, slow);
        }
        // describe() classifies one slot as divergence() classifies them all.
        for info in a.s.processes() {
            let all = m.divergence(info.pid).unwrap();
            for slot in (0..all.len()).step_by(5) {
                let one = a.s.describe(Some(&info.name), slot).unwrap();
                prop_assert_eq!(one.divergence.as_str(), all[slot].name());
            }
        }
        // Step back all the way, then forward all the way: the same state again.
        let h = a.s.state_hash();
        while a.s.step_back() {}
        while a.s.step_forward() {}
        prop_assert_eq!(a.s.state_hash(), h);
        // A seek lands where as many single steps land, back and forth.
        let n = a.s.history().len();
        for target in [n / 2, 0, n, n / 3, n + 5] {
            let mut stepped = a.s.clone();
            while stepped.cursor() > target.min(n) && stepped.step_back() {}
            while stepped.cursor() < target.min(n) && stepped.step_forward() {}
            prop_assert_eq!(a.s.seek(target), stepped.cursor());
            prop_assert_eq!(a.s.state_hash(), stepped.state_hash());
        }
        prop_assert_eq!(a.s.cursor(), n);
        prop_assert_eq!(a.s.state_hash(), h);
    }
}

/// Words a scenario may contain, and some it may not.
const WORDS: &[&str] = &[
    "config",
    "mode=pae",
    "mode=x86-64",
    "mode=la57",
    "mode=x86-32",
    "split=1G",
    "split=3G_OPT",
    "pti=off",
    "huge-ioremap=on",
    "strategy=eager",
    "strategy=era:2025",
    "ram=4G",
    "vmalloc=0x1",
    "fork",
    "exit",
    "allocate",
    "map",
    "unmap",
    "sync",
    "resume",
    "access",
    "hotplug",
    "ldt",
    "expect",
    "outcome",
    "divergence",
    "metric",
    "error",
    "table-bytes",
    "say",
    "ask",
    "A",
    "B",
    "a",
    "0",
    "4K",
    "2M",
    "1G",
    "0xffffffffffffffff",
    "0xfe000000",
    "0x200000000000",
    "a+0x1000",
    "a+",
    "+",
    "mappings",
    "global",
    "preempt",
    "missing",
    "oops",
    "bugs",
    "#",
    "18446744073709551615",
    "-1",
    "é",
    "\t",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever the text, a scenario is run or refused with an error: never a panic.
    #[test]
    fn no_scenario_text_panics(lines in prop::collection::vec(prop::collection::vec(0..WORDS.len(), 0..6), 0..12)) {
        let mut text = String::from("config mode=pae\n");
        for l in &lines {
            let words: Vec<&str> = l.iter().map(|i| WORDS[*i]).collect();
            text.push_str(&words.join(" "));
            text.push('\n');
        }
        let _ = vmsync::script::Session::from_text(&text);
        let _ = vmsync::script::parse(&text[16..]);
    }

    /// Well-formed operations with hostile values, in every mode and strategy, applied one
    /// after another: each runs or is refused, never a panic, and refusals change nothing.
    #[test]
    fn no_operation_values_panic(
        case in 0usize..8,
        ops in prop::collection::vec((0usize..10, 0usize..4, 0usize..9, 0usize..9), 0..40),
    ) {
        let cases = [
            "mode=x86-32 pti=off huge-ioremap=off strategy=eager",
            "mode=x86-32 pti=off huge-ioremap=off strategy=lazy",
            "mode=pae strategy=lazy",
            "mode=pae pti=off strategy=shared-pmd",
            "mode=pae strategy=tracked",
            "mode=x86-64 strategy=lazy",
            "mode=x86-64 strategy=prealloc",
            "mode=la57 strategy=prealloc+tracked",
        ];
        let mut s = vmsync::script::Session::from_text(&format!("config {}\n", cases[case])).unwrap();
        let names = ["A", "B", "a", "b"];
        let sizes = ["0", "1", "4K", "2M", "1G", "64T", "0xfe000000", "0x200000000000", "0xffffffffffffffff"];
        let addrs = ["a", "a+0x1000", "b+0xffffffffffffffff", "0xffffc90000000000", "0xe0800000",
            "0x1000", "0xffffffffffffffff", "0xff00000000000000", "a+4G"];
        for (kw, n, xi, yi) in ops {
            let (n, x, y) = (names[n], sizes[xi], sizes[yi]);
            let op = match kw {
                0 | 1 => ScriptOp::Fork { name: n.into() },
                2 => ScriptOp::Allocate { name: n.into(), size: x.into(), preempt: y == "1" },
                3 => ScriptOp::Map { name: n.into(), phys: x.into(), size: y.into() },
                4 => ScriptOp::Unmap { name: n.into() },
                5 => ScriptOp::Access { process: n.into(), addr: addrs[xi].into() },
                6 => ScriptOp::Hotplug {
                    name: n.into(),
                    phys: x.into(),
                    size: y.into(),
                    kind: [HotplugKind::Ram, HotplugKind::Pmem, HotplugKind::Dax][yi % 3],
                    by: (xi % 2 == 0).then(|| names[(n.len() + xi) % names.len()].into()),
                },
                7 => ScriptOp::Exit { process: n.into() },
                8 => ScriptOp::Ldt { process: n.into() },
                _ => ScriptOp::Sync { kind: [SyncKind::Mappings, SyncKind::Unmappings, SyncKind::Global][x.len() % 3] },
            };
            let before = s.state_hash();
            if s.apply(op).is_err() {
                prop_assert_eq!(s.state_hash(), before);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// An eager push of one new PMD entry to `n` processes copies it `n` times; the pass
    /// always says so in its summary, and reports each copy as an event only while the
    /// pass is small (at most 64 directory-slot pairs).
    #[test]
    fn sync_events_are_per_entry_only_for_small_passes(n in 1usize..130) {
        use vmsync::event::{Event, Why};
        let spec = ConfigSpec {
            mode: "pae".into(),
            strategy: Some("eager".into()),
            ..Default::default()
        };
        let mut s = Session::new(spec.to_config().unwrap()).unwrap();
        for i in 0..n {
            s.apply(ScriptOp::Fork { name: format!("p{i}") }).unwrap();
        }
        let r = s
            .apply(ScriptOp::Allocate { name: "a".into(), size: "64K".into(), preempt: false })
            .unwrap();
        let copies = r
            .events
            .iter()
            .filter(|e| matches!(e, Event::EntrySet { owner: Owner::Process(_), why: Why::Sync, .. }))
            .count();
        let summary: Vec<(u64, u64, u64)> = r
            .events
            .iter()
            .filter_map(|e| match e {
                Event::SyncPass { slots, directories, copied, .. } => Some((*slots, *directories, *copied)),
                _ => None,
            })
            .collect();
        prop_assert_eq!(summary, vec![(1, n as u64, n as u64)]);
        prop_assert_eq!(r.metrics.entries_copied, n as u64);
        prop_assert_eq!(copies, if n <= 64 { n } else { 0 });
    }
}

proptest! {
    /// Any configuration values, however hostile, build a machine or are refused with an
    /// error: never a panic (overflow checks are on in tests).
    #[test]
    fn no_configuration_values_panic(
        mode in 0usize..4,
        split in 0usize..6,
        sizes in prop::collection::vec(0usize..9, 2),
        flags in (any::<bool>(), any::<bool>(), 0usize..9, 0usize..5),
    ) {
        let sizes_text = ["0", "1", "4K", "64M", "4G", "64T", "0xfffffffffffffff8", "0xffffffffffffffff"];
        let strategies = ["none", "lazy", "eager", "tracked", "tracked+fault", "prealloc",
            "prealloc+tracked", "shared-pmd", "era:5.8"];
        let spec = ConfigSpec {
            mode: Mode::ALL[mode].name().into(),
            split: ["3G", "3G_OPT", "2G", "2G_OPT", "1G", "7G"].get(split).map(|s| s.to_string()),
            ram: sizes_text.get(sizes[0]).map(|s| s.to_string()),
            vmalloc: sizes_text.get(sizes[1]).map(|s| s.to_string()),
            pti: Some(flags.0),
            huge_ioremap: Some(flags.1),
            strategy: Some(strategies[flags.2].into()),
            nr_cpus: [1u32, 32, 64, 8192].get(flags.3).copied(),
        };
        if let Ok(c) = spec.to_config() {
            let _ = Session::new(c);
        }
    }
}
