import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeXml, figureCols, figureSvg, glyphPath, legendItems, svgScenario, unescapeXml, wrap } from './figure.js';
import { DIVERGENCE_LABELS, KIND_LABELS, PALETTES, REGION_LABELS, baseFill } from './colours.js';

/** A cell byte: kind in bits 0-1, divergence in bits 2-4. */
const cell = (/** @type {number} */ kind, /** @type {number} */ div = 0) => kind | (div << 2);

/** A small figure: 8 slots (regions hole, direct map, vmalloc), the reference and A. */
function small(scenario = 'config mode=pae\nfork A\n') {
  const regions = Uint8Array.of(1, 1, 2, 2, 2, 3, 3, 3);
  const ref = Uint8Array.of(0, 0, 2, 2, 1, 1, 1, 0);
  const a = Uint8Array.of(0, 0, 2, 2, 1, cell(0, 1), cell(1, 2), cell(1, 3));
  return {
    title: 'vmsync: pae, era:5.3 <1 op>',
    caption: ['A forked, then an allocation the process has not seen.'],
    regions,
    cols: 4,
    rowLabels: ['c0000000', 'e0000000'],
    grids: [
      { title: 'Reference', sub: 'init_mm (swapper_pg_dir)', cells: ref },
      { title: 'A', sub: 'pid 2 · 1 missing', cells: a },
    ],
    scenario,
  };
}

test('figureCols: the page\'s columns', () => {
  assert.equal(figureCols(1536), 64);
  assert.equal(figureCols(512), 64);
  assert.equal(figureCols(256), 32);
});

test('XML escaping round-trips, and characters XML cannot hold are replaced', () => {
  const s = `a<b & "c" 'd'>\n\tline`;
  assert.equal(unescapeXml(escapeXml(s)), s);
  assert.equal(escapeXml('x\u0001y'), 'x\ufffdy');
  assert.equal(unescapeXml('&#65;&#x42;<![CDATA[<c>]]>'), 'AB<c>');
});

test('the SVG carries its scenario, which reads back exactly', () => {
  const scenario = 'config mode=pae strategy=era:5.3\n# a <comment> & "quotes"\nfork A\nallocate buf 64K\n';
  const svg = figureSvg(small(scenario), PALETTES.light);
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/);
  assert.match(svg, /<metadata id="vmsync-scenario" data-version="1">/);
  assert.equal(svgScenario(svg), scenario);
  assert.equal(svgScenario('<svg xmlns="http://www.w3.org/2000/svg"></svg>'), null);
  // CRLF written by an editor reads back as LF.
  assert.equal(svgScenario('<svg><metadata id="vmsync-scenario">config mode=pae\r\nfork A\r\n</metadata></svg>'), 'config mode=pae\nfork A\n');
});

test('the SVG is self-contained: no script, style sheet, style attribute or external link', () => {
  const svg = figureSvg(small(), PALETTES.dark);
  assert.doesNotMatch(svg, /<script|<style|style=|href=|<foreignObject|<image/i);
  // Every element is closed: counting opening and closing tags of the containers.
  for (const tag of ['svg', 'g', 'text', 'metadata', 'title', 'desc']) {
    const open = svg.match(new RegExp(`<${tag}[\\s>]`, 'g'))?.length ?? 0;
    const close = svg.match(new RegExp(`</${tag}>`, 'g'))?.length ?? 0;
    assert.equal(open, close, tag);
  }
  // Names and titles are escaped.
  assert.match(svg, /<title>vmsync: pae, era:5\.3 &lt;1 op&gt;<\/title>/);
});

test('the grids: names, labels, cells in the theme\'s colours, one glyph path per drift class', () => {
  const p = PALETTES.light;
  const svg = figureSvg(small(), p);
  assert.match(svg, /<g data-grid="Reference">/);
  assert.match(svg, /<g data-grid="A">/);
  assert.match(svg, />pid 2 · 1 missing</);
  assert.match(svg, />c0000000</);
  // Rows are 8 px apart and labels need 10: every other row is labelled.
  assert.doesNotMatch(svg, />e0000000</);
  assert.ok(svg.includes(`fill="${p.background}"`), 'background');
  assert.ok(svg.includes(`fill="${p.divergence[1]}"`), 'missing colour');
  assert.ok(svg.includes(`fill="${p.divergence[2]}"`), 'stale colour');
  assert.ok(svg.includes(`fill="${p.divergence[3]}"`), 'different colour');
  assert.ok(svg.includes(`fill="${baseFill(p, 2, 2)}"`), 'a huge leaf in the direct map');
  // A process with missing, stale and different cells: one glyph path for each class.
  for (const d of [1, 2, 3]) assert.equal(svg.match(new RegExp(`data-class="${d}"`, 'g'))?.length, 1, `class ${d}`);
  // The dark theme paints with its own palette.
  const dark = figureSvg(small(), PALETTES.dark);
  assert.ok(dark.includes(`fill="${PALETTES.dark.background}"`));
  assert.ok(!dark.includes(`fill="${p.divergence[1]}"`));
});

test('the legend: the regions present, the kinds and the drift classes, in colours.js words', () => {
  const p = PALETTES.light;
  const groups = legendItems(Uint8Array.of(3, 1, 3, 2), p);
  assert.deepEqual(groups.map(([h]) => h), ['Regions', 'Entries (lightness)', 'Drift from the reference (colour and glyph)']);
  assert.deepEqual(groups[0][1].map(([, , l]) => l), [REGION_LABELS[1], REGION_LABELS[2], REGION_LABELS[3]]);
  assert.deepEqual(groups[1][1].map(([, , l]) => l), KIND_LABELS);
  assert.deepEqual(groups[2][1].map(([, d, l]) => [d, l]), [1, 2, 3, 4].map((d) => [d, DIVERGENCE_LABELS[d]]));
  const svg = figureSvg(small(), p);
  for (const l of [...KIND_LABELS, ...DIVERGENCE_LABELS.slice(1), REGION_LABELS[2]]) assert.ok(svg.includes(`>${l.replace(/'/g, '&apos;')}<`), l);
  assert.ok(!svg.includes(`>${REGION_LABELS[0]}<`), 'no user-space region in the figure, none in its legend');
});

test('glyph shapes and caption wrapping', () => {
  assert.equal(glyphPath(1, 0, 0, 7), 'M1 3h5v1h-5z');
  assert.equal(glyphPath(4, 0, 0, 8), 'M3 3h2v2h-2z');
  assert.equal(glyphPath(0, 0, 0, 7), '');
  assert.ok(glyphPath(2, 0, 0, 7).split('z').length > 8, 'a cross of squares');
  assert.deepEqual(wrap('one two three four', 9), ['one two', 'three', 'four']);
  assert.deepEqual(wrap('', 9), []);
});
