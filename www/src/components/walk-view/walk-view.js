// @ts-check
/**
 * `<vmsync-walk-view>`: the page walk of one access, level by level, lit up in turn,
 * with the outcome in words (translated / fault fixed / oops / stale).
 *
 * Usage:
 *   registerWalkView();
 *   walk.show(access, { wide, entryDigits, processName });   // access = the engine's Access value
 *   walk.clear();
 *
 * The walk and outcome come from the engine; this only lays them out. Lighting up uses
 * a CSS animation delay per level, so it costs nothing with reduced motion.
 */
import { addr, hex } from '../../lib/format.js';
import { outcomeWords } from '../../lib/words.js';

export class WalkView extends HTMLElement {
  /** @type {HTMLOListElement} */
  #steps;
  /** @type {HTMLParagraphElement} */
  #outcome;
  /** @type {HTMLParagraphElement} */
  #heading;

  constructor() {
    super();
    this.#heading = document.createElement('p');
    this.#heading.className = 'walk-heading';
    this.#steps = document.createElement('ol');
    this.#steps.className = 'walk-steps';
    this.#steps.setAttribute('aria-label', 'page walk, top level first');
    this.#outcome = document.createElement('p');
    this.#outcome.className = 'walk-outcome';
    this.#outcome.setAttribute('role', 'status');
    this.#outcome.setAttribute('data-testid', 'access-outcome');
  }

  connectedCallback() {
    // In place of what the markup held until it was defined (vmsync-playground's words
    // for no access yet).
    if (!this.#steps.isConnected) this.replaceChildren(this.#heading, this.#steps, this.#outcome);
    if (!this.#outcome.textContent) this.clear();
  }

  /** Shows nothing yet. */
  clear() {
    this.#heading.textContent = 'No access yet: run one to see the walk.';
    this.#steps.replaceChildren();
    this.#outcome.textContent = '';
    this.#outcome.removeAttribute('data-outcome');
    this.removeAttribute('data-outcome');
  }

  /**
   * @param {any} access `{pid, va, walk: [{level, table_pfn, index, entry}], outcome}`
   * @param {{wide: boolean, entryDigits: number, processName: string}} ctx `entryDigits`: hex
   *   digits of an entry (twice the layout's `entry_bytes`)
   */
  show(access, ctx) {
    const words = outcomeWords(access.outcome, ctx.wide);
    const kind = String(access.outcome?.kind ?? '');
    const failedLevel = kind === 'oops' ? String(access.outcome.level ?? '') : '';
    this.#heading.textContent = `${ctx.processName} reads ${addr(access.va, ctx.wide)}`;
    /** @type {HTMLLIElement[]} */
    const items = [];
    const walk = Array.isArray(access.walk) ? access.walk : [];
    walk.forEach((/** @type {any} */ st, /** @type {number} */ i) => {
      const li = document.createElement('li');
      li.className = 'walk-step';
      const failed = failedLevel && String(st.level) === failedLevel;
      li.dataset.state = failed ? 'failed' : 'ok';
      li.style.setProperty('--delay', `${i * 180}ms`);
      const lvl = document.createElement('span');
      lvl.className = 'walk-level';
      lvl.textContent = String(st.level).toUpperCase();
      const idx = document.createElement('span');
      idx.className = 'walk-index';
      idx.textContent = `[${st.index}]`;
      const ent = document.createElement('code');
      ent.className = 'walk-entry';
      ent.textContent = hex(st.entry, ctx.entryDigits);
      const tbl = document.createElement('span');
      tbl.className = 'walk-table';
      tbl.textContent = `table pfn ${hex(st.table_pfn)}`;
      li.append(lvl, idx, ent, tbl);
      li.setAttribute(
        'aria-label',
        `${String(st.level).toUpperCase()} index ${st.index}, entry ${hex(st.entry)}${failed ? ', not present' : ''}`,
      );
      items.push(li);
    });
    if (failedLevel && !walk.some((/** @type {any} */ st) => String(st.level) === failedLevel)) {
      const li = document.createElement('li');
      li.className = 'walk-step';
      li.dataset.state = 'failed';
      li.style.setProperty('--delay', `${walk.length * 180}ms`);
      li.textContent = `${failedLevel.toUpperCase()}: not present`;
      items.push(li);
    }
    this.#steps.replaceChildren(...items);
    this.#outcome.dataset.outcome = kind;
    this.#outcome.dataset.tone = words.tone;
    this.dataset.outcome = kind;
    const strong = document.createElement('strong');
    strong.textContent = words.title;
    this.#outcome.replaceChildren(strong, document.createTextNode(' — ' + words.text));
    if (typeof access.oops_dump === 'string' && access.oops_dump) {
      // The line the kernel prints with the oops (fault.c, dump_pagetable()), from the engine.
      const code = document.createElement('code');
      code.className = 'walk-dump';
      code.textContent = access.oops_dump;
      this.#outcome.append(document.createElement('br'), code);
    }
  }
}

/** Registers `<vmsync-walk-view>` (once). */
export function registerWalkView() {
  if (!customElements.get('vmsync-walk-view')) customElements.define('vmsync-walk-view', WalkView);
}
