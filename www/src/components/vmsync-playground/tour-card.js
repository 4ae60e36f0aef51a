// @ts-check
/**
 * The tour card of `<vmsync-playground>`, loaded when a tour is first opened (a chunk of
 * its own in the build; `tour-player.js` holds the menu, the keys and the tour played):
 * it steps through a built-in tour (narration, predict-then-reveal checkpoints, the
 * engine's checks). A tour step is the engine running the tour's text up to that step,
 * so a tour replays the same way forwards and backwards. Drawn from the tour alone: a
 * question's choices and the verdict on the prediction, the outline of every step, and
 * the end of the tour (the tally, and the next tour offered). The card's markup and its
 * buttons come with it: until then the element's markup holds only its empty, hidden place
 * (`#tour`).
 * @module
 */
import { errorLine } from '../dom.js';
import { plural } from '../../lib/format.js';
import { expectations, prefixText, splitTour } from '../../lib/tour.js';
import { TOURS } from '../../tours.js';
import { trusted } from './template.js';

/** @typedef {import('./host.js').Host} Host */
/** @typedef {import('./tour-player.js').Tour} Tour */
/** @typedef {import('./tour-player.js').TourPlayer} TourPlayer */

const CARD = `<div class="row"><h2 id="tour-h" tabindex="-1">Tour</h2><span class="count" id="tour-count"></span></div>
<div id="tour-body" aria-live="polite"></div>
<div class="row">
<button type="button" id="tour-prev" data-testid="tour-prev">◀ Back</button>
<button type="button" id="tour-reveal" class="primary" data-testid="tour-reveal" hidden>Reveal</button>
<button type="button" id="tour-next" data-testid="tour-next">Next ▶</button>
<button type="button" id="tour-exit">Leave the tour</button>
<button type="button" id="keys-btn" data-testid="keys-help" aria-haspopup="dialog" aria-keyshortcuts="?">Keys</button>
</div>
<div class="tour-end" id="tour-end" hidden data-testid="tour-end"></div>
<details class="outline" id="tour-outline" data-testid="tour-outline"><summary>All steps</summary><ol id="tour-outline-list"></ol></details>
<p class="error" id="tour-err" role="alert"></p>`;

export class TourCard {
  /** @type {Host} */
  #h;

  /**
   * Fills the card's place with its markup and wires its buttons to the tour being played.
   * @param {Host} host
   * @param {TourPlayer} player
   */
  constructor(host, player) {
    this.#h = host;
    const h = host;
    const box = h.el('#tour');
    box.innerHTML = trusted(CARD);
    box.setAttribute('aria-labelledby', 'tour-h');
    /** @param {(t: Tour) => void} fn runs on the tour being played, if any */
    const played = (fn) => {
      const t = player.current;
      if (t) h.guard(() => fn(t));
    };
    /**
     * @param {string} id
     * @param {string} sel a button in it
     * @param {(b: HTMLElement) => void} fn
     */
    const on = (id, sel, fn) =>
      h.el(id).addEventListener('click', (e) => {
        const b = /** @type {HTMLElement} */ (e.target).closest(sel);
        if (b) fn(/** @type {HTMLElement} */ (b));
      });
    on('#tour-prev', 'button', () => player.go(-1));
    on('#tour-next', 'button', () => player.go(1));
    on('#tour-reveal', 'button', () => played((t) => this.reveal(t)));
    on('#tour-exit', 'button', () => player.leave());
    on('#keys-btn', 'button', () => player.help());
    on('#tour-outline-list', 'button[data-step]', (b) => played((t) => this.jump(t, Number(b.dataset.step))));
    on('#tour-body', 'button[data-choice]', (b) => played((t) => this.pick(t, b.dataset.choice ?? '')));
    on('#tour-end', 'button[data-tour]', (b) => player.open(b.dataset.tour ?? '', 1).catch((x) => h.fatal(x)));
  }

  /**
   * A tour read from its file's text, at a step (counted from 1; past the end, the last,
   * which is added to `problems`). Throws the engine's `ScriptError` for a text it does
   * not read.
   * @param {string} name
   * @param {string} title the title in the site's list ('' for none)
   * @param {string} text
   * @param {number} step
   * @param {string[]} problems
   * @returns {Tour}
   */
  start(name, title, text, step, problems) {
    const { steps, lines, title: own } = splitTour(text);
    if (step > steps.length) problems.push(`step=${step} is past the last step of this tour (${steps.length}): it shows the last.`);
    const index = Math.max(0, Math.min(steps.length - 1, step - 1));
    return { name, title: title || own || name, lines, steps, index, revealed: false, picks: new Map() };
  }

  /**
   * Shows step `index` (from 0) of the tour, its answer shown.
   * @param {Tour} t
   * @param {number} index
   */
  jump(t, index) {
    if (index < 0 || index >= t.steps.length) return;
    t.index = index;
    t.revealed = !t.steps[index].ask;
    this.show(t, false);
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

  /**
   * Runs the tour up to its step (before a question's reveal, up to the question) and
   * draws the card.
   * @param {Tour} t
   * @param {boolean} undoable
   */
  show(t, undoable) {
    const st = t.steps[t.index];
    const upto = st.ask && !t.revealed ? st.start : st.end;
    const text = prefixText(t.lines, upto);
    const err = this.#h.el('#tour-err');
    err.textContent = '';
    const r = this.#h.guard(() => this.#h.runScenario(text, undoable));
    if (r instanceof Error) err.replaceChildren(errorLine(r.name, r.message));
    this.render(t);
    this.#h.writeUrl();
  }

  /**
   * @param {Tour} t
   * @param {number} d
   */
  go(t, d) {
    const st = t.steps[t.index];
    if (d > 0 && st.ask && !t.revealed) {
      this.reveal(t);
      return;
    }
    const next = t.index + d;
    if (next < 0 || next >= t.steps.length) return;
    t.index = next;
    // Going back lands on a revealed step; going forward to a question hides its answer.
    t.revealed = d < 0;
    this.show(t, false);
    this.#keepFocus();
  }

  /** @param {Tour} t */
  reveal(t) {
    t.revealed = true;
    this.show(t, false);
    const next = /** @type {HTMLButtonElement} */ (this.#h.el('#tour-next'));
    if (!next.disabled) next.focus();
    this.#keepFocus();
  }

  /**
   * The learner's prediction at a question, before its reveal.
   * @param {Tour} t
   * @param {string} choice
   */
  pick(t, choice) {
    if (t.revealed) return;
    t.picks.set(t.index, choice);
    this.render(t);
    /** @type {HTMLButtonElement} */ (this.#h.el('#tour-reveal')).focus();
  }

  /** @param {Tour} t */
  render(t) {
    const box = this.#h.el('#tour');
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

/**
 * A question's choices: before the reveal, buttons to pick a prediction; after it, the
 * prediction against the engine's answer (read from the reveal's own checks).
 * @param {Tour} t
 * @param {string[]} choices
 * @param {string | null} answer
 * @returns {HTMLElement}
 */
function choicesBox(t, choices, answer) {
  const box = document.createElement('div');
  box.className = 'choices';
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', 'Your prediction');
  const pick = t.picks.get(t.index);
  for (const c of choices) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = c;
    b.dataset.choice = c;
    b.dataset.testid = 'choice';
    b.setAttribute('aria-pressed', String(pick === c));
    b.disabled = t.revealed;
    if (t.revealed && c === answer) b.dataset.answer = '';
    box.append(b);
  }
  if (t.revealed) {
    const v = document.createElement('p');
    v.className = 'verdict';
    v.dataset.testid = 'verdict';
    if (pick === undefined) v.textContent = `The answer: ${answer}.`;
    else if (pick === answer) {
      v.dataset.right = 'true';
      v.textContent = `You predicted ${pick}: right.`;
    } else {
      v.dataset.right = 'false';
      v.textContent = `You predicted ${pick}; the answer is ${answer}.`;
    }
    box.append(v);
  }
  return box;
}

/**
 * The learner's predictions so far: right, and asked.
* @param {Tour} t
 * @returns {{right: number, picked: number, questions: number}}
 */
function tally(t) {
  let right = 0;
  let questions = 0;
  t.steps.forEach((st, i) => {
    const s = /** @type {{choices?: string[], answer?: string | null}} */ (st);
    if (!s.choices?.length) return;
    questions++;
    if (t.picks.get(i) === s.answer) right++;
  });
  return { right, picked: t.picks.size, questions };
}

/**
 * The outline: every step by number (from 1) and its first words, to jump to.
 * @param {Host} h
 * @param {Tour} t
 */
function renderOutline(h, t) {
  const list = h.el('#tour-outline-list');
  if (list.dataset.tour !== t.name) {
    list.dataset.tour = t.name;
    list.replaceChildren(
      ...t.steps.map((st, i) => {
        const li = document.createElement('li');
        const b = document.createElement('button');
        b.type = 'button';
        b.dataset.step = String(i);
        const words = st.ask ?? st.say[0] ?? st.lines.find((l) => !l.startsWith('expect')) ?? '';
        b.textContent = `${i + 1}. ${words.length > 70 ? words.slice(0, 69) + '…' : words}`;
        li.append(b);
        return li;
      }),
    );
  }
  list.querySelectorAll('button[data-step]').forEach((b) => {
    const here = Number(/** @type {HTMLElement} */ (b).dataset.step) === t.index;
    if (here) b.setAttribute('aria-current', 'step');
    else b.removeAttribute('aria-current');
  });
}

/**
 * At the last step, the end of the tour: the offer of the next one in teaching order.
 * @param {Host} h
 * @param {Tour} t
 * @param {boolean} last
 */
function renderEnd(h, t, last) {
  const end = h.el('#tour-end');
  end.hidden = !last;
  if (!last) return;
  const at = TOURS.findIndex((x) => x.file === t.name + '.vms');
  const next = at >= 0 ? TOURS[at + 1] : undefined;
  const p = document.createElement('p');
  p.textContent = 'The end of this tour.';
  const { right, picked, questions } = tally(t);
  if (questions) {
    p.dataset.testid = 'tally';
    p.textContent += picked ? ` Your predictions: ${right} of ${questions} right.` : ` It asked ${plural(questions, 'question')}.`;
  }
  if (next) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'primary';
    b.dataset.tour = next.file.replace(/\.vms$/, '');
    b.dataset.testid = 'next-tour';
    b.textContent = `Next tour: ${next.title} ▶`;
    end.replaceChildren(p, b);
  } else {
    p.textContent += ' It was the last one.';
    end.replaceChildren(p);
  }
}
