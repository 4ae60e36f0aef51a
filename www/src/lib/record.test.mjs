// The record reader on records written by hand, for what the engine's own records
// (scripts/record.test.mjs) do not hold: every tag, text that is not ASCII, long text,
// a key met again (read from the reader's cache), and a record it cannot read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRecord } from './record.js';

/**
 * A memory holding a record: `slots` (numbers, or BigInt for a BIG's value) from byte
 * 8, then the texts `syms` and `strs` (their bytes); a `{sym}` or `{str}` slot is
 * replaced by the handle or the offset, length pair of that text.
 */
function memoryWith(build) {
  const buf = new ArrayBuffer(4096);
  const f = new Float64Array(buf);
  const b = new BigUint64Array(buf);
  const u8 = new Uint8Array(buf);
  let textAt = 2048;
  const bytesAt = 3072;
  let strAt = 0;
  const handle = (s) => {
    const e = new TextEncoder().encode(s);
    u8.set(e, textAt);
    textAt += e.length;
    return (textAt - e.length) * 65536 + e.length;
  };
  const str = (s) => {
    const e = new TextEncoder().encode(s);
    u8.set(e, bytesAt + strAt);
    strAt += e.length;
    return [strAt - e.length, e.length];
  };
  const slots = build({ handle, str });
  f[1] = bytesAt;
  slots.forEach((v, i) => {
    if (typeof v === 'bigint') b[2 + i] = v;
    else f[2 + i] = v;
  });
  return buf;
}

const [NULL, FALSE, TRUE, NUM, BIG, SYM, STR, OBJ, ARR] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

test('every tag reads as its value', () => {
  const mem = memoryWith(({ handle, str }) => [
    OBJ, 8,
    handle('n'), NULL,
    handle('f'), FALSE,
    handle('t'), TRUE,
    handle('num'), NUM, 2 ** 53 - 1,
    handle('big'), BIG, 0xffffc90000000000n,
    handle('sym'), SYM, handle('table-allocated'),
    handle('str'), STR, ...str('é😀 and "quotes" \\ \n'),
    handle('arr'), ARR, 3, NUM, 0, ARR, 0, OBJ, 0,
  ]);
  assert.deepStrictEqual(readRecord(mem, 8), {
    n: null, f: false, t: true, num: 2 ** 53 - 1, big: 0xffffc90000000000n, sym: 'table-allocated',
    str: 'é😀 and "quotes" \\ \n', arr: [0, [], {}],
  });
});

test('long text and a key met again read the same', () => {
  const long = 'x'.repeat(200) + 'é';
  const mem = memoryWith(({ handle, str }) => {
    const k = handle('kind');
    return [ARR, 2, OBJ, 1, k, STR, ...str(long), OBJ, 1, k, STR, ...str('y'.repeat(65))];
  });
  assert.deepStrictEqual(readRecord(mem, 8), [{ kind: long }, { kind: 'y'.repeat(65) }]);
  // Read twice: the second reading finds its keys in the reader's cache.
  assert.deepStrictEqual(readRecord(mem, 8), [{ kind: long }, { kind: 'y'.repeat(65) }]);
});

test('a tag the reader does not know is an error, not a wrong value', () => {
  const mem = memoryWith(() => [ARR, 1, 9]);
  assert.throws(() => readRecord(mem, 8), /a record with tag 9 at slot 4/);
});
