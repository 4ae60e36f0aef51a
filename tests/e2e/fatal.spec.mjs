/* global window */
// A panic in the engine is a bug: the page must say so and offer a reload, never freeze
// silently or show it as an input error. The page's own engine.js is served with one
// method made to fail the way a wasm panic does (a RuntimeError, not an engine error), to
// the page running its modules unbuilt.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { build, open, run, stateHash } from './helpers.mjs';

test('an engine panic shows a fatal error with a button that starts the element again', async ({ page }) => {
  const source = readFileSync(new URL('../../www/src/engine.js', import.meta.url), 'utf8');
  const patched = source.replace(
    /apply\(op\) \{/,
    "apply(op) { if (op && op.name === 'PANIC') { const e = new Error('unreachable executed'); e.name = 'RuntimeError'; throw e; }",
  );
  expect(patched).not.toBe(source);
  await page.route('**/src/engine.js', (route) => route.fulfill({ contentType: 'text/javascript', body: patched }));
  // The page runs its modules unbuilt (src/main.js rather than the bundle in dist/), so
  // that the engine.js it loads is the patched one.
  await page.route((url) => url.pathname === '/', async (route) => {
    const response = await route.fetch();
    const html = await response.text();
    expect(html).toContain('src="dist/main.js"');
    await route.fulfill({ response, body: html.replace('src="dist/main.js"', 'src="src/main.js"') });
  });
  await open(page);
  await build(page, { mode: 'pae', strategy: 'lazy' });
  await run(page, 'fork', { name: 'PANIC' });
  const fatal = page.getByRole('alert').filter({ hasText: 'The engine stopped' });
  await expect(fatal).toBeVisible();
  await expect(fatal).toContainText('RuntimeError: unreachable executed');
  await expect(page.getByRole('button', { name: 'Start again' })).toBeFocused();
  await expect(page.getByTestId('do-fork')).toBeDisabled();
  await expect(page.getByTestId('error-fork')).toBeEmpty();
  // Starting again touches only the element: the document is not reloaded.
  await page.evaluate(() => { /** @type {any} */ (window).__still = true; });
  await page.getByRole('button', { name: 'Start again' }).click();
  await expect(page.getByTestId('panel-reference')).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'The engine stopped' })).toBeHidden();
  expect(await page.evaluate(() => /** @type {any} */ (window).__still)).toBe(true);
  await expect(page.getByTestId('do-fork')).toBeEnabled();
});

test('changing a setting rebuilds the machine; an invalid one changes nothing', async ({ page }) => {
  await open(page);
  await page.getByTestId('cfg-mode').selectOption('x86-64');
  await expect(page.getByTestId('layout-summary')).toContainText('256 PGD slots');
  const hash = await stateHash(page);
  await page.getByTestId('cfg-strategy').selectOption('tracked+fault');
  await expect(page.getByTestId('error-config')).toContainText('InvalidConfig');
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-state-hash', hash ?? '');
  await page.getByTestId('cfg-strategy').selectOption('era:6.17');
  await expect(page.getByTestId('error-config')).toBeEmpty();
  await page.getByTestId('cfg-mode').selectOption('x86-32');
  await expect(page.getByTestId('cfg-pti')).not.toBeChecked();
  await expect(page.getByTestId('layout-summary')).toContainText('x86-32');
});
