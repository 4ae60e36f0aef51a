// @ts-check
/**
 * Painting a slot grid on its canvas: the cells (region and kind fills, class glyphs,
 * the marks of the cells a step changed) and the rings (selection, tour point, linked
 * slot, focus, hover). `<vmsync-slot-grid>` keeps the state and the events; this module
 * only paints what it is given.
 *
 * Usage:
 *   paintCells(ctx, { cols, cellSize, regions, palette, cells, changed, dpr });
 *   paintRings(ctx, geometry, palette, { selected, pointed, linked, active, hover, focused });
 * @module
 */
import { cellDivergence, cellFill, rgb } from '../../lib/colours.js';
import { paintGrid, paintGridInto } from '../../engine.js';

/** @typedef {import('../../lib/colours.js').Palette} Palette */

/**
 * @typedef {object} Cells what a grid paints
 * @property {number} cols cells per row
 * @property {number} cellSize cell edge in CSS pixels (without the gap)
 * @property {Uint8Array} regions region code per slot (its length is the slot count)
 * @property {Palette} palette
 * @property {Uint8Array} cells cell byte per slot
 * @property {number[]} changed the slots the last step changed
 * @property {number} dpr device pixels per CSS pixel (a whole number)
 */

/** The gap between cells, CSS px. */
export const GAP = 1;

// Palette words, as crate/src/paint.rs lays them out: a fill per (region & 15) * 32 +
// (cell byte & 31), then the background, the glyph inks of classes 1 to 4, the mark.
const FILLS = 16 * 32;
const BACKGROUND = FILLS;
const GLYPH_INK = FILLS + 1;
const MARK = FILLS + 5;
const PALETTE_WORDS = FILLS + 6;

/** @type {WeakMap<Palette, Uint32Array>} palette words per palette, shared by every grid */
const WORDS = new WeakMap();

/**
 * A `#rrggbb` colour as an ImageData word (`0xAABBGGRR`: its bytes are R, G, B, A).
 * @param {string} c
 * @returns {number}
 */
function word(c) {
  const [r, g, b] = rgb(c);
  return (0xff000000 | (b << 16) | (g << 8) | r) >>> 0;
}

/**
 * The palette as words for the pixel painters (built once per palette).
 * @param {Palette} p
 * @returns {Uint32Array}
 */
export function paletteWords(p) {
  let w = WORDS.get(p);
  if (!w) {
    w = new Uint32Array(PALETTE_WORDS);
    const bg = word(p.background);
    for (let r = 0; r < 16; r++) {
      for (let b = 0; b < 32; b++) w[r * 32 + b] = r < p.region.length ? word(cellFill(p, r, b)) : bg;
    }
    w[BACKGROUND] = bg;
    for (let d = 1; d <= 4; d++) w[GLYPH_INK + d - 1] = word(d === 4 ? p.ink : p.glyphInk[d]);
    w[MARK] = word(p.focus);
    WORDS.set(p, w);
  }
  return w;
}

/** Which painter paints the cells: 'runs' (fillRect), 'js' (ImageData in JS), 'wasm', 'wasm-put'. */
export let painter = 'runs';
/** @param {string} name */
export function usePainter(name) {
  painter = name;
}

/**
 * Paints the cells of a grid (the whole canvas).
 * @param {CanvasRenderingContext2D} ctx
 * @param {Cells} g
 */
export function paintCells(ctx, g) {
  if (painter === 'runs') return paintRuns(ctx, g);
  const grid = { cols: g.cols, cell: g.cellSize, scale: g.dpr };
  const words = paletteWords(g.palette);
  const changed = Uint32Array.from(g.changed);
  if (painter === 'wasm-put') return paintGridInto(ctx, grid, words, g.regions, g.cells, changed);
  if (painter === 'wasm-copy') {
    const img = paintGrid(grid, words, g.regions, g.cells, changed);
    if (!img.width || !img.height) return;
    const target = imageOf(ctx, img.width, img.height);
    target.data.set(img.data);
    ctx.putImageData(target, 0, 0);
    return;
  }
  const img =
    painter === 'wasm'
      ? paintGrid(grid, words, g.regions, g.cells, changed)
      : paintJs(grid, words, g.regions, g.cells, changed, painter === 'js-cached' ? ctx : null);
  if (!img.width || !img.height) return;
  ctx.putImageData(img instanceof ImageData ? img : new ImageData(img.data, img.width, img.height), 0, 0);
}

/** @type {WeakMap<CanvasRenderingContext2D, ImageData>} each canvas's own pixels, reused */
const IMAGES = new WeakMap();
/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {number} w
 * @param {number} h
 * @returns {ImageData}
 */
function imageOf(ctx, w, h) {
  let img = IMAGES.get(ctx);
  if (!img || img.width !== w || img.height !== h) IMAGES.set(ctx, (img = new ImageData(w, h)));
  return img;
}

/**
 * The pixels in JavaScript, as crate/src/paint.rs paints them (for the comparison).
 * @param {{cols: number, cell: number, scale: number}} grid
 * @param {Uint32Array} pal
 * @param {Uint8Array} regions
 * @param {Uint8Array} cells
 * @param {Uint32Array} changed
 * @param {CanvasRenderingContext2D | null} ctx where to keep the ImageData (null: a new one)
 * @returns {ImageData | {data: Uint8ClampedArray, width: number, height: number}}
 */
function paintJs(grid, pal, regions, cells, changed, ctx) {
  const { cols, cell, scale: sc } = grid;
  const rows = Math.ceil(regions.length / cols);
  const w = (cols * (cell + 1) - 1) * sc;
  const h = Math.max(0, rows * (cell + 1) - 1) * sc;
  const img = ctx && w && h ? imageOf(ctx, w, h) : null;
  const data = img ? img.data : new Uint8ClampedArray(w * h * 4);
  const px = new Uint32Array(data.buffer);
  px.fill(pal[BACKGROUND]);
  const s = cell * sc;
  const step = s + sc;
  const n = Math.min(regions.length, cells.length);
  const glyphs = glyphRects(cell, sc);
  for (let row = 0; row < rows; row++) {
    const first = row * cols;
    const top = row * step * w;
    const last = Math.min(first + cols, n);
    for (let i = first; i < last; i++) {
      const x = top + (i - first) * step;
      px.fill(pal[(regions[i] & 15) * 32 + (cells[i] & 31)], x, x + s);
    }
    for (let y = 1; y < s; y++) px.copyWithin(top + y * w, top, top + w);
    for (let i = first; i < last; i++) {
      const d = (cells[i] >> 2) & 7;
      if (d < 1 || d > 4) continue;
      const ink = pal[GLYPH_INK + d - 1];
      const o = top + (i - first) * step;
      const list = glyphs[d - 1];
      for (let k = 0; k < list.length; k += 4) {
        for (let yy = list[k + 1]; yy < list[k + 1] + list[k + 3]; yy++) {
          const a = o + yy * w + list[k];
          px.fill(ink, a, a + list[k + 2]);
        }
      }
    }
  }
  const m = Math.min(cell, Math.max(2, Math.ceil(cell / 2)));
  for (const i of changed) {
    if (i >= regions.length) continue;
    const o = Math.floor(i / cols) * step * w + (i % cols) * step;
    for (let y = 0; y < m * sc; y++) px.fill(pal[MARK], o + y * w, o + y * w + (m - Math.floor(y / sc)) * sc);
  }
  return img ?? { data, width: w, height: h };
}

/** @type {Map<string, number[][]>} */
const GLYPHS = new Map();
/**
 * The glyph rectangles (x, y, w, h in device px) of classes 1 to 4, as crate/src/paint.rs.
 * @param {number} s
 * @param {number} sc
 * @returns {number[][]}
 */
function glyphRects(s, sc) {
  const key = `${s}/${sc}`;
  let g = GLYPHS.get(key);
  if (g) return g;
  const t = Math.min(s, Math.max(1, Math.floor((2 * s + 5) / 10)));
  const m = Math.min(Math.floor(s / 2), Math.max(1, Math.floor(s / 5)));
  const inner = Math.max(0, s - 2 * m);
  const [sd, td, md] = [s * sc, t * sc, m * sc];
  /** @type {number[][]} */
  const r = [[], [], [], []];
  r[0].push(md, Math.floor((s - t) / 2) * sc, inner * sc, td);
  for (let k = 0; k < Math.max(0, inner - (t - 1)); k++) r[1].push(md + k * sc, md + k * sc, td, td, md + k * sc, sd - md - td - k * sc, td, td);
  const q = Math.floor(inner / 4);
  r[2].push(md, md + q * sc, inner * sc, td, md, sd - md - q * sc - td, inner * sc, td);
  if (s >= 8) for (let k = 0; k < inner; k++) r[2].push(sd - md - sc - k * sc, md + k * sc, sc, sc);
  const d = Math.min(s, Math.max(1, Math.floor((s + 2) / 4)));
  const o = Math.floor((s - d) / 2) * sc;
  r[3].push(o, o, d * sc, d * sc);
  for (const list of r) {
    for (let k = 0; k < list.length; k += 4) {
      list[k] = Math.min(list[k], sd);
      list[k + 1] = Math.min(list[k + 1], sd);
      list[k + 2] = Math.min(list[k + 2], sd - list[k]);
      list[k + 3] = Math.min(list[k + 3], sd - list[k + 1]);
    }
  }
  GLYPHS.set(key, r);
  return r;
}

/** Fills per palette, shared by every grid: (region * 32 + low 5 bits of the cell byte). */
const FILL_STYLES = new WeakMap();

/**
 * @param {Palette} p
 * @returns {string[]}
 */
function fillsOf(p) {
  let fills = FILL_STYLES.get(p);
  if (!fills) {
    fills = new Array(13 * 32);
    for (let r = 0; r < 13; r++) for (let b = 0; b < 32; b++) fills[r * 32 + b] = cellFill(p, r, b);
    FILL_STYLES.set(p, fills);
  }
  return fills;
}

/**
 * The cells as fillRect runs batched by colour, glyph paths and corner marks.
 * @param {CanvasRenderingContext2D} ctx
 * @param {Cells} g
 */
function paintRuns(ctx, g) {
  const { cols, cellSize: s, regions, palette: p, cells } = g;
  const n = Math.min(regions.length, cells.length);
  const step = s + GAP;
  const rows = Math.ceil(regions.length / cols);
  ctx.setTransform(g.dpr, 0, 0, g.dpr, 0, 0);
  ctx.fillStyle = p.background;
  ctx.fillRect(0, 0, cols * step, rows * step);
  // Runs of equal fill along each row, bucketed by colour: one fillStyle per colour.
  /** @type {Map<string, number[]>} */
  const runs = new Map();
  const fills = fillsOf(p);
  for (let row = 0; row < rows; row++) {
    const first = row * cols;
    const last = Math.min(first + cols, n);
    let start = first;
    let colour = '';
    for (let i = first; i <= last; i++) {
      const c = i < last ? fills[(regions[i] & 15) * 32 + (cells[i] & 31)] : '';
      if (c !== colour) {
        if (colour) {
          let list = runs.get(colour);
          if (!list) runs.set(colour, (list = []));
          list.push((start - first) * step, row * step, (i - start) * step - GAP);
        }
        colour = c;
        start = i;
      }
    }
  }
  for (const [colour, list] of runs) {
    ctx.fillStyle = colour;
    for (let k = 0; k < list.length; k += 3) ctx.fillRect(list[k], list[k + 1], list[k + 2], s);
  }
  // The gaps between columns, cut through the merged runs.
  ctx.fillStyle = p.background;
  for (let c = 1; c < cols; c++) ctx.fillRect(c * step - GAP, 0, GAP, rows * step);
  glyphPaths(ctx, cells, n, cols, s, step, p);
  // The cells the last step changed: a corner mark each, until the next step.
  if (g.changed.length) {
    ctx.fillStyle = p.focus;
    const c = Math.max(2, Math.ceil(s / 2));
    ctx.beginPath();
    for (const i of g.changed) {
      const x = (i % cols) * step;
      const y = Math.floor(i / cols) * step;
      ctx.moveTo(x, y);
      ctx.lineTo(x + c, y);
      ctx.lineTo(x, y + c);
      ctx.closePath();
    }
    ctx.fill();
  }
}

/**
 * Draws the class glyph on each drifted or private cell, one path per class.
 * @param {CanvasRenderingContext2D} ctx
 * @param {Uint8Array} cells
 * @param {number} n
 * @param {number} cols
 * @param {number} s
 * @param {number} step
 * @param {Palette} p
 */
function glyphPaths(ctx, cells, n, cols, s, step, p) {
  /** @type {(Path2D | null)[]} */
  const paths = [null, null, null, null, null];
  const t = Math.max(1, Math.round(s / 5)); // stroke thickness
  for (let i = 0; i < n; i++) {
    const d = cellDivergence(cells[i]);
    if (d === 0 || d > 4) continue;
    const path = paths[d] ?? (paths[d] = new Path2D());
    const x = (i % cols) * step;
    const y = Math.floor(i / cols) * step;
    const m = Math.max(1, Math.floor(s / 5)); // margin
    const inner = s - 2 * m;
    if (d === 1) {
      // missing: a bar (−)
      path.rect(x + m, y + (s - t) / 2, inner, t);
    } else if (d === 2) {
      // stale: a cross (×), as two staircases of squares
      for (let k = 0; k < inner; k += 1) {
        path.rect(x + m + k, y + m + k, t, t);
        path.rect(x + m + k, y + s - m - t - k, t, t);
      }
    } else if (d === 3) {
      // different: two bars (=, the "not equal" sign without its stroke at small sizes)
      path.rect(x + m, y + m + Math.floor(inner / 4), inner, t);
      path.rect(x + m, y + s - m - Math.floor(inner / 4) - t, inner, t);
      if (s >= 8) for (let k = 0; k < inner; k++) path.rect(x + s - m - 1 - k, y + m + k, 1, 1);
    } else if (d === 4) {
      // private: a dot in the middle
      const r = Math.max(1, Math.round(s / 4));
      path.rect(x + (s - r) / 2, y + (s - r) / 2, r, r);
    }
  }
  for (let d = 1; d <= 4; d++) {
    const path = paths[d];
    if (!path) continue;
    ctx.fillStyle = d === 4 ? p.ink : p.glyphInk[d];
    ctx.fill(path);
  }
}

/**
 * @typedef {object} Rings the slots ringed (-1: none)
 * @property {number} selected outlined
 * @property {number} pointed the slot a tour step points at, ringed boldly
 * @property {number} linked the slot hovered or focused in another grid
 * @property {number} active the keyboard's cell, ringed when `focused`
 * @property {boolean} focused whether the canvas has the focus
 * @property {number} hover under the pointer
 */

/**
 * The selection outline, the tour's point, the linked slot, the focus and hover rings.
 * @param {CanvasRenderingContext2D} ctx
 * @param {{cols: number, cellSize: number, slots: number, dpr: number}} g
 * @param {Palette} p
 * @param {Rings} r
 */
export function paintRings(ctx, g, p, r) {
  const { cols, cellSize: s } = g;
  const step = s + GAP;
  ctx.setTransform(g.dpr, 0, 0, g.dpr, 0, 0);
  const ring = (/** @type {number} */ i, /** @type {string} */ colour, /** @type {number} */ w) => {
    if (i < 0 || i >= g.slots) return;
    const x = (i % cols) * step;
    const y = Math.floor(i / cols) * step;
    ctx.strokeStyle = colour;
    ctx.lineWidth = w;
    ctx.strokeRect(x - w / 2 + 0.5, y - w / 2 + 0.5, s + w - 1, s + w - 1);
  };
  ring(r.selected, p.selected, 2);
  if (r.pointed >= 0) {
    ring(r.pointed, p.background, 5);
    ring(r.pointed, p.focus, 3);
  }
  if (r.linked >= 0 && r.linked !== r.hover) ring(r.linked, p.focus, 1);
  if (r.focused) ring(r.active, p.focus, 2);
  if (r.hover >= 0 && r.hover !== r.active) ring(r.hover, p.focus, 1);
}
