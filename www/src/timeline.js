// @ts-check
/**
 * The page's timeline: one engine `Playground` (over the engine's `Session`), whose
 * history is the list of operations (each with the events and metrics it reported when it
 * ran, kept by the engine and read here on demand), the cursor in that list (moved by
 * stepping back and forward), and an undo stack of the actions that change the list and
 * would otherwise lose work (applying an operation after stepping back, rebuilding with a
 * new configuration, loading a scenario). Stepping is not an action: `undo()` never
 * undoes a step, and `stepBack()` never undoes an action.
 *
 * This module asks the engine wrapper (`engine.js`) for everything the views draw; none
 * of them looks inside table entries. (The other callers of the wrapper: `compare.js`
 * and `io.js` for their cards, `lib/tour.js` for a tour's steps, and `sources.js` for a
 * link's scenario JSON.) Views listen for `change` and read through the accessors, reading cell views at once
 * (they die on the next engine call).
 *
 * Usage:
 *   await Timeline.load();
 *   const s = Timeline.fromConfig({ mode: 'pae', ... });
 *   s.addEventListener('change', () => redraw(s));
 *   s.apply({ op: 'fork', name: 'A' });
 * @module
 */
import { loadEngine, Playground, SAMPLE, STAT } from './engine.js';
import { isEngineError } from './engine-errors.js';
import { runInSlices } from './slices.js';

/** Where each running total sits among a sample's `SAMPLE.FIELDS` numbers. */
const AT = Object.freeze({ copied: SAMPLE.COPIED, visited: SAMPLE.VISITED, faults: SAMPLE.FAULTS, bytes: SAMPLE.BYTES });

export { STAT };

/**
 * @typedef {object} Sample metrics after a step, for the chart
 * @property {number} copied entries copied by syncs and fault fix-ups
 * @property {number} visited page directories visited by syncs
 * @property {number} faults faults fixed plus oopses
 * @property {number} bytes page-table bytes of the processes
 */

/**
 * @typedef {object} Step one operation of the timeline
 * @property {any} op canonical op JSON
 * @property {any[]} events what it reported
 * @property {Record<string, number>} metrics its own counters
 * @property {{kind: string, value?: any}} value what it produced
 * @property {Sample} sample cumulative metrics after it
 */

/**
 * @typedef {object} Snapshot a timeline to come back to
 * @property {string} text the whole timeline as scenario text
 * @property {number} pos the cursor in it
 */

export class Timeline extends EventTarget {
  /** @type {Playground} */
  #pg;
  /** @type {Map<number, Step>} steps read from the engine, until the timeline changes */
  #cache = new Map();
  /** @type {Float64Array | null} a copy of the engine's samples, until the timeline changes */
  #samples = null;
  /** @type {Snapshot[]} */
  #undo = [];
  /** @type {Snapshot[]} */
  #redo = [];
  /** The cursor right after the last action (a step moves the cursor, not this). */
  #actionPos = 0;
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
   * A timeline on a new machine.
   * @param {any} config Config JSON
   * @returns {Timeline}
   */
  static fromConfig(config) {
    return new Timeline(Playground.create(config));
  }

  /**
   * A timeline that has run a scenario: its operations are the timeline's.
   * @param {string} text
   * @param {number} [at] the position to stop at (operations applied; default: all)
   * @returns {Timeline}
   */
  static fromScenario(text, at = undefined) {
    const pg = Playground.fromScenario(text);
    if (at !== undefined) pg.seek(Math.max(0, at));
    return new Timeline(pg);
  }

  /**
   * A playground that has run a scenario in slices (see `runInSlices`), for a timeline to
   * take with `loadPlayground` or `new Timeline`: a long link never holds the page.
   * @param {string} text
   * @param {number} [at]
   * @returns {Promise<Playground>}
   */
  static async runScenario(text, at = undefined) {
    const pg = await runInSlices(Playground.begin(text));
    if (at !== undefined) pg.seek(Math.max(0, at));
    return pg;
  }

  /** @param {Playground} pg */
  constructor(pg) {
    super();
    this.#pg = pg;
    this.#refreshLayout();
    this.#actionPos = this.position;
  }

  /** The engine handle (read only: mutate through the timeline). */
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
    return this.#pg.cursor;
  }

  /** Operations in the timeline, applied or not. */
  get length() {
    return this.#pg.historyLength;
  }

  /**
   * Operation `i` of the timeline (0-based) and what it reported when it ran.
   * @param {number} i
   * @returns {Step}
   */
  step(i) {
    let st = this.#cache.get(i);
    if (!st) {
      const r = this.#pg.stepResult(i);
      st = { op: r.op, events: r.events, metrics: r.metrics, value: r.value, sample: this.sample(i + 1) };
      this.#cache.set(i, st);
    }
    return st;
  }

  /**
   * The running totals after `n` operations (0: at boot).
   * @param {number} n
   * @returns {Sample}
   */
  sample(n) {
    const a = this.#allSamples();
    const o = n * SAMPLE.FIELDS;
    return { copied: a[o + AT.copied], visited: a[o + AT.visited], faults: a[o + AT.faults], bytes: a[o + AT.bytes] };
  }

  /**
   * One running total at every point of the timeline, boot first (for the chart: one
   * pass over the samples, no object per point).
   * @param {keyof Sample} key
   * @returns {number[]}
   */
  sampleSeries(key) {
    const a = this.#allSamples();
    const out = new Array(a.length / SAMPLE.FIELDS);
    for (let n = 0, o = AT[key]; n < out.length; n++, o += SAMPLE.FIELDS) out[n] = a[o];
    return out;
  }

  /**
   * Every running total, boot first: `SAMPLE.FIELDS` numbers per point (a copy).
   * @returns {Float64Array}
   */
  #allSamples() {
    this.#samples ??= this.#pg.samples().slice();
    return this.#samples;
  }

  get canStepBack() {
    return this.position > 0;
  }
  get canStepForward() {
    return this.position < this.length;
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
    this.#pg.apply(op);
    this.#forget();
    this.#undo.push(snap);
    this.#redo = [];
    this.#changed('apply');
    return this.step(this.position - 1);
  }

  /** Moves the cursor one operation back (the engine's `stepBack`; not an action). */
  stepBack() {
    if (this.position === 0 || !this.#pg.stepBack()) return false;
    this.#changed('step');
    return true;
  }

  /** Moves the cursor one operation forward (the engine's `stepForward`; not an action). */
  stepForward() {
    if (this.position >= this.length || !this.#pg.stepForward()) return false;
    this.#changed('step');
    return true;
  }

  /**
   * Moves the cursor to `pos`.
   * @param {number} pos
   */
  goTo(pos) {
    const before = this.position;
    const target = Math.max(0, Math.min(this.length, pos));
    if (target === before) return;
    if (this.#pg.seek(target) === before) return;
    this.#changed('step');
  }

  /**
   * Restores the timeline as it was before the last action that changed it. The cursor
   * goes back where it was before that action; if the user has stepped since the action,
   * it stays where they put it (within the restored timeline): Undo never moves forward
   * through steps the user has just stepped back over.
   */
  undo() {
    return this.#restoreFrom(this.#undo, this.#redo);
  }

  /** Re-does what `undo()` undid (with the same rule for the cursor). */
  redo() {
    return this.#restoreFrom(this.#redo, this.#undo);
  }

  /**
   * Restores the last snapshot of `from` and keeps the state it replaces on `to`.
   * @param {Snapshot[]} from
   * @param {Snapshot[]} to
   */
  #restoreFrom(from, to) {
    const snap = from.pop();
    if (!snap) return false;
    const here = this.position;
    const stepped = here !== this.#actionPos;
    to.push(this.#snapshot());
    this.#restore(snap, stepped ? here : undefined);
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
    const ops = replay ? this.#pg.history().slice(0, this.position) : [];
    const snap = this.#snapshot();
    this.#swap(pg);
    /** @type {{op: any, error: Error} | null} */
    let failed = null;
    for (const op of ops) {
      try {
        pg.apply(op);
      } catch (e) {
        if (!isEngineError(e)) throw e;
        failed = { op, error: e };
        break;
      }
    }
    this.#forget();
    this.#undo.push(snap);
    this.#redo = [];
    this.#changed('rebuild');
    return { replayed: this.position, failed };
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
    if (at !== undefined) pg.seek(Math.max(0, at));
    this.loadPlayground(pg, undoable);
  }

  /**
   * Takes a playground that has run a scenario (see `Timeline.runScenario`) as the
   * machine, its history as the timeline.
   * @param {Playground} pg
   * @param {boolean} [undoable]
   */
  loadPlayground(pg, undoable = true) {
    const snap = this.#snapshot();
    this.#swap(pg);
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
    this.#forget();
    this.#refreshLayout();
    try {
      old.free();
    } catch {
      // Already freed: nothing to release.
    }
  }

  /** Drops what was read of a timeline that has changed. */
  #forget() {
    this.#cache.clear();
    this.#samples = null;
  }

  #refreshLayout() {
    this.#layout = this.#pg.layout();
    this.#regions = new Uint8Array(this.#pg.slotRegions());
    this.#generation++;
  }

  /** @returns {Snapshot} */
  #snapshot() {
    return { text: this.#pg.timelineText(), pos: this.position };
  }

  /**
   * @param {Snapshot} snap
   * @param {number} [keep] a cursor to keep instead of the snapshot's (clamped)
   */
  #restore(snap, keep = undefined) {
    const pg = Playground.fromScenario(snap.text);
    pg.seek(keep === undefined ? snap.pos : Math.min(keep, pg.historyLength));
    this.#swap(pg);
    this.#actionPos = this.position;
    this.#changed('restore');
  }

  /** @param {string} why */
  #changed(why) {
    if (why !== 'step') this.#actionPos = this.position;
    this.dispatchEvent(new CustomEvent('change', { detail: { why } }));
  }
}
