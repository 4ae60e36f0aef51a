// Snapshot tests of the event log's words: every scenario file (crate/tests/scenarios and
// the tours in www/scenarios) loaded as the page loads it (Timeline.fromScenario replays
// it one operation at a time), and each step written as the log writes it: the
// operation line, then every event through eventText() with the page's ctx. Access
// outcomes are added in outcomeWords() and addresses as the page announces them.
// One file per scenario in tests/snapshots/<dir>-<stem>.log (dir: crate or www).
// UPDATE_EXPECT=1 rewrites them (and removes those of scenarios that no longer exist);
// review the change in the git diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadEngine, opText } from '../www/src/engine.js';
import { Timeline } from '../www/src/timeline.js';
import { eventText, outcomeWords } from '../www/src/lib/words.js';
import { addr } from '../www/src/lib/format.js';

await loadEngine(readFileSync(new URL('../www/pkg/vmsync_bg.wasm', import.meta.url)));

const root = new URL('../', import.meta.url);
const snapDir = new URL('tests/snapshots/', root);
const update = process.env.UPDATE_EXPECT !== undefined;

/** Every scenario file: its path from the repository root and its snapshot's name. */
const scenarios = [
  ['crate/tests/scenarios', 'crate'],
  ['www/scenarios', 'www'],
].flatMap(([dir, prefix]) =>
  readdirSync(new URL(`${dir}/`, root))
    .filter((f) => f.endsWith('.vms'))
    .sort()
    .map((f) => ({ path: `${dir}/${f}`, snap: `${prefix}-${f.replace(/\.vms$/, '')}.log` })),
);

/**
 * The log of a scenario as the page writes it (vmsync-playground.js, #renderLog): the
 * boot line, then per step its operation and every event (the page shows the first 14).
 * @param {string} text
 * @returns {string}
 */
function logText(text) {
  const s = Timeline.fromScenario(text);
  const mode = s.layout.mode;
  const wide = mode === 'x86-64' || mode === 'la57';
  // #pidNames: the forks of the timeline, then the live processes.
  /** @type {Map<number, string>} */
  const names = new Map();
  const steps = Array.from({ length: s.length }, (_, i) => s.step(i));
  for (const st of steps) {
    if (st.op?.op === 'fork' && st.value.kind === 'pid') names.set(Number(st.value.value), String(st.op.name));
  }
  for (const p of s.playground.processes()) names.set(Number(p.pid), p.name);
  const ctx = { wide, nameOf: (/** @type {number} */ pid) => names.get(pid) ?? `pid ${pid}` };
  const out = [`Booted ${mode}: the reference table built.`];
  steps.forEach((st, i) => {
    out.push(`${i + 1}. ${opText(st.op)}`);
    if (st.value.kind === 'access') {
      const w = outcomeWords(st.value.value?.outcome, wide);
      out.push(`   = ${w.title}: ${w.text}`);
    } else if (st.value.kind === 'address') {
      out.push(`   = at ${addr(st.value.value, wide)}`);
    }
    for (const e of st.events) out.push(`   - ${eventText(e, ctx)}`);
  });
  s.free();
  return out.join('\n') + '\n';
}

test('there are scenario files', () => {
  assert.ok(scenarios.length >= 15, `found only ${scenarios.length}`);
});

for (const { path, snap } of scenarios) {
  test(`event log of ${path} matches tests/snapshots/${snap}`, () => {
    const actual = logText(readFileSync(new URL(path, root), 'utf8'));
    assert.match(actual, /^Booted /);
    const file = new URL(snap, snapDir);
    if (update) {
      mkdirSync(snapDir, { recursive: true });
      if (!existsSync(file) || readFileSync(file, 'utf8') !== actual) writeFileSync(file, actual);
      return;
    }
    assert.ok(existsSync(file), `tests/snapshots/${snap}: missing (run with UPDATE_EXPECT=1)`);
    assert.equal(actual, readFileSync(file, 'utf8'), `tests/snapshots/${snap} differs (UPDATE_EXPECT=1 rewrites it)`);
  });
}

test('no event-log snapshot outlives its scenario', () => {
  const wanted = new Set(scenarios.map((s) => s.snap));
  const present = existsSync(snapDir) ? readdirSync(snapDir) : [];
  const stale = present.filter((f) => !wanted.has(f));
  if (update) {
    for (const f of stale) rmSync(new URL(f, snapDir));
    return;
  }
  const names = stale.map((f) => `tests/snapshots/${f}`).join(', ');
  assert.equal(stale.length, 0, `stale snapshots (no scenario file; remove them or run with UPDATE_EXPECT=1): ${names}`);
});
