// `npm run bench`: (a) page weight, the gzip size of every file www/ serves against the
// 250 kB budget; (b) engine speed: the native bench's own workloads (crate/benches/
// engine.rs, run with `cargo bench`) repeated through the wasm Playground in Node, side
// by side; (c) whole scenarios in wasm, whole and op by op as the page applies them, and
// through the release CLI, whose state hash must equal the wasm one (else exit 1).
// Options: --no-build (use www/pkg as it is), --quick (fewer repetitions).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const www = join(root, 'www');
const args = new Set(process.argv.slice(2));
const reps = args.has('--quick') ? 3 : 7;
const BUDGET = 250_000;
const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, 'target');

const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
const ms = (n) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Prints rows as an aligned table; numbers-looking cells align right. */
function table(head, rows) {
  const all = [head, ...rows].map((r) => r.map(String));
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i > 0 && /^[\d.-]/.test(c) ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ');
  console.log(line(all[0]));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of all.slice(1)) console.log(line(r));
}

if (!args.has('--no-build')) {
  console.log('bench: building the release wasm (scripts/build.sh) ...');
  execFileSync('bash', [join(root, 'scripts/build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
}
if (!existsSync(join(www, 'pkg/vmsync_bg.wasm'))) {
  console.error('bench: www/pkg is missing; run npm run build');
  process.exit(1);
}

// (a) Page weight: what the static server hands out, less type declarations and tests.
function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (!/\.d\.ts$|\.test\.mjs$|^\.gitignore$|^package\.json$/.test(e.name)) yield p;
  }
}
const byKind = new Map();
let total = 0;
let raw = 0;
const biggest = [];
for (const f of files(www)) {
  const body = readFileSync(f);
  const gz = gzipSync(body, { level: 9 }).length;
  const kind = extname(f).slice(1) || 'other';
  const k = byKind.get(kind) ?? { files: 0, raw: 0, gz: 0 };
  k.files++;
  k.raw += body.length;
  k.gz += gz;
  byKind.set(kind, k);
  total += gz;
  raw += body.length;
  biggest.push([relative(www, f), gz]);
}
console.log('\n(a) page weight: gzip -9 of every file www/ serves');
table(
  ['kind', 'files', 'raw', 'gzip'],
  [...byKind].sort((a, b) => b[1].gz - a[1].gz).map(([kind, k]) => [kind, k.files, kb(k.raw), kb(k.gz)]),
);
console.log(`largest: ${biggest.sort((a, b) => b[1] - a[1]).slice(0, 4).map(([f, n]) => `${f} ${kb(n)}`).join(', ')}`);
console.log(`total: ${kb(total)} gzip (${kb(raw)} raw) of a ${kb(BUDGET)} budget: ${total <= BUDGET ? 'within' : 'OVER'} (${((100 * total) / BUDGET).toFixed(0)}%)`);

// (b) The native bench's workloads, natively (parsed from `cargo bench`) and in wasm.
// Each wasm figure includes passing the operation's result (events, metrics) to JS, as
// the page does; the native one is the engine alone.
const { loadEngine, Playground } = await import(join(www, 'src/engine.js'));
await loadEngine(readFileSync(join(www, 'pkg/vmsync_bg.wasm')));

console.log('\nbench: cargo bench -p vmsync --bench engine (native) ...');
const bench = spawnSync('cargo', ['bench', '-p', 'vmsync', '--bench', 'engine'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
if (bench.status !== 0) process.stderr.write(bench.stderr ?? '');
const nativeOut = bench.status === 0 ? bench.stdout ?? '' : '';

/** A playground with `procs` processes p0..p(n-1) forked. */
function machine(config, procs) {
  const pg = Playground.create(config);
  for (let i = 0; i < procs; i++) pg.apply({ op: 'fork', name: `p${i}` });
  return pg;
}
/** Milliseconds one operation takes in wasm, its result crossing to JS included. */
function timed(pg, op) {
  const t = performance.now();
  pg.apply(op);
  return performance.now() - t;
}
const pae1g = (strategy) => ({ mode: 'pae', split: '1G', ram: '512M', strategy, huge_ioremap: false });
const rowsB = [];
const nat = (re) => nativeOut.match(re);

for (const procs of [1000, 10]) {
  // As natively: five fresh machines, the best and the median run.
  const runs = [];
  let copied = 0;
  for (let i = 0; i < 5; i++) {
    const pg = machine(pae1g('lazy'), procs);
    const l = pg.layout();
    pg.apply({ op: 'map', name: 'io', phys: '0x100000000', size: String(l.vmalloc_end - l.vmalloc_start - 4096n) });
    const before = pg.metrics().entries_copied;
    const t = timed(pg, { op: 'sync', kind: 'mappings' });
    copied = Number(pg.metrics().entries_copied - before);
    pg.free();
    runs.push((t * 1e6) / copied);
  }
  runs.sort((a, b) => a - b);
  const n = nat(new RegExp(`sync mappings, ${procs} processes: .*?([\\d.]+) ns per entry copied best, ([\\d.]+) median`));
  rowsB.push([`sync mappings, PAE 1G, ${procs} procs (${copied} copied)`, 'ns/entry best, median',
    n ? `${n[1]}, ${n[2]}` : 'n/a', `${runs[0].toFixed(2)}, ${runs[2].toFixed(2)}`,
    n ? `${(runs[0] / Number(n[1])).toFixed(1)}x` : '']);
}
{
  const pg = machine(pae1g('eager'), 1000);
  const t = timed(pg, { op: 'map', name: 'io', phys: '0x100000000', size: '256M' });
  const copied = Number(pg.metrics().entries_copied);
  pg.free();
  const n = nat(/eager ioremap 256M: .*?([\d.]+) ns per entry/);
  const w = (t * 1e6) / copied;
  rowsB.push([`eager ioremap 256M, PAE 1G, 1000 procs`, 'ns/entry', n ? n[1] : 'n/a', w.toFixed(2), n ? `${(w / Number(n[1])).toFixed(1)}x` : '']);
}
for (const [mode, strategy] of [['x86-32', 'eager'], ['x86-32', 'lazy'], ['pae', 'tracked'], ['pae', 'eager'],
  ['x86-64', 'lazy'], ['x86-64', 'prealloc'], ['la57', 'eager'], ['la57', 'prealloc']]) {
  const pg = machine({ mode, strategy, ...(mode === 'x86-32' ? {} : { huge_ioremap: true }) }, 1000);
  const times = [
    ['fork', timed(pg, { op: 'fork', name: 'new' })],
    ['allocate 64K', timed(pg, { op: 'allocate', name: 'a', size: '64K' })],
    ['allocate 16M', timed(pg, { op: 'allocate', name: 'b', size: '16M' })],
    ['map 4M', timed(pg, { op: 'map', name: 'io', phys: '0xf0000000', size: '4M' })],
    ['access', timed(pg, { op: 'access', process: 'p500', addr: 'b+0x1000' })],
    ['sync mappings', timed(pg, { op: 'sync', kind: 'mappings' })],
    ['unmap 16M', timed(pg, { op: 'unmap', name: 'b' })],
    ['unmap 4M', timed(pg, { op: 'unmap', name: 'io' })],
    ['exit', timed(pg, { op: 'exit', process: 'p3' })],
  ];
  const t = performance.now();
  pg.processes();
  times.push(['divergence of all', performance.now() - t]);
  pg.free();
  times.sort((a, b) => b[1] - a[1]);
  const n = nat(new RegExp(`^\\s+${mode.replace('.', '\\.')}\\s+${strategy}\\s+slowest: (.+?) ([\\d.]+) ms;`, 'm'));
  rowsB.push([`slowest op, ${mode} ${strategy}, 1000 procs`, 'ms', n ? `${n[2]} (${n[1]})` : 'n/a',
    `${times[0][1].toFixed(3)} (${times[0][0]})`, n ? `${(times[0][1] / Math.max(Number(n[2]), 0.001)).toFixed(1)}x` : '']);
}
console.log(`\n(b) the native bench's workloads, native vs wasm (Node ${process.version}; wasm includes passing results to JS)`);
table(['workload', 'unit', 'native', 'wasm', 'wasm/native'], rowsB);
if (!nativeOut) console.log('native: cargo bench failed or printed nothing; wasm figures only.');

// (c) Whole scenarios: in wasm (parsed and run in one call, and op by op through apply()
// as the page does, then a cells view of every grid), and through the release CLI.
function workload({ config, procs, rounds, allocs, maps }) {
  const l = [`config ${config}`];
  for (let p = 0; p < procs / 2; p++) l.push(`fork p${p}`);
  // Rounds of allocations, accesses from the older processes and frees: the vmalloc area
  // is reused, so a small 32-bit area holds the workload too.
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
const workloads = [
  ['x86-64, 6.1 (prealloc)', { config: 'mode=x86-64', procs: 32, rounds: 10, allocs: 200, maps: 16 }],
  ['PAE 3G, lazy faults', { config: 'mode=pae split=3G pti=on strategy=lazy', procs: 32, rounds: 10, allocs: 60, maps: 16 }],
  ['PAE 3G, tracked+fault', { config: 'mode=pae split=3G pti=on strategy=tracked+fault', procs: 32, rounds: 10, allocs: 60, maps: 16 }],
  ['5-level, eager', { config: 'mode=la57 strategy=eager', procs: 16, rounds: 10, allocs: 100, maps: 8 }],
];
const slug = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const dir = join(targetDir, 'bench-workloads');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

console.log('\nbench: building the native CLI (cargo build --release --bin vmsync) ...');
let cli = join(targetDir, 'release/vmsync');
const built = spawnSync('cargo', ['build', '--release', '-p', 'vmsync', '--bin', 'vmsync'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (built.status !== 0 || !existsSync(cli)) cli = null;
/** Median wall time of `vmsync run FILE` (text output), and the state hash from --json. */
function viaCli(file) {
  const times = [];
  for (let i = 0; i < reps; i++) {
    const t = process.hrtime.bigint();
    execFileSync(cli, ['run', file], { stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const out = execFileSync(cli, ['run', file, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { time: median(times), hash: JSON.parse(out).state_hash };
}

const rows = [];
let mismatch = 0;
for (const [name, w] of workloads) {
  const file = join(dir, `${slug(name)}.vms`);
  const text = workload(w);
  writeFileSync(file, text);
  const ops = text.split('\n').filter((l) => l && !l.startsWith('config')).length;
  const times = [];
  let pg = Playground.fromScenario(text); // warm-up, untimed
  for (let i = 0; i < reps; i++) {
    pg.free();
    const t = performance.now();
    pg = Playground.fromScenario(text);
    times.push(performance.now() - t);
  }
  const wasmHash = '0x' + pg.stateHash().toString(16).padStart(16, '0');
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
  const c = cli ? viaCli(file) : null;
  if (c && c.hash !== wasmHash) mismatch++;
  rows.push([
    name, ops, ms(median(times)), ms(median(steps)), ms(draw), c ? ms(c.time) : 'n/a',
    c ? (c.hash === wasmHash ? 'same' : `DIFFERENT (${c.hash} vs ${wasmHash})`) : wasmHash,
  ]);
}
console.log(`\n(c) whole scenarios, median of ${reps} runs (files: ${relative(root, dir).startsWith('..') ? dir : relative(root, dir)}/*.vms)`);
table(['workload', 'ops', 'wasm, one call', 'wasm, op by op', 'cells, all grids', 'native CLI*', 'state hash native vs wasm'], rows);
console.log('* the whole `vmsync run FILE` process, which also builds a JSON value of every step: an upper bound.');
if (!cli) console.log('the native CLI could not be built: wasm figures only.');
if (mismatch) {
  console.error(`\n${mismatch} workload(s) ended in a different state natively and in wasm`);
  process.exit(1);
}
