// @ts-check
/**
 * The first screen of `<vmsync-playground>` (the page opened without a link): what this
 * is, and two starts. A tour; or "fork, allocate, access" in three steps on the default
 * machine, the next action's button marked (and focused) until it is done.
 * @module
 */

import { outcomeWords } from '../../lib/words.js';

/** @typedef {import('./host.js').Host} Host */

/** The three steps: the operation to do, its button, and what to say once it is done. */
const STEPS = [
  { op: 'fork', say: 'Step 1 of 3: fork a process. It copies the kernel half of the reference table.' },
  { op: 'allocate', say: 'Step 2 of 3: allocate (vmalloc) a buffer. The reference gains an entry that A does not have: it is marked missing in A.' },
  { op: 'access', say: 'Step 3 of 3: let A access the buffer. What does this kernel era do about the missing entry?' },
];

export class Welcome {
  /** @type {Host} */
  #h;
  /** The step of "fork, allocate, access" the visitor is at (-1: not trying it). */
  #at = -1;

  /** @param {Host} host */
  constructor(host) {
    this.#h = host;
  }

  /**
   * @param {(name: string) => void} openTour opens a tour by name at its first step
   */
  wire(openTour) {
    const h = this.#h;
    h.el('#welcome-tour').addEventListener('click', () => {
      this.close();
      openTour('lazy-fault');
    });
    h.el('#welcome-try').addEventListener('click', () => this.#try());
    h.el('#welcome-close').addEventListener('click', () => this.close());
  }

  /** Shows the first screen. */
  show() {
    this.#h.el('#welcome').hidden = false;
  }

  /** Hides it, and the marks of the three steps. */
  close() {
    this.#at = -1;
    this.#h.el('#welcome').hidden = true;
    this.#mark(null);
  }

  #try() {
    this.#at = 0;
    this.#h.el('#welcome-tour').hidden = true;
    this.#h.el('#welcome-try').hidden = true;
    this.#h.el('#welcome-close').textContent = 'Stop';
    this.#step();
  }

  /** After every drawing: moves the three steps on when the suggested operation ran. */
  update() {
    if (this.#at < 0) return;
    const s = this.#h.timeline();
    const last = s.position > 0 ? s.step(s.position - 1).op?.op : null;
    if (last !== STEPS[this.#at].op) return;
    this.#at++;
    if (this.#at < STEPS.length) {
      this.#step();
      return;
    }
    const outcome = s.step(s.position - 1).value?.value?.outcome;
    const words = outcomeWords(outcome, this.#h.wide());
    this.#h.el('#welcome-step').textContent = `Done. ${words.text} Next: a tour tells the whole story; or change the Sync strategy, or open Compare eras, to see what other kernels did.`;
    this.#mark(null);
  }

  #step() {
    const st = STEPS[this.#at];
    this.#h.el('#welcome-step').textContent = st.say;
    this.#mark(st.op);
  }

  /**
   * Marks the button of the suggested operation (and focuses it), or none.
   * @param {string | null} op
   */
  #mark(op) {
    const h = this.#h;
    h.root.querySelectorAll('[data-suggested]').forEach((b) => b.removeAttribute('data-suggested'));
    if (!op) return;
    const b = h.el(`[data-testid="do-${op}"]`);
    b.setAttribute('data-suggested', '');
    b.closest('form')?.scrollIntoView({ block: 'nearest' });
    b.focus();
  }
}
