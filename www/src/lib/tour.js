// @ts-check
/**
 * Guided tours: a scenario file cut into steps for the tour player.
 *
 * The engine reads the tour and cuts it (`tourSteps` in engine.js, Rust's
 * `script::tour_steps`): a step is a run of operations with the `say` lines that explain
 * them; an `ask` line starts a checkpoint whose following lines are the reveal, and its
 * `choices` line offers answers, the right one read from the reveal's `expect` lines.
 * This module only cuts the text into lines, so that the state at a step is the engine
 * running the file's text up to the end of that step: a tour replays the same way every
 * time, forwards or backwards. The engine must be loaded (`loadEngine()`).
 * @module
 */
import { expectationWords, tourSteps } from '../engine.js';

/**
 * @typedef {import('../engine.js').EngineTourStep} TourStep one step: `say`, `ask`,
 *   `choices`, `answer`, `lines`, `expectations`, `start` and `end` (see engine.js)
 */

/**
 * The lines of a text as the engine counts them: split at `\n`, a `\r` before it
 * dropped.
 * @param {string} text
 * @returns {string[]}
 */
function linesOf(text) {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/**
 * Splits a tour file into steps (by the engine), with its lines and title. Throws the
 * engine's `ScriptError` for a text it does not read.
 * @param {string} text
 * @returns {{steps: TourStep[], lines: string[], title: string}}
 */
export function splitTour(text) {
  const { steps, title } = tourSteps(text);
  return { steps, lines: linesOf(text), title };
}

/**
 * The scenario text up to (and including) line `n`.
 * @param {string[]} lines
 * @param {number} n
 * @returns {string}
 */
export function prefixText(lines, n) {
  return lines.slice(0, n).join('\n') + '\n';
}

/**
 * Expectation lines in words, for the reveal of a checkpoint (by the engine; a step's
 * `expectations` holds the same for its lines).
 * @param {string[]} lines
 * @returns {string[]}
 */
export function expectations(lines) {
  return expectationWords(lines);
}
