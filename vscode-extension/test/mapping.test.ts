import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic } from '../src/engine/types';
import { diagnosticKey, DiagnosticSeverity, severityOf, toDiagnosticData } from '../src/mapping/diagnostics';
import { toFixData } from '../src/mapping/fixes';
import { contains, toPlainRange } from '../src/mapping/positions';
import { codeOfRuleDocsPath, ruleDocsCommandUri, ruleDocsUri } from '../src/mapping/ruleDocs';

const finding: Diagnostic = {
  code: 'NW2004',
  rule: 'service-target-port-name-not-found',
  category: 'correctness',
  severity: 'error',
  message: 'Service shop/web port 80 targets the port named `http-web`',
  file: 'file:///w/services.yaml',
  range: { start: { line: 12, column: 18 }, end: { line: 12, column: 26 } },
  object: { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web' },
  path: 'spec.ports[0].targetPort',
  help: 'name the port `http-web` in the pods',
  related: [
    {
      file: 'file:///w/workloads.yaml',
      range: { start: { line: 19, column: 12 }, end: { line: 19, column: 16 } },
      message: 'shop/deployment/web declares 8080/TCP (http)',
    },
  ],
};

test('an engine finding becomes an editor diagnostic', () => {
  const data = toDiagnosticData(finding, (code) => `docs:${code}`);
  assert.deepEqual(data, {
    range: { start: { line: 12, character: 18 }, end: { line: 12, character: 26 } },
    message: 'Service shop/web port 80 targets the port named `http-web`\nhelp: name the port `http-web` in the pods',
    severity: DiagnosticSeverity.Error,
    source: 'netward',
    code: { value: 'NW2004', target: 'docs:NW2004' },
    related: [
      {
        uri: 'file:///w/workloads.yaml',
        range: { start: { line: 19, character: 12 }, end: { line: 19, character: 16 } },
        message: 'shop/deployment/web declares 8080/TCP (http)',
      },
    ],
  });
  const bare = toDiagnosticData({ ...finding, help: undefined, related: undefined, severity: 'info' }, () => 'x:');
  assert.equal(bare.message, finding.message);
  assert.deepEqual(bare.related, []);
  assert.equal(bare.severity, DiagnosticSeverity.Information);
});

test('severities', () => {
  assert.equal(severityOf('error'), 0);
  assert.equal(severityOf('warning'), 1);
  assert.equal(severityOf('info'), 2);
});

test('the key identifies a diagnostic by code, range and message', () => {
  const range = toPlainRange(finding.range);
  assert.equal(diagnosticKey('NW2004', range, 'm'), 'NW2004@12:18-12:26|m');
  assert.notEqual(diagnosticKey('NW2004', range, 'm'), diagnosticKey('NW2005', range, 'm'));
});

test('fixes become edits grouped per file, in order', () => {
  const fix = toFixData({
    title: 'Add `protocol: UDP` to the Service port',
    edits: [
      { file: 'file:///w/a.yaml', range: { start: { line: 3, column: 4 }, end: { line: 3, column: 4 } }, new_text: 'x' },
      { file: 'file:///w/b.yaml', range: { start: { line: 0, column: 0 }, end: { line: 1, column: 0 } }, new_text: '' },
      { file: 'file:///w/a.yaml', range: { start: { line: 5, column: 0 }, end: { line: 5, column: 2 } }, new_text: 'y' },
    ],
  });
  assert.equal(fix.title, 'Add `protocol: UDP` to the Service port');
  assert.deepEqual([...fix.edits.keys()], ['file:///w/a.yaml', 'file:///w/b.yaml']);
  assert.deepEqual(fix.edits.get('file:///w/a.yaml'), [
    { range: { start: { line: 3, character: 4 }, end: { line: 3, character: 4 } }, newText: 'x' },
    { range: { start: { line: 5, character: 0 }, end: { line: 5, character: 2 } }, newText: 'y' },
  ]);
});

test('positions in ranges, ends included', () => {
  const range = toPlainRange(finding.range);
  assert.equal(contains(range, { line: 12, character: 18 }), true);
  assert.equal(contains(range, { line: 12, character: 26 }), true);
  assert.equal(contains(range, { line: 12, character: 27 }), false);
  assert.equal(contains(range, { line: 11, character: 20 }), false);
  const multi = { start: { line: 1, character: 5 }, end: { line: 3, character: 1 } };
  assert.equal(contains(multi, { line: 2, character: 0 }), true);
  assert.equal(contains(multi, { line: 1, character: 4 }), false);
});

test('rule docs links', () => {
  assert.equal(ruleDocsUri('NW2004'), 'netward-rule:/NW2004.md');
  assert.equal(codeOfRuleDocsPath('/NW2004.md'), 'NW2004');
  assert.equal(codeOfRuleDocsPath('/a/b'), undefined);
  const command = ruleDocsCommandUri('NW2004');
  assert.equal(command, 'command:netward.showRuleDocs?%5B%22NW2004%22%5D');
  assert.deepEqual(JSON.parse(decodeURIComponent(command.split('?')[1])), ['NW2004']);
});
