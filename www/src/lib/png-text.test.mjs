import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync, inflateSync } from 'node:zlib';
import { PNG_SIGNATURE, SCENARIO_KEYWORD, concatBytes, crc32, isPng, makeChunk, pngChunks, readPngText, textChunk, withPngText } from './png-text.js';

/**
 * A valid 2×1 RGB PNG: signature, IHDR, IDAT (zlib of the filtered scanline), IEND.
 * @returns {Uint8Array}
 */
function tinyPng() {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, 2);
  v.setUint32(4, 1);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, filter 0, no interlace
  const idat = deflateSync(Uint8Array.of(0, 255, 0, 0, 0, 0, 255));
  return concatBytes([PNG_SIGNATURE, makeChunk('IHDR', ihdr), makeChunk('IDAT', idat), makeChunk('IEND', new Uint8Array(0))]);
}

test('crc32 gives the standard check values', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  // Every PNG's IEND chunk ends in this CRC (of the type alone).
  assert.equal(crc32(new TextEncoder().encode('IEND')), 0xae426082);
});

test('the tiny PNG is well formed: chunks in order, CRCs right', () => {
  const png = tinyPng();
  assert.ok(isPng(png));
  assert.deepEqual(pngChunks(png).map((c) => c.type), ['IHDR', 'IDAT', 'IEND']);
  assert.deepEqual([...png.subarray(-12)], [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
});

test('a tEXt chunk written before IEND reads back, and the image is untouched', () => {
  const png = tinyPng();
  const text = 'config mode=pae strategy=era:5.3\nfork A\nallocate buf 64K\n';
  const out = withPngText(png, SCENARIO_KEYWORD, text);
  const chunks = pngChunks(out); // checks every CRC
  assert.deepEqual(chunks.map((c) => c.type), ['IHDR', 'IDAT', 'tEXt', 'IEND']);
  assert.equal(readPngText(out).get(SCENARIO_KEYWORD), text);
  // The pixels are the same bytes.
  const idat = (/** @type {Uint8Array} */ p) => inflateSync(/** @type {any} */ (pngChunks(p).find((c) => c.type === 'IDAT')).data);
  assert.deepEqual(idat(out), idat(png));
  // The chunk's own bytes: length, type, keyword NUL text, CRC over type and data.
  const t = chunks[2];
  const raw = out.subarray(t.start, t.end);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  assert.equal(view.getUint32(0), SCENARIO_KEYWORD.length + 1 + text.length);
  assert.equal(view.getUint32(raw.length - 4), crc32(raw, 4, raw.length - 4));
});

test('writing again replaces the text; other keywords stay', () => {
  let png = withPngText(tinyPng(), 'Software', 'vmsync');
  png = withPngText(png, SCENARIO_KEYWORD, 'one');
  png = withPngText(png, SCENARIO_KEYWORD, 'two');
  const texts = readPngText(png);
  assert.equal(texts.get(SCENARIO_KEYWORD), 'two');
  assert.equal(texts.get('Software'), 'vmsync');
  assert.equal(pngChunks(png).filter((c) => c.type === 'tEXt').length, 2);
});

test('text beyond ASCII goes in an iTXt chunk, as UTF-8', () => {
  const text = 'config mode=pae\n# Jörg’s answer — 日本\nfork A\n';
  assert.equal(textChunk(SCENARIO_KEYWORD, text).type, 'iTXt');
  const png = withPngText(tinyPng(), SCENARIO_KEYWORD, text);
  assert.deepEqual(pngChunks(png).map((c) => c.type), ['IHDR', 'IDAT', 'iTXt', 'IEND']);
  assert.equal(readPngText(png).get(SCENARIO_KEYWORD), text);
});

test('damage is refused: a wrong CRC, a truncated file, no signature, a bad keyword', () => {
  const png = withPngText(tinyPng(), SCENARIO_KEYWORD, 'config mode=pae\n');
  const broken = png.slice();
  broken[broken.length - 20] ^= 1; // inside the tEXt chunk
  assert.throws(() => pngChunks(broken), { name: 'BadPng', message: /wrong CRC/ });
  assert.throws(() => pngChunks(png.subarray(0, png.length - 12)), { name: 'BadPng', message: /without an IEND/ });
  assert.throws(() => pngChunks(png.subarray(0, png.length - 3)), { name: 'BadPng' });
  assert.throws(() => pngChunks(new TextEncoder().encode('config mode=pae\n')), { name: 'BadPng', message: /signature/ });
  assert.throws(() => textChunk(' lead', 'x'), RangeError);
  assert.throws(() => textChunk('', 'x'), RangeError);
  assert.throws(() => textChunk('k'.repeat(80), 'x'), RangeError);
});
