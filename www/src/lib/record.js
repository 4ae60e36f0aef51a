/**
 * Reads a record out of wasm memory: the tree of one history entry (`{op, value, events,
 * metrics}`) that the engine writes as 8-byte slots (crate/src/record/mod.rs has the
 * format). No text is decoded and no JSON parsed: reading a result costs a walk over a
 * few hundred slots, each step of which is already compiled the next time.
 * @module
 */

// The tags, as crate/src/record/mod.rs numbers them (`record::tag`).
const NULL = 0;
const FALSE = 1;
const TRUE = 2;
const NUM = 3;
const BIG = 4;
const SYM = 5;
const STR = 6;
const OBJ = 7;
const ARR = 8;

/** Strings the engine holds for good (keys, names), by handle: address × 2^16 + length. */
const syms = new Map();
const decoder = new TextDecoder();

/** @type {ArrayBufferLike | null} */
let buffer = null;
/** @type {Float64Array<ArrayBufferLike>} */
let F = new Float64Array(0);
/** @type {BigUint64Array<ArrayBufferLike>} */
let B = new BigUint64Array(0);
/** @type {Uint8Array<ArrayBufferLike>} */
let U8 = new Uint8Array(0);
/** The slot being read. */
let at = 0;
/** The address of the record's byte area. */
let bytes = 0;

/**
 * The string of `len` bytes at `p`: ASCII by hand (a name, a key), anything else or
 * anything long through the TextDecoder.
 * @param {number} p @param {number} len @returns {string}
 */
function text(p, len) {
  if (len > 64) return decoder.decode(U8.subarray(p, p + len));
  let s = '';
  for (let i = p; i < p + len; i++) {
    const c = U8[i];
    if (c > 127) return decoder.decode(U8.subarray(p, p + len));
    s += String.fromCharCode(c);
  }
  return s;
}

/** @param {number} h @returns {string} */
function sym(h) {
  let s = syms.get(h);
  if (s === undefined) {
    s = text(Math.floor(h / 65536), h % 65536);
    syms.set(h, s);
  }
  return s;
}

/** @returns {any} */
function node() {
  const t = F[at++];
  switch (t) {
    case NUM:
      return F[at++];
    case BIG:
      return B[at++];
    case SYM:
      return sym(F[at++]);
    case STR: {
      const off = F[at++];
      const len = F[at++];
      return text(bytes + off, len);
    }
    case OBJ: {
      const n = F[at++];
      /** @type {Record<string, any>} */
      const o = {};
      for (let i = 0; i < n; i++) {
        const k = sym(F[at++]);
        o[k] = node();
      }
      return o;
    }
    case ARR: {
      const n = F[at++];
      const a = new Array(n);
      for (let i = 0; i < n; i++) a[i] = node();
      return a;
    }
    case NULL:
      return null;
    case FALSE:
      return false;
    case TRUE:
      return true;
  }
  throw new Error(`vmsync: a record with tag ${t} at slot ${at - 1}`);
}

/**
 * The value of the record whose first slot is at byte address `address` of `memory`
 * (what `stepRecord` answers). Read it before the next call into the engine.
 * @param {ArrayBufferLike} memory the wasm memory's buffer
 * @param {number} address
 * @returns {any}
 */
export function readRecord(memory, address) {
  if (memory !== buffer) {
    buffer = memory;
    F = new Float64Array(memory);
    B = new BigUint64Array(memory);
    U8 = new Uint8Array(memory);
  }
  at = address / 8;
  bytes = F[at++];
  return node();
}
