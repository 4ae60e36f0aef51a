// Smoke: the pages load from the static server with no console errors, the wasm is served
// as application/wasm and initialises, and the engine wrapper works in a real browser
// (64-bit addresses as BigInt, errors named by kind, cells as views over wasm memory).
import { test, expect } from '@playwright/test';
import { watch as watchErrors } from './helpers.mjs';

/** Collects console errors, uncaught exceptions and failed requests of a page. */
function watch(page) {
  const problems = watchErrors(page);
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()}`));
  return problems;
}

for (const path of ['/', '/embed.html']) {
  test(`${path} loads, serves the wasm as application/wasm and initialises it`, async ({ page }, info) => {
    const problems = watch(page);
    const wasm = page.waitForResponse((r) => r.url().endsWith('/pkg/vmsync_bg.wasm'));
    await page.goto(path);
    const res = await wasm;
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/wasm');
    // The playground shows the engine's state hash once the wasm runs.
    await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-state-hash', /^0x[0-9a-f]+$/);
    await page.screenshot({ path: info.outputPath('page.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
}

test('the engine wrapper runs in the browser: BigInt addresses, number counters, named errors, views', async ({ page }) => {
  const problems = watch(page);
  await page.goto('/');
  const r = await page.evaluate(async () => {
    const { loadEngine, Playground } = await import('/src/engine.js');
    await loadEngine();
    const pg = Playground.create({ mode: 'x86-64' });
    const step = pg.apply({ op: 'allocate', name: 'buf', size: '64K' });
    const { value: { value }, metrics } = pg.stepResult(step);
    pg.apply({ op: 'fork', name: 'A' });
    const cells = pg.cells('A');
    const out = {
      type: typeof value,
      step,
      counter: typeof metrics.tables_allocated,
      vmalloc: value >= 0xffffc90000000000n,
      cells: cells.length,
      slots: Number(pg.layout().kernel_sync_slots),
      view: cells.buffer.byteLength > cells.length,
      hash: typeof pg.stateHash(),
    };
    try { pg.apply({ op: 'access', process: 'nobody', addr: 'buf' }); } catch (e) {
      out.error = [e instanceof Error, e.name];
    }
    pg.free();
    return out;
  });
  expect(r).toEqual({ type: 'bigint', step: 0, counter: 'number', vmalloc: true, cells: 256, slots: 256, view: true, hash: 'bigint', error: [true, 'UnknownProcess'] });
  expect(problems).toEqual([]);
});
