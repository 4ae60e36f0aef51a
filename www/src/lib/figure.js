// @ts-check
/**
 * The figure of a state, as SVG text: for slides and papers. A title and caption, the
 * reference table and every process's table as slot grids (the page's colours: region
 * and entry kind by fill, drift by colour and glyph), each with its name, addresses
 * beside the rows, and the legend. The figure carries its scenario: the scenario text is
 * in a `<metadata id="vmsync-scenario">` element, which `svgScenario` reads back.
 *
 * Pure functions: strings and arrays in, a string out; no DOM, no engine. Colours and
 * words come from `colours.js`.
 *
 * Usage:
 *   const svg = figureSvg({ title, caption, regions, cols: figureCols(regions.length),
 *     rowLabels, grids: [{ title: 'Reference', sub: '', cells }], scenario }, PALETTES.light);
 *   svgScenario(svg);   // the scenario text back
 * @module
 */
import {
  CODE,
  DIVERGENCES,
  DIVERGENCE_LABELS,
  KIND_LABELS,
  LEGEND_CLASSES,
  REGION_LABELS,
  baseFill,
  classSwatch,
  cellDivergence,
  cellFill,
  mix,
} from './colours.js';

/** @typedef {import('./colours.js').Palette} Palette */

/**
 * @typedef {object} FigureGrid one table
 * @property {string} title its name (`Reference`, a process name)
 * @property {string} sub a line under the name (pid, drift)
 * @property {Uint8Array} cells one cell byte per kernel slot
 */

/**
 * @typedef {object} Figure
 * @property {string} title
 * @property {string[]} caption paragraphs under the title (wrapped to the width)
 * @property {Uint8Array} regions region code per kernel slot
 * @property {number} cols cells per grid row (`figureCols`)
 * @property {string[]} rowLabels a label per grid row (the row's first address), or none
 * @property {FigureGrid[]} grids the reference first, then the processes
 * @property {string} scenario the text that reopens the state
 */

/** Cell edge and gap, in SVG pixels. */
const CELL = 7;
const GAP = 1;
const STEP = CELL + GAP;
const PAD = 16;
const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';
const MONO = 'ui-monospace, Menlo, Consolas, monospace';

/**
 * Cells per grid row for `slots` kernel slots (the page's default).
 * @param {number} slots
 * @returns {number}
 */
export function figureCols(slots) {
  return slots >= 512 ? 64 : 32;
}

/**
 * Text for XML: markup characters escaped, characters XML cannot hold replaced.
 * @param {string} s
 * @returns {string}
 */
export function escapeXml(s) {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/**
 * The text of escaped XML character data (the five entities, numeric references, CDATA).
 * @param {string} s
 * @returns {string}
 */
export function unescapeXml(s) {
  return s.replace(/<!\[CDATA\[([\s\S]*?)\]\]>|&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (m, cdata, ent) => {
    if (cdata !== undefined) return cdata;
    const e = String(ent).toLowerCase();
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e] ?? m;
  });
}

/**
 * The scenario an exported SVG carries, or null when it carries none.
 * @param {string} svg
 * @returns {string | null}
 */
export function svgScenario(svg) {
  const m = /<metadata\b[^>]*\bid\s*=\s*["']vmsync-scenario["'][^>]*>([\s\S]*?)<\/metadata\s*>/i.exec(svg);
  return m ? unescapeXml(m[1]).replace(/\r\n?/g, '\n') : null;
}

/**
 * A rough width of text in pixels (for layout only: the figure never clips text).
 * @param {string} s
 * @param {number} size font size
 * @returns {number}
 */
function textWidth(s, size) {
  return s.length * size * 0.62;
}

/**
 * Words wrapped to lines of at most `max` characters.
 * @param {string} text
 * @param {number} max
 * @returns {string[]}
 */
export function wrap(text, max) {
  /** @type {string[]} */
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * SVG path data of a drift class's glyph on a cell of edge `s` at (x, y): the shapes the
 * slot grid paints (missing −, stale ×, different =, private a dot), as filled squares.
 * @param {number} d divergence code, 1 to 4
 * @param {number} x
 * @param {number} y
 * @param {number} s
 * @returns {string}
 */
export function glyphPath(d, x, y, s) {
  const t = Math.max(1, Math.round(s / 5));
  const m = Math.max(1, Math.floor(s / 5));
  const inner = s - 2 * m;
  const rect = (/** @type {number} */ rx, /** @type {number} */ ry, /** @type {number} */ w, /** @type {number} */ h) => `M${rx} ${ry}h${w}v${h}h${-w}z`;
  let p = '';
  const cls = DIVERGENCES[d];
  if (cls === 'missing') p = rect(x + m, y + (s - t) / 2, inner, t);
  else if (cls === 'stale') {
    for (let k = 0; k < inner; k++) p += rect(x + m + k, y + m + k, t, t) + rect(x + m + k, y + s - m - t - k, t, t);
  } else if (cls === 'different') {
    p = rect(x + m, y + m + Math.floor(inner / 4), inner, t) + rect(x + m, y + s - m - Math.floor(inner / 4) - t, inner, t);
    if (s >= 8) for (let k = 0; k < inner; k++) p += rect(x + s - m - 1 - k, y + m + k, 1, 1);
  } else if (cls === 'private') {
    const r = Math.max(1, Math.round(s / 4));
    p = rect(x + (s - r) / 2, y + (s - r) / 2, r, r);
  }
  return p;
}

/**
 * The glyph colour of a drift class (as the slot grid paints it).
 * @param {Palette} p
 * @param {number} d
 * @returns {string}
 */
function glyphInk(p, d) {
  return d === CODE.PRIVATE ? p.ink : p.glyphInk[d];
}

/**
 * One grid's cells: a rectangle per run of equal fill along each row, the gaps between
 * columns cut through them, and one path per drift class for the glyphs.
 * @param {Uint8Array} cells
 * @param {Uint8Array} regions
 * @param {number} cols
 * @param {number} x0
 * @param {number} y0
 * @param {Palette} p
 * @returns {string}
 */
function gridSvg(cells, regions, cols, x0, y0, p) {
  const n = Math.min(cells.length, regions.length);
  const rows = Math.ceil(regions.length / cols);
  /** @type {Map<string, string>} */
  const fills = new Map();
  const fillOf = (/** @type {number} */ i) => {
    const key = `${regions[i]}:${cells[i] & 31}`;
    let f = fills.get(key);
    if (f === undefined) fills.set(key, (f = cellFill(p, regions[i], cells[i])));
    return f;
  };
  /** @type {string[]} */
  const out = [];
  for (let row = 0; row < rows; row++) {
    const first = row * cols;
    const last = Math.min(first + cols, n);
    let start = first;
    for (let i = first + 1; i <= last; i++) {
      if (i < last && fillOf(i) === fillOf(start)) continue;
      if (start < last) out.push(`<rect x="${x0 + (start - first) * STEP}" y="${y0 + row * STEP}" width="${(i - start) * STEP - GAP}" height="${CELL}" fill="${fillOf(start)}"/>`);
      start = i;
    }
  }
  let gaps = '';
  for (let c = 1; c < cols; c++) gaps += `M${x0 + c * STEP - GAP} ${y0}h${GAP}v${rows * STEP - GAP}h${-GAP}z`;
  out.push(`<path d="${gaps}" fill="${p.background}"/>`);
  const glyphs = DIVERGENCES.map(() => '');
  for (let i = 0; i < n; i++) {
    const d = cellDivergence(cells[i]);
    if (d !== CODE.SAME && d < glyphs.length) glyphs[d] += glyphPath(d, x0 + (i % cols) * STEP, y0 + Math.floor(i / cols) * STEP, CELL);
  }
  for (const d of LEGEND_CLASSES) if (glyphs[d]) out.push(`<path d="${glyphs[d]}" fill="${glyphInk(p, d)}" data-class="${d}"/>`);
  return out.join('');
}

/**
 * The legend's groups: [heading, [fill, drift code or 0, label][]], as the page shows it.
 * @param {Uint8Array} regions
 * @param {Palette} p
 * @returns {[string, [string, number, string][]][]}
 */
export function legendItems(regions, p) {
  const present = [...new Set(regions)].sort((a, b) => a - b);
  return [
    ['Regions', present.map((c) => [baseFill(p, c, 1), 0, REGION_LABELS[c] ?? String(c)])],
    ['Entries (lightness)', KIND_LABELS.map((label, k) => [baseFill(p, CODE.VMALLOC, k), 0, label])],
    ['Drift from the reference (colour and glyph)', LEGEND_CLASSES.map((d) => [classSwatch(p, d), d, DIVERGENCE_LABELS[d]])],
  ];
}

/**
 * The figure as a standalone SVG document (presentation attributes only: no style
 * sheet, no script, no external reference).
 * @param {Figure} fig
 * @param {Palette} p
 * @returns {string}
 */
export function figureSvg(fig, p) {
  const { cols, regions, grids } = fig;
  const muted = mix(p.ink, p.background, 0.35);
  const rows = Math.ceil(regions.length / cols);
  const gridW = cols * STEP - GAP;
  const gridH = rows * STEP - GAP;
  const labelW = fig.rowLabels.length ? Math.ceil(Math.max(...fig.rowLabels.map((l) => textWidth(l, 8)))) + 8 : 0;
  const perRow = Math.max(1, Math.min(grids.length, Math.max(2, Math.ceil(Math.sqrt(grids.length))), 8));
  const blockW = gridW + 24;
  const width = Math.max(640, PAD * 2 + labelW + perRow * blockW - 24);
  const inner = width - 2 * PAD;
  /** @type {string[]} */
  const body = [];
  const text = (/** @type {number} */ x, /** @type {number} */ y, /** @type {string} */ s, /** @type {string} */ attrs = '') =>
    `<text x="${x}" y="${y}"${attrs}>${escapeXml(s)}</text>`;
  let y = PAD + 16;
  body.push(text(PAD, y, fig.title, ` font-size="16" font-weight="700" fill="${p.ink}"`));
  y += 6;
  for (const para of fig.caption) {
    for (const line of wrap(para, Math.floor(inner / (12 * 0.62)))) {
      y += 16;
      body.push(text(PAD, y, line, ` font-size="12" fill="${p.ink}"`));
    }
  }
  y += 14;
  // The grids, `perRow` to a row, each under its name and sub-line.
  const blockH = 34 + gridH + 18;
  grids.forEach((g, k) => {
    const col = k % perRow;
    const x = PAD + labelW + col * blockW;
    const top = y + Math.floor(k / perRow) * blockH;
    body.push(`<g data-grid="${escapeXml(g.title)}">`);
    body.push(text(x, top + 12, g.title, ` font-size="13" font-weight="700" fill="${p.ink}"`));
    if (g.sub) body.push(text(x, top + 27, g.sub, ` font-size="11" fill="${muted}"`));
    body.push(gridSvg(g.cells, regions, cols, x, top + 34, p));
    body.push('</g>');
    if (col === 0 && labelW) {
      const every = Math.max(1, Math.ceil(10 / STEP));
      for (let r = 0; r < rows && r < fig.rowLabels.length; r += every) {
        body.push(text(x - 6, top + 34 + r * STEP + CELL - 0.5, fig.rowLabels[r], ` font-size="8" font-family="${MONO}" text-anchor="end" fill="${muted}"`));
      }
    }
  });
  y += Math.ceil(grids.length / perRow) * blockH + 4;
  // The legend: a heading per group, then its swatches in columns.
  for (const [heading, items] of legendItems(regions, p)) {
    y += 14;
    body.push(text(PAD, y, heading, ` font-size="12" font-weight="700" fill="${p.ink}"`));
    y += 6;
    // Columns as wide as the group's widest item, so that labels never run into each other.
    const colW = Math.ceil(Math.max(...items.map(([, , label]) => 20 + textWidth(label, 11) + 18)));
    const perLine = Math.max(1, Math.floor((width - 2 * PAD + 18) / colW));
    items.forEach(([fill, d, label], i) => {
      const x = PAD + (i % perLine) * colW;
      if (i && i % perLine === 0) y += 20;
      body.push(`<rect x="${x}" y="${y + 2}" width="14" height="14" fill="${fill}" stroke="${muted}" stroke-width="0.5"/>`);
      // The grid's own glyph, twice as large.
      if (d) body.push(`<path transform="translate(${x} ${y + 2}) scale(2)" d="${glyphPath(d, 0, 0, CELL)}" fill="${glyphInk(p, d)}"/>`);
      body.push(text(x + 20, y + 13, label, ` font-size="11" fill="${p.ink}"`));
    });
    y += 22;
  }
  const height = Math.ceil(y + PAD - 4);
  const desc = [...fig.caption, 'The scenario that reopens this state is in the metadata: drop this file on the vmsync playground.'].join(' ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">` +
    `<title>${escapeXml(fig.title)}</title><desc>${escapeXml(desc)}</desc>` +
    `<metadata id="vmsync-scenario" data-version="1">${escapeXml(fig.scenario)}</metadata>` +
    `<rect width="${width}" height="${height}" fill="${p.background}"/>` +
    body.join('') +
    '</svg>\n'
  );
}
