/* global document, window, getComputedStyle */
// Embedding: embed.html driven by its hash, and <vmsync-playground> dropped into a host
// page with attributes — nothing may leak into the host (styles, globals, layout).
import { test, expect } from '@playwright/test';
import { watch } from './helpers.mjs';

const HOST = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title>
<link rel="icon" href="data:,">
<style>body { font: 17px Georgia, serif; color: rgb(10, 20, 30); } p { margin: 3px; }</style></head>
<body><p id="before">Host text before.</p>
<vmsync-playground id="demo" theme="dark" height="420" read-only
  scenario="config mode=x86-64 strategy=prealloc&#10;fork A&#10;allocate b 64K&#10;access A b"></vmsync-playground>
<p id="after">Host text after.</p></body></html>`;

test('embed.html takes its state, theme and read-only from the hash', async ({ page }) => {
  const problems = watch(page);
  const scenario = encodeURIComponent('config mode=pae strategy=none\nfork A\nallocate buf 64K\n');
  await page.goto(`/embed.html#s=${scenario}&theme=dark&ro=1`);
  const app = page.locator('vmsync-playground .app');
  await expect(app).toHaveAttribute('data-theme', 'dark');
  await expect(app).toHaveAttribute('data-readonly', '');
  await expect(page.getByTestId('panel-A')).toBeVisible();
  await expect(page.getByTestId('cfg-mode')).toBeHidden();
  await expect(page.getByTestId('do-fork')).toBeHidden();
  // The timeline still works read-only.
  await page.getByTestId('step-back').click();
  await expect(app).toHaveAttribute('data-position', '1');
  expect(problems).toEqual([]);
});

test('<vmsync-playground> in a host page: attributes work and nothing leaks', async ({ page, baseURL }) => {
  await page.route('**/__host.html', (route) => route.fulfill({ contentType: 'text/html', body: HOST }));
  await page.goto(`${baseURL}/__host.html`);
  const before = await page.evaluate(() => ({
    globals: Object.getOwnPropertyNames(window),
    sheets: document.styleSheets.length,
    p: getComputedStyle(document.getElementById('before')).font,
    color: getComputedStyle(document.body).color,
  }));
  await page.evaluate(async () => {
    await import('/src/main.js');
  });
  const app = page.locator('#demo .app');
  await expect(app).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('panel-A')).toBeVisible();
  await expect(page.getByTestId('access-outcome')).toHaveAttribute('data-outcome', 'translated');
  await expect(page.getByTestId('panel-A')).toHaveAttribute('data-divergent-count', '0');
  await expect(page.getByTestId('cfg-mode')).toBeHidden();
  const box = await page.locator('#demo').boundingBox();
  expect(box?.height).toBe(420);

  const after = await page.evaluate(() => ({
    globals: Object.getOwnPropertyNames(window),
    sheets: document.styleSheets.length,
    p: getComputedStyle(document.getElementById('before')).font,
    color: getComputedStyle(document.body).color,
  }));
  expect(after.globals.filter((g) => !before.globals.includes(g))).toEqual([]);
  expect(after.sheets).toBe(before.sheets);
  expect(after.p).toBe(before.p);
  expect(after.color).toBe(before.color);
  // The host's text sits below the element, which scrolls inside its own height.
  const hostAfter = await page.locator('#after').boundingBox();
  expect(hostAfter && box && hostAfter.y >= box.y + box.height).toBeTruthy();
  // The host page's URL is not touched (no url-state attribute).
  expect(page.url()).toBe(`${baseURL}/__host.html`);

  // Attributes change the element live.
  await page.locator('#demo').evaluate((el) => el.setAttribute('theme', 'light'));
  await expect(app).toHaveAttribute('data-theme', 'light');
  await page.locator('#demo').evaluate((el) => el.removeAttribute('read-only'));
  await expect(page.getByTestId('cfg-mode')).toBeVisible();
  await page.locator('#demo').evaluate((el) => el.setAttribute('scenario', 'config mode=x86-32 strategy=lazy\nfork Q\n'));
  await expect(page.getByTestId('panel-Q')).toBeVisible();
  await expect(page.getByTestId('layout-summary')).toContainText('256 PGD slots of 4 MiB');
});

test('the mode attribute picks the machine when there is no scenario', async ({ page, baseURL }) => {
  await page.route('**/__host2.html', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><html lang="en"><title>h</title><link rel="icon" href="data:,"><vmsync-playground mode="la57"></vmsync-playground>' }),
  );
  await page.goto(`${baseURL}/__host2.html`);
  await page.evaluate(() => import('/src/main.js'));
  await expect(page.getByTestId('layout-summary')).toContainText('la57');
  await expect(page.getByTestId('cfg-mode')).toHaveValue('la57');
});

test('a scenario file that cannot be fetched is an error in place with a retry, not a crash', async ({ page, baseURL }) => {
  const problems = watch(page);
  await page.route('**/__host3.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><html lang="en"><title>h</title><link rel="icon" href="data:,"><p id="host">host</p><vmsync-playground id="el" scenario="scenarios/missing-file.vms"></vmsync-playground>',
    }),
  );
  let served = false;
  await page.route('**/scenarios/missing-file.vms', (route) =>
    served
      ? route.fulfill({ contentType: 'text/plain', body: 'config mode=pae strategy=lazy\nfork R\n' })
      : route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }),
  );
  const errors = [];
  await page.goto(`${baseURL}/__host3.html`);
  await page.evaluate(() => {
    /** @type {any} */ (window).__errors = [];
    document.getElementById('el')?.addEventListener('vmsync-error', (e) => /** @type {any} */ (window).__errors.push(/** @type {CustomEvent} */ (e).detail.message));
  });
  await page.evaluate(() => import('/src/main.js'));
  const note = page.getByTestId('link-error');
  await expect(note).toContainText('scenarios/missing-file.vms could not be loaded (HTTP 404');
  await expect(page.getByRole('alert').filter({ hasText: 'The engine stopped' })).toBeHidden();
  await expect(page.getByTestId('do-fork')).toBeEnabled();
  errors.push(...(await page.evaluate(() => /** @type {any} */ (window).__errors)));
  expect(errors.join(' ')).toContain('HTTP 404');
  // The file is there now: the retry loads it, and the note goes.
  served = true;
  await page.getByTestId('link-retry').click();
  await expect(page.getByTestId('panel-R')).toBeVisible();
  await expect(note).toBeHidden();
  expect(page.url()).toBe(`${baseURL}/__host3.html`);
  // 404s are the browser's console errors for the failed fetch, nothing else.
  expect(problems.filter((p) => !/404/.test(p))).toEqual([]);
});

test('embed.html in the compact layout: the tour and its grids, and a link out at the same step', async ({ page }) => {
  const problems = watch(page);
  await page.goto('/embed.html#tour=lazy-fault&step=2&controls=none');
  const app = page.locator('vmsync-playground .app');
  await expect(app).toHaveAttribute('data-controls', 'none');
  await expect(page.getByTestId('tour')).toBeVisible();
  await expect(page.getByTestId('panel-reference')).toBeVisible();
  await expect(page.getByTestId('cfg-mode')).toBeHidden();
  await expect(page.getByTestId('timeline')).toBeHidden();
  await expect(page.getByTestId('log')).toBeHidden();
  const out = page.getByTestId('open-full');
  await expect(out).toBeVisible();
  await expect(out).toHaveAttribute('href', /index\.html#tour=lazy-fault&step=2$/);
  await page.getByTestId('tour-next').click();
  await expect(out).toHaveAttribute('href', /index\.html#tour=lazy-fault&step=3$/);
  // The embed's own hash keeps its layout.
  expect(page.url()).toMatch(/#tour=lazy-fault&step=3&ro=1&controls=none$/);
  expect(problems).toEqual([]);
});
