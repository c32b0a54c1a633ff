import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Explanation } from '../src/engine/types';
import { exampleById } from '../src/examples/catalog';
import { responsiblePlaces } from '../src/reach/explain';
import { uriOf } from '../src/workspace/files';
import { engineWith } from './engine';

/** The text at a place of an example file. */
function textAt(files: { name: string; text: string }[], place: { file: string; range: { start: { line: number; column: number }; end: { line: number; column: number } } }): string {
  const file = files.find((f) => uriOf(f.name) === place.file)!;
  const lines = file.text.split('\n');
  const { start, end } = place.range;
  if (start.line === end.line) return lines[start.line].slice(start.column, end.column);
  return [lines[start.line].slice(start.column), ...lines.slice(start.line + 1, end.line), lines[end.line].slice(0, end.column)].join('\n');
}

test('an allowed flow points at the ingress rule that admits it', () => {
  const { files } = exampleById('and-or-trap')!;
  const engine = engineWith(files);
  const x = engine.explain({ from: 'analytics/deployment/notebook', to: 'data/statefulset/postgres', port: 5432 }) as Explanation;
  assert.equal(x.allowed, true);
  const { primary, all } = responsiblePlaces(x);
  assert.ok(primary);
  assert.equal(primary.file, uriOf('postgres-policy.yaml'));
  const text = textAt(files, primary);
  assert.match(text, /^from:/);
  assert.match(text, /namespaceSelector/);
  assert.deepEqual(all[0], primary);
  engine.free();
});

test('a denied egress points at the egress rule that did not match, then the isolating policy', () => {
  const { files } = exampleById('egress-dns')!;
  const engine = engineWith(files);
  const x = engine.explain({ from: 'shop/deployment/checkout', to: 'kube-system/deployment/coredns', port: 53, protocol: 'UDP' }) as Explanation;
  assert.equal(x.allowed, false);
  const { primary, all } = responsiblePlaces(x);
  assert.match(textAt(files, primary!), /^to:/);
  assert.equal(all.length, 3, 'the rule, and the two policies isolating checkout');
  assert.ok(all.slice(1).every((p) => /^apiVersion: networking\.k8s\.io\/v1/.test(textAt(files, p))));
  engine.free();
});

test('a flow denied by a rule-less default-deny points at that policy', () => {
  const { files } = exampleById('default-deny')!;
  const engine = engineWith(files);
  const x = engine.explain({ from: 'shop/deployment/api', to: 'shop/deployment/frontend', port: 3000 }) as Explanation;
  const { primary, all } = responsiblePlaces(x);
  assert.match(textAt(files, primary!), /name: default-deny-ingress/);
  assert.equal(all.length, 1, 'the miss and the isolation are the same place');
  engine.free();
});
