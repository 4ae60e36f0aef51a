/* global document, getComputedStyle */
// Accessibility: an axe-core scan in both themes and at phone width, the main flow with
// the keyboard alone, and the screen-reader table of the same cells.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { build, focused, open, run, stateHash, tabTo } from './helpers.mjs';

/**
 * @param {import('@playwright/test').Page} page
 * @param {import('@playwright/test').TestInfo} info
 * @param {string} name
 */
async function scan(page, info, name) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  await info.attach(`axe-${name}.json`, { body: JSON.stringify(result.violations, null, 2), contentType: 'application/json' });
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`),
    name,
  ).toEqual([]);
}

/** A state with drift, an access and an open table view, so every part is on the page. */
async function busy(page) {
  await build(page, { mode: 'pae', strategy: 'lazy' });
  await run(page, 'fork', { name: 'A' });
  await run(page, 'fork', { name: 'B' });
  await run(page, 'allocate', { name: 'buf', size: '4M' });
  await run(page, 'access', { process: 'A', addr: 'buf' });
  await page.getByTestId('table-view').locator('summary').click();
  await expect(page.getByTestId('table-view')).toHaveAttribute('open', '');
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page.locator('vmsync-playground #share-link')).toBeVisible();
}

test('axe: no serious or critical violations, light and dark', async ({ page }, info) => {
  test.setTimeout(120_000);
  await open(page);
  await scan(page, info, 'initial');
  await busy(page);
  await scan(page, info, 'light');
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-theme', 'dark');
  await scan(page, info, 'dark');
});

test('axe at phone width', async ({ page }, info) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page);
  await busy(page);
  await scan(page, info, 'phone');
});

test('keyboard only: fork, allocate, access, explore a grid, step back, undo', async ({ page }) => {
  await open(page);
  // Start from the oldest era: choose the strategy and build with the keyboard.
  await page.keyboard.press('Tab');
  await tabTo(page, 'cfg-strategy');
  await page.keyboard.press('Home'); // era:5.2, the first choice: faults that only fill
  await tabTo(page, 'cfg-build');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cfg-strategy')).toHaveValue('era:5.2');

  await tabTo(page, 'fork-name');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('A');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('panel-A')).toBeVisible();

  await tabTo(page, 'allocate-size');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('2M');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('panel-A')).not.toHaveAttribute('data-divergent-count', '0');

  await tabTo(page, 'access-process');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('A');
  await tabTo(page, 'do-access');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('access-outcome')).toContainText('fault fixed');
  const after = await stateHash(page);

  // The grids: focus the reference, move with the arrows, select with Enter.
  await tabTo(page, 'grid:reference', { back: true });
  const label = await page.getByTestId('panel-reference').locator('canvas').getAttribute('aria-label');
  const cols = Number(/(\d+) per row/.exec(label ?? '')?.[1]);
  expect([32, 64]).toContain(cols);
  await expect(page.getByTestId('slot-info')).toContainText('slot 0 ');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('slot-info')).toContainText(`slot ${cols + 1} `);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('drill').locator('pre')).toBeVisible();
  await expect(page.getByTestId('drill')).toContainText(`slot ${cols + 1} `);
  await page.keyboard.press('End');
  await expect(page.getByTestId('slot-info')).toContainText(`slot ${2 * cols - 1} `);

  // The timeline from anywhere: Alt+Left steps back, Alt+Right forward; Ctrl+Z undoes.
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-position', '2');
  await page.keyboard.press('Alt+ArrowRight');
  expect(await stateHash(page)).toBe(after);
  await tabTo(page, 'step-back');
  await page.keyboard.press('Enter');
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-position', '2');
  await page.keyboard.press('Control+Z');
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-length', '2');
  expect(await focused(page)).toBe('step-back');
});

test('the table view lists the same cells as the grids, as text', async ({ page }) => {
  await open(page);
  await build(page, { mode: 'pae', strategy: 'none' });
  await run(page, 'fork', { name: 'A' });
  await run(page, 'allocate', { name: 'buf', size: '4M' });
  const n = Number(await page.getByTestId('panel-A').getAttribute('data-divergent-count'));
  expect(n).toBeGreaterThan(0);
  await page.getByTestId('table-view').locator('summary').click();
  const table = page.getByRole('table', { name: /Kernel slots/ });
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'A', exact: true })).toBeVisible();
  await expect(table.locator('td[data-div="missing"]')).toHaveCount(n);
  await expect(table.locator('td[data-div="missing"]').first()).toHaveText('empty − missing');
});

test('the theme follows the system and the toggle overrides it', async ({ browser }) => {
  const ctx = await browser.newContext({ colorScheme: 'dark' });
  const page = await ctx.newPage();
  await open(page);
  const app = page.locator('vmsync-playground .app');
  await expect(app).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('theme-toggle').click();
  await expect(app).toHaveAttribute('data-theme', 'light');
  expect(page.url()).toContain('theme=light');
  const bg = await page.evaluate(() => getComputedStyle(document.querySelector('vmsync-playground').shadowRoot.querySelector('.app')).backgroundColor);
  expect(bg).toBe('rgb(246, 247, 249)');
  await ctx.close();
});
