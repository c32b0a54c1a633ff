import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXAMPLES } from '../src/examples/catalog';
import { decodeWorkspace, encodeWorkspace, fromBase64Url, hasWorkspace, MAX_SHARED_BYTES, parseShared, toBase64Url } from '../src/workspace/share';

test('base64url round-trips every byte value and uses no padding or +/', () => {
  const bytes = new Uint8Array(70_000).map((_, i) => (i * 7919) % 256);
  const text = toBase64Url(bytes);
  assert.match(text, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(fromBase64Url(text), bytes);
  for (let n = 0; n < 5; n++) assert.deepEqual(fromBase64Url(toBase64Url(bytes.subarray(0, n))), bytes.subarray(0, n));
  assert.throws(() => fromBase64Url('abc$'), /base64url/);
});

test('a workspace survives the fragment round trip: names, text, order, active file', async () => {
  const files = [
    { name: 'zeta.yaml', text: 'apiVersion: v1\nkind: Service\n# ünïcode, emoji 🚀, CJK 策略\n' },
    { name: 'my policies.yaml', text: '' },
    { name: 'cluster.json', text: '{"kind": "List", "items": []}\r\n' },
  ];
  const fragment = await encodeWorkspace({ files, active: 'cluster.json' });
  assert.ok(fragment.startsWith('ws='));
  assert.ok(hasWorkspace('#' + fragment) && hasWorkspace(fragment));
  assert.match(fragment.slice(3), /^[A-Za-z0-9_-]+$/);
  const back = await decodeWorkspace('#' + fragment);
  assert.deepEqual(back, { files, active: 'cluster.json' });
});

test('every example fits in a link of reasonable length', async () => {
  for (const e of EXAMPLES) {
    const fragment = await encodeWorkspace({ files: e.files, active: e.open });
    assert.ok(fragment.length < 8000, `${e.id}: ${fragment.length} characters`);
    assert.deepEqual((await decodeWorkspace(fragment)).files, e.files);
  }
});

test('damaged links are refused with a readable message', async () => {
  assert.equal(hasWorkspace('#other=1'), false);
  await assert.rejects(decodeWorkspace('#other=1'), /holds no workspace/);
  await assert.rejects(decodeWorkspace('#ws=!!!'), /damaged: not base64url text/);
  await assert.rejects(decodeWorkspace('#ws=AAAA'), /damaged/);
  const good = await encodeWorkspace({ files: [{ name: 'a.yaml', text: 'x: 1\n' }] });
  await assert.rejects(decodeWorkspace(good.slice(0, -6)), /damaged/);
});

test('a deflate bomb is stopped at the size limit', async () => {
  const huge = JSON.stringify({ v: 1, files: [['a.yaml', 'x'.repeat(MAX_SHARED_BYTES + 10)]] });
  const stream = new Blob([huge]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const packed = new Uint8Array(await new Response(stream).arrayBuffer());
  assert.ok(packed.length < 100_000);
  await assert.rejects(decodeWorkspace('ws=' + toBase64Url(packed)), /larger than/);
});

test('parseShared checks the shape and the file names', () => {
  assert.throws(() => parseShared({ v: 2, files: [] }), /version 2/);
  assert.throws(() => parseShared({ v: 1 }), /no files/);
  assert.throws(() => parseShared({ v: 1, files: [['a.yaml']] }), /\[name, text\]/);
  assert.throws(() => parseShared({ v: 1, files: [['a.yaml', ''], ['a.yaml', '']] }), /already exists/);
  assert.throws(() => parseShared({ v: 1, files: [['../a.yaml', '']] }), /slashes/);
  assert.deepEqual(parseShared({ v: 1, files: [['a.yaml', 'x']], active: 'gone.yaml' }), { files: [{ name: 'a.yaml', text: 'x' }], active: undefined });
});
