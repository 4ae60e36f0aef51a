/* global location */
// What the first drawing does not need is loaded on first use (issue #8 §3,
// docs/page-load.md): a plain first load requests dist/main.js and no other module; each
// part loads when it is opened, by the keyboard too, by a link and on back / forward;
// a card opens drawn, never empty; a part that cannot be loaded is said in place (not
// the crash screen) and loads when tried again.
import { test, expect } from '@playwright/test';
import { open } from './helpers.mjs';

/**
 * Records the page's requests of scripts under /dist/ (by file name).
 * @param {import('@playwright/test').Page} page
 */
function modules(page) {
  /** @type {string[]} */
  const names = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/dist/') && u.pathname.endsWith('.js')) names.push(u.pathname.slice('/dist/'.length));
  });
  return names;
}

test('a plain first load requests main.js alone; each part loads when it is opened, by the keyboard too', async ({ page }) => {
  const names = modules(page);
  const problems = await open(page, '/');
  await expect(page.getByTestId('welcome')).toBeVisible();
  await page.waitForTimeout(300);
  expect(names).toEqual(['main.js']);

  // The glossary by the keyboard: it opens with its words in it.
  const glossary = page.getByTestId('glossary');
  await glossary.locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect(glossary).toHaveAttribute('open', '');
  expect(await glossary.locator('dt').count()).toBeGreaterThanOrEqual(15);
  await expect(page.locator('vmsync-playground abbr[data-term="pti"]')).toHaveAttribute('title', /Page Table Isolation/);
  expect(names).toContain('glossary-view.js');

  // The table view, Share, and a tour from the menu.
  const table = page.getByTestId('table-view');
  await table.locator('summary').click();
  await expect(table.locator('table.cells')).toBeVisible();
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page.locator('vmsync-playground #share-link')).toHaveValue(/#s=/);
  await expect(page.locator('vmsync-playground #share-link')).toBeFocused();
  await page.getByTestId('tour-select').selectOption('lazy-fault');
  await expect(page.getByTestId('tour')).toBeVisible();
  await expect(page.locator('vmsync-playground #tour-count')).toHaveText(/^step 1 of \d+$/);
  await page.keyboard.press('Escape');
  expect(names).toEqual(expect.arrayContaining(['table-view.js', 'share-view.js', 'tour-card.js']));
  expect(problems).toEqual([]);
});

test('a link that opens a tour shows it, and back and forward go between it and free play', async ({ page }) => {
  const names = modules(page);
  const problems = await open(page, '/#tour=two-level&step=2');
  await expect(page.getByTestId('tour')).toBeVisible();
  await expect(page.locator('vmsync-playground #tour-count')).toHaveText(/^step 2 of \d+$/);
  expect(names).toContain('tour-card.js');
  await page.evaluate(() => { location.hash = 's=' + encodeURIComponent('config mode=pae\nfork A\n'); });
  await expect(page.getByTestId('panel-A')).toBeVisible();
  await expect(page.getByTestId('tour')).toBeHidden();
  await page.goBack();
  await expect(page.getByTestId('tour')).toBeVisible();
  await expect(page.locator('vmsync-playground #tour-count')).toHaveText(/^step 2 of \d+$/);
  await page.goForward();
  await expect(page.getByTestId('panel-A')).toBeVisible();
  await expect(page.getByTestId('tour')).toBeHidden();
  expect(problems).toEqual([]);
});

test('a part that cannot be loaded is said in place, not the crash screen, and loads when tried again', async ({ page }) => {
  let fail = true;
  await page.route('**/dist/glossary-view.js', (route) => (fail ? route.abort('failed') : route.continue()));
  await page.route('**/dist/tour-card.js', (route) => (fail ? route.abort('failed') : route.continue()));
  await open(page, '/#s=' + encodeURIComponent('config mode=pae\n'));
  const glossary = page.getByTestId('glossary');
  await glossary.locator('summary').click();
  const note = page.getByTestId('link-error');
  await expect(note).toBeVisible();
  await expect(note).toContainText('Part of vmsync could not be loaded');
  await expect(note).toContainText('The glossary could not be loaded');
  await expect(page.locator('vmsync-playground #fatal')).toBeHidden();
  await expect(glossary).not.toHaveAttribute('open', '');
  await page.getByTestId('tour-select').selectOption('lazy-fault');
  await expect(note).toContainText('The tour player could not be loaded');
  await expect(page.locator('vmsync-playground #fatal')).toBeHidden();
  // The playground goes on.
  await page.getByTestId('do-fork').click();
  await expect(page.getByTestId('panel-A')).toBeVisible();

  fail = false;
  await glossary.locator('summary').click();
  await expect(glossary).toHaveAttribute('open', '');
  expect(await glossary.locator('dt').count()).toBeGreaterThanOrEqual(15);
  await page.getByTestId('tour-select').selectOption('two-level');
  await expect(page.getByTestId('tour')).toBeVisible();
});
