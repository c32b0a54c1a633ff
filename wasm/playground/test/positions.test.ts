import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Text } from '@codemirror/state';
import { describePosition, offsetOf, offsetsOf } from '../src/editor/positions';
import type { Diagnostic } from '../src/engine/types';
import { uriOf } from '../src/workspace/files';
import { engineWith } from './engine';

const doc = (text: string) => Text.of(text.split('\n'));

test('positions map to offsets, clamped into the document', () => {
  const d = doc('ab\ncdef\n\nxyz');
  assert.equal(offsetOf(d, { line: 1, column: 2 }), 5);
  assert.equal(offsetOf(d, { line: 1, column: 99 }), 7, 'past the line end: the line end');
  assert.equal(offsetOf(d, { line: 9, column: 0 }), d.length, 'past the last line: the end');
  assert.equal(offsetOf(d, { line: -1, column: 0 }), 0);
  assert.deepEqual(offsetsOf(d, { start: { line: 3, column: 3 }, end: { line: 0, column: 1 } }), { from: 1, to: 12 });
  assert.equal(describePosition({ line: 0, column: 0 }), '1:1');
});

test("the engine's UTF-16 columns land on the right text after astral and non-ASCII characters", () => {
  // An emoji is two UTF-16 code units, é one: the wrong encoding would shift the range.
  const text = [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: web',
    '  namespace: shop',
    '  annotations: {note: "🚀 é"}',
    'spec:',
    '  ports:',
    '    - {name: "🚀é", port: 70000}',
    '',
  ].join('\n');
  const engine = engineWith([{ name: 'svc.yaml', text }]);
  const found = (engine.lint(uriOf('svc.yaml')) as Diagnostic[]).find((d) => d.code === 'NW1002' && d.path === 'spec.ports[0].port');
  assert.ok(found, 'the engine reports port 70000');
  const { from, to } = offsetsOf(doc(text), found.range);
  assert.equal(text.slice(from, to), '70000');
  engine.free();
});
