// @ts-check
/**
 * The cards the first drawing does not need, loaded when first used (a dynamic import; a
 * chunk of its own in the build): "Compare eras" when its card opens, "In and out" when
 * its card opens or something is dragged over the playground. Until the panel is there a
 * drag is held, so that the browser does not open the file in place of the page, and the
 * panel gets the event once it has loaded.
 *
 * Usage (the element):
 *   cards = new LazyCards(host, { session, palette, selection, load });
 *   cards.wire();                           // after each new markup
 *   cards.compare?.update(...); cards.io?.update();   // null until loaded
 *   await cards.loadCompare();
 * @module
 */
/** @typedef {import('./host.js').Host} Host */
/** @typedef {import('../compare-view/compare-view.js').CompareView} CompareView */
/** @typedef {import('../io-panel/io-panel.js').IoPanel} IoPanel */
/** @typedef {import('../io-panel/io-panel.js').IoOptions} IoOptions */

export class LazyCards {
  /** @type {CompareView | null} "Compare eras", once loaded */
  compare = null;
  /** @type {IoPanel | null} "In and out", once loaded and connected */
  io = null;
  /** @type {Promise<void> | null} */
  #compareLoading = null;
  /** @type {Promise<void> | null} */
  #ioLoading = null;
  #h;
  #io;

  /**
   * @param {Host} host
   * @param {Omit<IoOptions, 'root'>} io what "In and out" reads, and how it opens scenarios
   */
  constructor(host, io) {
    this.#h = host;
    this.#io = io;
  }

  /** Wires the first use of each card, in the element's new markup (forgetting the old). */
  wire() {
    this.compare = null;
    this.io = null;
    this.#compareLoading = null;
    this.#ioLoading = null;
    const details = /** @type {HTMLDetailsElement} */ (this.#h.el('#io'));
    details.addEventListener('toggle', () => {
      if (details.open) this.loadIo().catch((e) => this.#h.fatal(e));
    });
    const app = this.#h.el('.app');
    /** @param {DragEvent} e */
    const early = (e) => {
      if (this.io || app.hasAttribute('data-readonly')) return;
      e.preventDefault();
      this.loadIo().then(() => app.dispatchEvent(new DragEvent(e.type, e)), (x) => this.#h.fatal(x));
    };
    app.addEventListener('dragover', early);
    app.addEventListener('drop', early);
  }

  /** Loads and registers "Compare eras" (once). */
  loadCompare() {
    this.#compareLoading ??= import('../compare-view/compare-view.js').then(({ registerCompareView }) => {
      registerCompareView();
      const cmp = /** @type {CompareView} */ (this.#h.el('#compare-view'));
      this.compare = cmp;
    });
    return this.#compareLoading;
  }

  /** Loads, registers and connects "In and out" (once). */
  loadIo() {
    this.#ioLoading ??= import('../io-panel/io-panel.js').then(({ registerIoPanel }) => {
      registerIoPanel();
      const panel = /** @type {IoPanel} */ (this.#h.el('#io-panel'));
      panel.connect({ ...this.#io, root: this.#h.el('.app') });
      this.io = panel;
      panel.update();
    });
    return this.#ioLoading;
  }
}
