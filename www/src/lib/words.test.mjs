import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPARE_OUTCOMES, compareOutcome, eventText, eventTone, outcomeWords } from './words.js';

const ctx = { wide: false, nameOf: (pid) => (pid === 1 ? 'A' : `pid ${pid}`) };

test('events read as sentences', () => {
  assert.equal(
    eventText({ type: 'entry-set', owner: { kind: 'kernel' }, level: 'pmd', va: 0xe0600000n, old: 0n, new: 0x1419063n, why: 'vmalloc' }, ctx),
    'the reference: PMD entry for 0xe0600000 0x0 → 0x1419063 by vmalloc()',
  );
  assert.equal(eventText({ type: 'fault', pid: 1, va: 0xe07e0000n, fixed: true }, ctx), 'A took a kernel page fault at 0xe07e0000: fixed up from the reference');
  assert.equal(eventTone({ type: 'fault', fixed: false }), 'bad');
  assert.match(eventText({ type: 'sync-pass', function: 'vmalloc_sync_mappings', slots: 245, directories: 2, copied: 1 }, ctx), /245 slots × 2 page directories, 1 entry copied/);
  assert.match(eventText({ type: 'something-new', x: 1n }, ctx), /something-new/);
  // PTEs in the kernel's shared tables, and in one process's own (its LDT remap).
  assert.equal(
    eventText({ type: 'ptes', owner: { kind: 'kernel' }, va: 0xe0600000n, pages: 16, set: true, why: 'vmalloc' }, ctx),
    '16 PTEs set from 0xe0600000 by vmalloc() (shared tables: every process sees it)',
  );
  assert.equal(
    eventText({ type: 'ptes', owner: { kind: 'process', pid: 1 }, va: 0xff800000n, pages: 1, set: true, why: 'ldt' }, ctx),
    "1 PTE set from 0xff800000 by modify_ldt() (A's own table)",
  );
});

test('outcomes say what happened in words', () => {
  assert.equal(outcomeWords({ kind: 'translated', phys: 0x1000n }, false).title, 'translated');
  assert.equal(outcomeWords({ kind: 'fault-fixed', phys: 0x1000n }, false).title, 'fault fixed');
  const oops = outcomeWords({ kind: 'oops', level: 'pmd' }, false);
  assert.equal(oops.title, 'oops');
  assert.match(oops.text, /unhandled kernel page fault/);
  assert.match(oops.text, /PMD/);
  assert.match(outcomeWords({ kind: 'stale', phys: 0x2000n, reference: null }, false).text, /no longer maps/);
});

test('compare outcomes: every kind the engine reports has its own glyph and a word', () => {
  const kinds = ['ok', 'translated', 'fault-fixed', 'oops', 'stale', 'bug', 'refused'];
  const glyphs = kinds.map((k) => compareOutcome(k).glyph);
  assert.equal(new Set(glyphs).size, kinds.length);
  assert.equal(compareOutcome('fault-fixed').word, outcomeWords({ kind: 'fault-fixed' }, false).title);
  assert.equal(compareOutcome('bug').word, 'BUG_ON');
  assert.deepEqual(Object.keys(COMPARE_OUTCOMES).sort(), kinds.slice().sort());
  assert.equal(compareOutcome('new-kind').word, 'new-kind');
});
