// `npm run bench`: (a) page weight: what index.html and embed.html request as they open
// in the system Chromium, each request's gzip -9 size and the total against the 150 kB
// budget (scripts/bench-page.mjs), and for information every file www/ serves; (b) engine
// speed: the workloads of `cargo bench` (crate/benches/engine.rs) and the same workloads
// through the wasm Playground (scripts/bench-workloads.mjs) in the system Chromium and in
// Node, side by side, judged in Chromium (the page's runtime): a call that does nothing
// within 1 us, and every operation of 50 us or more natively, and every mode's nine
// operations summed, within 1.5x native; (c) whole scenarios in wasm, whole and op by op
// as the page applies them, against the engine's own native time for the same
// (crate/benches/scenarios.rs, `cargo bench --bench scenarios`), within 1.5x; the state
// hashes must be equal (else exit 1); (d) the page in the system Chromium, served by
// scripts/serve.mjs on a free port: navigation to the first complete drawing (budget
// 300 ms), a full redraw of 64 tables of 1,536 cells (budget 16 ms), and a link at the
// limits (1,024 processes, 16,384 operations: first drawing within 1 s, no task over 200 ms).
// Options: --no-build (use www/pkg as it is), --quick (fewer repetitions), --no-browser
// (no Chromium: (b) in Node only, and no (d)).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import playwrightConfig from '../playwright.config.mjs';
import { runWorkloads, MODES, OPS, summary, SCENARIOS, scenarioText, timeScenario } from './bench-workloads.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// cargo as rustup installs it, even where the shell's PATH lacks it (as the scripts do).
process.env.PATH = `${join(homedir(), '.cargo/bin')}:${process.env.PATH ?? ''}`;
const www = join(root, 'www');
const args = new Set(process.argv.slice(2));
const reps = args.has('--quick') ? 3 : 7;
const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, 'target');

const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
const ms = (n) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
const median = (xs) => summary(xs).median;
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

// The system Chromium and its flags, as the browser tests launch it (playwright.config.mjs).
const { executablePath: CHROMIUM, args: CHROMIUM_ARGS } = playwrightConfig.use.launchOptions;
const browserOk = !args.has('--no-browser') && existsSync(CHROMIUM);

// (a) Page weight: what each page of the app requests as it opens in Chromium, judged
// against the budget; then, for information, every file the static server hands out
// (less type declarations, tests and source maps): what a visitor could ever fetch.
const WEIGHT_BUDGET = 150_000;
const PAGES = ['/', '/embed.html'];
async function pageWeight() {
  const { chromium } = await import('@playwright/test');
  const { pageRequests } = await import('./bench-page.mjs');
  const { port, child } = await startServer();
  let browser = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    console.log(`\n(a) page weight: what each page requests as it opens in Chromium ${browser.version()}, until its first drawing and a quiet network; gzip -9 of each body`);
    for (const path of PAGES) {
      const { requests, total: sum, problems } = await pageRequests(browser, `http://127.0.0.1:${port}`, path);
      console.log(`\n${path === '/' ? '/ (index.html)' : path}: ${requests.length} requests`);
      table(['request', 'type', 'raw', 'gzip'], requests.map((r) => [r.path, r.type, kb(r.raw), kb(r.gz)]));
      console.log(`total: ${kb(sum)} gzip (${kb(requests.reduce((a, r) => a + r.raw, 0))} raw) of a ${kb(WEIGHT_BUDGET)} budget: ${sum <= WEIGHT_BUDGET ? 'within' : 'OVER'} (${((100 * sum) / WEIGHT_BUDGET).toFixed(0)}%)`);
      if (problems.length) {
        console.log(`page errors: ${problems.join(' | ')}`);
        process.exitCode = 1;
      }
    }
  } finally {
    await browser?.close();
    await stopServer(child);
  }
}
if (browserOk) {
  try {
    await pageWeight();
  } catch (e) {
    console.error(`\n(a) page weight in Chromium failed: ${e instanceof Error ? e.stack : e}`);
    process.exitCode = 1;
  }
} else console.log('\n(a) page weight in Chromium: skipped (no browser, or --no-browser)');

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (!/\.d\.ts$|\.test\.mjs$|\.map$|^\.gitignore$|^package\.json$/.test(e.name)) yield p;
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
console.log('\nfor information, gzip -9 of every file www/ serves (sources, the build output, scenarios, examples):');
table(
  ['kind', 'files', 'raw', 'gzip'],
  [...byKind].sort((a, b) => b[1].gz - a[1].gz).map(([kind, k]) => [kind, k.files, kb(k.raw), kb(k.gz)]),
);
console.log(`largest: ${biggest.sort((a, b) => b[1] - a[1]).slice(0, 4).map(([f, n]) => `${f} ${kb(n)}`).join(', ')}`);
console.log(`all files: ${kb(total)} gzip (${kb(raw)} raw)`);

/** A port nobody listens on now. */
function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => ok(port));
    });
  });
}

/** Starts scripts/serve.mjs on a free port; resolves once it listens. */
async function startServer() {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, [join(root, 'scripts/serve.mjs')], {
      cwd: root, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const up = await new Promise((ok) => {
      let out = '';
      child.stdout.on('data', (d) => { out += d; if (out.includes('serving')) ok(true); });
      child.on('exit', () => ok(false));
      setTimeout(() => ok(false), 10_000);
    });
    if (up) return { port, child };
    child.kill();
    if (attempt >= 2) throw new Error('scripts/serve.mjs did not start');
  }
}

/** Stops the server and waits until it has exited. */
function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    child.once('exit', () => ok());
    child.kill('SIGTERM');
    setTimeout(() => { child.kill('SIGKILL'); }, 3000).unref();
  });
}

// (b) The engine benchmark natively and in wasm: crate/benches/engine.rs (`cargo bench`)
// and scripts/bench-workloads.mjs run the same workloads by the same procedure; the
// native rows come from the JSON file the bench writes. The wasm side runs in the system
// Chromium (the page's runtime; the page is cross-origin isolated for the run, so that
// performance.now() resolves 5 us rather than 100 us) and in Node.
const { loadEngine, Playground } = await import(join(www, 'src/engine.js'));
await loadEngine(readFileSync(join(www, 'pkg/vmsync_bg.wasm')));
const WASM_BUDGET = 1.5; // wasm at most 1.5x slower than native
/** Rows below this many ms natively mostly measure the call into wasm, not the engine. */
const BOUNDARY_MS = 0.05;
/** The row that times the call alone, and its budget in ms (1 us). */
const CALL_ROW = 'a call that does nothing (x86-64: sync unmappings)';
const CALL_BUDGET_MS = 0.001;

console.log('\nbench: cargo bench -p vmsync --bench engine (native) ...');
const nativeJson = join(targetDir, 'bench-native.json');
rmSync(nativeJson, { force: true });
const bench = spawnSync('cargo', ['bench', '-p', 'vmsync', '--bench', 'engine'], {
  cwd: root, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, VMSYNC_BENCH_JSON: nativeJson },
});
if (bench.status !== 0) process.stderr.write(bench.error ? `bench: cargo bench did not run: ${bench.error.message}\n` : bench.stderr ?? '');
else console.log(bench.stdout.trimEnd().replace(/^/gm, '  | '));
/** @type {Map<string, {best: number, median: number, unit: string}>} */
const native = new Map(existsSync(nativeJson) ? JSON.parse(readFileSync(nativeJson, 'utf8')).map((r) => [r.name, r]) : []);

console.log('bench: the same workloads in wasm, in Node ...');
const inNode = new Map(runWorkloads(Playground, { quick: args.has('--quick') }).map((r) => [r.name, r]));
const texts = SCENARIOS.map(([, w]) => scenarioText(w));
const scenariosInNode = texts.map((t) => timeScenario(Playground, t, reps));

/** The workloads in the system Chromium: rows by name, or null when there is no browser. */
async function workloadsInChromium() {
  const { chromium } = await import('@playwright/test');
  const { port, child } = await startServer();
  let browser = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    const base = `http://127.0.0.1:${port}`;
    const workloads = readFileSync(join(root, 'scripts/bench-workloads.mjs'), 'utf8');
    const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
    await page.route(`${base}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/__bench/') return route.fulfill({ contentType: 'text/html', headers: isolation, body: '<!doctype html><title>bench</title>' });
      if (path === '/__bench/workloads.mjs') return route.fulfill({ contentType: 'text/javascript', headers: isolation, body: workloads });
      const response = await route.fetch();
      return route.fulfill({ response, headers: { ...response.headers(), ...isolation } });
    });
    await page.goto(`${base}/__bench/`);
    const quick = args.has('--quick');
    const out = await page.evaluate(async ([q, ts, n]) => {
      const { loadEngine: load, Playground: P } = await import('/src/engine.js');
      await load();
      const { runWorkloads: run, timeScenario: time } = await import('/__bench/workloads.mjs');
      const rows = run(P, { quick: q });
      return { isolated: globalThis.crossOriginIsolated, rows, scenarios: ts.map((t) => time(P, t, n)) };
    }, [quick, texts, reps]);
    if (!out.isolated) console.log('bench: the page is not cross-origin isolated; its timer resolves 100 us only');
    return { version: browser.version(), rows: new Map(out.rows.map((r) => [r.name, r])), scenarios: out.scenarios };
  } finally {
    await browser?.close();
    await stopServer(child);
  }
}
let inChromium = null;
if (browserOk) {
  console.log('bench: the same workloads in wasm, in Chromium ...');
  try {
    inChromium = await workloadsInChromium();
  } catch (e) {
    console.error(`bench: the workloads in Chromium failed: ${e instanceof Error ? e.stack : e}`);
    process.exitCode = 1;
  }
}

// The verdict runs on the browser's figures when there are any, else on Node's.
const judged = inChromium ? inChromium.rows : inNode;
const judgedName = inChromium ? 'Chromium' : 'Node';
let judgedRows = 0;
let overB = 0;
/** Digits after the point: ns/entry 2; ms 3, or 4 for rows of microseconds. */
const digits = (r) => (r.unit !== 'ms' ? 2 : r.median < 0.01 ? 4 : 3);
const cell = (r) => (r ? `${r.best.toFixed(digits(r))} (${r.median.toFixed(digits(r))})` : 'n/a');
const ratio = (w, n) => (w && n ? w.best / n.best : NaN);
const fmtRatio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '');
/** Native milliseconds per operation of a row (ns/entry rows carry their entries per op). */
const opMs = (n) => (n.unit === 'ns/entry' ? (n.best * (n.entries ?? 0)) / 1e6 : n.best);
/**
 * A row of the main table: native, the judged wasm, its ratio and verdict, and the other
 * wasm. A row whose operation takes under BOUNDARY_MS natively is shown, not judged.
 */
function rowB(label, n, judgedRow, other) {
  const r = ratio(judgedRow, n);
  let verdict = '';
  if (label === CALL_ROW && judgedRow) {
    judgedRows++;
    const ok = judgedRow.best <= CALL_BUDGET_MS;
    if (!ok) overB++;
    verdict = `${ok ? 'within' : 'OVER'} ${CALL_BUDGET_MS * 1000} us`;
  } else if (Number.isFinite(r) && opMs(n) < BOUNDARY_MS) verdict = 'not judged*';
  else if (Number.isFinite(r)) {
    judgedRows++;
    if (r > WASM_BUDGET) overB++;
    verdict = r <= WASM_BUDGET ? 'within' : 'OVER';
  }
  return [label, n?.unit ?? '', cell(n), cell(judgedRow), fmtRatio(r), verdict, ...(inChromium ? [cell(other), fmtRatio(ratio(other, n))] : [])];
}
/** The rows of one mode's whole sequence of operations: each figure is the sum of the ops'. */
function sequence(rows, prefix) {
  if (!rows) return null;
  const ops = OPS.map(([name]) => rows.get(`${prefix}: ${name}`));
  if (ops.some((r) => !r)) return null;
  return { unit: 'ms', best: ops.reduce((a, r) => a + r.best, 0), median: ops.reduce((a, r) => a + r.median, 0) };
}
const mainRows = [];
for (const name of [...native.keys()].filter((k) => !k.includes(', 1000 procs: '))) {
  mainRows.push(rowB(name, native.get(name), judged.get(name), inNode.get(name)));
}
// Rows with no native twin (what reading a result costs): shown, not judged.
for (const [name, r] of judged) {
  if (r.wasmOnly) mainRows.push([`  ${name}`, r.unit, 'n/a', cell(r), '', '', ...(inChromium ? [cell(inNode.get(name)), ''] : [])]);
}
for (const [mode, strategy] of MODES) {
  const prefix = `${mode} ${strategy}, 1000 procs`;
  // The slowest operation natively (by median), the divergence view, and all nine.
  const opRows = OPS.map(([name]) => [name, native.get(`${prefix}: ${name}`)]).filter(([, r]) => r);
  if (opRows.length) {
    const [slowName] = opRows.reduce((a, b) => (b[1].median > a[1].median ? b : a));
    const key = `${prefix}: ${slowName}`;
    mainRows.push(rowB(`${key} (slowest op natively)`, native.get(key), judged.get(key), inNode.get(key)));
  }
  const div = `${prefix}: divergence of all`;
  mainRows.push(rowB(`${div} (processStats view)`, native.get(div), judged.get(div), inNode.get(div)));
  mainRows.push(rowB(`${prefix}: all nine operations, summed`, sequence(native, prefix), sequence(judged, prefix), sequence(inNode, prefix)));
}

console.log(`\n(b) the engine benchmark, native vs wasm: best (median) of each workload; the ratio of the bests`);
console.log(`    wasm in ${inChromium ? `Chromium ${inChromium.version}` : 'Node'} (judged)${inChromium ? ` and in Node ${process.version}` : ''}; what each wasm figure includes is said below the table`);
table(['workload', 'unit', 'native', `wasm, ${judgedName}`, 'ratio', `budget ${WASM_BUDGET}x`, ...(inChromium ? ['wasm, Node', 'ratio'] : [])], mainRows);
console.log(`* under ${BOUNDARY_MS * 1000} us per operation natively: the call into wasm (the operation's JSON in, its result read out as a record) weighs as much as the engine.`);
console.log('  Each wasm figure of an operation includes reading its result once (apply, then stepResult), as the page does;');
console.log(`  "${CALL_ROW}" times apply alone (the result stays in the engine until asked for).`);
let opCells = 0;
let overOps = 0;
for (const [where, rows] of [[judgedName, judged], ...(inChromium ? [['Node', inNode]] : [])]) {
  console.log(`\nevery single operation, wasm (${where}) / native, ratio of the bests (* under ${BOUNDARY_MS * 1000} us natively, not judged${where === 'Chromium' ? '; Chromium\'s timer resolves 5 us' : ''}${where === judgedName ? `; ! over ${WASM_BUDGET}x` : ''}):`);
  table(['1000 procs', ...OPS.map(([name]) => name)], MODES.map(([mode, strategy]) => [`${mode} ${strategy}`, ...OPS.map(([name]) => {
    const key = `${mode} ${strategy}, 1000 procs: ${name}`;
    const x = ratio(rows.get(key), native.get(key));
    if (!Number.isFinite(x)) return 'n/a';
    const small = native.get(key).best < BOUNDARY_MS;
    const over = !small && x > WASM_BUDGET;
    if (where === judgedName && !small) {
      opCells++;
      if (over) overOps++;
    }
    return `${x.toFixed(1)}x${small ? '*' : over ? '!' : ''}`;
  })]));
}
if (!native.size) console.log('native: cargo bench failed or wrote no rows; wasm figures only.');
else {
  // The two sides must name the same workloads (crate/benches/engine.rs, bench-workloads.mjs).
  const unmatched = [
    ...[...native.keys()].filter((k) => !inNode.has(k)),
    ...[...inNode.keys()].filter((k) => !native.has(k) && !inNode.get(k).wasmOnly),
  ];
  if (unmatched.length) {
    console.error(`bench: rows on one side only (the two workload lists differ): ${unmatched.join('; ')}`);
    process.exitCode = 1;
  }
}
console.log(`${judgedRows - overB} of ${judgedRows} rows within their budget in ${judgedName}${overB ? `; ${overB} OVER` : ''}; ` +
  `${opCells - overOps} of ${opCells} single operations of ${BOUNDARY_MS * 1000} us or more natively within ${WASM_BUDGET}x${overOps ? `; ${overOps} OVER` : ''}` +
  `${args.has('--quick') ? ' (--quick: the wasm side ran one batch and one machine, a smoke run rather than a measurement)' : ''}.`);

// (c) Whole scenarios (bench-workloads.mjs): in wasm, in Chromium when there is one (else
// Node), parsed and run in one call, and op by op through apply() (then a cells view of
// every grid), against the engine's own native time for the same, from
// crate/benches/scenarios.rs; the state hashes must agree.
const slug = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const dir = join(targetDir, 'bench-workloads');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

/** The engine's own native times for the files (crate/benches/scenarios.rs), by file. */
function nativeScenarios(files) {
  console.log('\nbench: cargo bench -p vmsync --bench scenarios (native, the same files) ...');
  const r = spawnSync('cargo', ['bench', '-p', 'vmsync', '--bench', 'scenarios', '--', ...files], {
    cwd: root, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, VMSYNC_BENCH_REPS: String(reps) },
  });
  if (r.status !== 0) {
    process.stderr.write(r.error ? `bench: cargo bench did not run: ${r.error.message}\n` : r.stderr ?? '');
    return new Map();
  }
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('{'));
  return new Map(lines.map((l) => JSON.parse(l)).map((x) => [x.file, x]));
}

const scenarioFiles = SCENARIOS.map(([name], i) => {
  const file = join(dir, `${slug(name)}.vms`);
  writeFileSync(file, texts[i]);
  return file;
});
const nativeRuns = nativeScenarios(scenarioFiles);
const SCENARIO_BUDGET = 1.5;
const rows = [];
let mismatch = 0;
let judgedC = 0;
let overC = 0;
/** `best (median)` of a `{best, median}` in ms. */
const bm = (r) => (r ? `${ms(r.best)} (${ms(r.median)})` : 'n/a');
/** The ratio of the bests, wasm / native, as `1.23x`, counted against the budget. */
const judge = (w, n) => {
  if (!n) return 'n/a';
  const x = w.best / n.best;
  judgedC++;
  if (x > SCENARIO_BUDGET) overC++;
  return `${x.toFixed(2)}x${x > SCENARIO_BUDGET ? ' OVER' : ''}`;
};
for (const [i, [name]] of SCENARIOS.entries()) {
  const file = scenarioFiles[i];
  const text = readFileSync(file, 'utf8');
  const ops = text.split('\n').filter((l) => l && !l.startsWith('config')).length;
  const w = (inChromium?.scenarios ?? scenariosInNode)[i];
  const wasmHash = w.hash;
  const { whole, step, draw } = w;
  const n = nativeRuns.get(file);
  if (n && n.state_hash !== wasmHash) mismatch++;
  rows.push([
    name, ops, bm(whole), bm(n?.whole), judge(whole, n?.whole),
    bm(step), bm(n?.op_by_op), judge(step, n?.op_by_op), ms(draw),
    n ? (n.state_hash === wasmHash ? 'same' : `DIFFERENT (${n.state_hash} vs ${wasmHash})`) : wasmHash,
  ]);
}
console.log(`\n(c) whole scenarios in wasm (${inChromium ? 'Chromium' : 'Node'}) against the engine natively, best (median) of ${reps} runs; the ratio of the bests (files: ${relative(root, dir).startsWith('..') ? dir : relative(root, dir)}/*.vms)`);
table(['workload', 'ops', 'wasm, one call', 'native', 'ratio', 'wasm, op by op', 'native', 'ratio', 'cells, all grids', 'state hash native vs wasm'], rows);
console.log('one call: the text parsed and run (Playground.fromScenario, Session::from_text); op by op: each operation');
console.log('  applied as JSON text (apply, Session::apply_json_kept) on a machine booted from the configuration.');
if (!nativeRuns.size) console.log('the native runner could not be built or run: wasm figures only.');
console.log(`${judgedC - overC} of ${judgedC} scenario figures within ${SCENARIO_BUDGET}x of native${overC ? `; ${overC} OVER` : ''}.`);

// (d) The page in the system Chromium (never a downloaded browser), served by
// scripts/serve.mjs on a free 127.0.0.1 port. Times are the page's own, from
// performance.timeOrigin (the start of the navigation), read from the attributes the
// page stamps: data-first-draw-ms / data-first-frame-ms on `.app`, data-draw-ms on the
// panels (what drawing every grid took: a cells() view of each table and its canvas).
const FIRST_BUDGET = 300;
const REDRAW_BUDGET = 16;
const LOADS = 5;
const REDRAWS = 10;
const LIMIT_LOADS = 3;
const LIMIT_DRAW_BUDGET = 1000;
const LONG_TASK_BUDGET = 200;

async function browserSection() {
  const { chromium } = await import('@playwright/test');
  const { bigScenario, limitsScenario } = await import(join(root, 'tests/e2e/helpers.mjs'));
  const { port, child } = await startServer();
  let browser = null;
  const onSignal = () => { child.kill('SIGTERM'); process.exit(130); };
  process.once('SIGINT', onSignal);
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const version = browser.version();
    const base = `http://127.0.0.1:${port}`;
    const viewport = { width: 1280, height: 720 };
    const problems = [];
    /** A page in a fresh context (empty cache), watching for errors. */
    const fresh = async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
      return { context, page };
    };

    // (i) Navigation to the first complete drawing: LOADS fresh loads of the page.
    const loads = [];
    for (let i = 0; i < LOADS; i++) {
      const { context, page } = await fresh();
      await page.goto(`${base}/`);
      const app = page.locator('vmsync-playground .app');
      await app.and(page.locator('[data-first-frame-ms]')).waitFor({ timeout: 30_000 });
      const nav = await page.evaluate(() => {
        const n = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0]);
        return { start: n.startTime, response: n.responseEnd, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd };
      });
      if (nav.start !== 0) throw new Error(`the navigation entry starts at ${nav.start}, not at timeOrigin`);
      loads.push({
        draw: Number(await app.getAttribute('data-first-draw-ms')),
        frame: Number(await app.getAttribute('data-first-frame-ms')),
        ...nav,
      });
      await context.close();
    }
    const m = (k) => median(loads.map((l) => l[k]));
    const firstRows = [
      ['HTML received (responseEnd)', ms(m('response')), '', ''],
      ['DOMContentLoaded', ms(m('dcl')), '', ''],
      ['first drawing complete (data-first-draw-ms)', ms(m('draw')), '', ''],
      ['first frame after it (data-first-frame-ms)', ms(m('frame')), `${FIRST_BUDGET} ms`, m('frame') <= FIRST_BUDGET ? 'within' : 'OVER'],
    ];

    // (ii) Full redraws of 64 tables x 1,536 cells (PAE 1G), stepping back and forth.
    const { context, page } = await fresh();
    await page.goto(`${base}/#s=${encodeURIComponent(bigScenario())}`);
    const panels = page.getByTestId('panels');
    const app = page.locator('vmsync-playground .app');
    await panels.and(page.locator('[data-processes="63"]')).waitFor({ timeout: 60_000 });
    const tables = await page.locator('vmsync-playground vmsync-slot-grid').count();
    const slots = (await page.getByTestId('layout-summary').textContent())?.match(/([\d\u202f,]+) PMD slots/)?.[1]?.replace(/\D/g, '');
    const draws = [];
    const renders = [];
    const frames = [];
    for (let i = 0; i < REDRAWS; i++) {
      const back = i % 2 === 0;
      await panels.evaluate((el) => el.removeAttribute('data-draw-ms'));
      // The click in the page itself, timed to the end of the frame that shows it: an
      // animation frame, then a task (after style, layout and paint of that frame).
      frames.push(await page.getByTestId(back ? 'step-back' : 'step-forward').evaluate(async (button) => {
        const win = /** @type {Window} */ (button.ownerDocument.defaultView);
        const t = win.performance.now();
        /** @type {HTMLElement} */ (button).click();
        await new Promise((ok) => win.requestAnimationFrame(() => win.setTimeout(ok, 0)));
        return win.performance.now() - t;
      }));
      await app.and(page.locator(`[data-position="${back ? 64 : 65}"]`)).waitFor();
      await panels.and(page.locator('[data-draw-ms]')).waitFor();
      draws.push(Number(await panels.getAttribute('data-draw-ms')));
      renders.push(Number(await app.getAttribute('data-render-ms')));
    }
    await context.close();
    const redraw = median(draws);
    const redrawRows = [
      [`redraw, ${tables} tables x ${slots} cells (data-draw-ms)`, ms(redraw), `${REDRAW_BUDGET} ms`, redraw <= REDRAW_BUDGET ? 'within' : 'OVER'],
      ['whole render incl. the other views (data-render-ms)', ms(median(renders)), '', ''],
      ['click to the end of the next frame (render, style, layout, paint)', ms(median(frames)), '', ''],
    ];

    // (iii) A link at the limits: 1,024 processes, 16,384 operations; fresh loads, the
    // first drawing from navigation and the longest task from navigation to 1 s after it.
    const limits = [];
    for (let i = 0; i < LIMIT_LOADS; i++) {
      const { context, page: p } = await fresh();
      await p.addInitScript(() => {
        /** @type {any} */ (globalThis).__long = [];
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) /** @type {any} */ (globalThis).__long.push(e.duration);
        }).observe({ type: 'longtask', buffered: true });
      });
      await p.goto(`${base}/#s=${encodeURIComponent(limitsScenario())}`);
      const a = p.locator('vmsync-playground .app');
      await a.and(p.locator('[data-first-draw-ms]')).waitFor({ timeout: 60_000 });
      await p.waitForTimeout(1000);
      limits.push({
        draw: Number(await a.getAttribute('data-first-draw-ms')),
        longest: Math.max(0, ...(await p.evaluate(() => /** @type {any} */ (globalThis).__long))),
      });
      await context.close();
    }
    const limDraw = median(limits.map((l) => l.draw));
    const limLong = Math.max(...limits.map((l) => l.longest));
    const limitRows = [
      ['link at the limits: first drawing (data-first-draw-ms)', ms(limDraw), `${LIMIT_DRAW_BUDGET} ms`, limDraw <= LIMIT_DRAW_BUDGET ? 'within' : 'OVER'],
      ['link at the limits: longest task, any load (longtask)', ms(limLong), `${LONG_TASK_BUDGET} ms`, limLong <= LONG_TASK_BUDGET ? 'within' : 'OVER'],
    ];

    console.log(`\n(d) the page in Chromium ${version} (${CHROMIUM}, --disable-gpu, ${viewport.width}x${viewport.height}), served on 127.0.0.1:${port}`);
    table(['measure', 'median', 'budget', ''], [...firstRows, ...redrawRows, ...limitRows]);
    console.log(`first drawing: median of ${LOADS} fresh loads of / (a new browser context each, empty cache), ms from navigation start;`);
    console.log(`  each load's first frame: ${loads.map((l) => l.frame.toFixed(0)).join(', ')} ms.`);
    console.log(`redraw: median of ${REDRAWS} redraws (step back / forward over the last operation): ${draws.map((x) => x.toFixed(1)).join(', ')} ms;`);
    console.log(`  whole render: ${renders.map((x) => x.toFixed(1)).join(', ')} ms; to the next frame: ${frames.map((x) => x.toFixed(0)).join(', ')} ms.`);
    console.log(`link at the limits (1,024 processes, 16,384 operations, ${kb(encodeURIComponent(limitsScenario()).length)} of URL): ${LIMIT_LOADS} fresh loads;`);
    console.log(`  first drawings ${limits.map((l) => l.draw.toFixed(0)).join(', ')} ms; longest tasks ${limits.map((l) => l.longest.toFixed(0)).join(', ')} ms.`);
    if (problems.length) console.log(`page errors: ${problems.join(' | ')}`);
    return { problems: problems.length };
  } finally {
    await browser?.close();
    await stopServer(child);
    process.removeListener('SIGINT', onSignal);
  }
}

if (args.has('--no-browser')) console.log('\n(d) the page in Chromium: skipped (--no-browser)');
else if (!existsSync(CHROMIUM)) console.log(`\n(d) the page in Chromium: skipped (no browser at ${CHROMIUM}; scripts/setup.sh installs Debian's chromium)`);
else {
  try {
    const r = await browserSection();
    if (r.problems) process.exitCode = 1;
  } catch (e) {
    console.error(`\n(d) the page in Chromium failed: ${e instanceof Error ? e.stack : e}`);
    process.exitCode = 1;
  }
}

if (mismatch) {
  console.error(`\n${mismatch} workload(s) ended in a different state natively and in wasm`);
  process.exit(1);
}
