// @ts-check
/**
 * The playground's state: one engine `Playground`, the timeline of operations applied to
 * it (with the events and metrics each one reported), the cursor in that timeline, and an
 * undo stack for the actions that would otherwise lose work (applying an operation after
 * stepping back, rebuilding with a new configuration, loading a scenario).
 *
 * This module and `compare.js` (the compare view's engine calls) are the only ones of the
 * views that call the engine wrapper (`engine.js`); neither looks inside table entries.
 * Views listen for `change` and read through the accessors, reading cell views at once
 * (they die on the next engine call).
 *
 * Usage:
 *   await Session.load();
 *   const s = Session.fromConfig({ mode: 'pae', ... });
 *   s.addEventListener('change', () => redraw(s));
 *   s.apply({ op: 'fork', name: 'A' });
 * @module
 */
import { loadEngine, Playground, STAT } from './engine.js';

export { STAT };

/** The engine's error kinds (`Error.name`): anything else thrown is a bug (a panic). */
export const ENGINE_ERRORS = new Set([
  'InvalidConfig',
  'OutOfVmallocSpace',
  'OutOfMemory',
  'BadAddress',
  'BadSize',
  'UnknownProcess',
  'UnknownAllocation',
  'UnsupportedOperation',
  'ScriptError',
  'ExpectationFailed',
  'LimitExceeded',
]);

/**
 * Whether `e` is an error the engine reports for bad input (as opposed to a crash).
 * @param {unknown} e
 * @returns {e is Error}
 */
export function isEngineError(e) {
  return e instanceof Error && ENGINE_ERRORS.has(e.name);
}

/**
 * @typedef {object} Sample metrics after a step, for the chart
 * @property {number} copied entries copied by syncs and fault fix-ups
 * @property {number} visited page directories visited by syncs
 * @property {number} faults faults fixed plus oopses
 * @property {number} bytes page-table bytes in total
 */

/**
 * @typedef {object} Step one applied operation
 * @property {any} op canonical op JSON
 * @property {any[]} events what it reported
 * @property {Record<string, bigint>} metrics its own counters
 * @property {{kind: string, value?: any}} value what it produced
 * @property {Sample} sample cumulative metrics after it
 */

/**
 * @typedef {object} Snapshot
 * @property {string} text scenario text up to the cursor
 * @property {any[]} future operations after the cursor
 * @property {Step[]} steps the whole timeline
 * @property {Sample} boot
 */

/**
 * A number from an engine value (BigInt, number or numeric string).
 * @param {unknown} v
 * @returns {number}
 */
function num(v) {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v !== '') return Number(v);
  return 0;
}

/**
 * Page-table bytes of all the processes, summed from a `processStats()` view (read at
 * once: the view dies on the next engine call).
 * @param {Uint32Array} stats
 * @returns {number}
 */
export function processTableBytes(stats) {
  let sum = 0;
  for (let o = STAT.TABLE_BYTES; o < stats.length; o += STAT.FIELDS) sum += stats[o];
  return sum;
}

export class Session extends EventTarget {
  /** @type {Playground} */
  #pg;
  /** @type {Step[]} */
  #steps = [];
  #pos = 0;
  /** @type {Sample} */
  #boot;
  /** @type {Snapshot[]} */
  #undo = [];
  /** @type {Snapshot[]} */
  #redo = [];
  /** @type {any} */
  #layout = null;
  /** @type {Uint8Array | null} */
  #regions = null;
  #generation = 0;

  /** Loads the wasm engine (once). */
  static async load() {
    await loadEngine();
  }

  /**
   * A session on a new machine.
   * @param {any} config Config JSON
   * @returns {Session}
   */
  static fromConfig(config) {
    return new Session(Playground.create(config));
  }

  /**
   * A session that has run a scenario; its operations become the timeline.
   * @param {string} text
   * @param {number} [at] the position to stop at (operations applied; default: all)
   * @returns {Session}
   */
  static fromScenario(text, at = undefined) {
    const s = new Session(Playground.fromScenario(text));
    s.#replayHistory();
    if (at !== undefined && at < s.#pos) s.#pos = s.#pg.seek(Math.max(0, at));
    return s;
  }

  /** @param {Playground} pg */
  constructor(pg) {
    super();
    this.#pg = pg;
    this.#boot = this.#sample();
    this.#refreshLayout();
  }

  /** The engine handle (read only: mutate through the session). */
  get playground() {
    return this.#pg;
  }

  /** Layout info (BigInt addresses), cached per machine. */
  get layout() {
    return this.#layout;
  }

  /** Region code per kernel slot (a copy). */
  get regions() {
    return /** @type {Uint8Array} */ (this.#regions);
  }

  /** Bumped whenever the machine (and so the layout) is replaced. */
  get generation() {
    return this.#generation;
  }

  /** Operations applied (the cursor). */
  get position() {
    return this.#pos;
  }

  /** Operations in the timeline, applied or not. */
  get length() {
    return this.#steps.length;
  }

  /** @returns {readonly Step[]} */
  get steps() {
    return this.#steps;
  }

  /** Metrics of the boot state. */
  get bootSample() {
    return this.#boot;
  }

  get canStepBack() {
    return this.#pos > 0;
  }
  get canStepForward() {
    return this.#pos < this.#steps.length;
  }
  get canUndo() {
    return this.#undo.length > 0;
  }
  get canRedo() {
    return this.#redo.length > 0;
  }

  /** The engine's state hash as hex (for tests and the share panel). */
  get stateHash() {
    return '0x' + BigInt(this.#pg.stateHash()).toString(16);
  }

  /**
   * Applies one operation. On an engine error nothing changes and the error is thrown.
   * Applying after stepping back discards the steps ahead (undoable with `undo()`).
   * @param {any} op
   * @returns {Step}
   */
  apply(op) {
    const snap = this.#snapshot();
    const res = this.#pg.apply(op);
    const step = this.#stepOf(op, res);
    this.#steps.length = this.#pos;
    this.#steps.push(step);
    this.#pos++;
    this.#undo.push(snap);
    this.#redo = [];
    this.#changed('apply');
    return step;
  }

  /** Moves the cursor one operation back (the engine's undo). */
  stepBack() {
    if (this.#pos === 0 || !this.#pg.undo()) return false;
    this.#pos--;
    this.#changed('step');
    return true;
  }

  /** Moves the cursor one operation forward (the engine's redo). */
  stepForward() {
    if (this.#pos >= this.#steps.length || !this.#pg.redo()) return false;
    this.#pos++;
    this.#changed('step');
    return true;
  }

  /**
   * Moves the cursor to `pos`.
   * @param {number} pos
   */
  goTo(pos) {
    const target = Math.max(0, Math.min(this.#steps.length, pos));
    if (target === this.#pos) return;
    const reached = this.#pg.seek(target);
    if (reached === this.#pos) return;
    this.#pos = reached;
    this.#changed('step');
  }

  /** Restores the state before the last action that changed the timeline. */
  undo() {
    const snap = this.#undo.pop();
    if (!snap) return false;
    this.#redo.push(this.#snapshot());
    this.#restore(snap);
    return true;
  }

  /** Re-does what `undo()` undid. */
  redo() {
    const snap = this.#redo.pop();
    if (!snap) return false;
    this.#undo.push(this.#snapshot());
    this.#restore(snap);
    return true;
  }

  /**
   * Replaces the machine with a new configuration, optionally replaying the applied
   * operations on it. Throws (changing nothing) when the configuration is invalid; a
   * replay that fails part-way keeps the operations that worked and reports the failure.
   * @param {any} config
   * @param {boolean} replay
   * @returns {{replayed: number, failed: {op: any, error: Error} | null}}
   */
  rebuild(config, replay) {
    const pg = Playground.create(config);
    const ops = replay ? this.#steps.slice(0, this.#pos).map((s) => s.op) : [];
    const snap = this.#snapshot();
    this.#swap(pg);
    /** @type {{op: any, error: Error} | null} */
    let failed = null;
    for (const op of ops) {
      try {
        this.#applyAtEnd(op);
      } catch (e) {
        if (!isEngineError(e)) throw e;
        failed = { op, error: e };
        break;
      }
    }
    this.#undo.push(snap);
    this.#redo = [];
    this.#changed('rebuild');
    return { replayed: this.#pos, failed };
  }

  /**
   * Replaces the machine with one that has run `text` (throws, changing nothing, when
   * the scenario does not parse or an expectation fails).
   * @param {string} text
   * @param {boolean} [undoable] whether `undo()` can come back to the current state
   * @param {number} [at] the position to stop at (operations applied; default: all)
   */
  loadScenario(text, undoable = true, at = undefined) {
    const pg = Playground.fromScenario(text);
    const snap = this.#snapshot();
    this.#swap(pg);
    this.#replayHistory();
    if (at !== undefined && at < this.#pos) this.#pos = this.#pg.seek(Math.max(0, at));
    if (undoable) {
      this.#undo.push(snap);
      this.#redo = [];
    }
    this.#changed('load');
  }

  /** Scenario text of the operations applied so far. */
  scenarioText() {
    return this.#pg.scenarioText();
  }

  /** Scenario text of the whole timeline: the applied operations and those after a step back. */
  timelineText() {
    return this.#pg.timelineText();
  }

  /** Releases the engine handle. */
  free() {
    this.#pg.free();
  }

  // ---- internals ----

  /** @param {Playground} pg */
  #swap(pg) {
    const old = this.#pg;
    this.#pg = pg;
    this.#steps = [];
    this.#pos = 0;
    this.#boot = this.#sample();
    this.#refreshLayout();
    try {
      old.free();
    } catch {
      // Already freed: nothing to release.
    }
  }

  #refreshLayout() {
    this.#layout = this.#pg.layout();
    this.#regions = new Uint8Array(this.#pg.slotRegions());
    this.#generation++;
  }

  /**
   * Rebuilds the timeline of a playground that ran a whole scenario: steps back to the
   * start and applies the history again, collecting each operation's events and metrics.
   * The engine is deterministic, so this lands in the same state.
   */
  #replayHistory() {
    const ops = this.#pg.history();
    this.#pg.seek(0);
    this.#steps = [];
    this.#pos = 0;
    this.#boot = this.#sample();
    for (const op of ops) this.#applyAtEnd(op);
  }

  /**
   * Applies `op` and appends its step to a timeline whose cursor is at the end (a
   * rebuild or a replay); on an engine error nothing changes and the error is thrown.
   * @param {any} op
   */
  #applyAtEnd(op) {
    const res = this.#pg.apply(op);
    this.#steps.push(this.#stepOf(op, res));
    this.#pos++;
  }

  /**
   * @param {any} op
   * @param {import('./engine.js').OpResult} res
   * @returns {Step}
   */
  #stepOf(op, res) {
    return { op, events: res.events, metrics: res.metrics, value: res.value, sample: this.#sample() };
  }

  /** @returns {Sample} */
  #sample() {
    const m = this.#pg.metrics();
    const procBytes = processTableBytes(this.#pg.processStats());
    return {
      copied: num(m.entries_copied),
      visited: num(m.directories_visited),
      faults: num(m.faults_fixed) + num(m.oopses),
      bytes: procBytes,
    };
  }

  /** @returns {Snapshot} */
  #snapshot() {
    return {
      text: this.#pg.scenarioText(),
      future: this.#steps.slice(this.#pos).map((s) => s.op),
      steps: this.#steps.slice(),
      boot: this.#boot,
    };
  }

  /** @param {Snapshot} snap */
  #restore(snap) {
    const pg = Playground.fromScenario(snap.text);
    for (const op of snap.future) pg.apply(op);
    pg.seek(pg.cursor - snap.future.length);
    const steps = snap.steps;
    this.#swap(pg);
    this.#steps = steps;
    this.#pos = steps.length - snap.future.length;
    this.#boot = snap.boot;
    this.#changed('restore');
  }

  /** @param {string} why */
  #changed(why) {
    this.dispatchEvent(new CustomEvent('change', { detail: { why } }));
  }
}
