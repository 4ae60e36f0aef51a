// The glossary against the page's markup: every kernel word the forms mark
// (`<abbr data-term>`) has its entry, whose meaning becomes the word's tooltip once the
// glossary is loaded (it is loaded on first use, so the markup carries only the id).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GLOSSARY, sourceUrl } from './glossary.js';
import { template } from '../components/vmsync-playground/template.js';

test('every kernel word the forms mark has a glossary entry, and no id is used twice', () => {
  const ids = GLOSSARY.map((t) => t.id);
  assert.equal(new Set(ids).size, ids.length);
  const marked = [...template('x.css', true).matchAll(/<abbr data-term="([^"]+)">/g)].map((m) => m[1]);
  assert.ok(marked.length >= 5, `the forms mark ${marked.length} words`);
  for (const id of marked) assert.ok(ids.includes(id), `no glossary entry ${id}`);
  assert.ok(!/<abbr(?! data-term=)/.test(template('x.css', false)), 'every abbr is a glossary word');
});

test('each entry links to an identifier search of a kernel release', () => {
  for (const t of GLOSSARY) assert.match(sourceUrl(t), /^https:\/\/elixir\.bootlin\.com\/linux\/v\d+\.\d+\/A\/ident\/\w+$/);
});
