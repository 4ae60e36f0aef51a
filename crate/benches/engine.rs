//! `cargo bench`: the engine's speed and memory budgets, measured (not asserted).
//!
//! 1. Sync cost: nanoseconds per entry copied, PAE with the 1G split, 512 MiB, 1,000
//!    processes (budget: 5 ns).
//! 2. The slowest single operation with 1,000 live processes, in every mode (budget: 10 ms).
//! 3. Model memory against the page-table memory it simulates (budget: 1.5×), and a 5-level
//!    machine with 1,000 processes and 10,000 allocations (budget: 64 MiB). The model is
//!    the machine; the same workload through a session, which also keeps every operation
//!    and what it reported (the page's timeline), is shown beside it.
//!
//! Sections 1 and 2 are the workloads of scripts/bench-workloads.mjs, with the same
//! procedure and row names; with `VMSYNC_BENCH_JSON=FILE` their rows are also written to
//! FILE, which `npm run bench` sets them beside the wasm figures from.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use vmsync::script::{ConfigSpec, ScriptOp, Session};
use vmsync::SyncKind;

/// Counts the bytes the program holds on the heap.
struct Counting;
static HELD: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        HELD.fetch_add(l.size(), Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        HELD.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        HELD.fetch_add(n, Ordering::Relaxed);
        HELD.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static A: Counting = Counting;

fn config(mode: &str, extra: &[(&str, &str)]) -> vmsync::config::Config {
    let mut spec = ConfigSpec {
        mode: mode.into(),
        ..Default::default()
    };
    for (k, v) in extra {
        match *k {
            "split" => spec.split = Some(v.to_string()),
            "ram" => spec.ram = Some(v.to_string()),
            "strategy" => spec.strategy = Some(v.to_string()),
            "huge" => spec.huge_ioremap = Some(*v == "on"),
            _ => unreachable!("bench key {k}"),
        }
    }
    spec.to_config().expect("bench config")
}

fn session(mode: &str, extra: &[(&str, &str)]) -> Session {
    Session::new(config(mode, extra)).expect("boots")
}

fn forks(s: &mut Session, n: usize) {
    for i in 0..n {
        s.apply_kept(ScriptOp::Fork {
            name: format!("p{i}"),
        })
        .expect("fork");
    }
}

fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// The workloads, procedure and row names of scripts/bench-workloads.mjs (which runs
/// them in wasm), so that `npm run bench` can compare the two row by row.
const SYNC_BATCH_1000: usize = 2;
const SYNC_BATCH_10: usize = 20;
const BATCHES: usize = 5;
const MACHINES: usize = 10;
const DIVERGENCE: usize = 5;
const REPEATS: usize = 200;
const MODES: [(&str, &str); 8] = [
    ("x86-32", "eager"),
    ("x86-32", "lazy"),
    ("pae", "tracked"),
    ("pae", "eager"),
    ("x86-64", "lazy"),
    ("x86-64", "prealloc"),
    ("la57", "eager"),
    ("la57", "prealloc"),
];

fn ops() -> Vec<(&'static str, ScriptOp)> {
    vec![
        ("fork", ScriptOp::Fork { name: "new".into() }),
        (
            "allocate 64K",
            ScriptOp::Allocate {
                name: "a".into(),
                size: "64K".into(),
                preempt: false,
            },
        ),
        (
            "allocate 16M",
            ScriptOp::Allocate {
                name: "b".into(),
                size: "16M".into(),
                preempt: false,
            },
        ),
        (
            "map 4M",
            ScriptOp::Map {
                name: "io".into(),
                phys: "0xf0000000".into(),
                size: "4M".into(),
            },
        ),
        (
            "access",
            ScriptOp::Access {
                process: "p1".into(),
                addr: "b+0x1000".into(),
            },
        ),
        (
            "sync mappings",
            ScriptOp::Sync {
                kind: SyncKind::Mappings,
            },
        ),
        ("unmap 16M", ScriptOp::Unmap { name: "b".into() }),
        ("unmap 4M", ScriptOp::Unmap { name: "io".into() }),
        (
            "exit",
            ScriptOp::Exit {
                process: "p3".into(),
            },
        ),
    ]
}

/// One row: a workload's best and median timing.
struct Row {
    name: String,
    unit: &'static str,
    best: f64,
    median: f64,
    /// For a row in ns per entry: the entries copied per operation.
    entries: Option<u64>,
}

fn row(name: String, unit: &'static str, mut xs: Vec<f64>) -> Row {
    xs.sort_by(f64::total_cmp);
    Row {
        name,
        unit,
        best: xs[0],
        median: xs[xs.len() / 2],
        entries: None,
    }
}

fn pae1g(strategy: &str) -> Session {
    session(
        "pae",
        &[
            ("split", "1G"),
            ("ram", "512M"),
            ("strategy", strategy),
            ("huge", "off"),
        ],
    )
}

/// A machine of the sync batches: `procs` processes and the whole vmalloc area mapped
/// with 4 KiB pages, not yet synced; with its metrics before the sync.
fn sync_batch_machine(procs: usize) -> (Session, vmsync::event::Metrics) {
    let mut s = pae1g("lazy");
    forks(&mut s, procs);
    let l = s.layout_info();
    let start = u64::from_str_radix(l.vmalloc_start.trim_start_matches("0x"), 16).unwrap();
    let end = u64::from_str_radix(l.vmalloc_end.trim_start_matches("0x"), 16).unwrap();
    s.apply_kept(ScriptOp::Map {
        name: "io".into(),
        phys: "0x100000000".into(),
        size: (end - start - 4096).to_string(),
    })
    .expect("map");
    let before = s.metrics();
    (s, before)
}

/// `BATCHES` batches of `REPEATS` calls of a sync on one machine: ms per call per batch.
fn repeated(s: &mut Session, kind: SyncKind) -> Vec<f64> {
    (0..BATCHES)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..REPEATS {
                s.apply_kept(ScriptOp::Sync { kind }).unwrap();
            }
            ms_since(t) / REPEATS as f64
        })
        .collect()
}

/// One sync batch: `count` machines whose whole vmalloc area is mapped with 4 KiB pages
/// (every PMD slot of it gets a PTE table: the email's "sync all 1272" case), then
/// vmalloc_sync_mappings() on each. Returns ns per entry copied and the entries copied
/// per machine (every entry visited is copied).
fn sync_batch(procs: usize, count: usize) -> (f64, u64) {
    let mut batch: Vec<_> = (0..count).map(|_| sync_batch_machine(procs)).collect();
    let t = Instant::now();
    for (s, _) in &mut batch {
        s.apply_kept(ScriptOp::Sync {
            kind: SyncKind::Mappings,
        })
        .unwrap();
    }
    let ns = t.elapsed().as_nanos() as f64;
    let mut copied = 0;
    for (s, before) in &batch {
        let m = s.metrics();
        copied += m.entries_copied - before.entries_copied;
        assert_eq!(
            m.entries_copied - before.entries_copied,
            m.directories_visited - before.directories_visited
        );
    }
    (ns / copied as f64, copied / count as u64)
}

/// One machine of a mode with `procs` processes: each single operation timed (into
/// `times`, in the order of [`ops`]), then the divergence of every process.
fn single_ops(
    mode: &str,
    strategy: &str,
    procs: usize,
    times: &mut [Vec<f64>],
    divergence: &mut Vec<f64>,
) {
    let mut extra = vec![("strategy", strategy)];
    if mode != "x86-32" {
        extra.push(("huge", "on"));
    }
    let mut s = session(mode, &extra);
    forks(&mut s, procs);
    for ((_, op), xs) in ops().into_iter().zip(times.iter_mut()) {
        let t = Instant::now();
        s.apply_kept(op.clone())
            .unwrap_or_else(|e| panic!("{op:?}: {e}"));
        xs.push(ms_since(t));
    }
    // What the page reads on every redraw: the counts of every process.
    for _ in 0..DIVERGENCE {
        let t = Instant::now();
        let stats = s.process_stats();
        divergence.push(ms_since(t));
        assert!(!stats.is_empty());
    }
}

fn warm_up() {
    // Untimed, as in wasm (where it lets V8 tier the code up); natively it only warms
    // the caches and the allocator.
    sync_batch(10, 2);
    for (mode, strategy) in MODES {
        let mut times = vec![Vec::new(); ops().len()];
        single_ops(mode, strategy, 50, &mut times, &mut Vec::new());
    }
}

fn sync_cost(rows: &mut Vec<Row>) {
    println!("1. sync cost, PAE 1G split, 512 MiB (budget 5 ns per entry at 1000 processes)");
    for (procs, count) in [(1000, SYNC_BATCH_1000), (10, SYNC_BATCH_10)] {
        let mut runs = Vec::new();
        let mut copied = 0;
        for _ in 0..BATCHES {
            let (ns, c) = sync_batch(procs, count);
            runs.push(ns);
            copied = c;
        }
        let r = Row {
            entries: Some(copied),
            ..row(
                format!("sync mappings, PAE 1G, {procs} procs ({copied} copied)"),
                "ns/entry",
                runs,
            )
        };
        println!(
            "   sync mappings, {procs} processes: {copied} entries copied per machine (every one visited); {BATCHES} batches of {count} machines: {:.2} ns per entry copied best, {:.2} median",
            r.best, r.median
        );
        rows.push(r);
    }
    // The same small pass again and again on one machine: nothing left to copy, every
    // entry compared, the caches warm (a compute-bound loop, not a memory-bound one).
    let (mut s, _) = sync_batch_machine(10);
    s.apply_kept(ScriptOp::Sync {
        kind: SyncKind::Mappings,
    })
    .unwrap();
    let runs = repeated(&mut s, SyncKind::Mappings);
    let r = row(
        "sync mappings again, nothing to copy, PAE 1G, 10 procs, warm".into(),
        "ms",
        runs,
    );
    println!(
        "   sync mappings again on one 10-process machine, nothing to copy: {:.1} us best, {:.1} median",
        r.best * 1e3,
        r.median * 1e3
    );
    rows.push(r);
    // Eager: the push runs inside the operation that filled the PMDs.
    let mut runs = Vec::new();
    let mut copied = 0;
    for _ in 0..MACHINES {
        let mut s = pae1g("eager");
        forks(&mut s, 1000);
        let t = Instant::now();
        s.apply_kept(ScriptOp::Map {
            name: "io".into(),
            phys: "0x100000000".into(),
            size: "256M".into(),
        })
        .unwrap();
        let ns = t.elapsed().as_nanos() as f64;
        copied = s.metrics().entries_copied;
        runs.push(ns / copied as f64);
    }
    let r = Row {
        entries: Some(copied),
        ..row(
            "eager ioremap 256M, PAE 1G, 1000 procs".into(),
            "ns/entry",
            runs,
        )
    };
    println!(
        "   eager ioremap 256M: {copied} entries copied; {:.2} ns per entry for the whole operation, best of {MACHINES} ({:.2} median)",
        r.best, r.median
    );
    rows.push(r);
    // What a call costs where the operation does nothing (a note) on x86-64: natively
    // next to nothing; in wasm, the crossing to JavaScript and back. (The lazy block has
    // the 5.6 - 5.7 calls; from 5.8 the kernels have no vmalloc_sync_unmappings().)
    let mut s = session("x86-64", &[("strategy", "lazy")]);
    forks(&mut s, 10);
    let xs = repeated(&mut s, SyncKind::Unmappings);
    rows.push(row(
        "a call that does nothing (x86-64: sync unmappings)".into(),
        "ms",
        xs,
    ));
}

fn slowest_ops(rows: &mut Vec<Row>) {
    println!(
        "2. single operations with 1000 live processes, {MACHINES} machines each (budget 10 ms)"
    );
    for (mode, strategy) in MODES {
        let mut times = vec![Vec::new(); ops().len()];
        let mut divergence = Vec::new();
        for _ in 0..MACHINES {
            single_ops(mode, strategy, 1000, &mut times, &mut divergence);
        }
        let mut mine: Vec<Row> = ops()
            .into_iter()
            .zip(times)
            .map(|((name, _), xs)| row(format!("{mode} {strategy}, 1000 procs: {name}"), "ms", xs))
            .collect();
        mine.push(row(
            format!("{mode} {strategy}, 1000 procs: divergence of all"),
            "ms",
            divergence,
        ));
        let (div, op_rows) = mine.split_last().expect("rows");
        let worst = op_rows
            .iter()
            .max_by(|a, b| a.median.total_cmp(&b.median))
            .expect("rows");
        println!(
            "   {mode:<7} {strategy:<9} slowest operation: {} {:.3} ms median ({:.3} best); divergence of all: {:.3} ms median ({:.3} best)",
            worst.name.rsplit(": ").next().unwrap_or(""),
            worst.median,
            worst.best,
            div.median,
            div.best
        );
        rows.extend(mine);
    }
}

/// Heap held since `base` against the page-table bytes `m` simulates, as one line.
fn memory_line(what: &str, budget: &str, base: usize, m: &vmsync::Machine) {
    let held = HELD.load(Ordering::Relaxed) - base;
    let simulated = m.total_table_bytes();
    let mib = |b: f64| b / (1 << 20) as f64;
    println!(
        "   {what}: heap {:.1} MiB{budget}; page tables simulated {:.1} MiB; ratio {:.2}",
        mib(held as f64),
        mib(simulated as f64),
        held as f64 / simulated as f64
    );
}

/// The memory workload: 1,000 processes, then 10,000 allocations of 1 to 16 pages.
fn memory_workload(mut op: impl FnMut(ScriptOp)) {
    for i in 0..1000 {
        op(ScriptOp::Fork {
            name: format!("p{i}"),
        });
    }
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 0..10_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let pages = 1 + x % 16;
        op(ScriptOp::Allocate {
            name: format!("a{i}"),
            size: format!("{}", pages * 4096),
            preempt: false,
        });
    }
}

fn memory() {
    println!("3. model memory (budgets: the model 1.5 times the page tables it simulates; la57 in 64 MiB)");
    let la57 = || config("la57", &[("strategy", "prealloc"), ("ram", "4G")]);
    // The model: the machine alone.
    let base = HELD.load(Ordering::Relaxed);
    let mut m = vmsync::Machine::new(la57()).expect("boots");
    memory_workload(|op| match op {
        ScriptOp::Fork { .. } => drop(m.fork().expect("fork")),
        ScriptOp::Allocate { size, .. } => drop(
            m.allocate(size.parse().expect("a size"), false)
                .expect("allocate"),
        ),
        _ => unreachable!("the workload forks and allocates"),
    });
    memory_line(
        "la57, 1000 processes, 10000 allocations, the machine",
        " (budget 64 MiB)",
        base,
        &m,
    );
    drop(m);
    // The same through a session, which also keeps every operation and what it reported
    // (the page's timeline): shown, not judged against the page tables.
    let base = HELD.load(Ordering::Relaxed);
    let mut s = Session::new(la57()).expect("boots");
    memory_workload(|op| {
        s.apply_kept(op).expect("applies");
    });
    memory_line(
        "the same as a session, with its history of 11000 results",
        "",
        base,
        s.machine(),
    );
    drop(s);
    let base = HELD.load(Ordering::Relaxed);
    let mut s = session(
        "pae",
        &[("split", "1G"), ("ram", "512M"), ("strategy", "tracked")],
    );
    forks(&mut s, 1000);
    memory_line("pae 1G, 1000 processes, a session", "", base, s.machine());
}

fn main() {
    // `cargo test --benches` runs this binary with --bench absent: keep it quick then.
    if !std::env::args().any(|a| a == "--bench") {
        println!("engine bench: run with `cargo bench`");
        return;
    }
    warm_up();
    let mut rows = Vec::new();
    sync_cost(&mut rows);
    slowest_ops(&mut rows);
    memory();
    // The rows for `npm run bench`, which runs the same workloads in wasm beside them.
    if let Ok(path) = std::env::var("VMSYNC_BENCH_JSON") {
        let json: Vec<_> = rows
            .iter()
            .map(|r| {
                serde_json::json!({"name": r.name, "unit": r.unit, "best": r.best,
                    "median": r.median, "entries": r.entries})
            })
            .collect();
        std::fs::write(&path, serde_json::to_string_pretty(&json).expect("json"))
            .unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
    }
}
