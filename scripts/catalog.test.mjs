// The page's own lists held to the engine's catalog (Rust's `catalog::catalog()`, read
// through the wasm): region kinds, divergence classes and the cell-byte layout (and the
// page's words and glyphs for them, keyed by the catalog's names), error kinds and the
// inputs an error can be about, the menus built from the catalog, metric rows, and words
// for every event kind, reason and outcome. A change on the Rust side that the page does
// not follow fails here instead of mis-drawing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadEngine, catalog } from '../www/src/engine.js';
import {
  REGIONS, REGION_WORDS, REGION_LABELS, KINDS, KIND_WORDS, KIND_LABELS, DIVERGENCES, DIVERGENCE_WORDS, DIVERGENCE_LABELS, DIVERGENCE_GLYPHS,
  PALETTES, CELL, CODE, LEGEND_CLASSES, cellKind, cellDivergence, isDivergent, isDrift,
} from '../www/src/lib/colours.js';
import { isEngineError } from '../www/src/engine-errors.js';
import { template } from '../www/src/components/vmsync-playground/template.js';
import { CONFIG_FIELDS } from '../www/src/components/vmsync-playground/config-view.js';
import { METRIC_ROWS } from '../www/src/components/vmsync-playground/metrics-view.js';
import { strategyMenu, strategyChoices, plainMenu, modeInfo } from '../www/src/lib/vocab.js';
import { eventText, outcomeWords, compareOutcome } from '../www/src/lib/words.js';

await loadEngine(readFileSync(new URL('../www/pkg/vmsync_bg.wasm', import.meta.url)));
const c = catalog();

test('region kinds and divergence classes are the engine\'s, by code', () => {
  assert.deepEqual([...REGIONS], c.regions.map((/** @type {any} */ r) => r.name));
  c.regions.forEach((/** @type {any} */ r, /** @type {number} */ i) => assert.equal(r.code, i));
  c.classes.forEach((/** @type {any} */ d, /** @type {number} */ i) => assert.equal(d.code, i));
  assert.deepEqual([...DIVERGENCES], c.classes.map((/** @type {any} */ d) => d.name));
  assert.deepEqual([...KINDS], c.cell.kinds);
});

test('the page\'s words, glyphs and colours are keyed by the catalog\'s names, one for each', () => {
  const names = (/** @type {object} */ o) => Object.keys(o).sort();
  assert.deepEqual(names(REGION_WORDS), c.regions.map((/** @type {any} */ r) => r.name).sort());
  assert.deepEqual(names(KIND_WORDS), [...c.cell.kinds].sort());
  assert.deepEqual(names(DIVERGENCE_WORDS), c.classes.map((/** @type {any} */ d) => d.name).sort());
  for (const list of [REGION_LABELS, KIND_LABELS, DIVERGENCE_LABELS]) assert.ok(list.every((w) => typeof w === 'string' && w), 'a word for every code');
  assert.equal(DIVERGENCE_GLYPHS.length, c.classes.length);
  for (const cls of c.classes) assert.equal(DIVERGENCE_GLYPHS[cls.code] !== '', cls.code !== 0, `${cls.name}: a glyph on a drifted or private cell`);
  for (const [theme, p] of Object.entries(PALETTES)) {
    assert.equal(p.region.length, c.regions.length, `${theme}: a colour per region`);
    assert.equal(p.divergence.length, c.classes.length, `${theme}: a fill per class`);
    assert.equal(p.glyphInk.length, c.classes.length, `${theme}: a glyph ink per class`);
    for (const cls of c.classes) assert.equal(!!p.divergence[cls.code], cls.drift, `${theme}: ${cls.name} is filled only if it is drift`);
  }
});

test('the page reads cell bytes as the engine packs them', () => {
  assert.deepEqual(CELL, { KIND_MASK: c.cell.kind_mask, CLASS_SHIFT: c.cell.class_shift, CLASS_MASK: c.cell.class_mask });
  const code = (/** @type {any[]} */ list, /** @type {string} */ name) => list.find((x) => x.name === name)?.code;
  assert.deepEqual(CODE, {
    EMPTY: c.cell.kinds.indexOf('empty'),
    HUGE: c.cell.kinds.indexOf('huge'),
    SAME: code(c.classes, 'same'),
    PRIVATE: code(c.classes, 'private'),
    HOLE: code(c.regions, 'hole'),
    VMALLOC: code(c.regions, 'vmalloc'),
    LDT: code(c.regions, 'ldt'),
  });
  for (const cls of c.classes) assert.equal(isDrift(cls.code), cls.drift, cls.name);
  assert.deepEqual(LEGEND_CLASSES, c.classes.filter((/** @type {any} */ x) => x.name !== 'same').map((/** @type {any} */ x) => x.code));
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
  for (const name of c.errors) {
    const e = new Error('x');
    e.name = name;
    assert.ok(isEngineError(e), name);
  }
  assert.ok(!isEngineError(new TypeError('x')), 'a TypeError is a bug');
  assert.ok(!isEngineError({ name: c.errors[0] }), 'not an Error object');
});

test('the menus are the catalog\'s, with its labels, and the template restates none', () => {
  const menu = strategyMenu(c);
  const offered = menu.groups.flatMap((g) => g.options.map(([v]) => v));
  assert.deepEqual(offered, c.strategies.map((/** @type {any} */ s) => s.name), 'every era, then every block, in order');
  assert.deepEqual(menu.groups.map((g) => g.label), ['By kernel era', 'Building blocks']);
  const era = menu.groups[0].options.find(([v]) => v === 'era:5.9');
  assert.equal(era?.[1], '5.9 – 6.14: tracked + faults (32-bit), pre-allocation (64-bit)', 'the era table\'s releases and summary');
  assert.deepEqual(strategyChoices(c, 'block').map(([v]) => v), c.strategies.filter((/** @type {any} */ s) => s.group === 'block').map((/** @type {any} */ s) => s.name));
  assert.deepEqual(plainMenu(c.modes).groups[0].options.map(([v]) => v), ['x86-32', 'pae', 'x86-64', 'la57']);
  assert.deepEqual(plainMenu(c.splits).groups[0].options[0], ['3G', '3G']);
  assert.equal(modeInfo(c, 'pae')?.has_split, true);
  assert.equal(modeInfo(c, 'x86-32')?.pti, false);
  // The markup leaves every menu of engine names empty, for the views to fill.
  const html = template('x.css', true);
  for (const id of ['cfg-mode', 'cfg-split', 'cfg-strategy', 'sync-kind', 'hotplug-kind']) {
    assert.match(html, new RegExp(`<select id="${id}"[^>]*></select>`), `${id} is filled from the catalog`);
  }
  for (const s of c.strategies) assert.ok(!html.includes(`value="${s.name}"`), `the template names ${s.name}`);
});

test('every input an error can be about has its control', () => {
  const config = c.fields.filter((/** @type {any} */ f) => f.config).map((/** @type {any} */ f) => f.name);
  assert.deepEqual(Object.keys(CONFIG_FIELDS).sort(), config.sort(), 'a control per configuration key');
  const html = template('x.css', true);
  for (const sel of Object.values(CONFIG_FIELDS)) assert.ok(html.includes(`id="${sel.slice(1)}"`), sel);
  // An operation's key is the form field `#<op>-<key>`: some form has each.
  for (const f of c.fields.filter((/** @type {any} */ f) => !f.config)) {
    assert.match(html, new RegExp(`id="[a-z]+-${f.name}"`), `a form field for ${f.name}`);
  }
});

test('the metric rows are the engine\'s metrics', () => {
  for (const [name] of METRIC_ROWS) assert.ok(c.metrics.includes(name), `${name} is a metric`);
  assert.equal(new Set(METRIC_ROWS.map(([n]) => n)).size, METRIC_ROWS.length);
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
