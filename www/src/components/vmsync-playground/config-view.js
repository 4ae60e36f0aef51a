// @ts-check
/**
 * The configuration form of `<vmsync-playground>` (the Machine card): a change rebuilds
 * the machine at once, replaying the operations unless the form says to start empty; a
 * configuration the engine refuses says why and changes nothing (the menus go back to
 * the machine that runs on). The form is filled from the engine's canonical
 * configuration after every new machine.
 * @module
 */
import { catalog, opText } from '../../engine.js';
import { plural } from '../../lib/format.js';
import { modeInfo, plainMenu, strategyMenu } from '../../lib/vocab.js';
import { errorLine, fillSelect } from '../dom.js';

/** @typedef {import('./host.js').Host} Host */

/**
 * The control of each configuration key an engine error can be about (`Error.field`,
 * the catalog's `fields` marked `config`).
 */
export const CONFIG_FIELDS = Object.freeze({
  mode: '#cfg-mode',
  split: '#cfg-split',
  ram: '#cfg-ram',
  vmalloc: '#cfg-vmalloc',
  strategy: '#cfg-strategy',
  nr_cpus: '#cfg-cpus',
  pti: '#cfg-pti',
  huge_ioremap: '#cfg-huge',
});

export class ConfigView {
  /** @type {Host} */
  #h;

  /** @param {Host} host */
  constructor(host) {
    this.#h = host;
  }

  /** Wires the form. */
  wire() {
    this.#h.el('#config-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.#h.guard(() => this.submit());
    });
    // Changing a setting rebuilds the machine at once (an invalid one says why and
    // changes nothing); the Build button does the same for text typed into a field.
    this.#h.el('#cfg-strategy').addEventListener('change', () => this.#showStrategy());
    this.#h.el('#config-form').addEventListener('change', (e) => {
      const t = /** @type {HTMLElement} */ (e.target);
      if (t.id === 'cfg-replay' || t instanceof HTMLInputElement && t.type === 'text') return;
      if (t.id === 'cfg-mode') this.#modeChanged();
      this.#h.guard(() => this.submit());
    });
  }

  #modeChanged() {
    const m = modeInfo(catalog(), /** @type {HTMLSelectElement} */ (this.#h.el('#cfg-mode')).value);
    if (!m) return;
    /** @type {HTMLSelectElement} */ (this.#h.el('#cfg-split')).disabled = !m.has_split;
    // The engine's defaults for the mode (PTI and huge ioremap need PAE or 64-bit).
    /** @type {HTMLInputElement} */ (this.#h.el('#cfg-pti')).checked = m.pti;
    /** @type {HTMLInputElement} */ (this.#h.el('#cfg-huge')).checked = m.huge_ioremap;
  }

  /** Fills the menus from the engine's catalog (once, after the engine is loaded). */
  #fillMenus() {
    const c = catalog();
    const sel = (/** @type {string} */ id) => /** @type {HTMLSelectElement} */ (this.#h.el(id));
    if (sel('#cfg-strategy').options.length) return;
    fillSelect(sel('#cfg-mode'), plainMenu(c.modes));
    fillSelect(sel('#cfg-split'), plainMenu(c.splits));
    fillSelect(sel('#cfg-strategy'), strategyMenu(c));
  }

  /**
   * Rebuilds the machine from the form, replaying the operations when the form says so;
   * with `strategy` (an era made live in the comparison), from the live machine's own
   * configuration with that strategy, always replaying.
   * @param {string} [strategy]
   */
  submit(strategy) {
    if (strategy) /** @type {HTMLSelectElement} */ (this.#h.el('#cfg-strategy')).value = strategy;
    const v = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (this.#h.el(id)).value.trim();
    const on = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (this.#h.el(id)).checked;
    const err = this.#h.el('#cfg-err');
    const mode = v('#cfg-mode');
    const is32 = !!modeInfo(catalog(), mode)?.has_split;
    this.#h.root.querySelectorAll('#config-form [aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    /** @type {Record<string, unknown>} */
    const cfg = {
      mode,
      ram: v('#cfg-ram') || null,
      pti: on('#cfg-pti'),
      huge_ioremap: on('#cfg-huge'),
      strategy: v('#cfg-strategy'),
    };
    if (is32) cfg.split = v('#cfg-split');
    if (v('#cfg-vmalloc')) cfg.vmalloc = v('#cfg-vmalloc');
    // NR_CPUS goes as typed: the engine takes a whole number's digits and says when the
    // text is not one (`field` nr_cpus).
    if (v('#cfg-cpus')) cfg.nr_cpus = v('#cfg-cpus');
    const replay = !!strategy || on('#cfg-replay');
    const res = this.#h.guard(() => this.#h.timeline().rebuild(strategy ? { ...this.live(), strategy } : cfg, replay));
    if (res instanceof Error) {
      err.replaceChildren(errorLine(res.name, res.message));
      // The engine says which setting the error is about; the message is for people.
      const bad = /** @type {Record<string, string>} */ (CONFIG_FIELDS)[/** @type {any} */ (res).field];
      if (bad) this.#h.el(bad).setAttribute('aria-invalid', 'true');
      this.#revert();
      return;
    }
    err.textContent = '';
    if (res && res.failed) {
      err.replaceChildren(errorLine(res.failed.error.name, `replay stopped at "${opText(res.failed.op)}": ${res.failed.error.message}`));
    }
    this.#h.leaveTour();
    const ops = res && res.replayed ? `, ${plural(res.replayed, 'operation')} replayed` : replay ? '' : ', started empty';
    this.#h.announce(`Machine rebuilt: ${mode}, ${v('#cfg-strategy')}${ops}`);
  }

  /**
   * After a refused configuration, puts the menus and boxes back to the machine that
   * runs on (typed text stays, marked, for the user to correct); the message says what
   * was refused.
   */
  #revert() {
    const cfg = this.live();
    /** @type {HTMLSelectElement} */ (this.#h.el('#cfg-mode')).value = cfg.mode;
    /** @type {HTMLSelectElement} */ (this.#h.el('#cfg-split')).value = cfg.split ?? catalog().splits[0];
    /** @type {HTMLSelectElement} */ (this.#h.el('#cfg-split')).disabled = !modeInfo(catalog(), cfg.mode)?.has_split;
    /** @type {HTMLSelectElement} */ (this.#h.el('#cfg-strategy')).value = cfg.strategy;
    /** @type {HTMLInputElement} */ (this.#h.el('#cfg-pti')).checked = !!cfg.pti;
    /** @type {HTMLInputElement} */ (this.#h.el('#cfg-huge')).checked = !!cfg.huge_ioremap;
    this.#h.root.querySelectorAll('#config-form select[aria-invalid], #config-form input[type="checkbox"][aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    this.#showStrategy();
  }

  /** The live machine's configuration (config JSON), as the engine writes it. */
  live() {
    return JSON.parse(this.#h.timeline().playground.configJson());
  }

  /** Fills the configuration form from the machine's canonical configuration. */
  sync() {
    /** @type {any} */
    let cfg;
    try {
      cfg = this.live();
    } catch {
      return;
    }
    if (!cfg) return;
    this.#fillMenus();
    const set = (/** @type {string} */ id, /** @type {string} */ val) => {
      /** @type {HTMLInputElement} */ (this.#h.el(id)).value = val;
    };
    set('#cfg-mode', cfg.mode);
    const is32 = !!modeInfo(catalog(), cfg.mode)?.has_split;
    const split = /** @type {HTMLSelectElement} */ (this.#h.el('#cfg-split'));
    split.value = cfg.split ?? catalog().splits[0];
    split.disabled = !is32;
    set('#cfg-ram', cfg.ram ?? '');
    set('#cfg-vmalloc', cfg.vmalloc ?? '');
    set('#cfg-cpus', String(cfg.nr_cpus ?? ''));
    /** @type {HTMLInputElement} */ (this.#h.el('#cfg-pti')).checked = !!cfg.pti;
    /** @type {HTMLInputElement} */ (this.#h.el('#cfg-huge')).checked = !!cfg.huge_ioremap;
    // The engine writes an era by its canonical name (era:5.7 in a link becomes era:5.3).
    /** @type {HTMLSelectElement} */ (this.#h.el('#cfg-strategy')).value = cfg.strategy;
    this.#h.el('#cfg-err').textContent = '';
    this.#h.root.querySelectorAll('#config-form [aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    /** @type {HTMLElement} */ (this.#h.el('form[data-op="hotplug"]')).hidden = is32;
    this.#showStrategy();
  }

  /** The chosen strategy's label in full, under the menu that may cut it short. */
  #showStrategy() {
    const sel = /** @type {HTMLSelectElement} */ (this.#h.el('#cfg-strategy'));
    this.#h.el('#cfg-strategy-full').textContent = sel.selectedOptions[0]?.textContent ?? '';
  }
}
