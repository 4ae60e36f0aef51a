// @ts-check
/**
 * The engine calls of the "In and out" panel: a JSON scenario turned into text, and the
 * figure of a machine (every table's cells copied out of wasm memory, with the names,
 * drift counts and row addresses the figure prints), for the live timeline or for a
 * tour's step run in a machine of its own and freed. Like `compare.js`, it forwards to
 * the engine wrapper and copies what it reads; it never looks inside table entries.
 *
 * Usage:
 *   const text = textOf(pastedJsonOrText);          // throws ScriptError at line, column
 *   const fig = liveFigure(timeline);               // then figureSvg(fig, palette)
 *   const figs = tourFigure(tourText, 'Tour title', 2);
 * @module
 */
import { Playground, STAT, catalog, opText, scenarioTextOf } from './engine.js';
import { modeInfo } from './lib/vocab.js';
import { addr, plural, toBig } from './lib/format.js';
import { figureCols } from './lib/figure.js';
import { prefixText, splitTour } from './lib/tour.js';

/** @typedef {import('./lib/figure.js').Figure} Figure */

/**
 * Scenario text from what a user brings: JSON becomes canonical text, text stays as it
 * is. Throws `ScriptError` (with numeric `line` and `column`) or `LimitExceeded`.
 * @param {string} input
 * @returns {string}
 */
export function textOf(input) {
  return scenarioTextOf(input);
}

/**
 * The drift of a process in words: `1 missing, 2 stale`, or `in step`.
 * @param {number} missing
 * @param {number} stale
 * @param {number} different
 * @returns {string}
 */
function driftWords(missing, stale, different) {
  const parts = [];
  if (missing) parts.push(`${missing} missing`);
  if (stale) parts.push(`${stale} stale`);
  if (different) parts.push(`${different} different`);
  return parts.length ? parts.join(', ') : 'in step';
}

/**
 * The figure of a machine as it is now.
 * @param {Playground} pg
 * @param {{title?: string, caption?: string[], scenario?: string}} [words] what to print
 *   above the grids (default: the mode, the strategy and the operations) and the text
 *   the figure carries (default: the applied operations)
 * @returns {Figure}
 */
export function figureOf(pg, words = {}) {
  const layout = pg.layout();
  const wide = modeInfo(catalog(), layout.mode)?.bits === 64;
  const json = JSON.parse(pg.scenarioJson());
  const ops = /** @type {any[]} */ (json.steps ?? []);
  const regions = new Uint8Array(pg.slotRegions());
  const names = pg.processNames();
  const stats = pg.processStats().slice();
  const level = String(layout.sync_level).toUpperCase();
  const grids = [{ title: 'Reference', sub: 'init_mm (swapper_pg_dir)', cells: new Uint8Array(pg.cells(null)) }];
  names.forEach((name, i) => {
    const o = i * STAT.FIELDS;
    const drift = driftWords(stats[o + STAT.MISSING], stats[o + STAT.STALE], stats[o + STAT.DIFFERENT]);
    grids.push({ title: name, sub: `pid ${stats[o + STAT.PID]} · ${drift}`, cells: new Uint8Array(pg.cells(name)) });
  });
  const cols = figureCols(regions.length);
  const base = toBig(pg.describe(null, 0).va) ?? 0n;
  const span = toBig(layout.slot_span) ?? 0n;
  const rowLabels = [];
  for (let r = 0; r * cols < regions.length; r++) rowLabels.push(addr(BigInt.asUintN(64, base + BigInt(r * cols) * span), wide).slice(2));
  const recent = ops.slice(-8).map(opText).join(' · ');
  const caption = words.caption ? [...words.caption] : [
    ops.length ? `After ${plural(ops.length, 'operation')}${ops.length > 8 ? ', the last eight' : ''}: ${recent}.` : 'The machine as booted, before any operation.',
  ];
  caption.push(`${plural(regions.length, level + ' slot')} per table, ${cols} to a row; the reference table, then ${plural(names.length, 'process', 'processes')}.`);
  return {
    title: words.title ?? `vmsync: ${layout.mode}, ${json.config?.strategy ?? ''}`.replace(/, $/, ''),
    caption,
    regions,
    cols,
    rowLabels,
    grids,
    scenario: words.scenario ?? pg.scenarioText(),
  };
}

/**
 * The figure of a tour's step `index` (0-based), its answer revealed: the tour's text up
 * to the end of the step, run in a machine of its own (freed again). Throws the engine's
 * error when the tour's text does not run.
 * @param {string} tourText the tour file
 * @param {string} title the tour's title
 * @param {number} index
 * @returns {{figure: Figure, steps: number}}
 */
export function tourFigure(tourText, title, index) {
  const { steps, lines } = splitTour(tourText);
  const step = steps[index];
  const text = prefixText(lines, step.end);
  const pg = Playground.fromScenario(text);
  try {
    const said = step.ask ? [`Question: ${step.ask}`, ...step.say] : step.say;
    const ran = step.lines.filter((l) => !l.startsWith('expect'));
    const caption = [...said, ...(ran.length ? [`Ran: ${ran.join(' · ')}`] : [])];
    const figure = figureOf(pg, { title: `${title}: step ${index + 1} of ${steps.length}`, caption, scenario: text });
    return { figure, steps: steps.length };
  } finally {
    pg.free();
  }
}
