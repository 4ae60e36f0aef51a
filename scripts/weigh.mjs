// What each source module costs in a bundle of www/dist, gzipped: `node scripts/weigh.mjs
// [www/dist/main.js]` (after `node scripts/bundle.mjs`). Each byte of the minified file is
// given to the source module of the mapping it falls under (its source map, base64 VLQ);
// a module's cost is the gzip -9 of the file less the gzip -9 of the file without that
// module's bytes. Minified sizes (esbuild's --analyze) are not proportional to these:
// markup compresses better than code. docs/page-load.md reads the table this prints.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const file = process.argv[2] ?? new URL('../www/dist/main.js', import.meta.url).pathname;
const code = readFileSync(file, 'utf8');
const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/**
 * The base64 VLQ numbers of one mapping segment.
 * @param {string} seg
 * @returns {number[]}
 */
function decode(seg) {
  const out = [];
  let v = 0;
  let shift = 0;
  for (const ch of seg) {
    const d = B64.indexOf(ch);
    if (d < 0) throw new Error(`weigh: ${ch} is not base64`);
    v += (d & 31) << shift;
    shift += 5;
    if (!(d & 32)) {
      out.push(v & 1 ? -(v >>> 1) : v >>> 1);
      v = 0;
      shift = 0;
    }
  }
  return out;
}

// The source of each byte of the file (-1: none), line by line as the mappings are.
const lines = code.split('\n');
/** @type {Int32Array[]} */
const owner = lines.map((l) => new Int32Array(l.length).fill(-1));
let source = 0;
map.mappings.split(';').forEach((/** @type {string} */ line, /** @type {number} */ n) => {
  if (n >= lines.length) return;
  let col = 0;
  /** @type {[number, number][]} */
  const segs = [];
  for (const seg of line.split(',')) {
    if (!seg) continue;
    const f = decode(seg);
    col += f[0];
    if (f.length >= 4) {
      source += f[1];
      segs.push([col, source]);
    } else segs.push([col, -1]);
  }
  segs.forEach(([c, s], k) => owner[n].fill(s, c, k + 1 < segs.length ? segs[k + 1][0] : lines[n].length));
});

const gz = (/** @type {string} */ s) => gzipSync(Buffer.from(s), { level: 9 }).length;
const whole = gz(code);
/** @type {[string, number, number][]} module, minified bytes, gzip cost */
const rows = [];
map.sources.forEach((/** @type {string} */ name, /** @type {number} */ s) => {
  let raw = 0;
  const rest = lines.map((l, n) => {
    let kept = '';
    for (let c = 0; c < l.length; c++) {
      if (owner[n][c] === s) raw++;
      else kept += l[c];
    }
    return kept;
  });
  if (raw) rows.push([name, raw, whole - gz(rest.join('\n'))]);
});
rows.sort((a, b) => b[2] - a[2]);
console.log(`${relative(process.cwd(), file)}: ${(code.length / 1000).toFixed(1)} kB minified, ${(whole / 1000).toFixed(1)} kB gzip -9`);
console.log('gzip cost  minified  module');
for (const [name, raw, cost] of rows) console.log(`${String(cost).padStart(9)}  ${String(raw).padStart(8)}  ${name}`);
