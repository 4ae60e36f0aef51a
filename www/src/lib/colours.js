// @ts-check
/**
 * Colour tables and the cell-byte codec for the grids.
 *
 * A cell byte (from the engine's `cells()`) holds the entry kind in bits 0-1 (0 empty,
 * 1 table, 2 huge leaf) and the divergence class in bits 2-4 (0 same, 1 missing,
 * 2 stale, 3 different, 4 private). Region codes per slot come from `slotRegions()`.
 * This module only names those codes and gives them colours and glyphs: every class is
 * told apart by a glyph as well as a colour, so the grids read without colour vision.
 * @module
 */

/** Region names in code order (the engine's `RegionKind` codes). */
export const REGIONS = /** @type {const} */ ([
  'user',
  'hole',
  'direct-map',
  'vmalloc',
  'pkmap',
  'ldt',
  'cpu-entry-area',
  'fixmap',
  'vmemmap',
  'espfix',
  'efi',
  'kernel-text',
  'modules',
]);

/** How the legend says each region, keyed by the catalog's region names. */
export const REGION_WORDS = Object.freeze({
  user: 'user space',
  hole: 'unused (hole)',
  'direct-map': 'direct map',
  vmalloc: 'vmalloc / ioremap',
  pkmap: 'persistent kmap',
  ldt: 'LDT remap',
  'cpu-entry-area': 'cpu entry area',
  fixmap: 'fixmap',
  vmemmap: 'vmemmap',
  espfix: 'ESPfix stacks',
  efi: 'EFI runtime',
  'kernel-text': 'kernel text',
  modules: 'modules',
});

/** Human names for the legend, in code order. */
export const REGION_LABELS = REGIONS.map((n) => REGION_WORDS[n]);

/** How the legend and the table view say each entry kind, keyed by the catalog's `cell.kinds`. */
export const KIND_WORDS = Object.freeze({ empty: 'empty', table: 'points to a table', huge: 'huge leaf' });
/** The entry kinds in code order (the catalog's `cell.kinds`). */
export const KINDS = /** @type {const} */ (['empty', 'table', 'huge']);
/** How the legend and the table view say each kind, in code order. */
export const KIND_LABELS = KINDS.map((k) => KIND_WORDS[k]);

/** Divergence classes in code order. */
export const DIVERGENCES = /** @type {const} */ (['same', 'missing', 'stale', 'different', 'private']);
/**
 * How each class is explained, and the glyph drawn on a cell of it (also in the legend
 * and the table view), keyed by the catalog's class names.
 */
export const DIVERGENCE_WORDS = Object.freeze({
  same: { label: 'in step with the reference', glyph: '' },
  missing: { label: 'missing: the reference has it, the process lacks it', glyph: '−' },
  stale: { label: 'stale: the process has it, the reference does not', glyph: '×' },
  different: { label: 'different: both have it, pointing to different places', glyph: '≠' },
  private: { label: 'private: per process by design, never synced', glyph: '•' },
});
/** How each class is explained, in code order. */
export const DIVERGENCE_LABELS = DIVERGENCES.map((d) => DIVERGENCE_WORDS[d].label);
/** The glyph of each class, in code order. */
export const DIVERGENCE_GLYPHS = DIVERGENCES.map((d) => DIVERGENCE_WORDS[d].glyph);

/**
 * How a cell byte packs a slot (the catalog's `cell`, which a Node test holds this to):
 * `kind = b & KIND_MASK`, `class = (b >> CLASS_SHIFT) & CLASS_MASK`. Constants here, not
 * read at run time, because the grids decode thousands of bytes per drawing.
 */
export const CELL = Object.freeze({ KIND_MASK: 3, CLASS_SHIFT: 2, CLASS_MASK: 7 });

/** The codes of the kinds and classes the page treats apart, by the catalog's names. */
export const CODE = Object.freeze({
  EMPTY: KINDS.indexOf('empty'),
  HUGE: KINDS.indexOf('huge'),
  SAME: DIVERGENCES.indexOf('same'),
  PRIVATE: DIVERGENCES.indexOf('private'),
  HOLE: REGIONS.indexOf('hole'),
  VMALLOC: REGIONS.indexOf('vmalloc'),
  LDT: REGIONS.indexOf('ldt'),
});

/** Which class codes count as drift from the reference (the catalog's `drift`). */
const DRIFT = DIVERGENCES.map((d) => d === 'missing' || d === 'stale' || d === 'different');

/** The class codes a legend explains: every class but `same`, in code order. */
export const LEGEND_CLASSES = DIVERGENCES.flatMap((_, d) => (d === CODE.SAME ? [] : [d]));

/**
 * The kind code of a cell byte.
 * @param {number} b
 * @returns {number}
 */
export function cellKind(b) {
  return b & CELL.KIND_MASK;
}

/**
 * The divergence code of a cell byte.
 * @param {number} b
 * @returns {number}
 */
export function cellDivergence(b) {
  return (b >> CELL.CLASS_SHIFT) & CELL.CLASS_MASK;
}

/**
 * Whether a class code counts as drift from the reference (missing, stale or different).
 * Private slots are per-process by design and do not count.
 * @param {number} d
 * @returns {boolean}
 */
export function isDrift(d) {
  return !!DRIFT[d];
}

/**
 * Whether a cell byte has drifted from the reference.
 * @param {number} b
 * @returns {boolean}
 */
export function isDivergent(b) {
  return isDrift(cellDivergence(b));
}

/**
 * @typedef {object} Palette
 * @property {string} background grid background (the gaps between cells)
 * @property {string} ink text and glyphs on light fills
 * @property {string[]} region region base colour, by region code
 * @property {string[]} divergence fill of a drifted cell, by divergence code (0 unused)
 * @property {string[]} glyphInk glyph colour on a drifted cell, by divergence code
 * @property {string} focus the focus ring around the active cell
 * @property {string} selected the outline of the selected cell
 */

/** @type {Record<'light' | 'dark', Palette>} */
export const PALETTES = {
  light: {
    background: '#ffffff',
    ink: '#1b1b1f',
    region: [
      '#d9d9d9', // user
      '#ececec', // hole
      '#5b9bd5', // direct map
      '#4caf7d', // vmalloc
      '#a77cc9', // pkmap
      '#d9a441', // ldt
      '#d97a7a', // cpu entry area
      '#9c8f6b', // fixmap
      '#4fb3ae', // vmemmap
      '#c48fb2', // espfix
      '#a3a34f', // efi
      '#7c83d6', // kernel text
      '#cf8f57', // modules
    ],
    // Okabe–Ito: orange, vermillion, reddish purple; private keeps the region colour.
    divergence: ['', '#e69f00', '#d55e00', '#8e3b8a', ''],
    glyphInk: ['', '#000000', '#ffffff', '#ffffff', '#000000'],
    focus: '#0b57d0',
    selected: '#000000',
  },
  dark: {
    background: '#16171b',
    ink: '#e8e8ec',
    region: [
      '#3a3a3f',
      '#2a2b30',
      '#4a86c0',
      '#3f9a6a',
      '#9270b4',
      '#b98a33',
      '#c46666',
      '#8a7e5c',
      '#3f9c97',
      '#a97799',
      '#8c8c44',
      '#6a71c2',
      '#b77b48',
    ],
    divergence: ['', '#f0b429', '#ff7a3d', '#d98ad6', ''],
    glyphInk: ['', '#000000', '#000000', '#000000', '#ffffff'],
    focus: '#8ab4f8',
    selected: '#ffffff',
  },
};

/**
 * Parses `#rrggbb` into [r, g, b] in 0..255.
 * @param {string} c
 * @returns {[number, number, number]}
 */
export function rgb(c) {
  const n = parseInt(c.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * Mixes two `#rrggbb` colours: `t` = 0 gives `a`, 1 gives `b`.
 * @param {string} a
 * @param {string} b
 * @param {number} t
 * @returns {string}
 */
export function mix(a, b, t) {
  const x = rgb(a);
  const y = rgb(b);
  const m = x.map((v, i) => Math.round(v + (y[i] - v) * t));
  return '#' + m.map((v) => v.toString(16).padStart(2, '0')).join('');
}

/**
 * WCAG relative luminance of a `#rrggbb` colour.
 * @param {string} c
 * @returns {number}
 */
export function luminance(c) {
  const [r, g, b] = rgb(c).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * WCAG contrast ratio between two colours (1 to 21).
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
export function contrast(a, b) {
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (l1 + 0.05) / (l2 + 0.05);
}

/**
 * The fill of a cell that is in step (or private): the region colour, pale when the
 * entry is empty, full for a table, dark for a huge leaf. Kinds differ in lightness, not
 * hue, so they read in greyscale too.
 * @param {Palette} p
 * @param {number} region region code
 * @param {number} kind kind code
 * @returns {string}
 */
export function baseFill(p, region, kind) {
  const base = p.region[region] ?? p.region[CODE.HOLE];
  if (kind === CODE.EMPTY) return mix(base, p.background, 0.72);
  if (kind === CODE.HUGE) return mix(base, p === PALETTES.dark ? '#ffffff' : '#000000', 0.38);
  return base;
}

/**
 * The fill of any cell byte in a region.
 * @param {Palette} p
 * @param {number} region
 * @param {number} b cell byte
 * @returns {string}
 */
export function cellFill(p, region, b) {
  const d = cellDivergence(b);
  if (isDrift(d)) return p.divergence[d];
  return baseFill(p, region, cellKind(b));
}

/**
 * The swatch of a class in a legend: its fill, or for a private slot the LDT remap's
 * colour (where private entries are), as the grids draw it.
 * @param {Palette} p
 * @param {number} d class code
 * @returns {string}
 */
export function classSwatch(p, d) {
  return d === CODE.PRIVATE ? baseFill(p, CODE.LDT, 1) : p.divergence[d];
}
