// A tiny static server for www/: 127.0.0.1 only, no dependencies, nothing outside www/.
// PORT (default 8080) is honoured; without PORT, the next free port after 8080 is taken.
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

const server = createServer(async (req, res) => {
  let path;
  try { path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname); } catch { path = null; }
  let file = path && !path.includes('\0') ? normalize(join(root, path)) : null;
  if (!file || (file !== root && !file.startsWith(root + sep))) return send(res, 400, 'bad path');
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    const body = await readFile(file);
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
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
