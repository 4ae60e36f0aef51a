// @ts-check
/**
 * The Event log of `<vmsync-playground>`: the last hundred steps of the timeline, the
 * recent ones with every event they reported, in words.
 * @module
 */
import { plural } from '../../lib/format.js';
import { opText } from '../../engine.js';
import { eventText, eventTone } from '../../lib/words.js';

/** @typedef {import('./host.js').Host} Host */

export class LogView {
  /** @type {Host} */
  #h;

  /** @param {Host} host */
  constructor(host) {
    this.#h = host;
  }

  /** @type {string[]} */
  #names = [];
  /** @type {number[]} */
  #pids = [];

  /**
   * @param {string[]} names the live processes' names
   * @param {number[]} pids their pids, in the same order
   */
  render(names, pids) {
    this.#names = names;
    this.#pids = pids;
    const s = this.#h.timeline();
    const ol = this.#h.el('#log');
    const nameOf = this.#pidNames();
    const ctx = { wide: this.#h.wide(), nameOf: (/** @type {number} */ pid) => nameOf.get(pid) ?? `pid ${pid}` };
    const from = Math.max(0, s.length - 100);
    /** @type {HTMLLIElement[]} */
    const items = [];
    if (from === 0) {
      const li = document.createElement('li');
      li.textContent = `Booted ${s.layout.mode}: the reference table built.`;
      items.push(li);
    }
    for (let i = from; i < s.length; i++) {
      const st = s.step(i);
      const li = document.createElement('li');
      li.dataset.step = String(i + 1);
      if (i >= s.position) li.dataset.ahead = '';
      if (i === s.position - 1) li.dataset.current = '';
      const line = document.createElement('div');
      line.className = 'op-line';
      line.textContent = `${i + 1}. ${opText(st.op)}${i >= s.position ? ' (stepped back)' : ''}`;
      li.append(line);
      // Events for the recent steps; older ones keep their operation line.
      if (st.events.length && i >= s.length - 30) {
        const ul = document.createElement('ul');
        const shown = st.events.slice(0, 14);
        for (const e of shown) {
          const ev = document.createElement('li');
          ev.textContent = eventText(e, ctx);
          const tone = eventTone(e);
          if (tone) ev.dataset.tone = tone;
          ul.append(ev);
        }
        if (st.events.length > shown.length) {
          const more = document.createElement('li');
          more.textContent = `… and ${plural(st.events.length - shown.length, 'more event')}`;
          ul.append(more);
        }
        li.append(ul);
      }
      items.push(li);
    }
    ol.replaceChildren(...items);
    // Scroll the current step into view at the next frame, when the layout the frame needs
    // anyway is done (reading offsetTop now would force a layout of the whole page).
    requestAnimationFrame(() => {
      const cur = /** @type {HTMLElement | null} */ (ol.querySelector('[data-current]'));
      if (cur) ol.scrollTop = cur.offsetTop - ol.offsetTop - 40;
    });
  }

  /**
   * pid → name, from the live processes and from the forks among the steps the log
   * shows (the only ones whose events it writes out).
   * @returns {Map<number, string>}
   */
  #pidNames() {
    /** @type {Map<number, string>} */
    const m = new Map();
    const s = this.#h.timeline();
    for (let i = Math.max(0, s.length - 100); i < s.length; i++) {
      const st = s.step(i);
      if (st.op?.op === 'fork' && st.value.kind === 'pid') m.set(Number(st.value.value), String(st.op.name));
    }
    const pids = this.#pids;
    this.#names.forEach((name, i) => {
      if (pids[i] !== undefined) m.set(pids[i], name);
    });
    return m;
  }
}
