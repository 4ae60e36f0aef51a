/* global document, window */
// The Timeline's controls where they can be used: on a phone's first screen (390x844,
// 360x740, and the shorter 375x667 and 360x640) every button is whole and on top (the
// Operations drawer along the bottom covers none of it), and at 1024x768 (a classroom
// projector) the buttons share one line, in both themes; at 1280 and 1440 the whole
// Timeline is one line. On a phone, what takes focus under the drawer is scrolled clear
// of it.
import { test, expect } from '@playwright/test';
import { open } from './helpers.mjs';

const BUTTONS = ['step-back', 'step-forward', 'undo', 'redo'];

/**
 * Where each of the Timeline's buttons is, and what the page has on top at its centre:
 * the button itself (or something inside it) when nothing covers it.
 * @param {import('@playwright/test').Page} page
 * @param {string[]} ids data-testid of each element
 * @returns {Promise<Record<string, {x: number, y: number, w: number, h: number, top: boolean, hit: string}>>}
 */
function measure(page, ids) {
  return page.evaluate((ids) => {
    const root = /** @type {ShadowRoot} */ (/** @type {Element} */ (document.querySelector('vmsync-playground')).shadowRoot);
    /** @type {Record<string, {x: number, y: number, w: number, h: number, top: boolean, hit: string}>} */
    const out = {};
    for (const id of ids) {
      const el = /** @type {HTMLElement} */ (root.querySelector(`[data-testid="${id}"]`));
      const r = el.getBoundingClientRect();
      const hit = root.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      out[id] = {
        x: r.x, y: r.y, w: r.width, h: r.height,
        top: !!hit && el.contains(hit),
        hit: hit ? `${hit.tagName.toLowerCase()}${hit.id ? '#' + hit.id : ''}${hit.className ? '.' + String(hit.className).replace(/ /g, '.') : ''}` : 'nothing',
      };
    }
    return out;
  }, ids);
}

/**
 * Every button whole inside the viewport and on top at its centre.
 * @param {Record<string, {x: number, y: number, w: number, h: number, top: boolean, hit: string}>} m
 * @param {{width: number, height: number}} vp
 * @param {string} where
 */
function expectUsable(m, vp, where) {
  for (const [id, b] of Object.entries(m)) {
    expect(b.w, `${where}: ${id} has a size`).toBeGreaterThan(0);
    expect(b.x, `${where}: ${id} starts inside the viewport`).toBeGreaterThanOrEqual(0);
    expect(b.y, `${where}: ${id} starts inside the viewport`).toBeGreaterThanOrEqual(0);
    expect(b.x + b.w, `${where}: ${id} ends inside the viewport`).toBeLessThanOrEqual(vp.width);
    expect(b.y + b.h, `${where}: ${id} ends inside the viewport`).toBeLessThanOrEqual(vp.height);
    expect(b.top, `${where}: ${id} is covered at its centre by ${b.hit}`).toBe(true);
  }
}

for (const vp of [{ width: 390, height: 844 }, { width: 360, height: 740 }, { width: 375, height: 667 }, { width: 360, height: 640 }]) {
  test.describe(`a phone, ${vp.width}x${vp.height}`, () => {
    test.use({ viewport: vp, hasTouch: true });

    test('the first screen: every Timeline button whole and uncovered, the drawer still holds Fork', async ({ page }) => {
      const problems = await open(page);
      await expect(page.getByTestId('welcome')).toBeVisible();
      expectUsable(await measure(page, BUTTONS), vp, 'first screen');
      // The step buttons may show only their arrows here; their names keep the words.
      await expect(page.getByTestId('step-back')).toHaveAccessibleName('◀ Step back');
      await expect(page.getByTestId('step-forward')).toHaveAccessibleName('Step forward ▶');
      // What the drawer is for: the operations at hand, along the bottom of the screen.
      const fork = await measure(page, ['do-fork']);
      expectUsable(fork, vp, 'drawer');
      const drawer = await page.locator('vmsync-playground .controls').boundingBox();
      expect(drawer && drawer.y + drawer.height).toBeCloseTo(vp.height, 0);
      await page.screenshot({ path: test.info().outputPath(`phone-${vp.width}-first.png`) });
      expect(problems).toEqual([]);
    });

    test('what takes focus under the drawer is scrolled clear of it and of the Timeline', async ({ page }) => {
      // A small machine from a link: the cards under the tables start on the first
      // screen, behind the drawer, where focus finds them already "in view" and (without
      // a scroll margin) would not scroll at all.
      const problems = await open(page, `/#s=${encodeURIComponent('config mode=x86-64\nfork A\nallocate b 64K\n')}`);
      // Every summary of those cards (Glossary, Compare eras, In and out), focused from
      // the top of the page: the scroll that focus makes brings it above the drawer,
      // where a tap or Enter reaches it.
      const covered = await page.evaluate(() => {
        const root = /** @type {ShadowRoot} */ (/** @type {Element} */ (document.querySelector('vmsync-playground')).shadowRoot);
        const out = [];
        const summaries = [...root.querySelectorAll('.stage summary')].filter((e) => /** @type {HTMLElement} */ (e).offsetParent !== null);
        for (const el of summaries) {
          window.scrollTo(0, 0);
          /** @type {HTMLElement} */ (el).focus();
          const r = el.getBoundingClientRect();
          const hit = root.elementFromPoint(r.x + Math.min(r.width / 2, 24), r.y + r.height / 2);
          if (root.activeElement !== el || !hit || !el.contains(hit)) out.push(`${(el.textContent ?? '').trim().slice(0, 24)}: ${hit ? hit.tagName.toLowerCase() + '.' + hit.className : 'nothing'} on top`);
        }
        return { n: summaries.length, out };
      });
      expect(covered.n, 'the cards under the tables have summaries').toBeGreaterThanOrEqual(3);
      expect(covered.out).toEqual([]);
      // And by the keyboard: from the second summary (its card closed, nothing to reach
      // between them), Shift+Tab to the first, the page scrolled to the top before.
      const [glossary, next] = [0, 1].map((i) => page.locator('vmsync-playground .stage summary').nth(i));
      await next.evaluate((el) => /** @type {HTMLElement} */ (el).focus({ preventScroll: true }));
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.keyboard.press('Shift+Tab');
      await expect(glossary).toBeFocused();
      const box = await glossary.boundingBox();
      const drawer = await page.locator('vmsync-playground .controls').boundingBox();
      expect(box && drawer && box.y + box.height, 'the focused summary ends above the drawer').toBeLessThanOrEqual(/** @type {any} */ (drawer).y);
      expect(problems).toEqual([]);
    });

    test('a tour opened by a link: the Timeline whole and uncovered, and its buttons work', async ({ page }) => {
      const problems = await open(page, '/#tour=lazy-fault&step=3');
      await expect(page.getByTestId('tour')).toBeVisible();
      const app = page.locator('vmsync-playground .app');
      const at = Number(await app.getAttribute('data-position'));
      expect(at).toBeGreaterThan(0);
      expectUsable(await measure(page, BUTTONS), vp, 'tour');
      await page.getByTestId('step-back').tap();
      await expect(app).toHaveAttribute('data-position', String(at - 1));
      // The keys go through the controls in the order they are seen, left to right.
      const order = ['step-back', 'timeline', 'step-forward'];
      await page.getByTestId(order[0]).focus();
      for (const id of order.slice(1)) {
        await page.keyboard.press('Tab');
        await expect(page.getByTestId(id)).toBeFocused();
      }
      const seen = await measure(page, order);
      for (let i = 1; i < order.length; i++) expect(seen[order[i]].x, `${order[i]} right of ${order[i - 1]}`).toBeGreaterThan(seen[order[i - 1]].x);
      await page.getByTestId('step-forward').tap();
      await expect(app).toHaveAttribute('data-position', String(at));
      expect(problems).toEqual([]);
    });
  });
}

for (const [width, height, oneLine] of [[1024, 768, false], [1280, 800, true], [1440, 900, true]]) {
  for (const theme of ['light', 'dark']) {
    test(`${width}x${height}, ${theme}: the Timeline's buttons on one line${oneLine ? ', with its title and slider' : ''}`, async ({ browser }) => {
      const ctx = await browser.newContext({ viewport: { width: Number(width), height: Number(height) }, colorScheme: /** @type {'light'|'dark'} */ (theme), reducedMotion: 'reduce' });
      const page = await ctx.newPage();
      const problems = await open(page, '/#s=' + encodeURIComponent('config mode=pae strategy=era:5.3\nfork A\nallocate buf 64K\n'));
      await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-theme', String(theme));
      const ids = oneLine ? [...BUTTONS, 'timeline'] : BUTTONS;
      const m = await measure(page, ids);
      expectUsable(m, { width: Number(width), height: Number(height) }, `${width}x${height}`);
      // One line: every control's vertical centre on the same line (the slider is shorter
      // than a button, so centres, not top offsets, when it is among them).
      const centres = ids.map((id) => Math.round(m[id].y + m[id].h / 2));
      for (const [i, c] of centres.entries()) expect(Math.abs(c - centres[0]), `${ids[i]} on the line of ${ids[0]}`).toBeLessThanOrEqual(1);
      const tops = BUTTONS.map((id) => Math.round(m[id].y));
      expect(new Set(tops).size, `the buttons' top offsets ${tops.join(', ')}`).toBe(1);
      if (oneLine) {
        const title = await page.locator('vmsync-playground #tl-h').boundingBox();
        expect(title && Math.abs(title.y + title.height / 2 - centres[0]), 'the title on the buttons\' line').toBeLessThanOrEqual(2);
      }
      await page.screenshot({ path: test.info().outputPath(`timeline-${width}-${theme}.png`) });
      expect(problems).toEqual([]);
      await ctx.close();
    });
  }
}
