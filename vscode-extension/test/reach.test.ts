import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  declaredPort,
  explanationReport,
  firstPort,
  IP_BLOCK_NOTE,
  noPortReport,
  parseFlowPorts,
  reachItems,
  reachReport,
} from '../src/mapping/reach';

// The flows' ports as the engine writes them (core's `ProtocolPorts` display).
test('flow ports in the engine formats', () => {
  assert.deepEqual(
    parseFlowPorts('TCP 8000-8080, 9000; UDP 53; SCTP all'),
    new Map([
      ['TCP', [[8000, 8080], [9000, 9000]]],
      ['UDP', [[53, 53]]],
      ['SCTP', [[1, 65535]]],
    ]),
  );
  assert.deepEqual(
    parseFlowPorts('all ports'),
    new Map([
      ['TCP', [[1, 65535]]],
      ['UDP', [[1, 65535]]],
      ['SCTP', [[1, 65535]]],
    ]),
  );
  assert.deepEqual(parseFlowPorts('none'), new Map());
  assert.deepEqual(firstPort('TCP 5432'), { number: 5432, protocol: 'TCP' });
  assert.deepEqual(firstPort('TCP 8000-8080, 9000; UDP 53'), { number: 8000, protocol: 'TCP' });
  assert.deepEqual(firstPort('TCP all; UDP 53'), { number: 53, protocol: 'UDP' }, 'the first port named');
  assert.deepEqual(firstPort('UDP 1-100'), { number: 1, protocol: 'UDP' });
  assert.equal(firstPort('all ports'), undefined);
  assert.equal(firstPort('TCP all; SCTP all'), undefined);
  assert.equal(firstPort('none'), undefined);
});

test('a flow on every port is explained on the first declared container port it allows', () => {
  const declared = [
    { name: 'dns', port: 53, protocol: 'UDP' as const },
    { name: 'http', port: 8080, protocol: 'TCP' as const },
  ];
  assert.deepEqual(declaredPort('all ports', declared), { number: 53, protocol: 'UDP' });
  assert.deepEqual(declaredPort('TCP all', declared), { number: 8080, protocol: 'TCP' });
  assert.deepEqual(declaredPort('TCP 8000-8080', declared), { number: 8080, protocol: 'TCP' });
  assert.equal(declaredPort('SCTP all', declared), undefined);
  assert.equal(declaredPort('all ports', []), undefined);
  assert.equal(
    noPortReport('t/deployment/b', 't/deployment/a', 'SCTP all'),
    't/deployment/b → t/deployment/a allows SCTP all but names no port, and t/deployment/a declares no container port among them: no verdict to explain',
  );
});

test('reach answers: sorted items, first ports, a report with the ipBlock note', () => {
  const answer = {
    flows: [
      { from: 'shop/deployment/web', to: 'shop/daemonset/syslog', ports: 'TCP 514; UDP 514' },
      { from: 'shop/deployment/api', to: 'shop/daemonset/syslog', ports: 'all ports' },
    ],
    notes: ['external clients are not listed'],
  };
  assert.deepEqual(reachItems(answer), [
    { label: 'shop/deployment/api', description: 'all ports', from: 'shop/deployment/api' },
    {
      label: 'shop/deployment/web',
      description: 'TCP 514; UDP 514',
      from: 'shop/deployment/web',
      port: { number: 514, protocol: 'TCP' },
    },
  ]);
  assert.deepEqual(reachReport('shop/daemonset/syslog', answer), [
    'Who can reach shop/daemonset/syslog:',
    '  shop/deployment/api → all ports',
    '  shop/deployment/web → TCP 514; UDP 514',
    '  note: external clients are not listed',
    `  note: ${IP_BLOCK_NOTE}`,
  ]);
  assert.deepEqual(reachReport('x', { flows: [], notes: [] }), [
    'Who can reach x:',
    '  no pod or workload (no allowed flow)',
    '  note: sources allowed only through ipBlock (addresses outside the cluster) are not listed',
  ]);
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
