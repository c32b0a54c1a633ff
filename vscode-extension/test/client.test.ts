import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { EngineClient, EngineUnavailable } from '../src/engine/client';

const fake = (extra: Partial<ConstructorParameters<typeof EngineClient>[0]> = {}) =>
  new EngineClient({ workerScript: path.join(__dirname, 'fake-worker.js'), wasmModule: '', encoding: 'utf-16', ...extra });

test('calls are answered in order, errors become rejections', async () => {
  const client = fake();
  try {
    assert.equal(await client.start('a: 1'), 'fake-1');
    await client.setFile('file:///a.yaml', 'one');
    const [first, second] = await Promise.all([
      client.call('lint', 'file:///a.yaml'),
      client.setFile('file:///a.yaml', 'two').then(() => client.call('lint', 'file:///a.yaml')),
    ]);
    assert.equal((first[0] as unknown as { text: string }).text, 'one');
    assert.equal((second[0] as unknown as { text: string }).text, 'two');
    await assert.rejects(client.setOptions('invalid'), /invalid options/);
    const after = (await client.call('lint', 'file:///a.yaml'))[0] as unknown as { options: string };
    assert.equal(after.options, 'a: 1', 'refused options leave the old ones in force');
  } finally {
    client.dispose();
  }
});

test('a dead worker is replaced and gets the files and options back', async () => {
  const news: string[] = [];
  let restarted!: () => void;
  const restart = new Promise<void>((resolve) => (restarted = resolve));
  const client = fake({ log: (l) => news.push(l), onRestart: () => restarted() });
  try {
    await client.start('b: 2');
    await client.setFile('file:///a.yaml', 'kept');
    await client.setFile('file:///gone.yaml', 'x');
    await client.removeFile('file:///gone.yaml');
    await assert.rejects(client.call('lint', 'crash:'), EngineUnavailable);
    await restart;
    assert.deepEqual(await client.call('files'), ['file:///a.yaml']);
    const [finding] = (await client.call('lint', 'file:///a.yaml')) as unknown as { text: string; options: string }[];
    assert.deepEqual([finding.text, finding.options], ['kept', 'b: 2']);
    assert.match(news.join('\n'), /exited with code 70; restarting with 1 files/);
  } finally {
    client.dispose();
  }
});

test('restarts stop after the limit, and calls then fail fast', async () => {
  const client = fake({ maxRestartsPerMinute: 0, log: () => {} });
  try {
    await client.start('');
    await assert.rejects(client.call('lint', 'crash:'), EngineUnavailable);
    await new Promise((r) => setTimeout(r, 50));
    await assert.rejects(client.call('files'), /not running/);
  } finally {
    client.dispose();
  }
});

test('dispose rejects what is pending', async () => {
  const client = fake();
  await client.start('');
  const pending = client.call('files');
  client.dispose();
  await assert.rejects(pending, EngineUnavailable);
});
