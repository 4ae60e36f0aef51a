// The tour player's steps come from the engine (loaded here from www/pkg, so run
// `npm run build` first): the same steps the JavaScript cutter gave before it, checked
// against crate/tests/tour_steps.json, with choices and their answers on top.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { loadEngine } from '../engine.js';
import { expectations, prefixText, splitTour } from './tour.js';

await loadEngine(readFileSync(new URL('../../pkg/vmsync_bg.wasm', import.meta.url)));

const tour = `# Fork, then vmalloc
config mode=pae strategy=lazy
say Every process has its own copy.
fork A
say A was forked now.
allocate buf 4M
say The reference gained entries.
expect divergence A missing 3
ask What happens when A reads buf?
access A buf
say It faulted and was fixed.
expect outcome fault-fixed
fork B
say B got the entry at fork.
access B buf
expect outcome translated
`;

/** @param {string[]} lines @param {number} n */
const last = (lines, n) => prefixText(lines, n).trim().split('\n').at(-1);

test('narration follows the operations it explains', () => {
  const { steps, lines, title } = splitTour(tour);
  assert.equal(title, 'Fork, then vmalloc');
  assert.deepEqual(
    steps.map((s) => [s.ask, s.say, s.lines]),
    [
      [null, ['Every process has its own copy.'], []],
      [null, ['A was forked now.'], ['fork A']],
      [null, ['The reference gained entries.'], ['allocate buf 4M', 'expect divergence A missing 3']],
      ['What happens when A reads buf?', ['It faulted and was fixed.'], ['access A buf', 'expect outcome fault-fixed']],
      [null, ['B got the entry at fork.'], ['fork B']],
      [null, [], ['access B buf', 'expect outcome translated']],
    ],
  );
  // A narration step shows the state after its operations and checks.
  assert.equal(last(lines, steps[2].end), 'expect divergence A missing 3');
  assert.equal(steps[2].start, steps[2].end);
  // A checkpoint asks on the state before its reveal, and reveals through the answer.
  assert.equal(last(lines, steps[3].start), 'ask What happens when A reads buf?');
  assert.equal(last(lines, steps[3].end), 'expect outcome fault-fixed');
  assert.equal(last(lines, steps[5].end), 'expect outcome translated');
});

test('operations before a question run before it is asked', () => {
  const { steps, lines } = splitTour('config mode=pae\nfork A\nmap io 0xfe000000 2M\nask What now?\nunmap io\nsay Stale.\n');
  assert.equal(steps.length, 1);
  assert.deepEqual(steps[0].lines, ['fork A', 'map io 0xfe000000 2M', 'unmap io']);
  assert.equal(last(lines, steps[0].start), 'ask What now?');
});

test('a file without narration is one step', () => {
  const { steps } = splitTour('config mode=x86-64\nfork A\n');
  assert.equal(steps.length, 1);
  assert.deepEqual(steps[0].lines, ['fork A']);
});

test('every built-in tour splits into steps that each say or ask something', () => {
  const dir = new URL('../../scenarios/', import.meta.url);
  let files;
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.vms'));
  } catch {
    return; // no tours yet
  }
  for (const f of files) {
    const { steps, title } = splitTour(readFileSync(new URL(f, dir), 'utf8'));
    assert.ok(title, `${f}: a title comment`);
    assert.ok(steps.length >= 2, `${f}: steps`);
    for (const s of steps.slice(0, -1)) assert.ok(s.say.length || s.ask, `${f}: a silent step before the end`);
  }
});

test('the steps are those the JavaScript cutter gave (crate/tests/tour_steps.json)', () => {
  const fixture = JSON.parse(readFileSync(new URL('../../../crate/tests/tour_steps.json', import.meta.url), 'utf8'));
  assert.ok(fixture.cases.length >= 20);
  for (const c of fixture.cases) {
    const { steps, lines, title } = splitTour(c.text);
    assert.equal(title, c.title, c.name);
    assert.deepEqual(
      steps.map(({ say, ask, lines: l, end, start }) => ({ say, ask, lines: l, end, start })),
      c.steps,
      c.name,
    );
    assert.deepEqual(lines, c.text.replace(/\r\n?/g, '\n').split('\n'), c.name);
  }
});

test('a question offers choices, and the engine knows the answer', () => {
  const text = `# Choices
config mode=pae split=3G pti=on strategy=era:5.3
fork A
allocate buf 64K
ask A reads buf. What happens?
choices translated | fault-fixed | oops
access A buf
expect outcome fault-fixed
expect divergence A divergent 0
say It faulted and was fixed.
`;
  const { steps, lines } = splitTour(text);
  assert.equal(steps.length, 1);
  assert.deepEqual(steps[0].choices, ['translated', 'fault-fixed', 'oops']);
  assert.equal(steps[0].answer, 'fault-fixed');
  assert.deepEqual(steps[0].expectations, ['the access faults, and the fault is fixed up', 'A has 0 slots divergent']);
  assert.equal(last(lines, steps[0].start), 'choices translated | fault-fixed | oops');
  assert.throws(
    () => splitTour(text.replace('| oops', '| stale').replace('fault-fixed |', '')),
    (/** @type {any} */ e) => e.name === 'ScriptError' && e.line === 6 && /none of the choices/.test(e.message),
  );
});

test('every built-in question with choices has its answer among them', () => {
  const dir = new URL('../../scenarios/', import.meta.url);
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.vms'))) {
    for (const s of splitTour(readFileSync(new URL(f, dir), 'utf8')).steps) {
      assert.equal(s.answer === null, s.choices.length === 0, `${f}: ${s.ask}`);
      if (s.answer !== null) assert.ok(s.choices.includes(s.answer), `${f}: ${s.ask}`);
    }
  }
});

test('expectations in words', () => {
  assert.deepEqual(expectations(['access A buf', 'expect outcome fault-fixed', 'expect divergence A missing 1', 'expect error BadSize']), [
    'the access faults, and the fault is fixed up',
    'A has 1 slot missing',
    'the operation is refused (BadSize)',
  ]);
  assert.deepEqual(expectations(['expect metric entries_copied 64', 'expect table-bytes A 36K']), ['entries copied = 64', 'page-table bytes of A = 36K']);
});
