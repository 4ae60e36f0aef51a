import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addr, bytes, count, hex, plural, toBig } from './format.js';

test('hex pads and takes BigInt or number', () => {
  assert.equal(hex(0xe0600000, 8), '0xe0600000');
  assert.equal(hex(0x1000n), '0x1000');
  assert.equal(hex(0xffffc90000000000n, 16), '0xffffc90000000000');
  assert.equal(hex(null), '—');
});

test('addr uses the mode width', () => {
  assert.equal(addr(0xc0000000n, false), '0xc0000000');
  assert.equal(addr(0xc0000000n, true), '0x00000000c0000000');
});

test('bytes in binary units', () => {
  assert.equal(bytes(4096), '4 KiB');
  assert.equal(bytes(256 * 1024), '256 KiB');
  assert.equal(bytes(980 * 1024), '980 KiB');
  assert.equal(bytes(1536), '1.5 KiB');
  assert.equal(bytes(12.5 * 2 ** 50), '12.5 PiB');
  assert.equal(bytes(0), '0 B');
  assert.equal(bytes(2n ** 63n), '8 EiB');
});

test('counts and plurals', () => {
  assert.equal(count(1536), '1\u202f536');
  assert.equal(plural(1, 'slot'), '1 slot');
  assert.equal(plural(2, 'entry', 'entries'), '2 entries');
  assert.equal(plural(0n, 'slot'), '0 slots');
});

test('toBig', () => {
  assert.equal(toBig('0x200000'), 0x200000n);
  assert.equal(toBig(12), 12n);
  assert.equal(toBig('nope'), null);
});
