// @ts-check
/**
 * The Share panel of `<vmsync-playground>`: a link that holds the whole state, and the
 * iframe and custom-element snippets that embed it. Loaded when Share is first pressed
 * (`cards.js`), and filled after every change while it is open.
 * @module
 */
import { plural } from '../../lib/format.js';
import { elementSnippet, iframeSnippet } from '../../lib/snippets.js';
import { encodeState } from '../../lib/url-state.js';

/** @typedef {import('./host.js').Host} Host */

export class ShareView {
  /** @type {Host} */
  #h;

  /** @param {Host} host */
  constructor(host) {
    this.#h = host;
  }

  /** Wires the copy buttons (the Share button is the element's: it loads this module). */
  wire() {
    this.#h.root.querySelectorAll('[data-copy]').forEach((b) =>
      b.addEventListener('click', () => this.#copy(/** @type {HTMLElement} */ (b).dataset.copy ?? '')),
    );
  }

  /** Opens the panel, filled and its link focused, or closes it. */
  toggle() {
    const panel = this.#h.el('#share');
    const btn = this.#h.el('#share-btn');
    panel.hidden = !panel.hidden;
    btn.setAttribute('aria-expanded', String(!panel.hidden));
    if (!panel.hidden) {
      this.fill();
      /** @type {HTMLInputElement} */ (this.#h.el('#share-link')).focus();
    }
  }

  fill() {
    const st = this.#h.urlState();
    delete st.readOnly;
    delete st.controls;
    const here = new URL(document.baseURI);
    const page = new URL('../../../index.html', import.meta.url);
    const embed = new URL('../../../embed.html', import.meta.url);
    const mainJs = new URL('../../main.js', import.meta.url);
    const link = (this.#h.element.hasAttribute('url-state') ? here.origin + here.pathname + here.search : page.href) + encodeState(st);
    /** @type {HTMLInputElement} */ (this.#h.el('#share-link')).value = link;
    const tour = this.#h.tour();
    const title = tour ? `vmsync tour: ${tour.title}` : `vmsync playground: ${this.#h.timeline().layout.mode}, ${plural(this.#h.timeline().position, 'operation')}`;
    /** @type {HTMLTextAreaElement} */ (this.#h.el('#share-iframe')).value = iframeSnippet(embed.href, st, title);
    /** @type {HTMLTextAreaElement} */ (this.#h.el('#share-element')).value = elementSnippet(mainJs.href, this.#h.timeline().scenarioText());
  }

  /** @param {string} id */
  async #copy(id) {
    const field = /** @type {HTMLInputElement} */ (this.#h.el('#' + id));
    const status = this.#h.el('#share-status');
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = 'Copied.';
    } catch {
      field.select();
      status.textContent = 'Selected: press Ctrl+C (or ⌘C) to copy.';
    }
  }
}
