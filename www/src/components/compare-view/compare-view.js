// @ts-check
/**
 * `<vmsync-compare-view>`: the live timeline's operations replayed under every kernel era
 * of its mode (and any strategy the user adds), side by side. A table with a row per
 * operation and a column per era: the outcome in words and a glyph, and the drift (kernel
 * slots out of step, summed over the processes); under it each era's totals and a button
 * that makes that era the live machine. The first row where the eras part is marked and
 * said in words. Selecting a row shows each era's processes' kernel slots after that step
 * (`<vmsync-compare-step>`). The whole table is one engine call (`compareText`).
 *
 * Usage:
 *   registerCompareView();
 *   const v = document.createElement('vmsync-compare-view');
 *   v.choices = [['lazy', 'lazy: fill on fault'], ...];   // what "Add a strategy" offers
 *                                    // (unset: the catalog's building blocks)
 *   v.update({ text, config, ops, live: 'era:5.3', palette, readOnly: false });
 *   v.recolour(palette);                                    // a theme change
 *   v.addEventListener('make-live', (e) => rebuild(e.detail.strategy));   // replaying
 *
 * Test hooks: `[data-testid="compare-table"]`, `tr[data-row][data-parts][data-first-parting]`,
 * `td[data-policy][data-outcome][data-drift]`, `th[data-policy][data-live]`,
 * `tr[data-total] td[data-policy][data-value]`,
 * `[data-testid="compare-parting"]`, `[data-testid="compare-add"]`.
 */
import { compareText } from '../../compare.js';
import { catalog } from '../../engine.js';
import { strategyChoices } from '../../lib/vocab.js';
import { bytes, count } from '../../lib/format.js';
import { compareOutcome } from '../../lib/words.js';
import { registerCompareStep } from './compare-step.js';
import { h } from '../dom.js';

/** @typedef {import('../../compare.js').Comparison} Comparison */
/** @typedef {import('../../lib/colours.js').Palette} Palette */

/**
 * @typedef {object} CompareInput
 * @property {string} text the timeline's scenario text up to its cursor
 * @property {Record<string, unknown>} config the live machine's configuration (config JSON)
 * @property {any[]} ops the operations of `text`, as op objects
 * @property {string} live the live machine's strategy
 * @property {Palette} palette
 * @property {boolean} [readOnly] no "Make this the live machine" buttons
 */

/** The totals under the table: [cell field, label, format]. */
const TOTALS = /** @type {const} */ ([
  ['entries_copied', 'entries copied', count],
  ['directories_visited', 'directories visited', count],
  ['faults_fixed', 'faults fixed', count],
  ['oopses', 'oopses', count],
  ['stale_accesses', 'stale accesses', count],
  ['bugs', 'BUG_ONs', count],
  ['table_bytes', 'page-table bytes', bytes],
]);

let uid = 0;

export class CompareView extends HTMLElement {
  /** @type {[string, string][]} */
  #choices = [];
  /** @type {string[]} strategies the user added, in order */
  #extras = [];
  /** @type {Map<string, string[]>} the default policies per config line (from the engine) */
  #defaults = new Map();
  /** @type {CompareInput | null} */
  #input = null;
  /** @type {Comparison | null} */
  #cmp = null;
  #selected = -1;
  #focusAfter = false;
  #id = `cmp${++uid}`;
  #head = h('div', { class: 'cmp-head' });
  #parting = h('p', { class: 'cmp-parting', role: 'status', 'data-testid': 'compare-parting' });
  #key = h('p', { class: 'note cmp-key' }, [
    h('span', { class: 'mark', 'aria-hidden': 'true' }, ['▶']),
    ' the first step where the columns part; a bar at the left: every step where they differ. Select a step for each column\'s tables after it.',
  ]);
  #add = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'compare-add' }));
  #chips = h('div', { class: 'cmp-chips' });
  #err = h('p', { class: 'error', role: 'alert', 'data-testid': 'compare-error' });
  #scroll = h('div', { class: 'cmp-scroll', role: 'region', tabindex: '0' });
  #notes = h('ul', { class: 'cmp-notes' });
  #step = /** @type {import('./compare-step.js').CompareStep} */ (/** @type {unknown} */ (h('vmsync-compare-step', { 'data-testid': 'compare-step' })));

  constructor() {
    super();
    this.#add.id = `${this.#id}-add`;
    this.#scroll.setAttribute('aria-label', 'Outcome and drift after each operation, one column per era');
    const label = h('label', { for: this.#add.id }, ['Add a strategy ', this.#add]);
    this.#head.append(this.#parting, h('div', { class: 'cmp-tools' }, [label, this.#chips]));
    this.#add.addEventListener('change', () => {
      const v = this.#add.value;
      if (v && !this.#extras.includes(v)) this.#extras.push(v);
      this.#refresh();
    });
    this.#scroll.addEventListener('click', (e) => this.#onClick(/** @type {MouseEvent} */ (e)));
    this.#chips.addEventListener('click', (e) => {
      const b = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (e.target).closest('[data-remove]'));
      if (!b) return;
      this.#extras = this.#extras.filter((x) => x !== b.dataset.remove);
      this.#refresh();
      this.#add.focus();
    });
  }

  connectedCallback() {
    if (this.childElementCount) return;
    const css = h('link', { rel: 'stylesheet', href: new URL('./compare-view.css', import.meta.url).href });
    this.append(css, this.#head, this.#err, this.#key, this.#scroll, this.#notes, this.#step);
  }

  /**
   * The strategies "Add a strategy" offers: [value, label] pairs; by default the engine
   * catalog's building blocks.
   */
  set choices(list) {
    this.#choices = list;
  }
  get choices() {
    return this.#choices.length ? this.#choices : strategyChoices(catalog(), 'block');
  }

  /**
   * Recomputes the comparison for the timeline's operations (one engine call, two when
   * strategies were added and the config line is new), and the selected row's grids.
   * Throws what the engine throws for a bad scenario (`ScriptError`, `InvalidConfig`).
   * @param {CompareInput} input
   */
  update(input) {
    this.#input = input;
    this.#refresh();
  }

  /** @param {Palette} palette */
  recolour(palette) {
    if (this.#input) this.#input = { ...this.#input, palette };
    this.#step.recolour(palette);
  }

  #refresh() {
    const input = this.#input;
    if (!input) return;
    this.#err.textContent = '';
    /** @type {string[]} */
    let policies = [];
    if (this.#extras.length) {
      const line = input.text.split('\n', 1)[0];
      let defaults = this.#defaults.get(line);
      if (!defaults) {
        // The config line alone: the engine names its default columns at no cost.
        defaults = compareText(line + '\n', []).columns.map((c) => c.policy);
        this.#defaults.set(line, defaults);
      }
      policies = [...defaults, ...this.#extras.filter((x) => !defaults.includes(x))];
    }
    this.#cmp = compareText(input.text, policies);
    if (this.#selected >= this.#cmp.rows.length) this.#selected = -1;
    this.#renderHead();
    this.#renderTable();
    this.#renderStep();
    if (this.#focusAfter) {
      this.#focusAfter = false;
      this.#scroll.focus();
    }
  }

  #renderHead() {
    const cmp = /** @type {Comparison} */ (this.#cmp);
    const allEras = cmp.columns.every((c) => c.policy.startsWith('era:'));
    const who = allEras ? 'The eras' : 'The strategies';
    const fp = cmp.first_parting;
    if (!cmp.rows.length) this.#parting.textContent = 'No operations yet: apply some, and each era runs them here.';
    else if (fp === null) this.#parting.textContent = `${who} never part on these operations: the same outcome and drift at every step.`;
    else this.#parting.textContent = `${who} part first at step ${fp + 1} (line ${cmp.rows[fp].line}): ${cmp.rows[fp].op}`;
    const shown = new Set(cmp.columns.map((c) => c.policy));
    const opts = [h('option', { value: '' }, ['choose…'])];
    for (const [v, l] of this.choices) if (!shown.has(v)) opts.push(h('option', { value: v }, [l]));
    this.#add.replaceChildren(...opts);
    this.#add.value = '';
    this.#chips.replaceChildren(
      ...this.#extras.map((x) => h('button', { type: 'button', class: 'chip', 'data-remove': x, 'aria-label': `Remove ${x} from the comparison` }, [`${x} ✕`])),
    );
  }

  #renderTable() {
    const cmp = /** @type {Comparison} */ (this.#cmp);
    const input = /** @type {CompareInput} */ (this.#input);
    if (!cmp.rows.length) {
      this.#scroll.replaceChildren();
      this.#scroll.hidden = true;
      this.#key.hidden = true;
      this.#notes.replaceChildren();
      return;
    }
    this.#scroll.hidden = false;
    this.#key.hidden = false;
    const cols = cmp.columns;
    const colId = (/** @type {number} */ j) => `${this.#id}-c${j}`;
    const head = h('tr', {}, [h('th', { scope: 'col' }, ['step, operation'])]);
    cols.forEach((c, j) => {
      const pol = h('span', { class: 'pol' }, [c.policy]);
      const th = h('th', { scope: 'col', id: colId(j), 'data-policy': c.policy }, [pol, h('span', { class: 'lab' }, [c.label])]);
      if (c.policy === input.live) {
        th.dataset.live = '';
        pol.append(' ', h('span', { class: 'live' }, ['live']));
      }
      if (c.refused) th.dataset.refused = '';
      head.append(th);
    });
    const body = cmp.rows.map((r, i) => {
      const pick = h('button', { type: 'button', class: 'pick', 'data-row': String(i), 'aria-pressed': String(i === this.#selected) }, [r.op]);
      const num = h('span', { class: 'num' }, [`${i + 1}`]);
      const tr = h('tr', { 'data-row': String(i) }, [h('th', { scope: 'row' }, [num, pick])]);
      if (r.parts) tr.dataset.parts = '';
      if (i === cmp.first_parting) {
        tr.dataset.firstParting = '';
        num.prepend(h('span', { class: 'mark', 'aria-hidden': 'true' }, ['▶']));
        pick.append(h('span', { class: 'sr-only' }, [' (the first step where they part)']));
      }
      if (i === this.#selected) tr.dataset.selected = '';
      cols.forEach((c, j) => {
        if (c.refused) {
          if (i === 0) tr.append(h('td', { class: 'refused', rowspan: String(cmp.rows.length), 'data-policy': c.policy }, [`Not run: ${c.refused}`]));
          return;
        }
        const cell = c.cells[i];
        const o = compareOutcome(cell.outcome);
        const td = h('td', { 'data-policy': c.policy, 'data-outcome': cell.outcome, 'data-drift': String(cell.drift), 'aria-describedby': colId(j) }, [
          h('span', { class: 'out' }, [h('span', { class: 'g', 'aria-hidden': 'true' }, [o.glyph]), ` ${o.word}`]),
          h('span', { class: 'drift', 'data-n': String(cell.drift) }, [`drift ${cell.drift}`]),
        ]);
        if (o.tone) td.dataset.tone = o.tone;
        if (cell.error) td.title = cell.error;
        tr.append(td);
      });
      return tr;
    });
    const foot = TOTALS.map(([k, label, fmt]) =>
      h('tr', { 'data-total': k }, [
        h('th', { scope: 'row' }, [label]),
        ...cols.map((c) => {
          const v = c.cells.at(-1)?.[k] ?? 0;
          return c.refused ? h('td', { 'data-policy': c.policy }, ['—']) : h('td', { 'data-policy': c.policy, 'data-value': String(v) }, [fmt(v)]);
        }),
      ]),
    );
    if (!input.readOnly) {
      foot.push(
        h('tr', { class: 'make' }, [
          h('th', { scope: 'row' }, ['live machine']),
          ...cols.map((c, j) => {
            if (c.refused) return h('td', {}, ['—']);
            const live = c.policy === input.live;
            const b = h('button', { type: 'button', 'data-make-live': c.policy, 'aria-describedby': colId(j) }, [live ? 'This is the live machine' : 'Make this the live machine']);
            if (live) b.setAttribute('disabled', '');
            return h('td', {}, [b]);
          }),
        ]),
      );
    }
    const table = h('table', { class: 'cmp', 'data-testid': 'compare-table' }, [
      h('caption', { class: 'sr-only' }, [`Each operation's outcome and drift under ${cols.length} strategies; totals after the last operation`]),
      h('thead', {}, [head]),
      h('tbody', {}, body),
      h('tfoot', {}, foot),
    ]);
    this.#scroll.replaceChildren(table);
    this.#notes.replaceChildren(
      ...cols.filter((c) => c.refused).map((c) => h('li', {}, [h('b', {}, [c.policy]), ` not run: ${c.refused}`])),
    );
  }

  #renderStep() {
    const cmp = /** @type {Comparison} */ (this.#cmp);
    const input = /** @type {CompareInput} */ (this.#input);
    const i = this.#selected;
    if (i < 0) {
      this.#step.clear('Select a step (its operation, in the table) to see each era\'s processes after it.');
      return;
    }
    this.#step.show({ comparison: cmp, row: i, config: input.config, ops: input.ops.slice(0, i + 1), palette: input.palette });
  }

  /** @param {MouseEvent} e */
  #onClick(e) {
    const t = /** @type {HTMLElement} */ (e.target);
    const make = /** @type {HTMLElement | null} */ (t.closest('[data-make-live]'));
    if (make) {
      this.#focusAfter = true;
      this.dispatchEvent(new CustomEvent('make-live', { detail: { strategy: make.dataset.makeLive }, bubbles: true, composed: true }));
      return;
    }
    const row = /** @type {HTMLElement | null} */ (t.closest('tr[data-row]'));
    if (!row) return;
    const i = Number(row.dataset.row);
    this.#selected = i === this.#selected && t.closest('.pick') ? -1 : i;
    this.#scroll.querySelectorAll('tr[data-row]').forEach((tr) => {
      const on = Number(/** @type {HTMLElement} */ (tr).dataset.row) === this.#selected;
      tr.toggleAttribute('data-selected', on);
      tr.querySelector('.pick')?.setAttribute('aria-pressed', String(on));
    });
    this.#renderStep();
  }
}

/** Registers `<vmsync-compare-view>` (once). */
export function registerCompareView() {
  registerCompareStep();
  if (!customElements.get('vmsync-compare-view')) customElements.define('vmsync-compare-view', CompareView);
}
