// @ts-check
/**
 * `<vmsync-io-panel>`: "In and out". Export the timeline (scenario text, JSON), the view
 * as a figure (PNG or SVG in the page's theme, carrying its scenario), every step of a
 * tour as numbered figures, and a table's ptdump; import a file, a paste or a drop
 * (scenario text, JSON, or an exported figure) with its error at line and column; and
 * the scenario editor (`scenario-editor.js`). Everything it opens goes through the
 * playground's own path for scenarios (`load`), so Undo takes it back.
 *
 * Usage:
 *   registerIoPanel();
 *   panel.connect({ timeline: () => s, palette: () => PALETTES.light,
 *     selection: () => ({ process: 'A', slot: 3 }), load: (text) => errorOrNull, root: app });
 *   panel.update();   // after each timeline change (cheap while its <details> is closed)
 *
 * Drops anywhere on `root` are opened (files, or text dropped outside a text field);
 * `root[data-dropping]` is set while something is dragged over it.
 *
 * Test hooks: `[data-testid]` of `export-*`, `ptdump-table`, `tour-export-*`,
 * `export-status`, `import-file`, `import-paste`, `import-paste-open`, `import-error`,
 * `import-status`, and the editor's.
 */
import { isEngineError } from '../../engine-errors.js';
import { textOf } from '../../io.js';
import { errorAt, extractFromText, extractScenario } from '../../lib/import.js';
import { plural } from '../../lib/format.js';
import { TOURS } from '../../tours.js';
import { ScenarioEditor } from './scenario-editor.js';
import { carriesSomething, fromTransfer } from './files.js';
import { exportFigure, exportJson, exportPtdump, exportText, exportTour } from './exports.js';
import { h } from '../dom.js';

/** @typedef {import('../../timeline.js').Timeline} Timeline */
/** @typedef {import('../../lib/colours.js').Palette} Palette */
/** @typedef {import('../../lib/import.js').ErrorAt} ErrorAt */

/**
 * @typedef {object} IoOptions
 * @property {() => Timeline | null} timeline the live timeline
 * @property {() => Palette} palette the page's current theme colours
 * @property {() => {process: string, slot: number}} selection the selected slot ('' the reference, -1 none)
 * @property {(text: string) => Promise<Error | null>} load runs scenario text in the timeline
 *   (undoable, in slices); resolves to the engine's error, or null
 * @property {HTMLElement} root where files and text can be dropped
 */

/** What each kind of import is called in the status line. */
const KIND_WORDS = { text: 'scenario text', json: 'scenario JSON', png: 'a PNG figure', svg: 'an SVG figure' };

let uid = 0;

/** @param {string} text */
function lineCount(text) {
  const n = text.split('\n').length;
  return text.endsWith('\n') ? n - 1 : n;
}

export class IoPanel extends HTMLElement {
  /** @type {IoOptions | null} */
  #opts = null;
  #id = `io${++uid}`;
  #running = false;
  /** @type {HTMLDetailsElement | null} */
  #details = null;
  #table = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'ptdump-table' }));
  #tour = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'tour-export-select' }));
  #tourFormat = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'tour-export-format' }));
  #exportStatus = h('p', { class: 'note', role: 'status', 'data-testid': 'export-status' });
  #file = /** @type {HTMLInputElement} */ (h('input', { type: 'file', 'data-testid': 'import-file', accept: '.vms,.txt,.json,.png,.svg,text/plain,application/json,image/png,image/svg+xml' }));
  #paste = /** @type {HTMLTextAreaElement} */ (h('textarea', { class: 'paste', spellcheck: 'false', 'data-testid': 'import-paste' }));
  #importErr = h('p', { class: 'error', role: 'alert', 'data-testid': 'import-error' });
  #importStatus = h('p', { class: 'note', role: 'status', 'data-testid': 'import-status' });
  #editorBox = h('section', { class: 'io-edit' });
  /** @type {ScenarioEditor} */
  #editor;

  constructor() {
    super();
    this.#editor = new ScenarioEditor(this.#editorBox, this.#id, (text) => this.#load(text));
    for (const t of TOURS) this.#tour.append(h('option', { value: t.file }, [t.title]));
    this.#tourFormat.append(h('option', { value: 'png' }, ['PNG']), h('option', { value: 'svg' }, ['SVG']));
  }

  connectedCallback() {
    if (this.childElementCount) return;
    const id = this.#id;
    const button = (/** @type {string} */ testid, /** @type {string} */ label, /** @type {() => unknown} */ fn) => {
      const b = h('button', { type: 'button', 'data-testid': testid }, [label]);
      b.addEventListener('click', () => this.#exporting(fn));
      return b;
    };
    this.#table.id = `${id}-table`;
    this.#tour.id = `${id}-tour`;
    this.#tourFormat.id = `${id}-tour-format`;
    this.#file.id = `${id}-file`;
    this.#paste.id = `${id}-paste`;
    const exp = h('section', { class: 'io-export', 'aria-labelledby': `${id}-exp-h` }, [
      h('h3', { id: `${id}-exp-h` }, ['Export']),
      h('div', { class: 'row' }, [
        button('export-text', 'Scenario text', () => exportText(this, this.#s)),
        button('export-json', 'Scenario JSON', () => exportJson(this, this.#s)),
        button('export-png', 'Figure (PNG)', () => exportFigure(this, this.#s, this.#palette, 'png')),
        button('export-svg', 'Figure (SVG)', () => exportFigure(this, this.#s, this.#palette, 'svg')),
      ]),
      h('p', { class: 'note' }, ['Figures show the reference and every process with the legend, in the page\'s theme, and carry the scenario: drop one back on the page to reopen it.']),
      h('div', { class: 'row' }, [h('label', { for: this.#table.id }, ['ptdump of ', this.#table]), button('export-ptdump', 'Export ptdump', () => exportPtdump(this, this.#s, this.#ptdumpTable()))]),
      h('div', { class: 'row' }, [
        h('label', { for: this.#tour.id }, ['Tour ', this.#tour]),
        h('label', { for: this.#tourFormat.id }, ['as ', this.#tourFormat]),
        button('export-tour', 'Export every step', () =>
          exportTour(this, this.#tour.value, this.#tourFormat.value === 'svg' ? 'svg' : 'png', this.#palette, (said) => (this.#exportStatus.textContent = said)),
        ),
      ]),
      this.#exportStatus,
    ]);
    const imp = h('section', { class: 'io-import', 'aria-labelledby': `${id}-imp-h` }, [
      h('h3', { id: `${id}-imp-h` }, ['Import']),
      h('label', { for: this.#file.id, class: 'file' }, ['Open a file ', this.#file]),
      h('label', { for: this.#paste.id, class: 'block' }, ['or paste scenario text, JSON or an exported SVG (or paste a PNG figure here):']),
      this.#paste,
      h('div', { class: 'row' }, [
        (() => {
          const b = h('button', { type: 'button', 'data-testid': 'import-paste-open' }, ['Open the pasted text']);
          b.addEventListener('click', () => this.#importText(this.#paste.value, 'The pasted text').catch((x) => this.#failed(this.#importErr, x)));
          return b;
        })(),
        h('span', { class: 'note' }, ['or drop a file anywhere on the playground.']),
      ]),
      this.#importErr,
      this.#importStatus,
    ]);
    const css = h('link', { rel: 'stylesheet', href: new URL('./io-panel.css', import.meta.url).href });
    this.append(css, h('div', { class: 'io-cols' }, [exp, imp]), this.#editorBox);
    this.#file.addEventListener('change', () => {
      const f = this.#file.files?.[0];
      if (f) f.arrayBuffer().then((b) => this.#importBytes(new Uint8Array(b), f.name)).catch((e) => this.#failed(this.#importErr, e));
      this.#file.value = '';
    });
    this.#paste.addEventListener('paste', (e) => {
      const f = e.clipboardData?.files?.[0];
      if (!f) return;
      e.preventDefault();
      f.arrayBuffer().then((b) => this.#importBytes(new Uint8Array(b), f.name || 'The pasted file')).catch((x) => this.#failed(this.#importErr, x));
    });
    this.#details = this.closest('details');
    this.#details?.addEventListener('toggle', () => this.update());
  }

  /** @param {IoOptions} opts */
  connect(opts) {
    this.#opts = opts;
    const root = opts.root;
    const accepts = (/** @type {DragEvent} */ e) => !root.hasAttribute('data-readonly') && carriesSomething(e.dataTransfer);
    root.addEventListener('dragover', (e) => {
      if (!accepts(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      root.toggleAttribute('data-dropping', true);
    });
    root.addEventListener('dragleave', (e) => {
      const to = /** @type {Node | null} */ (e.relatedTarget);
      if (!to || !root.contains(to)) root.removeAttribute('data-dropping');
    });
    root.addEventListener('drop', (e) => {
      root.removeAttribute('data-dropping');
      if (!accepts(e)) return;
      const t = e.composedPath()[0];
      const field = t instanceof HTMLTextAreaElement || t instanceof HTMLInputElement;
      // Text dropped into a text field is the field's; files are always opened.
      if (field && !e.dataTransfer?.files.length) return;
      e.preventDefault();
      fromTransfer(e.dataTransfer)
        .then((got) => {
          if (!got) return;
          if ('bytes' in got) return this.#importBytes(got.bytes, got.name || 'The dropped file');
          return this.#importText(got.text, 'The dropped text');
        })
        .catch((x) => this.#failed(this.#importErr, x));
    });
  }

  /** The timeline changed: redraws what is shown, now if the panel is open, else when opened. */
  update() {
    if (this.#details && !this.#details.open) return;
    const s = this.#opts?.timeline();
    if (!s) return;
    const names = s.playground.processNames();
    const want = ['', '\u0001ref', ...names].join('\n');
    if (this.#table.dataset.names !== want) {
      const value = this.#table.value;
      this.#table.dataset.names = want;
      this.#table.replaceChildren(
        h('option', { value: '' }, ['the selected table']),
        h('option', { value: '\u0001ref' }, ['the reference']),
        ...names.map((n) => h('option', { value: n }, [n])),
      );
      if ([...this.#table.options].some((o) => o.value === value)) this.#table.value = value;
    }
    this.#editor.sync(s.playground.timelineText(), s.position + 1, this.#running);
  }

  // ---- export ----

  /** @returns {Timeline} */
  get #s() {
    const s = this.#opts?.timeline();
    if (!s) throw new Error('no timeline to export');
    return s;
  }

  /** @returns {Palette} */
  get #palette() {
    if (!this.#opts) throw new Error('the panel is not connected');
    return this.#opts.palette();
  }

  /**
   * Runs an export, saying in the status line what was saved or why it failed.
   * @param {() => unknown} fn returns (or resolves to) what to say
   */
  async #exporting(fn) {
    this.#exportStatus.classList.remove('error');
    try {
      const said = await fn();
      if (typeof said === 'string') this.#exportStatus.textContent = said;
    } catch (e) {
      this.#failed(this.#exportStatus, e);
    }
  }

  /** The table chosen for ptdump: the selected one, the reference ('') or a process. */
  #ptdumpTable() {
    const choice = this.#table.value;
    return choice === '' ? this.#opts?.selection().process ?? '' : choice === '\u0001ref' ? '' : choice;
  }

  // ---- import ----

  /**
   * @param {Uint8Array} bytes
   * @param {string} name
   */
  async #importBytes(bytes, name) {
    /** @type {import('../../lib/import.js').Extracted} */
    let ex;
    try {
      ex = extractScenario(bytes);
    } catch (e) {
      this.#importFailed(name, errorAt(e));
      return;
    }
    await this.#open(ex, name);
  }

  /**
   * @param {string} text
   * @param {string} from
   */
  async #importText(text, from) {
    /** @type {import('../../lib/import.js').Extracted} */
    let ex;
    try {
      ex = extractFromText(text);
    } catch (e) {
      this.#importFailed(from, errorAt(e));
      return;
    }
    await this.#open(ex, from);
  }

  /**
   * Opens an extracted scenario in the timeline. A scenario that fails goes to the editor
   * with its error marked; the timeline is unchanged.
   * @param {import('../../lib/import.js').Extracted} ex
   * @param {string} from
   */
  async #open(ex, from) {
    /** @type {string} */
    let text;
    try {
      text = textOf(ex.text);
    } catch (e) {
      if (!isEngineError(e)) throw e;
      this.#importFailed(from, errorAt(e));
      return;
    }
    const err = await this.#load(text);
    if (err) {
      this.#editor.setText(text, 0, err);
      this.#importFailed(from, err, ' It is in the editor below, the error marked.');
      return;
    }
    this.#editor.setText(text, lineCount(text));
    this.#importErr.replaceChildren();
    this.#importStatus.textContent = `Opened ${from} (${KIND_WORDS[ex.kind]}): ${plural(this.#s.position, 'operation')}. Undo takes it back.`;
  }

  /**
   * @param {string} from
   * @param {ErrorAt} err
   * @param {string} [more]
   */
  #importFailed(from, err, more = '') {
    this.#importStatus.textContent = '';
    this.#importErr.textContent = `${from} could not be opened: ${err.text.replace(/\.?$/, '.')}${more}`;
    // A drop or a paste elsewhere: show where the error is said.
    if (this.#details && !this.#details.open) this.#details.open = true;
  }

  /**
   * Runs text in the timeline through the playground's path; the engine's error in words.
   * @param {string} text
   * @returns {Promise<ErrorAt | null>}
   */
  async #load(text) {
    if (!this.#opts) return null;
    this.#running = true;
    try {
      const e = await this.#opts.load(text);
      return e ? errorAt(e) : null;
    } finally {
      this.#running = false;
    }
  }

  /**
   * Says an unexpected failure in place (and in the console: it is a bug).
   * @param {HTMLElement} where
   * @param {unknown} e
   */
  #failed(where, e) {
    const known = isEngineError(e) || (e instanceof Error && ['ImportError', 'NotFound', 'BadPng'].includes(e.name));
    if (!known) console.error(e);
    where.classList.add('error');
    where.textContent = `Failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
}

/** Registers `<vmsync-io-panel>` (once). */
export function registerIoPanel() {
  if (!customElements.get('vmsync-io-panel')) customElements.define('vmsync-io-panel', IoPanel);
}
