/* global location */
// What the first drawing does not need is loaded on first use (issue #8 §3,
// docs/page-load.md): a plain first load requests dist/main.js and no other module; each
// part loads when it is opened, by the keyboard too, by a link and on back / forward;
// a card opens drawn, never empty; a part that cannot be loaded is said in place (not
// the crash screen) and loads when tried again.
import { test, expect } from '@playwright/test';
import { open, run } from './helpers.mjs';

/**
 * Records the page's requests of scripts (or of stylesheets) under /dist/ (by file name).
 * @param {import('@playwright/test').Page} page
 * @param {string} [ext]
 */
function modules(page, ext = '.js') {
  /** @type {string[]} */
  const names = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/dist/') && u.pathname.endsWith(ext)) names.push(u.pathname.slice('/dist/'.length));
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

test('the slot card and the page walk load when first used: by the keyboard, and by a link that holds an access', async ({ page }) => {
  const names = modules(page);
  const sheets = modules(page, '.css');
  const problems = await open(page, '/#s=' + encodeURIComponent('config mode=pae strategy=lazy\nfork A\n'));
  await page.waitForTimeout(300);
  expect(names).toEqual(['main.js']);
  expect(sheets).toEqual(['vmsync-playground.css']);
  await expect(page.getByTestId('walk')).toHaveText('No access yet: run one to see the walk.');

  // A table reached by the keyboard: its first slot in the card, Enter shows its lower tables.
  const grid = page.getByTestId('panel-reference').locator('canvas');
  await grid.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('slot-info')).toContainText('slot 1 ');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('drill').locator('pre')).toBeVisible();
  expect(names).toContain('slot-info.js');

  // An access by the keyboard: the walk is drawn.
  await page.getByTestId('allocate-size').fill('4M');
  await page.getByTestId('do-allocate').press('Enter');
  await page.getByTestId('access-addr').fill('buf1');
  await page.getByTestId('do-access').press('Enter');
  await expect(page.getByTestId('access-outcome')).toHaveAttribute('data-outcome', 'fault-fixed');
  expect(names).toContain('walk-view.js');
  // Each part's styles came with it, and apply: the walk's steps are laid out as cards.
  expect(sheets).toEqual(expect.arrayContaining(['slot-info.css', 'walk-view.css']));
  await expect(page.getByTestId('walk').locator('.walk-step').first()).toHaveCSS('border-top-style', 'solid');
  await expect(page.locator('vmsync-playground .kv').first()).toHaveCSS('display', 'grid');
  expect(problems).toEqual([]);
});

test('a link with an access draws its walk; back and forward go between it and a link without one', async ({ page }) => {
  const names = modules(page);
  const problems = await open(page, '/#s=' + encodeURIComponent('config mode=pae strategy=lazy\nfork A\nallocate b 4M\naccess A b\n'));
  await expect(page.getByTestId('access-outcome')).toHaveAttribute('data-outcome', 'fault-fixed');
  await expect(page.getByTestId('walk').locator('.walk-step')).toHaveCount(3);
  expect(names).toContain('walk-view.js');
  expect(names).not.toContain('slot-info.js');
  await page.evaluate(() => { location.hash = 's=' + encodeURIComponent('config mode=pae\nfork B\n'); });
  await expect(page.getByTestId('panel-B')).toBeVisible();
  await expect(page.getByTestId('walk')).toContainText('No access yet');
  await page.goBack();
  await expect(page.getByTestId('access-outcome')).toHaveAttribute('data-outcome', 'fault-fixed');
  await page.goForward();
  await expect(page.getByTestId('panel-B')).toBeVisible();
  await expect(page.getByTestId('walk')).toContainText('No access yet');
  expect(problems).toEqual([]);
});

test('a slot card or a walk that cannot be loaded is said in place, and loads when tried again', async ({ page }) => {
  let fail = true;
  await page.route('**/dist/slot-info.js', (route) => (fail ? route.abort('failed') : route.continue()));
  await page.route('**/dist/walk-view.js', (route) => (fail ? route.abort('failed') : route.continue()));
  await open(page, '/#s=' + encodeURIComponent('config mode=pae strategy=lazy\nfork A\nallocate b 4M\n'));
  const note = page.getByTestId('link-error');
  const canvas = page.getByTestId('panel-reference').locator('canvas');
  await canvas.hover({ position: { x: 2, y: 2 } });
  await expect(note).toContainText('The slot card could not be loaded');
  await run(page, 'access', { process: 'A', addr: 'b' });
  await expect(note).toContainText('The page walk could not be loaded');
  await expect(page.getByTestId('walk')).toHaveText('The page walk of the last access could not be loaded.');
  await expect(page.locator('vmsync-playground #fatal')).toBeHidden();
  // Stepped back before the access: nothing to walk, and the card says so again.
  await page.getByTestId('step-back').click();
  await expect(page.getByTestId('walk')).toHaveText('No access yet: run one to see the walk.');
  await page.getByTestId('step-forward').click();
  await expect(page.getByTestId('walk')).toHaveText('The page walk of the last access could not be loaded.');

  fail = false;
  // A selection tries the card again; the next drawing tries the walk again.
  await canvas.click({ position: { x: 2, y: 2 } });
  await expect(page.getByTestId('slot-info')).toContainText('slot 0 ');
  await expect(page.getByTestId('drill').locator('pre')).toBeVisible();
  await page.getByTestId('step-back').click();
  await page.getByTestId('step-forward').click();
  await expect(page.getByTestId('access-outcome')).toHaveAttribute('data-outcome', 'fault-fixed');
  await expect(page.getByTestId('walk').locator('.walk-step')).toHaveCount(3);
});

test('Share and the list of keys bring their markup: none at a plain load, each by the keyboard, by a link, on back and forward', async ({ page }) => {
  const names = modules(page);
  const sheets = modules(page, '.css');
  const problems = await open(page, '/#s=' + encodeURIComponent('config mode=pae\nfork A\n'));
  await page.waitForTimeout(300);
  expect(names).toEqual(['main.js']);
  // The Share panel's place is there (the button names it) and empty; no list of keys yet.
  const share = page.locator('vmsync-playground #share');
  await expect(page.getByRole('button', { name: 'Share' })).toHaveAttribute('aria-controls', 'share');
  await expect(share).toBeHidden();
  expect(await share.evaluate((e) => e.childElementCount)).toBe(0);
  expect(await page.locator('vmsync-playground #keys-dialog').count()).toBe(0);

  // Share by the keyboard: the panel opens filled, labelled by its heading, its link focused.
  await page.getByRole('button', { name: 'Share' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('vmsync-playground #share-link')).toBeFocused();
  await expect(page.locator('vmsync-playground #share-link')).toHaveValue(/#s=config%20mode%3Dpae.*%0Afork%20A%0A$/);
  await expect(page.getByRole('region', { name: 'Share this state' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Share' })).toHaveAttribute('aria-expanded', 'true');
  await expect(page.locator('vmsync-playground #share-iframe')).toHaveCSS('font-family', /monospace/);

  // Back and forward: the open panel follows the state shown.
  await page.evaluate(() => { location.hash = 's=' + encodeURIComponent('config mode=pae\nfork B\n'); });
  await expect(page.getByTestId('panel-B')).toBeVisible();
  await expect(page.locator('vmsync-playground #share-link')).toHaveValue(/%0Afork%20B%0A$/);
  await page.goBack();
  await expect(page.getByTestId('panel-A')).toBeVisible();
  await expect(page.locator('vmsync-playground #share-link')).toHaveValue(/%0Afork%20A%0A$/);
  await page.goForward();
  await expect(page.locator('vmsync-playground #share-link')).toHaveValue(/%0Afork%20B%0A$/);

  // The list of keys by the keyboard (?): a modal dialog; Esc shuts it, and Close.
  await page.locator('vmsync-playground #tl-back').focus();
  await page.keyboard.press('?');
  const keys = page.getByTestId('keys-dialog');
  await expect(keys).toBeVisible();
  await expect(keys).toContainText('presenter mode on or off');
  await expect(keys.locator('dl')).toHaveCSS('display', 'grid');
  await page.keyboard.press('Escape');
  await expect(keys).toBeHidden();
  await expect(page.locator('vmsync-playground #tl-back')).toBeFocused();
  await page.keyboard.press('?');
  await expect(keys).toBeVisible();
  await page.getByTestId('keys-close').click();
  await expect(keys).toBeHidden();
  expect(names).toEqual(expect.arrayContaining(['share-view.js', 'keys-dialog.js']));
  expect(sheets).toEqual(expect.arrayContaining(['share-view.css', 'keys-dialog.css']));
  expect(problems).toEqual([]);
});

test('a link to a tour: its Keys button opens the list', async ({ page }) => {
  const problems = await open(page, '/#tour=two-level&step=2');
  await expect(page.getByTestId('tour')).toBeVisible();
  await page.getByTestId('keys-help').click();
  await expect(page.getByTestId('keys-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('keys-dialog')).toBeHidden();
  await expect(page.getByTestId('keys-help')).toBeFocused();
  expect(problems).toEqual([]);
});

test('Share or the list of keys that cannot be loaded is said in place, and loads when tried again', async ({ page }) => {
  let fail = true;
  await page.route('**/dist/share-view.js', (route) => (fail ? route.abort('failed') : route.continue()));
  await page.route('**/dist/keys-dialog.js', (route) => (fail ? route.abort('failed') : route.continue()));
  await open(page, '/#s=' + encodeURIComponent('config mode=pae\n'));
  const note = page.getByTestId('link-error');
  const shareBtn = page.getByRole('button', { name: 'Share' });
  await shareBtn.click();
  await expect(note).toContainText('Share could not be loaded');
  await expect(shareBtn).toHaveAttribute('aria-expanded', 'false');
  await expect(page.locator('vmsync-playground #share')).toBeHidden();
  await page.getByTestId('do-fork').focus();
  await page.keyboard.press('?');
  await expect(note).toContainText('The list of keys could not be loaded');
  await expect(page.locator('vmsync-playground #fatal')).toBeHidden();

  fail = false;
  await shareBtn.click();
  await expect(page.locator('vmsync-playground #share-link')).toHaveValue(/#s=/);
  await page.getByTestId('do-fork').focus();
  await page.keyboard.press('?');
  await expect(page.getByTestId('keys-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('do-fork')).toBeFocused();
  expect(await page.locator('vmsync-playground #keys-dialog').count()).toBe(1);
});
