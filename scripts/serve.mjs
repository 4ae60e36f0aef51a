// A tiny static server for www/: 127.0.0.1 only, no dependencies, nothing outside www/.
// PORT (default 8080) is honoured; without PORT, the next free port after 8080 is taken.
// A second instance on another port is a second origin (the browser tests embed the
// playground from one into a host page served by the other).
//
// Headers (docs/embedding.md):
// - the two pages of the app (index.html, embed.html) carry the Content-Security-Policy
//   that their <meta> repeats for static hosts, plus frame-ancestors, which a <meta>
//   cannot carry: index.html only in frames of its own origin, embed.html anywhere;
// - what another origin's page loads to run the element (the modules, the wasm, the
//   stylesheets, the scenario files) is sent with `Access-Control-Allow-Origin: *` and
//   `Cross-Origin-Resource-Policy: cross-origin`.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../www', import.meta.url)));
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8', '.vms': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8', '.woff2': 'font/woff2',
};

/** The policy of the app's pages, word for word the one in their <meta http-equiv>. */
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types vmsync-template',
].join('; ');
/** The app's pages, and who may frame each (the header's addition to the meta policy). */
const PAGES = new Map([
  [join(root, 'index.html'), "frame-ancestors 'self'"],
  [join(root, 'embed.html'), null],
]);
/** What a page of another origin fetches to run the element. */
const SHARED = new Set(['.js', '.mjs', '.wasm', '.css', '.vms', '.json']);

/**
 * The headers of a file.
 * @param {string} file
 * @returns {Record<string, string>}
 */
function headers(file) {
  const ext = extname(file);
  /** @type {Record<string, string>} */
  const h = {
    'Content-Type': types[ext] ?? 'application/octet-stream',
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  };
  if (PAGES.has(file)) {
    const ancestors = PAGES.get(file);
    h['Content-Security-Policy'] = ancestors ? `${CSP}; ${ancestors}` : CSP;
  }
  if (SHARED.has(ext)) {
    h['Access-Control-Allow-Origin'] = '*';
    h['Cross-Origin-Resource-Policy'] = 'cross-origin';
  }
  return h;
}

const server = createServer(async (req, res) => {
  let path;
  try { path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname); } catch { path = null; }
  let file = path && !path.includes('\0') ? normalize(join(root, path)) : null;
  if (!file || (file !== root && !file.startsWith(root + sep))) return send(res, 400, 'bad path');
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    const body = await readFile(file);
    res.writeHead(200, headers(file));
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch { send(res, 404, 'not found'); }
});
const send = (res, code, text) => { res.writeHead(code, { 'Content-Type': 'text/plain' }); res.end(text); };

const fixed = process.env.PORT !== undefined && process.env.PORT !== '';
let port = fixed ? Number(process.env.PORT) : 8080;
server.on('error', (e) => {
  if (e.code === 'EADDRINUSE' && !fixed && port < 8180) server.listen(++port, '127.0.0.1');
  else { console.error(`serve: ${e.message}`); process.exit(1); }
});
server.listen(port, '127.0.0.1', () => console.log(`vmsync: serving www/ at http://127.0.0.1:${port}/`));
