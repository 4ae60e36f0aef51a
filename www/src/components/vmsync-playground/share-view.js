// @ts-check
/**
 * The Share panel of `<vmsync-playground>`: a link that holds the whole state, and the
 * iframe and custom-element snippets that embed it. Loaded when Share is first pressed
 * (`cards.js`), and filled after every change while it is open. The panel's markup comes
 * with it: until then the element's markup holds only its empty, hidden place (`#share`,
 * which the Share button names with `aria-controls`).
 * @module
 */
import { plural } from '../../lib/format.js';
import { elementSnippet, iframeSnippet } from '../../lib/snippets.js';
import { encodeState } from '../../lib/url-state.js';
import { trusted } from './template.js';

/** @typedef {import('./host.js').Host} Host */

const SHARE = `<h2 id="share-h">Share this state</h2>
<label class="field" for="share-link"><span>Link (the whole state is in it)</span><input id="share-link" readonly></label>
<div class="row"><button type="button" data-copy="share-link">Copy link</button></div>
<label class="field" for="share-iframe"><span>Embed as an iframe</span><textarea id="share-iframe" readonly></textarea></label>
<div class="row"><button type="button" data-copy="share-iframe">Copy iframe snippet</button></div>
<label class="field" for="share-element"><span>Embed as a custom element</span><textarea id="share-element" readonly></textarea></label>
<div class="row"><button type="button" data-copy="share-element">Copy element snippet</button> <span id="share-status" role="status" class="note"></span></div>`;

export class ShareView {
  /** @type {Host} */
  #h;

  /** @param {Host} host */
  constructor(host) {
    this.#h = host;
  }

  /**
   * Fills the panel's place with its markup and wires the copy buttons (the Share button
   * is the element's: it loads this module).
   */
  wire() {
    const panel = this.#h.el('#share');
    panel.innerHTML = trusted(SHARE);
    panel.setAttribute('aria-labelledby', 'share-h');
    panel.querySelectorAll('[data-copy]').forEach((b) =>
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
