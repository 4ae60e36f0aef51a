// The page's modules as the browser gets them: www/src/main.js and everything it imports
// (the wasm-bindgen glue of www/pkg too) bundled and minified by esbuild into www/dist/,
// with source maps. index.html and embed.html load www/dist/main.js. www/src stays the
// source: plain ES modules that run unbuilt (the Node tests and a host page can load them).
//
// What the first drawing needs is one file, main.js: no chunk to wait for after it. Each
// module loaded on first use (a dynamic import) is www/dist/<its name>.js, with chunks of
// what only such modules share; a module that main.js has too (the engine, the words,
// the DOM builders) is not copied but taken from main.js, which exports what they import
// of it under short names of its own (`$<n>_<k>`): one engine and one set of elements, as
// unbundled. So a page loads dist/main.js by its plain address (the lazy modules import
// it back as ./main.js). Passes: (1) probes: what main.js reaches, what the lazy modules
// reach, what both reach and the names the lazy modules import of it; (2) the lazy
// modules; (3) main.js; then the stylesheets. docs/page-load.md tells why.
//
// A module reaches a file beside it as `new URL('rel', import.meta.url)` (its stylesheet,
// the scenario files, the wasm, the app's pages). In a bundle import.meta.url is the
// chunk's, in www/dist/, so each such path is rebased on the way in to reach the same
// file from there; stylesheets are minified into www/dist/ and reached there. Any other
// use of import.meta.url stops the build, rather than leave a path that would break.
// Run by scripts/build.sh; `node scripts/bundle.mjs` alone rebuilds www/dist/.
import { build, transform } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
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
const MAIN = join(www, 'src/main.js');

/**
 * Records the modules imported with `import()` (resolved the usual way) and marks them
 * external, as `./<name>.js`: the lazy entries of pass 3.
 * @param {Set<string>} lazy
 * @returns {import('esbuild').Plugin}
 */
const lazyExternal = (lazy) => ({
  name: 'lazy-external',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const r = await b.resolve(args.path, { kind: 'import-statement', resolveDir: args.resolveDir });
      if (r.errors.length) return { errors: r.errors };
      lazy.add(r.path);
      return { path: `./${basename(r.path)}`, external: true };
    });
  },
});
/** The inputs of a metafile, as absolute paths. @param {import('esbuild').Metafile} m */
const inputsOf = (m) => new Set(Object.keys(m.inputs).map((p) => resolve(p)));
const probe = { bundle: true, write: false, metafile: true, format: /** @type {const} */ ('esm'), logLevel: /** @type {const} */ ('silent'), outdir };

// Pass 1: what the first drawing loads (main.js and its static imports: `first`), and the
// modules loaded on first use (`lazy`, each imported with import()).
/** @type {Set<string>} */
const lazy = new Set();
const first = inputsOf((await build({ ...probe, entryPoints: [MAIN], plugins: [lazyExternal(lazy), rebase] })).metafile);
// The lazy modules' own imports; a module of main's that one of them imports is shared,
// and each shared module's export names.
const later = lazy.size
  ? inputsOf((await build({ ...probe, entryPoints: [...lazy], splitting: true, plugins: [lazyExternal(new Set()), rebase] })).metafile)
  : new Set();
for (const p of lazy) {
  if (first.has(p)) throw new Error(`bundle: ${relative(www, p)} is imported both with import() and statically`);
  if ([...lazy].some((q) => q !== p && basename(q) === basename(p))) throw new Error(`bundle: two modules loaded on first use are named ${basename(p)}`);
}
const shared = [...first].filter((p) => later.has(p) && p !== MAIN && !lazy.has(p)).sort();
/** @type {Map<string, string[]>} each shared module's exports, by its path */
const exportsOf = new Map();
if (shared.length) {
  const { metafile } = await build({ ...probe, bundle: false, entryPoints: shared.map((p, i) => ({ in: p, out: `s${i}` })) });
  shared.forEach((p, i) => {
    const out = Object.entries(metafile.outputs).find(([o]) => basename(o) === `s${i}.js`);
    exportsOf.set(p, out?.[1].exports ?? []);
  });
}
// What the lazy modules take of each shared module: the names they import from it (as
// their source writes imports: `import { a, b as c } from '…'`); any other way of
// reaching a shared module (a namespace, a default, import()) takes every name. Read
// without comments (esbuild's transform drops them): a JSDoc type such as
// `{import('../../lib/colours.js').Palette}` is no import.
/** @type {Map<string, Set<string>>} */
const taken = new Map(shared.map((p) => [p, new Set()]));
for (const file of later) {
  if (shared.includes(file) || !file.endsWith('.js')) continue;
  const { code: source } = await transform(readFileSync(file, 'utf8'), { loader: 'js', legalComments: 'none' });
  const to = (/** @type {string} */ spec) => taken.get(resolve(dirname(file), spec));
  for (const m of source.matchAll(/\bimport\s*\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g)) {
    for (const n of m[1].split(',')) if (n.trim()) to(m[2])?.add(n.trim().split(/\s+as\s+/)[0]);
  }
  for (const m of source.matchAll(/\b(?:import|export)\s*(?:\*|[\w$]+\s*,?)[^'"]*?from\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const set = to(m[1] ?? m[2]);
    const all = exportsOf.get(resolve(dirname(file), m[1] ?? m[2])) ?? [];
    for (const n of all) set?.add(n);
  }
}
/** Each shared module's taken names in one order, for the short names below. */
const takenList = shared.map((p) => [...(taken.get(p) ?? [])]);
/**
 * The name main.js exports `name` of shared module `i` under: `$<i>_<k>`, k the name's
 * place among those taken (base 36). Short, since every lazy module repeats those it
 * imports; a name that is not taken would be `$<i>_-1`, no name at all: the build stops.
 */
const alias = (/** @type {number} */ i, /** @type {string} */ name) => `$${i}_${takenList[i].indexOf(name).toString(36)}`;

// Pass 2: the modules loaded on first use, each `<name>.js` (what main.js imports), with
// chunks of what only they share; a module that main.js has is taken from main.js (the
// same instance: one engine, one set of elements). Built before main.js, which exports
// only what they take.
if (lazy.size) {
  await build({
    ...common,
    entryPoints: [...lazy].map((p) => ({ in: p, out: basename(p, '.js') })),
    outdir,
    format: 'esm',
    splitting: true,
    chunkNames: '[name]-[hash]',
    plugins: [
      {
        name: 'shared-from-main',
        setup(b) {
          b.onResolve({ filter: /.*/ }, async (args) => {
            if (args.namespace === 'shared' || args.pluginData === 'shared') return undefined;
            const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'shared' });
            const i = shared.indexOf(r.path);
            // One stub per importer: a stub that several modules shared would be a chunk
            // of its own, one more request before a part could run. Named from www/ (the
            // source maps list it).
            const rel = (/** @type {string} */ p) => relative(www, p).split(sep).join('/');
            return i < 0 ? undefined : { path: `${rel(r.path)}?from=${rel(args.importer)}`, namespace: 'shared', pluginData: i };
          });
          b.onLoad({ filter: /.*/, namespace: 'shared' }, (args) => {
            const i = /** @type {number} */ (args.pluginData);
            const names = [...(taken.get(shared[i]) ?? [])];
            return { contents: `export { ${names.map((n) => `${alias(i, n)} as ${n}`).join(', ')} } from './main.js';`, loader: 'js', resolveDir: outdir };
          });
          b.onResolve({ filter: /^\.\/main\.js$/, namespace: 'shared' }, () => ({ path: './main.js', external: true }));
        },
      },
      rebase,
    ],
  });
}
// Pass 3: main.js, one file with everything the first drawing needs (no chunk to wait
// for), which also exports what the lazy modules take of the shared modules.
await build({
  ...common,
  stdin: {
    contents: [
      `export * from ${JSON.stringify(MAIN)};`,
      ...shared.map((p, i) => {
        const names = [...(taken.get(p) ?? [])];
        return names.length ? `export { ${names.map((n) => `${n} as ${alias(i, n)}`).join(', ')} } from ${JSON.stringify(p)};` : '';
      }),
    ].join('\n'),
    resolveDir: join(www, 'src'),
    sourcefile: 'main.bundle.js',
    loader: 'js',
  },
  outfile: join(outdir, 'main.js'),
  format: 'esm',
  plugins: [lazyExternal(new Set()), rebase],
});
await build({
  ...common,
  entryPoints: [...stylesheets].map(([name, path]) => ({ in: path, out: name.replace(/\.css$/, '') })),
  outdir,
  loader: { '.css': 'css' },
});
console.log(`bundle: www/dist/ (${[...stylesheets.keys()].join(', ')} beside the modules)`);
