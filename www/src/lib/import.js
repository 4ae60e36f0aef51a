// @ts-check
/**
 * What a user brings to the page (a file, a paste, a drop), told apart and opened up:
 * scenario text, a scenario in JSON form, or a figure vmsync exported (a PNG with the
 * scenario in a text chunk, an SVG with it in its metadata). The engine does the rest:
 * JSON becomes text with `scenarioTextOf`, text runs with `fromScenario`.
 *
 * And the words for an engine error at its place: `line 3, column 8: ...`.
 *
 * Pure functions: no DOM, no engine.
 *
 * Usage:
 *   const { kind, text } = extractScenario(bytes);   // throws ImportError
 *   const { line, column, text } = errorAt(e);        // an engine error, in words
 * @module
 */
import { SCENARIO_KEYWORD, isPng, readPngText } from './png-text.js';
import { svgScenario } from './figure.js';

/** The largest file opened, in bytes (a figure of many processes is a few MiB). */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

/**
 * @typedef {object} Extracted
 * @property {'text' | 'json' | 'png' | 'svg'} kind what it was
 * @property {string} text the scenario (text, or JSON for the engine to turn into text)
 */

/** @param {string} message */
function importError(message) {
  const e = new Error(message);
  e.name = 'ImportError';
  return e;
}

/**
 * Which kind of text this is: JSON (starting with `{`), an SVG document, or scenario text.
 * @param {string} text
 * @returns {'json' | 'svg' | 'text'}
 */
export function textKind(text) {
  const t = text.trimStart();
  if (t.startsWith('{')) return 'json';
  if (t.startsWith('<') && /<svg[\s>]/i.test(t)) return 'svg';
  return 'text';
}

/**
 * The scenario that a text (pasted or dropped) holds: itself, or an SVG's metadata.
 * Throws `ImportError` for an SVG without a scenario or other markup.
 * @param {string} input
 * @returns {Extracted}
 */
export function extractFromText(input) {
  const text = input.replace(/^\ufeff/, '');
  const kind = textKind(text);
  if (kind === 'svg') {
    const s = svgScenario(text);
    if (s === null) throw importError('this SVG carries no vmsync scenario (only figures exported by vmsync do)');
    return { kind: 'svg', text: s };
  }
  if (kind === 'text' && text.trimStart().startsWith('<')) {
    throw importError('this is markup, not a scenario: open scenario text, JSON, or a PNG or SVG figure exported by vmsync');
  }
  return { kind, text };
}

/**
 * The scenario in a file's bytes. Throws `ImportError` for a file too large, a PNG or SVG
 * without a scenario, a PNG that is damaged, or binary data.
 * @param {Uint8Array} bytes
 * @returns {Extracted}
 */
export function extractScenario(bytes) {
  if (bytes.length > MAX_IMPORT_BYTES) throw importError(`the file is too large (${bytes.length} bytes; at most ${MAX_IMPORT_BYTES})`);
  if (isPng(bytes)) {
    /** @type {Map<string, string>} */
    let texts;
    try {
      texts = readPngText(bytes);
    } catch (e) {
      throw importError(`this PNG cannot be read: ${e instanceof Error ? e.message : e}`);
    }
    const s = texts.get(SCENARIO_KEYWORD);
    if (s === undefined) throw importError('this PNG carries no vmsync scenario (only figures exported by vmsync do)');
    return { kind: 'png', text: s };
  }
  if (bytes.includes(0)) throw importError('this is a binary file: open scenario text, JSON, or a PNG or SVG figure exported by vmsync');
  return extractFromText(new TextDecoder('utf-8').decode(bytes));
}

/**
 * @typedef {object} ErrorAt an error in words, at its place
 * @property {number | null} line 1-based, when known
 * @property {number | null} column 1-based, when known
 * @property {string} text `line 3, column 8: ...` (or the message alone when unplaced)
 */

/**
 * Where an engine error is (its numeric `line` and `column` properties) and what it says,
 * with the place written once in front: `line 3, column 8: unknown word 'frob'; ...`.
 * @param {unknown} e
 * @returns {ErrorAt}
 */
export function errorAt(e) {
  const err = /** @type {{line?: unknown, column?: unknown, message?: unknown}} */ (e ?? {});
  const pos = (/** @type {unknown} */ v) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null);
  const line = pos(err.line);
  const column = line === null ? null : pos(err.column);
  // The engine's message may start with the place already; say it once, in one form.
  const message = String(err.message ?? e).replace(/^line \d+(, column \d+)?: /, '');
  const where = line === null ? '' : column === null ? `line ${line}: ` : `line ${line}, column ${column}: `;
  return { line, column, text: where + message };
}

/**
 * The offset in `text` of a 1-based line and column (clamped to the text).
 * @param {string} text
 * @param {number} line
 * @param {number} [column]
 * @returns {number}
 */
export function offsetOf(text, line, column = 1) {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return text.length;
    at = nl + 1;
  }
  const end = text.indexOf('\n', at);
  const lineEnd = end < 0 ? text.length : end;
  return Math.min(lineEnd, at + Math.max(0, column - 1));
}

/**
 * The 1-based line and column of an offset in `text`.
 * @param {string} text
 * @param {number} offset
 * @returns {{line: number, column: number}}
 */
export function lineColumnOf(text, offset) {
  const before = text.slice(0, Math.max(0, offset));
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: before.length - nl };
}

/**
 * The first `n` lines of a text, ending in a newline (what "run to line n" runs).
 * @param {string} text
 * @param {number} n
 * @returns {string}
 */
export function linesUpTo(text, n) {
  return text.replace(/\r\n?/g, '\n').split('\n').slice(0, Math.max(0, n)).join('\n') + '\n';
}
