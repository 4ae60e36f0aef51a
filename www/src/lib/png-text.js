// @ts-check
/**
 * Text chunks of PNG files, read and written on bytes: how an exported figure carries
 * its scenario. A figure gets a `tEXt` chunk (an `iTXt` chunk, UTF-8, when the text is
 * not plain ASCII) whose keyword is `vmsync-scenario` and whose text is the scenario;
 * reading it back gives the scenario to open. Every chunk written has its CRC; every
 * chunk read is checked against its CRC.
 *
 * Pure functions on `Uint8Array`s: no DOM, no engine.
 *
 * Usage:
 *   const png2 = withPngText(png, SCENARIO_KEYWORD, text);   // a new array
 *   readPngText(png2).get(SCENARIO_KEYWORD);                  // text
 * @module
 */

/** The keyword of the chunk that carries the scenario. */
export const SCENARIO_KEYWORD = 'vmsync-scenario';

/** The eight bytes every PNG file starts with. */
export const PNG_SIGNATURE = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10);

/** @type {Uint32Array | null} */
let table = null;

/**
 * The CRC-32 of PNG (ISO 3309, polynomial 0xedb88320) over `bytes[start, end)`.
 * @param {Uint8Array} bytes
 * @param {number} [start]
 * @param {number} [end]
 * @returns {number} an unsigned 32-bit value
 */
export function crc32(bytes, start = 0, end = bytes.length) {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = table[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Whether `bytes` start with the PNG signature.
 * @param {Uint8Array} bytes
 * @returns {boolean}
 */
export function isPng(bytes) {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** @param {string} message */
function bad(message) {
  const e = new Error(message);
  e.name = 'BadPng';
  return e;
}

/**
 * @typedef {object} Chunk
 * @property {string} type four letters, e.g. `IHDR`
 * @property {number} start offset of the chunk (its length field)
 * @property {number} end offset just after its CRC
 * @property {Uint8Array} data its data (a view into the file)
 */

/**
 * The chunks of a PNG file, in order, up to and including `IEND`. Throws `BadPng` when
 * the signature is missing, a chunk runs past the end, a CRC is wrong or there is no
 * `IEND`.
 * @param {Uint8Array} png
 * @returns {Chunk[]}
 */
export function pngChunks(png) {
  if (!isPng(png)) throw bad('not a PNG file (no PNG signature)');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  /** @type {Chunk[]} */
  const chunks = [];
  let at = 8;
  while (at + 12 <= png.length) {
    const length = view.getUint32(at);
    const end = at + 12 + length;
    if (end > png.length) throw bad(`a chunk at byte ${at} runs past the end of the file`);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) throw bad(`a chunk at byte ${at} has no valid type`);
    if (crc32(png, at + 4, end - 4) !== view.getUint32(end - 4)) throw bad(`the ${type} chunk at byte ${at} has a wrong CRC`);
    chunks.push({ type, start: at, end, data: png.subarray(at + 8, end - 4) });
    at = end;
    if (type === 'IEND') return chunks;
  }
  throw bad('the PNG file ends without an IEND chunk');
}

/**
 * The text of a PNG's `tEXt` chunks (Latin-1) and uncompressed `iTXt` chunks (UTF-8), by
 * keyword (the first chunk of a keyword wins). Compressed text is skipped. Throws
 * `BadPng` as `pngChunks` does.
 * @param {Uint8Array} png
 * @returns {Map<string, string>}
 */
export function readPngText(png) {
  /** @type {Map<string, string>} */
  const out = new Map();
  const latin1 = new TextDecoder('latin1');
  const utf8 = new TextDecoder('utf-8');
  for (const { type, data } of pngChunks(png)) {
    if (type !== 'tEXt' && type !== 'iTXt') continue;
    const nul = data.indexOf(0);
    if (nul < 1) continue;
    const keyword = latin1.decode(data.subarray(0, nul));
    if (out.has(keyword)) continue;
    if (type === 'tEXt') {
      out.set(keyword, latin1.decode(data.subarray(nul + 1)));
      continue;
    }
    // iTXt: keyword, 0, compression flag, method, language tag, 0, translated keyword, 0, text.
    if (data[nul + 1] !== 0) continue;
    const lang = data.indexOf(0, nul + 3);
    const translated = lang < 0 ? -1 : data.indexOf(0, lang + 1);
    if (translated < 0) continue;
    out.set(keyword, utf8.decode(data.subarray(translated + 1)));
  }
  return out;
}

/**
 * One chunk's bytes: length, type, data and CRC.
 * @param {string} type
 * @param {Uint8Array} data
 * @returns {Uint8Array}
 */
export function makeChunk(type, data) {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/**
 * The data of a text chunk for `keyword` and `text`: `tEXt` when the text is ASCII,
 * `iTXt` (uncompressed UTF-8, no language) otherwise.
 * @param {string} keyword 1 to 79 printable ASCII characters, no space at either end
 * @param {string} text
 * @returns {{type: string, data: Uint8Array}}
 */
export function textChunk(keyword, text) {
  if (!/^[\x21-\x7e](?:[\x20-\x7e]{0,77}[\x21-\x7e])?$/.test(keyword)) throw new RangeError(`not a PNG keyword: ${JSON.stringify(keyword)}`);
  const key = new TextEncoder().encode(keyword);
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(text) && !text.includes('\0');
  const body = new TextEncoder().encode(ascii ? text : text.replace(/\0/g, ''));
  const head = ascii ? [0] : [0, 0, 0, 0, 0];
  const data = new Uint8Array(key.length + head.length + body.length);
  data.set(key, 0);
  data.set(head, key.length);
  data.set(body, key.length + head.length);
  return { type: ascii ? 'tEXt' : 'iTXt', data };
}

/**
 * A copy of `png` whose text for `keyword` is `text`: the chunk goes just before `IEND`,
 * and any earlier text chunk of the same keyword is dropped. Throws `BadPng` as
 * `pngChunks` does.
 * @param {Uint8Array} png
 * @param {string} keyword
 * @param {string} text
 * @returns {Uint8Array}
 */
export function withPngText(png, keyword, text) {
  const { type, data } = textChunk(keyword, text);
  const chunk = makeChunk(type, data);
  const latin1 = new TextDecoder('latin1');
  /** @type {Uint8Array[]} */
  const parts = [png.subarray(0, 8)];
  for (const c of pngChunks(png)) {
    if (c.type === 'IEND') parts.push(chunk);
    else if (c.type === 'tEXt' || c.type === 'iTXt') {
      const nul = c.data.indexOf(0);
      if (nul > 0 && latin1.decode(c.data.subarray(0, nul)) === keyword) continue;
    }
    parts.push(png.subarray(c.start, c.end));
  }
  return concatBytes(parts);
}

/**
 * The byte arrays one after another, in one new array.
 * @param {Uint8Array[]} parts
 * @returns {Uint8Array}
 */
export function concatBytes(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
