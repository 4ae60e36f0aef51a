// @ts-check
/**
 * Painting a slot grid on its canvas: the cells (region and kind fills, class glyphs,
 * the marks of the cells a step changed) and the rings (selection, tour point, linked
 * slot, focus, hover). `<vmsync-slot-grid>` keeps the state and the events; this module
 * only paints what it is given.
 *
 * The cells are `fillRect` runs batched by colour and one path per glyph class: the
 * canvas records them and rasterises them with the frame. Pixels written into an
 * `ImageData` (in JavaScript, or in wasm through web-sys) were measured slower to paint
 * and slower still at a device pixel ratio of 2: docs/painting.md.
 *
 * Usage:
 *   paintCells(ctx, { cols, cellSize, regions, palette, cells, changed, dpr });
 *   paintRings(ctx, geometry, palette, { selected, pointed, linked, active, hover, focused });
 * @module
 */
import { CELL, DIVERGENCES, REGIONS, cellDivergence, cellFill } from '../../lib/colours.js';

/** The bits of a cell byte that choose its fill: the entry kind and the class. */
const CELL_BITS = (CELL.CLASS_MASK << CELL.CLASS_SHIFT) | CELL.KIND_MASK;
/** One fill per region and cell-bits value. */
const FILL_STRIDE = CELL_BITS + 1;

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

/** Fills per palette, shared by every grid: (region * FILL_STRIDE + the cell's CELL_BITS). */
const FILL_STYLES = new WeakMap();

/**
 * @param {Palette} p
 * @returns {string[]}
 */
function fillsOf(p) {
  let fills = FILL_STYLES.get(p);
  if (!fills) {
    fills = new Array(REGIONS.length * FILL_STRIDE);
    for (let r = 0; r < REGIONS.length; r++) for (let b = 0; b < FILL_STRIDE; b++) fills[r * FILL_STRIDE + b] = cellFill(p, r, b);
    FILL_STYLES.set(p, fills);
  }
  return fills;
}

/**
 * Paints the cells of a grid (the whole canvas): fillRect runs batched by colour, glyph
 * paths and the corner marks of the changed cells.
 * @param {CanvasRenderingContext2D} ctx
 * @param {Cells} g
 */
export function paintCells(ctx, g) {
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
      const c = i < last ? fills[regions[i] * FILL_STRIDE + (cells[i] & CELL_BITS)] : '';
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
  const paths = DIVERGENCES.map(() => null);
  const t = Math.max(1, Math.round(s / 5)); // stroke thickness
  for (let i = 0; i < n; i++) {
    const d = cellDivergence(cells[i]);
    const name = DIVERGENCES[d];
    if (name === undefined || name === 'same') continue;
    const path = paths[d] ?? (paths[d] = new Path2D());
    const x = (i % cols) * step;
    const y = Math.floor(i / cols) * step;
    const m = Math.max(1, Math.floor(s / 5)); // margin
    const inner = s - 2 * m;
    if (name === 'missing') {
      // missing: a bar (−)
      path.rect(x + m, y + (s - t) / 2, inner, t);
    } else if (name === 'stale') {
      // stale: a cross (×), as two staircases of squares
      for (let k = 0; k < inner; k += 1) {
        path.rect(x + m + k, y + m + k, t, t);
        path.rect(x + m + k, y + s - m - t - k, t, t);
      }
    } else if (name === 'different') {
      // different: two bars (=, the "not equal" sign without its stroke at small sizes)
      path.rect(x + m, y + m + Math.floor(inner / 4), inner, t);
      path.rect(x + m, y + s - m - Math.floor(inner / 4) - t, inner, t);
      if (s >= 8) for (let k = 0; k < inner; k++) path.rect(x + s - m - 1 - k, y + m + k, 1, 1);
    } else if (name === 'private') {
      // private: a dot in the middle
      const r = Math.max(1, Math.round(s / 4));
      path.rect(x + (s - r) / 2, y + (s - r) / 2, r, r);
    }
  }
  for (let d = 0; d < paths.length; d++) {
    const path = paths[d];
    if (!path) continue;
    ctx.fillStyle = DIVERGENCES[d] === 'private' ? p.ink : p.glyphInk[d];
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
