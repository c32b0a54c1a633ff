import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explanationReport, firstPort, reachItems, reachReport } from '../src/mapping/reach';

test('reach answers: sorted items, first ports, a report', () => {
  const answer = {
    flows: [
      { from: 'shop/deployment/web', to: 'shop/daemonset/syslog', ports: 'UDP 514, TCP 514' },
      { from: 'shop/deployment/api', to: 'shop/daemonset/syslog', ports: 'all' },
    ],
    notes: ['external clients are not listed'],
  };
  assert.deepEqual(reachItems(answer), [
    { label: 'shop/deployment/api', description: 'all', from: 'shop/deployment/api' },
    {
      label: 'shop/deployment/web',
      description: 'UDP 514, TCP 514',
      from: 'shop/deployment/web',
      port: { number: 514, protocol: 'UDP' },
    },
  ]);
  assert.deepEqual(firstPort('TCP 8000-8080'), { number: 8000, protocol: 'TCP' });
  assert.deepEqual(firstPort('SCTP/9'), { number: 9, protocol: 'SCTP' });
  assert.equal(firstPort('all'), undefined);
  assert.deepEqual(reachReport('shop/daemonset/syslog', answer), [
    'Who can reach shop/daemonset/syslog:',
    '  shop/deployment/api → all',
    '  shop/deployment/web → UDP 514, TCP 514',
    '  note: external clients are not listed',
  ]);
  assert.deepEqual(reachReport('x', { flows: [], notes: [] }), ['Who can reach x:', '  nobody (no allowed flow)']);
});

test('an explained verdict as report lines', () => {
  const place = (line: number) => ({
    file: 'file:///w/policies.yaml',
    range: { start: { line, column: 0 }, end: { line, column: 4 } },
  });
  const lines = explanationReport({
    from: { name: 'shop/daemonset/syslog', kind: 'pod' },
    to: { name: 'shop/deployment/web', kind: 'pod' },
    protocol: 'TCP',
    port: 8080,
    allowed: true,
    egress: { verdict: 'not-isolated', detail: 'no policy selects it for egress' },
    ingress: {
      verdict: 'allowed',
      detail: 'isolated by 1 policy; allowed by shop/web-ingress ingress[0]',
      isolated_by: [{ policy: 'shop/web-ingress', policy_types: ['Ingress'], policy_types_defaulted: false, place: place(1) }],
      allowed_by: [{ policy: 'shop/web-ingress', rule: 'ingress[0]', peer: 'ingress[0].from[0]', place: place(12) }],
      denied_because: [{ policy: 'shop/other', reason: 'no rule for ingress', place: place(30) }],
    },
    notes: ['self traffic'],
  });
  assert.deepEqual(lines, [
    'shop/daemonset/syslog → shop/deployment/web TCP 8080: allowed',
    '  egress of shop/daemonset/syslog: not-isolated: no policy selects it for egress',
    '  ingress of shop/deployment/web: allowed: isolated by 1 policy; allowed by shop/web-ingress ingress[0]',
    '    isolated by shop/web-ingress (Ingress) at file:///w/policies.yaml:2',
    '    allowed by shop/web-ingress ingress[0] (peer ingress[0].from[0]) at file:///w/policies.yaml:13',
    '    not by shop/other: no rule for ingress at file:///w/policies.yaml:31',
    '  note: self traffic',
  ]);
});
