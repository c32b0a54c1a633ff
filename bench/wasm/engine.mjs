// Speed of the WASM engine in Node, as the editor uses it (wasm/pkg/node, built by
// scripts/build-wasm.sh). Run: node bench/wasm/engine.mjs [--runs N]
//
// - instantiate: a fresh Node process loads the module and creates an Engine (median of
//   child processes; excludes Node's own start-up, measured from the first line of the child).
// - lint-2000-lines: setFile + lint of one 2,000-line multi-document file.
// - edit-relint-50-files: in a 50-file workspace, one file changes (setFile) and is linted
//   again; the whole workspace is re-checked, as cross-file rules require.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { multiDocument, root, workspace } from './fixtures.mjs';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 50;
const pkg = path.join(root, 'wasm/pkg/node');
const require = createRequire(import.meta.url);
const { Engine } = require(path.join(pkg, 'netward_wasm.js'));

const quantile = (xs, q) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const summary = (name, xs, extra = {}) => ({
  name,
  runs: xs.length,
  median_ms: +quantile(xs, 0.5).toFixed(2),
  p90_ms: +quantile(xs, 0.9).toFixed(2),
  min_ms: +Math.min(...xs).toFixed(2),
  ...extra,
});

function instantiate() {
  const script = `const t=performance.now();const {Engine}=require(${JSON.stringify(path.join(pkg, 'netward_wasm.js'))});new Engine('', 'utf-16');process.stdout.write(String(performance.now()-t));`;
  const times = [];
  for (let i = 0; i < Math.min(RUNS, 20); i++) {
    times.push(Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })));
  }
  return summary('instantiate', times);
}

function lintOneFile() {
  const text = multiDocument(2000);
  const engine = new Engine('', 'utf-16');
  const times = [];
  let diagnostics = 0;
  for (let i = 0; i < RUNS + 5; i++) {
    // A different text each time, so nothing can be cached between runs.
    const edited = text.replace('replicas: 2', `replicas: ${2 + (i % 3)}`);
    const t = performance.now();
    engine.setFile('file:///bench/all.yaml', edited);
    diagnostics = engine.lint('file:///bench/all.yaml').length;
    if (i >= 5) times.push(performance.now() - t);
  }
  engine.free();
  return summary('lint-2000-lines', times, {
    lines: text.split('\n').length - 1,
    bytes: Buffer.byteLength(text),
    diagnostics,
  });
}

function editRelint() {
  const files = workspace(50);
  const engine = new Engine('', 'utf-16');
  for (const [uri, text] of files) engine.setFile(uri, text);
  for (const [uri] of files) engine.lint(uri);
  const [uri, text] = files[7];
  const times = [];
  for (let i = 0; i < RUNS + 5; i++) {
    const edited = text.replace('replicas: 2', `replicas: ${2 + (i % 3)}`);
    const t = performance.now();
    engine.setFile(uri, edited);
    engine.lint(uri);
    if (i >= 5) times.push(performance.now() - t);
  }
  const lines = files.reduce((n, [, t]) => n + t.split('\n').length - 1, 0);
  engine.free();
  return summary('edit-relint-50-files', times, { files: files.length, lines });
}

const wasm = readFileSync(path.join(pkg, 'netward_wasm_bg.wasm'));
const results = [instantiate(), lintOneFile(), editRelint()];
const size = {
  name: 'size',
  wasm_bytes: statSync(path.join(pkg, 'netward_wasm_bg.wasm')).size,
  wasm_gzip9_bytes: gzipSync(wasm, { level: 9 }).length,
};
for (const r of [...results, size]) console.log(JSON.stringify(r));
