import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeMarkdown, isServiceHoverLine, selectorHover, serviceHover } from '../src/mapping/hover';

test('selector hover: the selector, the summary, the workloads', () => {
  const text = selectorHover({
    object: { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web' },
    field: 'spec.selector',
    range: { start: { line: 8, column: 4 }, end: { line: 9, column: 12 } },
    selector: 'app=web',
    pods: ['shop/deployment/web'],
    workloads: ['shop/deployment/web'],
    summary: 'matches 1 pod: shop/deployment/web',
  });
  assert.equal(
    text,
    '**netward** · `spec.selector` `app=web`\n\nmatches 1 pod: shop/deployment/web\n\n- `shop/deployment/web`',
  );
});

test('selector hover lists at most ten names, pods when there is no workload', () => {
  const pods = Array.from({ length: 12 }, (_, i) => `ns/pod-${i}`);
  const text = selectorHover({
    object: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace: 'ns', name: 'p' },
    field: 'spec.podSelector',
    range: { start: { line: 0, column: 0 }, end: { line: 0, column: 2 } },
    selector: '{}',
    pods,
    workloads: [],
    summary: 'matches 12 pods',
  });
  assert.match(text, /- `ns\/pod-9`\n- … and 2 more$/);
  assert.doesNotMatch(text, /pod-10/);
});

test('service hover: summary and one line per port', () => {
  const text = serviceHover({
    service: 'shop/web',
    summary: 'routes to deployment/web port 8080',
    routes: [
      { port: '80/TCP (http)', target_port: 'http', backends: ['deployment/web port 8080'], unreachable: [] },
      { port: '9090/TCP', target_port: 'metrics', backends: [], unreachable: ['deployment/api: no TCP container port named "metrics"'] },
      { port: '9091/TCP', target_port: 'admin', backends: [], unreachable: [] },
    ],
  });
  assert.equal(
    text,
    '**netward** · Service `shop/web` routes to deployment/web port 8080\n\n' +
      '- port `80/TCP (http)` → targetPort `http`: deployment/web port 8080\n\n' +
      '- port `9090/TCP` → targetPort `metrics`: deployment/api: no TCP container port named "metrics"\n\n' +
      '- port `9091/TCP` → targetPort `admin`: no backend',
  );
});

test('service hovers only on kind, name and port lines', () => {
  assert.equal(isServiceHoverLine('kind: Service'), true);
  assert.equal(isServiceHoverLine('    - port: 80'), true);
  assert.equal(isServiceHoverLine('      targetPort: http'), true);
  assert.equal(isServiceHoverLine('  "targetPort": 8080,'), true);
  assert.equal(isServiceHoverLine('    - {name: statsd, "port": 8125}'), true);
  assert.equal(isServiceHoverLine('  sessionAffinity: None'), false);
  assert.equal(isServiceHoverLine('    app: web'), false);
});

test('markdown is escaped', () => {
  assert.equal(escapeMarkdown('a*b_c [d] <e> `f`'), 'a\\*b\\_c \\[d\\] \\<e\\> \\`f\\`');
});
