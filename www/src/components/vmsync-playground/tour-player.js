// @ts-check
/**
 * The tour player of `<vmsync-playground>`: the Tour menu, and the card that steps
 * through a built-in tour (narration, predict-then-reveal checkpoints, the engine's
 * checks). A tour step is the engine running the tour's text up to that step, so a tour
 * replays the same way forwards and backwards. Tours are opened only by name, from the
 * site's own list (`tours.js`).
 * @module
 */
import { errorLine } from '../dom.js';
import { choicesBox, renderEnd, renderOutline } from './tour-card.js';
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
 * @property {Map<number, string>} picks the learner's prediction at each question with
 *   choices, by step index
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
    const dialog = /** @type {HTMLDialogElement} */ (h.el('#keys-dialog'));
    h.el('#keys-btn').addEventListener('click', () => this.#help());
    h.el('#keys-close').addEventListener('click', () => dialog.close());
    h.el('#tour-outline-list').addEventListener('click', (e) => {
      const b = /** @type {HTMLElement} */ (e.target).closest('button[data-step]');
      if (b) h.guard(() => this.jump(Number(/** @type {HTMLElement} */ (b).dataset.step)));
    });
    h.el('#tour-body').addEventListener('click', (e) => {
      const b = /** @type {HTMLElement} */ (e.target).closest('button[data-choice]');
      const t = this.#tour;
      if (!b || !t || t.revealed) return;
      t.picks.set(t.index, /** @type {HTMLElement} */ (b).dataset.choice ?? '');
      this.render();
      /** @type {HTMLButtonElement} */ (h.el('#tour-reveal')).focus();
    });
    h.el('#tour-end').addEventListener('click', (e) => {
      const b = /** @type {HTMLElement} */ (e.target).closest('button[data-tour]');
      if (b) this.open(/** @type {HTMLElement} */ (b).dataset.tour ?? '', 1).catch((x) => h.fatal(x));
    });
    h.el('.app').addEventListener('keydown', (e) => this.#key(/** @type {KeyboardEvent} */ (e)));
  }

  /**
   * For the element that is the page: the tour's keys also work when focus is on the
   * document itself (nothing focused yet). An embedded element never listens outside.
   * @param {KeyboardEvent} e
   */
  documentKey(e) {
    if (e.target === document.body || e.target === document.documentElement) this.#key(e);
  }

  /**
   * The tour's keys: → next (or reveal), ← back, Space reveal (else next), ? the list of
   * keys, P presenter mode. Not while typing, not in a table (its arrows move between
   * slots), not with a modifier (Alt+arrows step the timeline).
   * @param {KeyboardEvent} e
   */
  #key(e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
    const t = /** @type {HTMLElement} */ (e.composedPath()[0]);
    const typing =
      t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || t.isContentEditable;
    if (typing || t instanceof HTMLCanvasElement) return;
    const h = this.#h;
    if (e.key === '?') {
      e.preventDefault();
      this.#help();
    } else if (e.key === 'p' || e.key === 'P') {
      e.preventDefault();
      h.togglePresent();
    } else if (this.#tour && (e.key === 'ArrowRight' || e.key === 'ArrowLeft' || (e.key === ' ' && !(t instanceof HTMLButtonElement)))) {
      e.preventDefault();
      h.guard(() => this.go(e.key === 'ArrowLeft' ? -1 : 1));
    }
  }

  /** Opens the list of keys (a modal dialog: Esc or Close shuts it, focus comes back). */
  #help() {
    const dialog = /** @type {HTMLDialogElement} */ (this.#h.el('#keys-dialog'));
    if (!dialog.open) dialog.showModal();
  }

  /**
   * Shows step `index` (from 0) of the tour, its answer shown.
   * @param {number} index
   */
  jump(index) {
    const t = this.#tour;
    if (!t || index < 0 || index >= t.steps.length) return;
    t.index = index;
    t.revealed = !t.steps[index].ask;
    this.#show(false);
    this.#keepFocus();
  }

  /**
   * Focus is never lost: when the focused control went away (Reveal hidden, Next
   * disabled at the end), it moves to Reveal, Next, Back or the card's heading, the first
   * there is. Focus elsewhere on the page stays where it is.
   */
  #keepFocus() {
    const h = this.#h;
    const active = /** @type {HTMLButtonElement | null} */ (h.root.activeElement);
    if (active && !active.disabled && !active.closest('[hidden]')) return;
    for (const id of ['#tour-reveal', '#tour-next', '#tour-prev', '#tour-h']) {
      const b = /** @type {HTMLButtonElement} */ (h.el(id));
      if (!b.hidden && !b.disabled) {
        b.focus();
        return;
      }
    }
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
      if (!this.#h.maybeTimeline()) this.#h.startDefault();
      this.#h.linkProblems(problems);
      this.#h.writeUrl();
      return;
    }
    const { steps, lines, title } = splitTour(text);
    if (step > steps.length) problems.push(`step=${step} is past the last step of this tour (${steps.length}): it shows the last.`);
    const entering = !this.#tour;
    const index = Math.max(0, Math.min(steps.length - 1, step - 1));
    this.#tour = { name, title: meta?.title || title || name, lines, steps, index, revealed: false, picks: new Map() };
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
    this.#keepFocus();
  }

  reveal() {
    const t = this.#tour;
    if (!t) return;
    t.revealed = true;
    this.#show(false);
    const next = /** @type {HTMLButtonElement} */ (this.#h.el('#tour-next'));
    if (!next.disabled) next.focus();
    this.#keepFocus();
  }

  leave() {
    this.leaveSilently();
    this.#h.writeUrl();
  }

  leaveSilently() {
    if (!this.#tour) return;
    this.#h.point(null);
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
      const choices = /** @type {{choices?: string[]}} */ (st).choices ?? [];
      if (choices.length) parts.push(choicesBox(t, choices, /** @type {{answer?: string | null}} */ (st).answer ?? null));
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
    const last = !needReveal && t.index >= t.steps.length - 1;
    /** @type {HTMLButtonElement} */ (this.#h.el('#tour-next')).disabled = last;
    renderOutline(this.#h, t);
    renderEnd(this.#h, t, last);
    this.#point(/** @type {{point?: {process: string, addr: string | null} | null}} */ (st).point ?? null);
  }

  /**
   * Points at what the step talks about: its table, and the slot of its address.
   * @param {{process: string, addr: string | null} | null} p
   */
  #point(p) {
    const h = this.#h;
    if (!p) {
      h.point(null);
      return;
    }
    const process = p.process === 'reference' ? '' : p.process;
    let slot = -1;
    if (p.addr) {
      try {
        slot = h.timeline().playground.slotOf(p.addr);
      } catch {
        // An address the state does not have yet (a question before its reveal): the
        // table only.
      }
    }
    h.point({ process, slot });
  }
}
