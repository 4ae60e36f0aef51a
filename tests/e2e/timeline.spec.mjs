// The two histories (README, "The two histories"): stepping moves the cursor through the
// timeline; Undo takes back whole actions, and never moves the cursor forward over steps
// the user has just stepped back over.
import { test, expect } from '@playwright/test';
import { open, run, stateHash } from './helpers.mjs';

test('undo while stepped back keeps the cursor where the user put it', async ({ page }) => {
  const problems = await open(page, '/#s=' + encodeURIComponent('config mode=pae strategy=lazy\n'));
  const app = page.locator('vmsync-playground .app');
  for (const name of ['A', 'B', 'C']) await run(page, 'fork', { name });
  await expect(app).toHaveAttribute('data-position', '3');
  await page.getByTestId('step-back').click();
  await page.getByTestId('step-back').click();
  await expect(app).toHaveAttribute('data-position', '1');
  const atOne = await stateHash(page);
  // Undo takes back the last action (fork C): the timeline is A, B again, and the cursor
  // stays at 1, where the user stepped to; it does not jump forward.
  await page.getByTestId('undo').click();
  await expect(app).toHaveAttribute('data-length', '2');
  await expect(app).toHaveAttribute('data-position', '1');
  expect(await stateHash(page)).toBe(atOne);
  // Redo puts fork C back, the cursor still where it is.
  await page.getByTestId('redo').click();
  await expect(app).toHaveAttribute('data-length', '3');
  await expect(app).toHaveAttribute('data-position', '1');
  // Right after an action, Undo goes back to where the cursor was before it.
  await run(page, 'fork', { name: 'D' });
  await expect(app).toHaveAttribute('data-length', '2');
  await page.getByTestId('undo').click();
  await expect(app).toHaveAttribute('data-length', '3');
  await expect(app).toHaveAttribute('data-position', '1');
  expect(problems).toEqual([]);
});
