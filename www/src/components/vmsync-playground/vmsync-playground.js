// @ts-check
/**
 * `<vmsync-playground>`: the whole playground in a shadow root — configuration, the
 * operations, the reference and every process drawn side by side, the walk of an access,
 * metrics, the event log, the timeline, tours and sharing. Nothing leaks into the host
 * page: styles live in the shadow root, no globals are set.
 *
 * Usage:
 *   import { registerAll } from './main.js'; registerAll();
 *   <vmsync-playground url-state></vmsync-playground>          (the full page)
 *   <vmsync-playground scenario="config mode=pae&#10;fork A" theme="dark" height="520px" read-only>
 *
 * Attributes:
 * - `scenario`: scenario text, or the URL of a scenario file (ending in `.vms`);
 * - `mode`: the paging mode to start with when there is no scenario;
 * - `height`: the element's height (CSS length, or a number of pixels); it scrolls inside;
 * - `theme`: `light`, `dark` or `auto` (follow the system, the default);
 * - `read-only`: no configuration or operation controls (the timeline and tours stay);
 * - `url-state`: read the state from the page's URL hash and keep it there (this element
 *   is then the page: it alone has landmarks and an `h1`);
 * - `tour` (a tour's name, e.g. `lazy-fault`) and `step` (counted from 1): open a tour;
 * - `controls`: `full` (the default), `minimal` (the grids, the tour card and the
 *   timeline) or `none` (the grids and the tour card), with a link out to the full
 *   playground at the same state; the compact ones are read-only.
 *
 * Events (bubbling, composed): `vmsync-step` (`{tour, step, position}`) when the step
 * shown changes; `vmsync-error` (`{name, message}`) when an error is shown in place.
 * A link, attribute or scenario file that cannot be used is said in place; the crash
 * screen's button starts this element again and touches nothing else.
 *
 * Test hooks are data attributes only: `.app[data-state-hash]`, `[data-position]`,
 * `.panel[data-process][data-divergent-count]`, `[data-testid]`.
 */
import { Timeline } from '../../timeline.js';
import { isEngineError } from '../../engine-errors.js';
import { PALETTES } from '../../lib/colours.js';
import { modeInfo } from '../../lib/vocab.js';
import { catalog } from '../../engine.js';
import { stylesheetLoaded, trustedTemplate } from './template.js';
import { TourPlayer } from './tour-player.js';
import { DEFAULT_CONFIG, Sources } from './sources.js';
import { Stamps } from './stamps.js';
import { announce, applyControls, applyHeight, applyPresent, applyReadOnly, showCrash } from './appearance.js';
import { OpsView } from './ops-view.js';
import { ConfigView } from './config-view.js';
import { PanelsView } from './panels-view.js';
import { Welcome } from './welcome.js';
import { TimelineView } from './timeline-view.js';
import { LogView } from './log-view.js';
import { LayoutView } from './layout-view.js';
import { MetricsView } from './metrics-view.js';
import { Cards } from './cards.js';

/** @typedef {import('./host.js').Host} Host */

export class VmsyncPlayground extends HTMLElement {
  static observedAttributes = ['theme', 'height', 'read-only', 'scenario', 'mode', 'tour', 'step', 'controls', 'present'];

  /** @type {ShadowRoot} */ #root;
  /** @type {Host} */ #host;
  // The views (#render draws them in order); each reaches this element through #host.
  /** @type {TourPlayer} */ #tours;
  /** @type {Sources} */ #sources;
  /** @type {Stamps} */ #stamps;
  /** @type {OpsView} */ #ops;
  /** @type {ConfigView} */ #config;
  /** @type {PanelsView} */ #grids;
  /** @type {Welcome} */ #welcome;
  /** @type {TimelineView} */ #timelineView;
  /** @type {LogView} */ #log;
  /** @type {LayoutView} */ #layout;
  /** @type {MetricsView} */ #metrics;
  /** @type {Cards} */ #cards;
  /** @type {Timeline | null} */ #timeline = null;
  #started = false;
  /** @type {'light' | 'dark' | null} the user's choice; null follows the system */
  #themeChoice = null;
  /** @type {MediaQueryList | null} */ #mql = null;
  #generation = -1;
  /** @type {ResizeObserver | null} */ #ro = null;
  #fatal = false;
  #onHash = () => this.#guard(() => this.#sources.fromHash().catch((e) => this.#showFatal(e)));
  /** @param {KeyboardEvent} e */
  #onKey = (e) => this.#tours.documentKey(e);
  #onScheme = () => this.#applyTheme();

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#host = this.#makeHost();
    this.#tours = new TourPlayer(this.#host);
    this.#sources = new Sources(this.#host, this.#tours);
    this.#stamps = new Stamps(this.#host);
    this.#ops = new OpsView(this.#host);
    this.#config = new ConfigView(this.#host);
    this.#grids = new PanelsView(this.#host);
    this.#metrics = new MetricsView(this.#host);
    this.#layout = new LayoutView(this.#host);
    this.#log = new LogView(this.#host);
    this.#timelineView = new TimelineView(this.#host);
    this.#welcome = new Welcome(this.#host);
    this.#cards = new Cards(this.#host, this.#config, () => ({ grids: this.#grids, sources: this.#sources }));
  }

  /**
   * What the views may ask of this element (see host.js).
   * @returns {Host}
   */
  #makeHost() {
    return {
      el: (sel) => this.#el(sel),
      root: this.#root,
      element: this,
      timeline: () => this.#s,
      maybeTimeline: () => this.#timeline,
      palette: () => this.#palette,
      theme: () => this.#theme,
      wide: () => this.#wide,
      // Hex digits of a page-table entry: two per byte of the layout's `entry_bytes`.
      entryDigits: () => 2 * Number(this.#s.layout.entry_bytes),
      guard: (fn) => this.#guard(fn),
      fatal: (e) => this.#showFatal(e),
      announce: (text) => announce(this.#root, text),
      runScenario: (text, undoable, at) => this.#sources.runScenario(text, undoable, at),
      isFatal: () => this.#fatal,
      startDefault: () => this.#startDefault(),
      linkProblems: (problems, retry) => this.#sources.problems(problems, retry),
      loadFailed: (what, e) => this.#sources.loadFailed(what, e),
      writeUrl: () => this.#sources.writeUrl(),
      setTimeline: (s) => this.#setTimeline(s),
      startWith: (config) => {
        if (this.#timeline) this.#timeline.rebuild(config, false);
        else this.#setTimeline(Timeline.fromConfig(config));
      },
      themeChoice: () => this.#themeChoice,
      point: (at) => this.#grids.point(at),
      togglePresent: () => {
        this.toggleAttribute('present');
        this.#sources.writeUrl();
      },
      setTheme: (choice) => {
        this.#themeChoice = choice;
        this.#applyTheme();
      },
      leaveTour: () => this.#tours.leaveSilently(),
      tour: () => this.#tours.current,
      slotVa: (i) => this.#grids.slotVa(i),
      urlState: () => this.#sources.urlState(),
    };
  }

  // ---- lifecycle ----

  connectedCallback() {
    if (this.#started) return;
    this.#started = true;
    const css = new URL('./vmsync-playground.css', import.meta.url).href;
    this.#root.innerHTML = /** @type {string} */ (trustedTemplate(css, this.hasAttribute('url-state')));
    applyHeight(this);
    applyControls(this, this.#root);
    applyPresent(this, this.#root);
    this.#mql = globalThis.matchMedia ? globalThis.matchMedia('(prefers-color-scheme: dark)') : null;
    this.#mql?.addEventListener('change', this.#onScheme);
    this.#wire();
    // A link or an attribute that opens a tour: its card loads beside the engine.
    if (this.getAttribute('tour')?.trim() || (this.hasAttribute('url-state') && /[#&]tour=/.test(location.hash))) this.#tours.preload();
    this.#start().catch((e) => this.#showFatal(e));
  }

  disconnectedCallback() {
    this.#mql?.removeEventListener('change', this.#onScheme);
    globalThis.removeEventListener('hashchange', this.#onHash);
    document.removeEventListener('keydown', this.#onKey);
    this.#ro?.disconnect();
  }

  /**
   * Starts the element again from its attributes (and the URL, for the page): what the
   * crash screen's button does. Only this element is touched, never the host page.
   */
  #restart() {
    this.disconnectedCallback();
    this.#timeline?.free();
    this.#timeline = null;
    this.#tours = new TourPlayer(this.#host);
    this.#sources = new Sources(this.#host, this.#tours);
    this.#fatal = false;
    this.#generation = -1;
    this.#grids = new PanelsView(this.#host);
    this.#started = false;
    this.connectedCallback();
  }

  /**
   * @param {string} name
   * @param {string | null} _old
   * @param {string | null} _value
   */
  attributeChangedCallback(name, _old, _value) {
    if (!this.#started) return;
    if (name === 'theme') this.#applyTheme();
    else if (name === 'height') applyHeight(this);
    else if (name === 'read-only') applyReadOnly(this, this.#root);
    else if (name === 'controls') applyControls(this, this.#root);
    else if (name === 'present') applyPresent(this, this.#root);
    else if (['scenario', 'mode', 'tour', 'step'].includes(name) && this.#timeline) {
      this.#guard(() => this.#sources.fromAttributes(false).catch((e) => this.#showFatal(e)));
    }
  }

  async #start() {
    await Promise.all([Timeline.load(), stylesheetLoaded(this.#root)]);
    const app = this.#el('.app');
    this.#themeChoice = null;
    applyReadOnly(this, this.#root);
    if (this.hasAttribute('url-state')) {
      this.#themeChoice = this.#sources.linkFlags();
      globalThis.addEventListener('hashchange', this.#onHash);
      document.addEventListener('keydown', this.#onKey);
    }
    this.#applyTheme();
    app.hidden = false;
    this.#el('#loading').remove();
    this.#tours.loadMenu();
    if (this.hasAttribute('url-state') && location.hash.length > 1) {
      await this.#sources.fromHash();
    } else {
      await this.#sources.fromAttributes(true);
      // The page opened without a link: the first screen, with its two starts.
      if (this.hasAttribute('url-state') && !this.hasAttribute('read-only')) this.#welcome.show();
    }
    if (!this.#timeline) this.#startDefault();
    this.#ro = new ResizeObserver(() => this.#guard(() => this.#grids.layout(false)));
    this.#ro.observe(this.#el('.stage'));
    this.#ro.observe(this.#el('#panels'));
  }

  /** Starts over on the default machine. */
  #startDefault() {
    this.#setTimeline(Timeline.fromConfig(DEFAULT_CONFIG));
  }

  /** @param {Timeline} s */
  #setTimeline(s) {
    this.#timeline?.free();
    this.#timeline = s;
    s.addEventListener('change', () => {
      // Drawing asks the engine only about what it has: any error here is a bug.
      const e = this.#guard(() => this.#render());
      if (e instanceof Error) this.#showFatal(e);
    });
    this.#render();
  }

  // ---- helpers ----

  /**
   * @template {Element} [T=HTMLElement]
   * @param {string} sel
   * @returns {T}
   */
  #el(sel) {
    const e = this.#root.querySelector(sel);
    if (!e) throw new Error(`vmsync-playground: no ${sel}`);
    return /** @type {T} */ (/** @type {unknown} */ (e));
  }

  /** @returns {Timeline} */
  get #s() {
    if (!this.#timeline) throw new Error('no timeline');
    return this.#timeline;
  }

  /** Whether addresses are 64-bit: the catalog's word on the machine's mode. */
  get #wide() {
    const m = this.#timeline?.layout?.mode;
    return m !== undefined && modeInfo(catalog(), m)?.bits === 64;
  }

  get #theme() {
    const attr = this.getAttribute('theme');
    if (this.#themeChoice) return this.#themeChoice;
    if (attr === 'light' || attr === 'dark') return attr;
    return this.#mql?.matches ? 'dark' : 'light';
  }

  get #palette() {
    return PALETTES[this.#theme];
  }

  /**
   * Runs `fn`; an engine error is returned, anything else is a crash and stops the page.
   * @template T
   * @param {() => T} fn
   * @returns {T | Error | undefined}
   */
  #guard(fn) {
    if (this.#fatal) return undefined;
    try {
      return fn();
    } catch (e) {
      if (isEngineError(e)) return e;
      this.#showFatal(e);
      return undefined;
    }
  }

  /** @param {unknown} e */
  #showFatal(e) {
    this.#fatal = true;
    if (!showCrash(this.#root, e)) return;
    this.#sources.emitError(e instanceof Error ? e.name : 'Error', e instanceof Error ? e.message : String(e));
  }

  #applyTheme() {
    const theme = this.#theme;
    const app = this.#el('.app');
    app.setAttribute('data-theme', theme);
    const btn = this.#el('#theme-btn');
    btn.textContent = theme === 'dark' ? 'Light theme' : 'Dark theme';
    btn.setAttribute('aria-pressed', String(theme === 'dark'));
    this.#recolour();
  }

  /**
   * Redraws what the theme colours (the ruler and legends, the grids, the chart), keeping
   * the panels and the selected slot. Nothing to do before the machine is first drawn.
   */
  #recolour() {
    if (!this.#timeline || this.#fatal || this.#generation !== this.#timeline.generation) return;
    this.#layout.render();
    this.#grids.layout(true);
    this.#cards.recolour();
    this.#metrics.render(this.#grids.procBytes);
  }

  // ---- wiring ----

  #wire() {
    this.#el('#reload-btn').addEventListener('click', () => this.#restart());
    this.#sources.wire();
    this.#el('#present-btn').addEventListener('click', () => this.#host.togglePresent());
    this.#el('#theme-btn').addEventListener('click', () => {
      this.#themeChoice = this.#theme === 'dark' ? 'light' : 'dark';
      this.#applyTheme();
      this.#sources.writeUrl();
    });
    this.#config.wire();
    this.#ops.wire();
    this.#timelineView.wire();
    this.#grids.wire();
    this.#cards.wire();
    this.#tours.wire();
    this.#welcome.wire((name) => this.#tours.open(name, 1).catch((e) => this.#showFatal(e)));
  }

  // ---- rendering ----

  #render() {
    const s = this.#timeline;
    if (!s || this.#fatal) return;
    const t0 = performance.now();
    // The names once per render: every view below reads this list. The numbers (counts,
    // bytes) are read from the processStats() view when the panels are drawn.
    const names = s.playground.processNames();
    this.#grids.names = names;
    if (this.#generation !== s.generation) {
      this.#generation = s.generation;
      this.#config.sync();
      this.#layout.render();
      this.#grids.newMachine();
    } else {
      this.#grids.draw();
    }
    this.#grids.renderInfo();
    this.#timelineView.render();
    this.#metrics.render(this.#grids.procBytes);
    this.#log.render(names, this.#grids.pids);
    this.#ops.render(names);
    this.#cards.render();
    this.#tours.render();
    if (this.#tours.current) this.#welcome.close();
    else this.#welcome.update();
    this.#stamps.after(s, names, t0);
    this.#sources.writeUrl();
    this.#stamps.stepShown(s);
  }
}

/** Registers `<vmsync-playground>` (once). */
export function registerVmsyncPlayground() {
  if (!customElements.get('vmsync-playground')) customElements.define('vmsync-playground', VmsyncPlayground);
}
