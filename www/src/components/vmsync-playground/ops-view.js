// @ts-check
/**
 * The operation forms of `<vmsync-playground>`: each form builds one operation, the
 * timeline applies it, and an engine error is shown on the form (the field it is about
 * marked); after a success the forms suggest the next names.
 * @module
 */
import { catalog, opText } from '../../engine.js';
import { addr } from '../../lib/format.js';
import { plainMenu } from '../../lib/vocab.js';
import { outcomeWords } from '../../lib/words.js';
import { errorLine, fillSelect } from '../dom.js';

/** @typedef {import('./host.js').Host} Host */

/**
 * Next name in a series: A → B, Z → A2, buf1 → buf2.
 * @param {string} name
 * @returns {string}
 */
function nextName(name) {
  const m = /^(.*?)(\d+)$/.exec(name);
  if (m) return m[1] + (Number(m[2]) + 1);
  if (/^[A-Y]$/.test(name)) return String.fromCharCode(name.charCodeAt(0) + 1);
  return name + '2';
}

export class OpsView {
  /** @type {Host} */
  #h;

  /** @param {Host} host */
  constructor(host) {
    this.#h = host;
  }

  /** Wires the forms. */
  wire() {
    const h = this.#h;
    h.root.querySelectorAll('form.op').forEach((f) =>
      f.addEventListener('submit', (e) => {
        e.preventDefault();
        h.guard(() => this.#submit(/** @type {HTMLFormElement} */ (f)));
      }),
    );
    h.root.querySelectorAll('form.op input').forEach((i) =>
      i.addEventListener('input', () => i.removeAttribute('aria-invalid')),
    );
  }

  /** @param {HTMLFormElement} form */
  #submit(form) {
    const op = form.dataset.op ?? '';
    const val = (/** @type {string} */ name) => {
      const i = /** @type {HTMLInputElement | null} */ (form.querySelector(`#${op}-${name}`));
      return i ? i.value.trim() : '';
    };
    /** @type {Record<string, unknown>} */
    const o = { op };
    switch (op) {
      case 'fork':
        o.name = val('name');
        break;
      case 'exit':
      case 'ldt':
        o.process = val('process');
        break;
      case 'allocate':
        o.name = val('name');
        o.size = val('size');
        if (/** @type {HTMLInputElement} */ (form.querySelector('#allocate-preempt')).checked) o.preempt = true;
        break;
      case 'map':
      case 'hotplug':
        o.name = val('name');
        o.phys = val('phys');
        o.size = val('size');
        if (op === 'hotplug') {
          // The engine's default kind (the catalog's first) is left out, as the engine writes it.
          const kind = /** @type {HTMLSelectElement} */ (form.querySelector('#hotplug-kind')).value;
          if (kind !== catalog().hotplug_kinds[0].name) o.kind = kind;
          if (val('by')) o.by = val('by');
        }
        break;
      case 'unmap':
        o.name = val('name');
        break;
      case 'sync':
        o.kind = /** @type {HTMLSelectElement} */ (form.querySelector('#sync-kind')).value;
        break;
      case 'access':
        o.process = val('process');
        o.addr = val('addr');
        break;
      default:
        break;
    }
    const err = /** @type {HTMLElement} */ (form.querySelector('.error'));
    form.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    const res = this.#h.guard(() => this.#h.timeline().apply(o));
    if (res instanceof Error) {
      err.replaceChildren(errorLine(res.name, res.message));
      // The engine says which input the error is about, by the operation's key (the
      // form's fields are `#<op>-<key>`); the message is for people.
      const field = /** @type {any} */ (res).field;
      const input = field ? form.querySelector(`#${op}-${field}`) : null;
      input?.setAttribute('aria-invalid', 'true');
      return;
    }
    if (!res) return;
    err.textContent = '';
    this.#h.leaveTour();
    this.#after(op, o, res);
  }

  /**
   * Suggests the next names and says what happened.
   * @param {string} op
   * @param {Record<string, any>} o
   * @param {import('../../timeline.js').Step} step
   */
  #after(op, o, step) {
    const set = (/** @type {string} */ id, /** @type {string} */ v) => {
      const i = /** @type {HTMLInputElement | null} */ (this.#h.root.querySelector(id));
      if (i) i.value = v;
    };
    if (op === 'fork') {
      set('#fork-name', nextName(o.name));
      set('#access-process', o.name);
      set('#ldt-process', o.name);
      set('#exit-process', o.name);
    } else if (op === 'allocate' || op === 'map' || op === 'hotplug') {
      set(`#${op}-name`, nextName(o.name));
      set('#access-addr', o.name);
      set('#unmap-name', o.name);
    }
    let msg = `${opText(o)}: done`;
    if (op === 'access' && step.value.kind === 'access') {
      msg = `Access from ${o.process}: ${outcomeWords(step.value.value?.outcome, this.#h.wide()).title}`;
    } else if (step.value.kind === 'address') {
      msg = `${opText(o)} at ${addr(step.value.value, this.#h.wide())}`;
    }
    this.#h.announce(msg);
    // On a phone the forms are a drawer over the tables: bring the table the operation
    // changed into view above it, so that the result is seen.
    if (globalThis.matchMedia?.('(max-width: 480px)').matches) {
      const who = op === 'fork' ? o.name : o.process;
      const panel = this.#h.root.querySelector(`[data-testid="panel-${who}"]`) ?? this.#h.root.querySelector('[data-testid="panel-reference"]');
      requestAnimationFrame(() => panel?.scrollIntoView({ block: 'start' }));
    }
  }

  /** Fills the menus of sync calls and hot-add kinds from the engine's catalog, once. */
  #fillMenus() {
    const sync = /** @type {HTMLSelectElement} */ (this.#h.el('#sync-kind'));
    if (sync.options.length) return;
    fillSelect(sync, plainMenu(catalog().sync_kinds));
    fillSelect(/** @type {HTMLSelectElement} */ (this.#h.el('#hotplug-kind')), plainMenu(catalog().hotplug_kinds));
  }

  /**
   * Fills the name lists from the live processes and allocations, and moves the fork
   * form on from a name that is taken (after a loaded scenario forked A, it offers B).
   * @param {string[]} names the live processes' names
   */
  render(names) {
    this.#fillMenus();
    const pg = this.#h.timeline().playground;
    const fork = /** @type {HTMLInputElement} */ (this.#h.el('#fork-name'));
    const taken = new Set(names);
    for (let i = 0; taken.has(fork.value.trim()) && i < 1100; i++) fork.value = nextName(fork.value.trim());
    const procs = names;
    /** @type {[string, bigint][]} */
    const allocs = pg.allocations();
    const fill = (/** @type {string} */ id, /** @type {string[]} */ vals) => {
      const dl = this.#h.el(id);
      dl.replaceChildren(
        ...vals.map((v) => {
          const o = document.createElement('option');
          o.value = v;
          return o;
        }),
      );
    };
    fill('#dl-procs', procs);
    fill('#dl-allocs', allocs.map(([n]) => n));
  }
}
