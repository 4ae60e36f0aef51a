// @ts-check
/**
 * The cards of `<vmsync-playground>` that are components of their own, and what ties
 * them to the timeline and the other views:
 * - "Compare eras" (`<vmsync-compare-view>`): while it is open, the timeline's applied
 *   operations under every era (one engine call, in the component); an era's column
 *   "made live" is the configuration form's rebuild, replaying the operations;
 * - "In and out" (`<vmsync-io-panel>`): exports read the timeline and the selected slot;
 *   imports and the editor run scenario text through `Sources.loadText` (undoable).
 *
 * The first drawing needs neither: each is loaded when first used (a dynamic import; a
 * chunk of its own in the build), "Compare eras" when its card opens, "In and out" when
 * its card opens or something is dragged over the playground. Until the panel is there a
 * drag is held, so that the browser does not open the file in place of the page, and the
 * panel gets the event once it has loaded.
 * @module
 */

/** @typedef {import('./host.js').Host} Host */
/** @typedef {import('./config-view.js').ConfigView} ConfigView */
/** @typedef {import('./panels-view.js').PanelsView} PanelsView */
/** @typedef {import('./sources.js').Sources} Sources */
/** @typedef {import('../compare-view/compare-view.js').CompareView} CompareView */
/** @typedef {import('../io-panel/io-panel.js').IoPanel} IoPanel */

export class Cards {
  /** @type {Host} */
  #h;
  /** @type {ConfigView} */
  #config;
  /** @type {() => {grids: PanelsView, sources: Sources}} */
  #views;
  /** @type {CompareView | null} once loaded */
  #view = null;
  /** @type {IoPanel | null} once loaded and connected */
  #io = null;
  /** @type {Promise<void> | null} */
  #viewLoading = null;
  /** @type {Promise<void> | null} */
  #ioLoading = null;

  /**
   * @param {Host} host
   * @param {ConfigView} config the configuration form (the live strategy, and its rebuild)
   * @param {() => {grids: PanelsView, sources: Sources}} views the tables (the selected
   *   slot) and where scenarios come from, as they are now (a restart makes new ones)
   */
  constructor(host, config, views) {
    this.#h = host;
    this.#config = config;
    this.#views = views;
  }

  /** Wires the compare card's opening and its "make live", and the io panel's first use. */
  wire() {
    const h = this.#h;
    this.#view = null;
    this.#io = null;
    this.#viewLoading = null;
    this.#ioLoading = null;
    h.el('#compare').addEventListener('toggle', () => h.guard(() => this.#renderCompare()));
    // An era's column made live: the configuration form's rebuild, replaying the operations.
    h.el('#compare-view').addEventListener('make-live', (e) => h.guard(() => this.#config.submit(/** @type {CustomEvent} */ (e).detail.strategy)));
    const details = /** @type {HTMLDetailsElement} */ (h.el('#io'));
    details.addEventListener('toggle', () => {
      if (details.open) this.#loadIo().catch((e) => h.fatal(e));
    });
    const app = h.el('.app');
    /** @param {DragEvent} e */
    const early = (e) => {
      if (this.#io || app.hasAttribute('data-readonly')) return;
      e.preventDefault();
      this.#loadIo().then(() => app.dispatchEvent(new DragEvent(e.type, e)), (x) => h.fatal(x));
    };
    app.addEventListener('dragover', early);
    app.addEventListener('drop', early);
  }

  /** Loads and registers "Compare eras" (once). */
  #loadCompare() {
    this.#viewLoading ??= import('../compare-view/compare-view.js').then(({ registerCompareView }) => {
      registerCompareView();
      this.#view = /** @type {CompareView} */ (this.#h.el('#compare-view'));
    });
    return this.#viewLoading;
  }

  /** Loads, registers and connects "In and out" (once). */
  #loadIo() {
    this.#ioLoading ??= import('../io-panel/io-panel.js').then(({ registerIoPanel }) => {
      registerIoPanel();
      const h = this.#h;
      const panel = /** @type {IoPanel} */ (h.el('#io-panel'));
      panel.connect({
        timeline: () => h.maybeTimeline(),
        palette: () => h.palette(),
        selection: () => this.#views().grids.selected,
        load: (text) => this.#views().sources.loadText(text),
        root: h.el('.app'),
      });
      this.#io = panel;
      panel.update();
    });
    return this.#ioLoading;
  }

  /** The timeline changed: each card redraws (each is cheap while it is closed). */
  render() {
    this.#renderCompare();
    this.#io?.update();
  }

  /** The comparison of every era, recomputed while the card is open (one engine call). */
  #renderCompare() {
    const box = /** @type {HTMLDetailsElement} */ (this.#h.el('#compare'));
    const s = this.#h.maybeTimeline();
    if (!box.open || !s) return;
    const view = this.#view;
    if (!view) {
      this.#loadCompare().then(() => this.#h.guard(() => this.#renderCompare()), (e) => this.#h.fatal(e));
      return;
    }
    const config = this.#config.live();
    view.update({
      text: s.scenarioText(),
      config,
      ops: s.playground.history().slice(0, s.position),
      live: String(config.strategy),
      palette: this.#h.palette(),
      readOnly: this.#h.element.hasAttribute('read-only'),
    });
  }

  /** The theme changed: the compare view's tables take its colours (once it is loaded). */
  recolour() {
    this.#view?.recolour(this.#h.palette());
  }
}
