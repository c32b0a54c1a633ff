import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Text } from '@codemirror/state';
import { countBySeverity, groupByFile, messageOf, toLintDiagnostics } from '../src/editor/diagnostics';
import type { Diagnostic } from '../src/engine/types';
import { uriOf } from '../src/workspace/files';
import { EXAMPLES } from '../src/examples/catalog';
import { engineWith } from './engine';

function diag(partial: Partial<Diagnostic>): Diagnostic {
  return {
    code: 'NW2001',
    rule: 'service-uses-external-ips',
    category: 'security',
    severity: 'warning',
    message: 'm',
    file: uriOf('a.yaml'),
    range: { start: { line: 0, column: 0 }, end: { line: 0, column: 1 } },
    object: null,
    path: null,
    ...partial,
  };
}

test('severity, message with help, source, sorted by position', () => {
  const doc = Text.of(['abc', 'defg']);
  const out = toLintDiagnostics(doc, [
    diag({ severity: 'error', range: { start: { line: 1, column: 1 }, end: { line: 1, column: 3 } }, help: 'do this' }),
    diag({ severity: 'info', code: 'NW4017', rule: 'r' }),
  ]);
  assert.deepEqual(
    out.map((d) => [d.from, d.to, d.severity, d.source, d.message]),
    [
      [0, 1, 'info', 'NW4017 r', 'm'],
      [5, 7, 'error', 'NW2001 service-uses-external-ips', 'm\nhelp: do this'],
    ],
  );
  assert.equal(messageOf(diag({ help: 'h' })), 'm\nhelp: h');
});

test('a fix becomes an action that hands back the engine diagnostic; docs too', () => {
  const fixed = diag({ fix: { title: 'Use a name', edits: [] } });
  const applied: Diagnostic[] = [];
  const docs: string[] = [];
  const [d] = toLintDiagnostics(Text.of(['x']), [fixed], { applyFix: (x) => applied.push(x), showDocs: (c) => docs.push(c) });
  assert.deepEqual(d.actions!.map((a) => a.name), ['Use a name', 'Docs NW2001']);
  d.actions![0].apply(null as never, 0, 0);
  d.actions![1].apply(null as never, 0, 0);
  assert.deepEqual(applied, [fixed]);
  assert.deepEqual(docs, ['NW2001']);
  assert.deepEqual(toLintDiagnostics(Text.of(['x']), [diag({})])[0].actions, []);
});

test('every diagnostic of every example maps inside its document, by file', () => {
  for (const example of EXAMPLES) {
    const engine = engineWith(example.files);
    const all = engine.lintAll() as Diagnostic[];
    const byFile = groupByFile(all);
    assert.equal([...byFile.values()].reduce((n, l) => n + l.length, 0), all.length);
    for (const f of example.files) {
      const doc = Text.of(f.text.split('\n'));
      for (const d of toLintDiagnostics(doc, byFile.get(uriOf(f.name)) ?? [])) {
        assert.ok(d.from >= 0 && d.from <= d.to && d.to <= doc.length, `${example.id}/${f.name}: ${d.source}`);
      }
    }
    const counts = countBySeverity(all);
    assert.equal(counts.error + counts.warning + counts.info, all.length);
    engine.free();
  }
});
