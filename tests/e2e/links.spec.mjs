/* global document, location */
// Links and hostile input (issue #10): the URL holds the whole timeline and the position
// in it, every way the hash changes leaves the URL equal to what is on screen, a link
// the page cannot use says why in place, and a link at the limits never holds the page.
import { test, expect } from '@playwright/test';
import { open, run, stateHash } from './helpers.mjs';

const app = (/** @type {import('@playwright/test').Page} */ page) => page.locator('vmsync-playground .app');
const link = (/** @type {string} */ text) => '/#s=' + encodeURIComponent(text);
const THREE = 'config mode=pae strategy=era:5.3\nfork A\nallocate buf 64K\naccess A buf\n';

test('a link pasted while a tour is open: the new state, and the URL says so', async ({ page }) => {
  const problems = await open(page, '/#tour=lazy-fault&step=2');
  await expect(page.getByTestId('tour')).toBeVisible();
  await page.evaluate((h) => { location.hash = h; }, link(THREE).slice(1));
  await expect(page.getByTestId('panel-A')).toBeVisible();
  await expect(page.getByTestId('tour')).toBeHidden();
  await expect.poll(() => page.url()).toContain('#s=');
  expect(page.url()).not.toContain('tour=');
  const hash = await stateHash(page);
  await page.reload();
  await expect(page.getByTestId('panel-A')).toBeVisible();
  expect(await stateHash(page)).toBe(hash);
  expect(problems).toEqual([]);
});

test('stepping back keeps the later steps in the URL; reload restores both', async ({ page }) => {
  const problems = await open(page, link(THREE));
  await expect(app(page)).toHaveAttribute('data-length', '3');
  const end = await stateHash(page);
  await page.getByTestId('step-back').click();
  await page.getByTestId('step-back').click();
  await expect(app(page)).toHaveAttribute('data-position', '1');
  await expect.poll(() => page.url()).toContain('&at=1');
  const mid = await stateHash(page);
  await page.reload();
  await expect(app(page)).toHaveAttribute('data-position', '1');
  await expect(app(page)).toHaveAttribute('data-length', '3');
  expect(await stateHash(page)).toBe(mid);
  await page.getByTestId('step-forward').click();
  await page.getByTestId('step-forward').click();
  await expect(app(page)).toHaveAttribute('data-position', '3');
  expect(await stateHash(page)).toBe(end);
  expect(page.url()).not.toContain('at=');
  expect(problems).toEqual([]);
});

test('back and forward between two pasted links show each, with the URL to match', async ({ page }) => {
  const problems = await open(page, link('config mode=pae\nfork A\n'));
  await expect(page.getByTestId('panel-A')).toBeVisible();
  const first = page.url();
  await page.evaluate((h) => { location.hash = h; }, link('config mode=x86-64\nfork B\n').slice(1));
  await expect(page.getByTestId('panel-B')).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId('panel-A')).toBeVisible();
  await expect(page.getByTestId('panel-B')).toHaveCount(0);
  expect(page.url()).toBe(first);
  await page.goForward();
  await expect(page.getByTestId('panel-B')).toBeVisible();
  expect(problems).toEqual([]);
});

test('the skip link moves focus to the tables and leaves the URL alone', async ({ page }) => {
  const problems = await open(page, link(THREE));
  const before = page.url();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('skip')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('panels')).toBeFocused();
  expect(page.url()).toBe(before);
  await page.reload();
  await expect(page.getByTestId('panel-A')).toBeVisible();
  expect(problems).toEqual([]);
});

/** Hashes the page cannot use, and what it must say about each. */
const BAD = [
  ['#s=%E0%A4%A', /"s" value is not valid percent-encoding/],
  ['#s=%ED%A0%80', /"s" value is not valid percent-encoding/],
  ['#tour=javascript:alert(1)', /is not one of this site's tours/],
  ['#tour=..%2F..%2Fetc%2Fpasswd', /is not one of this site's tours/],
  ['#tour=..', /is not one of this site's tours/],
  ['#tour=lazy-fault&step=abc', /step="abc" is not a step number/],
  ['#tour=lazy-fault&step=99', /step=99 is past the last step of this tour/],
  ['#s=config%20mode%3Dpae%0Afork%20A&at=7', /at=7 is past the end of this timeline/],
  ['#s=config%20mode%3Dpae%0Afrobnicate', /ScriptError: line 2, column 1/],
  ['#panels', /key "panels" is not one vmsync knows/],
];

for (const [hash, says] of BAD) {
  test(`a link it cannot use says why, in place: ${hash}`, async ({ page }) => {
    const problems = await open(page, '/' + hash);
    const note = page.getByTestId('link-error');
    await expect(note).toBeVisible();
    await expect(note).toContainText(says);
    // Nothing of it ran as script or markup, and the page goes on.
    expect(await page.evaluate(() => document.title)).toContain('vmsync');
    await run(page, 'fork', { name: 'Z' });
    await expect(page.getByTestId('panel-Z')).toBeVisible();
    await page.getByTestId('link-error').getByRole('button', { name: 'Dismiss' }).click();
    await expect(note).toBeHidden();
    expect(problems).toEqual([]);
  });
}

test('a link it cannot use, pasted over a state, loses nothing and says what is shown', async ({ page }) => {
  const problems = await open(page, link(THREE));
  await expect(app(page)).toHaveAttribute('data-length', '3');
  const before = await stateHash(page);
  for (const bad of ['s=%E0%A4%A', 's=config%20mode%3Dpae%0Afrobnicate']) {
    await page.evaluate((h) => { location.hash = h; }, bad);
    const note = page.getByTestId('link-error');
    await expect(note).toBeVisible();
    // The machine shown before stays, and the note says so rather than "the default
    // machine"; the address bar holds it again.
    await expect(note).toContainText('what was shown before stays');
    await expect(app(page)).toHaveAttribute('data-length', '3');
    expect(await stateHash(page)).toBe(before);
    await expect.poll(() => decodeURIComponent(page.url())).toContain('allocate buf 64K');
  }
  expect(problems).toEqual([]);
});

test('a link of one huge word says so in a note of a few lines, quoting the word\'s start', async ({ page }) => {
  const problems = await open(page, '/#s=' + 'x'.repeat(200_000));
  const note = page.getByTestId('link-error');
  await expect(note).toContainText(/unknown word 'x{40}…'/);
  const text = (await note.textContent()) ?? '';
  expect(text.length, 'the note quotes the start of the word, not all of it').toBeLessThan(600);
  const box = await note.boundingBox();
  expect(box && box.height, 'a note, not a wall').toBeLessThan(300);
  expect(problems).toEqual([]);
});

test('a link past the limits is refused with a clear error, and names have a length', async ({ page }) => {
  let text = 'config mode=pae strategy=lazy\n';
  for (let i = 0; i < 1025; i++) text += `fork P${i}\n`;
  const problems = await open(page, link(text));
  await expect(page.getByTestId('link-error')).toContainText('LimitExceeded');
  await expect(page.getByTestId('panel-reference')).toBeVisible();
  await page.evaluate((h) => { location.hash = h; }, link(`config mode=pae\nfork ${'x'.repeat(100000)}\n`).slice(1));
  await expect(page.getByTestId('link-error')).toContainText(/ScriptError: line 2, column 6: .*name/);
  expect(problems).toEqual([]);
});

test('a refused configuration puts the menus back to the machine that runs on', async ({ page }) => {
  const problems = await open(page, link('config mode=x86-64 strategy=era:6.17\nfork A\n'));
  const hash = await stateHash(page);
  await page.getByTestId('cfg-strategy').selectOption('tracked+fault');
  await expect(page.getByTestId('error-config')).toContainText('InvalidConfig');
  await expect(page.getByTestId('cfg-strategy')).toHaveValue('era:6.17');
  expect(await stateHash(page)).toBe(hash);
  expect(problems).toEqual([]);
});

test('a link may carry the JSON form of a scenario; the page writes it back as text', async ({ page }) => {
  const json = JSON.stringify({ config: { mode: 'pae', strategy: 'era:5.3' }, steps: [{ op: 'fork', name: 'J' }] });
  const problems = await open(page, '/#s=' + encodeURIComponent(json));
  await expect(page.getByTestId('panel-J')).toBeVisible();
  await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).toMatch(/^#s=config mode=pae[^\n]*\nfork J\n/);
  expect(problems).toEqual([]);
});
