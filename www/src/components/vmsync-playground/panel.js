// @ts-check
/**
 * One table's panel in `<vmsync-playground>`: its section, header (name, pid and
 * page-table bytes, drift badges) and slot grid, with the column of row addresses. The
 * numbers come from the engine's `processStats()` view, read by `panels-view.js`, which
 * keeps the set of panels, their order and their layout.
 * @module
 */
import { bytes, plural } from '../../lib/format.js';
import { DIVERGENCES, DIVERGENCE_GLYPHS } from '../../lib/colours.js';
import { STAT } from '../../timeline.js';

/** @typedef {import('../slot-grid/slot-grid.js').SlotGrid} SlotGrid */

/**
 * @typedef {object} Panel
 * @property {HTMLElement} section
 * @property {SlotGrid} grid
 * @property {HTMLElement} badges
 * @property {HTMLElement} sub
 * @property {HTMLElement | null} labels
 */

/**
 * A new panel (not yet in the page).
 * @param {string} name process name, '' for the reference
 * @param {boolean} withLabels whether its row-address column is written (the reference's)
 * @param {boolean} wide whether addresses are 64-bit (a wider column)
 * @returns {Panel}
 */
export function makePanel(name, withLabels, wide) {
  const section = document.createElement('section');
  section.className = 'panel';
  section.dataset.process = name;
  section.dataset.testid = name ? `panel-${name}` : 'panel-reference';
  const header = document.createElement('header');
  const h = document.createElement('h3');
  const hid = `ph-${name || 'ref'}`;
  h.id = hid;
  h.textContent = name ? name : 'Reference';
  const sub = document.createElement('span');
  sub.className = 'sub';
  const badges = document.createElement('div');
  badges.className = 'badges';
  header.append(h, sub, badges);
  section.setAttribute('aria-labelledby', hid);
  const wrap = document.createElement('div');
  wrap.className = 'grid-wrap';
  /** @type {HTMLElement | null} */
  let labels = null;
  // Every panel has the column of row addresses (empty but for the reference's), so
  // that the grids line up, slot under slot.
  const column = document.createElement('div');
  column.className = 'row-labels' + (wide ? ' wide' : '');
  column.setAttribute('aria-hidden', 'true');
  wrap.append(column);
  if (withLabels) labels = column;
  const grid = /** @type {SlotGrid} */ (document.createElement('vmsync-slot-grid'));
  grid.dataset.process = name;
  wrap.append(grid);
  section.append(header, wrap);
  if (!name) sub.textContent = 'init_mm (swapper_pg_dir)';
  return { section, grid, badges, sub, labels };
}

/**
 * Writes the row addresses beside a grid: one label every few rows, as many as fit.
 * @param {HTMLElement} labels the panel's row-address column
 * @param {number} n slots in the table
 * @param {number} cols slots per row
 * @param {number} cellSize pixels per cell (one more with the gap)
 * @param {(row: number) => string} rowText the label of a row (its first address)
 */
export function drawRowLabels(labels, n, cols, cellSize, rowText) {
  const step = cellSize + 1;
  const rows = Math.ceil(n / cols);
  const every = Math.max(1, Math.ceil(13 / step));
  labels.replaceChildren();
  labels.style.height = `${rows * step}px`;
  for (let r = 0; r < rows; r += every) {
    const sp = document.createElement('span');
    sp.style.top = `${r * step + Math.max(0, (step * Math.min(every, rows - r) - 11) / 2)}px`;
    sp.textContent = rowText(r);
    labels.append(sp);
  }
}

/**
 * Writes a process panel's header from the `processStats()` view (touching only what
 * changed), and the engine's drift count on its section.
 * @param {Panel} p
 * @param {Uint32Array} stats the view (read before any other engine call)
 * @param {number} o the process's first word in it
 */
export function writeHeader(p, stats, o) {
  const sub = `pid ${stats[o + STAT.PID]} · ${bytes(stats[o + STAT.TABLE_BYTES])} of page tables`;
  if (p.sub.textContent !== sub) p.sub.textContent = sub;
  if (p.badges.childElementCount !== 4) {
    p.badges.replaceChildren(
      ...[1, 2, 3, 4].map((k) => {
        const span = document.createElement('span');
        span.className = 'badge';
        span.dataset.class = DIVERGENCES[k];
        return span;
      }),
    );
  }
  for (let k = 1; k <= 4; k++) {
    // STAT.MISSING, STALE, DIFFERENT, PRIVATE follow SAME in DIVERGENCES' order.
    const v = stats[o + STAT.SAME + k];
    const span = /** @type {HTMLElement} */ (p.badges.children[k - 1]);
    const n = String(v);
    if (span.dataset.n === n) continue;
    span.dataset.n = n;
    span.textContent = `${DIVERGENCE_GLYPHS[k]} ${v} ${DIVERGENCES[k]}`;
  }
  p.section.dataset.engineDivergent = String(stats[o + STAT.MISSING] + stats[o + STAT.STALE] + stats[o + STAT.DIFFERENT]);
}

/**
 * Writes the reference panel's header. It has the same two lines as a process's, so that
 * the grids side by side start at the same height.
 * @param {Panel} ref
 * @param {number} inUse slots of the reference that hold a table
 */
export function writeRefHeader(ref, inUse) {
  ref.sub.textContent = 'init_mm (swapper_pg_dir)';
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.dataset.class = 'in-use';
  badge.textContent = `${plural(inUse, 'slot')} in use`;
  ref.badges.replaceChildren(badge);
}
