// Kernel words explained where they appear (issue #9 §2): a glossary with a link for each
// to where the kernel defines it, and the same meaning as a tooltip on the words in the
// forms.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { open } from './helpers.mjs';

test('the glossary explains each kernel word and links to its definition in the kernel source', async ({ page }) => {
  const problems = await open(page, '/#s=' + encodeURIComponent('config mode=pae\n'));
  const glossary = page.getByTestId('glossary');
  await glossary.locator('summary').click();
  // Loaded on first use, the card opens once its words are there (docs/page-load.md).
  await expect(glossary).toHaveAttribute('open', '');
  const terms = glossary.locator('dt');
  expect(await terms.count()).toBeGreaterThanOrEqual(15);
  for (const word of ['PTI', 'PAE', 'PGD', 'PMD', 'huge ioremap', 'NR_CPUS', 'pgtbl_mod_mask', 'sync_global_pgds()', 'LDT', 'preempt / resume', 'private entry']) {
    await expect(terms.filter({ hasText: word }).first(), word).toBeVisible();
  }
  const links = glossary.locator('dd a');
  expect(await links.count()).toBe(await terms.count());
  for (const href of await links.evaluateAll((as) => as.map((a) => /** @type {HTMLAnchorElement} */ (a).href))) {
    expect(href).toMatch(/^https:\/\/elixir\.bootlin\.com\/linux\/v\d+\.\d+\/A\/ident\/\w+$/);
  }
  // The words in the forms carry the same meaning as a tooltip.
  const pti = page.locator('vmsync-playground abbr[data-term="pti"]');
  await expect(pti).toHaveAttribute('title', /Page Table Isolation/);
  await expect(page.locator('vmsync-playground abbr[data-term="nr-cpus"]')).toHaveAttribute('title', /CPUs/);
  expect(problems).toEqual([]);
});

// One test per screen size: four axe scans in one test ran past the 30 s timeout on a
// loaded machine.
for (const size of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
  test(`axe: the first screen and the open glossary, light and dark, ${size.width} px wide`, async ({ page }) => {
    await page.setViewportSize(size);
    await open(page, '/');
    await expect(page.getByTestId('welcome')).toBeVisible();
    await page.getByTestId('glossary').locator('summary').click();
    await expect(page.getByTestId('glossary')).toHaveAttribute('open', '');
    for (const theme of ['light', 'dark']) {
      if (theme === 'dark') await page.getByTestId('theme-toggle').click();
      await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-theme', theme);
      const result = await new AxeBuilder({ page }).include('vmsync-playground').analyze();
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`), `${size.width} ${theme}`).toEqual([]);
    }
  });
}
