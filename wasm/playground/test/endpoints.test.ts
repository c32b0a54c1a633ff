import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEndpoint, parsePorts, portToExplain, shortKind } from '../src/reach/endpoints';

test('endpoint names', () => {
  assert.deepEqual(parseEndpoint('shop/deployment/api'), { namespace: 'shop', kind: 'deployment', name: 'api' });
  assert.deepEqual(parseEndpoint('shop/web-0'), { namespace: 'shop', kind: 'pod', name: 'web-0' });
  assert.deepEqual(parseEndpoint('203.0.113.9'), { namespace: '', kind: 'external', name: '203.0.113.9' });
  assert.equal(shortKind('statefulset'), 'sts');
  assert.equal(shortKind('widget'), 'widget');
});

test("flows' port summaries, as netward reach writes them", () => {
  assert.deepEqual(parsePorts('all ports'), { all: true });
  assert.deepEqual(parsePorts('TCP 5432'), { all: false, ranges: [{ protocol: 'TCP', from: 5432, to: 5432 }] });
  assert.deepEqual(parsePorts('TCP 80,443, 8000-8080; UDP 53'), {
    all: false,
    ranges: [
      { protocol: 'TCP', from: 80, to: 80 },
      { protocol: 'TCP', from: 443, to: 443 },
      { protocol: 'TCP', from: 8000, to: 8080 },
      { protocol: 'UDP', from: 53, to: 53 },
    ],
  });
});

test('the port an explanation uses: the filter, then a declared port the flow allows, then the first allowed', () => {
  const declared = [
    { port: 8080, protocol: 'TCP' as const },
    { port: 9090, protocol: 'TCP' as const },
  ];
  assert.deepEqual(portToExplain(parsePorts('TCP 1-65535'), { port: 53, protocol: 'UDP' }, declared), { port: 53, protocol: 'UDP' });
  assert.deepEqual(portToExplain(parsePorts('TCP 9000-9100'), undefined, declared), { port: 9090, protocol: 'TCP' });
  assert.deepEqual(portToExplain(parsePorts('UDP 53'), undefined, declared), { port: 53, protocol: 'UDP' });
  assert.deepEqual(portToExplain(parsePorts('all ports'), undefined, declared), { port: 8080, protocol: 'TCP' });
  assert.deepEqual(portToExplain(undefined, undefined, []), { port: 80, protocol: 'TCP' });
});
