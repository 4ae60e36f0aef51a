// The engine benchmark's workloads through the wasm Playground: the same workloads, the
// same procedure and the same row names as crate/benches/engine.rs (`cargo bench`), so
// the two can be compared row by row. No Node API is used: scripts/bench.mjs runs this
// module in Node and in Chromium alike.
//
// Procedure (both sides):
// - a warm-up round of every workload on small machines, untimed (in wasm, V8 first runs
//   a function in its baseline compiler and tiers it up after some calls);
// - a sync pass is timed over a batch of machines (one timing around the pass on each of
//   them, divided by the entries copied), so that a coarse timer still resolves it;
//   BATCHES fresh batches give the best and the median; an operation repeated on one
//   machine is timed REPEATS calls at a time;
// - a single operation is timed on each of MACHINES machines with 1,000 processes, and
//   the divergence of every process (what each redraw reads) DIVERGENCE times on each;
//   the best and the median of those timings.
// Each wasm timing of an operation includes reading its result in JavaScript once
// (`apply`, then `stepResult`), as the page's timeline does; only "a call that does
// nothing" times `apply` alone, the call's own cost. Rows in ns per entry also carry
// `entries`, the entries copied per operation. A row marked `wasmOnly` has no native twin.

/** Fresh machines per batch for the sync passes, by process count. */
export const SYNC_BATCH = { 1000: 2, 10: 20 };
export const BATCHES = 5;
export const MACHINES = 10;
export const DIVERGENCE = 5;
/** Calls per batch of the operations repeated on one machine. */
export const REPEATS = 200;
/** The mode and strategy pairs of the single-operation rows. */
export const MODES = [['x86-32', 'eager'], ['x86-32', 'lazy'], ['pae', 'tracked'], ['pae', 'eager'],
  ['x86-64', 'lazy'], ['x86-64', 'prealloc'], ['la57', 'eager'], ['la57', 'prealloc']];
/** The single operations, in order, on a machine with processes p0..p999. */
export const OPS = [
  ['fork', { op: 'fork', name: 'new' }],
  ['allocate 64K', { op: 'allocate', name: 'a', size: '64K' }],
  ['allocate 16M', { op: 'allocate', name: 'b', size: '16M' }],
  ['map 4M', { op: 'map', name: 'io', phys: '0xf0000000', size: '4M' }],
  ['access', { op: 'access', process: 'p1', addr: 'b+0x1000' }],
  ['sync mappings', { op: 'sync', kind: 'mappings' }],
  ['unmap 16M', { op: 'unmap', name: 'b' }],
  ['unmap 4M', { op: 'unmap', name: 'io' }],
  ['exit', { op: 'exit', process: 'p3' }],
];

const sorted = (xs) => [...xs].sort((a, b) => a - b);
/** Best and median of some timings. */
export const summary = (xs) => ({ best: sorted(xs)[0], median: sorted(xs)[Math.floor(xs.length / 2)] });

/**
 * Runs every workload with the engine's Playground class; resolves to rows
 * `{name, unit, best, median}` named as crate/benches/engine.rs names them.
 * @param {any} Playground the class from www/src/engine.js, engine loaded
 * @param {{quick?: boolean}} [options] quick: one batch and one machine (a smoke run)
 */
export function runWorkloads(Playground, { quick = false } = {}) {
  const batches = quick ? 1 : BATCHES;
  const machines = quick ? 1 : MACHINES;
  const now = () => performance.now();
  /** A playground with `procs` processes p0..p(n-1) forked. */
  const machine = (config, procs) => {
    const pg = Playground.create(config);
    for (let i = 0; i < procs; i++) pg.apply({ op: 'fork', name: `p${i}` });
    return pg;
  };
  const pae1g = (strategy) => ({ mode: 'pae', split: '1G', ram: '512M', strategy, huge_ioremap: false });
  /** Applies `op` and reads what it reported, as the page does. */
  const run = (pg, op) => pg.stepResult(pg.apply(op));
  const rows = [];

  /** A machine of the sync batches: the whole vmalloc area mapped, not yet synced. */
  const syncMachine = (procs) => {
    const pg = machine(pae1g('lazy'), procs);
    const l = pg.layout();
    pg.apply({ op: 'map', name: 'io', phys: '0x100000000', size: String(l.vmalloc_end - l.vmalloc_start - 4096n) });
    return pg;
  };
  /** `batches` batches of REPEATS calls of `call` on one machine: ms per call per batch. */
  const repeated = (call) => {
    const runs = [];
    for (let b = 0; b < batches; b++) {
      const t = now();
      for (let i = 0; i < REPEATS; i++) call();
      runs.push((now() - t) / REPEATS);
    }
    return runs;
  };
  // One sync batch: `count` machines whose whole vmalloc area is mapped with 4 KiB
  // pages, then vmalloc_sync_mappings() on each: ns per entry copied.
  const syncBatch = (procs, count) => {
    const pgs = [];
    for (let i = 0; i < count; i++) {
      const pg = syncMachine(procs);
      pgs.push([pg, pg.metrics().entries_copied]);
    }
    const t = now();
    for (const [pg] of pgs) run(pg, { op: 'sync', kind: 'mappings' });
    const ms = now() - t;
    let copied = 0;
    for (const [pg, before] of pgs) {
      copied += Number(pg.metrics().entries_copied - before);
      pg.free();
    }
    return { ns: (ms * 1e6) / copied, copied: copied / count };
  };
  // One machine of a mode: each single operation timed, then the divergence of all.
  const singleOps = (mode, strategy, procs, times, divergence) => {
    const pg = machine({ mode, strategy, ...(mode === 'x86-32' ? {} : { huge_ioremap: true }) }, procs);
    for (const [name, op] of OPS) {
      const t = now();
      run(pg, op);
      times.get(name).push(now() - t);
    }
    for (let i = 0; i < DIVERGENCE; i++) {
      const t = now();
      const stats = pg.processStats();
      divergence.push(now() - t);
      if (stats.length === 0) throw new Error('processStats() is empty');
    }
    pg.free();
  };

  // Warm-up, untimed.
  syncBatch(10, 2);
  for (const [mode, strategy] of MODES) singleOps(mode, strategy, 50, new Map(OPS.map(([n]) => [n, []])), []);
  {
    const pg = machine(pae1g('eager'), 10);
    pg.apply({ op: 'map', name: 'io', phys: '0x100000000', size: '256M' });
    pg.free();
  }

  for (const procs of [1000, 10]) {
    const runs = [];
    let copied = 0;
    for (let b = 0; b < batches; b++) {
      const r = syncBatch(procs, SYNC_BATCH[procs]);
      runs.push(r.ns);
      copied = r.copied;
    }
    rows.push({ name: `sync mappings, PAE 1G, ${procs} procs (${copied} copied)`, unit: 'ns/entry', entries: copied, ...summary(runs) });
  }
  {
    // The same small pass again and again on one machine: nothing left to copy, every
    // entry compared, the caches warm. A compute-bound loop, not a memory-bound one.
    const pg = syncMachine(10);
    pg.apply({ op: 'sync', kind: 'mappings' });
    const op = { op: 'sync', kind: 'mappings' };
    const runs = repeated(() => run(pg, op));
    pg.free();
    rows.push({ name: 'sync mappings again, nothing to copy, PAE 1G, 10 procs, warm', unit: 'ms', ...summary(runs) });
  }
  {
    const runs = [];
    let copied = 0;
    for (let b = 0; b < machines; b++) {
      const pg = machine(pae1g('eager'), 1000);
      const t = now();
      run(pg, { op: 'map', name: 'io', phys: '0x100000000', size: '256M' });
      const ms = now() - t;
      copied = Number(pg.metrics().entries_copied);
      runs.push((ms * 1e6) / copied);
      pg.free();
    }
    rows.push({ name: 'eager ioremap 256M, PAE 1G, 1000 procs', unit: 'ns/entry', entries: copied, ...summary(runs) });
  }
  {
    // What the boundary costs: a call whose operation does nothing (a note) on x86-64
    // (the lazy block has the 5.6 - 5.7 calls; from 5.8 there is no such call).
    const pg = machine({ mode: 'x86-64', strategy: 'lazy' }, 10);
    const op = { op: 'sync', kind: 'unmappings' };
    const runs = repeated(() => pg.apply(op));
    // ... and what reading its result costs (no native twin: natively the result is a
    // Rust value already).
    const last = pg.cursor - 1;
    const reads = repeated(() => pg.stepResult(last));
    pg.free();
    rows.push({ name: 'a call that does nothing (x86-64: sync unmappings)', unit: 'ms', ...summary(runs) });
    rows.push({ name: 'reading its result (stepResult)', unit: 'ms', wasmOnly: true, ...summary(reads) });
  }
  for (const [mode, strategy] of MODES) {
    const times = new Map(OPS.map(([n]) => [n, []]));
    const divergence = [];
    for (let m = 0; m < machines; m++) singleOps(mode, strategy, 1000, times, divergence);
    for (const [name, xs] of times) rows.push({ name: `${mode} ${strategy}, 1000 procs: ${name}`, unit: 'ms', ...summary(xs) });
    rows.push({ name: `${mode} ${strategy}, 1000 procs: divergence of all`, unit: 'ms', ...summary(divergence) });
  }
  return rows;
}

// Whole scenarios (section (c) of npm run bench): generated files of a few thousand
// operations, timed in wasm here and natively by crate/benches/scenarios.rs.

/**
 * A scenario's text: forks, rounds of allocations with accesses from the older processes
 * and frees (the vmalloc area is reused, so a small 32-bit area holds it too), more
 * forks, ioremaps, an access from every process, exits.
 * @param {{config: string, procs: number, rounds: number, allocs: number, maps: number}} w
 */
export function scenarioText({ config, procs, rounds, allocs, maps }) {
  const l = [`config ${config}`];
  for (let p = 0; p < procs / 2; p++) l.push(`fork p${p}`);
  for (let r = 0; r < rounds; r++) {
    for (let a = 0; a < allocs; a++) {
      l.push(`allocate b${r}_${a} ${a % 7 === 0 ? '2M' : '64K'}`);
      if (a % 3 === 0) l.push(`access p${a % (procs / 2)} b${r}_${a}+0x1000`);
    }
    for (let a = 0; a < allocs; a += 2) l.push(`unmap b${r}_${a}`);
  }
  for (let p = procs / 2; p < procs; p++) l.push(`fork p${p}`);
  for (let m = 0; m < maps; m++) l.push(`map io${m} 0x${(0xf0000000 + m * 0x200000).toString(16)} 2M`);
  for (let p = 0; p < procs; p++) l.push(`access p${p} b0_1`);
  for (let p = 0; p < procs; p += 2) l.push(`exit p${p}`);
  return l.join('\n') + '\n';
}

/** The scenarios of section (c), by name. */
export const SCENARIOS = [
  ['x86-64, 6.1 (prealloc)', { config: 'mode=x86-64', procs: 32, rounds: 10, allocs: 200, maps: 16 }],
  ['PAE 3G, lazy faults', { config: 'mode=pae split=3G pti=on strategy=lazy', procs: 32, rounds: 10, allocs: 60, maps: 16 }],
  ['PAE 3G, tracked+fault', { config: 'mode=pae split=3G pti=on strategy=tracked+fault', procs: 32, rounds: 10, allocs: 60, maps: 16 }],
  ['5-level, eager', { config: 'mode=la57 strategy=eager', procs: 16, rounds: 10, allocs: 100, maps: 8 }],
];

/**
 * One scenario in wasm, the best and the median of `reps` runs after an untimed one:
 * `whole`, the text parsed and run in one call (`fromScenario`); `step`, its operations
 * applied one by one (`apply`, the results left in the engine) on a machine booted from
 * its configuration; `draw` (ms), a cells view of every grid; `hash`, the state hash as
 * 16 hex digits.
 * @param {any} Playground the class from www/src/engine.js, engine loaded
 * @param {string} text
 * @param {number} reps
 */
export function timeScenario(Playground, text, reps) {
  const times = [];
  let pg = Playground.fromScenario(text);
  for (let i = 0; i < reps; i++) {
    pg.free();
    const t = performance.now();
    pg = Playground.fromScenario(text);
    times.push(performance.now() - t);
  }
  const hash = '0x' + pg.stateHash().toString(16).padStart(16, '0');
  const procs = pg.processes().map((p) => p.name);
  const history = pg.history();
  const config = JSON.parse(pg.scenarioJson()).config;
  pg.free();
  const steps = [];
  let draw = 0;
  for (let i = 0; i < reps; i++) {
    const q = Playground.create(config);
    const t = performance.now();
    for (const op of history) q.apply(op);
    steps.push(performance.now() - t);
    if (i === reps - 1) {
      const t2 = performance.now();
      for (let r = 0; r < 100; r++) for (const p of [null, ...procs]) q.cells(p);
      draw = (performance.now() - t2) / 100;
    }
    q.free();
  }
  return { whole: summary(times), step: summary(steps), draw, hash };
}
