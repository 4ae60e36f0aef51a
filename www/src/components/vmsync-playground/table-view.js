// @ts-check
/**
 * The table view of `<vmsync-playground>`: every slot of every table as text in one
 * table (for screen readers, and for reading values), drawn only while it is open.
 * Loaded when the card first opens (`cards.js`, which wires its opening and its "every
 * slot" box).
 * @module
 */
import { addr, plural } from '../../lib/format.js';
import { DIVERGENCE_GLYPHS, DIVERGENCES, KIND_LABELS, REGION_LABELS, cellDivergence, cellKind } from '../../lib/colours.js';

/** @typedef {import('./host.js').Host} Host */

export class TableView {
  /** @type {Host} */
  #h;

  /** @param {Host} host */
  constructor(host) {
    this.#h = host;
  }

  render() {
    const tv = /** @type {HTMLDetailsElement} */ (this.#h.el('#table-view'));
    if (!tv.open || !this.#h.maybeTimeline()) return;
    const pg = this.#h.timeline().playground;
    const procs = pg.processNames();
    const regions = this.#h.timeline().regions;
    const n = regions.length;
    const all = /** @type {HTMLInputElement} */ (this.#h.el('#tv-all')).checked;
    /** @type {Uint8Array[]} */
    const cols = [pg.cells(null).slice(), ...procs.map((/** @type {string} */ p) => pg.cells(p).slice())];
    const table = document.createElement('table');
    table.className = 'cells';
    const cap = document.createElement('caption');
    cap.className = 'sr-only';
    cap.textContent = `Kernel slots at the ${String(this.#h.timeline().layout.sync_level).toUpperCase()} level: the reference and each process`;
    const thead = document.createElement('thead');
    const hr = document.createElement('tr');
    for (const t of ['slot', 'address', 'region', 'reference', ...procs]) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = t;
      hr.append(th);
    }
    thead.append(hr);
    const tbody = document.createElement('tbody');
    const wide = this.#h.wide();
    let shown = 0;
    for (let i = 0; i < n; i++) {
      const anyUsed = cols.some((c) => c[i] !== 0);
      if (!all && !anyUsed) continue;
      shown++;
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = String(i);
      const a = document.createElement('td');
      a.textContent = addr(this.#h.slotVa(i), wide);
      const rg = document.createElement('td');
      rg.textContent = REGION_LABELS[regions[i]] ?? String(regions[i]);
      tr.append(th, a, rg);
      cols.forEach((c) => {
        const td = document.createElement('td');
        const k = cellKind(c[i]);
        const d = cellDivergence(c[i]);
        td.dataset.div = DIVERGENCES[d] ?? 'same';
        td.textContent = KIND_LABELS[k] + (d ? ` ${DIVERGENCE_GLYPHS[d]} ${DIVERGENCES[d]}` : '');
        tr.append(td);
      });
      tbody.append(tr);
    }
    table.append(cap, thead, tbody);
    const body = this.#h.el('#tv-body');
    const note = document.createElement('p');
    note.className = 'note';
    note.textContent = all ? `${plural(n, 'slot')}.` : `${plural(shown, 'slot')} in use in at least one table (of ${n}).`;
    body.replaceChildren(note, table);
  }
}
