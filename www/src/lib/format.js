// @ts-check
/**
 * Formatting helpers: hex addresses, byte sizes, counts. Pure functions, no DOM.
 *
 * 64-bit values arrive from the engine as BigInt; 32-bit ones may be numbers. Both are
 * accepted everywhere. Nothing here interprets page-table entries.
 * @module
 */

/** @typedef {bigint | number} Int */

/**
 * A value as lower-case hex with a `0x` prefix, zero-padded to `width` digits.
 * @param {Int | null | undefined} v
 * @param {number} [width] digits to pad to (0: no padding)
 * @returns {string}
 */
export function hex(v, width = 0) {
  if (v === null || v === undefined) return '—';
  const b = typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
  const neg = b < 0n;
  const s = (neg ? -b : b).toString(16).padStart(width, '0');
  return (neg ? '-0x' : '0x') + s;
}

/**
 * An address padded to the width of the mode's virtual addresses (8 or 16 digits).
 * @param {Int | null | undefined} v
 * @param {boolean} wide true for 64-bit modes
 * @returns {string}
 */
export function addr(v, wide) {
  return hex(v, wide ? 16 : 8);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/**
 * A byte count with a binary unit: `4 KiB`, `1.5 MiB`, `256 KiB`, `12.5 PiB`.
 * @param {Int} n
 * @returns {string}
 */
export function bytes(n) {
  let b = typeof n === 'bigint' ? n : BigInt(Math.trunc(n));
  if (b < 0n) return '-' + bytes(-b);
  let u = 0;
  // Keep an exact integer path for whole units; one decimal otherwise.
  while (u < UNITS.length - 1 && b >= 1024n << BigInt(10 * u)) u++;
  const div = 1n << BigInt(10 * u);
  const whole = b / div;
  const rem = b % div;
  if (rem === 0n) return `${whole} ${UNITS[u]}`;
  const tenth = Number((rem * 10n) / div);
  return `${whole}.${tenth} ${UNITS[u]}`;
}

/**
 * A whole number with thin grouping (1 536, 98 304) for readability.
 * @param {Int} n
 * @returns {string}
 */
export function count(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
}

/**
 * `one` or `many` after a count: `plural(1, 'slot')` → `1 slot`.
 * @param {Int} n
 * @param {string} one
 * @param {string} [many]
 * @returns {string}
 */
export function plural(n, one, many = one + 's') {
  return `${count(n)} ${BigInt(n) === 1n ? one : many}`;
}

/**
 * Converts an engine value that may be a BigInt, a number or a hex string into a BigInt.
 * @param {unknown} v
 * @returns {bigint | null}
 */
export function toBig(v) {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
  if (typeof v === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(v.trim())) return BigInt(v.trim());
  return null;
}
