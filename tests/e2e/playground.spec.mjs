// The playground's main flows, as a learner meets them: fork, allocate, access, under
// the strategies whose behaviour the page must show; bad input; undo and the timeline;
// the state in the URL.
import { test, expect } from '@playwright/test';
import { build, engineDivergence, open, pageDivergent, run, stateHash } from './helpers.mjs';

test('loads with no console errors and draws the reference', async ({ page }) => {
  const problems = await open(page);
  await expect(page.getByTestId('layout-summary')).toContainText('512 PMD slots');
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-state-hash', /^0x[0-9a-f]+$/);
  const canvas = page.getByTestId('panel-reference').locator('canvas');
  await expect(canvas).toHaveAttribute('role', 'application');
  expect((await canvas.boundingBox())?.width).toBeGreaterThan(200);
  expect(problems).toEqual([]);
});

test('lazy (PAE 3G): the divergent cells are what the engine reports; an access fixes its slot', async ({ page }) => {
  const problems = await open(page);
  await build(page, { mode: 'pae', split: '3G', strategy: 'lazy' });
  await run(page, 'fork', { name: 'A' });
  await expect(page.getByTestId('panel-A')).toBeVisible();
  expect(await pageDivergent(page, 'A')).toBe(0);
  await run(page, 'allocate', { name: 'buf', size: '64K' });
  await expect(page.getByTestId('error-allocate')).toBeEmpty();

  const engine = await engineDivergence(page);
  expect(engine.A.missing).toBeGreaterThan(0);
  expect(await pageDivergent(page, 'A')).toBe(engine.A.divergent);
  await expect(page.getByTestId('panel-A')).toHaveAttribute('data-engine-divergent', String(engine.A.divergent));
  await expect(page.getByTestId('panel-A').locator('.badge[data-class="missing"]')).toHaveText(`− ${engine.A.missing} missing`);

  await run(page, 'access', { process: 'A', addr: 'buf' });
  await expect(page.getByTestId('error-access')).toBeEmpty();
  await expect(page.getByTestId('access-outcome')).toHaveAttribute('data-outcome', 'fault-fixed');
  await expect(page.getByTestId('access-outcome')).toContainText('fault fixed');
  await expect(page.getByTestId('walk').locator('.walk-step')).toHaveCount(3);
  const after = await engineDivergence(page);
  expect(after.A.divergent).toBe(0);
  expect(await pageDivergent(page, 'A')).toBe(0);
  await expect(page.getByTestId('metrics').locator('tr[data-metric="faults_fixed"] td').first()).toHaveText('1');
  await expect(page.getByTestId('log')).toContainText('fixed up from the reference');
  expect(problems).toEqual([]);
});

test('none: the same access is an oops, and the page says so', async ({ page }) => {
  await open(page);
  await build(page, { mode: 'pae', split: '3G', strategy: 'none' });
  await run(page, 'fork', { name: 'A' });
  await run(page, 'allocate', { name: 'buf', size: '64K' });
  const engine = await engineDivergence(page);
  expect(await pageDivergent(page, 'A')).toBe(engine.A.divergent);
  expect(engine.A.divergent).toBeGreaterThan(0);
  await run(page, 'access', { process: 'A', addr: 'buf' });
  const outcome = page.getByTestId('access-outcome');
  await expect(outcome).toHaveAttribute('data-outcome', 'oops');
  await expect(outcome).toContainText('unhandled kernel page fault');
  // The kernel's own oops line for PAE (dump_pagetable()).
  await expect(outcome.locator('.walk-dump')).toContainText('*pdpt = ');
  await expect(page.getByTestId('walk').locator('.walk-step[data-state="failed"]')).toHaveCount(1);
  // Nothing fixed it: the slot is still missing.
  expect(await pageDivergent(page, 'A')).toBe(engine.A.divergent);
});

test('x86-64 with pre-allocation: allocations cause no divergence', async ({ page }) => {
  await open(page);
  await build(page, { mode: 'x86-64', strategy: 'prealloc' });
  await expect(page.getByTestId('layout-summary')).toContainText('256 PGD slots');
  await expect(page.getByTestId('layout-summary')).toContainText('256 KiB');
  await run(page, 'fork', { name: 'A' });
  await run(page, 'fork', { name: 'B' });
  for (const [name, size] of [['a1', '64K'], ['a2', '2M'], ['a3', '256M'], ['a4', '4K']]) {
    await run(page, 'allocate', { name, size });
    await expect(page.getByTestId('error-allocate')).toBeEmpty();
  }
  await run(page, 'map', { name: 'io', phys: '0xfe000000', size: '2M' });
  await expect(page.getByTestId('error-map')).toBeEmpty();
  await run(page, 'access', { process: 'A', addr: 'a3+0x1000' });
  await expect(page.getByTestId('access-outcome')).toHaveAttribute('data-outcome', 'translated');
  const engine = await engineDivergence(page);
  for (const p of ['A', 'B']) {
    expect(engine[p].divergent).toBe(0);
    expect(await pageDivergent(page, p)).toBe(0);
  }
  await expect(page.getByTestId('metrics').locator('tr[data-metric="entries_copied"] td').first()).toHaveText('0');
});

/** Fields that take text, a bad value for each, and the form whose error line must speak. */
const BAD_INPUT = [
  ['cfg-ram', 'lots', 'config'],
  ['cfg-ram', '0x1000', 'config'],
  ['cfg-vmalloc', 'x1', 'config'],
  // NR_CPUS goes to the engine as typed; the engine refuses what is not a whole number
  // in the mode's range and names the field (the page has no check of its own).
  ['cfg-cpus', 'abc', 'config'],
  ['cfg-cpus', '0', 'config'],
  ['cfg-cpus', '4.5', 'config'],
  ['cfg-cpus', '-2', 'config'],
  ['cfg-cpus', '65', 'config'],
  ['cfg-cpus', '99999999999', 'config'],
  ['fork-name', '', 'fork'],
  ['fork-name', '9lives', 'fork'],
  ['exit-process', 'nobody', 'exit'],
  ['allocate-name', '', 'allocate'],
  ['allocate-size', 'huge', 'allocate'],
  ['allocate-size', '0', 'allocate'],
  ['map-name', 'A', 'map'],
  ['map-phys', 'zz', 'map'],
  ['map-size', 'big', 'map'],
  ['unmap-name', 'ghost', 'unmap'],
  ['access-process', 'nobody', 'access'],
  ['access-addr', 'nowhere', 'access'],
  // The process's name as an address: the message quotes 'A', which is also the value of
  // the process field; the engine's `field` says the address is wrong, not the process.
  ['access-addr', 'A', 'access'],
  ['ldt-process', 'nobody', 'ldt'],
];

test('bad input in every field shows the error and changes nothing', async ({ page }) => {
  await open(page);
  await build(page, { mode: 'pae', strategy: 'lazy' });
  await run(page, 'fork', { name: 'A' });
  const hash = await stateHash(page);
  const url = page.url();
  for (const [field, value, form] of BAD_INPUT) {
    const input = page.getByTestId(field);
    const good = await input.inputValue();
    await input.fill(value);
    await page.getByTestId(form === 'config' ? 'cfg-build' : `do-${form}`).click();
    const err = page.getByTestId(`error-${form}`);
    await expect(err, `${field}=${value}`).not.toBeEmpty();
    const kinds = 'InvalidConfig|BadSize|BadAddress|UnknownProcess|UnknownAllocation|ScriptError|UnsupportedOperation|OutOfVmallocSpace|OutOfMemory';
    await expect(err).toContainText(new RegExp(`^(${kinds}): \\S`));
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    // Only that field is marked: an error is placed by the engine's field, not its text.
    const formEl = page.locator(form === 'config' ? '#config-form' : `form[data-op="${form}"]`);
    await expect(formEl.locator('[aria-invalid="true"]'), `${field}=${value}: one field marked`).toHaveCount(1);
    expect(await stateHash(page), `${field}=${value}`).toBe(hash);
    expect(page.url(), `${field}=${value}`).toBe(url);
    await input.fill(good);
  }
  // The words are the engine's: the range it holds NR_CPUS to.
  await page.getByTestId('cfg-cpus').fill('4.5');
  await page.getByTestId('cfg-build').click();
  await expect(page.getByTestId('error-config')).toHaveText(
    'InvalidConfig: NR_CPUS takes a whole number (1 to 64 on 32-bit, 1 to 8192 on 64-bit), not \'4.5\'');
  await page.getByTestId('cfg-cpus').fill('4');
  await page.getByTestId('cfg-build').click();
  await expect(page.getByTestId('error-config')).toBeEmpty();
  await expect(page.getByTestId('cfg-cpus')).not.toHaveAttribute('aria-invalid');
  await expect(page.getByTestId('cfg-cpus')).toHaveValue('4');
  // Hot-add is 64-bit: its form shows there, and refuses a bad address the same way.
  await build(page, { mode: 'x86-64', strategy: 'era:6.17' });
  const h64 = await stateHash(page);
  for (const [field, value] of [['hotplug-phys', 'nope'], ['hotplug-size', '-1'], ['hotplug-name', '']]) {
    const input = page.getByTestId(field);
    const good = await input.inputValue();
    await input.fill(value);
    await page.getByTestId('do-hotplug').click();
    await expect(page.getByTestId('error-hotplug'), `${field}=${value}`).not.toBeEmpty();
    await expect(input, `${field}=${value}`).toHaveAttribute('aria-invalid', 'true');
    expect(await stateHash(page)).toBe(h64);
    await input.fill(good);
  }
});

test('timeline: step back and forward, undo and redo, the same state each time', async ({ page }) => {
  await open(page);
  await build(page, { mode: 'pae', strategy: 'lazy' });
  const h0 = await stateHash(page);
  await run(page, 'fork', { name: 'A' });
  const h1 = await stateHash(page);
  await run(page, 'allocate', { name: 'buf', size: '64K' });
  const h2 = await stateHash(page);
  await run(page, 'access', { process: 'A', addr: 'buf' });
  const h3 = await stateHash(page);
  const app = page.locator('vmsync-playground .app');
  await expect(app).toHaveAttribute('data-position', '3');

  await page.getByTestId('step-back').click();
  expect(await stateHash(page)).toBe(h2);
  await page.getByTestId('step-back').click();
  expect(await stateHash(page)).toBe(h1);
  await expect(page.getByTestId('log').locator('li[data-ahead]')).toHaveCount(2);
  await page.getByTestId('step-forward').click();
  await page.getByTestId('step-forward').click();
  expect(await stateHash(page)).toBe(h3);
  await expect(page.getByTestId('access-outcome')).toHaveAttribute('data-outcome', 'fault-fixed');

  // Stepping back and applying something new cuts off the future; Undo brings it back.
  await page.getByTestId('step-back').click();
  await run(page, 'fork', { name: 'B' });
  await expect(app).toHaveAttribute('data-length', '3');
  await page.getByTestId('undo').click();
  await expect(app).toHaveAttribute('data-length', '3');
  await expect(app).toHaveAttribute('data-position', '2');
  expect(await stateHash(page)).toBe(h2);
  await page.getByTestId('step-forward').click();
  expect(await stateHash(page)).toBe(h3);
  await page.getByTestId('redo').click();
  await expect(page.getByTestId('panel-B')).toBeVisible();
  await page.getByTestId('undo').click();
  await page.getByTestId('undo').click();
  await page.getByTestId('undo').click();
  await page.getByTestId('undo').click();
  await page.getByTestId('undo').click();
  // Back before the rebuild to lazy: the page's first machine.
  await expect(app).toHaveAttribute('data-length', '0');
  expect(h0).toBeTruthy();
});

test('a long shared scenario loads whole; the timeline jumps to any position and back', async ({ page }) => {
  // 404 operations: four processes, then 200 allocations each freed again.
  const lines = ['config mode=x86-64 strategy=lazy', 'fork p0', 'fork p1', 'fork p2', 'fork p3'];
  for (let i = 0; i < 200; i++) lines.push(`allocate b${i} ${1 + (i % 5)}M`, `unmap b${i}`);
  const text = lines.join('\n') + '\n';
  const problems = await open(page, `/#s=${encodeURIComponent(text)}`);
  const app = page.locator('vmsync-playground .app');
  await expect(app).toHaveAttribute('data-length', '404');
  await expect(app).toHaveAttribute('data-position', '404');
  const end = await stateHash(page);

  const timeline = page.getByTestId('timeline');
  await timeline.fill('0');
  await expect(app).toHaveAttribute('data-position', '0');
  await timeline.fill('151');
  await expect(app).toHaveAttribute('data-position', '151');
  const middle = await stateHash(page);
  await timeline.fill('404');
  await expect(app).toHaveAttribute('data-position', '404');
  expect(await stateHash(page)).toBe(end);

  // The middle of the timeline is the machine that the first 151 operations build.
  const prefix = await page.context().newPage();
  await open(prefix, `/#s=${encodeURIComponent(lines.slice(0, 152).join('\n') + '\n')}`);
  await expect(prefix.locator('vmsync-playground .app')).toHaveAttribute('data-position', '151');
  expect(await stateHash(prefix)).toBe(middle);
  expect(problems).toEqual([]);
});

test('the URL holds the whole state: reloading it restores the same machine', async ({ page }) => {
  await open(page);
  await build(page, { mode: 'pae', split: '1G', strategy: 'tracked+fault' });
  await run(page, 'fork', { name: 'A' });
  await run(page, 'allocate', { name: 'buf', size: '3M' });
  await run(page, 'map', { name: 'io', phys: '0xfe000000', size: '2M' });
  const hash = await stateHash(page);
  const url = page.url();
  expect(url).toContain('#s=');
  const again = await page.context().newPage();
  const problems = await open(again, url.slice(url.indexOf('/', 8)));
  expect(await stateHash(again)).toBe(hash);
  await expect(again.getByTestId('layout-summary')).toContainText('1536 PMD slots'.replace('1536', '1\u202f536'));
  await expect(again.getByTestId('cfg-split')).toHaveValue('1G');
  await expect(again.locator('vmsync-playground .app')).toHaveAttribute('data-position', '3');
  // The restored timeline has every operation's events.
  await expect(again.getByTestId('log')).toContainText('ioremap()');
  expect(problems).toEqual([]);
});

test('share: the link and both embed snippets carry the state', async ({ page }) => {
  await open(page);
  await run(page, 'fork', { name: 'A' });
  await page.getByRole('button', { name: 'Share' }).click();
  const link = page.locator('vmsync-playground #share-link');
  await expect(link).toHaveValue(/#s=config%20mode%3Dpae.*fork%20A/);
  await expect(page.locator('vmsync-playground #share-iframe')).toHaveValue(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\.html#s=.*" title="vmsync playground: pae, 1 operation"/);
  await expect(page.locator('vmsync-playground #share-element')).toHaveValue(/<vmsync-playground height="560px" scenario="config mode=pae[^"]*&#10;fork A&#10;">/);
});

test('selecting a slot drills into its lower tables', async ({ page }) => {
  await open(page);
  await build(page, { mode: 'pae', strategy: 'lazy' });
  const canvas = page.getByTestId('panel-reference').locator('canvas');
  const box = await canvas.boundingBox();
  if (!box) throw new Error('no canvas');
  await canvas.hover({ position: { x: 2, y: 2 } });
  await expect(page.getByTestId('slot-info')).toContainText('slot 0');
  await expect(page.getByTestId('slot-info')).toContainText('0xc0000000 – 0xc01fffff');
  await canvas.click({ position: { x: 2, y: 2 } });
  await expect(page.getByTestId('drill').locator('pre')).toContainText('0xc0000000');
});

test('entries print with two hex digits per byte of the layout, in the slot info and the walk', async ({ page }) => {
  await open(page);
  const rawEntry = page.getByTestId('slot-info').locator('dd.mono').first();
  for (const [mode, digits] of [['x86-32', 8], ['pae', 16]]) {
    await build(page, { mode: String(mode), strategy: 'lazy' });
    await page.getByTestId('panel-reference').locator('canvas').hover({ position: { x: 2, y: 2 } });
    await expect(rawEntry).toHaveText(new RegExp(`^0x[0-9a-f]{${digits}}$`));
    await run(page, 'fork', { name: 'A' });
    await run(page, 'allocate', { name: 'buf', size: '4M' });
    await run(page, 'access', { process: 'A', addr: 'buf' });
    const entries = page.locator('vmsync-playground .walk-entry');
    await expect(entries.first()).toBeVisible();
    for (const t of await entries.allTextContents()) expect(t, mode).toMatch(new RegExp(`^0x[0-9a-f]{${digits}}$`));
  }
});

test('the theme toggle recolours in place: the selected slot stays selected', async ({ page }) => {
  await open(page);
  await build(page, { mode: 'pae', strategy: 'lazy' });
  const app = page.locator('vmsync-playground .app');
  const before = await app.getAttribute('data-theme');
  await page.getByTestId('panel-reference').locator('canvas').click({ position: { x: 2, y: 2 } });
  await expect(page.getByTestId('drill').locator('pre')).toContainText('0xc0000000');
  await page.getByTestId('theme-toggle').click();
  await expect(app).not.toHaveAttribute('data-theme', String(before));
  await expect(page.getByTestId('drill').locator('pre')).toContainText('0xc0000000');
});

test('a link made with an old era name opens that release\'s era, and the menu shows it', async ({ page }) => {
  // era:5.7 meant "up to 5.7" before the eras were split by release; 5.7 is in 5.3 - 5.7.
  const text = 'config mode=pae pti=on huge-ioremap=on strategy=era:5.7\nfork A\nmap io 0xfe000000 2M\nsync mappings\nunmap io\n';
  const problems = await open(page, '/#s=' + encodeURIComponent(text));
  await expect(page.getByTestId('cfg-strategy')).toHaveValue('era:5.3');
  await expect(page.locator('vmsync-playground .app')).toHaveAttribute('data-position', '4');
  // In 5.3 - 5.7 the purge synced the unmapping: nothing is left stale in A.
  expect((await engineDivergence(page)).A.divergent).toBe(0);
  expect(await pageDivergent(page, 'A')).toBe(0);
  expect(problems).toEqual([]);
});
