// @ts-check
/**
 * An operation's JSON text written straight into bytes (the engine's input buffer in
 * wasm memory), without building a string: what `Playground.apply` in `engine.js` passes
 * for the operations the page makes, which are plain objects of strings and switches.
 *
 * `writeOpBytes(op, bytes)` writes exactly the bytes of `JSON.stringify(op)` when `op` is
 * a plain object (its prototype `Object.prototype`, no `toJSON`) whose keys and string
 * values are ASCII that JSON writes as they are (no `"`, `\` or control character) and
 * whose values are such strings, `true`, `false` or `null`, and the text fits in
 * `bytes`. Otherwise it returns -1, and the caller passes `JSON.stringify(op)` as before:
 * this is not a JSON writer, only the one form the page sends, and what it writes is
 * held to `JSON.stringify` in `op-bytes.test.mjs`. `writeTextBytes` does the same for a
 * text already written, when it is ASCII.
 *
 * Usage:
 *   const n = writeOpBytes({ op: 'fork', name: 'A' }, bytes); // 25, or -1
 * @module
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Writes the ASCII string `s` from `at`, as JSON writes it inside quotes (so without
 * `"`, `\` or control characters); the index after it, or -1.
 * @param {string} s
 * @param {Uint8Array} bytes
 * @param {number} at
 * @returns {number}
 */
function plain(s, bytes, at) {
  const end = at + s.length;
  if (end > bytes.length) return -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7f || c === QUOTE || c === BACKSLASH) return -1;
    bytes[at + i] = c;
  }
  return end;
}

/**
 * Writes `word` (`true`, `false`, `null`: ASCII) from `at`; the index after it, or -1.
 * @param {string} word
 * @param {Uint8Array} bytes
 * @param {number} at
 */
function literal(word, bytes, at) {
  if (at + word.length > bytes.length) return -1;
  for (let i = 0; i < word.length; i++) bytes[at + i] = word.charCodeAt(i);
  return at + word.length;
}

/**
 * `JSON.stringify(op)` as bytes from index 0 of `bytes`, for a plain object of ASCII
 * strings, switches and nulls that fits; its length, or -1 for anything else.
 * @param {unknown} op
 * @param {Uint8Array} bytes
 * @returns {number}
 */
export function writeOpBytes(op, bytes) {
  if (typeof op !== 'object' || op === null || Object.getPrototypeOf(op) !== Object.prototype) return -1;
  const o = /** @type {Record<string, unknown>} */ (op);
  if (o.toJSON !== undefined || bytes.length < 2) return -1;
  let at = 0;
  bytes[at++] = 0x7b; // {
  for (const key of Object.keys(o)) {
    const v = o[key];
    if (at > 1) {
      if (at >= bytes.length) return -1;
      bytes[at++] = 0x2c; // ,
    }
    if (at >= bytes.length) return -1;
    bytes[at++] = QUOTE;
    at = plain(key, bytes, at);
    if (at < 0 || at + 2 > bytes.length) return -1;
    bytes[at++] = QUOTE;
    bytes[at++] = 0x3a; // :
    if (typeof v === 'string') {
      if (at >= bytes.length) return -1;
      bytes[at++] = QUOTE;
      at = plain(v, bytes, at);
      if (at < 0 || at >= bytes.length) return -1;
      bytes[at++] = QUOTE;
    } else if (typeof v === 'boolean' || v === null) {
      at = literal(String(v), bytes, at);
      if (at < 0) return -1;
    } else {
      return -1;
    }
  }
  if (at >= bytes.length) return -1;
  bytes[at++] = 0x7d; // }
  return at;
}

/**
 * The text `s` as bytes from index 0 of `bytes` when it is ASCII and fits (its UTF-8 is
 * then one byte per character); its length, or -1.
 * @param {string} s
 * @param {Uint8Array} bytes
 * @returns {number}
 */
export function writeTextBytes(s, bytes) {
  if (s.length > bytes.length) return -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return -1;
    bytes[i] = c;
  }
  return s.length;
}
