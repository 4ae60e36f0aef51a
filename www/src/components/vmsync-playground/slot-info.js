// @ts-check
/**
 * The slot card of `<vmsync-playground>`: what one kernel slot of one table holds, beside
 * the reference's, and the lower tables of a selected slot (the engine's ptdump).
 * @module
 */
import { addr, hex } from '../../lib/format.js';
import { DIVERGENCES, DIVERGENCE_GLYPHS, DIVERGENCE_LABELS, REGION_LABELS } from '../../lib/colours.js';

/** @typedef {import('./host.js').Host} Host */
/** @typedef {import('../slot-grid/slot-grid.js').SlotGrid} SlotGrid */
/** @typedef {{process: string, slot: number}} Slot a slot of a table ('' is the reference) */

/**
 * Draws the slot card: the focused slot's entry (else the selected one's), and the lower
 * tables of the selected slot as ptdump text.
 * @param {Host} h
 * @param {Slot} focus
 * @param {Slot} selected
 * @param {(process: string) => boolean} shown whether a process has a panel
 * @param {Record<string, any>} [focused] the focused slot's describe(), when the caller has it
 */
export function renderSlotInfo(h, focus, selected, shown, focused) {
  const body = h.el('#info-body');
  const drill = h.el('#drill');
  const f = focus.slot >= 0 ? focus : selected;
  const pg = h.timeline().playground;
  const valid = (/** @type {{process: string, slot: number}} */ x) =>
    x.slot >= 0 && x.slot < h.timeline().regions.length && (x.process === '' || shown(x.process));
  if (valid(f)) {
    const d = focused ?? pg.describe(f.process || null, f.slot);
    const wide = h.wide();
    const title = document.createElement('p');
    title.className = 'slot-title';
    title.textContent = `${f.process || 'Reference'} · ${String(d.level).toUpperCase()} slot ${d.slot} (index ${d.index} of its table)`;
    const dl = document.createElement('dl');
    dl.className = 'kv';
    const divIdx = DIVERGENCES.indexOf(/** @type {any} */ (d.divergence));
    /** @type {[string, string][]} */
    const rows = [
      ['virtual range', `${addr(d.va, wide)} – ${addr(d.last, wide)}`],
      // The region by the name the legend gives it (one name per region everywhere).
      ['region', REGION_LABELS[h.timeline().regions[f.slot]] ?? String(d.region)],
      ['raw entry', hex(d.raw, h.entryDigits())],
      ['decoded', d.present ? `present, ${d.kind === 'leaf' ? 'huge leaf' : 'points to a table'}${d.flags?.length ? ' · ' + d.flags.join(' ') : ''}` : 'not present (empty)'],
      [d.kind === 'leaf' ? 'maps physical' : 'target table', d.target === null || d.target === undefined ? '—' : hex(d.target)],
    ];
    if (f.process) {
      rows.push(['reference entry', hex(d.reference_raw, h.entryDigits())]);
      rows.push(['compared with the reference', `${DIVERGENCE_GLYPHS[divIdx] ?? ''} ${DIVERGENCE_LABELS[divIdx] ?? d.divergence}`.trim()]);
    }
    dl.replaceChildren(
      ...rows.flatMap(([k, v]) => {
        const dt = document.createElement('dt');
        dt.textContent = k;
        const dd = document.createElement('dd');
        dd.textContent = v;
        if (k === 'raw entry' || k === 'reference entry' || k.startsWith('target') || k.startsWith('maps')) dd.className = 'mono';
        return [dt, dd];
      }),
    );
    body.replaceChildren(title, dl);
    body.dataset.slot = String(f.slot);
    body.dataset.process = f.process;
  }

  const sel = selected;
  if (valid(sel)) {
    const text = pg.ptdump(sel.process || null, sel.slot);
    const h = document.createElement('h3');
    h.textContent = `Lower tables of slot ${sel.slot} in ${sel.process || 'the reference'} (ptdump)`;
    const pre = document.createElement('pre');
    pre.className = 'ptdump';
    pre.tabIndex = 0;
    pre.setAttribute('aria-label', h.textContent);
    pre.textContent = text.trim() ? text : '(nothing mapped in this slot)';
    drill.replaceChildren(h, pre);
  } else {
    drill.replaceChildren();
  }
}

/**
 * The small card beside a hovered or focused cell: slot, range, entry, target.
 * @param {Host} h
 * @param {SlotGrid} grid
 * @param {string} process
 * @param {number} slot
 * @param {Record<string, any>} d the slot's describe()
 */
export function showTip(h, grid, process, slot, d) {
  const tip = /** @type {HTMLElement} */ (h.el('#tip'));
  const rect = grid.cellRect(slot);
  if (!rect) {
    tip.hidden = true;
    return;
  }
  const wide = h.wide();
  const divIdx = DIVERGENCES.indexOf(/** @type {any} */ (d.divergence));
  const line = (/** @type {string} */ k, /** @type {string} */ v, mono = false) => {
    const div = document.createElement('div');
    const b = document.createElement('b');
    b.textContent = k + ' ';
    const val = document.createElement(mono ? 'code' : 'span');
    val.textContent = v;
    div.append(b, val);
    return div;
  };
  const rows = [
    line(`${process || 'Reference'} · ${String(d.level).toUpperCase()} slot ${d.slot}`, `(index ${d.index})`),
    line('range', `${addr(d.va, wide)} – ${addr(d.last, wide)}`, true),
    line('entry', hex(d.raw, h.entryDigits()), true),
    line('', d.present ? `${d.kind === 'leaf' ? 'huge leaf' : 'table'}${d.flags?.length ? ' · ' + d.flags.join(' ') : ''}` : 'not present'),
  ];
  if (d.target !== null && d.target !== undefined) rows.push(line(d.kind === 'leaf' ? 'maps' : 'target', hex(d.target), true));
  if (process && divIdx > 0) rows.push(line(DIVERGENCE_GLYPHS[divIdx], DIVERGENCES[divIdx]));
  tip.replaceChildren(...rows);
  tip.hidden = false;
  const app = h.el('.app');
  const a = app.getBoundingClientRect();
  const tw = tip.offsetWidth;
  let left = rect.right + 8 - a.left + app.scrollLeft;
  if (rect.right + 8 + tw > a.right - 4) left = rect.left - 8 - tw - a.left + app.scrollLeft;
  tip.style.left = `${Math.max(4, left)}px`;
  tip.style.top = `${rect.bottom + 6 - a.top + app.scrollTop}px`;
}
