// A phone (issue #9 §4): at 390 px the operations are a drawer at the bottom of the
// screen, so that an action and its result are in view together.
import { test, expect } from '@playwright/test';
import { open } from './helpers.mjs';

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

/**
 * Whether an element is within the viewport (at least partly).
 * @param {import('@playwright/test').Locator} loc
 */
async function inView(loc) {
  const box = await loc.boundingBox();
  return !!box && box.y < 844 && box.y + box.height > 0 && box.height > 0;
}

test('on a phone the Fork button and the table it adds are on screen together', async ({ page }) => {
  const problems = await open(page, '/#s=' + encodeURIComponent('config mode=pae strategy=era:5.3\n'));
  const fork = page.getByTestId('do-fork');
  expect(await inView(fork)).toBe(true);
  await fork.tap();
  const panel = page.getByTestId('panel-A');
  await expect(panel).toBeVisible();
  // The new table is above the drawer, not under it; the Fork button is still there.
  const drawer = page.locator('vmsync-playground .controls');
  await expect.poll(async () => {
    const p = await panel.boundingBox();
    const d = await drawer.boundingBox();
    return !!p && !!d && p.y >= 0 && p.y + Math.min(p.height, 60) <= d.y;
  }).toBe(true);
  expect(await inView(fork)).toBe(true);
  await page.screenshot({ path: 'test-results/phone-fork.png' });
  expect(problems).toEqual([]);
});

test('a tapped cell shows its tip beside it, not over it, and the tip goes at the next tap', async ({ page }) => {
  const problems = await open(page, '/#s=' + encodeURIComponent('config mode=pae strategy=era:5.3\nfork A\n'));
  const canvas = page.getByTestId('panel-reference').locator('canvas');
  const box = /** @type {{x: number, y: number, width: number, height: number}} */ (await canvas.boundingBox());
  // The first cell of the second row.
  const at = { x: 3, y: box.height > 20 ? 12 : 3 };
  await canvas.tap({ position: at });
  const tip = page.getByTestId('tooltip');
  await expect(tip).toBeVisible();
  const t = /** @type {{x: number, y: number, width: number, height: number}} */ (await tip.boundingBox());
  const cx = box.x + at.x;
  const cy = box.y + at.y;
  const covers = cx >= t.x && cx <= t.x + t.width && cy >= t.y && cy <= t.y + t.height;
  expect(covers).toBe(false);
  await page.getByTestId('panel-reference').locator('h3').tap();
  await expect(tip).toBeHidden();
  expect(problems).toEqual([]);
});
