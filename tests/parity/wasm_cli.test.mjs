// Parity: on every rule fixture, NetworkPolicy case file, example and corpus project, the WASM
// engine (wasm/pkg/node) gives exactly the diagnostics of `netward check --format json`: same
// codes, messages, paths, ranges, related locations and fixes, in the same order.
// Run from the repository root after scripts/build-wasm.sh and `cargo build -p netward`:
//   node --test tests/parity/
// NETWARD_BIN overrides the CLI (default target/debug/netward).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(root);
const require = createRequire(import.meta.url);
const { Engine } = require(path.join(root, 'wasm/pkg/node/netward_wasm.js'));
const cli = process.env.NETWARD_BIN ?? 'target/debug/netward';

const isManifest = (name) => /\.(ya?ml|json)$/i.test(name);

/** The files `netward check DIR` reads, in its order: sorted by name, hidden entries skipped. */
function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (isManifest(name)) out.push(full);
  }
  return out;
}

/** Each unit is checked on its own: [name, paths given to the CLI, files, options file]. */
function units() {
  const list = [];
  const fixtures = 'core/tests/fixtures/rules';
  for (const rule of readdirSync(fixtures).sort()) {
    const dir = path.join(fixtures, rule);
    const options = path.join(dir, 'options.yaml');
    for (const name of readdirSync(dir).sort()) {
      if (!isManifest(name) || name === 'options.yaml') continue;
      const file = path.join(dir, name);
      list.push({ name: file, args: [file], files: [file], options: existsSync(options) ? options : null });
    }
  }
  for (const file of walk('core/tests/netpol_cases')) {
    list.push({ name: file, args: [file], files: [file], options: null });
  }
  const bundles = ['examples/shop', 'examples/broken', 'deploy'];
  for (const project of readdirSync('tests/corpus').sort()) {
    if (statSync(path.join('tests/corpus', project)).isDirectory()) bundles.push(path.join('tests/corpus', project));
  }
  for (const dir of bundles) list.push({ name: dir, args: [dir], files: walk(dir), options: null });
  return list;
}

/** CLI positions are 1-based characters; the engine here is 0-based UTF-32: shift by one. */
function oneBased(value) {
  if (Array.isArray(value)) return value.map(oneBased);
  if (value && typeof value === 'object') {
    if ('line' in value && 'column' in value && Object.keys(value).length === 2) {
      return { line: value.line + 1, column: value.column + 1 };
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, oneBased(v)]));
  }
  return value;
}

test('the WASM engine and the CLI give the same diagnostics', () => {
  let compared = 0;
  let diagnostics = 0;
  const skipped = [];
  for (const unit of units()) {
    const bytes = unit.files.map((f) => readFileSync(f));
    // The engine takes text: a file that is not UTF-8 cannot reach it as such.
    if (bytes.some((b) => !isUtf8(b))) {
      skipped.push(unit.name);
      continue;
    }
    const args = ['check', '--format', 'json', ...(unit.options ? ['--options', unit.options] : []), ...unit.args];
    const run = spawnSync(cli, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    assert.ok(run.status === 0 || run.status === 1, `${cli} ${args.join(' ')}: exit ${run.status}\n${run.stderr}`);
    const expected = JSON.parse(run.stdout).diagnostics;

    const engine = new Engine(unit.options ? readFileSync(unit.options, 'utf8') : '', 'utf-32');
    unit.files.forEach((file, i) => engine.setFile(file, bytes[i].toString('utf8')));
    const actual = oneBased(engine.lintAll());
    engine.free();

    assert.deepStrictEqual(actual, expected, `diagnostics differ for ${unit.name}`);
    compared += 1;
    diagnostics += expected.length;
  }
  console.log(`# compared ${compared} units, ${diagnostics} diagnostics; skipped (not UTF-8): ${skipped.join(', ') || 'none'}`);
  assert.ok(compared > 300, `only ${compared} units compared`);
  assert.ok(diagnostics > 500, `only ${diagnostics} diagnostics compared`);
});

function isUtf8(buffer) {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buffer);
    return true;
  } catch {
    return false;
  }
}
