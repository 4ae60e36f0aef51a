// @ts-check
/**
 * The tables of `<vmsync-playground>`: the reference and one panel per process (each
 * made and headed by `panel.js`, its numbers from the engine's `processStats()` view),
 * kept in pid order and laid out for the stage's width; the tip beside a hovered cell
 * and the slot card (its entry, and the lower tables of a selected slot), drawn by
 * `slot-info.js`, loaded when the pointer or the focus first reaches the tables (nothing
 * is hovered, focused or selected at the first drawing).
 * @module
 */
import { addr, toBig } from '../../lib/format.js';
import { CODE, REGION_LABELS, cellKind } from '../../lib/colours.js';
import { STAT } from '../../timeline.js';
import { Lazy, stylesheet } from './lazy.js';
import { drawRowLabels, makePanel, writeHeader, writeRefHeader } from './panel.js';

/** @typedef {import('./host.js').Host} Host */
/** @typedef {import('./panel.js').Panel} Panel */
/** @typedef {import('../slot-grid/slot-grid.js').SlotGrid} SlotGrid */
/** @typedef {typeof import('./slot-info.js')} SlotInfo */

/** New process panels made in one task (see `draw`). */
const PANELS_PER_TASK = 64;

export class PanelsView {
  /** @type {Host} */
  #h;
  /** @type {Map<string, Panel>} keyed by process name, '' for the reference */
  #panels = new Map();
  #cols = 64;
  #cellSize = 6;
  /** @type {{process: string, slot: number}} */
  #focus = { process: '', slot: -1 };
  /** @type {{process: string, slot: number}} */
  #selected = { process: '', slot: -1 };
  /** @type {string[]} the live processes' names in pid order, read once per render */
  #names = [];
  /** @type {number[]} their pids, from the last `processStats()` view the panels read */
  #pids = [];
  /** Page-table bytes of all the processes, from the same view. */
  #procBytes = 0;
  /** First address of kernel slot 0, and the bytes one slot covers. */
  #base = 0n;
  #span = 0n;
  /** Panel tasks scheduled (one that is no longer the last is dropped). */
  #panelTasks = 0;
  /** The layout the panels were made for (mode, slot span, regions). */
  #layoutKey = '';
  /** @type {Lazy<SlotInfo>} the slot card and the tip */
  #info = new Lazy(() =>
    Promise.all([import('./slot-info.js'), stylesheet(this.#h.root, new URL('./slot-info.css', import.meta.url))]).then(([m]) => m),
  );
  /** The slot card could not be loaded: a hover does not try again, a selection does. */
  #infoFailed = false;
  /** Counts the cells entered and left: a tip waiting for its part is shown only if still wanted. */
  #hover = 0;

  /** @param {Host} host */
  constructor(host) {
    this.#h = host;
  }

  /** Wires the grids' cell events (hover, focus, select), the cell-size menu and the skip link. */
  wire() {
    const h = this.#h;
    const panels = h.el('#panels');
    // The skip link moves focus to the tables; it never touches the URL (the state lives
    // in the hash, and on a host page the hash is the host's).
    h.el('#skip').addEventListener('click', (e) => {
      e.preventDefault();
      panels.focus();
      panels.scrollIntoView({ block: 'start' });
    });
    panels.addEventListener('cell-focus', (e) => h.guard(() => this.cellEvent(/** @type {CustomEvent} */ (e), false)));
    panels.addEventListener('cell-select', (e) => h.guard(() => this.cellEvent(/** @type {CustomEvent} */ (e), true)));
    this.#info.warm(panels);
    panels.addEventListener('cell-leave', () => {
      this.#hover++;
      h.el('#tip').hidden = true;
      this.#link(-1);
    });
    h.el('#cell-size').addEventListener('change', () => h.guard(() => this.layout(true)));
    // A tip shown by a tap (no pointer to leave the cell) goes away at the next tap
    // anywhere but a table.
    h.el('.app').addEventListener('pointerdown', (e) => {
      if (!(e.composedPath()[0] instanceof HTMLCanvasElement)) h.el('#tip').hidden = true;
    });
  }

  /**
   * Linked highlighting: the slot hovered or focused in one table is marked in every
   * table, so that a drifted entry is read across all of them at a glance.
   * @param {number} slot -1 for none
   */
  #link(slot) {
    for (const p of this.#panels.values()) p.grid.linked = slot;
    // ... and in the compare view's tables of the selected step.
    this.#h.root.querySelectorAll('#compare-view vmsync-slot-grid').forEach((g) => {
      /** @type {SlotGrid} */ (/** @type {unknown} */ (g)).linked = slot;
    });
  }

  /**
   * Points at a table (and a slot in it) for a tour step: the panel is brought into view
   * and the slot ringed; null clears the point.
   * @param {{process: string, slot: number} | null} at '' or a process name
   */
  point(at) {
    for (const [name, p] of this.#panels) {
      const here = !!at && name === at.process;
      p.section.toggleAttribute('data-pointed', here);
      p.grid.pointed = here && at ? at.slot : -1;
      if (here) p.section.scrollIntoView({ block: 'nearest' });
    }
  }

  /** @param {string[]} names the live processes' names in pid order, read once per render */
  set names(names) {
    this.#names = names;
  }

  /** The live processes' pids, in the order of `names` (from the last drawing). */
  get pids() {
    return this.#pids;
  }

  /** Page-table bytes of all the processes (from the last drawing). */
  get procBytes() {
    return this.#procBytes;
  }

  /** The selected slot (slot -1: none). */
  get selected() {
    return this.#selected;
  }

  /**
   * The machine's slots: the first address of slot 0 and the bytes one slot covers.
   * @param {bigint} base
   * @param {bigint} span
   */
  #setOrigin(base, span) {
    this.#base = base;
    this.#span = span;
  }

  /**
   * The first address of kernel slot `i` (the engine's numbers: slot 0's address plus
   * `i` slot spans).
   * @param {number} i
   * @returns {bigint}
   */
  slotVa(i) {
    return BigInt.asUintN(64, this.#base + BigInt(i) * this.#span);
  }

  /**
   * A new machine is shown. One of the same layout (a tour's next step, a loaded link)
   * keeps its panels, so that the cells the step changed can be marked; another layout
   * starts them afresh.
   */
  newMachine() {
    const s = this.#h.timeline();
    const base = toBig(s.playground.describe(null, 0).va) ?? 0n;
    const key = `${s.layout.mode}|${base}|${String(s.layout.slot_span)}|${s.regions.join(',')}`;
    if (key === this.#layoutKey) {
      this.draw();
      return;
    }
    this.#layoutKey = key;
    this.#setOrigin(base, toBig(s.layout.slot_span) ?? 0n);
    this.#rebuild();
    this.layout(true);
  }

  /** Creates the reference panel and removes process panels (a new machine). */
  #rebuild() {
    const host = this.#h.el('#panels');
    host.replaceChildren();
    this.#panels.clear();
    this.#focus = { process: '', slot: -1 };
    this.#selected = { process: '', slot: -1 };
    this.#panels.set('', makePanel('', true, this.#h.wide()));
  }

  /**
   * Chooses columns and cell size for the stage's width and configures every grid.
   * @param {boolean} force
   */
  layout(force) {
    if (!this.#h.maybeTimeline()) return;
    const n = this.#h.timeline().regions.length;
    let cols = n >= 512 ? 64 : 32;
    // The width the tables get (the stage's, or its right column in presenter mode).
    const w = this.#h.el('#panels').clientWidth || this.#h.el('.stage').clientWidth || 800;
    const present = this.#h.el('.app').hasAttribute('data-present');
    const labelW = this.#h.wide() ? 106 : 56;
    const chrome = 20; // panel padding and border
    // Two tables side by side when cells can stay at least 5 px; else one per row, and
    // on a phone (one per row and still under 6 px) half as many columns so that cells
    // stay large enough to touch and see. (Side by side keeps 64 columns: halving them
    // there would make every table four times as tall on a desktop.)
    // Presenter mode: one table a row, so that cells are as large as the column allows.
    let step = present ? 0 : Math.floor((w - 12 - 2 * (chrome + labelW + 6)) / 2 / cols);
    if (step < 6) {
      step = Math.floor((w - chrome - labelW - 6) / cols);
      if (step < 7 && cols === 64) {
        cols = 32;
        step = Math.floor((w - chrome - labelW - 6) / cols);
      }
    }
    const pref = /** @type {HTMLSelectElement} */ (this.#h.el('#cell-size')).value;
    if (pref !== 'auto') {
      // A fixed size: 64 columns for the 32-bit modes unless the page is too narrow.
      cols = n >= 512 && (Number(pref) + 1) * 64 + chrome + labelW + 6 <= w ? 64 : 32;
      step = Number(pref) + 1;
    }
    const size = Math.max(3, Math.min(14, step - 1));
    if (!force && size === this.#cellSize && cols === this.#cols) return;
    this.#cols = cols;
    this.#cellSize = size;
    for (const [name, p] of this.#panels) this.#configure(name, p);
    this.draw(false);
  }

  /**
   * @param {string} name
   * @param {Panel} p
   */
  #configure(name, p) {
    const L = this.#h.timeline().layout;
    const n = this.#h.timeline().regions.length;
    p.grid.configure({
      cols: this.#cols,
      cellSize: this.#cellSize,
      regions: this.#h.timeline().regions,
      palette: this.#h.palette(),
      label: `${name ? 'Process ' + name : 'Reference table'}: ${n} ${String(L.sync_level).toUpperCase()} slots, ${this.#cols} per row. Arrow keys move, Enter selects.`,
    });
    if (p.labels) drawRowLabels(p.labels, n, this.#cols, this.#cellSize, (r) => addr(this.slotVa(r * this.#cols), this.#h.wide()).slice(2));
  }

  /**
   * Adds and removes process panels, writes their headers from the `processStats()` view
   * (no object per process), then draws every grid.
   * @param {boolean} [step] whether this drawing shows a new step (its changes are marked)
   */
  draw(step = true) {
    const s = this.#h.timeline();
    const pg = s.playground;
    const names = this.#names;
    const host = this.#h.el('#panels');
    const live = new Set(names);
    for (const [name, p] of this.#panels) {
      if (name && !live.has(name)) {
        p.section.remove();
        this.#panels.delete(name);
      }
    }
    const ref = /** @type {Panel} */ (this.#panels.get(''));
    if (host.firstElementChild !== ref.section) host.prepend(ref.section);
    /** @type {Element} */
    let prev = ref.section;
    /** @type {Panel[]} in the order of `names`, as far as they exist */
    const panels = [];
    // New panels are made PANELS_PER_TASK at a time; the rest follow in tasks of their
    // own, so that a machine of a thousand processes never holds the page.
    let made = 0;
    for (const name of names) {
      let p = this.#panels.get(name);
      if (!p) {
        if (made === PANELS_PER_TASK) break;
        made++;
        p = makePanel(name, false, this.#h.wide());
        this.#panels.set(name, p);
        this.#configure(name, p);
      }
      // Keep pid order, moving nothing that is already in place.
      if (prev.nextElementSibling !== p.section) prev.after(p.section);
      prev = p.section;
      panels.push(p);
    }
    host.toggleAttribute('aria-busy', panels.length < names.length);
    if (panels.length < names.length) {
      const token = ++this.#panelTasks;
      setTimeout(() => {
        if (token === this.#panelTasks && this.#h.maybeTimeline() === s) this.#h.guard(() => this.draw(false));
      });
    }
    // Headers (engine numbers), read straight from the view: no engine call until the
    // loop ends, so the view stays valid.
    const stats = pg.processStats();
    const F = STAT.FIELDS;
    if (stats.length !== names.length * F) throw new Error(`processStats() has ${stats.length} words for ${names.length} processes`);
    const pids = new Array(names.length);
    let procBytes = 0;
    for (let i = 0; i < names.length; i++) {
      const p = panels[i];
      const o = i * F;
      pids[i] = stats[o + STAT.PID];
      procBytes += stats[o + STAT.TABLE_BYTES];
      if (p) writeHeader(p, stats, o);
    }
    this.#pids = pids;
    this.#procBytes = procBytes;
    // The grids.
    const t0 = performance.now();
    const refCells = pg.cells(null);
    ref.grid.draw(refCells, step);
    let refTables = 0;
    for (let i = 0; i < refCells.length; i++) if (cellKind(refCells[i]) !== CODE.EMPTY) refTables++;
    ref.section.dataset.divergentCount = '0';
    for (let i = 0; i < panels.length; i++) {
      const name = names[i];
      // A grid out of view reads its cells when it comes near; its count is the engine's.
      const n = panels[i].grid.drawLazily(() => this.#h.timeline().playground.cells(name), step);
      const section = panels[i].section;
      section.dataset.divergentCount = n >= 0 ? String(n) : /** @type {string} */ (section.dataset.engineDivergent);
    }
    const ms = performance.now() - t0;
    host.dataset.drawMs = ms.toFixed(2);
    host.dataset.processes = String(names.length);
    writeRefHeader(ref, refTables);
    // The selected slot is outlined in every table, to compare it across processes.
    for (const p of this.#panels.values()) p.grid.selected = this.#selected.slot;
  }

  /**
   * @param {CustomEvent} e
   * @param {boolean} select
   */
  cellEvent(e, select) {
    const grid = /** @type {HTMLElement} */ (e.composedPath().find((x) => x instanceof HTMLElement && x.localName === 'vmsync-slot-grid'));
    if (!grid) return;
    const process = grid.dataset.process ?? '';
    const slot = Number(e.detail.index);
    this.#focus = { process, slot };
    this.#link(slot);
    if (select) {
      this.#selected = { process, slot };
      for (const p of this.#panels.values()) p.grid.selected = slot;
    }
    // One describe() for the info panel, the tip and the announcement.
    const d = this.#h.timeline().playground.describe(process || null, slot);
    this.#hover++;
    this.#withInfo(select, (info) => {
      info.renderSlotInfo(this.#h, this.#focus, this.#selected, (p) => this.#panels.has(p), d);
      info.showTip(this.#h, /** @type {SlotGrid} */ (/** @type {unknown} */ (grid)), process, slot, d);
    });
    if (grid.contains(/** @type {Node} */ (this.#h.root.activeElement))) {
      this.#h.announce(
        `${process || 'Reference'}, slot ${slot}, ${addr(d.va, this.#h.wide())}, ${REGION_LABELS[this.#h.timeline().regions[slot]] ?? d.region}, ${d.kind}${d.divergence !== 'same' ? ', ' + d.divergence : ''}${select ? '. Selected: lower tables shown below.' : ''}`,
      );
    }
  }

  /**
   * The slot card for the focused (else the selected) slot.
   * @param {Record<string, any>} [focused] the focused slot's describe(), when the caller has it
   */
  renderInfo(focused) {
    // Nothing hovered, focused or selected (the first drawing): nothing of the card to draw.
    if (!this.#info.loaded && this.#focus.slot < 0 && this.#selected.slot < 0) return;
    this.#withInfo(false, (info) => info.renderSlotInfo(this.#h, this.#focus, this.#selected, (p) => this.#panels.has(p), focused));
  }

  /**
   * Runs `fn` with the slot card's module: now if it is loaded, else once it is (and
   * after a newer drawing only if it is still the latest). A load that fails is said in
   * place; after that only a selection (a click, Enter) tries again, not every hover.
   * @param {boolean} retry whether this use may try a failed load again
   * @param {(info: SlotInfo) => void} fn
   */
  #withInfo(retry, fn) {
    const info = this.#info.value;
    if (info) {
      fn(info);
      return;
    }
    if (this.#infoFailed && !retry) return;
    const hover = this.#hover;
    this.#info.load().then(
      (m) => {
        this.#infoFailed = false;
        this.#h.guard(() => (hover === this.#hover ? fn(m) : this.renderInfo()));
      },
      (e) => {
        if (this.#infoFailed && !retry) return;
        this.#infoFailed = true;
        this.#h.loadFailed('The slot card', e);
      },
    );
  }
}
