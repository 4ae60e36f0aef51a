// @ts-check
/**
 * What the "In and out" panel's Export buttons save: the timeline as scenario text or
 * JSON, its figure as PNG or SVG (carrying the scenario), a table's ptdump, and every
 * step of a tour as numbered figures. Each returns what to say in the status line.
 *
 * Usage:
 *   const said = exportText(panel, timeline);
 *   const said = await exportFigure(panel, timeline, palette, 'png');
 *   const said = await exportTour(panel, 'lazy-fault.vms', 'svg', palette, (s) => status(s));
 * @module
 */
import { figureOf, tourFigure } from '../../io.js';
import { figureSvg } from '../../lib/figure.js';
import { plural } from '../../lib/format.js';
import { SCENARIO_KEYWORD, withPngText } from '../../lib/png-text.js';
import { TOURS, tourUrl } from '../../tours.js';
import { download, svgToPng } from './files.js';

/** @typedef {import('../../timeline.js').Timeline} Timeline */
/** @typedef {import('../../lib/colours.js').Palette} Palette */
/** @typedef {import('../../lib/figure.js').Figure} Figure */

/** Device pixels per figure pixel in a PNG: sharp on slides and in print. */
const PNG_SCALE = 2;

/**
 * A file name stem for the live state: `vmsync-pae-3ops`.
 * @param {Timeline} s
 */
function stem(s) {
  return `vmsync-${s.layout.mode}-${s.position}ops`;
}

/**
 * @param {Element} host
 * @param {Timeline} s
 */
export function exportText(host, s) {
  const name = `${stem(s)}.vms`;
  download(host, name, s.scenarioText(), 'text/plain');
  return `Saved ${name}: the scenario text.`;
}

/**
 * @param {Element} host
 * @param {Timeline} s
 */
export function exportJson(host, s) {
  const name = `${stem(s)}.json`;
  const json = JSON.stringify(JSON.parse(s.playground.scenarioJson()), null, 2) + '\n';
  download(host, name, json, 'application/json');
  return `Saved ${name}: the scenario as JSON.`;
}

/**
 * A figure as a file: SVG text, or a PNG with the scenario in a text chunk.
 * @param {Element} host
 * @param {Figure} fig
 * @param {Palette} palette
 * @param {'png' | 'svg'} format
 * @param {string} name
 */
async function saveFigure(host, fig, palette, format, name) {
  const svg = figureSvg(fig, palette);
  if (format === 'svg') {
    download(host, name, svg, 'image/svg+xml');
    return;
  }
  const png = withPngText(await svgToPng(svg, PNG_SCALE), SCENARIO_KEYWORD, fig.scenario);
  download(host, name, png, 'image/png');
}

/**
 * @param {Element} host
 * @param {Timeline} s
 * @param {Palette} palette
 * @param {'png' | 'svg'} format
 */
export async function exportFigure(host, s, palette, format) {
  const name = `${stem(s)}.${format}`;
  await saveFigure(host, figureOf(s.playground), palette, format, name);
  return `Saved ${name}: the figure, carrying its scenario.`;
}

/**
 * The ptdump of a table's kernel half.
 * @param {Element} host
 * @param {Timeline} s
 * @param {string} process '' for the reference
 */
export function exportPtdump(host, s, process) {
  const text = s.playground.ptdump(process || null, null);
  const name = `${stem(s)}-ptdump-${process || 'reference'}.txt`;
  download(host, name, text, 'text/plain');
  return `Saved ${name}: the ptdump of ${process ? `process ${process}` : 'the reference'}'s kernel half.`;
}

/**
 * Every step of a built-in tour as a figure, `<tour>-01.png`, `-02.png`, …, one download
 * after another.
 * @param {Element} host
 * @param {string} file the tour's file name
 * @param {'png' | 'svg'} format
 * @param {Palette} palette
 * @param {(said: string) => void} progress
 */
export async function exportTour(host, file, format, palette, progress) {
  const meta = TOURS.find((t) => t.file === file);
  if (!meta) return 'Choose a tour first.';
  const res = await fetch(tourUrl(file));
  if (!res.ok) throw Object.assign(new Error(`the tour ${file} could not be loaded: HTTP ${res.status}`), { name: 'NotFound' });
  const text = await res.text();
  const base = file.replace(/\.vms$/, '');
  /** @type {string[]} */
  const names = [];
  for (let i = 0, n = 1; i < n; i++) {
    const { figure, steps } = tourFigure(text, meta.title, i);
    n = steps;
    const name = `${base}-${String(i + 1).padStart(2, '0')}.${format}`;
    progress(`Saving step ${i + 1} of ${steps}…`);
    await saveFigure(host, figure, palette, format, name);
    names.push(name);
    // A breath between downloads, so that the browser takes each one.
    await new Promise((r) => setTimeout(r, 120));
  }
  return `Saved ${plural(names.length, 'figure')}, one per step: ${names[0]} to ${names.at(-1)}.`;
}
