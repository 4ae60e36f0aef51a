// What the page reads of each step (`Playground.stepResult`: the engine's record of it,
// read by www/src/lib/record.js straight out of wasm memory), held to the JSON text the
// engine writes for the same step natively: crate/tests/step_results.json, which
// `cargo test --test step_results` keeps current and checks covers every kind of event,
// value, outcome and operation field. Addresses and raw entries are read as BigInt where
// the text has "0x…" strings, everything else as the text has it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadEngine, Playground } from '../www/src/engine.js';
import init from '../www/pkg/vmsync.js';

await loadEngine(readFileSync(new URL('../www/pkg/vmsync_bg.wasm', import.meta.url)));
/** The engine's wasm memory (`init` answers with the instance loaded). */
const { memory } = await init();
const fixture = JSON.parse(readFileSync(new URL('../crate/tests/step_results.json', import.meta.url), 'utf8'));

/** The text's `"0x…"` strings as BigInt, as the page reads an address or a raw entry. */
function hexAsBigInt(v) {
  if (typeof v === 'string') return /^0x[0-9a-f]+$/.test(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(hexAsBigInt);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hexAsBigInt(x)]));
  return v;
}

test('every step reads as the engine writes it natively', () => {
  let steps = 0;
  assert.ok(fixture.scenarios.length >= 5);
  for (const { text, steps: want } of fixture.scenarios) {
    const pg = Playground.fromScenario(text);
    assert.equal(pg.historyLength, want.length, text);
    // Backwards too: a record is written per call, whichever step it is.
    const order = [...want.keys(), ...[...want.keys()].reverse()];
    for (const i of order) {
      const { op, value, events, metrics } = want[i];
      assert.deepStrictEqual(pg.stepResult(i), { op, value: hexAsBigInt(value), events: hexAsBigInt(events), metrics }, `${text}\nstep ${i}`);
      steps++;
    }
    pg.free();
  }
  assert.ok(steps > 60, `${steps} steps`);
});

test('a record is read at once: growing memory between two readings changes nothing', () => {
  const { text, steps: want } = fixture.scenarios[0];
  const pg = Playground.fromScenario(text);
  const first = pg.stepResult(want.length - 1);
  // Enough processes to grow wasm memory (which detaches the views the reader holds),
  // then the same step again.
  const before = memory.buffer.byteLength;
  for (let i = 0; i < 300; i++) pg.apply({ op: 'fork', name: `grow${i}` });
  assert.ok(memory.buffer.byteLength > before, 'memory grew');
  assert.deepStrictEqual(pg.stepResult(want.length - 1), first);
  pg.free();
});

test('a step past the history is an error that names it', () => {
  const pg = Playground.create({ mode: 'x86-64' });
  pg.apply({ op: 'fork', name: 'A' });
  assert.throws(() => pg.stepResult(1), { name: 'BadAddress', message: 'no step 1: the history holds 1' });
  assert.equal(pg.stepResult(0).op.name, 'A');
  pg.free();
});

test('an x86-64 vmalloc address and an entry with NX set cross exactly; counts as numbers', () => {
  const pg = Playground.create({ mode: 'x86-64' });
  const r = pg.stepResult(pg.apply({ op: 'allocate', name: 'buf', size: '64K' }));
  assert.deepStrictEqual(r.op, { op: 'allocate', name: 'buf', size: '64K' }, 'the operation as it was given');
  assert.deepStrictEqual(r.value, { kind: 'address', value: 0xffffc90000000000n }, 'first fit at VMALLOC_START');
  const ptes = r.events.find((e) => e.type === 'ptes');
  assert.equal(ptes.va, 0xffffc90000000000n);
  assert.equal(ptes.pages, 16, '64 KiB is 16 pages');
  const set = r.events.find((e) => e.type === 'entry-set');
  assert.equal(set.old, 0n, 'an empty entry before');
  assert.equal(typeof set.new, 'bigint');
  assert.ok(typeof r.metrics.tables_allocated === 'number' && r.metrics.tables_allocated >= 1);
  pg.apply({ op: 'fork', name: 'A' });
  const access = pg.stepResult(pg.apply({ op: 'access', process: 'A', addr: 'buf+0x1000' })).value;
  assert.equal(access.kind, 'access');
  assert.equal(access.value.va, 0xffffc90000001000n);
  assert.equal(typeof access.value.pid, 'number');
  const [top] = access.value.walk;
  assert.ok(top.index >= 256, 'a kernel PGD index, a number');
  assert.equal(typeof top.entry, 'bigint');
  assert.equal(top.entry & 1n, 1n, 'a present PGD entry');
  const leaf = access.value.walk.at(-1);
  assert.ok(leaf.entry >= 1n << 63n, 'a vmalloc PTE has NX set: above 2^63, exact');
  pg.free();
});
