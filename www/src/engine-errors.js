// @ts-check
/**
 * Telling the engine's answers to bad input from crashes: an engine error is a real
 * `Error` whose `name` is one of the error kinds the engine's catalog names; anything
 * else thrown is a bug (a panic) and stops the page.
 *
 * Usage:
 *   try { timeline.apply(op); } catch (e) { if (!isEngineError(e)) throw e; show(e); }
 * @module
 */
import { catalog } from './engine.js';

/** @type {Set<string> | null} the engine's error kinds (`Error.name`), from its catalog */
let engineErrors = null;

/**
 * Whether `e` is an error the engine reports for bad input, of a kind its catalog names
 * (as opposed to a crash: anything else thrown is a bug, a panic).
 * @param {unknown} e
 * @returns {e is Error}
 */
export function isEngineError(e) {
  if (!(e instanceof Error)) return false;
  try {
    engineErrors ??= new Set(catalog().errors);
  } catch {
    return false; // No engine, so no engine error.
  }
  return engineErrors.has(e.name);
}
