import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectations, prefixText, splitTour } from './tour.js';

const tour = `# Fork, then vmalloc
config mode=pae strategy=lazy
fork A
say A process is forked: it copies the reference's kernel PMDs.
say Now the kernel allocates.
allocate buf 4M
expect divergence A missing 3
ask What happens when A reads buf?
access A buf
expect outcome fault-fixed
say The fault copied the entry.
`;

test('narration, checkpoints and their reveals', () => {
  const { steps, lines, title } = splitTour(tour);
  assert.equal(title, 'Fork, then vmalloc');
  assert.equal(steps.length, 3);
  assert.deepEqual(steps[0].say, ["A process is forked: it copies the reference's kernel PMDs.", 'Now the kernel allocates.']);
  assert.deepEqual(steps[0].lines, ['fork A', 'allocate buf 4M', 'expect divergence A missing 3']);
  assert.equal(steps[1].ask, 'What happens when A reads buf?');
  assert.deepEqual(steps[1].lines, ['access A buf', 'expect outcome fault-fixed']);
  // Before the reveal the state is everything up to the question.
  assert.equal(prefixText(lines, steps[1].start).trim().split('\n').at(-1), 'ask What happens when A reads buf?');
  assert.equal(prefixText(lines, steps[1].end).trim().split('\n').at(-1), 'expect outcome fault-fixed');
  assert.deepEqual(steps[2].say, ['The fault copied the entry.']);
});

test('a file without narration is one step', () => {
  const { steps } = splitTour('config mode=x86-64\nfork A\n');
  assert.equal(steps.length, 1);
  assert.deepEqual(steps[0].lines, ['fork A']);
});

test('expectations in words', () => {
  assert.deepEqual(expectations(['access A buf', 'expect outcome fault-fixed', 'expect divergence A missing 1', 'expect error BadSize']), [
    'the access is a fault, fixed up',
    'A has 1 slot missing',
    'the operation is refused (BadSize)',
  ]);
});
