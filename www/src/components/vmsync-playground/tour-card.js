// @ts-check
/**
 * The parts of the tour card that are drawn from the tour alone: a question's choices
 * and the verdict on the prediction, the outline of every step, and the end of the tour
 * (the tally, and the next tour offered).
 * @module
 */
import { plural } from '../../lib/format.js';
import { TOURS } from '../../tours.js';

/** @typedef {import('./host.js').Host} Host */
/** @typedef {import('./tour-player.js').Tour} Tour */

/**
 * A question's choices: before the reveal, buttons to pick a prediction; after it, the
 * prediction against the engine's answer (read from the reveal's own checks).
 * @param {Tour} t
 * @param {string[]} choices
 * @param {string | null} answer
 * @returns {HTMLElement}
 */
export function choicesBox(t, choices, answer) {
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
export function renderOutline(h, t) {
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
export function renderEnd(h, t, last) {
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
