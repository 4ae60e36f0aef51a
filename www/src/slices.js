// @ts-check
/**
 * Running a scenario without holding the page: the engine runs it a slice of operations
 * at a time, each slice sized to take about SLICE_MS, and the page takes input and paints
 * between slices. `Timeline.runScenario` uses it, so that a long link never blocks.
 *
 * Usage:
 *   const pg = await runInSlices(Playground.begin(text));   // throws the failing step's error
 * @module
 */

/** @typedef {import('./engine.js').Playground} Playground */

/** How long one slice of a scenario run may hold the page, in milliseconds. */
const SLICE_MS = 40;

/**
 * Lets the page take input and paint, then goes on: `scheduler.yield()` where there is
 * one, else a message to self (a zero timeout would be clamped to 4 ms after a few).
 * @returns {Promise<void>}
 */
function yieldToPage() {
  const sched = /** @type {any} */ (globalThis).scheduler;
  if (sched && typeof sched.yield === 'function') return sched.yield();
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });
}

/**
 * Runs a begun playground to its end in slices of about SLICE_MS, yielding to the page
 * between them. Throws the failing step's error (the playground is freed).
 * @param {Playground} pg
 * @returns {Promise<Playground>}
 */
export async function runInSlices(pg) {
  let n = 64;
  try {
    for (;;) {
      const t0 = performance.now();
      const left = pg.run(n);
      if (left === 0) return pg;
      const ms = performance.now() - t0;
      // Aim the next slice at SLICE_MS from what this one took.
      n = Math.max(16, Math.min(1 << 16, Math.floor(n * (SLICE_MS / Math.max(1, ms)))));
      await yieldToPage();
    }
  } catch (e) {
    pg.free();
    throw e;
  }
}
