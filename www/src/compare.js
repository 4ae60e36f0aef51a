// @ts-check
/**
 * The engine calls of the compare view: the whole comparison of a timeline's operations
 * under several strategies (one `Playground.compare` call: the eras are never looped over
 * here), and, for one selected step, each strategy's machine after that step, read once
 * and freed. Like `timeline.js`, it only forwards to the engine wrapper and copies what it
 * reads; it never looks inside table entries.
 *
 * Usage:
 *   const c = compareText(timeline.scenarioText(), []);     // every era (+ own strategy)
 *   const machines = machinesAt(config, ['era:5.2', 'era:5.3'], ops.slice(0, row + 1));
 * @module
 */
import { Playground, STAT } from './engine.js';
import { isEngineError } from './engine-errors.js';

/**
 * @typedef {object} CompareCell
 * @property {string} outcome translated / fault-fixed / oops / stale / bug / refused / ok
 * @property {string} [error] why the operation was refused
 * @property {number} drift kernel slots out of step, summed over the processes
 * @property {number} entries_copied
 * @property {number} directories_visited
 * @property {number} faults_fixed
 * @property {number} oopses
 * @property {number} stale_accesses
 * @property {number} bugs
 * @property {number} table_bytes
 */

/**
 * @typedef {object} Comparison
 * @property {string} mode
 * @property {{line: number, op: string, parts: boolean}[]} rows one per operation
 * @property {{policy: string, label: string, refused?: string, cells: CompareCell[]}[]} columns
 * @property {number | null} first_parting the index in `rows` where the columns first part
 */

/**
 * A scenario's operations under `strategies` (empty: every era, then the scenario's own
 * strategy when it is a building block). Throws `ScriptError` or `InvalidConfig`.
 * @param {string} text
 * @param {string[]} strategies
 * @returns {Comparison}
 */
export function compareText(text, strategies) {
  return Playground.compare(text, strategies);
}

/**
 * @typedef {object} ProcessSlots one process's kernel slots in one machine
 * @property {string} name
 * @property {Uint8Array} cells a copy of its cell bytes
 * @property {number} missing
 * @property {number} stale
 * @property {number} different
 */

/**
 * @typedef {object} MachineAt one strategy's machine after a step
 * @property {string} policy
 * @property {Uint8Array} regions region code per kernel slot (a copy)
 * @property {ProcessSlots[]} processes in pid order
 * @property {string | null} error why the machine could not be built
 */

/**
 * Each strategy's machine after `ops` (an operation the engine refuses changes nothing
 * and the rest go on, as in the comparison): its processes' kernel slots, copied out of
 * wasm memory, and the machines freed again.
 * @param {Record<string, unknown>} config the live machine's configuration (config JSON)
 * @param {string[]} policies
 * @param {any[]} ops op objects
 * @returns {MachineAt[]}
 */
export function machinesAt(config, policies, ops) {
  return policies.map((policy) => {
    /** @type {Playground | null} */
    let pg = null;
    try {
      pg = Playground.create(/** @type {any} */ ({ ...config, strategy: policy }));
      for (const op of ops) {
        try {
          pg.apply(op);
        } catch (e) {
          if (!isEngineError(e)) throw e;
        }
      }
      const names = pg.processNames();
      const regions = new Uint8Array(pg.slotRegions());
      const stats = pg.processStats().slice();
      const processes = names.map((name, i) => {
        const o = i * STAT.FIELDS;
        return {
          name,
          cells: new Uint8Array(/** @type {Playground} */ (pg).cells(name)),
          missing: stats[o + STAT.MISSING],
          stale: stats[o + STAT.STALE],
          different: stats[o + STAT.DIFFERENT],
        };
      });
      return { policy, regions, processes, error: null };
    } catch (e) {
      if (!isEngineError(e)) throw e;
      return { policy, regions: new Uint8Array(0), processes: [], error: `${e.name}: ${e.message}` };
    } finally {
      pg?.free();
    }
  });
}
