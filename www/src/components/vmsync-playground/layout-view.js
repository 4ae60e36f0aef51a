// @ts-check
/**
 * The Layout card of `<vmsync-playground>`: the summary line, the ruler of the kernel
 * address space by region, the legends (regions, entry kinds, drift classes) and the
 * boundaries of the layout.
 * @module
 */
import { addr, bytes, count, plural, toBig } from '../../lib/format.js';
import { CODE, DIVERGENCE_GLYPHS, DIVERGENCE_LABELS, KIND_LABELS, LEGEND_CLASSES, REGION_LABELS, baseFill, classSwatch } from '../../lib/colours.js';

/** @typedef {import('./host.js').Host} Host */

export class LayoutView {
  /** @type {Host} */
  #h;

  /** @param {Host} host */
  constructor(host) {
    this.#h = host;
  }

  /** Legend, ruler, boundaries and the summary line. */
  render() {
    const L = this.#h.timeline().layout;
    const regions = this.#h.timeline().regions;
    const p = this.#h.palette();
    const wide = this.#h.wide();
    const n = regions.length;
    const level = String(L.sync_level).toUpperCase();
    const span = toBig(L.slot_span) ?? 0n;
    const summary = this.#h.el('#summary');
    const est = L.email_estimate_slots !== undefined && L.email_estimate_slots !== null ? ` Joerg's estimate for this layout: ${count(L.email_estimate_slots)}.` : '';
    summary.textContent =
      `${L.mode}: the kernel half is ${plural(n, level + ' slot')} of ${bytes(span)} each. ` +
      `The vmalloc area touches ${plural(L.vmalloc_sync_slots, 'slot')} (${bytes(BigInt(L.vmalloc_total_kb) * 1024n)}); ` +
      `pre-allocating them costs ${bytes(L.prealloc_bytes)} of page tables.${est}`;
    // Ruler: runs of equal region code, proportional to their slot counts.
    const ruler = this.#h.el('#ruler');
    const ticks = this.#h.el('#ruler-ticks');
    ruler.replaceChildren();
    ticks.replaceChildren();
    /** @type {string[]} */
    const said = [];
    let start = 0;
    const base = this.#h.slotVa(0);
    for (let i = 1; i <= n; i++) {
      if (i < n && regions[i] === regions[start]) continue;
      const code = regions[start];
      const seg = document.createElement('span');
      seg.style.flex = `${i - start} 0 0`;
      seg.style.background = baseFill(p, code, 1);
      seg.title = `${REGION_LABELS[code] ?? code}: slots ${start}–${i - 1}, from ${addr(base + BigInt(start) * span, wide)}`;
      ruler.append(seg);
      said.push(`${REGION_LABELS[code]} ${i - start}`);
      start = i;
    }
    ruler.setAttribute('aria-label', `Kernel address space by region, in slots: ${said.join(', ')}`);
    const tick = (/** @type {number} */ frac, /** @type {string} */ text) => {
      const t = document.createElement('span');
      t.style.left = `${(frac * 100).toFixed(2)}%`;
      t.textContent = text;
      ticks.append(t);
    };
    tick(0, addr(base, wide));
    const vr = L.vmalloc_slot_range;
    if (Array.isArray(vr) && n) tick(Number(vr[0]) / n, 'vmalloc');
    tick(1, 'top');
    // Legends.
    const present = [...new Set(regions)].sort((a, b) => a - b);
    this.#legend('#legend-regions', present.map((c) => [baseFill(p, c, 1), '', REGION_LABELS[c] ?? String(c)]));
    // Kinds on vmalloc's colour; every class but `same` (codes by the catalog's names).
    this.#legend('#legend-kinds', KIND_LABELS.map((label, k) => [baseFill(p, CODE.VMALLOC, k), '', label]));
    this.#legend('#legend-div', LEGEND_CLASSES.map((d) => [classSwatch(p, d), DIVERGENCE_GLYPHS[d], DIVERGENCE_LABELS[d]]));
    // Glyph colours in the legend follow the grid's.
    this.#h.root.querySelectorAll('#legend-div .sw').forEach((sw, i) => {
      const d = LEGEND_CLASSES[i];
      /** @type {HTMLElement} */ (sw).style.color = d === CODE.PRIVATE ? p.ink : p.glyphInk[d];
    });
    const bounds = this.#h.el('#bounds');
    bounds.replaceChildren();
    const rows = [
      ['PAGE_OFFSET', L.page_offset],
      ['high_memory', L.high_memory],
      ['VMALLOC_START', L.vmalloc_start],
      ['VMALLOC_END', L.vmalloc_end],
      ['PKMAP_BASE', L.pkmap_base],
      ['LDT_BASE_ADDR', L.ldt_base],
      ['CPU_ENTRY_AREA_BASE', L.cpu_entry_area_base],
      ['VMEMMAP_START', L.vmemmap_base],
      ['FIXADDR_TOT_START', L.fixaddr_tot_start],
      ['FIXADDR_START', L.fixaddr_start],
    ];
    for (const [k, val] of rows) {
      if (val === undefined || val === null) continue;
      const d = document.createElement('div');
      const dt = document.createElement('dt');
      dt.textContent = String(k);
      const dd = document.createElement('dd');
      dd.textContent = addr(toBig(val), wide);
      d.append(dt, dd);
      bounds.append(d);
    }
  }

  /**
   * @param {string} sel
   * @param {string[][]} items [fill, glyph, label]
   */
  #legend(sel, items) {
    const ul = this.#h.el(sel);
    ul.replaceChildren(
      ...items.map(([fill, glyph, label]) => {
        const li = document.createElement('li');
        const sw = document.createElement('span');
        sw.className = 'sw';
        sw.style.background = fill;
        sw.textContent = glyph;
        sw.setAttribute('aria-hidden', 'true');
        li.append(sw, document.createTextNode(label));
        return li;
      }),
    );
  }
}
