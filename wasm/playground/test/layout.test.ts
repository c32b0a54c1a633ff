import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Flow } from '../src/engine/types';
import { layoutGraph, orderNamespaces, SIZES } from '../src/reach/layout';

const pods = ['web/deployment/frontend', 'web/deployment/api', 'data/statefulset/db', 'ops/pod/prom', 'web/deployment/jobs'];
const flows: Flow[] = [
  { from: 'web/deployment/frontend', to: 'web/deployment/api', ports: 'TCP 8080' },
  { from: 'web/deployment/api', to: 'data/statefulset/db', ports: 'TCP 5432' },
  { from: 'ops/pod/prom', to: 'web/deployment/api', ports: 'TCP 9090' },
  { from: 'ops/pod/prom', to: 'data/statefulset/db', ports: 'TCP 9187' },
  { from: 'web/deployment/jobs', to: 'web/deployment/api', ports: 'TCP 8080' },
  { from: 'data/statefulset/db', to: 'web/deployment/api', ports: 'all ports' },
];

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 16807) % 2147483647;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

test('namespaces run from sources to destinations, ties by name, empty ones last', () => {
  assert.deepEqual(orderNamespaces(['data', 'ops', 'web'], flows.slice(0, 5)), ['ops', 'web', 'data']);
  assert.deepEqual(orderNamespaces(['data', 'ops', 'web'], flows), ['ops', 'data', 'web']);
  assert.deepEqual(orderNamespaces(['b', 'a'], []), ['a', 'b']);
  assert.deepEqual(orderNamespaces(['a', 'z', 'b'], [], new Set(['z'])), ['z', 'a', 'b']);
});

test('the layout does not depend on the order of its input', () => {
  const base = layoutGraph({ namespaces: ['web', 'data', 'ops', 'empty'], pods, flows });
  for (let seed = 1; seed < 6; seed++) {
    const again = layoutGraph({ namespaces: shuffled(['web', 'data', 'ops', 'empty'], seed), pods: shuffled(pods, seed + 7), flows });
    assert.deepEqual(again.groups, base.groups);
    assert.deepEqual(again.nodes.map((n) => [n.id, n.x, n.y]).sort(), base.nodes.map((n) => [n.id, n.x, n.y]).sort());
    assert.deepEqual(new Set(again.edges.map((e) => e.d)), new Set(base.edges.map((e) => e.d)));
  }
});

test('nodes sit inside their namespace box, sorted by name, never overlapping; all within the canvas', () => {
  const g = layoutGraph({ namespaces: ['web', 'data', 'ops', 'empty'], pods, flows });
  assert.deepEqual(g.groups.map((x) => x.namespace), ['ops', 'data', 'web', 'empty']);
  for (const n of g.nodes) {
    const box = g.groups.find((x) => x.namespace === n.namespace)!;
    assert.ok(n.x >= box.x && n.x + n.w <= box.x + box.w && n.y >= box.y && n.y + n.h <= box.y + box.h, n.id);
    assert.ok(n.x + n.w <= g.width && n.y + n.h <= g.height);
  }
  for (const a of g.nodes) for (const b of g.nodes) {
    if (a === b) continue;
    const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
    assert.ok(apart, `${a.id} overlaps ${b.id}`);
  }
  assert.deepEqual(g.nodes.filter((n) => n.namespace === 'web').map((n) => n.name), ['api', 'frontend', 'jobs']);
  assert.ok(g.groups.find((x) => x.namespace === 'empty')!.h > SIZES.groupHead, 'an empty namespace still shows');
});

test('edges start and end on the sides of their nodes; a side shares out distinct points', () => {
  const g = layoutGraph({ namespaces: [], pods, flows });
  assert.equal(g.edges.length, flows.length);
  const node = (id: string) => g.nodes.find((n) => n.id === id)!;
  const ends = new Set<string>();
  for (const e of g.edges) {
    const [sx, sy, ...rest] = e.d.replace(/[MC]/g, ' ').trim().split(/\s+/).map(Number);
    const [tx, ty] = rest.slice(-2);
    const a = node(e.from);
    const b = node(e.to);
    assert.ok(sx === a.x || sx === a.x + a.w, `${e.from} -> ${e.to} starts on a side`);
    assert.ok(sy > a.y && sy < a.y + a.h);
    assert.ok(tx === b.x || tx === b.x + b.w, `${e.from} -> ${e.to} ends on a side`);
    assert.ok(ty > b.y && ty < b.y + b.h);
    for (const key of [`${sx},${sy}`, `${tx},${ty}`]) {
      assert.ok(!ends.has(key), `two edges share the point ${key}`);
      ends.add(key);
    }
    assert.ok(Number.isFinite(e.mid.x) && Number.isFinite(e.mid.y));
  }
});

test('self flows and flows to unknown endpoints are not drawn', () => {
  const g = layoutGraph({ namespaces: [], pods: ['a/x'], flows: [{ from: 'a/x', to: 'a/x', ports: 'all ports' }, { from: 'a/x', to: '10.0.0.1', ports: 'TCP 1' }] });
  assert.equal(g.edges.length, 0);
  assert.equal(layoutGraph({ namespaces: [], pods: [], flows: [] }).width, 0);
});
