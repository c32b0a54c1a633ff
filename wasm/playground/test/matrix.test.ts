import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterView, ReachAnswer } from '../src/engine/types';
import { exampleById } from '../src/examples/catalog';
import { buildMatrix } from '../src/reach/matrix';
import { engineWith } from './engine';

test('cells, tallies, unknown endpoints ignored, the diagonal left out of the tallies', () => {
  const m = buildMatrix(
    ['a/x', 'a/y', 'b/z'],
    [
      { from: 'a/x', to: 'a/y', ports: 'TCP 80' },
      { from: 'a/x', to: 'b/z', ports: 'all ports' },
      { from: 'a/y', to: 'a/y', ports: 'all ports' },
      { from: 'a/y', to: '203.0.113.9', ports: 'TCP 443' },
    ],
  );
  assert.deepEqual(m.cells, [
    [null, 'TCP 80', 'all ports'],
    [null, 'all ports', null],
    [null, null, null],
  ]);
  assert.deepEqual(m.outgoing, [2, 0, 0]);
  assert.deepEqual(m.incoming, [0, 1, 1]);
});

test("the default-deny example's matrix on 8080: only frontend reaches the api", () => {
  const engine = engineWith(exampleById('default-deny')!.files);
  const cluster = engine.cluster() as ClusterView;
  const pods = cluster.pods.map((p) => p.name);
  const m = buildMatrix(pods, (engine.reach({ port: 8080, protocol: 'TCP' }) as ReachAnswer).flows);
  const api = pods.indexOf('shop/deployment/api');
  const frontend = pods.indexOf('shop/deployment/frontend');
  const jobs = pods.indexOf('shop/deployment/jobs');
  assert.ok(api >= 0 && frontend >= 0 && jobs >= 0);
  assert.equal(m.cells[frontend][api], 'TCP 8080');
  assert.equal(m.cells[jobs][api], null);
  assert.equal(m.cells[api][frontend], null, 'default deny closes the frontend');
  assert.equal(m.incoming[api], 1);
  engine.free();
});
