import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeState, elementSnippet, encodeState, escapeAttr, iframeSnippet } from './url-state.js';

const text = 'config mode=pae strategy=lazy\nfork A\nallocate buf 64K\naccess A buf+0x1000\n';

test('a scenario round-trips through the hash', () => {
  const h = encodeState({ scenario: text, theme: 'dark' });
  assert.ok(h.startsWith('#s='));
  assert.ok(!h.includes('\n') && !h.includes(' '));
  assert.deepEqual(decodeState(h), { scenario: text, theme: 'dark' });
});

test('tours carry a step, not a scenario', () => {
  const h = encodeState({ tour: 'lazy-fault.vms', step: 3, scenario: text });
  assert.equal(h, '#tour=lazy-fault.vms&step=3');
  assert.deepEqual(decodeState(h), { tour: 'lazy-fault.vms', step: 3 });
});

test('the default state is an empty hash', () => {
  assert.equal(encodeState({}), '');
  assert.deepEqual(decodeState(''), {});
  assert.deepEqual(decodeState('#'), {});
});

test('malformed parts are ignored', () => {
  assert.deepEqual(decodeState('#s=%E0%A4%A&theme=blue&at=x&tour=../x&ro=1'), { readOnly: true });
  assert.deepEqual(decodeState('#scenario=fork+A'), { scenario: 'fork A' });
});

test('embed snippets escape their attributes', () => {
  assert.equal(escapeAttr('a"b<c>&\n'), 'a&quot;b&lt;c&gt;&amp;&#10;');
  const f = iframeSnippet('http://h/embed.html', { scenario: 'fork A' }, 'A "demo"');
  assert.match(f, /^<iframe src="http:\/\/h\/embed.html#s=fork%20A" title="A &quot;demo&quot;"/);
  const e = elementSnippet('http://h/src/main.js', 'config mode=pae\nfork A\n');
  assert.match(e, /<vmsync-playground height="560px" scenario="config mode=pae&#10;fork A&#10;">/);
});
