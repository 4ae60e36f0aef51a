/* global document, location, window */
// Shared steps for the playground's browser tests. Everything is driven through the page
// (roles, labels, data-testid); the only window into the engine is the page's own
// engine.js module, imported in the page to cross-check what the page draws.
import { expect } from '@playwright/test';

/**
 * The scenario of the redraw budget (this suite's perf test, and `npm run bench`):
 * 63 processes on PAE with the 1G split, 64 tables of 1,536 PMD cells with the
 * reference, then two operations to step back and forth over (positions 64 and 65).
 * @returns {string}
 */
export function bigScenario() {
  let text = 'config mode=pae split=1G strategy=lazy\n';
  for (let i = 1; i <= 63; i++) text += `fork P${i}\n`;
  return text + 'allocate buf 8M\nmap io 0xfe000000 2M\n';
}

/**
 * A scenario at the limits (crate/src/limits.rs): 1,024 processes and 16,384 operations
 * on PAE in the 5.3 era (every process faults once), about 250 kB of text.
 * @returns {string}
 */
export function limitsScenario() {
  const lines = ['config mode=pae strategy=era:5.3'];
  for (let i = 0; i < 1024; i++) lines.push(`fork P${i}`);
  for (let n = 0; lines.length <= 16384; n++) lines.push(`allocate b${n} 4K`, `access P${n % 1024} b${n}`, `unmap b${n}`);
  return lines.slice(0, 16385).join('\n') + '\n';
}

/**
 * Collects a page's console errors and uncaught exceptions from now on.
 * @param {import('@playwright/test').Page} page
 * @returns {string[]} the live list of problems
 */
export function watch(page) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

/**
 * Collects every CSP violation of a page and its frames from the first script on: the
 * `securitypolicyviolation` events (in `window.__csp`) and the console's reports.
 * @param {import('@playwright/test').Page} page
 * @returns {Promise<{console: string[], events: () => Promise<string[]>}>}
 */
export async function watchCsp(page) {
  await page.addInitScript(() => {
    /** @type {any} */ (window).__csp = [];
    document.addEventListener(
      'securitypolicyviolation',
      (e) => /** @type {any} */ (window).__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`),
      true,
    );
  });
  /** @type {string[]} */
  const messages = [];
  page.on('console', (m) => {
    if (/content.security.policy|trusted.?type|refused to/i.test(m.text())) messages.push(`${m.type()}: ${m.text()}`);
  });
  return {
    console: messages,
    events: async () =>
      (await Promise.all(page.frames().map((f) => f.evaluate(() => /** @type {any} */ (window).__csp ?? []).catch(() => [])))).flat(),
  };
}

/**
 * Opens a page, watching it (see `watch`), and waits for the playground's first drawing.
 * @param {import('@playwright/test').Page} page
 * @param {string} [path]
 * @returns {Promise<string[]>} the live list of problems
 */
export async function open(page, path = '/') {
  const problems = watch(page);
  await page.goto(path);
  await expect(page.locator('vmsync-playground .app')).toBeVisible();
  await expect(page.getByTestId('panel-reference')).toBeVisible();
  return problems;
}

/**
 * Builds a new, empty machine from the configuration form: the replay box (checked by
 * default, so that a change keeps the operations) is unchecked for the build, and
 * checked again after it, the page's default.
 * @param {import('@playwright/test').Page} page
 * @param {{mode?: string, split?: string, strategy?: string, pti?: boolean}} cfg
 */
export async function build(page, cfg) {
  await page.getByTestId('cfg-replay').setChecked(false);
  if (cfg.mode) await page.getByTestId('cfg-mode').selectOption(cfg.mode);
  if (cfg.split) await page.getByTestId('cfg-split').selectOption(cfg.split);
  if (cfg.pti !== undefined) await page.getByTestId('cfg-pti').setChecked(cfg.pti);
  if (cfg.strategy) await page.getByTestId('cfg-strategy').selectOption(cfg.strategy);
  const before = await stateHash(page);
  await page.getByTestId('cfg-build').click();
  await expect(page.getByTestId('error-config')).toBeEmpty();
  await expect(page.getByTestId('timeline')).toHaveAttribute('max', '0');
  await page.getByTestId('cfg-replay').setChecked(true);
  return before;
}

/**
 * Fills an operation form's fields (by data-testid) and submits it.
 * @param {import('@playwright/test').Page} page
 * @param {string} op
 * @param {Record<string, string>} [fields]
 */
export async function run(page, op, fields = {}) {
  for (const [k, v] of Object.entries(fields)) await page.getByTestId(`${op}-${k}`).fill(v);
  await page.getByTestId(`do-${op}`).click();
}

/** @param {import('@playwright/test').Page} page */
export async function stateHash(page) {
  return page.locator('vmsync-playground .app').getAttribute('data-state-hash');
}

/**
 * The divergence counts the engine reports for the page's current state: the page's
 * scenario (from its URL) is run again in a fresh engine handle.
 * @param {import('@playwright/test').Page} page
 * @returns {Promise<Record<string, {missing: number, stale: number, different: number, divergent: number}>>}
 */
export async function engineDivergence(page) {
  return page.evaluate(async () => {
    const { Playground, loadEngine } = await import('/src/engine.js');
    await loadEngine();
    const m = /[#&]s=([^&]*)/.exec(location.hash);
    if (!m) throw new Error('no scenario in the URL');
    const pg = Playground.fromScenario(decodeURIComponent(m[1]));
    const at = /[#&]at=(\d+)/.exec(location.hash);
    if (at) pg.seek(Number(at[1]));
    const out = {};
    for (const p of pg.processes()) {
      const d = p.divergence;
      const n = (k) => Number(d[k] ?? 0);
      out[p.name] = { missing: n('missing'), stale: n('stale'), different: n('different'), divergent: n('missing') + n('stale') + n('different') };
    }
    pg.free();
    return out;
  });
}

/**
 * The number of cells the page marks divergent in a process's grid.
 * @param {import('@playwright/test').Page} page
 * @param {string} name
 */
export async function pageDivergent(page, name) {
  return Number(await page.getByTestId(`panel-${name}`).getAttribute('data-divergent-count'));
}

/**
 * The data-testid (or id) of the element focused inside the playground's shadow root.
 * @param {import('@playwright/test').Page} page
 */
export async function focused(page) {
  return page.evaluate(() => {
    const host = document.querySelector('vmsync-playground');
    let a = host?.shadowRoot?.activeElement ?? null;
    if (!a) return '';
    const grid = a.closest('vmsync-slot-grid');
    if (grid) return `grid:${grid.getAttribute('data-process') || 'reference'}`;
    return a.getAttribute('data-testid') || a.id || a.tagName.toLowerCase();
  });
}

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus.
 * @param {import('@playwright/test').Page} page
 * @param {string} target
 * @param {{back?: boolean, max?: number}} [opts]
 */
export async function tabTo(page, target, opts = {}) {
  const max = opts.max ?? 120;
  for (let i = 0; i < max; i++) {
    if ((await focused(page)) === target) return;
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target} (at ${await focused(page)})`);
}
