// @ts-check
/**
 * The cards of `<vmsync-playground>` that are components of their own, and what ties
 * them to the timeline and the other views:
 * - "Compare eras" (`<vmsync-compare-view>`): while it is open, the timeline's applied
 *   operations under every era (one engine call, in the component); an era's column
 *   "made live" is the configuration form's rebuild, replaying the operations;
 * - "In and out" (`<vmsync-io-panel>`): exports read the timeline and the selected slot;
 *   imports and the editor run scenario text through `Sources.loadText` (undoable).
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

  /** @returns {CompareView} */
  get #view() {
    return /** @type {CompareView} */ (this.#h.el('#compare-view'));
  }

  /** @returns {IoPanel} */
  get #io() {
    return /** @type {IoPanel} */ (this.#h.el('#io-panel'));
  }

  /** Wires the compare card's opening and its "make live", and connects the io panel. */
  wire() {
    const h = this.#h;
    const cmp = this.#view;
    h.el('#compare').addEventListener('toggle', () => h.guard(() => this.#renderCompare()));
    // An era's column made live: the configuration form's rebuild, replaying the operations.
    cmp.addEventListener('make-live', (e) => h.guard(() => this.#config.submit(/** @type {CustomEvent} */ (e).detail.strategy)));
    this.#io.connect({
      timeline: () => h.maybeTimeline(),
      palette: () => h.palette(),
      selection: () => this.#views().grids.selected,
      load: (text) => this.#views().sources.loadText(text),
      root: h.el('.app'),
    });
  }

  /** The timeline changed: each card redraws (each is cheap while it is closed). */
  render() {
    this.#renderCompare();
    this.#io.update();
  }

  /** The comparison of every era, recomputed while the card is open (one engine call). */
  #renderCompare() {
    const box = /** @type {HTMLDetailsElement} */ (this.#h.el('#compare'));
    const s = this.#h.maybeTimeline();
    if (!box.open || !s) return;
    const config = this.#config.live();
    this.#view.update({
      text: s.scenarioText(),
      config,
      ops: s.playground.history().slice(0, s.position),
      live: String(config.strategy),
      palette: this.#h.palette(),
      readOnly: this.#h.element.hasAttribute('read-only'),
    });
  }

  /** The theme changed: the compare view's tables take its colours. */
  recolour() {
    this.#view.recolour(this.#h.palette());
  }
}
