// @ts-check
/**
 * The Metrics card of `<vmsync-playground>`: the engine's counters, in total and for the
 * last step, and a chart of the running totals over the timeline.
 * @module
 */
import { bytes, count } from '../../lib/format.js';

/** @typedef {import('./host.js').Host} Host */
/** @typedef {import('../metrics-chart/metrics-chart.js').MetricsChart} MetricsChart */

/** Metrics rows: [the catalog's metric name, label]. */
export const METRIC_ROWS = [
  ['entries_copied', 'entries copied (syncs, faults)'],
  ['entries_cloned', 'entries cloned at fork'],
  ['directories_visited', 'page directories visited'],
  ['sync_passes', 'sync passes'],
  ['faults_fixed', 'faults fixed up'],
  ['oopses', 'oopses'],
  ['stale_accesses', 'stale accesses'],
  ['bugs', 'BUG_ON()s in a sync'],
  ['tables_allocated', 'page-table pages allocated'],
  ['tables_freed', 'page-table pages freed'],
];

/** Chart series: [sample key, label, dash]. Colours come from the theme. */
const SERIES = [
  ['copied', 'entries copied', []],
  ['visited', 'directories visited', [6, 3]],
  ['faults', 'faults', [2, 2]],
  ['bytes', 'process page-table bytes', [8, 3, 2, 3]],
];
const SERIES_COLOURS = { light: ['#0b57d0', '#1e7a3c', '#b3261e', '#8a5a00'], dark: ['#8ab4f8', '#81c995', '#f2928b', '#f4c05a'] };

export class MetricsView {
  /** @type {Host} */
  #h;

  /** @param {Host} host */
  constructor(host) {
    this.#h = host;
  }

  /** @param {number} procBytes page-table bytes of all the processes */
  render(procBytes) {
    const s = this.#h.timeline();
    const pg = s.playground;
    const m = pg.metrics();
    const cur = s.position > 0 ? s.step(s.position - 1) : null;
    const table = this.#h.el('#metrics');
    const head = document.createElement('tr');
    for (const t of ['', 'total', 'last step']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = t;
      head.append(th);
    }
    const rows = METRIC_ROWS.map(([k, label]) => {
      const tr = document.createElement('tr');
      tr.dataset.metric = k;
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = label;
      const td = document.createElement('td');
      td.textContent = count(m[k] ?? 0);
      const td2 = document.createElement('td');
      td2.textContent = cur ? count(cur.metrics[k] ?? 0) : '—';
      tr.append(th, td, td2);
      return tr;
    });
    const bytesRow = document.createElement('tr');
    bytesRow.dataset.metric = 'process_table_bytes';
    const bth = document.createElement('th');
    bth.scope = 'row';
    bth.textContent = 'page-table bytes of the processes';
    const btd = document.createElement('td');
    btd.textContent = bytes(procBytes);
    const btd2 = document.createElement('td');
    btd2.textContent = '';
    bytesRow.append(bth, btd, btd2);
    const thead = document.createElement('thead');
    thead.append(head);
    const tbody = document.createElement('tbody');
    tbody.append(...rows, bytesRow);
    table.replaceChildren(thead, tbody);
    // Chart.
    const theme = this.#h.theme();
    const colours = SERIES_COLOURS[theme];
    const series = SERIES.map(([key, name, dash], i) => {
      const values = s.sampleSeries(/** @type {keyof import('../../timeline.js').Sample} */ (key));
      let max = 0;
      for (const v of values) if (v > max) max = v;
      return { name: /** @type {string} */ (name), colour: colours[i], dash: /** @type {number[]} */ (dash), values, max };
    });
    /** @type {MetricsChart} */ (this.#h.el('#chart')).update({
      series,
      cursor: s.position,
      grid: theme === 'dark' ? '#34363d' : '#d5d8de',
      ink: theme === 'dark' ? '#a9adb6' : '#55585f',
    });
    // The key: each line, and the maximum it is drawn to (its unit: entries, directories,
    // faults, bytes).
    const key = this.#h.el('#chart-key');
    key.replaceChildren(
      ...series.map((sr) => {
        const sp = document.createElement('span');
        const ic = document.createElement('i');
        ic.style.borderTopColor = sr.colour;
        ic.style.borderTopStyle = sr.dash.length ? 'dashed' : 'solid';
        const top = sr.name.includes('bytes') ? bytes(sr.max) : count(sr.max);
        sp.append(ic, document.createTextNode(`${sr.name} (top: ${top})`));
        return sp;
      }),
    );
  }
}
