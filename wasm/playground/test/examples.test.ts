import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AdmissionAnswer, Diagnostic, Explanation, ReachAnswer } from '../src/engine/types';
import { describeExpectations, EXAMPLES, FIRST_EXAMPLE, UNLISTED } from '../src/examples/catalog';
import { uriOf } from '../src/workspace/files';
import { engineWith } from './engine';

test('every example folder is in the catalog, with the file it opens and something to show', () => {
  assert.deepEqual(UNLISTED, []);
  assert.ok(EXAMPLES.length >= 8);
  assert.ok(EXAMPLES.some((e) => e.id === FIRST_EXAMPLE));
  for (const e of EXAMPLES) {
    assert.ok(e.files.some((f) => f.name === e.open), `${e.id} opens ${e.open}`);
    assert.ok(describeExpectations(e.expect).length > 0, `${e.id} expects something`);
  }
});

for (const example of EXAMPLES) {
  test(`example ${example.id}: ${describeExpectations(example.expect).join('; ')}`, () => {
    const engine = engineWith(example.files);
    const diagnostics = engine.lintAll() as Diagnostic[];
    // Realistic manifests: no syntax, schema or API-server errors, only the lint findings they are about.
    const broken = diagnostics.filter((d) => /^NW[01]/.test(d.code));
    assert.deepEqual(broken.map((d) => `${d.code} ${d.message}`), [], 'no YAML or API-server errors');
    for (const f of example.expect.findings ?? []) {
      const hit = diagnostics.find((d) => d.code === f.code && d.file === uriOf(f.file));
      assert.ok(hit, `${f.code} in ${f.file}; got ${diagnostics.map((d) => d.code).join(', ')}`);
    }
    for (const flow of example.expect.flows ?? []) {
      const protocol = flow.protocol ?? 'TCP';
      const x = engine.explain({ from: flow.from, to: flow.to, port: flow.port, protocol }) as Explanation;
      assert.equal(x.allowed, flow.allowed, `${flow.from} -> ${flow.to} ${protocol}/${flow.port}`);
      // The reach query that draws the graph agrees with the explanation.
      const reach = engine.reach({ from: flow.from, to: flow.to, port: flow.port, protocol }) as ReachAnswer;
      assert.equal(reach.flows.length > 0, flow.allowed, `reach agrees on ${flow.from} -> ${flow.to}`);
    }
    for (const a of example.expect.admission ?? []) {
      const answers = engine.admission(uriOf(a.file), a.mode) as AdmissionAnswer[];
      assert.ok(answers.length > 0, `${a.file} has objects the webhook reviews`);
      const decisions = answers.map((x) => x.decision);
      assert.ok(decisions.includes(a.decision), `${a.mode} on ${a.file}: ${a.decision}, got ${decisions.join(', ')}`);
      for (const x of answers) {
        if (x.decision === 'denied') {
          assert.equal(x.allowed, false);
          assert.ok(x.denial && x.denial.message.length > 0, 'a denial has a message');
        }
      }
    }
    engine.free();
  });
}
