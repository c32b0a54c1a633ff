import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kubectlOutput, WEBHOOK_NAME } from '../src/admission/kubectl';
import type { AdmissionAnswer } from '../src/engine/types';
import { exampleById } from '../src/examples/catalog';
import { uriOf } from '../src/workspace/files';
import { engineWith } from './engine';

test('kubectl prints the denial with the webhook name and the exact message; warnings as Warning: lines', () => {
  const { files } = exampleById('externalname-localhost')!;
  const engine = engineWith(files);
  const [denied] = engine.admission(uriOf('service.yaml'), 'enforce') as AdmissionAnswer[];
  const lines = kubectlOutput(denied, 'service.yaml');
  assert.equal(lines.length, 1);
  assert.equal(lines[0], `Error from server (${denied.denial!.reason}): error when creating "service.yaml": admission webhook "${WEBHOOK_NAME}" denied the request: ${denied.denial!.message}`);
  const [warned] = engine.admission(uriOf('service.yaml'), 'warn') as AdmissionAnswer[];
  const out = kubectlOutput(warned, 'service.yaml');
  assert.deepEqual(out.slice(0, -1), warned.warnings.map((w) => `Warning: ${w}`));
  assert.equal(out.at(-1), 'service/legacy-billing created');
  engine.free();
});
