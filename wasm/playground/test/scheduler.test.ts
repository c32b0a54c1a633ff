import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LintScheduler, type Timers } from '../src/lint/scheduler';

/** Timers driven by the test: `advance(ms)` fires what is due. */
function fakeTimers() {
  let now = 0;
  let next = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    set: (fn, ms) => {
      const id = next++;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clear: (id) => void pending.delete(id as number),
    now: () => now,
  };
  const advance = async (ms: number) => {
    now += ms;
    for (const [id, t] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= now) {
        pending.delete(id);
        t.fn();
      }
    }
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { timers, advance, pending: () => pending.size };
}

/** A run the test resolves by hand. */
function deferredRuns() {
  const runs: { resolve: (v: number) => void; reject: (e: Error) => void }[] = [];
  let counter = 0;
  const run = () =>
    new Promise<number>((resolve, reject) => {
      counter++;
      runs.push({ resolve, reject });
    });
  return { run, runs, started: () => counter };
}

test('edits within the delay start one run, after the last edit', async () => {
  const t = fakeTimers();
  const d = deferredRuns();
  const applied: number[] = [];
  const s = new LintScheduler(25, d.run, (r) => applied.push(r), () => {}, t.timers);
  s.touch();
  await t.advance(10);
  s.touch();
  await t.advance(10);
  s.touch();
  await t.advance(24);
  assert.equal(d.started(), 0);
  await t.advance(1);
  assert.equal(d.started(), 1);
  d.runs[0].resolve(7);
  await t.advance(0);
  assert.deepEqual(applied, [7]);
  assert.equal(s.last?.editedAt, 20);
  assert.equal(s.last?.startedAt, 45);
});

test('a result computed before a later edit is dropped; the later run is applied', async () => {
  const t = fakeTimers();
  const d = deferredRuns();
  const applied: number[] = [];
  const s = new LintScheduler(25, d.run, (r) => applied.push(r), () => {}, t.timers);
  s.touch();
  await t.advance(25);
  s.touch(); // while run 1 is in flight
  d.runs[0].resolve(1);
  await t.advance(0);
  assert.deepEqual(applied, [], 'stale result dropped');
  assert.equal(s.dropped, 1);
  await t.advance(25);
  d.runs[1].resolve(2);
  await t.advance(0);
  assert.deepEqual(applied, [2]);
});

test('now() runs at once; errors of current runs are reported, of stale runs not', async () => {
  const t = fakeTimers();
  const d = deferredRuns();
  const errors: string[] = [];
  const s = new LintScheduler(25, d.run, () => {}, (e) => errors.push((e as Error).message), t.timers);
  const done = s.now();
  assert.equal(d.started(), 1);
  d.runs[0].reject(new Error('boom'));
  await done;
  assert.deepEqual(errors, ['boom']);
  s.touch();
  await t.advance(25);
  s.touch();
  d.runs[1].reject(new Error('stale'));
  await t.advance(0);
  assert.deepEqual(errors, ['boom']);
});

test('one run at a time: edits during a run start the next one when it ends', async () => {
  const t = fakeTimers();
  const d = deferredRuns();
  const applied: number[] = [];
  const s = new LintScheduler(10, d.run, (r) => applied.push(r), () => {}, t.timers);
  s.touch();
  await t.advance(10);
  assert.equal(d.started(), 1);
  s.touch();
  await t.advance(10);
  s.touch();
  await t.advance(10);
  assert.equal(d.started(), 1, 'no second run while the first is in flight');
  d.runs[0].resolve(1);
  await t.advance(0);
  assert.equal(d.started(), 2, 'the next run starts as the first ends');
  assert.deepEqual(applied, [], 'the first result was stale');
  d.runs[1].resolve(2);
  await t.advance(0);
  assert.deepEqual(applied, [2]);
  assert.equal(d.started(), 2);
});
