// The first screen (issue #9 §2): the page opened without a link says what it is and
// offers two starts: a tour, or fork, allocate, access with the next action marked.
import { test, expect } from '@playwright/test';
import { open } from './helpers.mjs';

test('the first screen offers a tour', async ({ page }) => {
  const problems = await open(page, '/');
  await expect(page.getByTestId('welcome')).toBeVisible();
  await page.getByTestId('start-tour').click();
  await expect(page.getByTestId('tour')).toBeVisible();
  await expect.poll(() => page.url()).toContain('tour=lazy-fault&step=1');
  await expect(page.getByTestId('welcome')).toBeHidden();
  expect(problems).toEqual([]);
});

test('the first screen offers fork, allocate, access, marking the next action each time', async ({ page }) => {
  const problems = await open(page, '/');
  await page.getByTestId('start-try').click();
  const step = page.getByTestId('welcome-step');
  await expect(step).toContainText('Step 1 of 3');
  await expect(page.getByTestId('do-fork')).toHaveAttribute('data-suggested', '');
  await expect(page.getByTestId('do-fork')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('panel-A')).toBeVisible();
  await expect(step).toContainText('Step 2 of 3');
  await expect(page.getByTestId('do-allocate')).toHaveAttribute('data-suggested', '');
  await expect(page.getByTestId('do-fork')).not.toHaveAttribute('data-suggested', '');
  await page.keyboard.press('Enter');
  await expect(step).toContainText('Step 3 of 3');
  await expect(page.getByTestId('do-access')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(step).toContainText('Done. Fault fixed: the entry was not present in this process');
  await expect(page.locator('vmsync-playground [data-suggested]')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('a link opens its state without the first screen', async ({ page }) => {
  const problems = await open(page, '/#s=' + encodeURIComponent('config mode=pae\nfork A\n'));
  await expect(page.getByTestId('panel-A')).toBeVisible();
  await expect(page.getByTestId('welcome')).toBeHidden();
  expect(problems).toEqual([]);
});
