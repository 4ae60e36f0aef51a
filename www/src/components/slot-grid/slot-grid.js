// @ts-check
/**
 * `<vmsync-slot-grid>`: one page table's kernel half at the sync level, drawn on a canvas,
 * one cell per slot. Cells are filled by region and entry kind; drifted cells get their
 * class's colour *and* glyph. No per-cell DOM nodes and no per-cell text: a redraw is a
 * handful of `fillRect` runs per row, batched by colour (`paint.js` paints; this element
 * keeps the cells, the marks and the keys). A grid out of view (beyond a
 * margin) only keeps its cells, and paints when it scrolls near: a thousand processes
 * cost a thousand copies of their cells, not a thousand paintings.
 *
 * Usage:
 *   registerSlotGrid();
 *   const g = document.createElement('vmsync-slot-grid');
 *   g.configure({ cols: 64, cellSize: 6, regions, palette, label: 'Reference table' });
 *   g.draw(cellsView);                        // a Uint8Array view, read at once
 *   g.addEventListener('cell-focus', (e) => e.detail.index);   // hover or keyboard
 *   g.addEventListener('cell-select', (e) => e.detail.index);  // click, Enter or Space
 *   g.addEventListener('cell-leave', () => {});                 // pointer left, focus lost
 *
 * Keyboard: arrows move the active cell, Home/End go to the row's ends, PageUp/PageDown
 * move by 8 rows, Ctrl+Home/Ctrl+End to the first/last slot, Enter/Space select.
 */
import { isDivergent } from '../../lib/colours.js';
import { GAP, paintCells, paintRings } from './paint.js';

/** @typedef {import('../../lib/colours.js').Palette} Palette */

/**
 * @typedef {object} GridConfig
 * @property {number} cols cells per row
 * @property {number} cellSize cell edge in CSS pixels (without the 1 px gap)
 * @property {Uint8Array} regions region code per slot (its length is the slot count)
 * @property {Palette} palette
 * @property {string} label accessible name of the grid
 */

export class SlotGrid extends HTMLElement {
  /** @type {HTMLCanvasElement} */
  #canvas;
  /** @type {CanvasRenderingContext2D | null} */
  #ctx = null;
  /** @type {GridConfig | null} */
  #cfg = null;
  /** @type {Uint8Array} */
  #cells = new Uint8Array(0);
  #active = -1;
  #selected = -1;
  #hover = -1;
  #dpr = 1;
  /** Near the viewport (true until the observer says otherwise, where there is none). */
  #inView = typeof IntersectionObserver !== 'function';
  /** Cells drawn while out of view, not yet painted. */
  #dirty = false;
  /** @type {(() => Uint8Array) | null} where to read the cells when the grid comes near */
  #source = null;
  /** Whether a step came while the grid was out of view (its changes to mark). */
  #sourceStep = false;
  /** @type {number[]} the cells the last step changed (marked until the next one) */
  #changed = [];
  /** The slot hovered or focused in another grid (-1: none): the same slot, marked here. */
  #linked = -1;
  /** The slot a tour step talks about (-1: none): ringed boldly. */
  #pointed = -1;

  /** One observer for every grid: paints a grid when it comes near the viewport. */
  static #observer =
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver(
          (entries) => {
            for (const e of entries) {
              const g = /** @type {SlotGrid} */ (e.target);
              g.#inView = e.isIntersecting;
              const source = g.#source;
              g.#source = null;
              if (g.#inView && source) {
                g.draw(source(), g.#sourceStep);
                g.#sourceStep = false;
              }
              else if (g.#inView && g.#dirty) g.#repaint();
              else g.#source = source;
            }
          },
          { rootMargin: '600px 0px' },
        )
      : null;

  constructor() {
    super();
    this.#canvas = document.createElement('canvas');
    this.#canvas.tabIndex = 0;
    this.#canvas.setAttribute('role', 'application');
    this.#canvas.setAttribute('aria-roledescription', 'slot grid');
    this.#canvas.addEventListener('mousemove', (e) => this.#onMove(e));
    this.#canvas.addEventListener('mouseleave', () => this.#onLeave());
    this.#canvas.addEventListener('click', (e) => this.#onClick(e));
    this.#canvas.addEventListener('keydown', (e) => this.#onKey(e));
    this.#canvas.addEventListener('focus', () => {
      if (this.#active < 0) this.#active = Math.max(0, this.#selected);
      this.#repaint();
      this.#emit('cell-focus', this.#active);
    });
    this.#canvas.addEventListener('blur', () => {
      this.#repaint();
      this.dispatchEvent(new CustomEvent('cell-leave', { bubbles: true, composed: true }));
    });
  }

  connectedCallback() {
    if (!this.#canvas.isConnected) this.append(this.#canvas);
    SlotGrid.#observer?.observe(this);
  }

  disconnectedCallback() {
    SlotGrid.#observer?.unobserve(this);
  }

  /** Slots drawn. */
  get slots() {
    return this.#cfg ? this.#cfg.regions.length : 0;
  }

  /** Cells per row (0 before `configure`): ArrowDown moves by this many. */
  get cols() {
    return this.#cfg ? this.#cfg.cols : 0;
  }

  /** The selected cell (-1: none). */
  get selected() {
    return this.#selected;
  }
  set selected(i) {
    if (i === this.#selected) return;
    this.#selected = i;
    this.#repaint();
  }

  /**
   * Sets geometry, regions and colours. Cheap when nothing changed.
   * @param {GridConfig} cfg
   */
  configure(cfg) {
    const prev = this.#cfg;
    this.#cfg = cfg;
    this.#canvas.setAttribute('aria-label', cfg.label);
    if (!prev || prev.regions !== cfg.regions) {
      this.#active = Math.min(this.#active, cfg.regions.length - 1);
      this.#selected = Math.min(this.#selected, cfg.regions.length - 1);
    }
    const rows = Math.ceil(cfg.regions.length / cfg.cols);
    const step = cfg.cellSize + GAP;
    const w = cfg.cols * step - GAP;
    const h = rows * step - GAP;
    const dpr = Math.max(1, Math.round(globalThis.devicePixelRatio || 1));
    if (this.#canvas.width !== w * dpr || this.#canvas.height !== h * dpr || dpr !== this.#dpr) {
      this.#dpr = dpr;
      this.#canvas.width = w * dpr;
      this.#canvas.height = h * dpr;
      this.#canvas.style.width = w + 'px';
      this.#canvas.style.height = h + 'px';
      this.#ctx = null;
    }
  }

  /**
   * Draws the cells. `cells` may be a view over wasm memory: it is read now and copied.
   * @param {Uint8Array} cells
   * @param {boolean} [step] whether this drawing shows a new step (its changes are
   *   marked); false for a redraw of the same state
   * @returns {number} divergent cells
   */
  draw(cells, step = true) {
    if (this.#cells.length !== cells.length) {
      this.#cells = new Uint8Array(cells.length);
      this.#changed = [];
    } else if (step) {
      // The cells this step changed (their entry, or how it compares with the
      // reference); a drawing that is not a step (a resize, a theme) keeps the marks.
      /** @type {number[]} */
      const changed = [];
      for (let i = 0; i < cells.length; i++) if (cells[i] !== this.#cells[i]) changed.push(i);
      this.#changed = changed;
    }
    this.#cells.set(cells);
    this.dataset.changed = String(this.#changed.length);
    const n = this.#cfg ? Math.min(this.#cfg.regions.length, cells.length) : 0;
    let divergent = 0;
    for (let i = 0; i < n; i++) if (isDivergent(cells[i])) divergent++;
    this.#repaint();
    return divergent;
  }

  /**
   * Draws the cells now when the grid is near the viewport; otherwise keeps `source`
   * and reads it when the grid comes near (a thousand grids out of view cost nothing).
   * @param {() => Uint8Array} source a view of the cells as they are when it is called
   * @param {boolean} [step] whether it shows a new step (see `draw`)
   * @returns {number} divergent cells, or -1 when they are not read yet
   */
  drawLazily(source, step = true) {
    if (this.#inView) {
      this.#source = null;
      return this.draw(source(), step);
    }
    this.#source = source;
    this.#sourceStep ||= step;
    this.#dirty = true;
    return -1;
  }

  /** The slot marked as the one hovered or focused in another grid (-1: none). */
  get linked() {
    return this.#linked;
  }
  set linked(i) {
    if (i === this.#linked) return;
    this.#linked = i;
    if (i >= 0) this.dataset.linked = String(i);
    else delete this.dataset.linked;
    this.#repaint();
  }

  /** The slot a tour step points at (-1: none). */
  get pointed() {
    return this.#pointed;
  }
  set pointed(i) {
    if (i === this.#pointed) return;
    this.#pointed = i;
    if (i >= 0) this.dataset.pointed = String(i);
    else delete this.dataset.pointed;
    this.#repaint();
  }

  #repaint() {
    const cfg = this.#cfg;
    if (!cfg) return;
    if (!this.#inView) {
      this.#dirty = true;
      return;
    }
    this.#dirty = false;
    const ctx = this.#ctx ?? (this.#ctx = this.#canvas.getContext('2d', { alpha: false }));
    if (!ctx) return;
    const dpr = this.#dpr;
    paintCells(ctx, { ...cfg, cells: this.#cells, changed: this.#changed, dpr });
    paintRings(ctx, { cols: cfg.cols, cellSize: cfg.cellSize, slots: this.slots, dpr }, cfg.palette, {
      selected: this.#selected,
      pointed: this.#pointed,
      linked: this.#linked,
      active: this.#active,
      focused: this.isConnected && this.#canvas.matches(':focus'),
      hover: this.#hover,
    });
  }

  /**
   * @param {MouseEvent} e
   * @returns {number}
   */
  #indexAt(e) {
    const cfg = this.#cfg;
    if (!cfg) return -1;
    const r = this.#canvas.getBoundingClientRect();
    const step = cfg.cellSize + GAP;
    const col = Math.floor((e.clientX - r.left) / step);
    const row = Math.floor((e.clientY - r.top) / step);
    if (col < 0 || col >= cfg.cols || row < 0) return -1;
    const i = row * cfg.cols + col;
    return i < this.slots ? i : -1;
  }

  /** @param {MouseEvent} e */
  #onMove(e) {
    const i = this.#indexAt(e);
    if (i === this.#hover) return;
    this.#hover = i;
    this.#repaint();
    if (i >= 0) this.#emit('cell-focus', i);
  }

  #onLeave() {
    this.#hover = -1;
    this.#repaint();
    this.dispatchEvent(new CustomEvent('cell-leave', { bubbles: true, composed: true }));
  }

  /** @param {MouseEvent} e */
  #onClick(e) {
    const i = this.#indexAt(e);
    if (i < 0) return;
    this.#active = i;
    this.#selected = i;
    this.#repaint();
    this.#emit('cell-select', i);
  }

  /** @param {KeyboardEvent} e */
  #onKey(e) {
    const cfg = this.#cfg;
    if (!cfg) return;
    const n = this.slots;
    const cols = cfg.cols;
    let i = this.#active < 0 ? 0 : this.#active;
    switch (e.key) {
      case 'ArrowRight':
        i = Math.min(n - 1, i + 1);
        break;
      case 'ArrowLeft':
        i = Math.max(0, i - 1);
        break;
      case 'ArrowDown':
        i = Math.min(n - 1, i + cols);
        break;
      case 'ArrowUp':
        i = Math.max(0, i - cols);
        break;
      case 'Home':
        i = e.ctrlKey ? 0 : i - (i % cols);
        break;
      case 'End':
        i = e.ctrlKey ? n - 1 : Math.min(n - 1, i - (i % cols) + cols - 1);
        break;
      case 'PageDown':
        i = Math.min(n - 1, i + cols * 8);
        break;
      case 'PageUp':
        i = Math.max(0, i - cols * 8);
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.#selected = i;
        this.#repaint();
        this.#emit('cell-select', i);
        return;
      default:
        return;
    }
    e.preventDefault();
    if (i !== this.#active) {
      this.#active = i;
      this.#repaint();
      this.#emit('cell-focus', i);
    }
  }

  /**
   * Where cell `i` is on the screen (viewport coordinates).
   * @param {number} i
   * @returns {{left: number, top: number, right: number, bottom: number} | null}
   */
  cellRect(i) {
    const cfg = this.#cfg;
    if (!cfg || i < 0 || i >= this.slots) return null;
    const r = this.#canvas.getBoundingClientRect();
    const step = cfg.cellSize + GAP;
    const left = r.left + (i % cfg.cols) * step;
    const top = r.top + Math.floor(i / cfg.cols) * step;
    return { left, top, right: left + cfg.cellSize, bottom: top + cfg.cellSize };
  }

  /**
   * @param {string} type
   * @param {number} index
   */
  #emit(type, index) {
    this.dispatchEvent(new CustomEvent(type, { detail: { index }, bubbles: true, composed: true }));
  }
}

/** Registers `<vmsync-slot-grid>` (once). */
export function registerSlotGrid() {
  if (!customElements.get('vmsync-slot-grid')) customElements.define('vmsync-slot-grid', SlotGrid);
}
