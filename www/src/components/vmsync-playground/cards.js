// @ts-check
/**
 * The cards of `<vmsync-playground>` that the first drawing does not need, each loaded
 * when first used (a dynamic import, `lazy.js`; a chunk of its own in the build), and
 * what ties them to the timeline and the other views:
 * - "Compare eras" (`<vmsync-compare-view>`), when its card opens: while it is open, the
 *   timeline's applied operations under every era (one engine call, in the component);
 *   an era's column "made live" is the configuration form's rebuild, replaying the
 *   operations;
 * - "In and out" (`<vmsync-io-panel>`), when its card opens or something is dragged over
 *   the playground: exports read the timeline and the selected slot; imports and the
 *   editor run scenario text through `Sources.loadText` (undoable). Until the panel is
 *   there a drag is held, so that the browser does not open the file in place of the
 *   page, and the panel gets the event once it has loaded;
 * - the Glossary (`glossary-view.js`), when its card opens, or the pointer or the focus
 *   reaches the forms, whose kernel words carry its meanings as tooltips;
 * - the table view (`table-view.js`), when its card opens;
 * - Share (`share-view.js`), when its button is pressed.
 * Each is fetched as soon as the pointer or the focus reaches what opens it, so that
 * opening it seldom waits; a load that fails is said in place (`Host.loadFailed`).
 * @module
 */
import { Lazy, stylesheet } from './lazy.js';

/** @typedef {import('./host.js').Host} Host */
/** @typedef {import('./config-view.js').ConfigView} ConfigView */
/** @typedef {import('./panels-view.js').PanelsView} PanelsView */
/** @typedef {import('./sources.js').Sources} Sources */
/** @typedef {import('../compare-view/compare-view.js').CompareView} CompareView */
/** @typedef {import('../io-panel/io-panel.js').IoPanel} IoPanel */
/** @typedef {import('./table-view.js').TableView} TableView */
/** @typedef {import('./share-view.js').ShareView} ShareView */

export class Cards {
  /** @type {Host} */
  #h;
  /** @type {ConfigView} */
  #config;
  /** @type {() => {grids: PanelsView, sources: Sources}} */
  #views;
  // Each part, made anew by wire() (a restart); the browser fetches a module once.
  /** @type {Lazy<CompareView>} */
  #compare;
  /** @type {Lazy<IoPanel>} loaded and connected */
  #io;
  /** @type {Lazy<void>} the list filled, and the forms' words titled */
  #glossary;
  /** @type {Lazy<TableView>} */
  #table;
  /** @type {Lazy<ShareView>} */
  #share;

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

  #compareLoader() {
    return new Lazy(() =>
      import('../compare-view/compare-view.js').then(({ registerCompareView }) => {
        registerCompareView();
        return /** @type {CompareView} */ (this.#h.el('#compare-view'));
      }),
    );
  }

  #ioLoader() {
    return new Lazy(() =>
      import('../io-panel/io-panel.js').then(({ registerIoPanel }) => {
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
        panel.update();
        return panel;
      }),
    );
  }

  #glossaryLoader() {
    return new Lazy(() =>
      Promise.all([import('./glossary-view.js'), this.#css(new URL('./glossary-view.css', import.meta.url))]).then(([{ renderGlossary, titleTerms }]) => {
        renderGlossary(this.#h);
        titleTerms(this.#h);
      }),
    );
  }

  #tableLoader() {
    return new Lazy(() => Promise.all([import('./table-view.js'), this.#css(new URL('./table-view.css', import.meta.url))]).then(([{ TableView }]) => new TableView(this.#h)));
  }

  #shareLoader() {
    return new Lazy(() =>
      Promise.all([import('./share-view.js'), this.#css(new URL('./share-view.css', import.meta.url))]).then(([{ ShareView }]) => {
        const v = new ShareView(this.#h);
        v.wire();
        return v;
      }),
    );
  }

  /**
   * Adds a part's stylesheet (lazy.js, `stylesheet`).
   * @param {URL} url
   */
  #css(url) {
    return stylesheet(this.#h.root, url);
  }

  /**
   * Runs `fn` on a part once it is loaded, or says in place that it could not be.
   * @template T
   * @param {Lazy<T>} part
   * @param {string} what
   * @param {(v: T) => void} fn
   */
  #use(part, what, fn) {
    part.load().then(
      (v) => this.#h.guard(() => fn(v)),
      (e) => this.#h.loadFailed(what, e),
    );
  }

  /**
   * Wires what opens each card (and loads it first), and the compare card's "make live".
   * A restart makes new cards (this element's parts are loaded once per page).
   */
  wire() {
    const h = this.#h;
    this.#compare = this.#compareLoader();
    this.#io = this.#ioLoader();
    this.#glossary = this.#glossaryLoader();
    this.#table = this.#tableLoader();
    this.#share = this.#shareLoader();
    for (const [id, part] of /** @type {[string, Lazy<unknown>][]} */ ([['#compare', this.#compare], ['#io', this.#io], ['#glossary', this.#glossary], ['#table-view', this.#table]])) {
      part.warm(h.el(`${id} > summary`));
    }
    this.#glossary.warm(h.el('#controls'));
    this.#share.warm(h.el('#share-btn'));
    this.#opens('#compare', this.#compare, 'Compare eras', () => this.#renderCompare());
    this.#opens('#io', this.#io, '"In and out"', () => {});
    this.#opens('#glossary', this.#glossary, 'The glossary', () => {});
    this.#opens('#table-view', this.#table, 'The table view', (v) => v.render());
    // An era's column made live: the configuration form's rebuild, replaying the operations.
    h.el('#compare-view').addEventListener('make-live', (e) => h.guard(() => this.#config.submit(/** @type {CustomEvent} */ (e).detail.strategy)));
    h.el('#tv-all').addEventListener('change', () => h.guard(() => this.#table.value?.render()));
    h.el('#share-btn').addEventListener('click', () => this.#use(this.#share, 'Share', (v) => v.toggle()));
    const app = h.el('.app');
    /** @param {DragEvent} e */
    const early = (e) => {
      if (this.#io.value || app.hasAttribute('data-readonly')) return;
      e.preventDefault();
      this.#use(this.#io, '"In and out"', () => app.dispatchEvent(new DragEvent(e.type, e)));
    };
    app.addEventListener('dragover', early);
    app.addEventListener('drop', early);
  }

  /**
   * A card (`<details>`) whose part is loaded on first use: it opens once the part is
   * there and drawn, in the same task, so that it never shows empty. A click (or Enter,
   * or Space) on its summary waits for the load; an opening by other means draws the
   * card when the part arrives.
   * @template T
   * @param {string} id
   * @param {Lazy<T>} part
   * @param {string} what the part, as the page names it
   * @param {(v: T) => void} draw draws the open card
   */
  #opens(id, part, what, draw) {
    const h = this.#h;
    const box = /** @type {HTMLDetailsElement} */ (h.el(id));
    /** Drawn as it opened: its toggle event has nothing left to do. */
    let drawn = false;
    h.el(`${id} > summary`).addEventListener('click', (e) => {
      if (box.open || part.loaded) return;
      e.preventDefault();
      part.load().then(
        (v) => {
          if (box.open) return;
          box.open = true;
          drawn = true;
          h.guard(() => draw(v));
        },
        (x) => h.loadFailed(what, x),
      );
    });
    box.addEventListener('toggle', () => {
      if (box.open && !drawn) this.#use(part, what, draw);
      drawn = false;
    });
  }

  /** The timeline changed: each card redraws (each is cheap while it is closed). */
  render() {
    this.#renderCompare();
    this.#io.value?.update();
    this.#table.value?.render();
    if (!this.#h.el('#share').hidden) this.#share.value?.fill();
  }

  /** The comparison of every era, recomputed while the card is open (one engine call). */
  #renderCompare() {
    const box = /** @type {HTMLDetailsElement} */ (this.#h.el('#compare'));
    const s = this.#h.maybeTimeline();
    if (!box.open || !s) return;
    const view = this.#compare.value;
    if (!view) return;
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
    this.#compare.value?.recolour(this.#h.palette());
  }
}
