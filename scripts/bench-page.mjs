// What a page of www/ transfers when it opens, as the system Chromium loads it: every
// request from navigation until the first complete drawing and then a quiet network
// (nothing requested for QUIET_MS), each with the gzip -9 size of the body it got
// (what a server compressing with gzip -9 would send; data: URLs cost nothing). Used by
// `npm run bench`, section (a).
import { gzipSync } from 'node:zlib';

/** A network quiet this long after the first drawing ends the load. */
const QUIET_MS = 500;

/**
 * @typedef {object} Request
 * @property {string} path the URL's path (and query), from the server's root
 * @property {string} type Chromium's resource type (document, script, fetch, stylesheet...)
 * @property {number} raw bytes of the body
 * @property {number} gz gzip -9 bytes of the body
 */

/**
 * Opens `path` in a fresh context of `browser` (empty cache) and lists what it requested.
 * @param {import('@playwright/test').Browser} browser
 * @param {string} base the server's origin, `http://127.0.0.1:PORT`
 * @param {string} path the page, e.g. `/` or `/embed.html`
 * @returns {Promise<{requests: Request[], total: number, problems: string[]}>}
 */
export async function pageRequests(browser, base, path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  /** @type {string[]} */
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  /** @type {Promise<Request | null>[]} */
  const pending = [];
  let last = Date.now();
  page.on('request', () => { last = Date.now(); });
  page.on('requestfinished', (req) => {
    last = Date.now();
    pending.push((async () => {
      const url = new URL(req.url());
      if (url.protocol === 'data:') return null;
      const res = await req.response();
      const body = res ? await res.body().catch(() => Buffer.alloc(0)) : Buffer.alloc(0);
      const path = url.origin === base ? url.pathname + url.search : url.href;
      return { path, type: req.resourceType(), raw: body.length, gz: gzipSync(body, { level: 9 }).length };
    })());
  });
  page.on('requestfailed', (req) => { if (!req.url().startsWith('data:')) problems.push(`${req.url()}: ${req.failure()?.errorText}`); });
  await page.goto(base + path);
  await page.locator('vmsync-playground .app[data-first-frame-ms]').waitFor({ timeout: 30_000 });
  while (Date.now() - last < QUIET_MS) await page.waitForTimeout(100);
  const requests = /** @type {Request[]} */ ((await Promise.all(pending)).filter(Boolean));
  await context.close();
  return { requests, total: requests.reduce((a, r) => a + r.gz, 0), problems };
}
