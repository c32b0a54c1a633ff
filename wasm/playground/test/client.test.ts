import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineClient, type Port } from '../src/engine/client';
import type { Request, Response } from '../src/engine/protocol';

/** A port whose other side the test plays. */
function fakePort() {
  const sent: Request[] = [];
  const port: Port = { postMessage: (m) => void sent.push(m), onmessage: null, onerror: null };
  const answer = (message: Response) => port.onmessage!({ data: message } as MessageEvent<Response>);
  return { port, sent, answer };
}

test('calls carry ids; answers resolve the matching call, in any order', async () => {
  const { port, sent, answer } = fakePort();
  const client = new EngineClient(port);
  const a = client.call('version');
  const b = client.call('lint', 'file:///workspace/a.yaml');
  assert.deepEqual(sent.map((m) => [m.method, m.args]), [['version', []], ['lint', ['file:///workspace/a.yaml']]]);
  answer({ id: sent[1].id, ok: true, value: [], ms: 2.5 });
  answer({ id: sent[0].id, ok: true, value: '0.1.0', ms: 0.1 });
  assert.equal(await a, '0.1.0');
  assert.deepEqual(await b, []);
  assert.equal(client.lastEngineMs, 0.1);
});

test('an engine error rejects its call with the method named; a dead worker rejects everything', async () => {
  const { port, sent, answer } = fakePort();
  const client = new EngineClient(port);
  const bad = client.call('explain', { from: 'x', to: 'y', port: 1 });
  answer({ id: sent[0].id, ok: false, error: 'unknown endpoint x' });
  await assert.rejects(bad, /explain: unknown endpoint x/);
  const pending = client.call('lintAll');
  port.onerror!({ message: 'wasm failed' } as ErrorEvent);
  await assert.rejects(pending, /wasm failed/);
  await assert.rejects(client.call('version'), /wasm failed/);
});
