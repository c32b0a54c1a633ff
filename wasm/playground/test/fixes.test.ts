import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Text } from '@codemirror/state';
import { changesFor, editsByFile } from '../src/editor/fixes';
import type { Diagnostic } from '../src/engine/types';
import { exampleById } from '../src/examples/catalog';
import { nameOf, uriOf } from '../src/workspace/files';
import { engineWith } from './engine';

const at = (line: number, column: number) => ({ line, column });

test('edits become sorted changes relative to the original text; overlaps are refused', () => {
  const doc = Text.of(['port: 80', 'name: x']);
  const edits = [
    { file: 'f', range: { start: at(1, 6), end: at(1, 7) }, new_text: 'web' },
    { file: 'f', range: { start: at(0, 6), end: at(0, 8) }, new_text: '8080' },
  ];
  assert.deepEqual(changesFor(doc, edits), [
    { from: 6, to: 8, insert: '8080' },
    { from: 15, to: 16, insert: 'web' },
  ]);
  assert.throws(() => changesFor(doc, [...edits, { file: 'f', range: { start: at(0, 7), end: at(1, 0) }, new_text: '' }]), /overlapping/);
  const grouped = editsByFile({ title: 't', edits: [...edits, { file: 'g', range: { start: at(0, 0), end: at(0, 0) }, new_text: '' }] });
  assert.deepEqual([...grouped.keys()], ['f', 'g']);
});

test("applying the engine's DNS fix to the egress example makes the finding and the denial go away", () => {
  const example = exampleById('egress-dns')!;
  const engine = engineWith(example.files);
  const finding = (engine.lintAll() as Diagnostic[]).find((d) => d.code === 'NW3008');
  assert.ok(finding?.fix, 'NW3008 offers a fix');
  const dns = { from: 'shop/deployment/checkout', to: 'kube-system/deployment/coredns', port: 53, protocol: 'UDP' };
  assert.equal(engine.explain(dns).allowed, false);
  for (const [uri, edits] of editsByFile(finding.fix)) {
    const file = example.files.find((f) => f.name === nameOf(uri))!;
    let text = file.text;
    for (const c of changesFor(Text.of(text.split('\n')), edits).reverse()) text = text.slice(0, c.from) + c.insert + text.slice(c.to);
    engine.setFile(uriOf(file.name), text);
  }
  assert.ok(!(engine.lintAll() as Diagnostic[]).some((d) => d.code === 'NW3008'), 'the finding is gone');
  assert.equal(engine.explain(dns).allowed, true, 'DNS lookups are allowed');
  engine.free();
});
