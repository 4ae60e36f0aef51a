/* global location */
// Compare eras: the timeline's operations under every era, side by side. The table's cells
// are checked against each era's own run (computed in the page with the engine, apart from
// the view); a selected step shows each era's processes; an era can become the live
// machine, keeping the operations; and the configuration form replays by default.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { open, run, stateHash } from './helpers.mjs';

/** The stale huge PMD (www/scenarios/stale-huge-pmd.vms), as a link would carry it. */
const STALE_PMD = [
  'config mode=pae split=3G pti=on huge-ioremap=on strategy=era:5.2',
  'fork A',
  'map io 0xfe000000 2M',
  'sync mappings',
  'unmap io',
  'map io2 0xfc000000 2M',
  'access A io2',
].join('\n') + '\n';

/** @param {import('@playwright/test').Page} page */
async function openCompare(page) {
  await page.getByTestId('compare').locator('summary').click();
  const table = page.getByTestId('compare-table');
  await expect(table).toBeVisible();
  return table;
}

/**
 * Each policy's own run of a scenario's operations, one machine per policy made with
 * `Playground.create` and driven with `apply`: per operation its outcome and drift, and
 * the totals after the last one.
 * @param {import('@playwright/test').Page} page
 * @param {string} text
 * @param {string[]} policies
 */
async function ownRuns(page, text, policies) {
  return page.evaluate(
    async ([text, policies]) => {
      const { Playground, loadEngine } = await import('/src/engine.js');
      await loadEngine();
      const whole = Playground.fromScenario(text);
      const config = JSON.parse(whole.scenarioJson()).config;
      const ops = whole.history();
      whole.free();
      /** @type {Record<string, {cells: {outcome: string, drift: number}[], totals: Record<string, number>}>} */
      const out = {};
      for (const strategy of policies) {
        const pg = Playground.create({ ...config, strategy });
        const cells = ops.map((op) => {
          let outcome = 'ok';
          try {
            const r = pg.stepResult(pg.apply(op));
            if (r.value.kind === 'access') outcome = r.value.value.outcome.kind;
            else if (r.events.some((e) => e.type === 'bug')) outcome = 'bug';
            else if (r.events.some((e) => e.type === 'fault' && !e.fixed)) outcome = 'oops';
          } catch {
            outcome = 'refused';
          }
          const drift = pg.processes().reduce((n, p) => {
            const d = p.divergence;
            return n + Number(d.missing ?? 0) + Number(d.stale ?? 0) + Number(d.different ?? 0);
          }, 0);
          return { outcome, drift };
        });
        const m = pg.metrics();
        const totals = Object.fromEntries(['entries_copied', 'directories_visited', 'faults_fixed', 'oopses', 'stale_accesses', 'bugs'].map((k) => [k, Number(m[k])]));
        totals.table_bytes = Number(pg.tableBytes().total);
        out[strategy] = { cells, totals };
        pg.free();
      }
      return out;
    },
    [text, policies],
  );
}

test('the table is each era\'s own run, and the first parting is marked and said', async ({ page }) => {
  const problems = await open(page, '/#s=' + encodeURIComponent(STALE_PMD));
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-position', '6');
  const table = await openCompare(page);

  // One column per era of the strategy menu (the scenario's strategy is an era).
  const eras = await page.getByTestId('cfg-strategy').locator('optgroup[label="By kernel era"] option').evaluateAll((os) => os.map((o) => o.getAttribute('value')));
  const policies = await table.locator('thead th[data-policy]').evaluateAll((ths) => ths.map((t) => t.getAttribute('data-policy')));
  expect(policies).toEqual(eras);
  await expect(table.locator('thead th[data-policy="era:5.2"]')).toHaveAttribute('data-live', '');
  await expect(table.locator('tbody tr[data-row]')).toHaveCount(6);

  const own = await ownRuns(page, STALE_PMD, eras);
  const shown = await table.locator('tbody td[data-outcome]').evaluateAll((tds) =>
    tds.map((td) => ({ row: Number(td.closest('tr')?.getAttribute('data-row')), policy: td.getAttribute('data-policy'), outcome: td.getAttribute('data-outcome'), drift: Number(td.getAttribute('data-drift')), text: td.textContent })),
  );
  expect(shown).toHaveLength(6 * eras.length);
  for (const c of shown) {
    const want = own[String(c.policy)].cells[c.row];
    expect({ at: `${c.policy} step ${c.row + 1}`, outcome: c.outcome, drift: c.drift }).toEqual({ at: `${c.policy} step ${c.row + 1}`, ...want });
    expect(c.text).toContain(`drift ${want.drift}`);
  }
  // The story of the scenario: 5.2 reaches the old device, 5.3 faults the new one in,
  // and from 5.8 on the explicit sync no longer exists.
  expect(own['era:5.2'].cells[5].outcome).toBe('stale');
  expect(own['era:5.3'].cells[5].outcome).toBe('fault-fixed');
  expect(own['era:5.8'].cells[2].outcome).toBe('refused');
  await expect(table.locator('tbody tr[data-row="5"] td[data-policy="era:5.2"]')).toContainText('stale');
  await expect(table.locator('tbody tr[data-row="2"] td[data-policy="era:5.8"]')).toContainText('refused');

  // The totals under the table.
  for (const [k, v] of Object.entries(own['era:5.2'].totals)) {
    await expect(table.locator(`tfoot tr[data-total="${k}"] td[data-policy="era:5.2"]`), k).toHaveAttribute('data-value', String(v));
  }
  await expect(table.locator('tfoot tr[data-total="bugs"] th')).toHaveText('BUG_ONs');

  // The first row where the eras part, computed from the own runs.
  const first = own[eras[0]].cells.findIndex((_, i) =>
    eras.some((e) => own[e].cells[i].outcome !== own[eras[0]].cells[i].outcome || own[e].cells[i].drift !== own[eras[0]].cells[i].drift),
  );
  expect(first).toBe(1);
  await expect(table.locator('tbody tr[data-first-parting]')).toHaveCount(1);
  await expect(table.locator('tbody tr[data-first-parting]')).toHaveAttribute('data-row', String(first));
  await expect(page.getByTestId('compare-parting')).toHaveText('The eras part first at step 2 (line 3): map io 0xfe000000 2M');
  expect(problems).toEqual([]);
});

test('selecting a step shows each era\'s processes after it', async ({ page }) => {
  const problems = await open(page, '/#s=' + encodeURIComponent(STALE_PMD));
  const table = await openCompare(page);
  const step = page.getByTestId('compare-step');
  await expect(step.locator('.era-card')).toHaveCount(0);
  await table.locator('tbody tr[data-row="4"] .pick').click();
  await expect(table.locator('tbody tr[data-row="4"]')).toHaveAttribute('data-selected', '');
  await expect(table.locator('tbody tr[data-row="4"] .pick')).toHaveAttribute('aria-pressed', 'true');
  await expect(step.locator('h3')).toContainText('After step 5, map io2 0xfc000000 2M');
  await expect(step.locator('.era-card')).toHaveCount(7);
  for (const card of await step.locator('.era-card').all()) {
    const canvas = card.locator('.proc[data-process="A"] canvas');
    await expect(canvas).toHaveCount(1);
    const box = await canvas.boundingBox();
    // 512 PMD slots, 32 to a row, 4 px cells: 159 x 79 px.
    expect(box?.width).toBe(159);
    expect(box?.height).toBe(79);
  }
  // Up to 5.2, A keeps the unmapped huge PMD, now different from the reference's io2;
  // in 5.3 the purge took it away, and A lacks io2 until it faults; from 5.8 the
  // tracked sync copies io2 at once.
  await expect(step.locator('.era-card[data-policy="era:5.2"] .pdrift')).toHaveText('≠ 1 different');
  await expect(step.locator('.era-card[data-policy="era:5.3"] .pdrift')).toHaveText('− 1 missing');
  await expect(step.locator('.era-card[data-policy="era:5.8"] .pdrift')).toHaveText('in step');
  // Another row, then the same row again: the grids follow, then close.
  await table.locator('tbody tr[data-row="0"]').click();
  await expect(step.locator('h3')).toContainText('After step 1, fork A');
  await table.locator('tbody tr[data-row="0"] .pick').click();
  await expect(step.locator('.era-card')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('a strategy added to the comparison gets a column; one that cannot run says why', async ({ page }) => {
  const problems = await open(page, '/#s=' + encodeURIComponent(STALE_PMD));
  const table = await openCompare(page);
  await page.getByTestId('compare-add').selectOption('lazy');
  await expect(table.locator('thead th[data-policy]')).toHaveCount(8);
  await expect(table.locator('thead th[data-policy]').last()).toHaveAttribute('data-policy', 'lazy');
  const own = await ownRuns(page, STALE_PMD, ['lazy']);
  await expect(table.locator('tbody tr[data-row="5"] td[data-policy="lazy"]')).toHaveAttribute('data-outcome', own.lazy.cells[5].outcome);
  await expect(page.getByTestId('compare-parting')).toContainText('The strategies part first');
  await page.getByTestId('compare-add').selectOption('prealloc');
  await expect(table.locator('thead th[data-policy="prealloc"]')).toHaveAttribute('data-refused', '');
  await expect(table.locator('td.refused[data-policy="prealloc"]')).toContainText('Not run: InvalidConfig');
  await expect(table.locator('td.refused[data-policy="prealloc"]')).toContainText('64-bit only');
  await page.getByRole('button', { name: 'Remove prealloc from the comparison' }).click();
  await expect(table.locator('thead th[data-policy]')).toHaveCount(8);
  expect(problems).toEqual([]);
});

test('"Make this the live machine" switches the strategy and keeps the operations', async ({ page }) => {
  const problems = await open(page, '/#s=' + encodeURIComponent(STALE_PMD));
  const app = page.locator('vmsync-playground .app');
  const table = await openCompare(page);
  await table.locator('tbody tr[data-row="5"]').click();
  await table.locator('tfoot button[data-make-live="era:5.3"]').click();
  await expect(page.getByTestId('cfg-strategy')).toHaveValue('era:5.3');
  await expect(app).toHaveAttribute('data-position', '6');
  await expect(app).toHaveAttribute('data-length', '6');
  await expect(page.getByTestId('access-outcome')).toHaveAttribute('data-outcome', 'fault-fixed');
  // The same machine the scenario gives when written for 5.3.
  const want = await page.evaluate(async (text) => {
    const { Playground, loadEngine } = await import('/src/engine.js');
    await loadEngine();
    const pg = Playground.fromScenario(text);
    const h = '0x' + BigInt(pg.stateHash()).toString(16);
    pg.free();
    return h;
  }, STALE_PMD.replace('era:5.2', 'era:5.3'));
  expect(await stateHash(page)).toBe(want);
  expect(await page.evaluate(() => decodeURIComponent(location.hash))).toContain('strategy=era:5.3');
  // The table follows: 5.3 is the live column now, its button says so.
  await expect(table.locator('thead th[data-policy="era:5.3"]')).toHaveAttribute('data-live', '');
  await expect(table.locator('thead th[data-policy="era:5.2"]')).not.toHaveAttribute('data-live', '');
  await expect(table.locator('tfoot button[data-make-live="era:5.3"]')).toBeDisabled();
  await expect(table.locator('tbody tr[data-row="5"]')).toHaveAttribute('data-selected', '');
  // Undo brings the 5.2 machine back.
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('cfg-strategy')).toHaveValue('era:5.2');
  await expect(app).toHaveAttribute('data-position', '6');
  expect(problems).toEqual([]);
});

test('changing the strategy in the form replays the operations by default, and says so', async ({ page }) => {
  const problems = await open(page);
  const app = page.locator('vmsync-playground .app');
  await expect(page.getByTestId('cfg-replay')).toBeChecked();
  await expect(page.getByTestId('cfg-replay-note')).toBeVisible();
  await expect(page.getByTestId('cfg-replay-note')).toContainText('replayed on the new machine');
  await expect(page.getByTestId('cfg-replay-note')).toContainText('Uncheck to start empty');
  await run(page, 'fork', { name: 'A' });
  await run(page, 'allocate', { name: 'buf', size: '64K' });
  await expect(app).toHaveAttribute('data-position', '2');

  await page.getByTestId('cfg-strategy').selectOption('none');
  await expect(page.getByTestId('error-config')).toBeEmpty();
  await expect(app).toHaveAttribute('data-position', '2');
  await expect(page.getByTestId('panel-A')).toBeVisible();
  expect(await page.evaluate(() => decodeURIComponent(location.hash))).toMatch(/strategy=none[^]*fork A\nallocate buf 64K/);
  await expect(page.locator('vmsync-playground #announce')).toContainText('2 operations replayed');

  // Starting empty is the explicit choice.
  await page.getByTestId('cfg-replay').uncheck();
  await page.getByTestId('cfg-strategy').selectOption('lazy');
  await expect(app).toHaveAttribute('data-position', '0');
  await expect(page.getByTestId('panel-A')).toHaveCount(0);
  await expect(page.locator('vmsync-playground #announce')).toContainText('started empty');
  expect(problems).toEqual([]);
});

test('axe: the open comparison, with a step selected, has no serious or critical violations', async ({ page }) => {
  test.setTimeout(90_000);
  const problems = await open(page, '/#s=' + encodeURIComponent(STALE_PMD));
  const table = await openCompare(page);
  await page.getByTestId('compare-add').selectOption('prealloc');
  await table.locator('tbody tr[data-row="5"] .pick').click();
  await expect(page.getByTestId('compare-step').locator('.era-card')).toHaveCount(7);
  // The page's own problems, before the scans: axe then injects inline styles of its own,
  // which the page's Content-Security-Policy refuses (and reports), as it should.
  expect(problems).toEqual([]);
  for (const theme of ['light', 'dark']) {
    if (theme === 'dark') await page.getByTestId('theme-toggle').click();
    await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-theme', theme);
    const result = await new AxeBuilder({ page }).include('vmsync-playground').analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`), theme).toEqual([]);
  }
  expect(problems.filter((p) => !/Content Security Policy directive.*style-src/.test(p))).toEqual([]);
});
