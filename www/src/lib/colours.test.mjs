import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DIVERGENCES,
  DIVERGENCE_GLYPHS,
  PALETTES,
  REGIONS,
  REGION_LABELS,
  baseFill,
  cellDivergence,
  cellFill,
  cellKind,
  contrast,
  isDivergent,
  luminance,
  mix,
} from './colours.js';

test('cell bytes decode as the contract says', () => {
  const b = 2 | (3 << 2); // huge leaf, different
  assert.equal(cellKind(b), 2);
  assert.equal(cellDivergence(b), 3);
  assert.equal(isDivergent(1 | (1 << 2)), true); // missing
  assert.equal(isDivergent(1 | (2 << 2)), true); // stale
  assert.equal(isDivergent(1 | (4 << 2)), false); // private is by design
  assert.equal(isDivergent(1), false);
});

test('every code has a name, a label and, for drift, a glyph', () => {
  assert.equal(REGIONS.length, 13);
  assert.equal(REGION_LABELS.length, 13);
  assert.equal(DIVERGENCES.length, 5);
  for (let d = 1; d < 5; d++) assert.ok(DIVERGENCE_GLYPHS[d], DIVERGENCES[d]);
  assert.equal(new Set(DIVERGENCE_GLYPHS.slice(1)).size, 4, 'glyphs differ');
  for (const p of Object.values(PALETTES)) assert.equal(p.region.length, 13);
});

for (const [name, p] of Object.entries(PALETTES)) {
  test(`${name}: glyphs stand out on drifted cells`, () => {
    for (let d = 1; d <= 3; d++) {
      assert.ok(contrast(p.glyphInk[d], p.divergence[d]) >= 3, `${DIVERGENCES[d]} glyph contrast`);
    }
  });

  test(`${name}: drifted cells differ from every in-step cell`, () => {
    for (let d = 1; d <= 3; d++) {
      for (let r = 0; r < 13; r++) {
        for (let k = 0; k < 3; k++) {
          assert.notEqual(cellFill(p, r, k | (d << 2)), baseFill(p, r, k));
        }
      }
    }
  });

  test(`${name}: entry kinds differ in lightness, not only hue`, () => {
    for (let r = 2; r < 13; r++) {
      const l = [0, 1, 2].map((k) => luminance(baseFill(p, r, k)));
      assert.ok(Math.abs(l[0] - l[1]) > 0.05 && Math.abs(l[1] - l[2]) > 0.05, `region ${REGIONS[r]}: ${l}`);
    }
  });
}

test('mix and contrast', () => {
  assert.equal(mix('#000000', '#ffffff', 0.5), '#808080');
  assert.equal(Math.round(contrast('#000000', '#ffffff')), 21);
});
