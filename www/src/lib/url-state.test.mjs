import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeState, encodeState } from './url-state.js';
import { elementSnippet, escapeAttr, iframeSnippet } from './snippets.js';

const text = 'config mode=pae strategy=lazy\nfork A\nallocate buf 64K\naccess A buf+0x1000\n';

test('a scenario and its position round-trip through the hash', () => {
  const h = encodeState({ scenario: text, at: 2, theme: 'dark' });
  assert.ok(h.startsWith('#s='));
  assert.ok(!h.includes('\n') && !h.includes(' '));
  assert.deepEqual(decodeState(h), { state: { scenario: text, at: 2, theme: 'dark' }, problems: [] });
});

test('tours carry a name and a step counted from 1, not a scenario', () => {
  const h = encodeState({ tour: 'lazy-fault', step: 3, scenario: text });
  assert.equal(h, '#tour=lazy-fault&step=3');
  assert.deepEqual(decodeState(h, ['lazy-fault']), { state: { tour: 'lazy-fault', step: 3 }, problems: [] });
});

test('a tour link from before (file name, step from 0) opens the same step', () => {
  assert.deepEqual(decodeState('#tour=lazy-fault.vms&step=2', ['lazy-fault']).state, { tour: 'lazy-fault', step: 3 });
  assert.deepEqual(decodeState('#tour=lazy-fault.vms&step=0').state, { tour: 'lazy-fault', step: 1 });
});

test('the default state is an empty hash', () => {
  assert.equal(encodeState({}), '');
  assert.deepEqual(decodeState(''), { state: {}, problems: [] });
  assert.deepEqual(decodeState('#'), { state: {}, problems: [] });
});

test('each part a link cannot use is named, and the rest is kept', () => {
  const { state, problems } = decodeState('#s=%E0%A4%A&theme=blue&at=x&tour=../x&ro=1');
  assert.deepEqual(state, { readOnly: true });
  assert.equal(problems.length, 4);
  assert.match(problems[0], /"s" value is not valid percent-encoding/);
  assert.match(problems[1], /theme="blue" is not a theme/);
  assert.match(problems[2], /at="x" is not a position/);
  assert.match(problems[3], /tour="..\/x" is not one of this site's tours/);
  assert.deepEqual(decodeState('#scenario=fork+A'), { state: { scenario: 'fork A' }, problems: [] });
});

test('hostile tour names and steps are refused with a reason', () => {
  const tours = ['lazy-fault', 'pae-1272'];
  for (const bad of ['javascript:alert(1)', '..', '../../etc/passwd', 'https://evil.example/x.vms', 'nope']) {
    const { state, problems } = decodeState('#tour=' + encodeURIComponent(bad), tours);
    assert.equal(state.tour, undefined, bad);
    assert.match(problems[0], /is not one of this site's tours\. The tours are: lazy-fault, pae-1272\./, bad);
  }
  assert.match(decodeState('#tour=pae-1272&step=abc', tours).problems[0], /step="abc" is not a step number/);
  assert.match(decodeState('#tour=pae-1272&step=0', tours).problems[0], /steps count from 1/);
  // A lone surrogate (percent-encoded) is bad encoding; a long value is quoted short.
  assert.match(decodeState('#s=%ED%A0%80').problems[0], /not valid percent-encoding/);
  const long = decodeState('#at=' + 'x'.repeat(500)).problems[0];
  assert.ok(long.length < 120, long);
  assert.match(decodeState('#panels').problems[0], /key "panels" is not one vmsync knows/);
});

test('embed snippets escape their attributes', () => {
  assert.equal(escapeAttr('a"b<c>&\n'), 'a&quot;b&lt;c&gt;&amp;&#10;');
  const f = iframeSnippet('http://h/embed.html', { scenario: 'fork A' }, 'A "demo"');
  assert.match(f, /^<iframe src="http:\/\/h\/embed.html#s=fork%20A" title="A &quot;demo&quot;"/);
  const e = elementSnippet('http://h/src/main.js', 'config mode=pae\nfork A\n');
  assert.match(e, /<vmsync-playground height="560px" scenario="config mode=pae&#10;fork A&#10;">/);
});
