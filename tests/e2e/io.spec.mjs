/* global document, window, DataTransfer, Image, ClipboardEvent */
// In and out: the timeline exported as text and JSON, the view as PNG and SVG figures that
// carry their scenario, a tour as numbered figures, a table's ptdump; imports by file,
// paste and drop, with errors at line and column and the timeline unchanged; and the
// scenario editor (run to a line, the position, the caret, errors marked). A reopened
// export is checked by the engine's state hash (`.app[data-state-hash]`).
import { readFile } from 'node:fs/promises';
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { open, run, stateHash, watchCsp } from './helpers.mjs';
import { SCENARIO_KEYWORD, pngChunks, readPngText } from '../../www/src/lib/png-text.js';
import { svgScenario } from '../../www/src/lib/figure.js';
import { prefixText, splitTour } from '../../www/src/lib/tour.js';
import { loadEngine } from '../../www/src/engine.js';

/** A state with drift in two processes (www/scenarios/stale-huge-pmd.vms, shortened). */
const SCENARIO = [
  'config mode=pae split=3G pti=on huge-ioremap=on strategy=era:5.2',
  'fork A',
  'fork B',
  'map io 0xfe000000 2M',
  'allocate buf 64K',
  'access A buf',
].join('\n') + '\n';

/** @param {import('@playwright/test').Page} page */
async function openPanel(page) {
  const problems = await open(page, '/#s=' + encodeURIComponent(SCENARIO));
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-position', '5');
  await page.getByTestId('io').locator('summary').click();
  await expect(page.getByTestId('export-text')).toBeVisible();
  return problems;
}

/**
 * Clicks an export button and returns the download's name and bytes.
 * @param {import('@playwright/test').Page} page
 * @param {string} testid
 */
async function exported(page, testid) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  const bytes = new Uint8Array(await readFile(await download.path()));
  return { name: download.suggestedFilename(), bytes, path: await download.path() };
}

/**
 * Moves the timeline away from where it was (a new process), and checks that it moved.
 * @param {import('@playwright/test').Page} page
 * @param {string | null} from
 */
async function moveAway(page, from) {
  await run(page, 'fork', { name: 'Z' });
  await expect(page.getByTestId('panel-Z')).toBeVisible();
  expect(await stateHash(page)).not.toBe(from);
}

/**
 * Drops a file on the playground, as a drag from the desktop would.
 * @param {import('@playwright/test').Page} page
 * @param {Uint8Array} bytes
 * @param {string} name
 * @param {string} type
 */
async function drop(page, bytes, name, type) {
  const dataTransfer = await page.evaluateHandle(
    ([data, name, type]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], name, { type }));
      return dt;
    },
    [[...bytes], name, type],
  );
  const app = page.locator('vmsync-playground .app');
  await app.dispatchEvent('dragover', { dataTransfer });
  await expect(app).toHaveAttribute('data-dropping', '');
  await app.dispatchEvent('drop', { dataTransfer });
  await expect(app).not.toHaveAttribute('data-dropping', '');
}

test('scenario text and JSON exports reopen the same state; Undo takes an import back', async ({ page }) => {
  const problems = await openPanel(page);
  const hash = await stateHash(page);
  const text = await exported(page, 'export-text');
  expect(text.name).toBe('vmsync-pae-5ops.vms');
  const body = new TextDecoder().decode(text.bytes);
  expect(body).toMatch(/^config mode=pae .*strategy=era:5\.2/);
  expect(body).toContain('access A buf\n');
  const json = await exported(page, 'export-json');
  expect(json.name).toBe('vmsync-pae-5ops.json');
  const parsed = JSON.parse(new TextDecoder().decode(json.bytes));
  expect(parsed.config.mode).toBe('pae');
  expect(parsed.steps).toHaveLength(5);

  for (const file of [text, json]) {
    await moveAway(page, hash);
    const away = await stateHash(page);
    await page.getByTestId('import-file').setInputFiles(file.path);
    await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-state-hash', /** @type {string} */ (hash));
    await expect(page.getByTestId('import-status')).toContainText(file === text ? 'scenario text' : 'scenario JSON');
    await expect(page.getByTestId('import-error')).toBeEmpty();
    // One action: Undo goes back to the state before the import.
    await page.getByTestId('undo').click();
    await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-state-hash', /** @type {string} */ (away));
    await page.getByTestId('redo').click();
    await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-state-hash', /** @type {string} */ (hash));
  }
  expect(problems).toEqual([]);
});

test('a PNG figure carries its scenario: opened by file, by drop and by paste', async ({ page }) => {
  const problems = await openPanel(page);
  const hash = /** @type {string} */ (await stateHash(page));
  const png = await exported(page, 'export-png');
  expect(png.name).toBe('vmsync-pae-5ops.png');
  // A valid PNG (every CRC checked) with the scenario in a tEXt chunk before IEND.
  const types = pngChunks(png.bytes).map((c) => c.type);
  expect(types.slice(-2)).toEqual(['tEXt', 'IEND']);
  const carried = readPngText(png.bytes).get(SCENARIO_KEYWORD) ?? '';
  expect(carried).toMatch(/^config mode=pae .*\nfork A\nfork B\nmap io 0xfe000000 2M\nallocate buf 64K\naccess A buf\n$/);
  // The browser decodes it: twice the figure's size, in the light theme's background.
  const look = await page.evaluate(async (url) => {
    const img = new Image();
    img.src = url; // a data: URL, as the page's policy allows for images
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d'));
    ctx.drawImage(img, 0, 0);
    return { w: img.naturalWidth, h: img.naturalHeight, corner: [...ctx.getImageData(2, 2, 1, 1).data] };
  }, 'data:image/png;base64,' + Buffer.from(png.bytes).toString('base64'));
  expect(look.w).toBeGreaterThanOrEqual(1280);
  expect(look.h).toBeGreaterThan(400);
  expect(look.corner).toEqual([255, 255, 255, 255]);

  await moveAway(page, hash);
  await page.getByTestId('import-file').setInputFiles(png.path);
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-state-hash', hash);
  await expect(page.getByTestId('import-status')).toContainText('a PNG figure');

  await moveAway(page, hash);
  await drop(page, png.bytes, 'figure.png', 'image/png');
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-state-hash', hash);
  await expect(page.getByTestId('import-status')).toContainText('a PNG figure');

  // Pasted as an image into the paste box (a copied file or image on the clipboard).
  await moveAway(page, hash);
  await page.getByTestId('import-paste').evaluate((box, data) => {
    const clipboardData = new DataTransfer();
    clipboardData.items.add(new File([new Uint8Array(data)], 'image.png', { type: 'image/png' }));
    box.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
  }, [...png.bytes]);
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-state-hash', hash);
  await expect(page.getByTestId('import-status')).toContainText('Opened image.png (a PNG figure)');
  expect(problems).toEqual([]);
});

test('an SVG figure in the dark theme: grids, labels, legend, and its scenario reopens', async ({ page }) => {
  const problems = await openPanel(page);
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-theme', 'dark');
  const hash = /** @type {string} */ (await stateHash(page));
  const svg = await exported(page, 'export-svg');
  expect(svg.name).toBe('vmsync-pae-5ops.svg');
  const text = new TextDecoder().decode(svg.bytes);
  expect(text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(text).toContain('<rect width="'); // the background, then
  expect(text).toMatch(/<rect width="\d+" height="\d+" fill="#16171b"\/>/); // the dark palette's
  for (const grid of ['Reference', 'A', 'B']) expect(text).toContain(`<g data-grid="${grid}">`);
  expect(text).toContain('Drift from the reference (colour and glyph)');
  expect(text).toMatch(/>c0000000</); // the first row's address
  expect(text).not.toMatch(/<script|style=|href=/);
  expect(svgScenario(text)).toMatch(/^config mode=pae [\s\S]*\naccess A buf\n$/);

  await moveAway(page, hash);
  await page.getByTestId('import-file').setInputFiles(svg.path);
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-state-hash', hash);
  await expect(page.getByTestId('import-status')).toContainText('an SVG figure');
  await moveAway(page, hash);
  await drop(page, svg.bytes, 'figure.svg', 'image/svg+xml');
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-state-hash', hash);
  expect(problems).toEqual([]);
});

test('a bad import says where, at line and column, and changes nothing', async ({ page }) => {
  const problems = await openPanel(page);
  const hash = /** @type {string} */ (await stateHash(page));
  const app = page.locator('vmsync-playground .app');
  const err = page.getByTestId('import-error');

  // Text: the error at its line and column, the text in the editor with the error marked.
  await page.getByTestId('import-paste').fill('config mode=pae\nfork A\nallocate buf 64Q\n');
  await page.getByTestId('import-paste-open').click();
  await expect(err).toContainText("The pasted text could not be opened: line 3, column 14: '64Q' is not a size");
  await expect(app).toHaveAttribute('data-state-hash', hash);
  await expect(page.getByTestId('editor')).toHaveAttribute('data-error-line', '3');
  await expect(page.getByTestId('editor')).toHaveAttribute('data-error-column', '14');
  await expect(page.getByTestId('editor-text')).toHaveValue('config mode=pae\nfork A\nallocate buf 64Q\n');

  // A refused operation has a line only.
  await page.getByTestId('import-paste').fill('config mode=pae\nfork A\nexit B\n');
  await page.getByTestId('import-paste-open').click();
  await expect(err).toContainText("line 3: exit B: no live process 'B'");
  await expect(app).toHaveAttribute('data-state-hash', hash);

  // JSON: the JSON's own line and column.
  await page.getByTestId('import-paste').fill('{\n  "config": {"mode": "pae"},\n  "steps": [}\n');
  await page.getByTestId('import-paste-open').click();
  await expect(err).toContainText('line 3, column 13: not a scenario in JSON form');
  await expect(app).toHaveAttribute('data-state-hash', hash);
  // JSON that is not a scenario: the step, counted from 1, and what it lacks.
  await page.getByTestId('import-paste').fill('{"config": {"mode": "pae"}, "steps": [{"op": "fork", "name": "A"}, {"op": "allocate", "name": "b"}]}');
  await page.getByTestId('import-paste-open').click();
  await expect(err).toContainText('not a scenario in JSON form: step 2: allocate needs "size" (a string)');
  await expect(app).toHaveAttribute('data-state-hash', hash);

  // A file that carries no scenario, and one that is not a scenario at all.
  await page.getByTestId('import-file').setInputFiles({ name: 'plain.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
  await expect(err).toContainText('plain.svg could not be opened: this SVG carries no vmsync scenario');
  await page.getByTestId('import-file').setInputFiles({ name: 'x.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([1, 2, 0, 3]) });
  await expect(err).toContainText('x.bin could not be opened: this is a binary file');
  await expect(app).toHaveAttribute('data-state-hash', hash);

  // A dropped bad file opens the panel's details to say so.
  await page.getByTestId('io').locator('summary').click();
  await drop(page, new TextEncoder().encode('config mode=zz\n'), 'bad.vms', 'text/plain');
  await expect(page.getByTestId('io')).toHaveAttribute('open', '');
  await expect(err).toContainText("bad.vms could not be opened: line 1, column 1: unknown mode 'zz'");
  await expect(app).toHaveAttribute('data-state-hash', hash);
  expect(problems).toEqual([]);
});

test('opening a scenario leaves a tour; one that fails leaves the tour shown', async ({ page }) => {
  const problems = await open(page, '/#tour=lazy-fault&step=2');
  const tour = page.getByTestId('tour');
  await expect(tour).toBeVisible();
  const hash = /** @type {string} */ (await stateHash(page));
  await page.getByTestId('io').locator('summary').click();
  await page.getByTestId('import-paste').fill('config mode=pae\nfork 9A\n');
  await page.getByTestId('import-paste-open').click();
  await expect(page.getByTestId('import-error')).toContainText('line 2, column 6');
  await expect(tour).toBeVisible();
  await expect(page.getByTestId('tour-select')).toHaveValue('lazy-fault');
  expect(await stateHash(page)).toBe(hash);
  expect(new URL(page.url()).hash).toBe('#tour=lazy-fault&step=2');

  await page.getByTestId('import-paste').fill(SCENARIO);
  await page.getByTestId('import-paste-open').click();
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-position', '5');
  await expect(tour).toBeHidden();
  await expect(page.getByTestId('tour-select')).toHaveValue('');
  expect(new URL(page.url()).hash).toMatch(/^#s=config/);
  // Undo goes back to the tour's state.
  await page.getByTestId('undo').click();
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-state-hash', hash);
  expect(problems).toEqual([]);
});

test('the editor: the timeline as text, run to a line, the position, the caret, errors marked', async ({ page }) => {
  const problems = await openPanel(page);
  const app = page.locator('vmsync-playground .app');
  const editor = page.getByTestId('editor');
  const area = page.getByTestId('editor-text');
  await expect(area).toHaveValue(/^config mode=pae .*\nfork A\nfork B\nmap io 0xfe000000 2M\nallocate buf 64K\naccess A buf\n$/);
  await expect(editor).toHaveAttribute('data-at', '6');
  await expect(page.getByTestId('editor-at')).toContainText('The timeline is at line 6');

  // Stepping back moves the mark; the text (the whole timeline) stays.
  await page.getByTestId('step-back').click();
  await expect(app).toHaveAttribute('data-position', '4');
  await expect(editor).toHaveAttribute('data-at', '5');
  await expect(area).toHaveValue(/access A buf\n$/);

  // Edit with the keyboard: a new last line, then run to the cursor's line (Ctrl+Enter).
  await area.focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('fork C');
  await expect(page.getByTestId('editor-caret')).toHaveText('Line 7, column 7');
  await page.keyboard.press('Control+Enter');
  await expect(app).toHaveAttribute('data-position', '6');
  await expect(page.getByTestId('panel-C')).toBeVisible();
  await expect(editor).toHaveAttribute('data-at', '7');

  // Run to a line typed in: line 3 is the second operation.
  await page.getByTestId('editor-line').fill('3');
  await page.getByTestId('editor-run-line').click();
  await expect(app).toHaveAttribute('data-position', '2');
  await expect(page.getByTestId('panel-C')).toHaveCount(0);
  await expect(editor).toHaveAttribute('data-at', '3');
  await expect(page.getByTestId('editor-at')).toContainText('The timeline is at line 3 (of 7: the lines after it are not run)');
  await expect(area).toHaveValue(/fork C$/); // the lines after it are kept

  // An error: marked at its line and column, the timeline unchanged; "Go to the error".
  const hash = await stateHash(page);
  await area.fill('config mode=pae\nfork A\nfork 9A\nfork B\n');
  await page.getByTestId('editor-run-all').click();
  await expect(page.getByTestId('editor-error')).toContainText("line 3, column 6: '9A' is not a name");
  await expect(editor).toHaveAttribute('data-error-line', '3');
  await expect(editor).toHaveAttribute('data-error-column', '6');
  await expect(editor.locator('.ed-gutter .mark.err')).toHaveText(/✖\s*3/);
  await expect(area).toHaveAttribute('aria-invalid', '');
  expect(await stateHash(page)).toBe(hash);
  await page.getByTestId('editor-goto-error').click();
  await expect(area).toBeFocused();
  await expect(page.getByTestId('editor-caret')).toHaveText('Line 3, column 6');
  // Fixing the line clears the mark; running up to line 2 works.
  await page.keyboard.type('X');
  await expect(editor).not.toHaveAttribute('data-error-line', /.*/);
  await page.getByTestId('editor-line').fill('2');
  await page.getByTestId('editor-line').press('Enter');
  await expect(app).toHaveAttribute('data-position', '1');
  await expect(editor).toHaveAttribute('data-at', '2');

  // The text is the user's now: an operation from the form leaves it, Show resets it.
  await run(page, 'fork', { name: 'Q' });
  await expect(area).toHaveValue('config mode=pae\nfork A\nfork X9A\nfork B\n');
  await expect(editor).toHaveAttribute('data-at', '0');
  await page.getByTestId('editor-reset').click();
  await expect(area).toHaveValue(/^config mode=pae .*\nfork A\nfork Q\n$/);
  await expect(editor).toHaveAttribute('data-at', '3');
  expect(problems).toEqual([]);
});

test('ptdump of the selected table, or of a table chosen by name', async ({ page }) => {
  const problems = await openPanel(page);
  // Select a cell of A's table (a click on its grid).
  await page.getByTestId('panel-A').locator('canvas').click({ position: { x: 3, y: 3 } });
  await expect(page.getByTestId('drill')).toContainText('in A');
  const expected = await page.evaluate(async (text) => {
    const { Playground, loadEngine } = await import('/src/engine.js');
    await loadEngine();
    const pg = Playground.fromScenario(text);
    const out = { A: pg.ptdump('A', null), ref: pg.ptdump(null, null) };
    pg.free();
    return out;
  }, SCENARIO);
  const a = await exported(page, 'export-ptdump');
  expect(a.name).toBe('vmsync-pae-5ops-ptdump-A.txt');
  expect(new TextDecoder().decode(a.bytes)).toBe(expected.A);
  expect(expected.A).toContain('---[ vmalloc() Area ]---');
  await page.getByTestId('ptdump-table').selectOption({ label: 'the reference' });
  const ref = await exported(page, 'export-ptdump');
  expect(ref.name).toBe('vmsync-pae-5ops-ptdump-reference.txt');
  expect(new TextDecoder().decode(ref.bytes)).toBe(expected.ref);
  await expect(page.getByTestId('export-status')).toContainText("the ptdump of the reference's kernel half");
  expect(problems).toEqual([]);
});

test('every step of a tour as numbered figures, each carrying its step', async ({ page }) => {
  test.setTimeout(60_000);
  const problems = await openPanel(page);
  const tourText = await readFile(new URL('../../www/scenarios/lazy-fault.vms', import.meta.url), 'utf8');
  // The engine cuts the tour here too, as the page does.
  await loadEngine(await readFile(new URL('../../www/pkg/vmsync_bg.wasm', import.meta.url)));
  const { steps, lines } = splitTour(tourText);
  /** @type {import('@playwright/test').Download[]} */
  const downloads = [];
  page.on('download', (d) => downloads.push(d));
  await page.getByTestId('tour-export-select').selectOption('lazy-fault.vms');
  await page.getByTestId('tour-export-format').selectOption('svg');
  await page.getByTestId('export-tour').click();
  await expect(page.getByTestId('export-status')).toContainText(`Saved ${steps.length} figures, one per step`);
  expect(downloads.map((d) => d.suggestedFilename())).toEqual(steps.map((_, i) => `lazy-fault-${String(i + 1).padStart(2, '0')}.svg`));
  for (let i = 0; i < steps.length; i++) {
    const svg = await readFile(await downloads[i].path(), 'utf8');
    expect(svgScenario(svg), `step ${i + 1}`).toBe(prefixText(lines, steps[i].end));
    expect(svg).toContain(`step ${i + 1} of ${steps.length}`);
  }
  // And as PNGs: the first one is a PNG carrying its step.
  downloads.length = 0;
  await page.getByTestId('tour-export-format').selectOption('png');
  await page.getByTestId('export-tour').click();
  // The status still says the same from the SVGs: wait for the downloads themselves.
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(steps.length);
  await expect(page.getByTestId('export-status')).toContainText(`Saved ${steps.length} figures`);
  const first = new Uint8Array(await readFile(await downloads[0].path()));
  expect(readPngText(first).get(SCENARIO_KEYWORD)).toBe(prefixText(lines, steps[0].end));
  expect(problems).toEqual([]);
});

test('under the page\'s Content-Security-Policy, figures are made and reopened without a violation', async ({ page }) => {
  const csp = await watchCsp(page);
  const problems = await openPanel(page);
  const hash = /** @type {string} */ (await stateHash(page));
  const png = await exported(page, 'export-png');
  const svg = await exported(page, 'export-svg');
  await moveAway(page, hash);
  await drop(page, png.bytes, 'figure.png', 'image/png');
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-state-hash', hash);
  await moveAway(page, hash);
  await page.getByTestId('import-file').setInputFiles(svg.path);
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-state-hash', hash);
  await page.getByTestId('tour-export-select').selectOption('lazy-fault.vms');
  await page.getByTestId('export-tour').click();
  await expect(page.getByTestId('export-status')).toContainText('one per step');
  expect(await csp.events()).toEqual([]);
  expect(csp.console).toEqual([]);
  expect(problems).toEqual([]);
});

test('axe: the open panel has no serious or critical violations', async ({ page }) => {
  const problems = await openPanel(page);
  // Before the scan: axe's own inline styles are refused by the page's policy.
  expect(problems).toEqual([]);
  const result = await new AxeBuilder({ page }).include('vmsync-playground').analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
});

test('at phone width the open panel fits the page', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const problems = await openPanel(page);
  await page.getByTestId('editor-text').scrollIntoViewIfNeeded();
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(over).toBeLessThanOrEqual(0);
  const inside = await page.getByTestId('io').evaluate((box) => {
    const r = box.getBoundingClientRect();
    return [...box.querySelectorAll('button, select, textarea, input')].filter((e) => {
      const b = e.getBoundingClientRect();
      return b.width && (b.left < r.left - 1 || b.right > r.right + 1);
    }).map((e) => e.getAttribute('data-testid') || e.tagName);
  });
  expect(inside).toEqual([]);
  expect(problems).toEqual([]);
});
