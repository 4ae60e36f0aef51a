// @ts-check
/**
 * The configuration form of `<vmsync-playground>` (the Machine card): a change rebuilds
 * the machine at once, replaying the operations unless the form says to start empty; a
 * configuration the engine refuses says why and changes nothing (the menus go back to
 * the machine that runs on). The form is filled from the engine's canonical
 * configuration after every new machine.
 * @module
 */
import { plural } from '../../lib/format.js';
import { opText } from '../../lib/words.js';
import { errorLine, fieldQuoted } from '../dom.js';

/** @typedef {import('./host.js').Host} Host */

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
    const mode = /** @type {HTMLSelectElement} */ (this.#h.el('#cfg-mode')).value;
    const is32 = mode === 'x86-32' || mode === 'pae';
    /** @type {HTMLSelectElement} */ (this.#h.el('#cfg-split')).disabled = !is32;
    // The kernel's defaults for the mode: PTI and huge ioremap need PAE or 64-bit.
    /** @type {HTMLInputElement} */ (this.#h.el('#cfg-pti')).checked = mode !== 'x86-32';
    /** @type {HTMLInputElement} */ (this.#h.el('#cfg-huge')).checked = mode !== 'x86-32';
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
    const is32 = mode === 'x86-32' || mode === 'pae';
    this.#h.root.querySelectorAll('#config-form [aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    const cpus = v('#cfg-cpus');
    if (!strategy && cpus !== '' && !/^\d+$/.test(cpus)) {
      err.replaceChildren();
      err.append(errorLine('InvalidConfig', `NR_CPUS takes a whole number, not '${cpus}'`));
      this.#h.el('#cfg-cpus').setAttribute('aria-invalid', 'true');
      return;
    }
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
    if (cpus) cfg.nr_cpus = Number(cpus);
    const replay = !!strategy || on('#cfg-replay');
    const res = this.#h.guard(() => this.#h.session().rebuild(strategy ? { ...this.live(), strategy } : cfg, replay));
    if (res instanceof Error) {
      err.replaceChildren(errorLine(res.name, res.message));
      const m = res.message;
      const quoted = fieldQuoted(this.#h.el('#config-form'), m);
      const bad = quoted ? '#' + quoted.id : /RAM/.test(m) ? '#cfg-ram' : /vmalloc=/.test(m) ? '#cfg-vmalloc' : /NR_CPUS/.test(m) ? '#cfg-cpus' : /PTI/.test(m) ? '#cfg-pti' : /huge/.test(m) ? '#cfg-huge' : /split/.test(m) ? '#cfg-split' : /strategy|era/.test(m) ? '#cfg-strategy' : res.name === 'BadSize' ? (/vmalloc/.test(m) ? '#cfg-vmalloc' : '#cfg-ram') : '';
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
    /** @type {HTMLSelectElement} */ (this.#h.el('#cfg-split')).value = cfg.split ?? '3G';
    /** @type {HTMLSelectElement} */ (this.#h.el('#cfg-split')).disabled = cfg.mode !== 'x86-32' && cfg.mode !== 'pae';
    /** @type {HTMLSelectElement} */ (this.#h.el('#cfg-strategy')).value = cfg.strategy;
    /** @type {HTMLInputElement} */ (this.#h.el('#cfg-pti')).checked = !!cfg.pti;
    /** @type {HTMLInputElement} */ (this.#h.el('#cfg-huge')).checked = !!cfg.huge_ioremap;
    this.#h.root.querySelectorAll('#config-form select[aria-invalid], #config-form input[type="checkbox"][aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    this.#showStrategy();
  }

  /** The live machine's configuration (config JSON), as the engine writes it. */
  live() {
    return JSON.parse(this.#h.session().playground.configJson());
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
    const set = (/** @type {string} */ id, /** @type {string} */ val) => {
      /** @type {HTMLInputElement} */ (this.#h.el(id)).value = val;
    };
    set('#cfg-mode', cfg.mode);
    const is32 = cfg.mode === 'x86-32' || cfg.mode === 'pae';
    const split = /** @type {HTMLSelectElement} */ (this.#h.el('#cfg-split'));
    split.value = cfg.split ?? '3G';
    split.disabled = !is32;
    set('#cfg-ram', cfg.ram ?? '');
    set('#cfg-vmalloc', cfg.vmalloc ?? '');
    set('#cfg-cpus', String(cfg.nr_cpus ?? 32));
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
