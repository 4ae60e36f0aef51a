// @ts-check
/**
 * The scenario editor of the "In and out" panel: the timeline as scenario text in a plain
 * textarea with a gutter of line numbers, run up to any line (the cursor's line with
 * Ctrl+Enter, or a line typed in), errors marked in the gutter at their line and said
 * with their line and column, the caret's line and column always shown. The text stays
 * the user's once edited: the timeline's changes then wait for "Show the timeline's text".
 *
 * Usage:
 *   const ed = new ScenarioEditor(container, 'io1', (text, line) => runOrError(text));
 *   ed.sync(timeline.timelineText(), timeline.position + 1, own);   // after a timeline change
 *   ed.setText(imported, lastLine, errorAt);                       // an import, run or not
 *
 * Test hooks: `[data-testid="editor"][data-at][data-error-line][data-error-column]
 * [data-dirty]`, `editor-text`, `editor-caret`, `editor-line`, `editor-run-*`,
 * `editor-error`, `editor-reset`.
 */
import { lineColumnOf, linesUpTo, offsetOf } from '../../lib/import.js';
import { h } from '../dom.js';

/** @typedef {import('../../lib/import.js').ErrorAt} ErrorAt */

/** Line height of the textarea and the gutter, in CSS pixels (also in io-panel.css). */
const LINE = 18;

export class ScenarioEditor {
  #root;
  #text = /** @type {HTMLTextAreaElement} */ (h('textarea', { spellcheck: 'false', wrap: 'off', autocomplete: 'off', autocapitalize: 'off', 'data-testid': 'editor-text' }));
  #gutter = h('div', { class: 'ed-gutter', 'aria-hidden': 'true' });
  #caret = h('span', { class: 'note', 'data-testid': 'editor-caret' });
  #atNote = h('span', { class: 'note', 'data-testid': 'editor-at' });
  #line = /** @type {HTMLInputElement} */ (h('input', { type: 'number', min: '1', inputmode: 'numeric', 'data-testid': 'editor-line' }));
  #err = h('p', { class: 'error', role: 'alert', 'data-testid': 'editor-error' });
  /** The timeline's text and line as last seen: the text is the user's when it differs. */
  #timeline = '';
  #timelineAt = 0;
  /** The line the timeline has run to (0: unknown). */
  #at = 0;
  /** @type {ErrorAt | null} */
  #error = null;
  #lines = 0;
  /** @type {(text: string, line: number) => Promise<ErrorAt | null>} */
  #run;
  /** @type {HTMLButtonElement[]} the run buttons, disabled while a run is going */
  #buttons = [];

  /**
   * @param {HTMLElement} host where the editor's markup goes
   * @param {string} id a prefix for its ids, unique in the shadow root
   * @param {(text: string, line: number) => Promise<ErrorAt | null>} run runs the text (the
   *   first `line` lines of the editor) in the timeline; resolves to the engine's error in
   *   words, or null
   */
  constructor(host, id, run) {
    this.#run = run;
    const head = h('h3', { id: `${id}-ed-h` }, ['Scenario editor']);
    const help = h('p', { class: 'note', id: `${id}-ed-help` }, [
      'The timeline as scenario text. Edit it, then run it up to a line: the cursor\'s line (Ctrl+Enter) or any line. The lines after it stay here, not run. Running is one action: Undo takes it back.',
    ]);
    this.#text.id = `${id}-ed-text`;
    this.#text.setAttribute('aria-labelledby', head.id);
    this.#text.setAttribute('aria-describedby', `${help.id} ${id}-ed-err`);
    this.#text.setAttribute('aria-keyshortcuts', 'Control+Enter');
    this.#err.id = `${id}-ed-err`;
    this.#line.id = `${id}-ed-line`;
    const btn = (/** @type {string} */ testid, /** @type {string} */ label, /** @type {() => void} */ fn) => {
      const b = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', 'data-testid': testid }, [label]));
      b.addEventListener('click', fn);
      this.#buttons.push(b);
      return b;
    };
    this.#root = h('div', { class: 'io-editor', 'data-testid': 'editor' }, [
      head,
      help,
      h('div', { class: 'ed-wrap' }, [this.#gutter, this.#text]),
      h('div', { class: 'row ed-status' }, [this.#caret, this.#atNote]),
      h('div', { class: 'row' }, [
        btn('editor-run-cursor', 'Run to the cursor\'s line', () => this.runTo(this.#caretLine())),
        h('label', { for: this.#line.id }, ['Line ', this.#line]),
        btn('editor-run-line', 'Run to this line', () => this.runTo(Number(this.#line.value) || 1)),
        btn('editor-run-all', 'Run it all', () => this.runTo(this.#lineCount())),
        btn('editor-reset', 'Show the timeline\'s text', () => this.#reset()),
      ]),
      this.#err,
    ]);
    host.append(this.#root);
    this.#text.addEventListener('input', () => {
      if (this.#error) this.#setError(null);
      this.#refresh();
    });
    this.#text.addEventListener('scroll', () => (this.#gutter.scrollTop = this.#text.scrollTop));
    for (const ev of ['keyup', 'click', 'focus', 'select']) this.#text.addEventListener(ev, () => this.#showCaret());
    this.#text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.runTo(this.#caretLine());
      }
    });
    this.#line.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.runTo(Number(this.#line.value) || 1);
      }
    });
    this.#refresh();
  }

  /** The editor's text. */
  get value() {
    return this.#text.value;
  }

  /** Whether the text differs from the timeline's (edited, imported, or partly run). */
  get dirty() {
    return this.#text.value !== this.#timeline;
  }

  /**
   * The timeline changed: shows its text, at line `at`, unless the text is the user's
   * (then only the position mark goes, the timeline having moved away from the text).
   * `own`: the change is this editor's own run (or the panel's import), whose text stays.
   * @param {string} text
   * @param {number} at
   * @param {boolean} [own]
   */
  sync(text, at, own = false) {
    const changed = text !== this.#timeline || at !== this.#timelineAt;
    const edited = this.dirty;
    this.#timeline = text;
    this.#timelineAt = at;
    if (own || !changed) {
      this.#refresh();
      return;
    }
    if (edited) this.#at = 0;
    else {
      this.#text.value = text;
      this.#at = at;
      this.#setError(null);
    }
    this.#refresh();
  }

  /**
   * Replaces the text (an import): run up to line `at` (0: not run), or stopped at an error.
   * @param {string} text
   * @param {number} at
   * @param {ErrorAt | null} [error]
   */
  setText(text, at, error = null) {
    this.#text.value = text;
    this.#at = at;
    this.#setError(error);
    this.#refresh();
  }

  /**
   * Runs the first `n` lines in the timeline; an error is marked at its line and column.
   * @param {number} n
   * @returns {Promise<void>}
   */
  async runTo(n) {
    if (this.#root.hasAttribute('aria-busy')) return;
    const line = Math.max(1, Math.min(this.#lineCount(), Math.trunc(n)));
    this.#line.value = String(line);
    const text = this.#text.value;
    this.#busy(true);
    try {
      const err = await this.#run(linesUpTo(text, line), line);
      this.#setError(err);
      if (!err) this.#at = line;
    } finally {
      this.#busy(false);
    }
    this.#refresh();
  }

  /** @param {boolean} on */
  #busy(on) {
    this.#root.toggleAttribute('aria-busy', on);
    for (const b of this.#buttons) if (b.dataset.testid !== 'editor-reset') b.disabled = on;
  }

  #reset() {
    this.setText(this.#timeline, this.#timelineAt);
    this.#text.focus();
  }

  /** @param {ErrorAt | null} err */
  #setError(err) {
    this.#error = err;
    this.#text.toggleAttribute('aria-invalid', !!err);
    if (!err) {
      this.#err.replaceChildren();
      return;
    }
    if (err.line === null) {
      this.#err.replaceChildren(err.text);
      return;
    }
    const line = err.line;
    const col = err.column ?? 1;
    const go = h('button', { type: 'button', class: 'linkish', 'data-testid': 'editor-goto-error' }, ['Go to the error']);
    go.addEventListener('click', () => this.#select(line, col, true));
    this.#err.replaceChildren(h('span', {}, [err.text]), ' ', go);
    this.#select(line, col, false);
  }

  /**
   * Puts the caret at a line and column, scrolled into view.
   * @param {number} line
   * @param {number} column
   * @param {boolean} focus
   */
  #select(line, column, focus) {
    const at = offsetOf(this.#text.value, line, column);
    if (focus) this.#text.focus();
    this.#text.setSelectionRange(at, at);
    const top = (line - 1) * LINE;
    const ta = this.#text;
    if (top < ta.scrollTop || top > ta.scrollTop + ta.clientHeight - 2 * LINE) ta.scrollTop = Math.max(0, top - 2 * LINE);
    this.#showCaret();
  }

  #lineCount() {
    const t = this.#text.value;
    const n = t.split('\n').length;
    return t.endsWith('\n') ? Math.max(1, n - 1) : n;
  }

  #caretLine() {
    return lineColumnOf(this.#text.value, this.#text.selectionStart).line;
  }

  #showCaret() {
    const { line, column } = lineColumnOf(this.#text.value, this.#text.selectionStart);
    this.#caret.textContent = `Line ${line}, column ${column}`;
  }

  /** Line numbers and marks in the gutter, the state as data attributes, the notes. */
  #refresh() {
    const n = this.#lineCount();
    const errLine = this.#error?.line ?? 0;
    const at = this.#at > n ? 0 : this.#at;
    this.#root.dataset.at = String(at);
    this.#root.dataset.dirty = String(this.dirty);
    this.#root.toggleAttribute('data-error-line', !!errLine);
    if (errLine) this.#root.dataset.errorLine = String(errLine);
    if (errLine && this.#error?.column) this.#root.dataset.errorColumn = String(this.#error.column);
    else delete this.#root.dataset.errorColumn;
    this.#line.max = String(n);
    if (!this.#line.value) this.#line.value = String(n);
    const key = `${n}:${at}:${errLine}`;
    if (this.#gutter.dataset.key !== key || n !== this.#lines) {
      this.#lines = n;
      this.#gutter.dataset.key = key;
      const width = String(n).length;
      /** @type {(Node | string)[]} */
      const parts = [];
      let plain = '';
      for (let i = 1; i <= n; i++) {
        const num = String(i).padStart(width);
        if (i === errLine || i === at) {
          if (plain) parts.push(plain);
          plain = '';
          const err = i === errLine;
          parts.push(h('span', { class: err ? 'mark err' : 'mark at', title: err ? 'the error' : 'the timeline is here' }, [`${err ? '✖' : '▶'}${num}`]));
          parts.push('\n');
        } else plain += ` ${num}\n`;
      }
      if (plain) parts.push(plain);
      this.#gutter.replaceChildren(...parts);
      this.#gutter.scrollTop = this.#text.scrollTop;
    }
    this.#atNote.textContent = at ? `The timeline is at line ${at}${at < n ? ` (of ${n}: the lines after it are not run)` : ''}.` : this.#text.value ? 'Not run yet.' : '';
    this.#showCaret();
  }
}
