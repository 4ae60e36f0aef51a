import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeOpBytes, writeTextBytes } from './op-bytes.js';

const utf8 = (s) => new TextEncoder().encode(s);

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const KEYS = ['op', 'name', 'size', 'preempt', 'kind', 'by', '', 'a b', '1', '0', 'é', 'q"', 'b\\s', 'n\n', '\u007f', 'toJSON'];
const TEXTS = ['fork', 'A', '64K', '0xfe000000', 'b+0x1000', '', ' ', '~', '\u007f', 'é', '"', '\\', 'tab\t', '\u2028', '\ud800', '😀', 'x'.repeat(40)];
const OTHERS = [true, false, null, undefined, 0, 1.5, -0, NaN, 4294967296, [], ['A'], {}, { a: 'b' }, () => 1, Symbol('s'), 10n];

/** A value of the kinds an operation's members hold, and of the others JSON knows. */
function value(r) {
  const x = r();
  if (x < 0.55) return TEXTS[Math.floor(r() * TEXTS.length)];
  if (x < 0.8) return [true, false, null][Math.floor(r() * 3)];
  return OTHERS[Math.floor(r() * OTHERS.length)];
}

/** An object as a failure names it. */
const shown = (op) => (op === null || typeof op !== 'object' ? typeof op : Object.entries(op).map(([k, v]) => `${k}: ${typeof v}`).join(', '));

/** What the engine received before: the bytes of `JSON.stringify(op)`, or null when it throws. */
function before(op) {
  try {
    const t = JSON.stringify(op);
    return t === undefined ? null : utf8(t);
  } catch {
    return null;
  }
}

test('what writeOpBytes writes is the UTF-8 of JSON.stringify, for 20,000 random objects', () => {
  const r = random(8);
  let written = 0;
  for (let i = 0; i < 20_000; i++) {
    const op = {};
    const n = Math.floor(r() * 7);
    for (let k = 0; k < n; k++) op[KEYS[Math.floor(r() * KEYS.length)]] = value(r);
    const bytes = new Uint8Array(64);
    const len = writeOpBytes(op, bytes);
    if (len >= 0) {
      written++;
      assert.deepEqual(bytes.subarray(0, len), before(op), shown(op));
    } else {
      // Refused: the object has something beyond plain ASCII strings, switches and
      // nulls, or a key toJSON (which JSON.stringify calls when it is a function), or its
      // text does not fit.
      const text = before(op);
      const plain = !('toJSON' in op) && Object.entries(op).every(([k, v]) => /^[\x20-\x21\x23-\x5b\x5d-\x7f]*$/.test(k)
        && (v === true || v === false || v === null || (typeof v === 'string' && /^[\x20-\x21\x23-\x5b\x5d-\x7f]*$/.test(v))));
      assert.ok(!plain || text === null || text.length > bytes.length, shown(op));
    }
  }
  assert.ok(written > 3_000, `${written} of 20,000 written`);
});

test('the operations the page sends are written', () => {
  for (const op of [
    { op: 'sync', kind: 'unmappings' },
    { op: 'fork', name: 'A' },
    { op: 'allocate', name: 'buf', size: '64K', preempt: true },
    { op: 'map', name: 'io', phys: '0xf0000000', size: '4M' },
    { op: 'access', process: 'p1', addr: 'b+0x1000' },
    { op: 'hotplug', name: 'm', phys: '0x100000000', size: '128M', kind: 'pmem', by: null },
    { op: 'resume' },
    {},
  ]) {
    const bytes = new Uint8Array(1024);
    const n = writeOpBytes(op, bytes);
    assert.deepEqual(bytes.subarray(0, n), utf8(JSON.stringify(op)));
  }
});

test('a text that does not fit is refused, at every length short of it', () => {
  const op = { op: 'allocate', name: 'buf', size: '64K', preempt: false };
  const text = utf8(JSON.stringify(op));
  for (let room = 0; room <= text.length + 1; room++) {
    const bytes = new Uint8Array(room);
    const n = writeOpBytes(op, bytes);
    if (room < text.length) assert.equal(n, -1, `room ${room}`);
    else assert.deepEqual(bytes.subarray(0, n), text);
  }
});

test('other objects are refused: not plain, with toJSON, arrays, null, strings', () => {
  const bytes = new Uint8Array(256);
  class Op { constructor() { this.op = 'fork'; this.name = 'A'; } }
  const bare = Object.assign(Object.create(null), { op: 'fork', name: 'A' });
  for (const op of [new Op(), bare, { op: 'fork', toJSON: () => ({}) }, ['fork'], null, 'fork', 4, undefined, new Date(0)]) {
    assert.equal(writeOpBytes(op, bytes), -1, shown(op));
  }
});

test('writeTextBytes writes ASCII text that fits, and only that', () => {
  const bytes = new Uint8Array(40);
  const t = '{"op":"sync","kind":"unmappings"}';
  assert.equal(writeTextBytes(t, bytes), t.length);
  assert.deepEqual(bytes.subarray(0, t.length), utf8(t));
  assert.equal(writeTextBytes('{"op":"fork","name":"é"}', bytes), -1);
  assert.equal(writeTextBytes('x'.repeat(41), bytes), -1);
  assert.equal(writeTextBytes('', bytes), 0);
});
