/* global window */
// A link at the limits (issue #10 §2): 1,024 processes and 16,384 operations. The
// engine runs it in slices, so the page takes input while it loads; this test checks that
// it opens whole and prints its figures (first drawing from navigation, long tasks). The
// budgets (200 ms a task, 1 s to the first drawing) are judged by `npm run bench` on
// fresh loads, as the project's other budgets are, not by a timed assertion here.
// Playwright's trace snapshots would run in the page and count as its long tasks: off.
import { test, expect } from '@playwright/test';
import { limitsScenario, open } from './helpers.mjs';

test.use({ trace: 'off', screenshot: 'off' });

test('a link of 1,024 processes and 16,384 operations opens whole, in slices, and reports its figures', async ({ page }) => {
  // 16,384 operations (the limit) on 64 processes, a 200 kB link.
  const text = limitsScenario();
  await page.addInitScript(() => {
    /** @type {any} */ (window).__long = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) /** @type {any} */ (window).__long.push(Math.round(e.duration));
    }).observe({ type: 'longtask', buffered: true });
  });
  const problems = await open(page, '/#s=' + encodeURIComponent(text));
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-length', '16384', { timeout: 20_000 });
  await page.waitForTimeout(300);
  const firstDraw = Number(await page.locator('vmsync-playground .app').getAttribute('data-first-draw-ms'));
  const long = await page.evaluate(() => /** @type {any} */ (window).__long);
  console.log(`link at the limits: first drawing ${firstDraw} ms from navigation; long tasks ${JSON.stringify(long)}`);
  expect(firstDraw).toBeGreaterThan(0);
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-position', '16384');
  // Every panel is made in the end, in tasks of their own.
  await expect(page.locator('vmsync-playground .panel')).toHaveCount(1025, { timeout: 20_000 });
  await expect(page.getByTestId('panel-P1023')).toHaveAttribute('data-divergent-count', /^\d+$/);
  await expect(page.locator('vmsync-playground .app')).not.toHaveAttribute('aria-busy', 'true');
  expect(problems).toEqual([]);
});
