/* global document, window */
// Screenshots of the light, dark and phone layouts, saved as test artifacts (in the
// test's output folder and attached to the report), with a few layout checks that a
// broken page would fail: nothing wider than the viewport, the grids side by side on a
// desktop.
import { test, expect } from '@playwright/test';
import { build, open, run } from './helpers.mjs';

/** @param {import('@playwright/test').Page} page */
async function scene(page) {
  await build(page, { mode: 'pae', strategy: 'lazy' });
  await run(page, 'fork', { name: 'A' });
  await run(page, 'fork', { name: 'B' });
  await run(page, 'allocate', { name: 'buf', size: '4M' });
  await run(page, 'map', { name: 'io', phys: '0xfe000000', size: '2M' });
  await run(page, 'access', { process: 'A', addr: 'buf' });
  const canvas = page.getByTestId('panel-B').locator('canvas');
  await canvas.click({ position: { x: 3, y: 3 } });
}

/**
 * @param {import('@playwright/test').Page} page
 * @param {import('@playwright/test').TestInfo} info
 * @param {string} name
 */
async function shoot(page, info, name) {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: 'image/png' });
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(over, `${name}: horizontal overflow`).toBeLessThanOrEqual(0);
}

for (const [name, scheme, width, height] of [
  ['light-desktop', 'light', 1400, 900],
  ['dark-desktop', 'dark', 1400, 900],
  ['light-phone', 'light', 390, 844],
  ['dark-phone', 'dark', 390, 844],
]) {
  test(`screenshot: ${name}`, async ({ browser }, info) => {
    const ctx = await browser.newContext({ reducedMotion: 'reduce', colorScheme: /** @type {'light'|'dark'} */ (scheme), viewport: { width: Number(width), height: Number(height) } });
    const page = await ctx.newPage();
    await open(page);
    await scene(page);
    await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-theme', String(scheme));
    if (Number(width) >= 1200) {
      // Reference and A side by side.
      const r = await page.getByTestId('panel-reference').boundingBox();
      const a = await page.getByTestId('panel-A').boundingBox();
      expect(a && r && Math.abs(a.y - r.y) < 2).toBeTruthy();
    } else {
      // Phone: the grids come before the controls, and cells stay at least 6 px.
      const grid = await page.getByTestId('panels').boundingBox();
      const cfg = await page.getByTestId('cfg-mode').boundingBox();
      expect(grid && cfg && grid.y < cfg.y).toBeTruthy();
      const w = (await page.getByTestId('panel-reference').locator('canvas').boundingBox())?.width ?? 0;
      expect(w / 32).toBeGreaterThanOrEqual(7);
    }
    await shoot(page, info, name);
    await ctx.close();
  });
}
