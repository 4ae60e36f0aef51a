// @ts-check
/**
 * `<vmsync-compare-step>`: one step of a comparison, seen in every era: for each column
 * (at most `MAX_MACHINES`), the outcome of that step and a small slot grid of each
 * process's kernel half after it, with its drift in words. The machines are built for
 * the selected step only (`machinesAt`: created, run, read, freed) and never kept.
 *
 * Usage (`registerCompareView()` registers it, and the slot grid is registered at start-up):
 *   registerCompareStep();
 *   const s = document.createElement('vmsync-compare-step');
 *   s.show({ comparison, row: 2, config, ops: ops.slice(0, 3), palette });
 *   s.recolour(palette);
 *   s.clear('Select a step to see it in every era.');
 */
import { machinesAt } from '../../compare.js';
import { DIVERGENCES, DIVERGENCE_GLYPHS, isDrift } from '../../lib/colours.js';
import { compareOutcome } from '../../lib/words.js';
import { h } from '../dom.js';

/** @typedef {import('../../compare.js').Comparison} Comparison */
/** @typedef {import('../../lib/colours.js').Palette} Palette */
/** @typedef {import('../slot-grid/slot-grid.js').SlotGrid} SlotGrid */

/** Machines built for one step, at most: the first columns that ran. */
export const MAX_MACHINES = 10;
/** The cell edge of the small grids, in CSS pixels. */
const CELL = 4;

export class CompareStep extends HTMLElement {
  /** @type {{grid: SlotGrid, regions: Uint8Array, cols: number, label: string, cells: Uint8Array}[]} */
  #grids = [];

  /** @param {string} note what to say while no step is selected */
  clear(note) {
    this.#grids = [];
    this.replaceChildren(h('p', { class: 'note' }, [note]));
  }

  /**
   * Builds each column's machine after step `row` and draws its processes.
   * @param {{comparison: Comparison, row: number, config: Record<string, unknown>, ops: any[], palette: Palette}} a
   */
  show({ comparison, row, config, ops, palette }) {
    const r = comparison.rows[row];
    const live = comparison.columns.filter((c) => !c.refused);
    const cols = live.slice(0, MAX_MACHINES);
    const machines = machinesAt(config, cols.map((c) => c.policy), ops);
    this.#grids = [];
    const title = h('h3', {}, [`After step ${row + 1}, ${r.op}: each era's processes`]);
    const cards = machines.map((m, j) => {
      const cell = cols[j].cells[row];
      const o = compareOutcome(cell.outcome);
      const outcome = h('p', { class: 'step-out', 'data-outcome': cell.outcome }, [h('span', { class: 'g', 'aria-hidden': 'true' }, [o.glyph]), ` ${o.word}, drift ${cell.drift}`]);
      if (o.tone) outcome.dataset.tone = o.tone;
      const card = h('section', { class: 'era-card', 'data-policy': m.policy, 'aria-label': `${m.policy} after step ${row + 1}` }, [
        h('h4', {}, [m.policy, ' ', h('span', { class: 'lab' }, [cols[j].label])]),
        outcome,
      ]);
      if (cell.error) card.append(h('p', { class: 'note refused-why' }, [cell.error]));
      if (m.error) {
        card.append(h('p', { class: 'error' }, [m.error]));
        return card;
      }
      if (!m.processes.length) card.append(h('p', { class: 'note' }, ['No processes yet.']));
      const n = m.regions.length;
      const gcols = n >= 1024 ? 64 : 32;
      for (const p of m.processes) {
        const grid = /** @type {SlotGrid} */ (document.createElement('vmsync-slot-grid'));
        grid.dataset.process = p.name;
        grid.setAttribute('aria-hidden', 'true');
        // The drift classes by the catalog's names, each with its glyph and count.
        const drift = DIVERGENCES.flatMap((k, d) => (isDrift(d) && p[k] > 0 ? [`${DIVERGENCE_GLYPHS[d]} ${p[k]} ${k}`] : []));
        const words = drift.length ? drift.join(', ') : 'in step';
        card.append(h('div', { class: 'proc', 'data-process': p.name }, [h('span', { class: 'pname' }, [p.name, ': ', h('span', { class: 'pdrift' }, [words])]), grid]));
        this.#grids.push({ grid, regions: m.regions, cols: gcols, label: `${m.policy}, process ${p.name}`, cells: p.cells });
      }
      return card;
    });
    const more = live.length > cols.length ? [h('p', { class: 'note' }, [`Grids for the first ${cols.length} of ${live.length} columns.`])] : [];
    this.replaceChildren(title, h('div', { class: 'era-cards' }, cards), ...more);
    this.recolour(palette);
  }

  /**
   * Draws the grids again in the palette of a theme.
   * @param {Palette} palette
   */
  recolour(palette) {
    for (const g of this.#grids) {
      g.grid.configure({ cols: g.cols, cellSize: CELL, regions: g.regions, palette, label: g.label });
      g.grid.draw(g.cells);
      // The words beside each grid say what it shows: the canvases take no focus.
      const canvas = g.grid.querySelector('canvas');
      if (canvas) canvas.tabIndex = -1;
    }
  }
}

/** Registers `<vmsync-compare-step>` (once). */
export function registerCompareStep() {
  if (!customElements.get('vmsync-compare-step')) customElements.define('vmsync-compare-step', CompareStep);
}
