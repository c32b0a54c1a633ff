// Parity: for every bundled AdmissionReview that creates a reviewed object, what the WASM
// engine says the webhook would answer (`admission()`, used by the playground) is exactly what
// `netward review` answers — the webhook's own code path — in every mode.
// Run from the repository root after scripts/build-wasm.sh and `cargo build -p netward`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const { Engine } = require(path.join(root, 'wasm/pkg/node/netward_wasm.js'));
const cli = path.resolve(root, process.env.NETWARD_BIN ?? 'target/debug/netward');
const dir = path.join(root, 'examples/admission');
const reviewed = new Set(['/v1/Service', 'networking.k8s.io/v1/NetworkPolicy', 'networking.k8s.io/v1/Ingress']);

test('the engine previews the webhook answer exactly', () => {
  let compared = 0;
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const file = path.join(dir, name);
    const { request } = JSON.parse(readFileSync(file, 'utf8'));
    const { group, version, kind } = request.kind;
    if (request.operation !== 'CREATE' || !reviewed.has(`${group}/${version}/${kind}`)) continue;
    for (const mode of ['enforce', 'warn', 'audit']) {
      const run = spawnSync(cli, ['review', '--mode', mode, file], { encoding: 'utf8' });
      assert.ok(run.status === 0 || run.status === 1, `${name}: ${run.stderr}`);
      const response = JSON.parse(run.stdout).response;

      const engine = new Engine('', 'utf-16');
      engine.setFile('object.json', JSON.stringify(request.object));
      const answers = engine.admission('object.json', mode);
      engine.free();
      assert.equal(answers.length, 1, name);
      const [answer] = answers;
      const where = `${name} (${mode})`;
      assert.equal(answer.allowed, response.allowed, where);
      assert.equal(answer.denial?.message, response.status.message, where);
      assert.equal(answer.denial?.code, response.status.code, where);
      assert.deepEqual(answer.warnings, response.warnings ?? [], where);
      assert.deepEqual(answer.audit_annotations, response.auditAnnotations ?? {}, where);
      compared += 1;
    }
  }
  assert.ok(compared >= 15, `only ${compared} answers compared`);
  console.log(`# compared ${compared} webhook answers`);
});
