// Guided tours: every built-in tour plays to the end, forwards and backwards, and replays
// to the same states every time; checkpoints hide their answer until revealed, and offer
// the engine's choices, marked by the engine's answer.
import { test, expect } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { open, stateHash } from './helpers.mjs';
import { loadEngine } from '../../www/src/engine.js';
import { splitTour } from '../../www/src/lib/tour.js';

const tours = readdirSync(new URL('../../www/scenarios/', import.meta.url)).filter((f) => f.endsWith('.vms')).sort();

test('there are built-in tours, and the menu lists them', async ({ page }) => {
  expect(tours.length).toBeGreaterThan(0);
  await open(page);
  const options = await page.getByTestId('tour-select').locator('option').evaluateAll((os) => os.map((o) => o.value));
  for (const t of tours) expect(options, t).toContain(t.replace(/\.vms$/, ''));
});

for (const file of tours) {
  test(`tour ${file}: plays through and replays identically`, async ({ page }) => {
    const problems = await open(page, `/#tour=${file}&step=0`);
    const tour = page.getByTestId('tour');
    await expect(tour).toBeVisible();
    await expect(tour.locator('#tour-err')).toBeEmpty();
    const next = page.getByTestId('tour-next');
    const body = tour.locator('#tour-body');
    /** @type {string[]} */
    const forward = [];
    for (let i = 0; i < 60; i++) {
      const reveal = page.getByTestId('tour-reveal');
      if (await reveal.isVisible()) {
        // A checkpoint: the question is asked before its answer runs.
        await expect(body).toHaveAttribute('data-revealed', 'false');
        await expect(body.locator('.say')).toHaveCount(0);
        const before = await stateHash(page);
        await reveal.click();
        await expect(body).toHaveAttribute('data-revealed', 'true');
        expect(await stateHash(page)).not.toBe(before);
      }
      await expect(tour.locator('#tour-err')).toBeEmpty();
      forward.push(`${await body.getAttribute('data-step')}:${await stateHash(page)}`);
      if (await next.isDisabled()) break;
      await next.click();
    }
    expect(forward.length).toBeGreaterThan(1);
    // Back to the start, every step revealed on the way.
    const back = [];
    for (let i = forward.length - 1; i >= 0; i--) {
      back.unshift(`${await body.getAttribute('data-step')}:${await stateHash(page)}`);
      if (i > 0) await page.getByTestId('tour-prev').click();
    }
    expect(back).toEqual(forward);
    // The link to a step reopens that step in the same state.
    const url = page.url();
    const again = await page.context().newPage();
    await open(again, url.slice(url.indexOf('/', 8)));
    await expect(again.getByTestId('tour').locator('#tour-body')).toHaveAttribute('data-step', '0');
    expect(await stateHash(again)).toBe(forward[0].split(':')[1]);
    expect(problems).toEqual([]);
  });
}

test('leaving a tour keeps its state for free play', async ({ page }) => {
  await open(page, `/#tour=${tours[0]}&step=1`);
  const hash = await stateHash(page);
  await page.getByRole('button', { name: 'Leave the tour' }).click();
  await expect(page.getByTestId('tour')).toBeHidden();
  expect(await stateHash(page)).toBe(hash);
  expect(page.url()).toContain('#s=');
});

test("a question offers the engine's choices, and the verdict and the tally follow its answer", async ({ page }) => {
  // The engine cuts the tour here too: its choices and answers are what the page must show.
  await loadEngine(await readFile(new URL('../../www/pkg/vmsync_bg.wasm', import.meta.url)));
  const { steps } = splitTour(await readFile(new URL('../../www/scenarios/pae-1272.vms', import.meta.url), 'utf8'));
  const asked = steps.flatMap((s, i) => (s.choices.length ? [{ s, i }] : []));
  expect(asked).toHaveLength(2);
  const problems = await open(page, '/#tour=pae-1272&step=1');
  const body = page.getByTestId('tour').locator('#tour-body');
  const choices = page.getByTestId('choice');
  for (const [n, { s, i }] of asked.entries()) {
    while ((await body.getAttribute('data-step')) !== String(i)) await page.getByTestId('tour-next').click();
    await expect(body).toHaveAttribute('data-revealed', 'false');
    await expect(choices).toHaveText(s.choices);
    // The first prediction is right, the second wrong.
    const pick = n === 0 ? s.answer : s.choices.find((c) => c !== s.answer);
    await choices.filter({ hasText: new RegExp(`^${pick}$`) }).click();
    await page.getByTestId('tour-reveal').click();
    await expect(body).toHaveAttribute('data-revealed', 'true');
    await expect(page.locator('[data-testid="choice"][data-answer]')).toHaveText(String(s.answer));
    await expect(page.getByTestId('verdict')).toHaveText(
      n === 0 ? `You predicted ${pick}: right.` : `You predicted ${pick}; the answer is ${s.answer}.`,
    );
  }
  while ((await body.getAttribute('data-step')) !== String(steps.length - 1)) await page.getByTestId('tour-next').click();
  await expect(page.getByTestId('tally')).toContainText('Your predictions: 1 of 2 right.');
  expect(problems).toEqual([]);
});
