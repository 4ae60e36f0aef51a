// `Playground.apply` of www/src/engine.js, which writes a plain operation's JSON text
// into the engine's input buffer (`applyInput`), held to the way it passed every
// operation before: `JSON.stringify`, then the wasm `apply` of the text. Two machines
// take the same operations, one each way; after each, the answers are the same: the
// step's index and what it reported, or the error with its name, message and field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadEngine, Playground } from '../www/src/engine.js';
import init, { Playground as Raw } from '../www/pkg/vmsync.js';

await loadEngine(readFileSync(new URL('../www/pkg/vmsync_bg.wasm', import.meta.url)));
/** The engine's wasm memory (`init` answers with the instance loaded). */
const { memory } = await init();

/** The answer of `f`: its value, or its error's name, message and field. */
function answer(f) {
  try {
    return { value: f() };
  } catch (e) {
    const { name, message, field } = /** @type {any} */ (e);
    return { name, message, field };
  }
}

/**
 * Applies `ops` to a new machine both ways and compares every answer; returns how many
 * times `apply` called `JSON.stringify` (for the operations it could not write itself).
 */
function same(config, ops) {
  const pg = Playground.create(config);
  const raw = Raw.create(JSON.stringify(config));
  const stringify = JSON.stringify;
  let calls = 0;
  try {
    for (const op of ops) {
      JSON.stringify = (...a) => {
        calls++;
        return stringify(...a);
      };
      let ours;
      try {
        ours = answer(() => pg.apply(op));
      } finally {
        JSON.stringify = stringify;
      }
      const before = answer(() => raw.apply(typeof op === 'string' ? op : JSON.stringify(op)));
      assert.deepEqual(ours, before, JSON.stringify(op));
      if ('value' in ours) assert.deepEqual(pg.stepResult(ours.value), new Playground(raw).stepResult(before.value));
    }
    assert.equal(pg.scenarioText(), new Playground(raw).scenarioText());
  } finally {
    pg.free();
  }
  return calls;
}

test('the operations the page makes, and bad ones, answer as before', () => {
  const stringified = same({ mode: 'x86-64', strategy: 'lazy' }, [
    { op: 'fork', name: 'A' },
    { op: 'sync', kind: 'unmappings' },
    { op: 'allocate', name: 'buf', size: '64K', preempt: true },
    { op: 'resume' },
    { op: 'map', name: 'io', phys: '0xf0000000', size: '4M' },
    { op: 'access', process: 'A', addr: 'buf+0x1000' },
    { op: 'hotplug', name: 'm', phys: '0x100000000', size: '128M', kind: 'ram', by: null },
    { op: 'unmap', name: 'io' },
    { op: 'ldt', process: 'A' },
    { op: 'exit', process: 'A' },
    // Refused by the engine, each with its error and field.
    { op: 'sync', kind: 'later' },
    { op: 'allocate', name: 'a' },
    { op: 'allocate', name: 'a', size: '64K', preempt: 'yes' },
    { op: 'fork', name: 'B', colour: 'red' },
    { op: 'levitate' },
    { op: 'exit', process: 'nobody' },
    { name: 'A' },
    {},
    // Not of the plain form (passed as JSON.stringify writes them).
    { op: 'fork', name: 'é' },
    { op: 'fork', name: 'q"uote' },
    { op: 'fork', name: 'x'.repeat(2000) },
    { op: 'map', name: 'n', phys: 4096, size: '4K' },
    { op: 'sync', kind: { global: null } },
    { op: 'fork', name: undefined },
    ['fork', 'C'],
    // Texts: ASCII through the buffer, other text and long text as before.
    '{"op":"fork","name":"D"}',
    '{"op":"fork","name":"Ë"}',
    '{"op":"fork" , "name":"E"}  ',
    '{"op":"fork","name":"F"',
    'not json',
    '',
    `{"op":"fork","name":"${'y'.repeat(1100)}"}`,
  ]);
  // The seven objects not of the plain form, and no other operation.
  assert.equal(stringified, 7);
});

test('the buffer is read again after wasm memory grows', () => {
  // Enough forks on a 5-level machine to grow wasm memory many times; a stale view of
  // the buffer would write into a detached buffer and the engine would read old bytes.
  const ops = [];
  for (let i = 0; i < 300; i++) ops.push({ op: 'fork', name: `p${i}` }, { op: 'allocate', name: `b${i}`, size: '2M' });
  const before = memory.buffer.byteLength;
  assert.equal(same({ mode: 'la57', strategy: 'eager' }, ops), 0, 'every operation written into the buffer');
  assert.ok(memory.buffer.byteLength > before, `memory grew from ${before} bytes`);
});
