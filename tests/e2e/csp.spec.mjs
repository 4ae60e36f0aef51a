// Content-Security-Policy: both pages of the app run under the strict policy that
// scripts/serve.mjs sends and their <meta> repeats (no inline script or style, wasm
// allowed, nothing remote), and a run through the controls meets no violation. The
// collector itself is checked: a page with an inline script and an inline style is caught.
// embed.html also preloads what it loads, and the preloads are used.
import { test, expect } from '@playwright/test';
import { run, watch, watchCsp } from './helpers.mjs';

const SCENARIO = 'config mode=pae strategy=era:5.3\nfork A\nallocate buf 64K\naccess A buf';

/**
 * The response's policy is the page's <meta> policy plus what only a header can say.
 * @param {import('@playwright/test').Page} page
 * @param {import('@playwright/test').Response | null} res
 */
async function checkPolicy(page, res) {
  const header = res?.headers()['content-security-policy'] ?? '';
  expect(header, 'the Content-Security-Policy header').not.toBe('');
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  const directives = (/** @type {string} */ p) => p.split(';').map((d) => d.trim()).filter(Boolean);
  expect(directives(header).filter((d) => !d.startsWith('frame-ancestors'))).toEqual(directives(meta ?? ''));
  const want = ["default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "object-src 'none'", "base-uri 'none'"];
  for (const d of want) expect(directives(header)).toContain(d);
  expect(header).not.toContain('unsafe-inline');
  expect(meta).not.toContain('frame-ancestors');
}

/**
 * A run through the controls: the forms, the timeline, the theme, Share, the table
 * view and a tour (a fetch of a scenario file).
 * @param {import('@playwright/test').Page} page
 */
async function exercise(page) {
  await run(page, 'fork', { name: 'B' });
  await expect(page.getByTestId('panel-B')).toBeVisible();
  await run(page, 'allocate', { name: 'big', size: '4M' });
  await expect(page.getByTestId('error-allocate')).toBeEmpty();
  await run(page, 'access', { process: 'B', addr: 'big' });
  await expect(page.getByTestId('access-outcome')).toBeVisible();
  await page.getByTestId('step-back').click();
  await page.getByTestId('step-forward').click();
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page.locator('vmsync-playground #share-link')).toBeVisible();
  await page.getByTestId('table-view').locator('summary').click();
  await expect(page.getByTestId('table-view')).toHaveAttribute('open', '');
  await page.getByTestId('panel-reference').locator('canvas').click({ position: { x: 2, y: 2 } });
  await expect(page.getByTestId('drill').locator('pre')).toBeVisible();
  await page.getByTestId('tour-select').selectOption('lazy-fault');
  await expect(page.getByTestId('tour')).toBeVisible();
  await page.getByTestId('tour-next').click();
}

for (const path of ['/', `/embed.html#s=${encodeURIComponent(SCENARIO)}`]) {
  test(`${path.slice(0, 12)}: the strict policy is sent and met, through the controls`, async ({ page }) => {
    const csp = await watchCsp(page);
    const problems = watch(page);
    const res = await page.goto(path);
    await checkPolicy(page, res);
    await expect(page.getByTestId('panel-reference')).toBeVisible();
    if (path !== '/') await expect(page.getByTestId('access-outcome')).toHaveAttribute('data-outcome', 'fault-fixed');
    await exercise(page);
    expect(await csp.events()).toEqual([]);
    expect(csp.console).toEqual([]);
    expect(problems).toEqual([]);
  });
}

test('the collector catches a violation: an inline script and an inline style are refused', async ({ page, baseURL }) => {
  const csp = await watchCsp(page);
  await page.route(`${baseURL}/embed.html`, async (route) => {
    const res = await route.fetch();
    const body = (await res.text()).replace('<body>', '<body><script>document.title = "ran";</script><p style="color: red">x</p>');
    await route.fulfill({ response: res, body });
  });
  await page.goto('/embed.html');
  await expect(page.getByTestId('panel-reference')).toBeVisible();
  expect(await page.title()).not.toBe('ran');
  await expect.poll(csp.events).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^script-src-elem blocked inline/),
      expect.stringMatching(/^style-src-attr blocked inline/),
    ]),
  );
  expect(csp.console.join('\n')).toMatch(/inline script violates the following Content Security Policy directive/);
});

test('embed.html preloads the element\'s stylesheet and the wasm, and uses the preloads', async ({ page }) => {
  /** @type {string[]} */
  const messages = [];
  page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
  /** @type {string[]} */
  const preloaded = [];
  page.on('request', (r) => {
    if (/\/pkg\/vmsync_bg\.wasm$|\/dist\/vmsync-playground\.css$/.test(r.url())) preloaded.push(new URL(r.url()).pathname);
  });
  await page.goto(`/embed.html#s=${encodeURIComponent(SCENARIO)}`, { waitUntil: 'load' });
  const hrefs = await page.locator('link[rel="modulepreload"], link[rel="preload"]').evaluateAll((ls) => ls.map((l) => l.getAttribute('href')));
  expect(hrefs).toEqual(expect.arrayContaining(['dist/vmsync-playground.css', 'pkg/vmsync_bg.wasm']));
  await expect(page.getByTestId('panel-A')).toBeVisible();
  // Chromium warns about a preload left unused a few seconds after the load event.
  await page.waitForTimeout(4_000);
  expect(messages.filter((m) => /preload/i.test(m))).toEqual([]);
  // One request for each: the engine's fetch and the shadow root's link were served by the preloads.
  expect(preloaded.sort()).toEqual(['/dist/vmsync-playground.css', '/pkg/vmsync_bg.wasm']);
});
