// @ts-check
/**
 * Where the state of `<vmsync-playground>` comes from and goes to: the URL hash (for the
 * element that is the page, `url-state`), the element's attributes (`tour`, `step`,
 * `scenario`, `mode`), and scenario text brought in by the "In and out" panel. What a
 * link or an attribute cannot give is said in place (and told to the host page as a
 * `vmsync-error` event); the URL always holds the state shown.
 * @module
 */
import { Timeline } from '../../timeline.js';
import { isEngineError } from '../../engine-errors.js';
import { scenarioTextOf } from '../../engine.js';
import { plural } from '../../lib/format.js';
import { decodeState, encodeState } from '../../lib/url-state.js';
import { TOUR_NAMES } from '../../tours.js';
import { loadFailure } from './lazy.js';

/** @typedef {import('./host.js').Host} Host */
/** @typedef {import('./tour-player.js').TourPlayer} TourPlayer */

/** The default machine: the reference build of docs/kernel-facts.md §4, in the era of the
 * 2020 mail (5.3 – 5.7: vmalloc faults, and the purge syncs unmappings). */
export const DEFAULT_CONFIG = { mode: 'pae', strategy: 'era:5.3' };

/** Above this many operations, the URL is written in a task of its own (see writeUrl). */
const URL_INLINE_OPS = 1024;

export class Sources {
  /** @type {Host} */
  #h;
  /** @type {TourPlayer} */
  #tours;
  /** Loads begun (a load that is no longer the last is dropped). */
  #loads = 0;
  /** URL writes asked for (a deferred one that is no longer the last is dropped). */
  #urlWrites = 0;

  /**
   * @param {Host} host
   * @param {TourPlayer} tours
   */
  constructor(host, tours) {
    this.#h = host;
    this.#tours = tours;
  }

  /** Wires the box that says what a link could not give: close, and try again. */
  wire() {
    this.#h.el('#link-err-close').addEventListener('click', () => this.problems([]));
    this.#h.el('#link-err-retry').addEventListener('click', () => {
      this.problems([]);
      this.fromAttributes(false).catch((e) => this.#h.fatal(e));
    });
  }

  /**
   * The page's own flags in its link, read once at the start (url-state only): read-only,
   * the controls and presenter mode are set on the element; the theme chosen is returned.
   * @returns {'light' | 'dark' | null}
   */
  linkFlags() {
    const st = decodeState(location.hash).state;
    const el = this.#h.element;
    if (st.readOnly) el.toggleAttribute('read-only', true);
    if (st.controls) el.setAttribute('controls', st.controls);
    if (st.present) el.toggleAttribute('present', true);
    return st.theme ?? null;
  }

  async fromHash() {
    // The link is what is shown now: a write still waiting must not overwrite it.
    this.#urlWrites++;
    const { state: st, problems } = decodeState(location.hash, TOUR_NAMES);
    if (!problems.length && encodeState(this.urlState()) === location.hash) return;
    this.problems([]);
    if (this.#h.element.hasAttribute('url-state')) this.#h.element.toggleAttribute('present', !!st.present);
    if (st.theme && st.theme !== this.#h.themeChoice()) {
      this.#h.setTheme(st.theme);
    }
    if (st.tour) {
      await this.#tours.open(st.tour, st.step ?? 1, problems);
      return;
    }
    if (st.scenario !== undefined) {
      // The tour goes first, so that the drawing of the new state writes the new state.
      this.#tours.leaveSilently();
      try {
        if (!(await this.loadSliced(scenarioTextOf(st.scenario), st.at))) return;
        const len = this.#h.timeline().length;
        if (st.at !== undefined && st.at > len) {
          problems.push(`at=${st.at} is past the end of this timeline (${plural(len, 'step')}): it shows the end.`);
        }
      } catch (e) {
        if (!isEngineError(e)) throw e;
        if (!this.#h.maybeTimeline()) this.#h.startDefault();
        problems.push(`The link's scenario could not be run. ${e.name}: ${e.message}`);
      }
    }
    if (!this.#h.maybeTimeline()) this.#h.startDefault();
    this.problems(problems);
    this.writeUrl();
  }

  /**
   * Starts from the `scenario` / `mode` attributes.
   * @param {boolean} first
   */
  async fromAttributes(first) {
    const tour = this.#h.element.getAttribute('tour');
    if (tour && tour.trim()) {
      const { state, problems } = decodeState(`tour=${encodeURIComponent(tour.trim())}&step=${encodeURIComponent(this.#h.element.getAttribute('step') ?? '1')}`, TOUR_NAMES);
      if (state.tour) await this.#tours.open(state.tour, state.step ?? 1, problems);
      else {
        if (!this.#h.maybeTimeline()) this.#h.startDefault();
        this.problems(problems.map((p) => p.replace(/^tour=/, 'The tour attribute ').replace(/^step=/, 'The step attribute ')));
      }
      return;
    }
    const sc = this.#h.element.getAttribute('scenario');
    if (sc && sc.trim()) {
      let text = sc;
      if (/^\S+\.vms$/.test(sc.trim()) || /^https?:/.test(sc.trim())) {
        // A scenario file that cannot be fetched is an error in place, with a retry:
        // the host's typo or a network failure is not a bug in vmsync.
        let why = '';
        try {
          const res = await fetch(new URL(sc.trim(), document.baseURI));
          if (res.ok) text = await res.text();
          else why = `HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}`;
        } catch (e) {
          why = e instanceof Error ? e.message : String(e);
        }
        if (why) {
          if (!this.#h.maybeTimeline()) this.#h.startDefault();
          this.problems([`The scenario file ${sc.trim()} could not be loaded (${why}); the default machine is shown.`], true);
          return;
        }
      }
      try {
        if (!(await this.loadSliced(scenarioTextOf(text)))) return;
        this.problems([]);
      } catch (e) {
        if (!isEngineError(e)) throw e;
        if (!this.#h.maybeTimeline()) this.#h.startDefault();
        this.problems([`The scenario could not be run. ${e.name}: ${e.message}`]);
      }
      return;
    }
    const mode = this.#h.element.getAttribute('mode');
    if (mode || first) {
      try {
        const cfg = mode ? { mode } : DEFAULT_CONFIG;
        this.#h.startWith(cfg);
      } catch (e) {
        if (!isEngineError(e)) throw e;
        this.#h.startDefault();
        this.problems([`The mode "${mode}" could not be used. ${e.name}: ${e.message}`]);
      }
    }
  }

  /**
   * Shows what a link (or the element's attributes) could not give, or hides the note
   * when there is nothing, in place above the tables, and tells the host page.
   * @param {string[]} problems
   * @param {boolean} [retry] offer to try again (a fetch that failed)
   * @param {string} [heading] what the box says above them
   * @param {string} [name] the error's name in the `vmsync-error` event
   */
  problems(problems, retry = false, heading = 'Part of this link could not be used', name = 'LinkError') {
    const box = this.#h.el('#link-err');
    box.hidden = problems.length === 0;
    this.#h.el('#link-err-h').textContent = heading;
    /** @type {HTMLButtonElement} */ (this.#h.el('#link-err-retry')).hidden = !retry;
    const list = this.#h.el('#link-err-list');
    list.replaceChildren(
      ...problems.map((p) => {
        const li = document.createElement('li');
        li.textContent = p;
        return li;
      }),
    );
    if (problems.length) this.emitError(name, problems.join(' '));
  }

  /**
   * Says in place that a part of the playground loaded on first use could not be loaded
   * (`lazy.js`), and tells the host page (`LoadError`): not a bug, so not the crash screen.
   * @param {string} what the part, as the page names it
   * @param {unknown} e
   */
  loadFailed(what, e) {
    this.problems([loadFailure(what, e)], false, 'Part of vmsync could not be loaded', 'LoadError');
  }

  /**
   * Tells the host page about an error shown in place (`vmsync-error`).
   * @param {string} name
   * @param {string} message
   */
  emitError(name, message) {
    this.#h.element.dispatchEvent(new CustomEvent('vmsync-error', { detail: { name, message }, bubbles: true, composed: true }));
  }

  /** @returns {import('../../lib/url-state.js').UrlState} */
  urlState() {
    /** @type {import('../../lib/url-state.js').UrlState} */
    const st = {};
    const tour = this.#tours.current;
    const timeline = this.#h.maybeTimeline();
    if (tour) {
      st.tour = tour.name;
      st.step = tour.index + 1;
    } else if (timeline) {
      st.scenario = timeline.timelineText();
      if (timeline.position < timeline.length) st.at = timeline.position;
    }
    const choice = this.#h.themeChoice();
    if (choice) st.theme = choice;
    if (this.#h.element.hasAttribute('read-only') && this.#h.element.hasAttribute('url-state')) st.readOnly = true;
    const controls = this.#h.element.getAttribute('controls');
    if (this.#h.element.hasAttribute('url-state') && (controls === 'minimal' || controls === 'none')) st.controls = controls;
    if (this.#h.element.hasAttribute('url-state') && this.#h.element.hasAttribute('present')) st.present = true;
    return st;
  }

  /**
   * Writes the state shown into the URL (url-state only). A long timeline is printed and
   * encoded in a task of its own, after the drawing (at the limits that costs tens of
   * milliseconds); a later write, or a new link, drops a write still waiting.
   */
  writeUrl() {
    if (!this.#h.element.hasAttribute('url-state')) return;
    const token = ++this.#urlWrites;
    if ((this.#h.maybeTimeline()?.length ?? 0) <= URL_INLINE_OPS) {
      this.#writeUrlNow();
      return;
    }
    setTimeout(() => {
      if (token === this.#urlWrites && !this.#h.isFatal()) this.#writeUrlNow();
    });
  }

  #writeUrlNow() {
    const h = encodeState(this.urlState());
    if (h !== location.hash && !(h === '' && location.hash === '')) {
      history.replaceState(null, '', h || location.pathname + location.search);
    }
  }

  /**
   * Runs scenario text from the "In and out" panel (an import, the editor) in slices, as
   * one undoable action that leaves any tour. Resolves to the engine's error (nothing
   * changed, the tour still shown), or null.
   * @param {string} text
   * @returns {Promise<Error | null>}
   */
  async loadText(text) {
    // The tour goes first, so that the drawing of the new state writes the new state.
    const tour = this.#tours.current;
    this.#tours.leaveSilently();
    try {
      await this.loadSliced(text);
      this.writeUrl();
      return null;
    } catch (e) {
      if (!isEngineError(e)) {
        this.#h.fatal(e);
        return null;
      }
      if (tour && !this.#tours.current) this.#tours.restore(tour);
      return e;
    }
  }

  /**
   * Runs a scenario in the current timeline (undoable unless told otherwise), or in a
   * first one. Throws the engine's error, changing nothing, when it cannot be run.
   * @param {string} text
   * @param {boolean} [undoable]
   * @param {number} [at] the timeline position to show (default: the end)
   */
  runScenario(text, undoable = true, at = undefined) {
    const s = this.#h.maybeTimeline();
    if (s) s.loadScenario(text, undoable, at);
    else this.#h.setTimeline(Timeline.fromScenario(text, at));
  }
  /**
   * Runs a scenario in slices (a long one never holds the page) and makes it the
   * machine, undoably. Returns false when a later load started meanwhile (this one is
   * dropped); throws the engine's error, changing nothing.
   * @param {string} text
   * @param {number} [at] the timeline position to show (default: the end)
   * @returns {Promise<boolean>}
   */
  async loadSliced(text, at = undefined) {
    const token = ++this.#loads;
    this.#h.el('.app').setAttribute('aria-busy', 'true');
    try {
      const pg = await Timeline.runScenario(text, at);
      if (token !== this.#loads || this.#h.isFatal()) {
        pg.free();
        return false;
      }
      const s = this.#h.maybeTimeline();
      if (s) s.loadPlayground(pg, true);
      else this.#h.setTimeline(new Timeline(pg));
      return true;
    } finally {
      if (token === this.#loads) this.#h.el('.app').removeAttribute('aria-busy');
    }
  }
}
