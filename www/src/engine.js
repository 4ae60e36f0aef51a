// @ts-check
/**
 * The engine wrapper: the only module that imports the wasm package (`../pkg/vmsync.js`).
 *
 * Every other module talks to the engine through `loadEngine()` and `Playground`. The
 * wrapper forwards each call to the wasm handle and adds nothing but the contract's
 * shapes: operations and configurations go in as JSON text; a small result comes back
 * as JSON text, parsed once here, and what an operation reported as a record read in
 * place (`lib/record.js`), both with counters as numbers and addresses and raw entries
 * (which may exceed 2^53) as BigInt; errors are `Error` objects whose `name` is the
 * engine's error kind (`InvalidConfig`, `BadAddress`, `ScriptError`, ...); and bulk
 * numbers are typed-array views over wasm memory (`Uint8Array` for cells and regions,
 * `Uint32Array` for the per-process stats).
 *
 * A view returned by `cells()`, `slotRegions()` or `processStats()` is valid only until
 * the next call on any `Playground` (a call can grow wasm memory, which detaches every
 * view, or refill the numbers behind it): read it at once, or copy it with `.slice()`.
 *
 * Usage:
 *   import { loadEngine, Playground } from './engine.js';
 *   await loadEngine();
 *   const pg = Playground.create({ mode: 'x86-64' });
 *   const i = pg.apply({ op: 'fork', name: 'A' }); // the step's index in the history
 *   const { value, events, metrics } = pg.stepResult(i); // what it reported
 *   const cells = pg.cells('A');        // Uint8Array view, one byte per kernel slot
 *   const names = pg.processNames();    // ['A']
 *   const stats = pg.processStats();    // Uint32Array view, STAT.FIELDS words per process
 *   const missingOfA = stats[0 * STAT.FIELDS + STAT.MISSING];
 *   pg.free();
 * @module
 */
import init, {
  Playground as Raw,
  catalog as rawCatalog,
  scenarioTextOf as rawTextOf,
  tourSteps as rawTourSteps,
  expectationWords as rawExpectationWords,
} from '../pkg/vmsync.js';
import { writeOpBytes, writeTextBytes } from './lib/op-bytes.js';
import { readRecord } from './lib/record.js';

/** @type {Promise<void> | null} */
let loading = null;
let ready = false;

/**
 * Loads and instantiates the wasm engine, once; later calls return the same promise.
 * In a browser no argument is needed (the wasm is fetched next to the package). In Node,
 * pass the wasm bytes or a compiled `WebAssembly.Module`.
 * @param {BufferSource | WebAssembly.Module | URL | string} [source]
 * @returns {Promise<void>}
 */
export function loadEngine(source) {
  loading ??= init(source === undefined ? undefined : { module_or_path: source }).then((exports) => {
    memory = exports.memory;
    inputAt = Raw.inputBuffer(INPUT_BYTES);
    ready = true;
  });
  return loading;
}

/** The bytes of the engine's input buffer that `apply` uses: what the engine has. */
const INPUT_BYTES = 1024;
/** @type {WebAssembly.Memory | null} */
let memory = null;
/** The address of the engine's input buffer (`Playground.inputBuffer`) in wasm memory; 0: none. */
let inputAt = 0;
/** A view of the input buffer, taken again when wasm memory has grown. */
let input = new Uint8Array(0);

/**
 * Writes an operation's JSON text into the engine's input buffer (`lib/op-bytes.js`):
 * its length, or -1 when the operation is not of the plain form or does not fit.
 * @param {Op | string} op
 */
function writeInput(op) {
  if (inputAt === 0) return -1;
  if (input.byteLength === 0) input = new Uint8Array(/** @type {WebAssembly.Memory} */ (memory).buffer, inputAt, INPUT_BYTES);
  return typeof op === 'string' ? writeTextBytes(op, input) : writeOpBytes(op, input);
}

function requireEngine() {
  if (!ready) {
    const e = new Error('the engine is not loaded: await loadEngine() first');
    e.name = 'EngineNotLoaded';
    throw e;
  }
}

/** @type {any} */
let vocabulary = null;

/**
 * The engine's vocabulary, read once: modes, splits, strategies (eras, then building
 * blocks, each with its label and summary), region kinds and divergence classes by code,
 * the cell-byte layout, error kinds, metric names, event kinds, outcomes, hot-add kinds
 * and sync calls. Build menus, legends and words from it rather than from a copy.
 * @returns {any}
 */
export function catalog() {
  requireEngine();
  vocabulary ??= Object.freeze(JSON.parse(rawCatalog()));
  return vocabulary;
}

/**
 * Scenario text from what a user brings (a file, a paste, a link): JSON (starting with
 * `{`) becomes the canonical text; text comes back as it is. Throws `ScriptError` with
 * numeric `line` and `column` properties, or `LimitExceeded`.
 * @param {string} input
 * @returns {string}
 */
export function scenarioTextOf(input) {
  requireEngine();
  return rawTextOf(input);
}

/**
 * @typedef {object} EngineTourStep One step of a tour, as the engine cuts it.
 * @property {string[]} say narration (the `say` lines' text); for a checkpoint, the
 *   narration that answers it
 * @property {string | null} ask the question, for a checkpoint
 * @property {string[]} choices the answers the question offers (its `choices` line)
 * @property {string | null} answer the right one of `choices`: the value of the first
 *   `expect` line of the reveal that is one of them; null without choices
 * @property {string[]} lines the other lines of the step (operations, expectations), as
 *   written; for a checkpoint, the lines its reveal runs
 * @property {string[]} expectations the step's `expect` lines in words
 * @property {number} start source lines before a checkpoint's reveal (the state while the
 *   question is open); equal to `end` for narration
 * @property {number} end source lines up to the end of this step (the state shown)
 */

/**
 * A guided tour's text cut into steps by the engine, and its title (the first comment
 * line). Throws `ScriptError` (with `line` and `column`) for text the engine does not
 * read, or for choices that no `expect` line of the reveal gives.
 * @param {string} text
 * @returns {{title: string, steps: EngineTourStep[]}}
 */
export function tourSteps(text) {
  requireEngine();
  return JSON.parse(rawTourSteps(text));
}

/**
 * The `expect` lines among `lines`, each in words as the engine says it ("the access
 * faults, and the fault is fixed up", "A has 1 slot missing"); other lines are left
 * out. Throws `ScriptError` for an `expect` line the engine does not read.
 * @param {string[]} lines
 * @returns {string[]}
 */
export function expectationWords(lines) {
  requireEngine();
  return rawExpectationWords(lines);
}

const HEX = /^0x[0-9a-f]+$/;
/**
 * A result as the engine writes it has every address and raw entry as a `"0x…"` string
 * (crate/src/json_out), and no other string of that form: turns each into a BigInt,
 * in place, deeply. Operations are not results (their `phys` stays text).
 * @param {any} v
 * @returns {any}
 */
function bigints(v) {
  if (typeof v === 'string') return v.charCodeAt(1) === 120 && HEX.test(v) ? BigInt(v) : v;
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) v[i] = bigints(v[i]);
  else for (const k in v) v[k] = bigints(v[k]);
  return v;
}

/**
 * @typedef {object} Config Config JSON: sizes and addresses as strings.
 * @property {'x86-32' | 'pae' | 'x86-64' | 'la57'} mode
 * @property {string | null} [split] `3G`, `3G_OPT`, `2G`, `2G_OPT`, `1G` (32-bit)
 * @property {string | null} [ram] top of usable RAM, e.g. `"0x1ffe0000"` or `"512M"`
 * @property {string | null} [vmalloc] the `vmalloc=` boot option (32-bit)
 * @property {boolean | null} [pti]
 * @property {boolean | null} [huge_ioremap]
 * @property {string | null} [strategy] a strategy name or `era:<version>`
 * @property {number | string | null} [nr_cpus] a whole number, or its decimal digits as text
 */

/**
 * @typedef {{op: string, [key: string]: unknown}} Op canonical op JSON, e.g.
 *   `{op: 'allocate', name: 'buf', size: '64K'}`
 */

/**
 * @typedef {object} OpResult
 * @property {{kind: string, value?: any}} value what the operation produced
 * @property {any[]} events what changed, in order (addresses BigInt, counts numbers)
 * @property {Record<string, number>} metrics the operation's own counters
 */

/**
 * The word offsets within one process's record in `processStats()`, and the record's
 * length (the engine's `PROCESS_STAT_FIELDS`; `Playground.create` checks they agree).
 */
export const STAT = Object.freeze({
  PID: 0, SAME: 1, MISSING: 2, STALE: 3, DIFFERENT: 4, PRIVATE: 5, TABLE_BYTES: 6, FIELDS: 7,
});

let fieldsChecked = false;
/**
 * Checks once that the engine's record length is the one `STAT` describes.
 * @param {Raw} raw
 */
function checkFields(raw) {
  if (fieldsChecked) return;
  if (raw.processStatFields !== STAT.FIELDS) {
    const e = new Error(`the engine gives ${raw.processStatFields} words per process in processStats(), engine.js expects ${STAT.FIELDS}`);
    e.name = 'InternalError';
    throw e;
  }
  fieldsChecked = true;
}

/** The fields of each record of `samples()`, in order. */
export const SAMPLE = Object.freeze({ COPIED: 0, VISITED: 1, FAULTS: 2, BYTES: 3, FIELDS: 4 });

/** One simulated machine with its processes, history and names. */
export class Playground {
  /** @type {Raw} */
  #raw;

  /** @param {Raw} raw */
  constructor(raw) {
    checkFields(raw);
    this.#raw = raw;
  }

  /**
   * A booted machine. Throws `InvalidConfig` or `BadSize`.
   * @param {Config} config
   * @returns {Playground}
   */
  static create(config) {
    requireEngine();
    return new Playground(Raw.create(JSON.stringify(config)));
  }

  /**
   * A machine that has run a whole scenario text. Throws `ScriptError`,
   * `ExpectationFailed`, or the failing operation's error.
   * @param {string} text
   * @returns {Playground}
   */
  static fromScenario(text) {
    requireEngine();
    return new Playground(Raw.fromScenario(text));
  }

  /**
   * A machine booted from a scenario's config line, its steps still to run: call
   * `run(n)` until it returns 0 (a long scenario runs in slices, the page responsive
   * between them). Throws `ScriptError`, `LimitExceeded` or the config's error.
   * @param {string} text
   * @returns {Playground}
   */
  static begin(text) {
    requireEngine();
    return new Playground(Raw.begin(text));
  }

  /**
   * Runs up to `maxSteps` more steps of the scenario given to `begin`; returns how many
   * are left. Throws the failing step's error (with its `line`).
   * @param {number} maxSteps
   * @returns {number}
   */
  run(maxSteps) { return this.#raw.run(maxSteps); }

  /**
   * History entry `i` and what it reported when it was applied: addresses and raw entries
   * BigInt, counters numbers. Throws `BadAddress` past the history.
   * @param {number} i @returns {OpResult & {op: Op}}
   */
  stepResult(i) {
    const at = this.#raw.stepRecord(i);
    return readRecord(/** @type {WebAssembly.Memory} */ (memory).buffer, at);
  }

  /** The running totals at boot and after each step, `SAMPLE` names their 4 fields: a view. @returns {Float64Array} */
  samples() { return this.#raw.samples(); }

  /**
   * The kernel slot (index into `cells()`) of an address as `access` takes it. Throws
   * `BadAddress` or `UnknownAllocation`. @param {string} addr @returns {number}
   */
  slotOf(addr) { return this.#raw.slotOf(addr); }

  /** History entries, applied or after the cursor. @returns {number} */
  get historyLength() { return this.#raw.historyLength; }

  /**
   * The operations of a scenario text run under several policies side by side (every
   * era, then the scenario's own strategy, unless `strategies` names them): one row per
   * operation, one column per policy with each operation's outcome, drift and costs, and
   * the first row where they part. Throws `ScriptError` or `InvalidConfig`.
   * @param {string} text
   * @param {string[]} [strategies]
   * @returns {{
   *   mode: string,
   *   rows: {line: number, op: string, parts: boolean}[],
   *   columns: {policy: string, label: string, refused?: string, cells: {
   *     outcome: string, error?: string, drift: number, entries_copied: number, directories_visited: number,
   *     faults_fixed: number, oopses: number, stale_accesses: number, bugs: number, table_bytes: number,
   *   }[]}[],
   *   first_parting: number | null,
   * }}
   */
  static compare(text, strategies = []) {
    requireEngine();
    return JSON.parse(Raw.compare(text, strategies));
  }

  /**
   * Applies one operation; on an error nothing changes and the error is thrown. What it
   * reported stays in the engine until asked for: `stepResult(i)` with the index returned.
   * The operation's JSON text is written straight into the engine's input buffer when it
   * is a plain object of strings and switches (or ASCII text), with nothing allocated on
   * either side; anything else is passed as `JSON.stringify` writes it.
   * @param {Op | string} op an op object or its JSON text
   * @returns {number} the operation's index in the history
   */
  apply(op) {
    const n = writeInput(op);
    return n >= 0 ? this.#raw.applyInput(n) : this.#raw.apply(typeof op === 'string' ? op : JSON.stringify(op));
  }

  /** Steps back one operation (the cursor moves, the history stays). @returns {boolean} false at the start */
  stepBack() { return this.#raw.stepBack(); }

  /** Steps forward one operation. @returns {boolean} false at the end */
  stepForward() { return this.#raw.stepForward(); }

  /**
   * Moves to history position `cursor` (clamped) in one step: back by one replay of the
   * prefix, forward by re-applying. For jumps: n calls of stepBack() replay it n times.
   * @param {number} cursor
   * @returns {number} the position reached
   */
  seek(cursor) { return this.#raw.seek(cursor); }

  /** @returns {boolean} */
  get canStepBack() { return this.#raw.canStepBack; }

  /** @returns {boolean} */
  get canStepForward() { return this.#raw.canStepForward; }

  /** How many history entries are applied (the rest are after a step back). @returns {number} */
  get cursor() { return this.#raw.cursor; }

  /** The operations applied and those after the cursor, as op objects. @returns {Op[]} */
  history() { return JSON.parse(this.#raw.history()); }

  /** The layout summary, addresses as BigInt. @returns {Record<string, any>} */
  layout() { return bigints(JSON.parse(this.#raw.layout())); }

  /** Every live process. @returns {{name: string, pid: number, table_bytes: number, divergence: Record<string, number>}[]} */
  processes() { return JSON.parse(this.#raw.processes()); }

  /**
   * The numbers of `processes()` for every live process, without building an object per
   * process: a `Uint32Array` view over wasm memory, valid until the next engine call
   * (read it at once, or copy it with `.slice()`). `STAT.FIELDS` words per process in
   * pid (`pgd_list`) order, the order of `processNames()`; within a record, the offsets
   * `STAT.PID`, `SAME`, `MISSING`, `STALE`, `DIFFERENT`, `PRIVATE`, `TABLE_BYTES`.
   * @returns {Uint32Array}
   */
  processStats() { return this.#raw.processStats(); }

  /** The names of the live processes, in the order of `processStats()`. @returns {string[]} */
  processNames() { return this.#raw.processNames(); }

  /**
   * One byte per kernel slot of a process's table (`null`: the reference): bits 0-1 the
   * entry kind, bits 2-4 the divergence code. A view, valid until the next engine call.
   * Throws `UnknownProcess`.
   * @param {string | null} process
   * @returns {Uint8Array}
   */
  cells(process) { return this.#raw.cells(process ?? undefined); }

  /** The region code of every kernel slot. A view, valid until the next engine call. @returns {Uint8Array} */
  slotRegions() { return this.#raw.slotRegions(); }

  /**
   * One kernel slot decoded (slot, va, region, level, raw, present, kind, flags, target,
   * divergence, reference_raw). Throws `UnknownProcess` or `BadAddress`.
   * @param {string | null} process
   * @param {number} slot index among the kernel slots (0 = the first)
   * @returns {Record<string, any>}
   */
  describe(process, slot) { return bigints(JSON.parse(this.#raw.describe(process ?? undefined, slot))); }

  /** ptdump text of a table's kernel half, or of one kernel slot. @param {string | null} process @param {number | null} slot @returns {string} */
  ptdump(process, slot) { return this.#raw.ptdump(process ?? undefined, slot ?? undefined); }

  /** The live allocations as `[name, address]` pairs. @returns {[string, bigint][]} */
  allocations() {
    return JSON.parse(this.#raw.allocations()).map((/** @type {any} */ a) => [a.name, BigInt(a.value)]);
  }

  /**
   * Page-table memory in bytes: the kernel's (the reference and the lower tables every
   * process shares) and the total with every process's.
   * @returns {{kernel: number, total: number}}
   */
  tableBytes() { return JSON.parse(this.#raw.tableBytes()); }

  /** Cumulative metrics. @returns {Record<string, number>} */
  metrics() { return JSON.parse(this.#raw.metrics()); }

  /** The applied operations as scenario text. @returns {string} */
  scenarioText() { return this.#raw.scenarioText(); }

  /** The whole timeline (the applied operations and those after the cursor) as scenario text. @returns {string} */
  timelineText() { return this.#raw.timelineText(); }

  /** The machine's configuration as canonical JSON text. @returns {string} */
  configJson() { return this.#raw.configJson(); }

  /** The applied operations as canonical JSON text. @returns {string} */
  scenarioJson() { return this.#raw.scenarioJson(); }

  /** The state hash, equal natively and in wasm. @returns {bigint} */
  stateHash() { return this.#raw.stateHash(); }

  /** Releases the wasm memory behind this handle; the object is unusable afterwards. */
  free() { this.#raw.free(); }
}

// Kept apart from the imports above so that this helper's hunk stays at the end.
import { opText as rawOpText } from '../pkg/vmsync.js';

/**
 * One operation (an op object, as `history()` and the forms give it) as its scenario
 * line, printed by the engine's printer: `allocate buf 64K preempt`, `map io1 0xfe000000 2M`.
 * Throws `ScriptError` for what is not an operation.
 * @param {object} op
 * @returns {string}
 */
export function opText(op) {
  requireEngine();
  return rawOpText(JSON.stringify(op));
}
