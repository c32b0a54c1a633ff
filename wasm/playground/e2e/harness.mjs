// Drives the built playground in Debian's chromium: a loopback static server on a free port
// (serve.mjs) and a fresh browser profile per launch. Screenshots go to e2e-artifacts/playground/.
//
// Environment:
//   CHROMIUM   the browser (default /usr/bin/chromium)
//   E2E_OUT    screenshots (default <repo>/e2e-artifacts/playground)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const app = path.resolve(here, '..');
const repo = path.resolve(app, '..', '..');

export const paths = {
  dist: path.join(app, 'dist'),
  chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
  out: path.resolve(process.env.E2E_OUT ?? path.join(repo, 'e2e-artifacts/playground')),
};

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

const t0 = Date.now();
/** Logs a step with the time since the harness was loaded. */
export const stamp = (what) => console.log(`# ${what} at +${((Date.now() - t0) / 1000).toFixed(1)}s`);

/** The static server and a browser; `close()` stops both. */
export async function launch() {
  assert.ok(fs.existsSync(path.join(paths.dist, 'index.html')), `no build at ${paths.dist}: run wasm/playground/scripts/build.sh`);
  assert.ok(fs.existsSync(paths.chromium), `no browser at ${paths.chromium}: run scripts/install-tools.sh`);
  fs.mkdirSync(paths.out, { recursive: true });
  const server = await startServer({ root: paths.dist, port: 0 });
  let browser;
  try {
    browser = await chromium.launch({ executablePath: paths.chromium, args: CHROMIUM_ARGS });
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    url: server.url,
    browser,
    /** A fresh profile (no cache, storage or service worker) with one page. */
    async newPage({ width = 1480, height = 920, colorScheme = 'light' } = {}) {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme, acceptDownloads: true });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      return { page, context, errors };
    },
    async close() {
      await browser.close().catch(() => {});
      await server.close();
    },
  };
}

/** Waits until the first findings are shown (the engine answered). */
export async function ready(page) {
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { timeout: 30_000 });
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(paths.out, `${name}.png`) });
}

/** Clicks the middle of a flow's curve, as a person would (an SVG line's box can be flat). */
export async function clickEdge(page, from, to) {
  const edge = page.locator(`[data-testid=edge][data-from="${from}"][data-to="${to}"]`);
  await edge.waitFor({ state: 'attached' });
  await edge.scrollIntoViewIfNeeded().catch(() => {});
  const point = await edge.evaluate((g) => {
    const path = g.querySelector('.edge-line');
    const p = path.getPointAtLength(path.getTotalLength() / 2);
    const m = path.getScreenCTM();
    return { x: p.x * m.a + p.y * m.c + m.e, y: p.x * m.b + p.y * m.d + m.f };
  });
  await page.mouse.click(point.x, point.y);
}
