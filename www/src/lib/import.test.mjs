import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { MAX_IMPORT_BYTES, errorAt, extractFromText, extractScenario, lineColumnOf, linesUpTo, offsetOf, textKind } from './import.js';
import { PNG_SIGNATURE, SCENARIO_KEYWORD, concatBytes, makeChunk, withPngText } from './png-text.js';
import { figureSvg } from './figure.js';
import { PALETTES } from './colours.js';

const TEXT = 'config mode=pae strategy=era:5.3\nfork A\nallocate buf 64K\n';
const enc = (/** @type {string} */ s) => new TextEncoder().encode(s);

/** A valid 1×1 grey PNG. */
function png() {
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, 1);
  new DataView(ihdr.buffer).setUint32(4, 1);
  ihdr.set([8, 0, 0, 0, 0], 8);
  return concatBytes([PNG_SIGNATURE, makeChunk('IHDR', ihdr), makeChunk('IDAT', deflateSync(Uint8Array.of(0, 128))), makeChunk('IEND', new Uint8Array(0))]);
}

test('text, JSON and SVG are told apart', () => {
  assert.equal(textKind(TEXT), 'text');
  assert.equal(textKind('  \n{"config": {"mode": "pae"}}'), 'json');
  assert.equal(textKind('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'), 'svg');
  assert.equal(textKind('# a comment { with a brace\nconfig mode=pae\n'), 'text');
});

test('scenario text and JSON come back as they are (a BOM dropped)', () => {
  assert.deepEqual(extractScenario(enc(TEXT)), { kind: 'text', text: TEXT });
  assert.deepEqual(extractScenario(enc('\ufeff' + TEXT)), { kind: 'text', text: TEXT });
  const json = '{"config":{"mode":"pae"},"steps":[{"op":"fork","name":"A"}]}';
  assert.deepEqual(extractScenario(enc(json)), { kind: 'json', text: json });
  assert.deepEqual(extractFromText(json), { kind: 'json', text: json });
});

test('an exported PNG or SVG gives its scenario back', () => {
  assert.deepEqual(extractScenario(withPngText(png(), SCENARIO_KEYWORD, TEXT)), { kind: 'png', text: TEXT });
  const svg = figureSvg(
    { title: 't', caption: [], regions: Uint8Array.of(1, 2), cols: 32, rowLabels: [], grids: [{ title: 'Reference', sub: '', cells: Uint8Array.of(0, 1) }], scenario: TEXT },
    PALETTES.light,
  );
  assert.deepEqual(extractScenario(enc(svg)), { kind: 'svg', text: TEXT });
  assert.deepEqual(extractFromText(svg), { kind: 'svg', text: TEXT });
});

test('what carries no scenario is refused in words', () => {
  assert.throws(() => extractScenario(png()), { name: 'ImportError', message: /PNG carries no vmsync scenario/ });
  const broken = withPngText(png(), SCENARIO_KEYWORD, TEXT);
  broken[broken.length - 20] ^= 0xff; // inside the text chunk
  assert.throws(() => extractScenario(broken), { name: 'ImportError', message: /PNG cannot be read: .*CRC/ });
  assert.throws(() => extractScenario(enc('<svg xmlns="http://www.w3.org/2000/svg"/>')), { name: 'ImportError', message: /SVG carries no vmsync scenario/ });
  assert.throws(() => extractFromText('<html><body>hi</body></html>'), { name: 'ImportError', message: /markup/ });
  assert.throws(() => extractScenario(Uint8Array.of(1, 2, 0, 3)), { name: 'ImportError', message: /binary/ });
  const big = { length: MAX_IMPORT_BYTES + 1 };
  assert.throws(() => extractScenario(/** @type {any} */ (big)), { name: 'ImportError', message: /too large/ });
});

test('errorAt: the place said once, in one form', () => {
  const parse = Object.assign(new Error("line 3, column 1: unknown word 'frob'"), { name: 'ScriptError', line: 3, column: 1 });
  assert.deepEqual(errorAt(parse), { line: 3, column: 1, text: "line 3, column 1: unknown word 'frob'" });
  const refused = Object.assign(new Error("line 3: exit B: no live process 'B'"), { name: 'UnknownProcess', line: 3 });
  assert.deepEqual(errorAt(refused), { line: 3, column: null, text: "line 3: exit B: no live process 'B'" });
  const json = Object.assign(new Error('not a scenario in JSON form: EOF while parsing a value at line 1 column 10'), { name: 'ScriptError', line: 1, column: 10 });
  assert.equal(errorAt(json).text, 'line 1, column 10: not a scenario in JSON form: EOF while parsing a value at line 1 column 10');
  assert.deepEqual(errorAt(new Error('plain')), { line: null, column: null, text: 'plain' });
  assert.equal(errorAt(Object.assign(new Error('x'), { line: 0, column: 4 })).line, null);
});

test('offsets and line/column positions agree', () => {
  const t = 'config mode=pae\nfork A\nfrob x\n';
  assert.equal(offsetOf(t, 3, 1), t.indexOf('frob'));
  assert.equal(offsetOf(t, 3, 6), t.indexOf('x'));
  assert.equal(offsetOf(t, 2, 99), t.indexOf('\nfrob'), 'clamped to the line');
  assert.equal(offsetOf(t, 9, 1), t.length, 'clamped to the text');
  assert.deepEqual(lineColumnOf(t, t.indexOf('x')), { line: 3, column: 6 });
  assert.deepEqual(lineColumnOf(t, 0), { line: 1, column: 1 });
  assert.equal(linesUpTo(t, 2), 'config mode=pae\nfork A\n');
  assert.equal(linesUpTo('a\r\nb\r\nc', 2), 'a\nb\n');
});
