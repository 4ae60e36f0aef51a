// Playwright: the browser end-to-end tests in tests/e2e, run in Debian's system Chromium
// (no browser is ever downloaded) against scripts/serve.mjs on a fixed port (8097, or
// VMSYNC_TEST_PORT, which scripts/test.sh sets to a free one), and a second instance on
// the next port: another origin, for the host page that embeds the playground
// (tests/e2e/host-origin.spec.mjs).
import { defineConfig } from '@playwright/test';

const port = Number(process.env.VMSYNC_TEST_PORT ?? 8097);
const server = (/** @type {number} */ p) => ({
  command: 'node scripts/serve.mjs',
  env: { PORT: String(p) },
  url: `http://127.0.0.1:${p}/`,
  reuseExistingServer: !process.env.CI,
  timeout: 30_000,
});

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  timeout: 30_000,
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['line']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
        '--no-first-run', '--disable-background-networking', '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: [server(port), server(port + 1)],
});
