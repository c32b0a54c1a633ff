// Playground performance in headless chromium, printed as JSON (and saved to
// e2e-artifacts/playground/perf.json). What is measured:
//   load.cold / load.cached: from navigation start to the editor showing the text
//     (`editorReadyMs`) and to the first findings from the engine (`firstDiagnosticsMs`,
//     the "first meaningful render"); `cached` is a second load in the same profile, with the
//     page, scripts and the WASM module in the service worker's cache.
//   typing: a 2,000-line, 4-file workspace; keys typed into a label value. For each measured
//     key: `totalMs` from the keydown to the findings list re-rendered for the new text
//     (includes the debounce), `afterDebounceMs` = totalMs - the debounce, `engineMs` the
//     engine's own time for lintAll in the worker, `editToRunStartMs` from the edit to the
//     start of its lint run (the debounce, plus any wait for a run in flight), `workerRoundTripMs` from the end of the
//     debounce to the answer on the page (setFile + lintAll + messages), `renderMs` updating
//     squiggles, gutter, findings list and tabs, `nextFrameMs` keydown to the next
//     animation frame (is the editor still responsive). Reported as p50/p95/max.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, paths, ready } from '../e2e/harness.mjs';
import { benchWorkspace } from './workspace.mjs';

const KEYS = Number(process.env.BENCH_KEYS ?? 30);
const DEBOUNCE_MS = Number(fs.readFileSync(new URL('../src/app.ts', import.meta.url), 'utf8').match(/LINT_DELAY_MS = (\d+)/)[1]);

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const r = (x) => Math.round(x * 10) / 10;
  return { n: s.length, p50: r(q(0.5)), p95: r(q(0.95)), max: r(s[s.length - 1]) };
};

async function loadTimes(page) {
  return page.evaluate(() => {
    const mark = (name) => performance.getEntriesByName(name, 'mark')[0]?.startTime;
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
    return { firstContentfulPaintMs: fcp, editorReadyMs: mark('netward:editor-ready'), firstDiagnosticsMs: mark('netward:first-diagnostics') };
  });
}

const h = await launch();
const result = { debounceMs: DEBOUNCE_MS, machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`.trim() };
try {
  const { page, context } = await h.newPage();
  await page.goto(h.url);
  await ready(page);
  result.coldLoad = await loadTimes(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(async () => (await caches.keys()).some((k) => k.startsWith('netward-playground-')));
  const cached = [];
  for (let i = 0; i < 5; i++) {
    await page.reload();
    await ready(page);
    cached.push(await loadTimes(page));
  }
  result.cachedLoad = {
    runs: cached.length,
    firstContentfulPaintMs: stats(cached.map((c) => c.firstContentfulPaintMs)),
    editorReadyMs: stats(cached.map((c) => c.editorReadyMs)),
    firstDiagnosticsMs: stats(cached.map((c) => c.firstDiagnosticsMs)),
  };

  // The 2,000-line workspace, imported as a saved workspace (the real import path).
  const files = benchWorkspace(2000);
  const lines = files.reduce((n, f) => n + f.text.split('\n').length, 0);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'netward-bench-')), 'bench-workspace.json');
  fs.writeFileSync(file, JSON.stringify({ format: 'netward-playground-workspace', version: 1, files }));
  await page.locator('#file-picker').setInputFiles(file);
  await page.locator('#tabs .tab[data-name="team-a.yaml"]').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=findings] .finding').length > 0);
  await page.locator('#tabs .tab[data-name="team-b.yaml"] .tab-name').click();
  // Put the cursor at the end of the first `tier: backend` label.
  await page.locator('.cm-line', { hasText: 'tier: backend' }).first().click();
  await page.keyboard.press('End');
  await page.waitForTimeout(300);

  await page.evaluate(() => {
    const w = window;
    w.__bench = { keys: [], diagnostics: [], frames: [] };
    document.addEventListener('keydown', (e) => {
      const t = performance.now();
      w.__bench.keys.push(t);
      requestAnimationFrame(() => w.__bench.frames.push(performance.now() - t));
    }, true);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === 'netward:diagnostics') w.__bench.diagnostics.push({ at: e.startTime, ...e.detail });
    }).observe({ type: 'mark' });
  });

  // One key at a time, waiting for its findings: the latency of the last key.
  const single = [];
  for (let i = 0; i < KEYS; i++) {
    const before = await page.evaluate(() => window.__bench.diagnostics.length);
    await page.keyboard.type(i % 2 === 0 ? 'x' : 'y');
    await page.waitForFunction((n) => window.__bench.diagnostics.length > n, before);
    await page.waitForTimeout(60);
    single.push(await page.evaluate(() => {
      const b = window.__bench;
      const key = b.keys[b.keys.length - 1];
      const d = b.diagnostics.find((x) => x.at > key);
      return { totalMs: d.at - key, engineMs: d.engineMs, waitMs: d.waitMs, roundTripMs: d.roundTripMs, applyMs: d.applyMs };
    }));
  }
  // A burst: keys 15 ms apart; measured from the burst's last key.
  const burst = [];
  for (let r = 0; r < 5; r++) {
    const before = await page.evaluate(() => window.__bench.diagnostics.length);
    await page.keyboard.type('abcdefgh', { delay: 15 });
    await page.waitForFunction((n) => window.__bench.diagnostics.length > n, before);
    await page.waitForTimeout(120);
    burst.push(await page.evaluate(() => {
      const b = window.__bench;
      const key = b.keys[b.keys.length - 1];
      const d = b.diagnostics.find((x) => x.at > key);
      return { totalMs: d.at - key, applied: b.diagnostics.filter((x) => x.at > b.keys[b.keys.length - 8]).length };
    }));
  }
  const frames = await page.evaluate(() => window.__bench.frames);
  result.typing = {
    workspace: { files: files.length, lines, bytes: files.reduce((n, f) => n + f.text.length, 0) },
    singleKey: {
      totalMs: stats(single.map((s) => s.totalMs)),
      afterDebounceMs: stats(single.map((s) => s.totalMs - DEBOUNCE_MS)),
      engineMs: stats(single.map((s) => s.engineMs)),
      editToRunStartMs: stats(single.map((s) => s.waitMs)),
      workerRoundTripMs: stats(single.map((s) => s.roundTripMs)),
      renderMs: stats(single.map((s) => s.applyMs)),
    },
    burstLastKey: { totalMs: stats(burst.map((b) => b.totalMs)), runsAppliedPerBurst: stats(burst.map((b) => b.applied)) },
    keyToNextFrameMs: stats(frames),
  };
  await context.close();
} finally {
  await h.close();
}
fs.mkdirSync(paths.out, { recursive: true });
fs.writeFileSync(path.join(paths.out, 'perf.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
