// @ts-check
/**
 * What `<vmsync-playground>` stamps after every drawing: the test and budget hooks on
 * `.app` (the state hash, the position, how long the drawing took, the first drawing's
 * time from navigation) and, for a host page, the `vmsync-step` event when the step
 * shown changes, and the compact layout's link out at the same state.
 * @module
 */
import { encodeState } from '../../lib/url-state.js';

/** @typedef {import('./host.js').Host} Host */
/** @typedef {import('../../timeline.js').Timeline} Timeline */

/** Above this many processes, the state hash is stamped in a task of its own. */
const HASH_INLINE_PROCESSES = 128;

export class Stamps {
  /** @type {Host} */
  #h;
  /** State hashes asked for (a deferred one that is no longer the last is dropped). */
  #hashes = 0;
  /** The last `vmsync-step` detail sent, as JSON. */
  #lastStep = '';

  /** @param {Host} host */
  constructor(host) {
    this.#h = host;
  }

  /**
   * After a drawing of `s`.
   * @param {Timeline} s
   * @param {string[]} names the live processes' names
   * @param {number} t0 when the drawing began (performance.now())
   */
  after(s, names, t0) {
    const app = this.#h.el('.app');
    this.#stateHash(app, s, names);
    app.setAttribute('data-position', String(s.position));
    app.setAttribute('data-length', String(s.length));
    app.setAttribute('data-render-ms', (performance.now() - t0).toFixed(1));
    if (!app.hasAttribute('data-first-draw-ms')) this.#firstDraw(app);
  }

  /**
   * After the URL is written: the step event and the link out.
   * @param {Timeline} s
   */
  stepShown(s) {
    this.#stepChanged(s);
  }

  /**
   * Stamps the engine's state hash on `.app` (a test hook, and what Share shows). It
   * hashes every table: on a machine of many processes it costs tens of milliseconds, so
   * there it is stamped in a task of its own, after the drawing.
   * @param {HTMLElement} app
   * @param {Timeline} s
   */
  #stateHash(app, s, names) {
    if (names.length < HASH_INLINE_PROCESSES) {
      app.setAttribute('data-state-hash', s.stateHash);
      return;
    }
    app.removeAttribute('data-state-hash');
    const token = ++this.#hashes;
    setTimeout(() => {
      if (token === this.#hashes && s === this.#h.maybeTimeline()) app.setAttribute('data-state-hash', s.stateHash);
    });
  }

  /**
   * After a drawing: tells the host page when the step shown changed (`vmsync-step`),
   * and keeps the compact layout's link out to the full playground at the same state.
   * @param {Timeline} s
   */
  #stepChanged(s) {
    const t = this.#h.tour();
    const detail = { tour: t ? t.name : null, step: t ? t.index + 1 : null, position: s.position };
    const key = JSON.stringify(detail);
    if (key !== this.#lastStep) {
      this.#lastStep = key;
      this.#h.element.dispatchEvent(new CustomEvent('vmsync-step', { detail, bubbles: true, composed: true }));
    }
    const full = /** @type {HTMLAnchorElement} */ (this.#h.el('#open-full'));
    if (this.#h.el('.app').getAttribute('data-controls') !== 'full') {
      // Only the compact layout shows it: a long timeline is not printed twice a step.
      const st = this.#h.urlState();
      delete st.readOnly;
      delete st.controls;
      full.href = new URL('../../../index.html', import.meta.url).href + encodeState(st);
    }
  }

  /**
   * Stamps the page budget's figures on `.app`, in milliseconds from the start of the
   * navigation: `performance.now()` counts from `performance.timeOrigin`, which for a
   * page (or an embedding iframe) is the moment its navigation began, before the HTML,
   * the modules and the wasm were fetched. `data-first-draw-ms`: every grid of the first
   * machine is drawn; `data-first-frame-ms`: the first frame after that has been
   * produced (an animation frame, then a task), i.e. the drawing is on screen.
   * @param {HTMLElement} app
   */
  #firstDraw(app) {
    const since = () => performance.now().toFixed(1);
    app.setAttribute('data-first-draw-ms', since());
    requestAnimationFrame(() => setTimeout(() => app.setAttribute('data-first-frame-ms', since())));
  }
}
