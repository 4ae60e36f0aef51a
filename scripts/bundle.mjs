// The page's modules as the browser gets them: www/src/main.js and everything it imports
// (the wasm-bindgen glue of www/pkg too) bundled and minified by esbuild into www/dist/,
// with source maps; each module loaded on first use (a dynamic import) becomes a chunk
// of its own. index.html and embed.html load www/dist/main.js. www/src stays the source:
// plain ES modules that run unbuilt (the Node tests and a host page can load them).
//
// A module reaches a file beside it as `new URL('rel', import.meta.url)` (its stylesheet,
// the scenario files, the wasm, the app's pages). In a bundle import.meta.url is the
// chunk's, in www/dist/, so each such path is rebased on the way in to reach the same
// file from there; stylesheets are minified into www/dist/ and reached there. Any other
// use of import.meta.url stops the build, rather than leave a path that would break.
// Run by scripts/build.sh; `node scripts/bundle.mjs` alone rebuilds www/dist/.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const www = fileURLToPath(new URL('../www/', import.meta.url));
const outdir = join(www, 'dist');
/** `new URL('…', import.meta.url)` or `new URL(`…${x}…`, import.meta.url)`: group 2 is the relative path up to any `${`. */
const URL_OF_FILE = /new URL\(\s*(['"`])([^'"`$]*)((?:\$\{[^}]*\}[^'"`$]*)*)\1\s*,\s*import\.meta\.url\s*\)/g;

/** @type {Map<string, string>} the stylesheets reached, by their name in www/dist/ */
const stylesheets = new Map();

/**
 * The path from www/dist/ to `target`, a file (or, ending in `/`, a folder) of www/.
 * @param {string} target
 */
function fromDist(target) {
  if (target.endsWith('.css')) {
    const name = basename(target);
    if (stylesheets.has(name) && stylesheets.get(name) !== target) throw new Error(`bundle: two stylesheets named ${name}`);
    stylesheets.set(name, target);
    return `./${name}`;
  }
  // relative() drops a folder's trailing separator; the path keeps it.
  const rel = relative(outdir, target).split(sep).join('/') + (target.endsWith(sep) ? '/' : '');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** @type {import('esbuild').Plugin} */
const rebase = {
  name: 'rebase-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      let rebased = 0;
      const contents = source.replace(URL_OF_FILE, (_all, quote, path, rest) => {
        if (/^[a-z]+:|^\//i.test(path)) return _all;
        rebased++;
        const target = resolve(dirname(args.path), path) + (path.endsWith('/') || path === '' ? sep : '');
        if (!target.startsWith(www)) throw new Error(`bundle: ${args.path} reaches ${path}, outside www/`);
        return `new URL(${quote}${fromDist(target)}${rest}${quote}, import.meta.url)`;
      });
      const uses = (source.match(/import\.meta\.url/g) ?? []).length;
      if (uses !== rebased) throw new Error(`bundle: ${relative(www, args.path)} uses import.meta.url other than new URL('…', import.meta.url)`);
      return { contents, loader: 'js' };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const common = { bundle: true, minify: true, sourcemap: 'linked', sourcesContent: false, logLevel: 'warning', legalComments: 'none' };
await build({
  ...common,
  entryPoints: [join(www, 'src/main.js')],
  outdir,
  format: 'esm',
  splitting: true,
  chunkNames: '[name]-[hash]',
  plugins: [rebase],
});
await build({
  ...common,
  entryPoints: [...stylesheets].map(([name, path]) => ({ in: path, out: name.replace(/\.css$/, '') })),
  outdir,
  loader: { '.css': 'css' },
});
console.log(`bundle: www/dist/ (${[...stylesheets.keys()].join(', ')} beside the modules)`);
