// The page's own lists held to the engine's catalog (Rust's `catalog::catalog()`, read
// through the wasm): region kinds, divergence classes and the cell-byte layout, error
// kinds, the strategy menu, and words for every event kind, reason and outcome. A change
// on the Rust side that the page does not follow fails here instead of mis-drawing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadEngine, catalog } from '../www/src/engine.js';
import { REGIONS, REGION_LABELS, KIND_LABELS, DIVERGENCES, DIVERGENCE_LABELS, DIVERGENCE_GLYPHS, cellKind, cellDivergence, isDivergent } from '../www/src/lib/colours.js';
import { ENGINE_ERRORS } from '../www/src/session.js';
import { STRATEGY_OPTIONS } from '../www/src/components/vmsync-playground/template.js';
import { eventText, outcomeWords, compareOutcome } from '../www/src/lib/words.js';

await loadEngine(readFileSync(new URL('../www/pkg/vmsync_bg.wasm', import.meta.url)));
const c = catalog();

test('region kinds and divergence classes are the engine\'s, by code', () => {
  assert.deepEqual([...REGIONS], c.regions.map((/** @type {any} */ r) => r.name));
  c.regions.forEach((/** @type {any} */ r, /** @type {number} */ i) => assert.equal(r.code, i));
  assert.equal(REGION_LABELS.length, c.regions.length);
  assert.deepEqual([...DIVERGENCES], c.classes.map((/** @type {any} */ d) => d.name));
  assert.equal(DIVERGENCE_LABELS.length, c.classes.length);
  assert.equal(DIVERGENCE_GLYPHS.length, c.classes.length);
  assert.equal(KIND_LABELS.length, c.cell.kinds.length);
});

test('the page reads cell bytes as the engine packs them', () => {
  for (let kind = 0; kind < c.cell.kinds.length; kind++) {
    for (const cls of c.classes) {
      const b = kind | (cls.code << c.cell.class_shift);
      assert.equal(cellKind(b), b & c.cell.kind_mask);
      assert.equal(cellDivergence(b), (b >> c.cell.class_shift) & c.cell.class_mask);
      assert.equal(isDivergent(b), cls.drift, `${cls.name} counts as drift: ${cls.drift}`);
    }
  }
});

test('every engine error kind is known to the page as an error, not a crash', () => {
  assert.deepEqual([...ENGINE_ERRORS].sort(), [...c.errors].sort());
});

test('the strategy menu offers exactly the engine\'s eras and building blocks, in order', () => {
  const offered = STRATEGY_OPTIONS.flatMap(([, opts]) => /** @type {string[][]} */ (opts).map(([v]) => v));
  assert.deepEqual(offered, c.strategies.map((/** @type {any} */ s) => s.name));
});

test('every event kind, reason and outcome has words of its own', () => {
  const ctx = { wide: false, nameOf: (/** @type {number} */ p) => `P${p}` };
  const owner = { kind: 'kernel' };
  /** @type {Record<string, any>} */
  const sample = {
    'table-allocated': { owner, level: 'pmd', pfn: 1 },
    'table-freed': { owner, level: 'pmd', pfn: 1 },
    'entry-set': { owner, level: 'pmd', va: 0n, old: 0n, new: 1n, why: 'boot' },
    ptes: { owner, va: 0n, pages: 1, set: true, why: 'boot' },
    'sync-level-changed': { start: 0n, end: 1n, mask_bit: 'PGTBL_PMD_MODIFIED', action: 'x' },
    'sync-pass': { function: 'f', slots: 1, directories: 1, copied: 0 },
    fault: { pid: 1, va: 0n, fixed: true },
    bug: { pid: 1, va: 0n, process_entry: 1n, reference_entry: 2n },
    forked: { pid: 1 },
    exited: { pid: 1, tables: 1 },
    note: { text: 'a note' },
  };
  assert.deepEqual(Object.keys(sample).sort(), [...c.events].sort(), 'a sample per event kind');
  for (const type of c.events) {
    const e = { type, ...sample[type] };
    const text = eventText(e, ctx);
    assert.ok(text && !text.startsWith('{'), `${type}: ${text}`);
  }
  // A reason the page has no words for would be printed as it came.
  for (const why of c.whys) {
    const said = eventText({ type: 'entry-set', ...sample['entry-set'], why }, ctx);
    const raw = eventText({ type: 'entry-set', ...sample['entry-set'], why: '\u0000' }, ctx).replace('\u0000', why);
    assert.notEqual(said, raw, `no words for why=${why}`);
  }
  for (const kind of c.outcomes) {
    const w = outcomeWords({ kind, phys: 0n, level: 'pmd', reference: null }, false);
    assert.ok(!w.text.startsWith('{'), `${kind}: ${w.text}`);
    assert.notEqual(compareOutcome(kind).glyph, '?', `${kind} in the compare view`);
  }
});
