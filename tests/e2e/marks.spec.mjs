/* global location */
// Reading the tables (issue #9 §2): the cells the last step changed are marked until
// the next step (in a tour too, where each step is a new machine of the same layout),
// and the slot hovered or focused in one table is marked in every table.
import { test, expect } from '@playwright/test';
import { open, run } from './helpers.mjs';

/**
 * The kernel slot of an address in the state a scenario reaches, as the engine says it.
 * @param {import('@playwright/test').Page} page
 * @param {string} text
 * @param {string} addr
 * @returns {Promise<number>}
 */
function slotOf(page, text, addr) {
  return page.evaluate(
    async ([t, a]) => {
      const { Playground, loadEngine } = await import('/src/engine.js');
      await loadEngine();
      const pg = Playground.fromScenario(t);
      const s = pg.slotOf(a);
      pg.free();
      return s;
    },
    [text, addr],
  );
}

const grid = (/** @type {import('@playwright/test').Page} */ page, /** @type {string} */ who) =>
  page.getByTestId(who).locator('vmsync-slot-grid');

test('the cells a step changed are marked until the next step', async ({ page }) => {
  const problems = await open(page, '/#s=' + encodeURIComponent('config mode=pae strategy=era:5.3\nfork A\n'));
  await run(page, 'allocate', { name: 'buf', size: '64K' });
  // vmalloc() gave the reference one new PMD entry, and so A (not synced in this era)
  // one slot that is now missing: one changed cell in each.
  await expect(grid(page, 'panel-reference')).toHaveAttribute('data-changed', '1');
  await expect(grid(page, 'panel-A')).toHaveAttribute('data-changed', '1');
  // The access faults and copies the entry into A: A's slot changes again, the
  // reference does not, and its mark from the step before is gone.
  await run(page, 'access', { process: 'A', addr: 'buf' });
  await expect(grid(page, 'panel-A')).toHaveAttribute('data-changed', '1');
  await expect(grid(page, 'panel-reference')).toHaveAttribute('data-changed', '0');
  // A tour step is a new machine of the same layout: its changes are marked as well.
  await page.evaluate(() => { location.hash = '#tour=lazy-fault&step=2'; });
  await expect(page.getByTestId('tour')).toBeVisible();
  await page.getByTestId('tour-next').click();
  await expect(grid(page, 'panel-reference')).toHaveAttribute('data-changed', '1');
  expect(problems).toEqual([]);
});

test('linked highlighting: a slot focused in one table is marked in every table', async ({ page }) => {
  const problems = await open(page, '/#s=' + encodeURIComponent('config mode=pae strategy=era:5.3\nfork A\nfork B\n'));
  await grid(page, 'panel-reference').locator('canvas').focus();
  await expect(grid(page, 'panel-A')).toHaveAttribute('data-linked', '0');
  await expect(grid(page, 'panel-B')).toHaveAttribute('data-linked', '0');
  await page.keyboard.press('ArrowRight');
  await expect(grid(page, 'panel-A')).toHaveAttribute('data-linked', '1');
  await grid(page, 'panel-B').locator('canvas').focus();
  await page.keyboard.press('End');
  const last = await grid(page, 'panel-A').getAttribute('data-linked');
  expect(Number(last)).toBeGreaterThan(1);
  await expect(grid(page, 'panel-reference')).toHaveAttribute('data-linked', String(last));
  expect(problems).toEqual([]);
});

test('a tour step points at the table and the slot it talks about, and rings it', async ({ page }) => {
  const problems = await open(page, '/#tour=lazy-fault&step=3');
  const panel = page.getByTestId('panel-A');
  await expect(panel).toHaveAttribute('data-pointed', '');
  const slot = await slotOf(page, 'config mode=pae split=3G pti=on strategy=era:5.3\nfork A\nallocate buf 64K\n', 'buf');
  await expect(grid(page, 'panel-A')).toHaveAttribute('data-pointed', String(slot));
  await expect(page.getByTestId('panel-reference')).not.toHaveAttribute('data-pointed', '');
  // A step without a point clears it.
  await page.getByTestId('tour-prev').click();
  await expect(panel).not.toHaveAttribute('data-pointed', '');
  expect(problems).toEqual([]);
});

test('a region has one name: the slot card says it as the legend does', async ({ page }) => {
  const problems = await open(page, '/#s=' + encodeURIComponent('config mode=pae strategy=era:5.3\nfork A\nallocate buf 64K\npoint A buf\n'));
  const slot = await slotOf(page, 'config mode=pae strategy=era:5.3\nfork A\nallocate buf 64K\n', 'buf');
  await grid(page, 'panel-A').locator('canvas').focus();
  // Down by rows, then right along the row: a few presses, not one per slot.
  const cols = await grid(page, 'panel-A').evaluate((g) => /** @type {any} */ (g).cols);
  expect(cols).toBeGreaterThan(0);
  for (let i = 0; i < Math.floor(slot / cols); i++) await page.keyboard.press('ArrowDown');
  for (let i = 0; i < slot % cols; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('slot-info').locator('#info-body')).toHaveAttribute('data-slot', String(slot));
  const legend = await page.locator('vmsync-playground #legend-regions').innerText();
  await expect(page.getByTestId('slot-info')).toContainText('vmalloc / ioremap');
  expect(legend).toContain('vmalloc / ioremap');
  expect(problems).toEqual([]);
});

test('linked highlighting reaches the compare view', async ({ page }) => {
  const problems = await open(page, '/#s=' + encodeURIComponent('config mode=pae strategy=era:5.3\nfork A\nallocate buf 64K\n'));
  await page.getByTestId('compare').locator('summary').click();
  const table = page.getByTestId('compare-table');
  await expect(table).toBeVisible();
  await table.locator('tbody tr .pick').first().click();
  const cmpGrids = page.getByTestId('compare-step').locator('vmsync-slot-grid');
  await expect(cmpGrids.first()).toBeVisible();
  await grid(page, 'panel-reference').locator('canvas').focus();
  await page.keyboard.press('ArrowRight');
  await expect(cmpGrids.first()).toHaveAttribute('data-linked', '1');
  expect(problems).toEqual([]);
});
