// @ts-check
/**
 * The tour player of `<vmsync-playground>`: the Tour menu, and the card that steps
 * through a built-in tour (narration, predict-then-reveal checkpoints, the engine's
 * checks). A tour step is the engine running the tour's text up to that step, so a tour
 * replays the same way forwards and backwards. Tours are opened only by name, from the
 * site's own list (`tours.js`).
 * @module
 */
import { errorLine } from './dom.js';
import { expectations, prefixText, splitTour } from '../../lib/tour.js';
import { TOURS, tourFile, tourUrl } from '../../tours.js';

/** @typedef {import('./host.js').Host} Host */

/**
 * @typedef {object} Tour a tour being played
 * @property {string} name its name (the file without `.vms`)
 * @property {string} title
 * @property {string[]} lines the file's lines
 * @property {import('../../lib/tour.js').TourStep[]} steps
 * @property {number} index the step shown, from 0
 * @property {boolean} revealed whether a checkpoint's answer is shown
 */

export class TourPlayer {
  /** @type {Host} */
  #h;
  /** @type {Tour | null} */
  #tour = null;

  /** @param {Host} host */
  constructor(host) {
    this.#h = host;
  }

  /** The tour being played, or null in free play. */
  get current() {
    return this.#tour;
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

  /** Wires the menu and the card's buttons. */
  wire() {
    const h = this.#h;
    h.el('#tour-select').addEventListener('change', (e) => {
      const v = /** @type {HTMLSelectElement} */ (e.target).value;
      if (v) this.open(v, 1).catch((x) => h.fatal(x));
      else this.leave();
    });
    h.el('#tour-prev').addEventListener('click', () => h.guard(() => this.go(-1)));
    h.el('#tour-next').addEventListener('click', () => h.guard(() => this.go(1)));
    h.el('#tour-reveal').addEventListener('click', () => h.guard(() => this.reveal()));
    h.el('#tour-exit').addEventListener('click', () => this.leave());
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
   * for it, and any of its own (a missing file, a step past the end), are shown in place.
   * @param {string} name a name from TOUR_NAMES
   * @param {number} step
   * @param {string[]} [problems]
   */
  async open(name, step, problems = []) {
    const file = tourFile(name);
    const meta = TOURS.find((t) => t.file === file);
    /** @type {string | null} */
    let text = null;
    if (file) {
      try {
        const res = await fetch(tourUrl(file));
        if (res.ok) text = await res.text();
        else problems.push(`The tour "${name}" could not be loaded (HTTP ${res.status}).`);
      } catch (e) {
        problems.push(`The tour "${name}" could not be loaded (${e instanceof Error ? e.message : e}).`);
      }
    } else {
      problems.push(`"${name}" is not one of the tours.`);
    }
    if (text === null) {
      if (!this.#h.maybeSession()) this.#h.startDefault();
      this.#h.linkProblems(problems);
      this.#h.writeUrl();
      return;
    }
    const { steps, lines, title } = splitTour(text);
    if (step > steps.length) problems.push(`step=${step} is past the last step of this tour (${steps.length}): it shows the last.`);
    const entering = !this.#tour;
    const index = Math.max(0, Math.min(steps.length - 1, step - 1));
    this.#tour = { name, title: meta?.title || title || name, lines, steps, index, revealed: false };
    /** @type {HTMLSelectElement} */ (this.#h.el('#tour-select')).value = name;
    this.#h.guard(() => this.#show(entering));
    this.#h.linkProblems(problems);
  }

  /** @param {boolean} undoable */
  #show(undoable) {
    const t = this.#tour;
    if (!t) return;
    const st = t.steps[t.index];
    const upto = st.ask && !t.revealed ? st.start : st.end;
    const text = prefixText(t.lines, upto);
    const err = this.#h.el('#tour-err');
    err.textContent = '';
    const r = this.#h.guard(() => this.#h.runScenario(text, undoable));
    if (r instanceof Error) err.replaceChildren(errorLine(r.name, r.message));
    this.render();
    this.#h.writeUrl();
  }

  /** @param {number} d */
  go(d) {
    const t = this.#tour;
    if (!t) return;
    const st = t.steps[t.index];
    if (d > 0 && st.ask && !t.revealed) {
      this.reveal();
      return;
    }
    const next = t.index + d;
    if (next < 0 || next >= t.steps.length) return;
    t.index = next;
    // Going back lands on a revealed step; going forward to a question hides its answer.
    t.revealed = d < 0;
    this.#show(false);
  }

  reveal() {
    const t = this.#tour;
    if (!t) return;
    t.revealed = true;
    this.#show(false);
    this.#h.el('#tour-next').focus();
  }

  leave() {
    this.leaveSilently();
    this.#h.writeUrl();
  }

  leaveSilently() {
    if (!this.#tour) return;
    this.#tour = null;
    /** @type {HTMLSelectElement} */ (this.#h.el('#tour-select')).value = '';
    this.render();
  }

  render() {
    const box = this.#h.el('#tour');
    const t = this.#tour;
    if (!t) {
      if (!this.#h.el('#tour-err').textContent) box.hidden = true;
      return;
    }
    box.hidden = false;
    const st = t.steps[t.index];
    this.#h.el('#tour-h').textContent = t.title;
    this.#h.el('#tour-count').textContent = `step ${t.index + 1} of ${t.steps.length}`;
    const body = this.#h.el('#tour-body');
    /** @type {HTMLElement[]} */
    const parts = [];
    const para = (/** @type {string} */ cls, /** @type {string} */ text) => {
      const p = document.createElement('p');
      p.className = cls;
      p.textContent = text;
      parts.push(p);
      return p;
    };
    const shown = !st.ask || t.revealed;
    if (st.ask) {
      const p = para('ask', '');
      const b = document.createElement('strong');
      b.textContent = t.revealed ? 'The question: ' : 'Predict, then reveal: ';
      p.append(b, document.createTextNode(st.ask));
    }
    const ops = st.lines.filter((l) => !l.startsWith('expect'));
    if (shown && ops.length) para('note', `${st.ask ? 'What ran' : 'Ran'}: ${ops.join(' · ')}`);
    if (shown) for (const line of st.say) para('say', line);
    const checks = shown ? expectations(st.lines) : [];
    if (checks.length) {
      const ul = document.createElement('ul');
      ul.className = 'checks';
      ul.setAttribute('aria-label', 'Checked by the engine');
      for (const c of checks) {
        const li = document.createElement('li');
        li.textContent = `✓ ${c}`;
        ul.append(li);
      }
      parts.push(ul);
    }
    body.replaceChildren(...parts);
    body.dataset.step = String(t.index);
    body.dataset.revealed = String(t.revealed);
    const needReveal = !!st.ask && !t.revealed;
    /** @type {HTMLButtonElement} */ (this.#h.el('#tour-reveal')).hidden = !needReveal;
    /** @type {HTMLButtonElement} */ (this.#h.el('#tour-prev')).disabled = t.index === 0;
    /** @type {HTMLButtonElement} */ (this.#h.el('#tour-next')).disabled = !needReveal && t.index >= t.steps.length - 1;
  }
}
