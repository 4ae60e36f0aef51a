/* global document, getComputedStyle */
// Teaching with a tour (issue #9 §3): presenter mode at 1024x768 (the card and the
// tables it talks about on one screen, the forms away), keys for every step, an outline
// to jump to any step, focus never lost, and the next tour offered at the end.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { open } from './helpers.mjs';
import { TOURS } from '../../www/src/tours.js';

/** The id (or test id) of what has focus inside the element, or null when focus is lost. */
async function focused(/** @type {import('@playwright/test').Page} */ page) {
  return page.evaluate(() => {
    const el = document.querySelector('vmsync-playground');
    const a = /** @type {HTMLElement | null} */ (el?.shadowRoot?.activeElement ?? null);
    return a ? a.dataset.testid ?? a.id : null;
  });
}

test('presenter mode: the card and its tables on one 1024x768 screen, and a link that keeps it', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  const problems = await open(page, '/#tour=lazy-fault&step=3');
  await page.getByTestId('present').click();
  const app = page.locator('vmsync-playground .app');
  await expect(app).toHaveAttribute('data-present', '');
  await expect(page.getByTestId('present')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => page.url()).toContain('present=1');
  await expect(page.getByTestId('cfg-mode')).toBeHidden();
  await expect(page.getByTestId('log')).toBeHidden();
  for (const id of ['tour-next', 'tour-prev', 'panel-reference', 'panel-A']) {
    const box = await page.getByTestId(id).boundingBox();
    expect(box, id).not.toBeNull();
    const b = /** @type {{y: number, height: number}} */ (box);
    expect(b.y + b.height, id).toBeLessThanOrEqual(768);
  }
  // The card's text is large.
  const size = await page.getByTestId('tour').locator('.say').first().evaluate((p) => parseFloat(getComputedStyle(p).fontSize));
  expect(size).toBeGreaterThanOrEqual(18);
  await page.reload();
  await expect(app).toHaveAttribute('data-present', '');
  expect(problems).toEqual([]);
});

test('keys: → next, ← back, Space reveals, ? lists the keys, P toggles presenting; focus is never lost', async ({ page }) => {
  const problems = await open(page, '/#tour=lazy-fault&step=1');
  const body = page.getByTestId('tour').locator('#tour-body');
  await expect(body).toHaveAttribute('data-step', '0');
  await page.keyboard.press('ArrowRight');
  await expect(body).toHaveAttribute('data-step', '1');
  await page.keyboard.press('ArrowLeft');
  await expect(body).toHaveAttribute('data-step', '0');
  // Forward to the question, and Space reveals it.
  const reveal = page.getByTestId('tour-reveal');
  for (let i = 0; i < 10 && !(await reveal.isVisible()); i++) await page.keyboard.press('ArrowRight');
  await expect(reveal).toBeVisible();
  await expect(body).toHaveAttribute('data-revealed', 'false');
  // Focus is on the page, not on a button: Space is the tour's key.
  await page.evaluate(() => /** @type {HTMLElement} */ (document.activeElement)?.blur());
  await page.keyboard.press(' ');
  await expect(body).toHaveAttribute('data-revealed', 'true');
  // ? opens the list of keys; Escape closes it.
  await page.keyboard.press('?');
  await expect(page.getByTestId('keys-dialog')).toBeVisible();
  await expect(page.getByTestId('keys-dialog')).toContainText('presenter mode');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('keys-dialog')).toBeHidden();
  await page.keyboard.press('p');
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-present', '');
  await page.keyboard.press('P');
  await expect(page.locator('vmsync-playground .app')).not.toHaveAttribute('data-present', '');
  // With the buttons: Next to the end, focus stays in the card at every step.
  await page.getByTestId('tour-next').focus();
  for (let i = 0; i < 30 && !(await page.getByTestId('tour-next').isDisabled()); i++) {
    await page.keyboard.press('Enter');
    expect(await focused(page), `after step ${i}`).not.toBeNull();
  }
  await expect(page.getByTestId('tour-next')).toBeDisabled();
  expect(await focused(page)).not.toBeNull();
  expect(problems).toEqual([]);
});

test('the outline jumps to any step, counted from 1; the end offers the next tour', async ({ page }) => {
  const problems = await open(page, '/#tour=lazy-fault&step=1');
  const tour = page.getByTestId('tour');
  await tour.getByText('All steps').click();
  const items = page.getByTestId('tour-outline').locator('button[data-step]');
  const n = await items.count();
  expect(n).toBeGreaterThan(3);
  await expect(items.first()).toHaveText(/^1\. /);
  await items.nth(3).click();
  await expect(tour.locator('#tour-body')).toHaveAttribute('data-step', '3');
  await expect(tour.locator('#tour-count')).toHaveText(`step 4 of ${n}`);
  await expect.poll(() => page.url()).toContain('tour=lazy-fault&step=4');
  await expect(items.nth(3)).toHaveAttribute('aria-current', 'step');
  // The last step: the end of the tour and the next one in teaching order.
  await items.nth(n - 1).click();
  await expect(page.getByTestId('tour-end')).toBeVisible();
  // The next tour in teaching order (www/src/tours.js).
  const names = TOURS.map((x) => x.file.replace(/\.vms$/, ''));
  const next = names[names.indexOf('lazy-fault') + 1];
  await expect(page.getByTestId('next-tour')).toHaveAttribute('data-tour', next);
  await page.getByTestId('next-tour').click();
  await expect.poll(() => page.url()).toContain(`tour=${next}&step=1`);
  await expect(tour.locator('#tour-body')).toHaveAttribute('data-step', '0');
  expect(problems).toEqual([]);
});

test('axe: presenter mode with a question and its choices, light and dark, has no serious or critical violations', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  const problems = await open(page, '/#tour=pae-1272&step=1&present=1');
  const reveal = page.getByTestId('tour-reveal');
  for (let i = 0; i < 10 && !(await reveal.isVisible()); i++) await page.getByTestId('tour-next').click();
  await expect(page.getByTestId('choice').first()).toBeVisible();
  await page.getByTestId('choice').first().click();
  expect(problems).toEqual([]);
  for (const theme of ['light', 'dark']) {
    if (theme === 'dark') await page.getByTestId('theme-toggle').click();
    await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-theme', theme);
    await page.screenshot({ path: `test-results/presenter-${theme}-1024x768.png` });
    const result = await new AxeBuilder({ page }).include('vmsync-playground').analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`), theme).toEqual([]);
  }
});
