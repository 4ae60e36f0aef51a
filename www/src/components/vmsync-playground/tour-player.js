// @ts-check
/**
 * The tour player of `<vmsync-playground>`: the Tour menu, the keys, and the tour being
 * played. Tours are opened only by name, from the site's own list (`tours.js`). What
 * steps through a tour (narration, predict-then-reveal checkpoints, the engine's checks)
 * is the tour card (`tour-card.js`), loaded when a tour is first opened (or about to be:
 * the menu reached, a link or attribute that names a tour); free play never loads it. The
 * list of keys (`keys-dialog.js`) is loaded the first time it is asked for.
 * @module
 */
import { TOURS, tourFile, tourUrl } from '../../tours.js';
import { Lazy, stylesheet } from './lazy.js';

/** @typedef {import('./host.js').Host} Host */
/** @typedef {import('./tour-card.js').TourCard} TourCard */

/**
 * @typedef {object} Tour a tour being played
 * @property {string} name its name (the file without `.vms`)
 * @property {string} title
 * @property {string[]} lines the file's lines
 * @property {import('../../lib/tour.js').TourStep[]} steps
 * @property {number} index the step shown, from 0
 * @property {boolean} revealed whether a checkpoint's answer is shown
 * @property {Map<number, string>} picks the learner's prediction at each question with
 *   choices, by step index
 */

export class TourPlayer {
  /** @type {Host} */
  #h;
  /** @type {Tour | null} */
  #tour = null;
  /** @type {Lazy<TourCard>} */
  #card;
  /** @type {Lazy<HTMLDialogElement>} the list of keys, made in the element's markup */
  #keys;

  /** @param {Host} host */
  constructor(host) {
    this.#h = host;
    this.#card = new Lazy(() =>
      Promise.all([import('./tour-card.js'), stylesheet(host.root, new URL('./tour-card.css', import.meta.url))]).then(([{ TourCard }]) => new TourCard(host, this)),
    );
    this.#keys = new Lazy(() =>
      Promise.all([import('./keys-dialog.js'), stylesheet(host.root, new URL('./keys-dialog.css', import.meta.url))]).then(([{ keysDialog }]) => keysDialog(host.el('.app'))),
    );
  }

  /** The tour being played, or null in free play. */
  get current() {
    return this.#tour;
  }

  /** Starts loading the tour card (a link or an attribute names a tour). */
  preload() {
    this.#card.load().catch(() => {});
  }

  /**
   * Plays `tour` again where it was (an import that failed after leaving it).
   * @param {Tour} tour
   */
  restore(tour) {
    this.#tour = tour;
    /** @type {HTMLSelectElement} */ (this.#h.el('#tour-select')).value = tour.name;
    this.render();
  }

  /**
   * The card's part of a step: only while a tour is played, so the card is loaded.
   * @param {(card: TourCard, t: Tour) => void} fn
   */
  #withCard(fn) {
    const card = this.#card.value;
    if (card && this.#tour) this.#h.guard(() => fn(card, /** @type {Tour} */ (this.#tour)));
  }

  /** Wires the menu and the keys (the card wires its own buttons, `tour-card.js`). */
  wire() {
    const h = this.#h;
    const select = h.el('#tour-select');
    select.addEventListener('change', (e) => {
      const v = /** @type {HTMLSelectElement} */ (e.target).value;
      if (v) this.open(v, 1).catch((x) => h.fatal(x));
      else this.leave();
    });
    this.#card.warm(select);
    this.#card.warm(h.el('#welcome-tour'));
    h.el('.app').addEventListener('keydown', (e) => this.#key(/** @type {KeyboardEvent} */ (e)));
  }

  /**
   * For the element that is the page: the tour's keys also work when focus is on the
   * document itself (nothing focused yet). An embedded element never listens outside.
   * @param {KeyboardEvent} e
   */
  documentKey(e) {
    if (e.target === document.body || e.target === document.documentElement) this.#key(e);
  }

  /**
   * The tour's keys: → next (or reveal), ← back, Space reveal (else next), ? the list of
   * keys, P presenter mode. Not while typing, not in a table (its arrows move between
   * slots), not with a modifier (Alt+arrows step the timeline).
   * @param {KeyboardEvent} e
   */
  #key(e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
    const t = /** @type {HTMLElement} */ (e.composedPath()[0]);
    const typing =
      t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || t.isContentEditable;
    if (typing || t instanceof HTMLCanvasElement) return;
    if (e.key === '?') {
      e.preventDefault();
      this.help();
    } else if (e.key === 'p' || e.key === 'P') {
      e.preventDefault();
      this.#h.togglePresent();
    } else if (this.#tour && (e.key === 'ArrowRight' || e.key === 'ArrowLeft' || (e.key === ' ' && !(t instanceof HTMLButtonElement)))) {
      e.preventDefault();
      this.go(e.key === 'ArrowLeft' ? -1 : 1);
    }
  }

  /**
   * Opens the list of keys (a modal dialog: Esc or Close shuts it, focus comes back),
   * once it is loaded; one that could not be loaded is said in place.
   */
  help() {
    this.#keys.load().then(
      (dialog) => {
        if (!dialog.open && dialog.isConnected) dialog.showModal();
      },
      (e) => this.#h.loadFailed('The list of keys', e),
    );
  }

  /** @param {number} d the next step (1), or the one before (-1) */
  go(d) {
    this.#withCard((c, t) => c.go(t, d));
  }

  /** Lists the built-in tours (no requests: a missing file says so when opened). */
  loadMenu() {
    const sel = /** @type {HTMLSelectElement} */ (this.#h.el('#tour-select'));
    for (const t of TOURS) {
      const o = document.createElement('option');
      o.value = t.file.replace(/\.vms$/, '');
      o.textContent = t.title;
      sel.append(o);
    }
    sel.closest('label')?.toggleAttribute('hidden', sel.options.length <= 1);
  }

  /**
   * Opens a built-in tour at a step (counted from 1). Problems with the link that asked
   * for it, and any of its own (a missing file, a step past the end, the card that could
   * not be loaded), are shown in place.
   * @param {string} name a name from TOUR_NAMES
   * @param {number} step
   * @param {string[]} [problems]
   */
  async open(name, step, problems = []) {
    const file = tourFile(name);
    const meta = TOURS.find((t) => t.file === file);
    /** @type {string | null} */
    let text = null;
    /** @type {TourCard | null} */
    let card = null;
    if (file) {
      // The file and the card load side by side.
      const text$ = (async () => {
        const res = await fetch(tourUrl(file));
        return res.ok ? res.text() : res.status;
      })();
      const [got, loaded] = await Promise.allSettled([text$, this.#card.load()]);
      if (loaded.status === 'rejected') {
        this.#h.loadFailed('The tour player', loaded.reason);
        /** @type {HTMLSelectElement} */ (this.#h.el('#tour-select')).value = this.#tour?.name ?? '';
        if (!this.#h.maybeTimeline()) this.#h.startDefault();
        return;
      }
      card = loaded.value;
      if (got.status === 'rejected') {
        const e = got.reason;
        problems.push(`The tour "${name}" could not be loaded (${e instanceof Error ? e.message : e}).`);
      } else if (typeof got.value === 'number') problems.push(`The tour "${name}" could not be loaded (HTTP ${got.value}).`);
      else text = got.value;
    } else {
      problems.push(`"${name}" is not one of the tours.`);
    }
    if (text === null || !card) {
      if (!this.#h.maybeTimeline()) this.#h.startDefault();
      this.#h.linkProblems(problems);
      this.#h.writeUrl();
      return;
    }
    const entering = !this.#tour;
    this.#tour = card.start(name, meta?.title ?? '', text, step, problems);
    /** @type {HTMLSelectElement} */ (this.#h.el('#tour-select')).value = name;
    this.#withCard((c, t) => c.show(t, entering));
    this.#h.linkProblems(problems);
  }

  leave() {
    this.leaveSilently();
    this.#h.writeUrl();
  }

  leaveSilently() {
    if (!this.#tour) return;
    this.#h.point(null);
    this.#tour = null;
    /** @type {HTMLSelectElement} */ (this.#h.el('#tour-select')).value = '';
    this.render();
  }

  render() {
    const t = this.#tour;
    const card = this.#card.value;
    if (t && card) {
      card.render(t);
      return;
    }
    if (!this.#h.root.querySelector('#tour-err')?.textContent) this.#h.el('#tour').hidden = true;
  }
}
